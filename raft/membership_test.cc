// raft/membership_test.cc — cluster membership in the core (thesis §4,
// docs/membership.md): the configuration in force on append, single-server
// and joint changes driven through a Cluster, and the rules that published
// bugs broke, one test each, named after its source.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

using confchange::ChangeSingle;
using confchange::ChangeType;
using confchange::ConfChange;
using confchange::Transition;

ConfChange CC(Transition t, std::vector<ChangeSingle> changes) {
  return ConfChange{t, std::move(changes)};
}
ChangeSingle AddV(uint64_t id) { return {ChangeType::kAddVoter, N(id)}; }
ChangeSingle AddL(uint64_t id) { return {ChangeType::kAddLearner, N(id)}; }
ChangeSingle Promote(uint64_t id) { return {ChangeType::kPromote, N(id)}; }
ChangeSingle Remove(uint64_t id) { return {ChangeType::kRemove, N(id)}; }

// A configuration entry i`index`@t`term` for `change`.
Entry ConfEntry(uint64_t index, uint64_t term, const ConfChange& change) {
  return E(index, term, confchange::EncodeConfChange(change),
           EntryKind::kConfig);
}

std::vector<NodeId> Ids(std::initializer_list<uint64_t> ids) {
  std::vector<NodeId> out;
  for (const uint64_t id : ids) out.push_back(N(id));
  return out;
}

void Rounds(Cluster& c, int n) {
  for (int i = 0; i < n; ++i) {
    c.TickAll();
    c.Stabilize();
  }
}

// Proposes `change` on `leader`, expects it accepted, and stabilizes.
void Change(Cluster& c, NodeId leader, const ConfChange& change) {
  const auto r = c.node(leader).ProposeConfChange(change);
  ASSERT_TRUE(r.ok()) << r.status() << " " << change.Describe();
  c.Stabilize();
  // Heartbeats carry the commit index to followers that lag.
  Rounds(c, 2);
}

Cluster::Options Opts(int voters, int spares, bool pre_vote = true,
                      bool check_quorum = true) {
  Cluster::Options o;
  o.voters = voters;
  o.spares = spares;
  o.pre_vote = pre_vote;
  o.check_quorum = check_quorum;
  return o;
}

TEST(Membership, Grow3To5WithLearnersPromoted) {
  Cluster c(Opts(3, 2));
  ASSERT_TRUE(c.Elect(N(1)));
  Change(c, N(1), CC(Transition::kAuto, {AddL(4), AddL(5)}));
  for (const NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).configuration().Describe(),
              "voters=(n1 n2 n3) learners=(n4 n5)")
        << c.node(id).Describe();
  }
  // Learners receive the log.
  EXPECT_EQ(c.node(N(5)).commit_index(), c.node(N(1)).commit_index());
  Change(c, N(1), CC(Transition::kAuto, {Promote(4)}));
  Change(c, N(1), CC(Transition::kAuto, {Promote(5)}));
  for (const NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).configuration().Describe(), "voters=(n1 n2 n3 n4 n5)");
  }
  // n4 and n5 now count: with n1 and n2 down, n3 n4 n5 are a majority.
  c.Crash(N(1));
  c.Crash(N(2));
  Rounds(c, 60);
  const NodeId leader = c.Leader();
  ASSERT_NE(leader, kNoNode);
  EXPECT_GE(leader, N(3));
  const auto r = c.node(leader).Propose(std::vector<Payload>{Payload("x")});
  ASSERT_TRUE(r.ok()) << r.status();
  c.Stabilize();
  EXPECT_GE(c.node(N(4)).commit_index(), r->last);
}

