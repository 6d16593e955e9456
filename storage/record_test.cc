// storage/record_test.cc — record framing and the payload codecs: round
// trips, and every damaged frame or payload is an error, never a crash.

#include "storage/record.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::storage {
namespace {

std::vector<raft::Entry> SomeEntries() {
  return {
      raft::Entry{.term = Term(2),
                  .index = LogIndex(7),
                  .kind = raft::EntryKind::kNormal,
                  .payload = raft::Payload("put x 1")},
      raft::Entry{.term = Term(3),
                  .index = LogIndex(8),
                  .kind = raft::EntryKind::kNoop,
                  .payload = raft::Payload()},
      raft::Entry{.term = Term(3),
                  .index = LogIndex(9),
                  .kind = raft::EntryKind::kConfig,
                  .payload = raft::Payload(std::string("\0\1\2", 3))},
  };
}

TEST(Record, FrameRoundTrips) {
  std::string buf;
  AppendRecord(RecordType::kHardState, "payload", &buf);
  AppendRecord(RecordType::kEntries, "", &buf);
  ParsedRecord r;
  ASSERT_EQ(ParseFrame(buf, &r), FrameResult::kOk);
  EXPECT_EQ(r.type, RecordType::kHardState);
  EXPECT_EQ(r.payload, "payload");
  EXPECT_EQ(r.size, kRecordHeaderBytes + 7);
  ASSERT_EQ(ParseFrame(absl::string_view(buf).substr(r.size), &r),
            FrameResult::kOk);
  EXPECT_EQ(r.type, RecordType::kEntries);
  EXPECT_EQ(r.payload, "");
}

TEST(Record, EveryPrefixOfAFrameIsIncomplete) {
  std::string buf;
  AppendRecord(RecordType::kEntries, "0123456789", &buf);
  ParsedRecord r;
  for (size_t n = 0; n < buf.size(); ++n) {
    EXPECT_EQ(ParseFrame(absl::string_view(buf).substr(0, n), &r),
              FrameResult::kIncomplete)
        << n;
  }
}

TEST(Record, EveryFlippedBitIsDetected) {
  std::string buf;
  AppendRecord(RecordType::kEntries, "0123456789", &buf);
  ParsedRecord r;
  for (size_t i = 0; i < buf.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = buf;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      EXPECT_NE(ParseFrame(bad, &r), FrameResult::kOk)
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST(Record, ImplausibleLengthIsRefusedBeforeReading) {
  std::string buf(kRecordHeaderBytes, '\xff');
  ParsedRecord r;
  EXPECT_EQ(ParseFrame(buf, &r), FrameResult::kBadLength);
}

TEST(Record, PayloadsRoundTrip) {
  EXPECT_EQ(*DecodeSegmentHeader(EncodeSegmentHeader(42)), 42u);
  const auto entries = SomeEntries();
  EXPECT_EQ(*DecodeEntries(EncodeEntries(entries)), entries);
  const raft::HardState hs{
      .term = Term(5), .voted_for = NodeId(2), .commit = LogIndex(9)};
  EXPECT_EQ(*DecodeHardState(EncodeHardState(hs)), hs);
  raft::Snapshot s;
  s.meta.index = LogIndex(10);
  s.meta.term = Term(4);
  s.meta.conf.voters = {NodeId(1), NodeId(2)};
  s.meta.conf.learners = {NodeId(3)};
  s.meta.conf.voters_outgoing = {NodeId(1)};
  s.meta.conf.learners_next = {NodeId(4)};
  s.meta.conf.auto_leave = true;
  s.data = raft::Payload("state machine");
  EXPECT_EQ(*DecodeSnapshot(EncodeSnapshot(s)), s);
  const auto batch = *DecodeBatch(EncodeBatch(hs, entries));
  EXPECT_EQ(batch.hard_state, hs);
  EXPECT_EQ(batch.entries, entries);
  const auto hs_only = *DecodeBatch(EncodeBatch(hs, {}));
  EXPECT_EQ(hs_only.hard_state, hs);
  EXPECT_TRUE(hs_only.entries.empty());
  const auto entries_only = *DecodeBatch(EncodeBatch(std::nullopt, entries));
  EXPECT_FALSE(entries_only.hard_state);
  EXPECT_EQ(entries_only.entries, entries);
}

TEST(Record, MalformedPayloadsAreErrors) {
  EXPECT_FALSE(DecodeSegmentHeader("notawal!12345678").ok());
  EXPECT_FALSE(DecodeHardState("short").ok());
  EXPECT_FALSE(DecodeEntries("").ok());
  std::string entries = EncodeEntries(SomeEntries());
  EXPECT_FALSE(DecodeEntries(entries + "x").ok()) << "trailing bytes";
  entries[4 + 16] = 9;  // The first entry's kind.
  EXPECT_FALSE(DecodeEntries(entries).ok()) << "unknown entry kind";
}

// Any truncation or mutation of a valid payload decodes to an error or to
// some value; it never crashes or allocates without bound.
RC_GTEST_PROP(Record, DamagedPayloadsNeverCrashTheDecoders, ()) {
  std::string bytes;
  const int which = *rc::gen::inRange(0, 3);
  if (which == 0) bytes = EncodeEntries(SomeEntries());
  if (which == 1) {
    raft::Snapshot s;
    s.meta.conf.voters = {NodeId(1)};
    s.data = raft::Payload("abc");
    bytes = EncodeSnapshot(s);
  }
  if (which == 2) bytes = EncodeHardState(raft::HardState{});
  const auto cut = *rc::gen::inRange<size_t>(0, bytes.size() + 1);
  bytes.resize(cut);
  const auto flips =
      *rc::gen::container<std::vector<std::pair<size_t, uint8_t>>>(
          rc::gen::pair(rc::gen::arbitrary<size_t>(),
                        rc::gen::arbitrary<uint8_t>()));
  for (const auto& [at, mask] : flips) {
    if (!bytes.empty()) bytes[at % bytes.size()] ^= static_cast<char>(mask);
  }
  (void)DecodeEntries(bytes);
  (void)DecodeSnapshot(bytes);
  (void)DecodeHardState(bytes);
  (void)DecodeSegmentHeader(bytes);
  (void)DecodeBatch(bytes);
}

}  // namespace
}  // namespace raftsim::storage
