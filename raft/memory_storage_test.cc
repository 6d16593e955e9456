// raft/memory_storage_test.cc — MemoryStorage against the LogStorage
// contract (raft/storage.h), case by case.

#include "raft/memory_storage.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "raft/testing/builders.h"

namespace raftsim::raft {
namespace {

using ::raftsim::raft::testing::E;
using ::raftsim::raft::testing::Snap;

WriteBatch EntriesBatch(std::vector<Entry> entries) {
  WriteBatch b;
  b.entries = std::move(entries);
  return b;
}

WriteBatch SnapshotBatch(Snapshot snapshot) {
  WriteBatch b;
  b.snapshot = std::move(snapshot);
  return b;
}

WriteBatch HardStateBatch(HardState hs) {
  WriteBatch b;
  b.hard_state = hs;
  return b;
}

// Writes `entries` and expects synchronous completion.
void Append(MemoryStorage& s, std::vector<Entry> entries) {
  bool called = false;
  s.Write(EntriesBatch(std::move(entries)), [&](absl::Status st) {
    EXPECT_TRUE(st.ok());
    called = true;
  });
  EXPECT_TRUE(called);
}

// "i1@t1 i2@t1 ..." of the whole log, read back through Entries().
std::string Log(const MemoryStorage& s) {
  std::vector<Entry> out;
  absl::Status st =
      s.Entries(s.FirstIndex(), s.LastIndex() + 1, UINT64_MAX, &out);
  EXPECT_TRUE(st.ok()) << st;
  std::string text;
  for (const Entry& e : out) {
    if (!text.empty()) text += " ";
    text += e.index.Describe() + "@" + e.term.Describe();
  }
  return text;
}

Term TermOf(const MemoryStorage& s, uint64_t index) {
  absl::StatusOr<Term> t = s.TermAt(LogIndex(index));
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : Term(999);
}

TEST(MemoryStorage, EmptyLog) {
  MemoryStorage s;
  EXPECT_EQ(s.FirstIndex(), LogIndex(1));
  EXPECT_EQ(s.LastIndex(), LogIndex(0));
  EXPECT_EQ(TermOf(s, 0), Term(0));
  EXPECT_EQ(s.TermAt(LogIndex(1)).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.entry_count(), 0u);
  EXPECT_EQ(s.bytes(), 0u);
  std::vector<Entry> out;
  EXPECT_TRUE(s.Entries(LogIndex(1), LogIndex(1), 0, &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(MemoryStorage, AppendAndRead) {
  MemoryStorage s;
  Append(s, {E(1, 1, "a"), E(2, 1, "bb"), E(3, 2, "ccc")});
  EXPECT_EQ(s.LastIndex(), LogIndex(3));
  EXPECT_EQ(Log(s), "i1@t1 i2@t1 i3@t2");
  EXPECT_EQ(TermOf(s, 3), Term(2));
  EXPECT_EQ(s.entry_count(), 3u);
  EXPECT_EQ(s.bytes(), 3 * Entry::kOverheadBytes + 6);
  Append(s, {E(4, 2)});
  EXPECT_EQ(Log(s), "i1@t1 i2@t1 i3@t2 i4@t2");
  std::vector<Entry> out;
  ASSERT_TRUE(s.Entries(LogIndex(2), LogIndex(4), UINT64_MAX, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], E(2, 1, "bb"));
  EXPECT_EQ(out[1], E(3, 2, "ccc"));
}

TEST(MemoryStorage, WriteAppliesHardStateAndAllowsEmptyBatch) {
  MemoryStorage s;
  HardState hs{.term = Term(5), .voted_for = NodeId(2), .commit = LogIndex(0)};
  s.Write(HardStateBatch(hs), nullptr);  // A null callback is fine.
  EXPECT_EQ(s.hard_state(), hs);
  bool called = false;
  s.Write(WriteBatch{}, [&](absl::Status st) { called = st.ok(); });
  EXPECT_TRUE(called);
  EXPECT_EQ(s.hard_state(), hs);
}

TEST(MemoryStorage, OverwriteTruncatesConflictingSuffix) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1), E(3, 1), E(4, 1)});
  Append(s, {E(3, 2)});  // A new leader's entry at i3 replaces i3 and i4.
  EXPECT_EQ(Log(s), "i1@t1 i2@t1 i3@t2");
  EXPECT_EQ(s.entry_count(), 3u);
  EXPECT_EQ(s.bytes(), 3 * Entry::kOverheadBytes);
  Append(s, {E(1, 3), E(2, 3)});  // Truncate from the very first entry.
  EXPECT_EQ(Log(s), "i1@t3 i2@t3");
}

TEST(MemoryStorage, EntriesRespectsMaxBytesButReturnsAtLeastOne) {
  MemoryStorage s;
  Append(s, {E(1, 1, std::string(100, 'a')), E(2, 1, std::string(100, 'b')),
             E(3, 1, std::string(100, 'c'))});
  const uint64_t one = 100 + Entry::kOverheadBytes;
  std::vector<Entry> out;
  ASSERT_TRUE(s.Entries(LogIndex(1), LogIndex(4), 0, &out).ok());
  EXPECT_EQ(out.size(), 1u);  // Bigger than max_bytes, still returned.
  out.clear();
  ASSERT_TRUE(s.Entries(LogIndex(1), LogIndex(4), 2 * one - 1, &out).ok());
  EXPECT_EQ(out.size(), 1u);
  out.clear();
  ASSERT_TRUE(s.Entries(LogIndex(1), LogIndex(4), 2 * one, &out).ok());
  EXPECT_EQ(out.size(), 2u);
  // Appends to `out` rather than replacing it.
  ASSERT_TRUE(s.Entries(LogIndex(3), LogIndex(4), 0, &out).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].index, LogIndex(3));
}

TEST(MemoryStorage, OutOfRangeErrors) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1), E(3, 1), E(4, 1), E(5, 2)});
  ASSERT_TRUE(s.Compact(Snap(2, 1)).ok());
  std::vector<Entry> out;
  EXPECT_EQ(s.Entries(LogIndex(2), LogIndex(4), UINT64_MAX, &out).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.Entries(LogIndex(3), LogIndex(7), UINT64_MAX, &out).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.Entries(LogIndex(4), LogIndex(3), UINT64_MAX, &out).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(s.Entries(LogIndex(3), LogIndex(6), UINT64_MAX, &out).ok());
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(s.TermAt(LogIndex(1)).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.TermAt(LogIndex(6)).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(MemoryStorage, TermAtSnapshotIndexIsSnapshotTerm) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 2), E(3, 3)});
  ASSERT_TRUE(s.Compact(Snap(2, 2)).ok());
  EXPECT_EQ(s.FirstIndex(), LogIndex(3));
  EXPECT_EQ(TermOf(s, 2), Term(2));
  EXPECT_EQ(TermOf(s, 3), Term(3));
}

TEST(MemoryStorage, Compact) {
  MemoryStorage s;
  Append(s, {E(1, 1, "a"), E(2, 1, "b"), E(3, 1, "c"), E(4, 2, "d")});
  ASSERT_TRUE(s.Compact(Snap(3, 1, "state")).ok());
  EXPECT_EQ(s.snapshot(), Snap(3, 1, "state"));
  EXPECT_EQ(s.FirstIndex(), LogIndex(4));
  EXPECT_EQ(s.LastIndex(), LogIndex(4));
  EXPECT_EQ(Log(s), "i4@t2");
  EXPECT_EQ(s.entry_count(), 1u);
  EXPECT_EQ(s.bytes(), Entry::kOverheadBytes + 1);
  // Already compacted: an error, not a crash.
  EXPECT_EQ(s.Compact(Snap(3, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.Compact(Snap(2, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  // Compacting everything leaves an empty log after the snapshot.
  ASSERT_TRUE(s.Compact(Snap(4, 2)).ok());
  EXPECT_EQ(s.LastIndex(), LogIndex(4));
  EXPECT_EQ(s.entry_count(), 0u);
  EXPECT_EQ(s.bytes(), 0u);
  Append(s, {E(5, 2)});
  EXPECT_EQ(Log(s), "i5@t2");
}

TEST(MemoryStorage, RepeatedCompactionKeepsReadsRight) {
  MemoryStorage s;
  uint64_t next = 1;
  for (int round = 0; round < 50; ++round) {
    std::vector<Entry> batch;
    for (int k = 0; k < 37; ++k, ++next) batch.push_back(E(next, 1));
    Append(s, std::move(batch));
    const uint64_t keep = round % 7;
    const uint64_t to = next - 1 - keep;
    if (to > s.snapshot().meta.index.value()) {
      ASSERT_TRUE(s.Compact(Snap(to, 1)).ok());
    }
    ASSERT_EQ(s.entry_count(), s.LastIndex() - s.snapshot().meta.index);
    for (uint64_t i = s.FirstIndex().value(); i <= s.LastIndex().value(); ++i) {
      std::vector<Entry> out;
      ASSERT_TRUE(s.Entries(LogIndex(i), LogIndex(i + 1), 0, &out).ok());
      ASSERT_EQ(out[0].index, LogIndex(i));
    }
  }
}

TEST(MemoryStorage, SnapshotWithMatchingEntryKeepsSuffix) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1), E(3, 2), E(4, 2), E(5, 3)});
  s.Write(SnapshotBatch(Snap(3, 2, "st")), nullptr);
  EXPECT_EQ(s.snapshot(), Snap(3, 2, "st"));
  EXPECT_EQ(s.FirstIndex(), LogIndex(4));
  EXPECT_EQ(Log(s), "i4@t2 i5@t3");
  EXPECT_EQ(s.bytes(), 2 * Entry::kOverheadBytes);
}

TEST(MemoryStorage, SnapshotWithConflictingEntryDiscardsLog) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1), E(3, 1), E(4, 1)});
  s.Write(SnapshotBatch(Snap(3, 2)), nullptr);
  EXPECT_EQ(s.FirstIndex(), LogIndex(4));
  EXPECT_EQ(s.LastIndex(), LogIndex(3));
  EXPECT_EQ(TermOf(s, 3), Term(2));
  EXPECT_EQ(s.entry_count(), 0u);
  EXPECT_EQ(s.bytes(), 0u);
}

