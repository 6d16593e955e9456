// storage/record.cc — record framing and payload codecs (little-endian,
// fixed width; layouts in docs/storage.md).

#include "storage/record.h"

#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "storage/crc32c.h"

namespace raftsim::storage {
namespace {

void PutU8(uint8_t v, std::string* out) {
  out->push_back(static_cast<char>(v));
}

void PutU32(uint32_t v, std::string* out) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 4);
}

void PutU64(uint64_t v, std::string* out) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 8);
}

uint32_t LoadU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t LoadU64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Reads fixed-width fields off the front of a payload; every getter fails
// (returns false) rather than read past the end.
class Reader {
 public:
  explicit Reader(absl::string_view data) : data_(data) {}

  bool U8(uint8_t* v) {
    if (data_.size() < 1) return false;
    *v = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool U32(uint32_t* v) {
    if (data_.size() < 4) return false;
    *v = LoadU32(data_.data());
    data_.remove_prefix(4);
    return true;
  }
  bool U64(uint64_t* v) {
    if (data_.size() < 8) return false;
    *v = LoadU64(data_.data());
    data_.remove_prefix(8);
    return true;
  }
  bool Bytes(uint64_t n, absl::string_view* v) {
    if (data_.size() < n) return false;
    *v = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }
  bool Done() const { return data_.empty(); }
  size_t remaining() const { return data_.size(); }

 private:
  absl::string_view data_;
};

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed ", what));
}

void PutIds(const std::vector<NodeId>& ids, std::string* out) {
  PutU32(static_cast<uint32_t>(ids.size()), out);
  for (NodeId id : ids) PutU64(id.value(), out);
}

bool GetIds(Reader* r, std::vector<NodeId>* ids) {
  uint32_t n;
  if (!r->U32(&n) || n > r->remaining() / 8) return false;
  ids->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t v;
    if (!r->U64(&v)) return false;
    ids->push_back(NodeId(v));
  }
  return true;
}

uint32_t RecordCrc(RecordType type, absl::string_view payload) {
  const char t = static_cast<char>(type);
  return crc32c::Mask(
      crc32c::Extend(crc32c::Value(absl::string_view(&t, 1)), payload));
}

}  // namespace

void AppendRecord(RecordType type, absl::string_view payload,
                  std::string* out) {
  CHECK_LE(payload.size(), kMaxRecordPayloadBytes);
  PutU32(static_cast<uint32_t>(payload.size()), out);
  PutU32(RecordCrc(type, payload), out);
  PutU8(static_cast<uint8_t>(type), out);
  out->append(payload.data(), payload.size());
}

absl::string_view FrameResultName(FrameResult result) {
  switch (result) {
    case FrameResult::kOk:
      return "ok";
    case FrameResult::kIncomplete:
      return "incomplete record";
    case FrameResult::kBadLength:
      return "implausible record length";
    case FrameResult::kBadChecksum:
      return "checksum mismatch";
  }
  return "unknown";
}

FrameResult ParseFrame(absl::string_view data, ParsedRecord* out) {
  if (data.size() < kRecordHeaderBytes) return FrameResult::kIncomplete;
  const uint32_t length = LoadU32(data.data());
  if (length > kMaxRecordPayloadBytes) return FrameResult::kBadLength;
  if (data.size() - kRecordHeaderBytes < length) {
    return FrameResult::kIncomplete;
  }
  const uint32_t crc = LoadU32(data.data() + 4);
  const auto type = static_cast<RecordType>(data[8]);
  const absl::string_view payload = data.substr(kRecordHeaderBytes, length);
  if (RecordCrc(type, payload) != crc) return FrameResult::kBadChecksum;
  *out = ParsedRecord{
      .type = type, .payload = payload, .size = kRecordHeaderBytes + length};
  return FrameResult::kOk;
}

std::string EncodeSegmentHeader(uint64_t seq) {
  std::string out(kSegmentMagic);
  PutU64(seq, &out);
  return out;
}

absl::StatusOr<uint64_t> DecodeSegmentHeader(absl::string_view payload) {
  Reader r(payload);
  absl::string_view magic;
  uint64_t seq;
  if (!r.Bytes(kSegmentMagic.size(), &magic) || magic != kSegmentMagic ||
      !r.U64(&seq) || !r.Done()) {
    return Malformed("segment header (not a raftsim WAL segment?)");
  }
  return seq;
}

std::string EncodeEntries(const std::vector<raft::Entry>& entries) {
  std::string out;
  uint64_t bytes = 4;
  for (const raft::Entry& e : entries) bytes += 21 + e.payload.size();
  out.reserve(bytes);
  PutU32(static_cast<uint32_t>(entries.size()), &out);
  for (const raft::Entry& e : entries) {
    PutU64(e.index.value(), &out);
    PutU64(e.term.value(), &out);
    PutU8(static_cast<uint8_t>(e.kind), &out);
    PutU32(static_cast<uint32_t>(e.payload.size()), &out);
    out.append(e.payload.view());
  }
  return out;
}