// Thesis §4.2.2: a leader removed from the configuration keeps leading —
// replicating, not counting itself — until the removal commits; then it
// steps down, and the rest elect a leader among themselves.
TEST(Membership, Thesis4_2_2_Shrink5To3RemovingTheLeader) {
  Cluster c(Opts(5, 0));
  ASSERT_TRUE(c.Elect(N(1)));
  Change(c, N(1), CC(Transition::kAuto, {Remove(5)}));
  EXPECT_EQ(c.node(N(2)).configuration().Describe(), "voters=(n1 n2 n3 n4)");
  const auto r =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {Remove(1)}));
  ASSERT_TRUE(r.ok()) << r.status();
  // In force on append, on the leader too: it no longer counts itself.
  EXPECT_FALSE(c.node(N(1)).configuration().voters.Contains(N(1)));
  EXPECT_EQ(c.node(N(1)).role(), Role::kLeader);
  EXPECT_EQ(c.node(N(1)).tracker().Get(N(1)), nullptr);
  c.Stabilize();
  EXPECT_GE(c.node(N(2)).log().LastIndex(), r->last);
  EXPECT_GE(c.node(N(1)).commit_index(), r->last);
  EXPECT_EQ(c.node(N(1)).role(), Role::kFollower) << c.node(N(1)).Describe();
  const Term term = c.node(N(1)).term();
  Rounds(c, 60);
  const NodeId leader = c.Leader();
  ASSERT_NE(leader, kNoNode);
  EXPECT_TRUE(leader == N(2) || leader == N(3) || leader == N(4)) << leader;
  // The removed node never campaigns.
  EXPECT_EQ(c.node(N(1)).role(), Role::kFollower);
  EXPECT_EQ(c.node(N(1)).term(), term);
  const auto p = c.node(leader).Propose(std::vector<Payload>{Payload("x")});
  ASSERT_TRUE(p.ok());
  c.Stabilize();
  EXPECT_GE(c.node(N(3)).commit_index(), p->last);
}

// A leader that removed itself counts nothing toward the quorum, but it
// commits nothing beyond its own durable log: when the remaining voters'
// acknowledgements arrive before its own write of the entry is durable,
// the durability notice must still advance the commit index (it once
// returned early for a leader with no progress of its own, and the entry
// stayed uncommitted forever: the removed leader kept leading, so the
// remaining voter never campaigned).
TEST(Membership, RemovedLeaderCommitsWhenItsOwnWriteBecomesDurable) {
  Cluster::Options o = Opts(2, 0);
  o.sync_persist = false;
  Cluster c(o);
  c.node(N(1)).Campaign();
  for (int i = 0; i < 10; ++i) {
    c.PersistAll();
    c.Stabilize();
  }
  ASSERT_EQ(c.node(N(1)).role(), Role::kLeader);
  const auto r =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {Remove(1)}));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(c.node(N(1)).tracker().Get(N(1)), nullptr);
  // n1 sends the entry but its own write stays pending; n2 writes it,
  // persists it and acknowledges it.
  c.ProcessReady(N(1));
  for (int i = 0; i < 10; ++i) {
    c.Deliver([](const Message& m) { return m.to == N(2); });
    c.ProcessReady(N(2));
    while (c.PersistOne(N(2))) {
    }
    c.ProcessReady(N(2));
  }
  c.Deliver([](const Message& m) { return m.to == N(1); });
  c.ProcessReady(N(1));
  EXPECT_LT(c.node(N(1)).commit_index(), r->last);
  // Now n1's write is durable: the entry commits, and n1 steps down.
  while (c.PersistOne(N(1))) {
  }
  c.ProcessReady(N(1));
  EXPECT_GE(c.node(N(1)).commit_index(), r->last) << c.node(N(1)).Describe();
  for (int i = 0; i < 5; ++i) {
    c.PersistAll();
    c.Stabilize();
  }
  EXPECT_EQ(c.node(N(1)).role(), Role::kFollower) << c.node(N(1)).Describe();
}

// Thesis §4.2.2: until C_new commits, C_old's members run the cluster. A
// leader of {n1, n2} removes itself, then steps down through CheckQuorum
// before n2 holds the removal (sweep seed 1765 of the gate's range). n2,
// still under {n1, n2}, needs n1's vote, which n1's longer log refuses; so
// n1, a voter of the configuration before its uncommitted removal, must
// stand again (counting only n2's vote, under {n2}), commit its removal
// and step down, after which n2 leads alone.
TEST(Membership,
     RemovedLeaderThatSteppedDownBeforeItsRemovalSpreadStandsAgain) {
  Cluster c(Opts(2, 0, /*pre_vote=*/true, /*check_quorum=*/true));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Cut(N(1), N(2));
  const auto r =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {Remove(1)}));
  ASSERT_TRUE(r.ok()) << r.status();
  c.Stabilize();
  ASSERT_FALSE(c.node(N(1)).configuration().voters.Contains(N(1)));
  ASSERT_TRUE(c.node(N(2)).configuration().voters.Contains(N(1)));
  // CheckQuorum: n1 hears from no voter of {n2} for an election timeout.
  for (int i = 0; i < 40 && c.node(N(1)).role() == Role::kLeader; ++i) {
    c.Tick(N(1));
    c.Stabilize();
  }
  ASSERT_NE(c.node(N(1)).role(), Role::kLeader) << c.node(N(1)).Describe();
  EXPECT_TRUE(c.node(N(1)).MayCampaign());
  c.Heal();
  for (int i = 0; i < 200 && !(c.node(N(2)).role() == Role::kLeader &&
                               c.node(N(2)).commit_index() >= r->last);
       ++i) {
    c.TickAll();
    c.Stabilize();
  }
  EXPECT_EQ(c.node(N(2)).role(), Role::kLeader) << c.node(N(2)).Describe();
  EXPECT_GE(c.node(N(2)).commit_index(), r->last);
  EXPECT_FALSE(c.node(N(2)).configuration().voters.Contains(N(1)));
  // Once it knows its removal committed, n1 never stands again.
  EXPECT_NE(c.node(N(1)).role(), Role::kLeader);
  EXPECT_FALSE(c.node(N(1)).MayCampaign()) << c.node(N(1)).Describe();
}

