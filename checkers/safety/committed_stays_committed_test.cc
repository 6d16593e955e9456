// Committed entries stay durable on a quorum (Raft §5.3, §5.4).

#include "checkers/safety/committed_stays_committed.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(CommittedStaysCommitted, QuorumDurableIncludingCrashedAndSnapshots) {
  FakeCluster c(3);
  CommittedStaysCommitted checker;
  for (int id = 1; id <= 2; ++id) {
    c.n(id).Append(1, 11);
    c.n(id).Append(1, 12);
    c.n(id).SyncAll();
  }
  c.n(1).commit = LogIndex(2);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).is_up = false;
  EXPECT_TRUE(c.Step(checker).empty());
  // n3 installs a snapshot covering i2 while n2 is down.
  c.n(3).durable_snap = LogIndex(3);
  c.n(3).durable_snap_term = Term(1);
  c.n(1).durable_log.clear();
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(CommittedStaysCommitted, CommittedWhileDurableOnlyOnOneNode) {
  FakeCluster c(3);
  CommittedStaysCommitted checker;
  c.n(1).Append(1, 11);
  c.n(1).SyncAll();
  c.n(2).Append(1, 11);  // Acked but not durable (a lying disk).
  c.n(1).commit = LogIndex(1);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "committed_stays_committed");
  EXPECT_EQ(v[0].description,
            "committed entry i1@t1 (reported by n1) is durable on only 1 of "
            "3 nodes when committed");
}

TEST(CommittedStaysCommitted, OverwrittenAfterCommit) {
  // Figure 8: an entry committed by counting is later overwritten.
  FakeCluster c(3);
  CommittedStaysCommitted checker;
  for (int id = 1; id <= 2; ++id) {
    c.n(id).Append(2, 21);
    c.n(id).SyncAll();
  }
  c.n(1).commit = LogIndex(1);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).durable_log = {Term(3)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].event, 2u);
  EXPECT_EQ(v[0].description,
            "committed entry i1@t2 (reported by n1) is durable on only 1 of "
            "3 nodes");
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::Transition;

// n1 appends, on the base (n1 n2 n3), a change to `change`, then an entry,
// and commits both; `holders` hold them durably.
std::vector<Violation> CommitUnder(const raft::confchange::ConfChange& change,
                                   std::vector<int> holders) {
  testing::FakeCluster c(5);
  raft::ConfState base;
  base.voters = {NodeId(1), NodeId(2), NodeId(3)};
  c.base_membership = base;
  CommittedStaysCommitted checker;
  c.n(1).AppendConfig(1, change);
  c.n(1).Append(1, 12);
  for (const int id : holders) {
    if (id != 1) c.n(id).log = c.n(1).log;
    c.n(id).SyncAll();
  }
  c.n(1).commit = LogIndex(2);
  return c.Step(checker);
}

TEST(CommittedStaysCommitted, QuorumOfTheConfigurationTheCommitCountedIn) {
  const raft::confchange::ConfChange add4{Transition::kSimple,
                                          {{ChangeType::kAddVoter, NodeId(4)}}};
  // 3 of (n1 n2 n3 n4).
  EXPECT_TRUE(CommitUnder(add4, {1, 2, 4}).empty());
  // 2 of 4: a majority of the base, not of the configuration in force.
  const std::vector<Violation> v = CommitUnder(add4, {1, 2});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "committed entry i2@t1 (reported by n1) is durable on only 2 of "
            "(n1 n2 n3 n4), no quorum of the configuration (n1 n2 n3 n4) (set "
            "by i1) it was committed in when committed");
}

TEST(CommittedStaysCommitted, JointConfigurationNeedsBothHalves) {
  const raft::confchange::ConfChange joint{
      Transition::kJointExplicit,
      {{ChangeType::kAddVoter, NodeId(4)}, {ChangeType::kAddVoter, NodeId(5)}}};
  EXPECT_TRUE(CommitUnder(joint, {1, 2, 4}).empty());
  const std::vector<Violation> v = CommitUnder(joint, {1, 4, 5});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "committed entry i2@t1 (reported by n1) is durable on only 3 of "
            "(n1 n2 n3 n4 n5) and 1 of (n1 n2 n3), no quorum of the "
            "configuration (n1 n2 n3 n4 n5)&&(n1 n2 n3) (set by i1) it was "
            "committed in when committed");
}

}  // namespace
}  // namespace raftsim::checkers
