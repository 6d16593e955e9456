// Committed entries stay durable on a quorum (Raft §5.3, §5.4).

#include "checkers/safety/committed_stays_committed.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

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
