// raft/tracker/inflights.cc — the in-flight window's ring buffer.

#include "raft/tracker/inflights.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::tracker {

Inflights::Inflights(size_t max_count, uint64_t max_bytes)
    : max_count_(max_count), max_bytes_(max_bytes) {
  CHECK_GT(max_count, 0u);
}

void Inflights::Add(LogIndex last, uint64_t bytes) {
  CHECK(!Full()) << Describe();
  if (count_ > 0) CHECK_GT(last, newest()) << "in-flight indexes must grow";
  if (count_ == ring_.size()) Grow();
  ring_[Slot(count_)] = Message{last, bytes};
  ++count_;
  bytes_ += bytes;
}

void Inflights::Grow() {
  const size_t capacity =
      std::min(max_count_, std::max<size_t>(4, 2 * ring_.size()));
  CHECK_GT(capacity, ring_.size());
  std::vector<Message> grown(capacity);
  for (size_t i = 0; i < count_; ++i) grown[i] = ring_[Slot(i)];
  ring_.swap(grown);
  start_ = 0;
}

void Inflights::FreeLE(LogIndex to) {
  size_t freed = 0;
  uint64_t freed_bytes = 0;
  while (freed < count_) {
    const Message& m = ring_[Slot(freed)];
    if (m.last > to) break;
    freed_bytes += m.bytes;
    ++freed;
  }
  if (freed == 0) return;
  CHECK_LE(freed_bytes, bytes_);
  count_ -= freed;
  bytes_ -= freed_bytes;
  // Restart at slot 0 when empty so short bursts never wrap.
  start_ = count_ == 0 ? 0 : Slot(freed);
}

void Inflights::FreeFirstOne() {
  if (count_ == 0) return;
  FreeLE(oldest());
}

void Inflights::Reset() {
  start_ = 0;
  count_ = 0;
  bytes_ = 0;
}

LogIndex Inflights::oldest() const {
  CHECK_GT(count_, 0u);
  return ring_[start_].last;
}

LogIndex Inflights::newest() const {
  CHECK_GT(count_, 0u);
  return ring_[Slot(count_ - 1)].last;
}

std::string Inflights::Describe() const {
  std::string out = absl::StrCat("inflight=", count_, "/", max_count_);
  if (count_ == 0) return out;
  absl::StrAppend(&out, " bytes=", bytes_, "/", max_bytes_, " last=(",
                  oldest().Describe(), " ", newest().Describe(), ")");
  return out;
}

}  // namespace raftsim::raft::tracker
