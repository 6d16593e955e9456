// storage/wal_recovery.cc — scan, verify and replay the segments; repair a
// torn tail.

#include "storage/wal_recovery.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "storage/record.h"
#include "storage/wal_writer.h"

namespace raftsim::storage {
namespace {

std::optional<uint64_t> ParseSegmentName(absl::string_view name) {
  constexpr absl::string_view kPrefix = "wal-";
  constexpr absl::string_view kSuffix = ".log";
  if (name.size() != kPrefix.size() + 20 + kSuffix.size() ||
      !absl::StartsWith(name, kPrefix) || !absl::EndsWith(name, kSuffix)) {
    return std::nullopt;
  }
  const absl::string_view digits = name.substr(kPrefix.size(), 20);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  uint64_t seq;
  if (!absl::SimpleAtoi(digits, &seq)) return std::nullopt;
  return seq;
}

absl::StatusOr<std::string> ReadAll(FileSystem* fs, const std::string& path) {
  auto file = fs->Open(path, OpenMode::kOpenExisting);
  if (!file.ok()) return file.status();
  auto size = (*file)->Size();
  if (!size.ok()) return size.status();
  std::string data;
  while (data.size() < *size) {
    auto chunk = (*file)->Read(data.size(), *size - data.size());
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) {
      return absl::DataLossError(absl::StrCat(path, ": short read at byte ",
                                              data.size(), " of ", *size));
    }
    data.append(*chunk);
  }
  return data;
}

absl::Status CorruptAt(const std::string& path, uint64_t offset,
                       absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, " at byte offset ", offset,
                                          ": ", what,
                                          "; refusing to start the WAL"));
}

// Whether the segment's first records are its header and a checkpoint: a
// hint only (read from the first bytes; the full scan verifies it).
bool StartsWithCheckpoint(absl::string_view data) {
  ParsedRecord header;
  if (ParseFrame(data, &header) != FrameResult::kOk ||
      header.type != RecordType::kSegmentHeader) {
    return false;
  }
  const size_t type_at = header.size + kRecordHeaderBytes - 1;
  return data.size() > type_at &&
         static_cast<RecordType>(data[type_at]) == RecordType::kCheckpoint;
}

bool KnownType(char type) {
  return type >= static_cast<char>(RecordType::kSegmentHeader) &&
         type <= static_cast<char>(RecordType::kBatch);
}

// Some intact record starts somewhere after `offset`. First where the bad
// record's own length says the next one starts (a damaged payload: found at
// once), then at every byte, skipping candidates whose type or length
// cannot be right before paying for a checksum.
std::optional<uint64_t> IntactRecordAfter(absl::string_view data,
                                          uint64_t offset) {
  ParsedRecord r;
  if (data.size() - offset >= kRecordHeaderBytes) {
    const auto* p =
        reinterpret_cast<const unsigned char*>(data.data()) + offset;
    const uint64_t length = uint64_t{p[0]} | uint64_t{p[1]} << 8 |
                            uint64_t{p[2]} << 16 | uint64_t{p[3]} << 24;
    const uint64_t next = offset + kRecordHeaderBytes + length;
    if (next < data.size() &&
        ParseFrame(data.substr(next), &r) == FrameResult::kOk) {
      return next;
    }
  }
  for (uint64_t p = offset + 1; p + kRecordHeaderBytes <= data.size(); ++p) {
    if (!KnownType(data[p + kRecordHeaderBytes - 1])) continue;
    if (ParseFrame(data.substr(p), &r) == FrameResult::kOk) return p;
  }
  return std::nullopt;
}

// The log as the records rebuild it. Validates every record before it
// takes effect: bytes from disk never reach a CHECK.
class Replayer {
 public:
  void Checkpoint(raft::Snapshot snapshot) {
    state_ = raft::DurableState{};
    state_.snapshot = std::move(snapshot);
  }
  void HardState(raft::HardState hs) { state_.hard_state = hs; }