// etcd #12136: the joint configuration is left automatically even when the
// leader that entered it loses leadership after the joint entry committed
// and before the leave entry spread: the NEW leader appends the leave entry.
TEST(Membership, Etcd12136_NewLeaderLeavesJointAutomatically) {
  Cluster c(Opts(3, 2, /*pre_vote=*/false, /*check_quorum=*/false));
  ASSERT_TRUE(c.Elect(N(1)));
  const auto r =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {AddV(4), AddV(5)}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(c.node(N(1)).configuration().Describe(),
            "voters=(n1 n2 n3 n4 n5)&&(n1 n2 n3) autoleave");
  c.ProcessReadys();
  c.Deliver([](const Message& m) { return m.from == N(1); });
  c.ProcessReadys();
  // n1 hears the acks and commits the joint entry, but what it sends next
  // (the leave entry, the commit index) is lost, and it crashes.
  for (uint64_t to = 2; to <= 5; ++to) c.Cut(N(1), N(to));
  c.Stabilize();
  ASSERT_GE(c.node(N(1)).commit_index(), r->last);
  ASSERT_TRUE(c.node(N(1)).configuration().voters.IsJoint() == false);
  c.Crash(N(1));
  c.Heal();
  EXPECT_TRUE(c.node(N(2)).configuration().voters.IsJoint());
  EXPECT_LT(c.node(N(2)).commit_index(), r->last);
  ASSERT_TRUE(c.Elect(N(2)));
  Rounds(c, 3);
  for (uint64_t id = 2; id <= 5; ++id) {
    EXPECT_EQ(c.node(N(id)).configuration().Describe(),
              "voters=(n1 n2 n3 n4 n5)")
        << c.node(N(id)).Describe();
  }
  const Node& n2 = c.node(N(2));
  const Entry& leave = n2.log().At(n2.configuration_index());
  EXPECT_EQ(leave.kind, EntryKind::kConfig);
  EXPECT_EQ(leave.term, n2.term());  // Appended by the new leader.
  EXPECT_LE(n2.configuration_index(), n2.commit_index());
}

// Makes `id` leader by delivering only votes, so that its no-op is
// appended but not yet committed.
void ElectWithoutCommit(Cluster& c, NodeId id) {
  c.node(id).Campaign();
  for (int i = 0; i < 4 && c.node(id).role() != Role::kLeader; ++i) {
    c.ProcessReadys();
    c.Deliver([](const Message& m) {
      return m.type == MessageType::kVote || m.type == MessageType::kVoteReply;
    });
  }
  ASSERT_EQ(c.node(id).role(), Role::kLeader);
}

// Ongaro, raft-dev 2015 ("bug in single-server membership changes"): a new
// leader that proposes a change before an entry of its own term commits
// can build on its predecessor's uncommitted change, and the two changes,
// each one server from a common base, can have disjoint majorities. Here
// n1 appended add(n4) and reached only n2 before crashing; n2's first
// change (remove n3, one add and one remove across terms) must wait for its
// no-op to commit, which also commits add(n4) under the rules of C_{1234}.
TEST(Membership, Ongaro2015_NoChangeBeforeOwnTermCommit) {
  Cluster c(Opts(3, 1, /*pre_vote=*/false, /*check_quorum=*/false));
  ASSERT_TRUE(c.Elect(N(1)));
  const auto r =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {AddV(4)}));
  ASSERT_TRUE(r.ok()) << r.status();
  c.ProcessReadys();
  c.Deliver([](const Message& m) {
    return m.from == N(1) && m.to == N(2) && m.type == MessageType::kAppend;
  });
  c.Crash(N(1));
  c.DropAll();
  // NuRaft PR #67: the new leader treats the latest configuration in its
  // log as in force although it is not committed.
  EXPECT_EQ(c.node(N(2)).configuration().Describe(), "voters=(n1 n2 n3 n4)");
  ElectWithoutCommit(c, N(2));
  const auto early =
      c.node(N(2)).ProposeConfChange(CC(Transition::kAuto, {Remove(3)}));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kUnavailable)
      << early.status();
  c.Stabilize();
  Rounds(c, 3);
  EXPECT_GE(c.node(N(2)).commit_index(), r->last);
  const auto later =
      c.node(N(2)).ProposeConfChange(CC(Transition::kAuto, {Remove(3)}));
  EXPECT_TRUE(later.ok()) << later.status();
  // One change at a time: the next waits for this one to commit.
  const auto second =
      c.node(N(2)).ProposeConfChange(CC(Transition::kAuto, {AddL(1)}));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("not committed yet"),
            std::string::npos);
}

