// storage/wal_storage.h — WalStorage: raft::LogStorage as a segmented
// write-ahead log on a FileSystem.
//
// Every Write is applied at once to an in-memory copy of the log (what the
// reads return: "what has been written", as LogStorage says) and queued
// for the I/O executor. The executor's drain writes everything queued
// since the previous drain — entries and hard-state records, checkpoints
// for snapshots and compactions — and calls fdatasync once (group commit).
// Then each batch's `done` is handed, in call order, to the owner's Poster,
// which runs it on the owner's thread.
//
//   - An OK `done` means the batch is durable.
//   - The first I/O error (a failed write, sync, rename, a full disk) fails
//     the batches of that drain and every later one, with that error: the
//     host must stop the node. A failed Compact is reported the same way,
//     on the next Write's `done` (Compact itself returns only the
//     in-memory result). io_status() shows the error at once.
//   - Compact and snapshot-carrying Writes write a checkpoint segment (the
//     snapshot, the hard state and the entries after the snapshot); once it
//     is durable, every older segment is deleted.
//
// Open() recovers the directory first (storage/wal_recovery.h): a torn
// tail is cut off, corruption inside the synced log refuses to start with a
// DataLoss status naming the file and the byte offset.
//
// Misuse (a batch that violates the LogStorage REQUIREs) fails a CHECK, as
// in MemoryStorage; bytes from disk never do.
//
// Threading: Write, Compact and the reads are called from one thread (the
// owner's: the Server's runtime). The drain runs on the executor; `done`
// callbacks run wherever the Poster puts them. The FileSystem, executor and
// Poster must outlive all submitted work. Under InlineExecutor or
// ManualExecutor and an inline Poster everything runs on one thread,
// deterministically.

#ifndef RAFTSIM_STORAGE_WAL_STORAGE_H_
#define RAFTSIM_STORAGE_WAL_STORAGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "raft/memory_storage.h"
#include "raft/storage.h"
#include "storage/executor.h"
#include "storage/file_system.h"
#include "storage/wal_recovery.h"
#include "storage/wal_writer.h"

namespace raftsim::storage {

struct WalOptions {
  std::string dir;  // Holds the segments; created if absent.
  // A segment is sealed and a new one started once the next record would
  // take it past this size (a single larger record gets a segment alone).
  uint64_t segment_bytes = 64 << 20;
};

// Hands a completion to the owner's thread. Null: run it where it is (on
// the I/O context).
using Poster = std::function<void(absl::AnyInvocable<void()>)>;

struct WalStats {
  uint64_t writes = 0;  // Write calls.
  uint64_t drains = 0;  // Group commits.
  WalWriterStats io;
};

class WalStorage final : public raft::LogStorage {
 public:
  static absl::StatusOr<std::unique_ptr<WalStorage>> Open(FileSystem* fs,
                                                          IoExecutor* io,
                                                          Poster post,
                                                          WalOptions options);
  ~WalStorage() override;

  WalStorage(const WalStorage&) = delete;
  WalStorage& operator=(const WalStorage&) = delete;

  void Write(raft::WriteBatch batch, WriteDone done) override;
  absl::Status Compact(raft::Snapshot snapshot) override;

  raft::HardState hard_state() const override { return mem_.hard_state(); }
  const raft::Snapshot& snapshot() const override { return mem_.snapshot(); }
  raft::LogIndex FirstIndex() const override { return mem_.FirstIndex(); }
  raft::LogIndex LastIndex() const override { return mem_.LastIndex(); }
  absl::StatusOr<raft::Term> TermAt(raft::LogIndex index) const override {
    return mem_.TermAt(index);
  }
  absl::Status Entries(raft::LogIndex lo, raft::LogIndex hi, uint64_t max_bytes,
                       std::vector<raft::Entry>* out) const override {
    return mem_.Entries(lo, hi, max_bytes, out);
  }
  raft::DurableState Load() const override { return mem_.Load(); }

  // The first I/O error (sticky), or OK.
  absl::Status io_status() const;
  WalStats stats() const;
  const RecoveryReport& recovery() const { return recovery_; }

 private:
  class Core;
  WalStorage(std::shared_ptr<Core> core, raft::DurableState state,
             RecoveryReport report);

  std::shared_ptr<Core> core_;  // Shared with queued drains.
  raft::MemoryStorage mem_;     // The written view; owner's thread only.
  RecoveryReport recovery_;
};

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_WAL_STORAGE_H_