  // Entries with the truncation rule of LogStorage::Write.
  absl::Status Entries(std::vector<raft::Entry> entries) {
    const LogIndex first_held = state_.snapshot.meta.index + 1;
    const LogIndex last_held =
        state_.snapshot.meta.index + state_.entries.size();
    const LogIndex first = entries.front().index;
    if (first < first_held || first > last_held + 1) {
      return absl::DataLossError(absl::StrCat(
          "entries start at ", first.Describe(), " but the log holds [",
          first_held.Describe(), ", ", last_held.Describe(), "]"));
    }
    state_.entries.resize(first - first_held);
    Term prev = state_.entries.empty() ? state_.snapshot.meta.term
                                       : state_.entries.back().term;
    LogIndex expected = first;
    for (raft::Entry& e : entries) {
      if (e.index != expected) {
        return absl::DataLossError(absl::StrCat("entry ", e.index.Describe(),
                                                " where ", expected.Describe(),
                                                " was due"));
      }
      if (e.term < prev) {
        return absl::DataLossError(
            absl::StrCat("term goes down at ", e.index.Describe()));
      }
      prev = e.term;
      ++expected;
      state_.entries.push_back(std::move(e));
    }
    return absl::OkStatus();
  }

  raft::DurableState Take() { return std::move(state_); }

 private:
  raft::DurableState state_;
};

// Applies one intact record; `index` counts records in the segment.
absl::Status ApplyRecord(const ParsedRecord& r, size_t index, uint64_t seq,
                         bool first_segment, Replayer* replay) {
  if (index == 0) {
    if (r.type != RecordType::kSegmentHeader) {
      return absl::DataLossError("segment does not start with its header");
    }
    auto got = DecodeSegmentHeader(r.payload);
    if (!got.ok()) return absl::DataLossError(got.status().message());
    if (*got != seq) {
      return absl::DataLossError(absl::StrCat("header names segment ", *got));
    }
    return absl::OkStatus();
  }
  switch (r.type) {
    case RecordType::kSegmentHeader:
      return absl::DataLossError("a second segment header");
    case RecordType::kCheckpoint: {
      if (index != 1 || !first_segment) {
        return absl::DataLossError("a checkpoint not at a segment's start");
      }
      auto snapshot = DecodeSnapshot(r.payload);
      if (!snapshot.ok())
        return absl::DataLossError(snapshot.status().message());
      replay->Checkpoint(std::move(*snapshot));
      return absl::OkStatus();
    }
    case RecordType::kHardState: {
      auto hs = DecodeHardState(r.payload);
      if (!hs.ok()) return absl::DataLossError(hs.status().message());
      replay->HardState(*hs);
      return absl::OkStatus();
    }
    case RecordType::kBatch: {
      auto batch = DecodeBatch(r.payload);
      if (!batch.ok()) return absl::DataLossError(batch.status().message());
      if (!batch->entries.empty()) {
        if (absl::Status s = replay->Entries(std::move(batch->entries));
            !s.ok()) {
          return s;
        }
      }
      if (batch->hard_state) replay->HardState(*batch->hard_state);
      return absl::OkStatus();
    }
    case RecordType::kEntries: {
      auto entries = DecodeEntries(r.payload);
      if (!entries.ok()) return absl::DataLossError(entries.status().message());
      return replay->Entries(std::move(*entries));
    }
  }
  return absl::DataLossError(
      absl::StrCat("unknown record type ", static_cast<int>(r.type)));
}

// Scans and replays one segment; returns the length of its intact prefix.
absl::StatusOr<uint64_t> ReplaySegment(const std::string& path,
                                       absl::string_view data, uint64_t seq,
                                       bool first, bool last,
                                       Replayer* replay) {
  uint64_t offset = 0;
  size_t index = 0;
  while (offset < data.size()) {
    ParsedRecord r;
    const FrameResult got = ParseFrame(data.substr(offset), &r);
    if (got != FrameResult::kOk) {
      if (!last) {
        return CorruptAt(path, offset,
                         absl::StrCat(FrameResultName(got),
                                      " in a sealed (synced) segment"));
      }
      if (auto next = IntactRecordAfter(data, offset)) {
        return CorruptAt(path, offset,
                         absl::StrCat(FrameResultName(got),
                                      ", followed by an intact record at "
                                      "byte offset ",
                                      *next));
      }
      return offset;  // A torn tail.
    }
    if (absl::Status s = ApplyRecord(r, index, seq, first, replay); !s.ok()) {
      return CorruptAt(path, offset, s.message());
    }
    offset += r.size;
    ++index;
  }
  if (index == 0 && !last) {
    return CorruptAt(path, 0, "a sealed segment with no records");
  }
  return offset;
}

}  // namespace

