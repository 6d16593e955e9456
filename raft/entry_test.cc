// raft/entry_test.cc — Entry, ConfState, snapshot metadata: sizes and
// Describe() golden strings.

#include "raft/entry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "raft/testing/builders.h"

namespace raftsim::raft {
namespace {

using ::raftsim::raft::testing::E;

TEST(EntryKind, Names) {
  EXPECT_EQ(EntryKindName(EntryKind::kNormal), "normal");
  EXPECT_EQ(EntryKindName(EntryKind::kNoop), "noop");
  EXPECT_EQ(EntryKindName(EntryKind::kConfig), "config");
}

TEST(Entry, Describe) {
  EXPECT_EQ(E(7, 3, std::string(16, 'x'), EntryKind::kNormal).Describe(),
            "i7@t3 normal 16B");
  EXPECT_EQ(E(1, 2, "", EntryKind::kNoop).Describe(), "i1@t2 noop 0B");
  EXPECT_EQ(E(9, 4, "abc", EntryKind::kConfig).Describe(), "i9@t4 config 3B");
}

TEST(Entry, DescribeNeverPrintsPayloadBytes) {
  EXPECT_EQ(E(1, 1, "secret\n", EntryKind::kNormal).Describe(),
            "i1@t1 normal 7B");
}

TEST(Entry, ByteSizeCountsOverhead) {
  EXPECT_EQ(E(1, 1, "", EntryKind::kNoop).ByteSize(), Entry::kOverheadBytes);
  EXPECT_EQ(E(1, 1, "abcd", EntryKind::kNormal).ByteSize(),
            Entry::kOverheadBytes + 4);
}

TEST(Entry, TotalBytes) {
  EXPECT_EQ(TotalBytes({}), 0u);
  std::vector<Entry> entries = {E(1, 1, "ab", EntryKind::kNormal),
                                E(2, 1, "cde", EntryKind::kNormal)};
  EXPECT_EQ(TotalBytes(entries), 2 * Entry::kOverheadBytes + 5);
}

TEST(ConfState, Describe) {
  ConfState c;
  c.voters = {NodeId(1), NodeId(2), NodeId(3)};
  EXPECT_EQ(c.Describe(), "voters=(n1 n2 n3) learners=()");
  c.learners = {NodeId(4)};
  EXPECT_EQ(c.Describe(), "voters=(n1 n2 n3) learners=(n4)");
  c.voters_outgoing = {NodeId(1), NodeId(2)};
  EXPECT_EQ(c.Describe(), "voters=(n1 n2 n3) learners=(n4) outgoing=(n1 n2)");
  EXPECT_EQ(ConfState{}.Describe(), "voters=() learners=()");
}

TEST(Snapshot, Describe) {
  Snapshot s;
  s.meta.index = LogIndex(100);
  s.meta.term = Term(3);
  s.meta.conf.voters = {NodeId(1), NodeId(2)};
  s.data = Payload(std::string(16, 'z'));
  EXPECT_EQ(s.meta.Describe(), "i100@t3 voters=(n1 n2) learners=()");
  EXPECT_EQ(s.Describe(), "i100@t3 voters=(n1 n2) learners=() data=16B");
  EXPECT_EQ(Snapshot{}.Describe(), "i0@t0 voters=() learners=() data=0B");
}

}  // namespace
}  // namespace raftsim::raft
