// raft/transfer_test.cc — leadership transfer in the core (thesis §3.10,
// docs/membership.md "Leadership transfer"): the target is caught up, gets
// TimeoutNow and campaigns with flagged vote requests that voters grant in
// lease; the transfer aborts after an election timeout; proposals are
// refused meanwhile; the leader's lease is void once it sent TimeoutNow.

#include <algorithm>
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

void Rounds(Cluster& c, int n) {
  for (int i = 0; i < n; ++i) {
    c.TickAll();
    c.Stabilize();
  }
}

Cluster::Options Opts(bool lease_read = false) {
  Cluster::Options o;
  o.voters = 3;
  if (lease_read) {
    o.adjust_config = [](Config& c) { c.lease_read = true; };
  }
  return o;
}

// The TimeoutNow messages queued for `to`.
int QueuedTimeoutNow(Cluster& c, NodeId to) {
  int n = 0;
  for (const Message& m : c.queue()) {
    n += m.type == MessageType::kTimeoutNow && m.to == to;
  }
  return n;
}

absl::Status ProposeOne(Node& n, std::string payload = "x") {
  const Payload p[] = {Payload(std::move(payload))};
  return n.Propose(p).status();
}

// A cluster with `leader` elected and everything committed and applied.
void ElectAndSettle(Cluster& c, NodeId leader) {
  ASSERT_TRUE(c.Elect(leader));
  Rounds(c, 2);
}

TEST(Transfer, ToAnUpToDateFollower) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  const Term before = c.node(1).term();
  ASSERT_TRUE(c.node(1).TransferLeadership(N(2)).ok());
  EXPECT_EQ(c.node(1).lead_transferee(), N(2));
  c.ProcessReady(N(1));
  // n2 holds the whole log: TimeoutNow leaves at once.
  EXPECT_EQ(QueuedTimeoutNow(c, N(2)), 1);
  c.Stabilize();
  EXPECT_EQ(c.node(2).role(), Role::kLeader) << c.node(2).Describe();
  EXPECT_EQ(c.node(2).term(), Next(before));
  EXPECT_EQ(c.node(1).role(), Role::kFollower);
  EXPECT_EQ(c.node(1).leader(), N(2));
  EXPECT_EQ(c.node(1).lead_transferee(), kNoNode);
  // The new leader takes proposals.
  EXPECT_TRUE(ProposeOne(c.node(2)).ok());
}

TEST(Transfer, LaggingFollowerCatchesUpFirst) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  c.Isolate(N(3));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(ProposeOne(c.node(1)).ok());
  c.Stabilize();
  c.Heal();
  const LogIndex last = c.node(1).last_index();
  ASSERT_LT(c.node(3).last_index(), last);
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  c.ProcessReady(N(1));
  // Not yet: n3 must catch up before it may campaign.
  EXPECT_EQ(QueuedTimeoutNow(c, N(3)), 0);
  bool timeout_now_sent = false;
  while (c.queued() > 0 && !timeout_now_sent) {
    c.DeliverOne();
    c.ProcessReadys();
    if (QueuedTimeoutNow(c, N(3)) > 0) {
      timeout_now_sent = true;
      // Sent once n3's match reached the leader's last index.
      EXPECT_EQ(c.node(1).tracker().Get(N(3))->match(), last);
      EXPECT_EQ(c.node(3).last_index(), last);
    }
  }
  ASSERT_TRUE(timeout_now_sent);
  c.Stabilize();
  EXPECT_EQ(c.node(3).role(), Role::kLeader) << c.node(3).Describe();
  EXPECT_EQ(c.Leader(), N(3));
}

TEST(Transfer, AbortsAfterAnElectionTimeoutAndProposalsResume) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  c.Isolate(N(3));
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  c.Stabilize();
  // Refused while the transfer is in progress.
  const absl::Status refused = ProposeOne(c.node(1));
  EXPECT_TRUE(absl::IsUnavailable(refused)) << refused;
  EXPECT_EQ(refused.message(), "leadership transfer to n3 in progress");
  const ConfChange remove{Transition::kAuto, {{ChangeType::kRemove, N(2)}}};
  const auto cc = c.node(1).ProposeConfChange(remove);
  EXPECT_TRUE(absl::IsUnavailable(cc.status())) << cc.status();
  // ReadIndex still works (a heartbeat round).
  EXPECT_TRUE(c.node(1).ReadIndex(7).ok());
  // One election timeout (10 ticks) of the leader without success.
  for (int i = 0; i < 9; ++i) {
    c.Tick(N(1));
    c.Tick(N(2));
    c.Stabilize();
    EXPECT_EQ(c.node(1).lead_transferee(), N(3)) << "tick " << i + 1;
  }
  c.Tick(N(1));
  c.Stabilize();
  EXPECT_EQ(c.node(1).lead_transferee(), kNoNode);
  EXPECT_EQ(c.node(1).role(), Role::kLeader);
  EXPECT_TRUE(ProposeOne(c.node(1)).ok());
}

