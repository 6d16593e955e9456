// sim/world/sim_fs.h — SimFileSystem: a deterministic storage::FileSystem
// with a page-cache model, for the WAL under simulation and in tests.
//
// Model (what it may do on a crash, and what it never does):
//   - Every file has a *current* view (what reads return) and a *durable*
//     one. Writes and truncations change the current view and are pending
//     until the file's Sync, which makes the whole current view durable.
//   - A directory's names (creations, renames, unlinks) are pending until
//     SyncDir of that directory. Directories themselves are durable as soon
//     as CreateDir returns.
//   - Crash() keeps, for each file independently, a prefix of its pending
//     writes drawn from the stream — so across files a later write may
//     survive while an earlier one is lost (reordering) — and with
//     torn_writes the first lost write may be *torn*: a prefix of its bytes,
//     cut at any byte, reaches the disk. For each directory it keeps a
//     prefix of the pending name operations. Files no durable name reaches
//     are gone. A write never survives in part somewhere in its middle, and
//     synced data never changes (except by CorruptByte).
//   - Sync and SyncDir fail (EIO, nothing made durable) with probability
//     sync_fail_ppm / 1e6. A write that would take the bytes held past
//     capacity_bytes fails with ResourceExhausted (ENOSPC).
//   - Fault injection by count: every mutating call (Open with kCreateNew,
//     Write, Sync, Truncate, Rename, Unlink, SyncDir, CreateDir) is op 1, 2,
//     ... FailOp(n, s) makes op n return `s` without effect; DieAtOp(n)
//     makes op n and every later call fail (the process died there) until
//     Crash().
//   - Crash() invalidates every open File (its calls fail afterwards) and
//     revives a dead file system.
//
// All randomness comes from the Prng passed in (a stream of the run's
// seed: sim/world/streams.h), so the same seed loses the same bytes.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_SIM_FS_H_
#define RAFTSIM_SIM_WORLD_SIM_FS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/prng.h"
#include "storage/file_system.h"

namespace raftsim::sim {

struct SimFsOptions {
  uint64_t capacity_bytes = std::numeric_limits<uint64_t>::max();
  uint64_t sync_fail_ppm = 0;
  bool torn_writes = true;
};

class SimFileSystem final : public storage::FileSystem {
 public:
  SimFileSystem(Prng prng, SimFsOptions options = {});
  ~SimFileSystem() override;

  SimFileSystem(const SimFileSystem&) = delete;
  SimFileSystem& operator=(const SimFileSystem&) = delete;

  absl::StatusOr<std::unique_ptr<storage::File>> Open(
      const std::string& path, storage::OpenMode mode) override;
  absl::Status Rename(const std::string& from, const std::string& to) override;
  absl::Status Unlink(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> List(
      const std::string& dir) override;
  absl::Status SyncDir(const std::string& dir) override;
  absl::Status CreateDir(const std::string& dir) override;

  // Loses what is not durable (see the model above) and revives.
  void Crash();

  // Mutating calls made so far (the next one is ops() + 1).
  uint64_t ops() const { return ops_; }
  void FailOp(uint64_t op, absl::Status status);
  void DieAtOp(uint64_t op) { die_at_ = op; }
  bool dead() const { return dead_; }

  void set_capacity_bytes(uint64_t bytes) { options_.capacity_bytes = bytes; }
  void set_sync_fail_ppm(uint64_t ppm) { options_.sync_fail_ppm = ppm; }
  // Bytes held by the files that have a current name.
  uint64_t used_bytes() const;

  // For tests: a file's views (nullopt when no such name).
  std::optional<std::string> CurrentContents(const std::string& path) const;
  std::optional<std::string> DurableContents(const std::string& path) const;
  // Flips bits (xor `mask`) of the byte at `offset` in both views, as
  // latent media corruption would. False when there is no such byte.
  bool CorruptByte(const std::string& path, uint64_t offset, uint8_t mask);

  // Internal (defined in sim_fs.cc).
  struct Inode;
  struct Dir;

 private:
  class SimFile;

  // Gate of every call: fails when dead or injected; counts mutating ones.
  absl::Status Enter(bool mutating);
  Dir* FindDir(const std::string& dir);
  const Dir* FindDir(const std::string& dir) const;
  std::shared_ptr<Inode> Lookup(const std::string& path) const;
  absl::Status MaybeFailSync(const std::string& what);
  absl::Status Reserve(const std::string& path, uint64_t grow_bytes);

  Prng prng_;
  SimFsOptions options_;
  std::map<std::string, std::unique_ptr<Dir>> dirs_;
  uint64_t epoch_ = 0;  // Bumped by Crash: older handles are stale.
  uint64_t ops_ = 0;
  uint64_t die_at_ = 0;  // 0: never.
  bool dead_ = false;
  std::map<uint64_t, absl::Status> fail_at_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_SIM_FS_H_
