// sim/world/disk.h — SimDisk: one node's simulated disk, a raft::LogStorage.
//
// Fault model (what this disk may do, and what it never does):
//   - A Write takes effect at once in the *written* view — what the node
//     reads back, like an OS page cache — and becomes *durable* only when
//     its sync completes, write latency + sync latency later (both drawn
//     per write from the disk's stream, uniformly in their ranges).
//   - Writes become durable strictly in call order: a write's sync never
//     completes before the previous one's. With fsync spikes on, a sync
//     takes spike_us longer with probability spike_ppm / 1e6 (and every
//     later write waits behind it).
//   - `done` runs when the write is durable, or, with reorder_us > 0, up
//     to reorder_us later (drawn per write): completions then reach the
//     node out of call order, as from a pool of I/O threads, while
//     durability itself stays in order.
//   - A crash loses every write whose sync has not completed. With torn
//     writes on, the oldest lost write may be *torn*: a prefix of its
//     entries (chosen at random, possibly empty, with its truncation of
//     the log) reaches the disk, while its hard state does not. A torn
//     prefix never holds an entry whose term is above the durable hard
//     state's term (the shape a storage that writes a term record before
//     entries of a new term guarantees, and the shape raft::Node accepts
//     on restart). A write that carries a snapshot is never torn: all or
//     nothing.
//   - Compact (the application's snapshot) is atomic and durable at once,
//     like a snapshot file renamed into place. It only ever covers entries
//     already durable (applied <= durable), which the disk CHECKs.
//   - No latent corruption (silent bit flips caught by checksums) yet.
//   - The durable state survives crashes; nothing else does.
//
// Checkers read the durable state through durable() / durable_hard_state()
// / durable_last_index() (what a restart would load).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_DISK_H_
#define RAFTSIM_SIM_WORLD_DISK_H_

#include <cstdint>
#include <deque>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/prng.h"
#include "raft/memory_storage.h"
#include "raft/storage.h"
#include "sim/trace/trace.h"
#include "sim/world/event_queue.h"

namespace raftsim::sim {

struct DiskOptions {
  int64_t write_us_min = 10;
  int64_t write_us_max = 100;
  int64_t sync_us_min = 10;
  int64_t sync_us_max = 200;
  bool torn_writes = false;
  int64_t reorder_us = 0;
  int64_t spike_ppm = 0;
  int64_t spike_us = 0;
};

class SimDisk final : public raft::LogStorage {
 public:
  // `node`: the owning node index (its events are crash-scoped to it).
  SimDisk(HostIndex node, EventQueue* queue, Tracer* tracer, Prng prng,
          DiskOptions options);

  // raft::LogStorage, over the written view.
  void Write(raft::WriteBatch batch, WriteDone done) override;
  absl::Status Compact(raft::Snapshot snapshot) override;
  raft::HardState hard_state() const override { return written_->hard_state(); }
  const raft::Snapshot& snapshot() const override {
    return written_->snapshot();
  }
  raft::LogIndex FirstIndex() const override { return written_->FirstIndex(); }
  raft::LogIndex LastIndex() const override { return written_->LastIndex(); }
  absl::StatusOr<raft::Term> TermAt(raft::LogIndex index) const override {
    return written_->TermAt(index);
  }
  absl::Status Entries(raft::LogIndex lo, raft::LogIndex hi, uint64_t max_bytes,
                       std::vector<raft::Entry>* out) const override {
    return written_->Entries(lo, hi, max_bytes, out);
  }
  raft::DurableState Load() const override { return written_->Load(); }

  // The node crashed: unsynced writes are lost (the oldest maybe torn) and
  // the written view becomes the durable state. Pending `done`s are
  // destroyed without being called. Completion events already queued are
  // the caller's to discard (EventQueue::Crash).
  void Crash();

  // Durability, for checkers: what a restart would load.
  const raft::MemoryStorage& durable() const { return *durable_; }
  raft::HardState durable_hard_state() const { return durable_->hard_state(); }
  raft::LogIndex durable_last_index() const { return durable_->LastIndex(); }
  size_t pending_writes() const { return pending_.size(); }

  // What this disk did, for the run's coverage (sim/coverage.h).
  struct Counters {
    uint64_t spikes = 0;         // Writes that took a latency spike.
    uint64_t late_notices = 0;   // Completions delivered after a delay.
    uint64_t lossy_crashes = 0;  // Crashes that lost unsynced writes.
    uint64_t torn_crashes = 0;   // Crashes that kept a torn prefix.
  };
  const Counters& counters() const { return counters_; }

  void set_options(const DiskOptions& options) { options_ = options; }

 private:
  struct Pending {
    raft::WriteBatch batch;
    WriteDone done;
  };
  void Complete();
  // Keeps a random valid prefix of the oldest pending write's entries.
  // Returns the number of entries kept.
  uint64_t Tear(const raft::WriteBatch& batch);

  HostIndex node_;
  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  DiskOptions options_;
  std::unique_ptr<raft::MemoryStorage> written_;
  std::unique_ptr<raft::MemoryStorage> durable_;
  std::deque<Pending> pending_;
  // Completion time of the newest pending write (completions are FIFO).
  int64_t last_completion_us_ = 0;
  Counters counters_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_DISK_H_