TEST(Transfer, ReadIndexWorksDuringTransfer) {
  std::vector<uint64_t> confirmed;
  Cluster::Options o = Opts();
  o.on_ready = [&](NodeId id, const Ready& rd) {
    if (id != N(1)) return;
    for (const ReadState& rs : rd.read_states) confirmed.push_back(rs.context);
  };
  Cluster c(o);
  ElectAndSettle(c, N(1));
  c.Isolate(N(3));
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  ASSERT_TRUE(c.node(1).ReadIndex(7).ok());
  c.Stabilize();
  EXPECT_EQ(confirmed, std::vector<uint64_t>{7});
}

TEST(Transfer, RefusedWithAClearStatus) {
  Cluster::Options o = Opts();
  o.learners = 1;
  Cluster c(o);  // n1..n3 voters, n4 learner.
  ElectAndSettle(c, N(1));
  const absl::Status follower = c.node(2).TransferLeadership(N(3));
  EXPECT_TRUE(absl::IsFailedPrecondition(follower)) << follower;
  EXPECT_EQ(LeaderHint(follower), N(1));
  const absl::Status self = c.node(1).TransferLeadership(N(1));
  EXPECT_TRUE(absl::IsInvalidArgument(self)) << self;
  EXPECT_NE(self.message().find("already the leader"), std::string::npos);
  const absl::Status unknown = c.node(1).TransferLeadership(N(9));
  EXPECT_TRUE(absl::IsInvalidArgument(unknown)) << unknown;
  EXPECT_NE(unknown.message().find("not a member"), std::string::npos);
  const absl::Status learner = c.node(1).TransferLeadership(N(4));
  EXPECT_TRUE(absl::IsFailedPrecondition(learner)) << learner;
  EXPECT_NE(learner.message().find("not a voter"), std::string::npos);
  EXPECT_EQ(c.node(1).lead_transferee(), kNoNode);
  EXPECT_TRUE(ProposeOne(c.node(1)).ok());
}

TEST(Transfer, SameTargetIsANoOpAnotherReplaces) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  c.Isolate(N(3));
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  c.Stabilize();
  for (int i = 0; i < 5; ++i) {
    c.Tick(N(1));
    c.Stabilize();
  }
  // The same target again keeps the transfer (and its deadline).
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  for (int i = 0; i < 5; ++i) {
    c.Tick(N(1));
    c.Stabilize();
  }
  EXPECT_EQ(c.node(1).lead_transferee(), kNoNode);
  // Another target replaces the one in progress.
  ASSERT_TRUE(c.node(1).TransferLeadership(N(3)).ok());
  ASSERT_TRUE(c.node(1).TransferLeadership(N(2)).ok());
  EXPECT_EQ(c.node(1).lead_transferee(), N(2));
  c.Stabilize();
  EXPECT_EQ(c.Leader(), N(2));
}

// A voter that heard the leader just now ignores a plain vote request of a
// later term (CheckQuorum, and with lease reads its promise), but grants a
// transfer's.
void FlagHonouredInLease(bool lease_read) {
  Cluster c(Opts(lease_read));
  // With lease reads, a node that started less than an election timeout
  // ago is in lease: let time pass first.
  while (c.Leader() == kNoNode) Rounds(c, 1);
  Rounds(c, 2);
  const NodeId leader = c.Leader();
  const NodeId voter = leader == N(2) ? N(3) : N(2);
  const NodeId candidate = leader == N(1) ? N(3) : N(1);
  Node& v = c.node(voter);
  const Term term = v.term();
  ASSERT_EQ(v.leader(), leader);
  Message plain = VoteMsg(candidate.value(), voter.value(), Next(term).value(),
                          v.last_index().value(), v.last_term().value());
  Message flagged = plain;
  flagged.transfer = true;
  StepOk(v, plain);
  EXPECT_EQ(v.term(), term) << "a plain vote request deposed a live leader";
  const Ready plain_rd = Drain(v);
  EXPECT_TRUE(AllMessages(plain_rd).empty());
  StepOk(v, flagged);
  EXPECT_EQ(v.term(), Next(term));
  EXPECT_EQ(v.voted_for(), candidate);
  bool granted = false;
  for (const Message& m : AllMessages(Drain(v))) {
    granted |= m.type == MessageType::kVoteReply && m.to == candidate &&
               !m.reject && m.term == Next(term);
  }
  EXPECT_TRUE(granted);
}

TEST(Transfer, VotersHonourTheFlagInLease) { FlagHonouredInLease(false); }
TEST(Transfer, VotersHonourTheFlagInLeaseWithLeaseReads) {
  FlagHonouredInLease(true);
}

TEST(Transfer, LeaseReadsStopOnceTimeoutNowIsSent) {
  std::vector<uint64_t> confirmed;
  Cluster::Options o = Opts(/*lease_read=*/true);
  o.on_ready = [&](NodeId, const Ready& rd) {
    for (const ReadState& rs : rd.read_states) confirmed.push_back(rs.context);
  };
  Cluster c(o);
  while (c.Leader() == kNoNode) Rounds(c, 1);
  Rounds(c, 2);
  const NodeId leader = c.Leader();
  const NodeId target = leader == N(2) ? N(3) : N(2);
  Node& l = c.node(leader);
  const auto served_at_once = [&](uint64_t context) {
    confirmed.clear();
    EXPECT_TRUE(l.ReadIndex(context).ok());
    c.ProcessReady(leader);  // No message delivered: only a lease serves.
    return confirmed == std::vector<uint64_t>{context};
  };
  ASSERT_TRUE(served_at_once(1)) << "the leader holds no lease to start with";
  c.DropAll();
  ASSERT_TRUE(l.TransferLeadership(target).ok());
  c.ProcessReady(leader);
  ASSERT_EQ(QueuedTimeoutNow(c, target), 1);
  // From the TimeoutNow on, the lease is void.
  EXPECT_FALSE(served_at_once(2));
  // The TimeoutNow is lost: the transfer aborts, the leader keeps leading
  // the same term, and its lease stays void for that term.
  c.Drop([](const Message& m) { return m.type == MessageType::kTimeoutNow; });
  const Term term = l.term();
  for (int i = 0; i < 12; ++i) {
    c.TickAll();
    c.Stabilize();
  }
  ASSERT_EQ(l.role(), Role::kLeader);
  ASSERT_EQ(l.term(), term);
  ASSERT_EQ(l.lead_transferee(), kNoNode);
  EXPECT_FALSE(served_at_once(3));
  c.Stabilize();
  // Reads still work, by a heartbeat round.
  EXPECT_NE(std::find(confirmed.begin(), confirmed.end(), 3u), confirmed.end());
}

TEST(Transfer, TimeoutNowIgnoredFromAStaleTermOrANonLeader) {
  Cluster::Options o = Opts();
  o.learners = 1;
  Cluster c(o);
  ElectAndSettle(c, N(1));
  const Term term = c.node(2).term();
  // From a node that is not the leader of our term.
  StepOk(c.node(2), Msg(MessageType::kTimeoutNow, 3, 2, term.value()));
  EXPECT_EQ(c.node(2).role(), Role::kFollower);
  EXPECT_EQ(c.node(2).term(), term);
  // From the leader, but of a stale term.
  StepOk(c.node(2), Msg(MessageType::kTimeoutNow, 1, 2, term.value() - 1));
  EXPECT_EQ(c.node(2).role(), Role::kFollower);
  EXPECT_EQ(c.node(2).term(), term);
  // A learner never campaigns.
  StepOk(c.node(4), Msg(MessageType::kTimeoutNow, 1, 4, term.value()));
  EXPECT_EQ(c.node(4).role(), Role::kFollower);
  EXPECT_EQ(c.node(4).term(), term);
  // From the leader of our term: campaigns at once, without a pre-vote.
  StepOk(c.node(2), Msg(MessageType::kTimeoutNow, 1, 2, term.value()));
  EXPECT_EQ(c.node(2).role(), Role::kCandidate);
  EXPECT_EQ(c.node(2).term(), Next(term));
  int flagged = 0;
  for (const Message& m : AllMessages(Drain(c.node(2)))) {
    if (m.type == MessageType::kVote) flagged += m.transfer;
    EXPECT_NE(m.type, MessageType::kPreVote);
  }
  EXPECT_EQ(flagged, 2);  // n1 and n3, not the learner.
}

TEST(Transfer, RemovedLeaderHandsOverBeforeTheRemovalCommits) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  const ConfChange remove{Transition::kSimple, {{ChangeType::kRemove, N(1)}}};
  ASSERT_TRUE(c.node(1).ProposeConfChange(remove).ok());
  // Leading a configuration it is no longer in, n1 hands over to n2 at
  // once rather than waiting for the removal to commit.
  ASSERT_TRUE(c.node(1).TransferLeadership(N(2)).ok());
  c.Stabilize();
  Rounds(c, 3);
  EXPECT_EQ(c.Leader(), N(2));
  for (const uint64_t id : {1, 2, 3}) {
    EXPECT_EQ(c.node(id).configuration().Describe(), "voters=(n2 n3)")
        << c.node(id).Describe();
  }
  EXPECT_GE(c.node(2).commit_index(), c.node(2).configuration_index());
  EXPECT_TRUE(ProposeOne(c.node(2)).ok());
}

TEST(Transfer, RemovedTargetIsRefused) {
  Cluster c(Opts());
  ElectAndSettle(c, N(1));
  const ConfChange remove{Transition::kSimple, {{ChangeType::kRemove, N(3)}}};
  ASSERT_TRUE(c.node(1).ProposeConfChange(remove).ok());
  const absl::Status s = c.node(1).TransferLeadership(N(3));
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
}

}  // namespace
}  // namespace raftsim::raft::testing
