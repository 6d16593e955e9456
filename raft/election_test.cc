// raft/election_test.cc — liveness and non-disruption of elections with
// PreVote (thesis §9.6) and CheckQuorum (thesis §6.2, §4.2.3), on the
// in-process Cluster and on single nodes.

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

Cluster::Options Opts(int voters, bool pre_vote, bool check_quorum,
                      uint64_t seed = 1) {
  Cluster::Options o;
  o.voters = voters;
  o.pre_vote = pre_vote;
  o.check_quorum = check_quorum;
  o.seed = seed;
  return o;
}

// One round of logical time: every live node ticks, then the network
// settles.
void Round(Cluster& c) {
  c.TickAll();
  c.Stabilize();
}

// Rounds until some live node leads (returns the rounds taken), at most
// `max_rounds` (then returns -1).
int RoundsUntilLeader(Cluster& c, int max_rounds) {
  for (int r = 1; r <= max_rounds; ++r) {
    Round(c);
    if (c.Leader() != kNoNode) return r;
  }
  return -1;
}

void ProposeOk(Cluster& c, NodeId leader, const char* value) {
  const auto r = c.node(leader).Propose(std::vector<Payload>{Payload(value)});
  ASSERT_TRUE(r.ok()) << r.status();
}

// Thesis §9.6: with PreVote a partitioned node does not increase its term
// (its pre-votes fail), so when the partition heals it does not disrupt the
// leader, and later, when the leader crashes, the remaining nodes (one of
// them with a smaller term than it would have had) still elect a leader
// promptly — the one with the up-to-date log.
TEST(PreVote,
     IsolatedNodeKeepsItsTermAndElectionCompletesAfterHealAndLeaderCrash) {
  Cluster c(Opts(3, /*pre_vote=*/true, /*check_quorum=*/true));
  ASSERT_TRUE(c.Elect(N(1)));
  const Term term = c.node(1).term();
  c.Isolate(N(3));
  ProposeOk(c, N(1), "a");
  for (int i = 0; i < 100; ++i) Round(c);
  EXPECT_EQ(c.node(3).term(), term) << "pre-votes must not raise the term";
  EXPECT_EQ(c.node(1).role(), Role::kLeader);
  EXPECT_EQ(c.node(1).term(), term);
  // Heal and crash the leader at once.
  c.Heal();
  c.Crash(N(1));
  const int rounds = RoundsUntilLeader(c, 60);
  ASSERT_GT(rounds, 0) << "no leader after heal + leader crash";
  EXPECT_EQ(c.Leader(), N(2)) << "only n2 holds the committed entry";
  for (int i = 0; i < 5; ++i) Round(c);
  EXPECT_EQ(c.node(3).leader(), N(2));
  EXPECT_EQ(c.node(3).commit_index(), c.node(2).commit_index());
}

// Raft §5.2 / thesis §9.6 with CheckQuorum and no PreVote: the isolated node
// raises its term far above the others; after the heal the leader crashes,
// and n2, with the smaller term but the up-to-date log, still completes an
// election (n3's higher-term requests make n2 adopt the term; n3 cannot
// win with its stale log).
TEST(CheckQuorum, SmallerTermNodeCompletesElectionAfterHealWhileLeaderCrashes) {
  Cluster c(Opts(3, /*pre_vote=*/false, /*check_quorum=*/true));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  ProposeOk(c, N(1), "a");
  for (int i = 0; i < 100; ++i) Round(c);
  ASSERT_GT(c.node(3).term(), c.node(2).term());
  c.Heal();
  c.Crash(N(1));
  ASSERT_GT(RoundsUntilLeader(c, 100), 0);
  EXPECT_EQ(c.Leader(), N(2));
  EXPECT_GE(c.node(2).term(), c.node(3).term());
}

// Thesis §9.6: a partitioned node rejoining does not depose a healthy
// leader with PreVote: its term stayed put and its pre-votes are refused
// (its log is behind), so the leader keeps its term and leadership.
TEST(PreVote, RejoiningNodeDoesNotDeposeHealthyLeader) {
  for (const bool check_quorum : {false, true}) {
    Cluster c(Opts(3, /*pre_vote=*/true, check_quorum));
    ASSERT_TRUE(c.Elect(N(1)));
    const Term term = c.node(1).term();
    c.Isolate(N(3));
    for (int i = 0; i < 30; ++i) {
      ProposeOk(c, N(1), "x");
      Round(c);
    }
    c.Heal();
    for (int i = 0; i < 50; ++i) {
      Round(c);
      ASSERT_EQ(c.node(1).role(), Role::kLeader) << "round " << i;
      ASSERT_EQ(c.node(1).term(), term) << "round " << i;
    }
    EXPECT_EQ(c.node(3).term(), term);
    EXPECT_EQ(c.node(3).leader(), N(1));
    EXPECT_EQ(c.node(3).commit_index(), c.node(1).commit_index());
  }
}

