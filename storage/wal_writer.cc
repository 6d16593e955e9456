// storage/wal_writer.cc — segment files, rolls and checkpoints.

#include "storage/wal_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"

namespace raftsim::storage {
namespace {

// Entries records in a checkpoint are cut at about this many payload bytes,
// so that no record grows with the log.
constexpr uint64_t kCheckpointChunkBytes = 1 << 20;

absl::Status Annotate(const absl::Status& s, absl::string_view what) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
}

void AppendEntriesChunked(const std::vector<raft::Entry>& entries,
                          std::string* out) {
  std::vector<raft::Entry> chunk;
  uint64_t bytes = 0;
  for (const raft::Entry& e : entries) {
    chunk.push_back(e);
    bytes += e.ByteSize();
    if (bytes >= kCheckpointChunkBytes) {
      AppendRecord(RecordType::kEntries, EncodeEntries(chunk), out);
      chunk.clear();
      bytes = 0;
    }
  }
  if (!chunk.empty()) {
    AppendRecord(RecordType::kEntries, EncodeEntries(chunk), out);
  }
}

}  // namespace

std::string SegmentName(uint64_t seq) {
  return absl::StrFormat("wal-%020d.log", seq);
}

WalWriter::WalWriter(FileSystem* fs, std::string dir, uint64_t segment_bytes,
                     uint64_t next_seq, std::vector<uint64_t> live)
    : fs_(fs),
      dir_(std::move(dir)),
      segment_bytes_(segment_bytes),
      next_seq_(next_seq),
      live_(std::move(live)) {
  CHECK(fs_ != nullptr);
  CHECK_GT(segment_bytes_, 0u);
}

std::string WalWriter::Path(uint64_t seq) const {
  return JoinPath(dir_, SegmentName(seq));
}

absl::Status WalWriter::CreateSegment(uint64_t seq) {
  auto file = fs_->Open(Path(seq), OpenMode::kCreateNew);
  if (!file.ok()) return Annotate(file.status(), "creating a WAL segment");
  file_ = std::move(*file);
  file_size_ = 0;
  dirty_ = false;
  live_.push_back(seq);
  AppendRecord(RecordType::kSegmentHeader, EncodeSegmentHeader(seq), &buffer_);
  return absl::OkStatus();
}

absl::Status WalWriter::StartSegment() {
  buffer_.clear();
  if (absl::Status s = CreateSegment(next_seq_++); !s.ok()) return s;
  if (absl::Status s = Sync(); !s.ok()) return s;
  return Annotate(fs_->SyncDir(dir_), "syncing the WAL directory");
}

absl::Status WalWriter::Append(RecordType type, absl::string_view payload) {
  CHECK(file_ != nullptr) << "WalWriter used before StartSegment";
  const uint64_t size = kRecordHeaderBytes + payload.size();
  const uint64_t used = file_size_ + buffer_.size();
  // A segment holds at least one record after its header, however large.
  const uint64_t header = kRecordHeaderBytes + EncodeSegmentHeader(0).size();
  if (used + size > segment_bytes_ && used > header) {
    if (absl::Status s = Roll(); !s.ok()) return s;
  }
  AppendRecord(type, payload, &buffer_);
  return absl::OkStatus();
}

absl::Status WalWriter::Flush() {
  if (buffer_.empty()) return absl::OkStatus();
  if (absl::Status s = file_->Write(file_size_, buffer_); !s.ok()) {
    return Annotate(s, "writing the WAL");
  }
  stats_.bytes += buffer_.size();
  file_size_ += buffer_.size();
  buffer_.clear();
  dirty_ = true;
  return absl::OkStatus();
}

absl::Status WalWriter::Sync() {
  if (absl::Status s = Flush(); !s.ok()) return s;
  if (!dirty_) return absl::OkStatus();
  ++stats_.syncs;
  if (absl::Status s = file_->Sync(); !s.ok()) {
    return Annotate(s, "syncing the WAL");
  }
  dirty_ = false;
  return absl::OkStatus();
}

// Seals the full segment (durable before the next one exists, so a crash
// can only ever tear the last segment) and opens the next.
absl::Status WalWriter::Roll() {
  if (absl::Status s = Sync(); !s.ok()) return s;
  ++stats_.rolls;
  if (absl::Status s = CreateSegment(next_seq_++); !s.ok()) return s;
  return Annotate(fs_->SyncDir(dir_), "syncing the WAL directory");
}

absl::Status WalWriter::Checkpoint(const raft::DurableState& state) {
  const uint64_t seq = next_seq_++;
  const std::string path = Path(seq);
  const std::string temp = absl::StrCat(path, kTempSuffix);
  std::string bytes;
  AppendRecord(RecordType::kSegmentHeader, EncodeSegmentHeader(seq), &bytes);
  AppendRecord(RecordType::kCheckpoint, EncodeSnapshot(state.snapshot), &bytes);
  AppendRecord(RecordType::kHardState, EncodeHardState(state.hard_state),
               &bytes);
  AppendEntriesChunked(state.entries, &bytes);

  auto file = fs_->Open(temp, OpenMode::kCreateNew);
  if (!file.ok()) return Annotate(file.status(), "creating a checkpoint");
  if (absl::Status s = (*file)->Write(0, bytes); !s.ok()) {
    return Annotate(s, "writing a checkpoint");
  }
  if (absl::Status s = (*file)->Sync(); !s.ok()) {
    return Annotate(s, "syncing a checkpoint");
  }
  if (absl::Status s = fs_->Rename(temp, path); !s.ok()) {
    return Annotate(s, "renaming a checkpoint into place");
  }
  if (absl::Status s = fs_->SyncDir(dir_); !s.ok()) {
    return Annotate(s, "syncing the WAL directory after a checkpoint");
  }
  // The checkpoint is durable: everything before it is obsolete.
  ++stats_.checkpoints;
  stats_.syncs += 1;
  stats_.bytes += bytes.size();
  std::vector<uint64_t> obsolete = std::move(live_);
  live_ = {seq};
  file_ = std::move(*file);
  file_size_ = bytes.size();
  buffer_.clear();
  dirty_ = false;
  for (uint64_t old : obsolete) {
    if (absl::Status s = fs_->Unlink(Path(old)); !s.ok()) {
      return Annotate(s, "deleting an obsolete WAL segment");
    }
    ++stats_.segments_deleted;
  }
  if (obsolete.empty()) return absl::OkStatus();
  return Annotate(fs_->SyncDir(dir_), "syncing the WAL directory");
}

}  // namespace raftsim::storage