// NuRaft PR #67: a node whose log ends with an uncommitted configuration
// entry campaigns and leads under it: it needs a majority of the new
// voters, for the election and for commit.
TEST(Membership, NuRaft67_NewLeaderUsesUncommittedConfiguration) {
  auto n = NewNode(TestConfig(1), {T(1), kNoNode, I(0)},
                   {ConfEntry(1, 1, CC(Transition::kAuto, {AddV(4)}))});
  EXPECT_EQ(n->configuration().Describe(), "voters=(n1 n2 n3 n4)");
  EXPECT_EQ(n->configuration_index(), I(1));
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 2));
  EXPECT_EQ(n->role(), Role::kCandidate);  // 2 of 4 is no majority.
  StepOk(*n, VoteReply(4, 1, 2));
  ASSERT_EQ(n->role(), Role::kLeader);
  Drain(*n);
  StepOk(*n, AppendReply(2, 1, 2, 2));
  EXPECT_EQ(n->commit_index(), I(0));  // n1 n2 of four.
  StepOk(*n, AppendReply(3, 1, 2, 2));
  EXPECT_EQ(n->commit_index(), I(2));
}

// A joint leader ⟨C_new = (n1 n4 n5), C_old = (n1 n2 n3)⟩ with learner n6.
std::unique_ptr<Node> JointLeader(bool check_quorum = false) {
  Config cfg = TestConfig(1, 3, /*pre_vote=*/false, check_quorum);
  auto n = NewNode(
      cfg, {T(1), kNoNode, I(0)},
      {ConfEntry(1, 1,
                 CC(Transition::kJointExplicit,
                    {Remove(2), Remove(3), AddV(4), AddV(5), AddL(6)}))});
  EXPECT_EQ(n->configuration().Describe(),
            "voters=(n1 n4 n5)&&(n1 n2 n3) learners=(n6)");
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(4, 1, 2));
  StepOk(*n, VoteReply(5, 1, 2));
  StepOk(*n, VoteReply(6, 1, 2));  // A learner's vote counts for nothing.
  EXPECT_EQ(n->role(), Role::kCandidate) << "won without C_old";
  StepOk(*n, VoteReply(2, 1, 2));
  CHECK(n->role() == Role::kLeader);
  Drain(*n);
  return n;
}

// openraft / async-raft history: commit, ReadIndex and CheckQuorum in a
// joint configuration need a majority of each half, and learners never
// count.
TEST(Membership, Openraft_JointCommitNeedsBothHalves) {
  auto n = JointLeader();
  StepOk(*n, AppendReply(4, 1, 2, 2));
  StepOk(*n, AppendReply(5, 1, 2, 2));
  StepOk(*n, AppendReply(6, 1, 2, 2));
  EXPECT_EQ(n->commit_index(), I(0)) << "committed by C_new alone";
  StepOk(*n, AppendReply(3, 1, 2, 2));
  EXPECT_EQ(n->commit_index(), I(2));
}

TEST(Membership, Openraft_JointReadIndexNeedsBothHalves) {
  auto n = JointLeader();
  for (uint64_t id = 2; id <= 6; ++id) StepOk(*n, AppendReply(id, 1, 2, 2));
  ASSERT_EQ(n->commit_index(), I(2));
  Drain(*n);
  ASSERT_TRUE(n->ReadIndex(7).ok());
  Drain(*n);
  auto ack = [&](uint64_t from) {
    Message m = Msg(MessageType::kHeartbeatReply, from, 1, 2);
    m.context = 7;
    StepOk(*n, m);
    return Drain(*n).read_states.size();
  };
  EXPECT_EQ(ack(4), 0u);
  EXPECT_EQ(ack(5), 0u);
  EXPECT_EQ(ack(6), 0u) << "a learner confirmed a read";
  EXPECT_EQ(ack(2), 1u);
}

TEST(Membership, Openraft_JointCheckQuorumNeedsBothHalves) {
  auto n = JointLeader(/*check_quorum=*/true);
  for (int round = 0; round < 3 && n->role() == Role::kLeader; ++round) {
    for (int t = 0; t < 10; ++t) {
      for (const uint64_t id : {4, 5, 6}) {
        StepOk(*n, Msg(MessageType::kHeartbeatReply, id, 1, 2));
      }
      n->Tick();
      Drain(*n);
    }
  }
  EXPECT_EQ(n->role(), Role::kFollower) << "C_new alone kept it leader";
}

TEST(Membership, Openraft_JointCheckQuorumHoldsWithBothHalves) {
  auto n = JointLeader(/*check_quorum=*/true);
  for (int t = 0; t < 40; ++t) {
    for (const uint64_t id : {2, 4, 5}) {
      StepOk(*n, Msg(MessageType::kHeartbeatReply, id, 1, 2));
    }
    n->Tick();
    Drain(*n);
  }
  EXPECT_EQ(n->role(), Role::kLeader);
}

// etcd PR #10998: a learner never campaigns, but answers vote requests —
// it may be a voter in a configuration it has not yet received.
TEST(Membership, Etcd10998_LearnerNeverCampaignsButVotes) {
  Config cfg = TestConfig(4);
  cfg.learners = {N(4)};
  auto n = NewNode(cfg, {T(1), kNoNode, I(0)});
  for (int t = 0; t < 100; ++t) n->Tick();
  n->Campaign();
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(1));
  Drain(*n);
  StepOk(*n, VoteMsg(2, 4, 2, 0, 0));
  const Ready rd = Drain(*n);
  const std::vector<Message> out = AllMessages(rd);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, MessageType::kVoteReply);
  EXPECT_FALSE(out[0].reject);
}

// Thesis §4.2.3: a removed server that keeps running (it never learned of
// its removal) cannot disrupt the cluster: with PreVote and CheckQuorum its
// requests are ignored while the leader is heard.
TEST(Membership, Thesis4_2_3_RemovedNodeIsIgnoredInLease) {
  Cluster c(Opts(3, 0));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  Change(c, N(1), CC(Transition::kAuto, {Remove(3)}));
  EXPECT_EQ(c.node(N(1)).configuration().Describe(), "voters=(n1 n2)");
  EXPECT_EQ(c.node(N(3)).configuration().Describe(), "voters=(n1 n2 n3)");
  c.Heal();
  const Term term = c.node(N(1)).term();
  Rounds(c, 100);
  EXPECT_EQ(c.Leader(), N(1));
  EXPECT_EQ(c.node(N(1)).term(), term);
  EXPECT_EQ(c.node(N(2)).term(), term);
}

// Thesis §4.2.3, without PreVote and CheckQuorum: the removed server can
// raise the term and depose the leader, but it can never win (its log
// lacks the removal), and the cluster goes on without it.
TEST(Membership, Thesis4_2_3_RemovedNodeCannotWin) {
  Cluster c(Opts(3, 0, /*pre_vote=*/false, /*check_quorum=*/false));
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  Change(c, N(1), CC(Transition::kAuto, {Remove(3)}));
  c.Heal();
  for (int i = 0; i < 200; ++i) {
    c.TickAll();
    c.Stabilize();
    ASSERT_NE(c.node(N(3)).role(), Role::kLeader) << i;
  }
  Rounds(c, 30);
  const NodeId leader = c.Leader();
  ASSERT_TRUE(leader == N(1) || leader == N(2)) << leader;
  const auto p = c.node(leader).Propose(std::vector<Payload>{Payload("x")});
  ASSERT_TRUE(p.ok());
  c.Stabilize();
  EXPECT_GE(c.node(N(1)).commit_index(), p->last);
  EXPECT_GE(c.node(N(2)).commit_index(), p->last);
}

