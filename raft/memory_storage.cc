// raft/memory_storage.cc — LogStorage held in memory.

#include "raft/memory_storage.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft {

MemoryStorage::MemoryStorage(DurableState initial)
    : hard_state_(initial.hard_state), snapshot_(std::move(initial.snapshot)) {
  // Reuse the append path: it checks contiguity and terms.
  if (!initial.entries.empty()) {
    CHECK_EQ(initial.entries.front().index, FirstIndex())
        << "initial entries must start right after the snapshot";
    AppendEntries(std::move(initial.entries));
  }
}

void MemoryStorage::Write(WriteBatch batch, WriteDone done) {
  if (batch.snapshot) ApplySnapshot(std::move(*batch.snapshot));
  if (!batch.entries.empty()) AppendEntries(std::move(batch.entries));
  if (batch.hard_state) hard_state_ = *batch.hard_state;
  if (done) done(absl::OkStatus());
}

absl::Status MemoryStorage::Compact(Snapshot snapshot) {
  const LogIndex index = snapshot.meta.index;
  if (index <= snapshot_.meta.index) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot compact to ", index.Describe(), ": already compacted to ",
        snapshot_.meta.index.Describe()));
  }
  CHECK_LE(index, LastIndex()) << "compaction past the last index";
  CHECK_EQ(snapshot.meta.term, At(index).term)
      << "snapshot term differs from the log's at " << index;
  DropFront(index - snapshot_.meta.index);
  snapshot_ = std::move(snapshot);
  return absl::OkStatus();
}

absl::StatusOr<Term> MemoryStorage::TermAt(LogIndex index) const {
  if (index < snapshot_.meta.index) {
    return absl::OutOfRangeError(
        absl::StrCat(index.Describe(), " is compacted (snapshot at ",
                     snapshot_.meta.index.Describe(), ")"));
  }
  if (index > LastIndex()) {
    return absl::OutOfRangeError(absl::StrCat(
        index.Describe(), " is past the last index ", LastIndex().Describe()));
  }
  if (index == snapshot_.meta.index) return snapshot_.meta.term;
  return At(index).term;
}

absl::Status MemoryStorage::Entries(LogIndex lo, LogIndex hi,
                                    uint64_t max_bytes,
                                    std::vector<Entry>* out) const {
  CHECK(out != nullptr);
  if (lo > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("empty range [", lo.Describe(), ", ", hi.Describe(), ")"));
  }
  if (lo < FirstIndex()) {
    return absl::OutOfRangeError(absl::StrCat(lo.Describe(),
                                              " is compacted (first index ",
                                              FirstIndex().Describe(), ")"));
  }
  if (hi > LastIndex() + 1) {
    return absl::OutOfRangeError(absl::StrCat("range end ", hi.Describe(),
                                              " is past the last index ",
                                              LastIndex().Describe(), " + 1"));
  }
  uint64_t total = 0;
  for (LogIndex i = lo; i < hi; ++i) {
    const Entry& e = At(i);
    total += e.ByteSize();
    // Always at least one entry, even one larger than max_bytes.
    if (i != lo && total > max_bytes) break;
    out->push_back(e);
  }
  return absl::OkStatus();
}

DurableState MemoryStorage::Load() const {
  return DurableState{
      .hard_state = hard_state_,
      .snapshot = snapshot_,
      .entries = std::vector<Entry>(
          entries_.begin() + static_cast<std::ptrdiff_t>(begin_),
          entries_.end()),
  };
}

const Entry& MemoryStorage::At(LogIndex index) const {
  CHECK_GE(index, FirstIndex());
  CHECK_LE(index, LastIndex());
  return entries_[begin_ + (index - FirstIndex())];
}

void MemoryStorage::ApplySnapshot(Snapshot snapshot) {
  const SnapshotMeta& meta = snapshot.meta;
  CHECK_GE(meta.index, snapshot_.meta.index) << "snapshot older than storage's";
  if (meta.index == snapshot_.meta.index) {
    CHECK_EQ(meta.term, snapshot_.meta.term)
        << "two snapshots at one index with different terms";
  }
  // Keep the suffix only if the log agrees with the snapshot at its index
  // (Log Matching, Raft §5.3, then implies it agrees before it too);
  // otherwise the whole log is stale or conflicting.
  const bool keep_suffix =
      meta.index <= LastIndex() &&
      (meta.index == snapshot_.meta.index || At(meta.index).term == meta.term);
  DropFront(keep_suffix ? meta.index - snapshot_.meta.index : entry_count());
  snapshot_ = std::move(snapshot);
}

void MemoryStorage::AppendEntries(std::vector<Entry> entries) {
  const LogIndex first = entries.front().index;
  CHECK_GE(first, FirstIndex()) << "write would overwrite the snapshot";
  CHECK_LE(first, LastIndex() + 1) << "write would leave a gap in the log";
  if (first <= LastIndex()) TruncateFrom(first);
  // The log after truncation ends at first - 1.
  Term prev_term =
      first == FirstIndex() ? snapshot_.meta.term : At(first - 1).term;
  LogIndex expected = first;
  for (Entry& e : entries) {
    CHECK_EQ(e.index, expected) << "entries must be contiguous";
    CHECK_GE(e.term, prev_term) << "log terms must not decrease at " << e.index;
    prev_term = e.term;
    ++expected;
    bytes_ += e.ByteSize();
    entries_.push_back(std::move(e));
  }
}

void MemoryStorage::DropFront(size_t count) {
  CHECK_LE(count, entry_count());
  const size_t end = begin_ + count;
  for (size_t i = begin_; i < end; ++i) {
    bytes_ -= entries_[i].ByteSize();
    entries_[i] = Entry{};  // Release the payload now, not at reclaim time.
  }
  begin_ = end;
  if (begin_ == entries_.size()) {
    entries_.clear();  // Keeps the capacity for the entries to come.
    begin_ = 0;
  } else if (begin_ >= entries_.size() / 2) {
    // Moves at most begin_ live entries: amortized O(1) per dropped entry.
    entries_.erase(entries_.begin(),
                   entries_.begin() + static_cast<std::ptrdiff_t>(begin_));
    begin_ = 0;
  }
}

void MemoryStorage::TruncateFrom(LogIndex index) {
  const size_t pos = begin_ + (index - FirstIndex());
  CHECK_LE(pos, entries_.size());
  for (size_t i = pos; i < entries_.size(); ++i) {
    bytes_ -= entries_[i].ByteSize();
  }
  entries_.resize(pos);
}

}  // namespace raftsim::raft
