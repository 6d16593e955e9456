// raft/invariants_test.cc — the transition checks of raft/invariants.cc
// stop a node fed inputs that would break them, and leave alone the ways a
// node legitimately forgets the leader of its term.

#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

Message Heartbeat(uint64_t from, uint64_t to, uint64_t term) {
  return Msg(MessageType::kHeartbeat, from, to, term);
}

// Two leaders of one term (which Election Safety rules out) reach a
// follower: the second one must not silently replace the first.
TEST(CheckTransitionDeathTest, SecondLeaderInATermStopsTheNode) {
  auto n = NewNode(TestConfig(1), {T(2), kNoNode, I(0)});
  StepOk(*n, Heartbeat(2, 1, 2));
  ASSERT_EQ(n->leader(), N(2));
  EXPECT_DEATH(StepOk(*n, Heartbeat(3, 1, 2)), "two leaders of t2");
}

// The same, with the first leader forgotten in between (a pre-candidate
// forgets it within the term): the second is still refused.
TEST(CheckTransitionDeathTest, SecondLeaderAfterForgettingTheFirstStops) {
  auto n = NewNode(TestConfig(1, 3, /*pre_vote=*/true), {T(2), kNoNode, I(0)});
  StepOk(*n, Heartbeat(2, 1, 2));
  n->Campaign();
  ASSERT_EQ(n->role(), Role::kPreCandidate);
  ASSERT_EQ(n->leader(), kNoNode);
  ASSERT_EQ(n->term(), T(2));
  EXPECT_DEATH(StepOk(*n, Heartbeat(3, 1, 2)), "two leaders of t2");
}

TEST(CheckTransition, SameLeaderAgainAndNewLeaderInANewTermAreFine) {
  auto n = NewNode(TestConfig(1), {T(2), kNoNode, I(0)});
  StepOk(*n, Heartbeat(2, 1, 2));
  StepOk(*n, Heartbeat(2, 1, 2));
  EXPECT_EQ(n->leader(), N(2));
  StepOk(*n, Heartbeat(3, 1, 3));
  EXPECT_EQ(n->leader(), N(3));
  EXPECT_EQ(n->term(), T(3));
}

// A pre-candidate forgets the leader without leaving the term (thesis
// §9.6), and may hear from that leader again.
TEST(CheckTransition, PreVoteForgetsTheLeaderWithinTheTerm) {
  auto n = NewNode(TestConfig(1, 3, /*pre_vote=*/true), {T(2), kNoNode, I(0)});
  StepOk(*n, Heartbeat(2, 1, 2));
  n->Campaign();
  ASSERT_EQ(n->role(), Role::kPreCandidate);
  EXPECT_EQ(n->leader(), kNoNode);
  EXPECT_EQ(n->term(), T(2));
  StepOk(*n, Heartbeat(2, 1, 2));
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->leader(), N(2));
}

// CheckQuorum (thesis §6.2) is the one way a leader stops leading without
// leaving its term; it then campaigns in a new term.
TEST(CheckTransition, CheckQuorumStepDownWithinTheTerm) {
  auto n = NewNode(TestConfig(1, 3, /*pre_vote=*/false, /*check_quorum=*/true),
                   {T(1), kNoNode, I(0)});
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 2));
  ASSERT_EQ(n->role(), Role::kLeader);
  for (int i = 0; i < 100 && n->role() == Role::kLeader; ++i) {
    n->Tick();
    Drain(*n);
  }
  ASSERT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(2));
  EXPECT_EQ(n->leader(), kNoNode);
  for (int i = 0; i < 100 && n->role() != Role::kCandidate; ++i) n->Tick();
  ASSERT_EQ(n->role(), Role::kCandidate);
  EXPECT_EQ(n->term(), T(3));
}

}  // namespace
}  // namespace raftsim::raft::testing
