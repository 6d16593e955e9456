// Liveness after heal (Raft §5.2, §9.3): hand-built good and bad clusters.

#include "checkers/liveness/liveness.h"

#include <vector>

#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

std::vector<LivenessNode> Converged() {
  std::vector<LivenessNode> nodes(3);
  for (LivenessNode& n : nodes) {
    n.up = true;
    n.term = Term(2);
    n.commit = n.applied = n.last = LogIndex(7);
  }
  nodes[1].role = raft::Role::kLeader;
  return nodes;
}

TEST(Liveness, ConvergedClusterWithALeaderIsLive) {
  EXPECT_EQ(WhyNotLive(Converged(), 0), std::nullopt);
}

TEST(Liveness, EachMissingConditionIsNamed) {
  auto down = Converged();
  down[2].up = false;
  EXPECT_EQ(WhyNotLive(down, 0), "n3 is down");

  auto paused = Converged();
  paused[0].paused = true;
  EXPECT_EQ(WhyNotLive(paused, 0), "n1 is paused");

  auto leaderless = Converged();
  leaderless[1].role = raft::Role::kFollower;
  EXPECT_EQ(WhyNotLive(leaderless, 0), "no leader");

  EXPECT_EQ(WhyNotLive(Converged(), 2), "2 client operations pending");

  // A pre-campaign left over from the fault phase: not settled yet.
  auto campaigning = Converged();
  campaigning[0].role = raft::Role::kPreCandidate;
  EXPECT_EQ(WhyNotLive(campaigning, 0), "n1 campaigns (pre-candidate at t2)");

  auto uncommitted = Converged();
  uncommitted[1].last = LogIndex(8);
  EXPECT_EQ(WhyNotLive(uncommitted, 0), "leader n2 committed i7 of i8");

  auto lagging = Converged();
  lagging[2].applied = LogIndex(4);
  EXPECT_EQ(WhyNotLive(lagging, 0), "n3 applied i4 of i7");

  auto behind = Converged();
  behind[0].commit = LogIndex(6);
  EXPECT_EQ(WhyNotLive(behind, 0), "n1 committed i6 of i7");
}

TEST(Liveness, MembershipChangesMustBeFinished) {
  // A committed, non-joint configuration set by an entry: live.
  auto changed = Converged();
  for (LivenessNode& n : changed) n.config_index = LogIndex(5);
  EXPECT_EQ(WhyNotLive(changed, 0), std::nullopt);
  // One set by the last entry, committed with it: live too.
  changed[1].config_index = LogIndex(7);
  EXPECT_EQ(WhyNotLive(changed, 0), std::nullopt);

  auto joint = Converged();
  joint[1].joint = true;
  joint[1].config_index = LogIndex(6);
  EXPECT_EQ(WhyNotLive(joint, 0),
            "leader n2 is in a joint configuration (set by i6)");
  // Only the leader's configuration is judged (a follower's is the
  // leader's once it has its log).
  auto follower_joint = Converged();
  follower_joint[0].joint = true;
  EXPECT_EQ(WhyNotLive(follower_joint, 0), std::nullopt);

  auto uncommitted = Converged();
  uncommitted[1].config_index = LogIndex(8);
  uncommitted[1].last = LogIndex(8);
  EXPECT_EQ(WhyNotLive(uncommitted, 0),
            "leader n2's configuration change at i8 is not committed (commit "
            "i7)");
}

TEST(Liveness, StaleLeaderDoesNotCount) {
  auto nodes = Converged();
  nodes[0].term = Term(3);  // A newer term exists; n2 leads an old one.
  EXPECT_EQ(WhyNotLive(nodes, 0), "leader n2 of t2 is stale: n1 is at t3");
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

TEST(Stability, TheLeaderOfTheHighestTermIsFound) {
  auto nodes = Converged();
  EXPECT_EQ(LeaderOf(nodes), 1u);
  nodes[1].role = raft::Role::kFollower;
  EXPECT_EQ(LeaderOf(nodes), std::nullopt);
  nodes[0].role = raft::Role::kLeader;
  nodes[0].term = Term(1);
  nodes[2].role = raft::Role::kLeader;
  EXPECT_EQ(LeaderOf(nodes), 2u);
}

TEST(Stability, ALeaderKeptUnchallengedIsStable) {
  EXPECT_EQ(WhyNotStable(Converged(), Term(2), 1), std::nullopt);
  auto progressed = Converged();  // Commit moving on is fine.
  progressed[0].commit = LogIndex(9);
  EXPECT_EQ(WhyNotStable(progressed, Term(2), 1), std::nullopt);
}

TEST(Stability, EachDisruptionIsNamed) {
  auto pre = Converged();
  pre[2].role = raft::Role::kPreCandidate;
  EXPECT_EQ(WhyNotStable(pre, Term(2), 1),
            "n3 campaigns (pre-candidate at t2) under the leader n2 of t2");
  auto candidate = Converged();
  candidate[0].role = raft::Role::kCandidate;
  candidate[0].term = Term(3);
  EXPECT_EQ(WhyNotStable(candidate, Term(2), 1),
            "n1 campaigns (candidate at t3) under the leader n2 of t2");
  auto moved = Converged();
  moved[0].term = Term(3);
  EXPECT_EQ(WhyNotStable(moved, Term(2), 1),
            "n1 moved to t3 under the leader n2 of t2");
  auto stepped_down = Converged();
  stepped_down[1].role = raft::Role::kFollower;
  EXPECT_EQ(WhyNotStable(stepped_down, Term(2), 1),
            "n2 stopped leading under the leader n2 of t2");
  auto down = Converged();
  down[0].up = false;
  EXPECT_EQ(WhyNotStable(down, Term(2), 1),
            "n1 is down under the leader n2 of t2");
}

}  // namespace
}  // namespace raftsim::checkers
