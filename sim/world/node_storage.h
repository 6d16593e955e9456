// sim/world/node_storage.h — NodeStorage: where a simulated node keeps its
// log, behind one seam, so that a host can run on either:
//
//   - MemoryNodeStorage: the SimDisk model (sim/world/disk.h) — raft's
//     MemoryStorage with latency, unsynced writes lost or torn by a crash.
//   - WalNodeStorage: the production storage::WalStorage over a
//     SimFileSystem (sim/world/sim_fs.h). The WAL's drains run as disk
//     events of the node at simulated times (write + sync latency drawn
//     like SimDisk's); a crash goes through the file system's page-cache
//     crash (unsynced bytes lost, torn, reordered across files) and the
//     restart through the WAL's real recovery. During the fault phase a
//     sync fails with probability wal_sync_fail_ppm and a drain finds the
//     disk full with probability wal_full_ppm: the Server then stops on the
//     failed write (fail-stop) and the host crashes it and restarts it a
//     little later, as an operator's supervisor would. Recovery itself runs
//     without injected faults (a node that cannot recover would stay down;
//     the WAL's recovery under failing calls is storage/'s and
//     wal_sim_test's to test).
//
// Checkers read durable(): what a restart would load, as far as anyone
// was told. For the WAL that is the state of the acknowledged writes (a
// write is applied to it when its `done` says OK, a compaction with the
// next acknowledged write), and after a crash exactly what recovery loaded
// (which may hold more: unacknowledged writes that happened to survive).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_NODE_STORAGE_H_
#define RAFTSIM_SIM_WORLD_NODE_STORAGE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "base/prng.h"
#include "raft/memory_storage.h"
#include "raft/storage.h"
#include "sim/trace/trace.h"
#include "sim/world/disk.h"
#include "sim/world/event_queue.h"
#include "sim/world/sim_fs.h"
#include "storage/executor.h"
#include "storage/wal_storage.h"

namespace raftsim::sim {

// The `storage` option: 0 memory, 1 WAL, 2 mixed (odd host ids on the WAL).
enum class StorageKind : uint8_t { kMemory = 0, kWal = 1 };

class NodeStorage {
 public:
  virtual ~NodeStorage() = default;

  virtual StorageKind kind() const = 0;
  // The Server's storage for the next incarnation: called at each Start,
  // after Crash for a restart (the WAL recovers then).
  virtual raft::LogStorage* Open() = 0;
  // The node crashed (its Server is gone, its events discarded).
  virtual void Crash() = 0;

  // What a restart would load (see the header comment).
  virtual const raft::MemoryStorage& durable() const = 0;
  raft::HardState durable_hard_state() const { return durable().hard_state(); }
  raft::LogIndex durable_last_index() const { return durable().LastIndex(); }

  // Adds what this storage did to a run's coverage counts (sim/coverage.h).
  virtual void AddCoverage(std::vector<uint64_t>* counts) const = 0;
};

class MemoryNodeStorage final : public NodeStorage {
 public:
  MemoryNodeStorage(HostIndex node, EventQueue* queue, Tracer* tracer,
                    Prng prng, DiskOptions options)
      : disk_(node, queue, tracer, prng, options) {}

  StorageKind kind() const override { return StorageKind::kMemory; }
  raft::LogStorage* Open() override { return &disk_; }
  void Crash() override { disk_.Crash(); }
  const raft::MemoryStorage& durable() const override {
    return disk_.durable();
  }
  void AddCoverage(std::vector<uint64_t>* counts) const override;

  const SimDisk& disk() const { return disk_; }

 private:
  SimDisk disk_;
};

struct WalNodeOptions {
  uint64_t segment_bytes = 64 << 10;
  uint64_t sync_fail_ppm = 0;   // Per sync, during the fault phase.
  uint64_t full_ppm = 0;        // Per drain, during the fault phase.
  int64_t faults_until_us = 0;  // The heal: no storage faults after it.
  // Latency of one drain (write + sync), as SimDisk draws them.
  int64_t write_us_min = 10;
  int64_t write_us_max = 100;
  int64_t sync_us_min = 10;
  int64_t sync_us_max = 200;
  bool torn_writes = true;
  // Restart after a storage failure: [1, restart_ms_max] later.
  int64_t restart_ms_max = 50;
};

class WalNodeStorage final : public NodeStorage {
 public:
  // `prng`: the node's WAL stream (latencies, faults, the file system's
  // crash draws). `on_failure`: called (from a disk event) when a write
  // failed, with the delay drawn for the restart; the host stops the node
  // and restarts it that much later.
  WalNodeStorage(HostIndex node, EventQueue* queue, Tracer* tracer, Prng prng,
                 WalNodeOptions options,
                 std::function<void(int64_t restart_after_us)> on_failure);
  ~WalNodeStorage() override;

  StorageKind kind() const override { return StorageKind::kWal; }
  raft::LogStorage* Open() override;
  void Crash() override;
  const raft::MemoryStorage& durable() const override { return *durable_; }
  void AddCoverage(std::vector<uint64_t>* counts) const override;

  const SimFileSystem& fs() const { return fs_; }

  struct Counters {
    uint64_t torn_tails = 0;        // Recoveries that cut a torn tail.
    uint64_t rolls = 0;             // Segments sealed full.
    uint64_t segments_deleted = 0;  // After a checkpoint.
    uint64_t sync_failures = 0;     // Writes that failed with EIO.
    uint64_t disk_full = 0;         // Writes that failed with ENOSPC.
  };
  const Counters& counters() const { return counters_; }

 private:
  class Io;
  class Log;
  void Recover();
  void RunDrain(absl::AnyInvocable<void()> work);
  // A write or compaction not yet acknowledged.
  struct Pending {
    std::optional<raft::WriteBatch> batch;
    std::optional<raft::Snapshot> compact;
  };
  // CHECKs that recovery loaded the acknowledged state `acked` with a
  // prefix of `unacked` applied.
  void CheckRecovered(const raft::DurableState& acked,
                      const std::deque<Pending>& unacked);
  void Failed(const absl::Status& status);

  HostIndex node_;
  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  WalNodeOptions options_;
  std::function<void(int64_t)> on_failure_;
  SimFileSystem fs_;
  std::unique_ptr<Io> io_;
  std::unique_ptr<storage::WalStorage> wal_;
  std::unique_ptr<Log> log_;
  std::unique_ptr<raft::MemoryStorage> durable_;
  bool failed_ = false;        // This incarnation's storage failed.
  int64_t last_drain_us_ = 0;  // Drains run in submission order.
  Counters counters_;
  storage::WalWriterStats past_io_;  // Of the WALs before this one.
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_NODE_STORAGE_H_
