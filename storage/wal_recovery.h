// storage/wal_recovery.h — reading a WAL directory back at open.
//
// Rules (docs/storage.md, "Recovery"):
//   - Temporaries ("*.tmp": checkpoints that never got renamed) are deleted.
//   - Replay starts at the newest segment that begins with a checkpoint (or
//     at the oldest segment when none does); older segments are obsolete
//     and deleted. From there, sequence numbers must be consecutive.
//   - Every record's checksum is verified. A bad record (incomplete,
//     implausible length, checksum mismatch) at the end of the last
//     segment, with no intact record anywhere after it, is a torn tail:
//     data that was never acknowledged. It is truncated away.
//   - A bad record anywhere else — in a sealed segment, or followed by an
//     intact record — is corruption of synced data: recovery refuses, with
//     a DataLoss status naming the file and the byte offset.
//   - Every segment kept is fdatasync'd, and the directory synced, before
//     the WAL starts a new segment: after a process restart (no crash) the
//     log may hold writes whose sync failed or never ran, still only in the
//     page cache; sealing them unsynced would let a later crash empty a
//     sealed segment.
//   - An intact record that makes no sense (a bad header, a gap in the log,
//     terms going down) is refused the same way.
//
// Single-threaded; runs on the caller's thread before any write.

#ifndef RAFTSIM_STORAGE_WAL_RECOVERY_H_
#define RAFTSIM_STORAGE_WAL_RECOVERY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "raft/storage.h"
#include "storage/file_system.h"

namespace raftsim::storage {

// What recovery found and repaired, for logs and tests.
struct RecoveryReport {
  std::vector<std::string> replayed;  // Segment names, in replay order.
  std::vector<std::string> removed;   // Obsolete segments and temporaries.
  // The torn tail cut off the last segment, if any ("" for none).
  std::string truncated_file;
  uint64_t truncated_at = 0;     // Byte offset the file was cut to.
  uint64_t truncated_bytes = 0;  // How many bytes were cut.
  std::string Describe() const;
};

struct Recovered {
  raft::DurableState state;
  RecoveryReport report;
  std::vector<uint64_t> live;  // Segments kept, oldest first.
  uint64_t next_seq = 1;       // For the next segment created.
};

// Reads `dir` (creating it if absent), repairs a torn tail and removes
// obsolete files, and returns the state the log holds.
absl::StatusOr<Recovered> Recover(FileSystem* fs, const std::string& dir);

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_WAL_RECOVERY_H_