// Thesis §4.2.3 / §6.2, CheckQuorum only: the rejoining node's higher-term
// RequestVotes are ignored by servers that heard from the leader within the
// election timeout — they neither adopt its term nor grant — so its votes
// alone never depose the leader. (Its answers to the leader's lower-term
// heartbeats do carry its higher term; that frees it, at the cost of one
// re-election the rejoining node cannot win — see the next test.)
TEST(CheckQuorum, RejoiningNodesVoteRequestsDoNotDeposeHealthyLeader) {
  Cluster c(Opts(3, /*pre_vote=*/false, /*check_quorum=*/true));
  ASSERT_TRUE(c.Elect(N(1)));
  const Term term = c.node(1).term();
  c.Isolate(N(3));
  for (int i = 0; i < 50; ++i) Round(c);
  ASSERT_GT(c.node(3).term(), term);
  c.Heal();
  // Only n3's vote requests travel (the leader's heartbeats to n3 are cut).
  c.Cut(N(1), N(3));
  for (int i = 0; i < 50; ++i) {
    Round(c);
    ASSERT_EQ(c.node(1).role(), Role::kLeader) << "round " << i;
    ASSERT_EQ(c.node(1).term(), term);
    ASSERT_EQ(c.node(2).term(), term) << "follower adopted a disruptive term";
    ASSERT_EQ(c.node(2).leader(), N(1));
  }
}

// Thesis §6.2 / etcd's "free stuck candidate": a node whose term rose during
// a partition answers the leader's lower-term heartbeat with its term, so
// the cluster moves to a term it can join; a leader from the up-to-date
// majority is elected and the rejoined node follows it.
TEST(CheckQuorum, StuckHigherTermNodeIsFreedAfterHeal) {
  Cluster c(Opts(3, /*pre_vote=*/false, /*check_quorum=*/true));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  ProposeOk(c, N(1), "a");
  for (int i = 0; i < 50; ++i) Round(c);
  const Term stuck = c.node(3).term();
  c.Heal();
  for (int i = 0; i < 100; ++i) Round(c);
  const NodeId leader = c.Leader();
  ASSERT_NE(leader, kNoNode);
  EXPECT_NE(leader, N(3)) << "n3's log is behind";
  EXPECT_GE(c.node(leader).term(), stuck);
  EXPECT_EQ(c.node(3).leader(), leader);
  EXPECT_EQ(c.node(3).term(), c.node(leader).term());
}

// Thesis §6.2 CheckQuorum: a leader partitioned from the majority steps
// down once an election timeout passes without hearing from a quorum. The
// check runs every election timeout, so the step-down comes at most two
// timeouts after the last contact; and the majority elects a new leader.
TEST(CheckQuorum, PartitionedLeaderStepsDown) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Cluster c(Opts(5, /*pre_vote=*/true, /*check_quorum=*/true, seed));
    ASSERT_TRUE(c.Elect(N(1)));
    for (int i = 0; i < static_cast<int>(seed) * 3; ++i) Round(c);
    c.Isolate(N(1));
    int ticks = 0;
    while (c.node(1).role() == Role::kLeader && ticks < 100) {
      Round(c);
      ++ticks;
    }
    EXPECT_EQ(c.node(1).role(), Role::kFollower);
    EXPECT_LE(ticks, 2 * 10) << "seed " << seed;
    EXPECT_EQ(c.node(1).leader(), kNoNode);
    // Meanwhile the majority side has elected someone else.
    ASSERT_GT(RoundsUntilLeader(c, 40), 0);
    EXPECT_NE(c.Leader(), N(1));
  }
}

// Without CheckQuorum a partitioned leader never steps down on its own (the
// control case that shows the previous test depends on the feature).
TEST(CheckQuorum, WithoutItPartitionedLeaderStaysLeader) {
  Cluster c(Opts(3, /*pre_vote=*/true, /*check_quorum=*/false));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(1));
  for (int i = 0; i < 100; ++i) Round(c);
  EXPECT_EQ(c.node(1).role(), Role::kLeader);
}

