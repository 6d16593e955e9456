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

TEST(Liveness, StaleLeaderDoesNotCount) {
  auto nodes = Converged();
  nodes[0].term = Term(3);  // A newer term exists; n2 leads an old one.
  EXPECT_EQ(WhyNotLive(nodes, 0), "leader n2 of t2 is stale: n1 is at t3");
}

}  // namespace
}  // namespace raftsim::checkers