// Thesis §4.1: a configuration takes effect on append, and a truncated
// configuration entry stops being in force: the previous one is again.
TEST(Membership, TruncationRevertsUncommittedConfiguration) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)}, {E(1, 1)});
  Drain(*n);
  StepOk(*n, AppendMsg(1, 2, 1, 1, 1,
                       {ConfEntry(2, 1, CC(Transition::kAuto, {AddV(4)}))}, 1));
  EXPECT_EQ(n->configuration().Describe(), "voters=(n1 n2 n3 n4)");
  EXPECT_EQ(n->configuration_index(), I(2));
  Ready rd = Drain(*n);
  ASSERT_TRUE(rd.membership.has_value());
  EXPECT_EQ(rd.membership->Describe(), "i2 voters=(n1 n2 n3 n4) learners=()");
  // A leader of term 2 replaces i2 with a normal entry.
  StepOk(*n, AppendMsg(3, 2, 2, 1, 1, {E(2, 2, "x")}, 1));
  EXPECT_EQ(n->configuration().Describe(), "voters=(n1 n2 n3)");
  EXPECT_EQ(n->configuration_index(), I(0));
  rd = Drain(*n);
  ASSERT_TRUE(rd.membership.has_value());
  EXPECT_EQ(rd.membership->Describe(), "i0 voters=(n1 n2 n3) learners=()");
  // A repeated append of what the log holds changes nothing.
  StepOk(*n, AppendMsg(3, 2, 2, 1, 1, {E(2, 2, "x")}, 1));
  EXPECT_FALSE(Drain(*n).membership.has_value());
}

TEST(Membership, MalformedConfigEntryIsRefusedAtStep) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)});
  const absl::Status s = n->Step(AppendMsg(
      1, 2, 1, 0, 0, {E(1, 1, "\x07garbage", EntryKind::kConfig)}, 0));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(n->last_index(), I(0));
}

TEST(Membership, DurableConfigEntryThatDoesNotApplyFailsCreate) {
  DurableState state;
  state.hard_state = {T(1), kNoNode, I(0)};
  state.entries = {ConfEntry(1, 1, CC(Transition::kAuto, {Remove(9)}))};
  const auto n = Node::Create(TestConfig(1), std::move(state));
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(n.status().message().find("unknown node"), std::string::npos)
      << n.status();
}

// A restarted node replays the configuration entries of its log.
TEST(Membership, RestartReplaysConfigurationEntries) {
  Cluster c(Opts(3, 1));
  ASSERT_TRUE(c.Elect(N(1)));
  Change(c, N(1), CC(Transition::kAuto, {AddL(4)}));
  Change(c, N(1), CC(Transition::kAuto, {Promote(4)}));
  const LogIndex index = c.node(N(2)).configuration_index();
  c.Crash(N(2));
  c.Restart(N(2));
  EXPECT_EQ(c.node(N(2)).configuration().Describe(), "voters=(n1 n2 n3 n4)");
  EXPECT_EQ(c.node(N(2)).configuration_index(), index);
}

// A snapshot carries the configuration in force at its index, which may be
// older than the latest in the log.
TEST(Membership, CompactRecordsTheConfigurationAtTheSnapshotIndex) {
  auto n = NewNode(
      TestConfig(2), {T(1), kNoNode, I(1)},
      {E(1, 1, "a"), ConfEntry(2, 1, CC(Transition::kAuto, {AddV(4)}))});
  Drain(*n);
  ASSERT_EQ(n->applied_index(), I(1));
  Snapshot snap = Snap(1, 1, "state", {1, 2, 3, 4});  // Wrong on purpose.
  ASSERT_TRUE(n->Compact(snap, 0).ok());
  EXPECT_EQ(n->snapshot().meta.conf.voters, Ids({1, 2, 3}));
  EXPECT_EQ(n->configuration().Describe(), "voters=(n1 n2 n3 n4)");
  // Compacting past the configuration entry records it.
  StepOk(*n, AppendMsg(1, 2, 1, 2, 1, {E(3, 1, "b")}, 3));
  Drain(*n);
  Drain(*n);  // Applies once durable.
  ASSERT_EQ(n->applied_index(), I(3));
  ASSERT_TRUE(n->Compact(Snap(3, 1, "state"), 0).ok());
  EXPECT_EQ(n->snapshot().meta.conf.voters, Ids({1, 2, 3, 4}));
  EXPECT_EQ(n->configuration_index(), I(2));  // The entry that set it.
}

// A snapshot installed from the leader brings its configuration, and a
// restart from it keeps it.
TEST(Membership, SnapshotInstallSetsTheConfiguration) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)});
  Message m = Msg(MessageType::kSnapshot, 1, 2, 1);
  auto snap = std::make_shared<Snapshot>(Snap(5, 1, "s", {1, 2, 3, 4}));
  snap->meta.conf.learners = Ids({5});
  m.snapshot = snap;
  StepOk(*n, m);
  EXPECT_EQ(n->configuration().Describe(),
            "voters=(n1 n2 n3 n4) learners=(n5)");
  EXPECT_EQ(n->configuration_index(), I(5));
  const Ready rd = Drain(*n);
  ASSERT_TRUE(rd.membership.has_value());
}

TEST(Membership, SnapshotWithAnInvalidMembershipIsRefused) {
  auto n = NewNode(TestConfig(2), {T(1), kNoNode, I(0)});
  Message m = Msg(MessageType::kSnapshot, 1, 2, 1);
  auto snap = std::make_shared<Snapshot>(Snap(5, 1, "s", {1, 2, 3}));
  snap->meta.conf.learners = Ids({3});  // Both voter and learner.
  m.snapshot = snap;
  StepOk(*n, m);
  EXPECT_EQ(n->last_index(), I(0));
  const std::vector<Message> out = AllMessages(Drain(*n));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].reject);
}

TEST(Membership, ProposeConfChangeRefusals) {
  Cluster c(Opts(3, 0));
  ASSERT_TRUE(c.Elect(N(1)));
  const auto follower =
      c.node(N(2)).ProposeConfChange(CC(Transition::kAuto, {AddL(4)}));
  EXPECT_EQ(follower.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LeaderHint(follower.status()), N(1));
  const auto invalid =
      c.node(N(1)).ProposeConfChange(CC(Transition::kAuto, {AddV(2)}));
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  const auto boot =
      c.node(N(1)).ProposeConfChange(CC(Transition::kBootstrap, {AddV(4)}));
  EXPECT_EQ(boot.status().code(), absl::StatusCode::kInvalidArgument);
  const auto leave = c.node(N(1)).ProposeConfChange(ConfChange::LeaveJoint());
  EXPECT_EQ(leave.status().code(), absl::StatusCode::kFailedPrecondition);
}

// An explicit joint change stays joint until LeaveJoint is proposed.
TEST(Membership, ExplicitJointIsLeftByProposal) {
  Cluster c(Opts(3, 1));
  ASSERT_TRUE(c.Elect(N(1)));
  Change(c, N(1), CC(Transition::kJointExplicit, {AddV(4), Remove(3)}));
  for (uint64_t id = 1; id <= 4; ++id) {
    EXPECT_EQ(c.node(N(id)).configuration().Describe(),
              "voters=(n1 n2 n4)&&(n1 n2 n3)");
  }
  Change(c, N(1), ConfChange::LeaveJoint());
  for (const uint64_t id : {1, 2, 4}) {
    EXPECT_EQ(c.node(N(id)).configuration().Describe(), "voters=(n1 n2 n4)");
  }
  // n3 is no member once the leave entry is appended: nobody replicates to
  // it any more, and it never hears of the leave.
  EXPECT_TRUE(c.node(N(3)).configuration().voters.IsJoint());
  EXPECT_EQ(c.node(N(1)).tracker().Get(N(3)), nullptr);
}

// Cluster initialisation: a node with empty durable state and no
// Config.voters is uninitialised — it neither campaigns nor grants votes.
Config Uninitialised(uint64_t id) {
  Config cfg = TestConfig(id);
  cfg.voters.clear();
  return cfg;
}

ConfState Members(std::initializer_list<uint64_t> voters,
                  std::initializer_list<uint64_t> learners = {}) {
  ConfState conf;
  conf.voters = Ids(voters);
  conf.learners = Ids(learners);
  return conf;
}

TEST(Bootstrap, UninitialisedNodeNeitherCampaignsNorVotes) {
  auto n = NewNode(Uninitialised(1), {});
  EXPECT_FALSE(n->initialised());
  for (int t = 0; t < 100; ++t) n->Tick();
  n->Campaign();
  EXPECT_EQ(n->role(), Role::kFollower);
  EXPECT_EQ(n->term(), T(0));
  Drain(*n);
  StepOk(*n, VoteMsg(2, 1, 3, 5, 2));
  const std::vector<Message> out = AllMessages(Drain(*n));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].reject);
  EXPECT_EQ(n->voted_for(), kNoNode);
}

TEST(Bootstrap, WritesTheFirstConfigurationEntry) {
  auto n = NewNode(Uninitialised(1), {});
  ASSERT_TRUE(n->Bootstrap(Members({1, 2, 3}, {4})).ok());
  EXPECT_TRUE(n->initialised());
  EXPECT_EQ(n->configuration().Describe(), "voters=(n1 n2 n3) learners=(n4)");
  EXPECT_EQ(n->configuration_index(), I(1));
  EXPECT_EQ(n->commit_index(), I(1));
  const Ready rd = TakeReady(*n);
  ASSERT_EQ(rd.entries.size(), 1u);
  EXPECT_EQ(rd.entries[0].Describe().substr(0, 12), "i1@t1 config");
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->Describe(), "term=t1 vote=none commit=i1");
  ASSERT_TRUE(rd.membership.has_value());
  // A restart from what it wrote is initialised.
  DurableState state;
  state.hard_state = *rd.hard_state;
  state.entries = rd.entries;
  auto restarted = Node::Create(Uninitialised(1), std::move(state));
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ((*restarted)->configuration().Describe(),
            "voters=(n1 n2 n3) learners=(n4)");
}

