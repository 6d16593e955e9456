// sim/world/disk.cc — see disk.h. Single-threaded.

#include "sim/world/disk.h"

#include <algorithm>
#include <utility>

#include "base/check.h"

namespace raftsim::sim {
namespace {

// First and last entry index of a batch, 0 0 when it has none.
std::pair<raft::LogIndex, raft::LogIndex> Range(const raft::WriteBatch& b) {
  if (b.entries.empty()) return {};
  return {b.entries.front().index, b.entries.back().index};
}

}  // namespace

SimDisk::SimDisk(HostIndex node, EventQueue* queue, Tracer* tracer, Prng prng,
                 DiskOptions options)
    : node_(node),
      queue_(queue),
      tracer_(tracer),
      prng_(prng),
      options_(options),
      written_(std::make_unique<raft::MemoryStorage>()),
      durable_(std::make_unique<raft::MemoryStorage>()) {}

void SimDisk::Write(raft::WriteBatch batch, WriteDone done) {
  const auto [first, last] = Range(batch);
  tracer_->Record(node_, TraceKind::kDiskWrite,
                  DiskPayload{first, last, batch.hard_state.has_value()});
  written_->Write(batch, nullptr);
  int64_t latency_us =
      prng_.Range(options_.write_us_min, options_.write_us_max) +
      prng_.Range(options_.sync_us_min, options_.sync_us_max);
  if (options_.spike_ppm > 0 &&
      prng_.Ratio(static_cast<uint64_t>(options_.spike_ppm), 1'000'000)) {
    latency_us += options_.spike_us;
    ++counters_.spikes;
  }
  last_completion_us_ =
      std::max(last_completion_us_, queue_->now_us() + latency_us);
  pending_.push_back({std::move(batch), std::move(done)});
  queue_->Schedule(last_completion_us_, node_, EventKind::kDisk,
                   /*crash_scoped=*/true, [this] { Complete(); });
}

void SimDisk::Complete() {
  CHECK(!pending_.empty());
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  const auto [first, last] = Range(p.batch);
  tracer_->Record(node_, TraceKind::kDiskSync,
                  DiskPayload{first, last, p.batch.hard_state.has_value()});
  durable_->Write(std::move(p.batch), nullptr);
  if (!p.done) return;
  const int64_t delay_us =
      options_.reorder_us > 0 ? prng_.Range(0, options_.reorder_us) : 0;
  if (delay_us == 0) return p.done(absl::OkStatus());
  ++counters_.late_notices;
  // Durable already; only the notice is late (a crash meanwhile loses it,
  // with the node's other events).
  queue_->After(delay_us, node_, EventKind::kDisk, /*crash_scoped=*/true,
                [done = std::move(p.done)] { done(absl::OkStatus()); });
}

absl::Status SimDisk::Compact(raft::Snapshot snapshot) {
  CHECK_LE(snapshot.meta.index, durable_->LastIndex())
      << "compaction of entries that are not durable";
  absl::Status status = written_->Compact(snapshot);
  if (!status.ok()) return status;
  // The durable copy may already be compacted further only if the written
  // one is too; mirror the result.
  return durable_->Compact(std::move(snapshot));
}

uint64_t SimDisk::Tear(const raft::WriteBatch& batch) {
  if (batch.snapshot.has_value() || batch.entries.empty()) return 0;
  if (batch.entries.front().index > durable_->LastIndex() + 1) return 0;
  // Longest prefix whose terms the durable hard state covers.
  const raft::Term term = durable_->hard_state().term;
  uint64_t valid = 0;
  while (valid < batch.entries.size() && batch.entries[valid].term <= term) {
    ++valid;
  }
  const uint64_t keep = prng_.Uniform(valid + 1);
  if (keep == 0) return 0;
  raft::WriteBatch torn;
  torn.entries.assign(batch.entries.begin(), batch.entries.begin() + keep);
  durable_->Write(std::move(torn), nullptr);
  return keep;
}

void SimDisk::Crash() {
  const int64_t lost = static_cast<int64_t>(pending_.size());
  uint64_t kept = 0;
  if (options_.torn_writes && !pending_.empty()) {
    kept = Tear(pending_.front().batch);
  }
  if (lost > 0) ++counters_.lossy_crashes;
  if (kept > 0) ++counters_.torn_crashes;
  pending_.clear();
  last_completion_us_ = queue_->now_us();
  written_ = std::make_unique<raft::MemoryStorage>(durable_->Load());
  tracer_->Record(node_, DiskLostPayload{lost, static_cast<int64_t>(kept)});
}

}  // namespace raftsim::sim
