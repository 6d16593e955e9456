// Liveness after heal (Raft §5.2, §9.3).

#include "checkers/liveness.h"

#include "checkers/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(Liveness, LeaderInTimeNothingPendingConverged) {
  FakeCluster c(3);
  Liveness liveness({.leader_within_us = 5000});
  liveness.Heal(0);
  liveness.Observe(c.View());  // t=1ms: no leader yet.
  for (int id = 1; id <= 3; ++id) {
    c.n(id).term_ = Term(2);
    c.n(id).commit = LogIndex(4);
  }
  c.n(2).role_ = raft::Role::kLeader;
  liveness.Observe(c.View());  // t=2ms.
  EXPECT_EQ(liveness.leader_after_heal_us(), 2000);
  EXPECT_EQ(liveness.Finish(c.View(), 0), std::nullopt);
}

TEST(Liveness, NoLeaderWithinTheBound) {
  FakeCluster c(3);
  Liveness liveness({.leader_within_us = 1500});
  liveness.Heal(0);
  liveness.Observe(c.View());
  c.n(2).role_ = raft::Role::kLeader;
  liveness.Observe(c.View());  // t=2ms: too late.
  const std::optional<Violation> v = liveness.Finish(c.View(), 0);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->checker, "liveness");
  EXPECT_EQ(v->description, "no leader within 1500us of the heal (first after 2000us)");
}

TEST(Liveness, StaleLeaderDoesNotCount) {
  FakeCluster c(3);
  Liveness liveness;
  liveness.Heal(0);
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(2);
  c.n(2).term_ = Term(3);
  liveness.Observe(c.View());
  EXPECT_TRUE(liveness.Finish(c.View(), 0).has_value());
}

TEST(Liveness, PendingOperationsOrDivergentCommits) {
  FakeCluster c(3);
  Liveness liveness;
  liveness.Heal(0);
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).commit = LogIndex(5);
  c.n(2).commit = LogIndex(5);
  c.n(3).commit = LogIndex(3);
  liveness.Observe(c.View());
  const std::optional<Violation> pending = liveness.Finish(c.View(), 2);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->description, "2 client operations still pending");
  const std::optional<Violation> diverged = liveness.Finish(c.View(), 0);
  ASSERT_TRUE(diverged.has_value());
  EXPECT_EQ(diverged->description,
            "commit indexes differ: n3 at i3, leader n1 at i5");
  c.n(3).is_up = false;  // Down nodes are not asked to converge.
  EXPECT_EQ(liveness.Finish(c.View(), 0), std::nullopt);
}

}  // namespace
}  // namespace raftsim::checkers