TEST(MemoryStorage, SnapshotPastLogDiscardsLog) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1)});
  s.Write(SnapshotBatch(Snap(10, 3)), nullptr);
  EXPECT_EQ(s.FirstIndex(), LogIndex(11));
  EXPECT_EQ(s.LastIndex(), LogIndex(10));
  EXPECT_EQ(s.entry_count(), 0u);
}

TEST(MemoryStorage, SnapshotThenEntriesInOneBatch) {
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 1)});
  HardState hs{.term = Term(3), .voted_for = kNoNode, .commit = LogIndex(10)};
  WriteBatch batch = SnapshotBatch(Snap(10, 3));
  batch.entries = {E(11, 3), E(12, 3)};
  batch.hard_state = hs;
  s.Write(std::move(batch), nullptr);
  EXPECT_EQ(Log(s), "i11@t3 i12@t3");
  EXPECT_EQ(s.hard_state(), hs);
}

TEST(MemoryStorage, LoadRoundTrip) {
  MemoryStorage s;
  Append(s, {E(1, 1, "a"), E(2, 1, "b"), E(3, 2, "c"), E(4, 2, "d")});
  ASSERT_TRUE(s.Compact(Snap(2, 1, "snap")).ok());
  HardState hs{.term = Term(2), .voted_for = NodeId(3), .commit = LogIndex(3)};
  s.Write(HardStateBatch(hs), nullptr);

  DurableState d = s.Load();
  EXPECT_EQ(d.hard_state, hs);
  EXPECT_EQ(d.snapshot, Snap(2, 1, "snap"));
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.entries[0], E(3, 2, "c"));
  EXPECT_EQ(d.entries[1], E(4, 2, "d"));

  MemoryStorage r(s.Load());
  EXPECT_EQ(r.hard_state(), hs);
  EXPECT_EQ(r.snapshot(), s.snapshot());
  EXPECT_EQ(r.FirstIndex(), s.FirstIndex());
  EXPECT_EQ(r.LastIndex(), s.LastIndex());
  EXPECT_EQ(Log(r), Log(s));
  EXPECT_EQ(r.bytes(), s.bytes());
}

using MemoryStorageDeathTest = ::testing::Test;

TEST(MemoryStorageDeathTest, MisuseIsABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MemoryStorage s;
  Append(s, {E(1, 1), E(2, 2)});
  EXPECT_DEATH(Append(s, {E(4, 2)}), "gap");
  EXPECT_DEATH(Append(s, {E(3, 2), E(5, 2)}), "contiguous");
  EXPECT_DEATH(Append(s, {E(3, 1)}), "terms must not decrease");
  EXPECT_DEATH((void)s.Compact(Snap(3, 2)), "past the last index");
  EXPECT_DEATH((void)s.Compact(Snap(2, 1)), "snapshot term");
  ASSERT_TRUE(s.Compact(Snap(1, 1)).ok());
  EXPECT_DEATH(Append(s, {E(1, 1)}), "overwrite the snapshot");
  EXPECT_DEATH(s.Write(SnapshotBatch(Snap(0, 0)), nullptr), "older");
}

}  // namespace
}  // namespace raftsim::raft
