// storage/wal_writer.h — the I/O side of the WAL: segment files, framing,
// rolls, checkpoints.
//
// Records are buffered and written with one pwrite per Sync (or roll), so
// a group of batches costs one write and one fdatasync. A roll syncs the
// full segment before the next one is created (a sealed segment is always
// durable, so corruption inside one is never a torn tail). A checkpoint
// writes the whole state to a new segment under a temporary name, syncs
// it, renames it into place, syncs the directory, and only then deletes
// the older segments (docs/storage.md, "Checkpoints").
//
// Used from the WAL's I/O context only; not thread-safe.

#ifndef RAFTSIM_STORAGE_WAL_WRITER_H_
#define RAFTSIM_STORAGE_WAL_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "raft/storage.h"
#include "storage/file_system.h"
#include "storage/record.h"

namespace raftsim::storage {

// "wal-00000000000000000007.log": the zero padding makes name order
// sequence order.
std::string SegmentName(uint64_t seq);
inline constexpr absl::string_view kTempSuffix = ".tmp";

struct WalWriterStats {
  uint64_t syncs = 0;  // fdatasync calls on segments.
  uint64_t bytes = 0;  // Bytes written to segments.
  uint64_t rolls = 0;  // Segments sealed because they were full.
  uint64_t checkpoints = 0;
  uint64_t segments_deleted = 0;
};

class WalWriter {
 public:
  // `live`: the segments recovery kept, oldest first; new segments start
  // at `next_seq`.
  WalWriter(FileSystem* fs, std::string dir, uint64_t segment_bytes,
            uint64_t next_seq, std::vector<uint64_t> live);

  // Creates a fresh segment, writes its header and makes both durable.
  absl::Status StartSegment();
  // Buffers one record, rolling first if it would overfill the segment.
  absl::Status Append(RecordType type, absl::string_view payload);
  // Writes what is buffered and fdatasyncs it (no-op when nothing is).
  absl::Status Sync();
  // Replaces everything with a checkpoint segment holding `state`, then
  // deletes the older segments. Buffered records are dropped: `state`
  // includes their effects.
  absl::Status Checkpoint(const raft::DurableState& state);

  const WalWriterStats& stats() const { return stats_; }

 private:
  absl::Status Flush();
  absl::Status Roll();
  absl::Status CreateSegment(uint64_t seq);
  std::string Path(uint64_t seq) const;

  FileSystem* fs_;
  std::string dir_;
  uint64_t segment_bytes_;
  uint64_t next_seq_;
  std::vector<uint64_t> live_;  // Oldest first; back() is the open one.
  std::unique_ptr<File> file_;  // The open segment (live_.back()).
  uint64_t file_size_ = 0;      // Bytes written to file_.
  std::string buffer_;          // Records not yet written to file_.
  bool dirty_ = false;          // Written to file_ since the last sync.
  WalWriterStats stats_;
};

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_WAL_WRITER_H_