TEST(Bootstrap, SameMembershipAgainIsANoOp) {
  auto n = NewNode(Uninitialised(1), {});
  ASSERT_TRUE(n->Bootstrap(Members({3, 1, 2})).ok());
  Drain(*n);
  Drain(*n);  // Applies i1 once durable.
  EXPECT_TRUE(n->Bootstrap(Members({1, 2, 3})).ok());
  EXPECT_EQ(n->last_index(), I(1));
  EXPECT_FALSE(n->HasReady());
}

TEST(Bootstrap, DifferentSecondBootstrapIsRefused) {
  auto n = NewNode(Uninitialised(1), {});
  ASSERT_TRUE(n->Bootstrap(Members({1, 2, 3})).ok());
  const absl::Status s = n->Bootstrap(Members({1, 2}));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("already initialised"), std::string::npos) << s;
  EXPECT_EQ(n->last_index(), I(1));
}

TEST(Bootstrap, StaticMembershipIsRefused) {
  auto n = NewNode(TestConfig(1), {});
  const absl::Status s = n->Bootstrap(Members({1, 2, 3}));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(n->last_index(), I(0));
}

TEST(Bootstrap, InvalidMembershipsAreRefused) {
  auto n = NewNode(Uninitialised(1), {});
  EXPECT_FALSE(n->Bootstrap(Members({})).ok());
  EXPECT_FALSE(n->Bootstrap(Members({1, 2}, {2})).ok());
  ConfState joint = Members({1});
  joint.voters_outgoing = Ids({2});
  EXPECT_EQ(n->Bootstrap(joint).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(n->initialised());
  EXPECT_EQ(n->last_index(), I(0));
}

TEST(Bootstrap, NonEmptyLogWithoutMembershipFailsCreate) {
  DurableState state;
  state.entries = {E(1, 1)};
  state.hard_state = {T(1), kNoNode, I(0)};
  EXPECT_FALSE(Node::Create(Uninitialised(1), std::move(state)).ok());
}

// The usual pattern: bootstrap one node alone, then add the others, which
// start uninitialised and learn everything from the leader's log.
TEST(Bootstrap, OneNodeThenGrowByConfigurationChanges) {
  Cluster::Options o = Opts(3, 0);
  o.adjust_config = [](Config& cfg) {
    cfg.voters.clear();
    cfg.learners.clear();
  };
  Cluster c(o);
  Rounds(c, 30);
  EXPECT_EQ(c.Leader(), kNoNode);
  ASSERT_TRUE(c.node(N(1)).Bootstrap(Members({1})).ok());
  c.Stabilize();
  ASSERT_TRUE(c.Elect(N(1)));
  Change(c, N(1), CC(Transition::kAuto, {AddV(2)}));
  Change(c, N(1), CC(Transition::kAuto, {AddV(3)}));
  for (const NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).configuration().Describe(), "voters=(n1 n2 n3)")
        << c.node(id).Describe();
  }
  c.Crash(N(1));
  Rounds(c, 60);
  const NodeId leader = c.Leader();
  ASSERT_TRUE(leader == N(2) || leader == N(3)) << leader;
  c.Restart(N(1));
  Rounds(c, 5);
  EXPECT_EQ(c.node(N(1)).configuration().Describe(), "voters=(n1 n2 n3)");
}

// Every node bootstrapped with the same membership elects a leader.
TEST(Bootstrap, EveryNodeBootstrappedElects) {
  Cluster::Options o = Opts(3, 0);
  o.adjust_config = [](Config& cfg) { cfg.voters.clear(); };
  Cluster c(o);
  for (const NodeId id : c.ids()) {
    ASSERT_TRUE(c.node(id).Bootstrap(Members({1, 2, 3})).ok());
  }
  c.Stabilize();
  Rounds(c, 40);
  const NodeId leader = c.Leader();
  ASSERT_NE(leader, kNoNode);
  const auto p = c.node(leader).Propose(std::vector<Payload>{Payload("x")});
  ASSERT_TRUE(p.ok());
  c.Stabilize();
  for (const NodeId id : c.ids()) EXPECT_GE(c.node(id).commit_index(), p->last);
}

}  // namespace
}  // namespace raftsim::raft::testing