std::string RecoveryReport::Describe() const {
  std::string out =
      absl::StrCat("replayed [", absl::StrJoin(replayed, " "), "] removed [",
                   absl::StrJoin(removed, " "), "]");
  if (!truncated_file.empty()) {
    absl::StrAppend(&out, " truncated ", truncated_file, " at ", truncated_at,
                    " (", truncated_bytes, " bytes)");
  }
  return out;
}

absl::StatusOr<Recovered> Recover(FileSystem* fs, const std::string& dir) {
  if (absl::Status s = fs->CreateDir(dir); !s.ok()) return s;
  auto names = fs->List(dir);
  if (!names.ok()) return names.status();
  Recovered out;
  std::vector<uint64_t> seqs;  // Ascending: List is sorted, names padded.
  for (const std::string& name : *names) {
    if (absl::EndsWith(name, kTempSuffix)) {
      if (absl::Status s = fs->Unlink(JoinPath(dir, name)); !s.ok()) return s;
      out.report.removed.push_back(name);
    } else if (auto seq = ParseSegmentName(name)) {
      seqs.push_back(*seq);
    }
  }
  // Replay from the newest checkpoint.
  size_t start = 0;
  for (size_t i = seqs.size(); i-- > 0;) {
    const std::string path = JoinPath(dir, SegmentName(seqs[i]));
    auto file = fs->Open(path, OpenMode::kOpenExisting);
    if (!file.ok()) return file.status();
    auto head = (*file)->Read(0, 64);
    if (!head.ok()) return head.status();
    if (StartsWithCheckpoint(*head)) {
      start = i;
      break;
    }
  }
  for (size_t i = 0; i < start; ++i) {
    const std::string name = SegmentName(seqs[i]);
    if (absl::Status s = fs->Unlink(JoinPath(dir, name)); !s.ok()) return s;
    out.report.removed.push_back(name);
  }
  Replayer replay;
  for (size_t i = start; i < seqs.size(); ++i) {
    const std::string name = SegmentName(seqs[i]);
    const std::string path = JoinPath(dir, name);
    if (i > start && seqs[i] != seqs[i - 1] + 1) {
      return absl::DataLossError(absl::StrCat(
          "WAL segment ", SegmentName(seqs[i - 1] + 1), " is missing from ",
          dir, "; refusing to start the WAL"));
    }
    auto data = ReadAll(fs, path);
    if (!data.ok()) return data.status();
    const bool last = i + 1 == seqs.size();
    auto valid = ReplaySegment(path, *data, seqs[i], i == start, last, &replay);
    if (!valid.ok()) return valid.status();
    out.report.replayed.push_back(name);
    if (*valid > 0 && *valid == data->size()) {
      // What was read may be only in the page cache (the process died, the
      // machine did not): make it durable before a new segment seals it.
      auto file = fs->Open(path, OpenMode::kOpenExisting);
      if (!file.ok()) return file.status();
      if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
      out.live.push_back(seqs[i]);
      continue;
    }
    if (data->size() > *valid) {
      out.report.truncated_file = name;
      out.report.truncated_at = *valid;
      out.report.truncated_bytes = data->size() - *valid;
    }
    if (*valid == 0) {  // Not even its header survived: drop the file.
      if (absl::Status s = fs->Unlink(path); !s.ok()) return s;
      out.report.removed.push_back(name);
      continue;
    }
    auto file = fs->Open(path, OpenMode::kOpenExisting);
    if (!file.ok()) return file.status();
    if (absl::Status s = (*file)->Truncate(*valid); !s.ok()) return s;
    if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
    out.live.push_back(seqs[i]);
  }
  // Also makes durable the names of segments whose creation was never
  // followed by a directory sync.
  if (absl::Status s = fs->SyncDir(dir); !s.ok()) return s;
  out.next_seq = out.live.empty() ? (seqs.empty() ? 1 : seqs.back() + 1)
                                  : out.live.back() + 1;
  out.state = replay.Take();
  return out;
}

}  // namespace raftsim::storage