namespace {

absl::StatusOr<std::vector<raft::Entry>> DecodeEntriesImpl(
    absl::string_view payload, bool allow_empty) {
  Reader r(payload);
  uint32_t n;
  // 21 bytes is the smallest encoded entry: bounds the reservation.
  if (!r.U32(&n) || (n == 0 && !allow_empty) || n > r.remaining() / 21) {
    return Malformed("entries record (count)");
  }
  std::vector<raft::Entry> entries;
  entries.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t index;
    uint64_t term;
    uint8_t kind;
    uint32_t size;
    absl::string_view data;
    if (!r.U64(&index) || !r.U64(&term) || !r.U8(&kind) || !r.U32(&size) ||
        !r.Bytes(size, &data)) {
      return Malformed(absl::StrCat("entries record (entry ", i, ")"));
    }
    if (kind > static_cast<uint8_t>(raft::EntryKind::kConfig)) {
      return Malformed(absl::StrCat("entries record (entry ", i, " kind ",
                                    static_cast<int>(kind), ")"));
    }
    entries.push_back(raft::Entry{
        .term = Term(term),
        .index = LogIndex(index),
        .kind = static_cast<raft::EntryKind>(kind),
        .payload = raft::Payload(std::string(data)),
    });
  }
  if (!r.Done()) return Malformed("entries record (trailing bytes)");
  return entries;
}

}  // namespace

absl::StatusOr<std::vector<raft::Entry>> DecodeEntries(
    absl::string_view payload) {
  return DecodeEntriesImpl(payload, /*allow_empty=*/false);
}

std::string EncodeBatch(const std::optional<raft::HardState>& hs,
                        const std::vector<raft::Entry>& entries) {
  std::string out;
  PutU8(hs ? 1 : 0, &out);
  if (hs) out.append(EncodeHardState(*hs));
  out.append(EncodeEntries(entries));
  return out;
}

absl::StatusOr<DecodedBatch> DecodeBatch(absl::string_view payload) {
  Reader r(payload);
  uint8_t has_hs;
  if (!r.U8(&has_hs) || has_hs > 1) return Malformed("batch record (flag)");
  DecodedBatch out;
  if (has_hs == 1) {
    absl::string_view hs;
    if (!r.Bytes(24, &hs)) return Malformed("batch record (hard state)");
    auto decoded = DecodeHardState(hs);
    if (!decoded.ok()) return decoded.status();
    out.hard_state = *decoded;
  }
  absl::string_view rest;
  r.Bytes(r.remaining(), &rest);
  auto entries = DecodeEntriesImpl(rest, /*allow_empty=*/true);
  if (!entries.ok()) return entries.status();
  out.entries = std::move(*entries);
  return out;
}

std::string EncodeHardState(const raft::HardState& hs) {
  std::string out;
  PutU64(hs.term.value(), &out);
  PutU64(hs.voted_for.value(), &out);
  PutU64(hs.commit.value(), &out);
  return out;
}

absl::StatusOr<raft::HardState> DecodeHardState(absl::string_view payload) {
  Reader r(payload);
  uint64_t term;
  uint64_t vote;
  uint64_t commit;
  if (!r.U64(&term) || !r.U64(&vote) || !r.U64(&commit) || !r.Done()) {
    return Malformed("hard state record");
  }
  return raft::HardState{.term = Term(term),
                         .voted_for = NodeId(vote),
                         .commit = LogIndex(commit)};
}

std::string EncodeSnapshot(const raft::Snapshot& snapshot) {
  std::string out;
  const raft::SnapshotMeta& m = snapshot.meta;
  PutU64(m.index.value(), &out);
  PutU64(m.term.value(), &out);
  PutIds(m.conf.voters, &out);
  PutIds(m.conf.learners, &out);
  PutIds(m.conf.voters_outgoing, &out);
  PutIds(m.conf.learners_next, &out);
  PutU8(m.conf.auto_leave ? 1 : 0, &out);
  PutU64(snapshot.data.size(), &out);
  out.append(snapshot.data.view());
  return out;
}

absl::StatusOr<raft::Snapshot> DecodeSnapshot(absl::string_view payload) {
  Reader r(payload);
  raft::Snapshot s;
  uint64_t index;
  uint64_t term;
  uint8_t auto_leave;
  uint64_t size;
  absl::string_view data;
  if (!r.U64(&index) || !r.U64(&term) || !GetIds(&r, &s.meta.conf.voters) ||
      !GetIds(&r, &s.meta.conf.learners) ||
      !GetIds(&r, &s.meta.conf.voters_outgoing) ||
      !GetIds(&r, &s.meta.conf.learners_next) || !r.U8(&auto_leave) ||
      auto_leave > 1 || !r.U64(&size) || !r.Bytes(size, &data) || !r.Done()) {
    return Malformed("checkpoint record");
  }
  s.meta.index = LogIndex(index);
  s.meta.term = Term(term);
  s.meta.conf.auto_leave = auto_leave == 1;
  s.data = raft::Payload(std::string(data));
  return s;
}

}  // namespace raftsim::storage
