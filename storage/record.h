// storage/record.h — the WAL's record framing and the payload codecs.
//
// Every record on disk is
//
//   u32 length     payload bytes (little-endian)
//   u32 crc        masked CRC-32C of the type byte and the payload
//   u8  type       RecordType
//   payload        `length` bytes
//
// so a reader can tell a complete, intact record from a torn or corrupt one
// without trusting anything in it. Payload layouts are in docs/storage.md.
//
// Decoding never trusts its input: every error is a Status (the caller adds
// the file name and offset); nothing here CHECKs on bytes from disk.
//
// Pure functions; thread-safe.

#ifndef RAFTSIM_STORAGE_RECORD_H_
#define RAFTSIM_STORAGE_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "raft/entry.h"
#include "raft/storage.h"
#include "raft/types.h"

namespace raftsim::storage {

enum class RecordType : uint8_t {
  // First record of every segment: magic and the segment's sequence number.
  kSegmentHeader = 1,
  // Entries appended at their indexes, truncating the log from the first
  // one's index if the log already holds it.
  kEntries = 2,
  // The hard state, replacing the previous one.
  kHardState = 3,
  // A checkpoint: the snapshot (meta and data) that replaces the whole
  // state; the hard state and the live entries follow as their own
  // records. Only ever the second record of a segment.
  kCheckpoint = 4,
  // One Write: its entries (possibly none) and its hard state (optional),
  // in one record so that a torn write loses the batch whole — a restart
  // never sees a batch's entries without its hard state (entries of a term
  // above the stored one) or its hard state without its entries (a commit
  // index past the log).
  kBatch = 5,
};

inline constexpr size_t kRecordHeaderBytes = 9;
// Bounds a length field read from disk before anything is allocated.
inline constexpr uint32_t kMaxRecordPayloadBytes = 1u << 30;
inline constexpr absl::string_view kSegmentMagic = "raftwal1";

// Appends one framed record to `out`.
// REQUIRES: payload.size() <= kMaxRecordPayloadBytes.
void AppendRecord(RecordType type, absl::string_view payload, std::string* out);

// One record parsed out of a buffer.
struct ParsedRecord {
  RecordType type;
  absl::string_view payload;  // Points into the scanned buffer.
  size_t size;                // Header plus payload.
};

enum class FrameResult {
  kOk,
  kIncomplete,   // The buffer ends inside the header or the payload.
  kBadLength,    // Length beyond kMaxRecordPayloadBytes.
  kBadChecksum,  // Checksum mismatch (type or payload changed).
};
absl::string_view FrameResultName(FrameResult result);

// Parses the record at the start of `data` into `*out` (on kOk).
FrameResult ParseFrame(absl::string_view data, ParsedRecord* out);

// Payload codecs. Decode* return InvalidArgument on malformed payloads.
std::string EncodeSegmentHeader(uint64_t seq);
absl::StatusOr<uint64_t> DecodeSegmentHeader(absl::string_view payload);

std::string EncodeEntries(const std::vector<raft::Entry>& entries);
absl::StatusOr<std::vector<raft::Entry>> DecodeEntries(
    absl::string_view payload);

// An optional hard state, then the entries.
std::string EncodeBatch(const std::optional<raft::HardState>& hs,
                        const std::vector<raft::Entry>& entries);
struct DecodedBatch {
  std::optional<raft::HardState> hard_state;
  std::vector<raft::Entry> entries;
};
absl::StatusOr<DecodedBatch> DecodeBatch(absl::string_view payload);

std::string EncodeHardState(const raft::HardState& hs);
absl::StatusOr<raft::HardState> DecodeHardState(absl::string_view payload);

std::string EncodeSnapshot(const raft::Snapshot& snapshot);
absl::StatusOr<raft::Snapshot> DecodeSnapshot(absl::string_view payload);

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_RECORD_H_
