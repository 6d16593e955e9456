// raft/storage.h — the application's durable log, as the Raft host sees it.
//
// The Node never calls storage (STYLE: push I/O out): its host writes each
// Ready's batch here and reads the durable state back on restart. Writes
// may complete asynchronously: `Write` queues a batch and calls `done` once
// the batch is durable. Batches take effect, and become durable, in call
// order (a batch is never durable before an earlier one). The `done`
// callbacks may arrive out of call order, as from a pool of I/O threads:
// raft::Server reports writes durable to the Node only as a completed
// prefix, so a late `done` holds back the later ones (the simulator's disk
// draws such orders).
//
// Implementations in tree: MemoryStorage (synchronous; used by examples,
// benchmarks, and the simulator's disk model, which adds latency, pending
// unsynced writes and crash loss on top). docs/storage.md is the guide for
// writing your own.
//
// Threading: implementation-defined; MemoryStorage is single-threaded.

#ifndef RAFTSIM_RAFT_STORAGE_H_
#define RAFTSIM_RAFT_STORAGE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "raft/entry.h"
#include "raft/types.h"

namespace raftsim::raft {

// Everything a node is rebuilt from on restart: hard state, the snapshot
// point (and its data), and the entries after it.
// Invariant: entries are contiguous and start at snapshot.meta.index + 1.
struct DurableState {
  HardState hard_state;
  Snapshot snapshot;
  std::vector<Entry> entries;
};

// One Ready's writes, applied in this order: snapshot (replaces the log up
// to its index, discarding entries it covers or that conflict with it),
// entries (the log is first truncated from entries.front().index if it
// already holds that index), hard state.
struct WriteBatch {
  std::optional<Snapshot> snapshot;
  std::vector<Entry> entries;
  std::optional<HardState> hard_state;

  bool Empty() const { return !snapshot && entries.empty() && !hard_state; }
};

class LogStorage {
 public:
  // Called once the batch is durable (or with an error: the host must then
  // stop the node; Raft cannot continue past a failed write).
  using WriteDone = std::function<void(absl::Status)>;

  virtual ~LogStorage() = default;

  // Queues `batch`; see WriteBatch for the order of effects.
  // REQUIRES: entries are contiguous and entries.front().index <=
  // LastIndex() + 1 (after the snapshot, if any, is applied).
  virtual void Write(WriteBatch batch, WriteDone done) = 0;

  // Discards entries up to and including `index`, recording `snapshot` as
  // the new snapshot point. REQUIRES: index <= LastIndex(), snapshot index
  // == index. Returns FailedPrecondition if index is already compacted.
  virtual absl::Status Compact(Snapshot snapshot) = 0;

  // Reads of what has been written (not necessarily durable yet).
  virtual HardState hard_state() const = 0;
  virtual const Snapshot& snapshot() const = 0;
  // snapshot().meta.index + 1.
  virtual LogIndex FirstIndex() const = 0;
  // The last index held; snapshot index when the log is empty.
  virtual LogIndex LastIndex() const = 0;
  // Term of entry `index`; the snapshot term at the snapshot index.
  // OutOfRange when index < snapshot index (compacted) or > LastIndex().
  virtual absl::StatusOr<Term> TermAt(LogIndex index) const = 0;
  // Appends entries [lo, hi) to `out`, stopping early once `max_bytes`
  // (Entry::ByteSize) would be exceeded, but always at least one entry.
  // OutOfRange when lo < FirstIndex() or hi > LastIndex() + 1.
  virtual absl::Status Entries(LogIndex lo, LogIndex hi, uint64_t max_bytes,
                               std::vector<Entry>* out) const = 0;

  // Everything needed to rebuild a node (restart is construction).
  virtual DurableState Load() const = 0;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_STORAGE_H_
