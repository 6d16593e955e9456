// State Machine Safety (Raft §5.4.3): hand-built apply sequences.

#include "checkers/safety/state_machine_safety.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

AppliedEntry A(uint64_t index, uint64_t term, uint64_t digest) {
  return {LogIndex(index), Term(term), digest};
}

TEST(StateMachineSafety, SameEntriesInOrderAndSnapshotsAreFine) {
  FakeCluster c(3);
  StateMachineSafety checker;
  for (int id = 1; id <= 3; ++id) c.n(id).commit = LogIndex(3);
  c.n(1).applies = {A(1, 1, 11), A(2, 1, 12)};
  c.n(2).applies = {A(1, 1, 11)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).applies = {A(3, 2, 23)};
  c.n(2).applies = {A(2, 1, 12), A(3, 2, 23)};
  // n3 catches up from a snapshot at i2, then applies i3.
  c.n(3).restored = {{LogIndex(2), Term(1)}};
  c.n(3).applies = {A(3, 2, 23)};
  EXPECT_TRUE(c.Step(checker).empty());
  // n2 restarts and re-applies from the start: allowed.
  c.n(2).Restart();
  c.n(2).applies = {A(1, 1, 11)};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(StateMachineSafety, TwoNodesApplyDifferentEntriesAtOneIndex) {
  FakeCluster c(2);
  StateMachineSafety checker;
  c.n(1).commit = c.n(2).commit = LogIndex(1);
  c.n(1).applies = {A(1, 1, 11)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).applies = {A(1, 2, 21)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "state_machine_safety");
  EXPECT_EQ(v[0].description,
            "n2 applied i1@t2 but a different entry i1@t1 was applied there "
            "before");
}

TEST(StateMachineSafety, SameIndexAndTermButDifferentContent) {
  FakeCluster c(2);
  StateMachineSafety checker;
  c.n(1).commit = c.n(2).commit = LogIndex(1);
  c.n(1).applies = {A(1, 1, 11)};
  c.n(2).applies = {A(1, 1, 12)};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(StateMachineSafety, GapOrRepeat) {
  FakeCluster c(1);
  StateMachineSafety checker;
  c.n(1).commit = LogIndex(5);
  c.n(1).applies = {A(1, 1, 11), A(3, 1, 13)};
  const std::vector<Violation> gap = c.Step(checker);
  ASSERT_EQ(gap.size(), 1u);
  EXPECT_EQ(gap[0].description, "n1 applied i3 after i1 (gap or repeat)");
  c.n(1).applies = {A(3, 1, 13)};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(StateMachineSafety, AppliesBeyondTheCommitIndex) {
  FakeCluster c(1);
  StateMachineSafety checker;
  c.n(1).commit = LogIndex(1);
  c.n(1).applies = {A(1, 1, 11), A(2, 1, 12)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description, "n1 applied i2@t1 beyond its commit index i1");
}

TEST(StateMachineSafety, SnapshotThatDisagreesOrGoesBack) {
  FakeCluster c(2);
  StateMachineSafety checker;
  c.n(1).commit = c.n(2).commit = LogIndex(3);
  c.n(1).applies = {A(1, 1, 11), A(2, 1, 12)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).restored = {{LogIndex(2), Term(3)}};
  EXPECT_EQ(c.Step(checker).size(), 1u);
  c.n(1).restored = {{LogIndex(1), Term(1)}};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers
