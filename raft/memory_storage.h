// raft/memory_storage.h — LogStorage held in memory.
//
// The in-tree LogStorage: used by examples, benchmarks and, under the
// simulator's disk model (which adds latency and crash loss on top), by every
// simulated node. Writes complete synchronously: Write() applies the batch
// and calls `done` before it returns.
//
// Layout: the snapshot point, then the entries after it in one std::vector
// whose live part starts at `begin_`. Compaction advances `begin_` and
// reclaims the dead prefix once it is at least half the vector, so
// compaction costs amortized O(compacted entries) and appends amortized O(1)
// per entry with no allocation once the vector has grown to its working size.
//
// Misuse (a batch that violates the LogStorage REQUIREs) is a bug in the
// host, not bad input: it fails a CHECK.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_MEMORY_STORAGE_H_
#define RAFTSIM_RAFT_MEMORY_STORAGE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "raft/entry.h"
#include "raft/storage.h"
#include "raft/types.h"

namespace raftsim::raft {

class MemoryStorage final : public LogStorage {
 public:
  // Starts from `initial` (e.g. what another storage's Load() returned).
  // REQUIRES: initial.entries are contiguous from snapshot index + 1, with
  // non-decreasing terms not below the snapshot term.
  explicit MemoryStorage(DurableState initial = {});

  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  // Applies `batch` (snapshot, entries, hard state; see WriteBatch) and then
  // calls done(OkStatus()) if `done` is set.
  // REQUIRES (CHECKed): a snapshot is not older than the current one (an
  //   equal index must carry the equal term); entries are contiguous, have
  //   non-decreasing terms, and FirstIndex() <= entries.front().index <=
  //   LastIndex() + 1, with a term not below that of the entry before it.
  void Write(WriteBatch batch, WriteDone done) override;

  // REQUIRES (CHECKed): snapshot.meta.index <= LastIndex() and, when not
  // already compacted, snapshot.meta.term == TermAt(snapshot.meta.index).
  // Returns FailedPrecondition when snapshot.meta.index <= the current
  // snapshot index.
  absl::Status Compact(Snapshot snapshot) override;

  HardState hard_state() const override { return hard_state_; }
  const Snapshot& snapshot() const override { return snapshot_; }
  LogIndex FirstIndex() const override { return snapshot_.meta.index + 1; }
  LogIndex LastIndex() const override {
    return snapshot_.meta.index + entry_count();
  }
  absl::StatusOr<Term> TermAt(LogIndex index) const override;
  // Also InvalidArgument when lo > hi. Appends nothing when lo == hi.
  absl::Status Entries(LogIndex lo, LogIndex hi, uint64_t max_bytes,
                       std::vector<Entry>* out) const override;
  DurableState Load() const override;

  // Entries held after the snapshot point.
  size_t entry_count() const { return entries_.size() - begin_; }
  // Sum of Entry::ByteSize() over the entries held (not the snapshot).
  uint64_t bytes() const { return bytes_; }

 private:
  // The entry at `index`. REQUIRES: FirstIndex() <= index <= LastIndex().
  const Entry& At(LogIndex index) const;
  // Installs `snapshot`, keeping the entries after it only when the log
  // holds its index with its term (etcd's raftLog.restore / ApplySnapshot).
  void ApplySnapshot(Snapshot snapshot);
  // Truncates from entries.front().index if held, then appends.
  void AppendEntries(std::vector<Entry> entries);
  // Drops the first `count` live entries.
  void DropFront(size_t count);
  // Drops live entries from `index` on.
  void TruncateFrom(LogIndex index);

  HardState hard_state_;
  Snapshot snapshot_;
  // entries_[begin_ + k] is the entry at snapshot index + 1 + k; entries_
  // before begin_ are dead (moved-from, payload released).
  // Invariant: begin_ <= entries_.size(); live entries are contiguous and
  // their terms are non-decreasing and >= snapshot_.meta.term.
  std::vector<Entry> entries_;
  size_t begin_ = 0;
  uint64_t bytes_ = 0;  // Invariant: TotalBytes of the live entries.
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_MEMORY_STORAGE_H_