// Thesis §9.6: a pre-candidate forgets the leader it knew, so two nodes that
// both lost the same (crashed) leader grant each other's pre-votes instead
// of refusing them on that leader's behalf (CheckQuorum lease).
TEST(PreVote, PreCandidateForgetsOldLeaderAndGrantsOthersPreVotes) {
  auto n = NewNode(TestConfig(2, 3, /*pre_vote=*/true, /*check_quorum=*/true),
                   {T(1), kNoNode, I(0)}, EntriesWithTerms({1}));
  Message hb = Msg(MessageType::kHeartbeat, 1, 2, 1);
  StepOk(*n, hb);
  ASSERT_EQ(n->leader(), N(1));
  Drain(*n);
  // In lease: a pre-vote from n3 is ignored.
  StepOk(*n, VoteMsg(3, 2, 2, 1, 1, /*pre=*/true));
  for (const Message& m : AllMessages(Drain(*n))) {
    EXPECT_NE(m.type, MessageType::kPreVoteReply) << m.Describe();
  }
  // n1 goes silent; n2 times out and becomes a pre-candidate.
  for (int i = 0; i < 20 && n->role() == Role::kFollower; ++i) n->Tick();
  ASSERT_EQ(n->role(), Role::kPreCandidate);
  EXPECT_EQ(n->leader(), kNoNode);
  EXPECT_EQ(n->term(), T(1)) << "a pre-election does not change the term";
  Drain(*n);
  StepOk(*n, VoteMsg(3, 2, 2, 1, 1, /*pre=*/true));
  bool granted = false;
  for (const Message& m : AllMessages(Drain(*n))) {
    if (m.type == MessageType::kPreVoteReply && !m.reject) granted = true;
  }
  EXPECT_TRUE(granted) << "pre-candidate refused a pre-vote for an old leader";
}

// Thesis §9.6 end to end: after the leader crashes, the followers' timers
// fire at different times while the other still thinks the old leader is
// alive; they must not block each other forever.
TEST(PreVote, PreCandidatesDoNotBlockEachOtherAfterLeaderCrash) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(Opts(3, /*pre_vote=*/true, /*check_quorum=*/true, seed));
    ASSERT_TRUE(c.Elect(N(1)));
    for (int i = 0; i < 5; ++i) Round(c);
    c.Crash(N(1));
    const int rounds = RoundsUntilLeader(c, 60);
    EXPECT_GT(rounds, 0) << "seed " << seed;
    EXPECT_LE(rounds, 4 * 10) << "seed " << seed;
  }
}

// Thesis §9.6: a pre-vote request of a lower term than the receiver's is
// answered with the receiver's term, so the pre-candidate can catch up.
TEST(PreVote, LowerTermPreVoteIsAnsweredWithTerm) {
  auto n = NewNode(TestConfig(2, 3, true, true), {T(5), kNoNode, I(0)});
  StepOk(*n, VoteMsg(3, 2, 3, 0, 0, /*pre=*/true));
  const std::vector<Message> out = AllMessages(Drain(*n));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, MessageType::kPreVoteReply);
  EXPECT_TRUE(out[0].reject);
  EXPECT_EQ(out[0].term, T(5));
  // The pre-candidate adopts the term.
  auto pc = NewNode(TestConfig(3, 3, true, true), {T(2), kNoNode, I(0)});
  pc->Campaign();
  ASSERT_EQ(pc->role(), Role::kPreCandidate);
  Drain(*pc);
  StepOk(*pc, out[0]);
  EXPECT_EQ(pc->term(), T(5));
  EXPECT_EQ(pc->role(), Role::kFollower);
}

// Thesis §9.6 + the lower-term rule: a node receiving a lower-term
// AppendEntries with PreVote and CheckQuorum on answers with its term (a
// rejoining leader of an old term learns it is stale).
TEST(PreVote, LowerTermAppendIsAnsweredWithTerm) {
  auto n = NewNode(TestConfig(2, 3, true, true), {T(4), kNoNode, I(0)});
  StepOk(*n, AppendMsg(1, 2, 2, 0, 0, {}, 0));
  StepOk(*n, Msg(MessageType::kHeartbeat, 1, 2, 3));
  const std::vector<Message> out = AllMessages(Drain(*n));
  ASSERT_EQ(out.size(), 2u);
  for (const Message& m : out) {
    EXPECT_EQ(m.to, N(1));
    EXPECT_EQ(m.term, T(4));
  }
}

}  // namespace
}  // namespace raftsim::raft::testing
