// raft/read_index_test.cc — linearizable reads without log writes (thesis
// §6.4 ReadIndex): a read is confirmed only after a quorum heartbeat round,
// never before the leader has committed an entry of its own term, and never
// on a leader cut off from the quorum.

#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

Message HeartbeatReply(uint64_t from, uint64_t to, uint64_t term,
                       uint64_t context) {
  Message m = Msg(MessageType::kHeartbeatReply, from, to, term);
  m.context = context;
  return m;
}

// Thesis §6.4 step 3: the leader confirms it is still the leader with a
// round of heartbeats answered by a majority; only then (step 4) may the
// read be served, at the commit index recorded when it arrived.
TEST(ReadIndex, ConfirmedOnlyAfterQuorumHeartbeatRound) {
  auto n = NewLeader(1, EntriesWithTerms({1}), 1, /*voters=*/5);
  StepOk(*n, AppendReply(2, 1, 2, 2));
  StepOk(*n, AppendReply(3, 1, 2, 2));
  ASSERT_EQ(n->commit_index(), I(2));
  Drain(*n);
  ASSERT_TRUE(n->ReadIndex(7).ok());
  Ready rd = Drain(*n);
  EXPECT_TRUE(rd.read_states.empty()) << "read served without confirmation";
  int heartbeats = 0;
  for (const Message& m : rd.messages) {
    if (m.type == MessageType::kHeartbeat) {
      ++heartbeats;
      EXPECT_EQ(m.context, 7u);
    }
  }
  EXPECT_EQ(heartbeats, 4);
  // A reply for another context, or a plain heartbeat reply, confirms
  // nothing.
  StepOk(*n, HeartbeatReply(2, 1, 2, 0));
  StepOk(*n, HeartbeatReply(3, 1, 2, 99));
  EXPECT_TRUE(Drain(*n).read_states.empty());
  // One ack (+ self) is 2 of 5: not yet. Duplicates count once.
  StepOk(*n, HeartbeatReply(2, 1, 2, 7));
  StepOk(*n, HeartbeatReply(2, 1, 2, 7));
  EXPECT_TRUE(Drain(*n).read_states.empty()) << "confirmed by a minority";
  // Proposals made after the read do not move its index.
  ASSERT_TRUE(n->Propose(std::vector<Payload>{Payload("w")}).ok());
  StepOk(*n, HeartbeatReply(4, 1, 2, 7));
  rd = Drain(*n);
  ASSERT_EQ(rd.read_states.size(), 1u);
  EXPECT_EQ(rd.read_states[0].context, 7u);
  EXPECT_EQ(rd.read_states[0].index, I(2));
}

// Thesis §6.4 step 1: until the leader has committed an entry of its own
// term (its no-op), its commit index may be stale: reads are refused
// (Unavailable, retry).
TEST(ReadIndex, RefusedBeforeLeaderCommitsAnEntryOfItsTerm) {
  auto n = NewLeader(1, EntriesWithTerms({1, 1}), 2);
  ASSERT_EQ(n->commit_index(), I(2));  // Committed, but of term 1.
  EXPECT_TRUE(absl::IsUnavailable(n->ReadIndex(1)));
  StepOk(*n, AppendReply(3, 1, 2, 3));  // The no-op 3@t2 commits.
  ASSERT_EQ(n->commit_index(), I(3));
  EXPECT_TRUE(n->ReadIndex(1).ok());
}

// Thesis §6.4: only the leader serves reads; others are told who leads.
TEST(ReadIndex, FollowerRefusesWithLeaderHint) {
  Cluster c({});
  ASSERT_TRUE(c.Elect(N(1)));
  const absl::Status s = c.node(2).ReadIndex(5);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_EQ(LeaderHint(s), N(1));
}

// Thesis §6.4: a leader isolated from the quorum never confirms a read —
// whether or not CheckQuorum later makes it step down — while a new leader
// on the majority side may serve writes. Pending reads are dropped when it
// steps down.
TEST(ReadIndex, IsolatedLeaderNeverConfirms) {
  for (const bool check_quorum : {false, true}) {
    std::vector<ReadState> confirmed;
    Cluster::Options o;
    o.check_quorum = check_quorum;
    o.on_ready = [&confirmed](NodeId id, const Ready& rd) {
      if (id == N(1)) {
        confirmed.insert(confirmed.end(), rd.read_states.begin(),
                         rd.read_states.end());
      }
    };
    Cluster c(o);
    ASSERT_TRUE(c.Elect(N(1)));
    // The leader can confirm while connected.
    ASSERT_TRUE(c.node(1).ReadIndex(1).ok());
    c.Stabilize();
    ASSERT_EQ(confirmed.size(), 1u);
    c.Isolate(N(1));
    ASSERT_TRUE(c.node(1).ReadIndex(2).ok());
    for (int i = 0; i < 50; ++i) {
      c.TickAll();
      c.Stabilize();
      if (c.node(1).role() == Role::kLeader && i % 5 == 0) {
        ASSERT_TRUE(c.node(1).ReadIndex(3 + i).ok());
      }
    }
    EXPECT_EQ(confirmed.size(), 1u) << "isolated leader confirmed a read";
    if (check_quorum) {
      EXPECT_NE(c.node(1).role(), Role::kLeader) << "CheckQuorum step-down";
    } else {
      EXPECT_EQ(c.node(1).role(), Role::kLeader);
    }
    // The majority moved on (a new leader, a new term).
    EXPECT_NE(c.Leader(), kNoNode);
    EXPECT_NE(c.Leader(), N(1));  // The highest-term leader is elsewhere.
    EXPECT_GT(c.node(2).term(), c.node(1).term());
    // Healing: the old leader learns the new term; its pending reads are
    // gone rather than confirmed late.
    c.Heal();
    for (int i = 0; i < 5; ++i) {
      c.TickAll();
      c.Stabilize();
    }
    EXPECT_EQ(confirmed.size(), 1u);
    EXPECT_NE(c.node(1).role(), Role::kLeader);
  }
}

// Lease reads (thesis §6.4.1). Node 1 leads t2 of three voters with
// E = 10 and a 1% drift bound: a lease of floor(9 * 0.99 / 1.01) = 8 ticks.
std::unique_ptr<Node> LeaseLeader() {
  Config c = TestConfig(1, 3, /*pre_vote=*/false, /*check_quorum=*/true);
  c.lease_read = true;
  auto n = NewNode(c, {T(1), kNoNode, I(1)}, EntriesWithTerms({1}));
  n->Campaign();
  Drain(*n);
  StepOk(*n, VoteReply(2, 1, 2));
  CHECK(n->role() == Role::kLeader);
  Drain(*n);
  StepOk(*n, AppendReply(2, 1, 2, 2));  // The no-op commits.
  CHECK(n->commit_index() == I(2));
  Drain(*n);
  return n;
}

// The lease tick the leader stamped on its heartbeats.
uint64_t TickAndHeartbeatStamp(Node& n) {
  n.Tick();
  uint64_t stamp = 0;
  for (const Message& m : Drain(n).messages) {
    if (m.type == MessageType::kHeartbeat) stamp = m.lease_tick;
  }
  CHECK_NE(stamp, 0u);
  return stamp;
}

Message LeaseAck(uint64_t from, uint64_t lease_tick) {
  Message m = HeartbeatReply(from, 1, 2, 0);
  m.lease_tick = lease_tick;
  return m;
}

bool ServedAtOnce(Node& n, uint64_t context) {
  CHECK(n.ReadIndex(context).ok());
  const Ready rd = Drain(n);
  return rd.read_states.size() == 1 && rd.read_states[0].context == context;
}

TEST(LeaseRead, ServedFromTheLeaseUntilItExpires) {
  auto n = LeaseLeader();
  const uint64_t sent = TickAndHeartbeatStamp(*n);
  // No acknowledgement yet: a heartbeat round, as without leases.
  EXPECT_FALSE(ServedAtOnce(*n, 1));
  StepOk(*n, LeaseAck(2, sent));
  Drain(*n);
  // Now a quorum (n1, n2) has acknowledged the heartbeat sent at `sent`.
  EXPECT_TRUE(ServedAtOnce(*n, 2));
  // The lease holds while the clock is below sent + 8.
  for (int i = 0; i < 7; ++i) {
    n->Tick();
    Drain(*n);
  }
  EXPECT_TRUE(ServedAtOnce(*n, 3));  // Clock = sent + 7.
  n->Tick();
  Drain(*n);
  EXPECT_FALSE(ServedAtOnce(*n, 4));  // sent + 8: expired, a round again.
  // A fresh acknowledgement renews it.
  const uint64_t later = TickAndHeartbeatStamp(*n);
  StepOk(*n, LeaseAck(3, later));
  Drain(*n);
  EXPECT_TRUE(ServedAtOnce(*n, 5));
}

TEST(LeaseRead, DatedFromTheHeartbeatNotTheAcknowledgement) {
  auto n = LeaseLeader();
  const uint64_t sent = TickAndHeartbeatStamp(*n);
  for (int i = 0; i < 8; ++i) {
    n->Tick();
    Drain(*n);
  }
  // The acknowledgement of the old heartbeat arrives 8 ticks late: it
  // proves nothing about now, so no lease.
  StepOk(*n, LeaseAck(2, sent));
  Drain(*n);
  EXPECT_FALSE(ServedAtOnce(*n, 1));
}

TEST(LeaseRead, LeaseEndsWithTheTerm) {
  auto n = LeaseLeader();
  const uint64_t sent = TickAndHeartbeatStamp(*n);
  StepOk(*n, LeaseAck(2, sent));
  Drain(*n);
  ASSERT_TRUE(ServedAtOnce(*n, 1));
  StepOk(*n, AppendMsg(3, 1, 5, 2, 2, {}, 2));  // A leader of t5.
  EXPECT_FALSE(n->ReadIndex(2).ok());
}

// A node that starts refuses votes for an election timeout: it may have
// acknowledged a heartbeat just before it crashed.
TEST(LeaseRead, RestartedNodeIgnoresVotesForAnElectionTimeout) {
  Config c = TestConfig(2, 3, /*pre_vote=*/false, /*check_quorum=*/true);
  c.lease_read = true;
  auto n = NewNode(c, {T(2), NodeId(1), I(1)}, EntriesWithTerms({1}));
  for (int i = 0; i < 10; ++i) {
    StepOk(*n, VoteMsg(3, 2, 3, 5, 2));
    Ready rd = Drain(*n);
    EXPECT_TRUE(rd.messages.empty() && rd.messages_after_persist.empty())
        << "answered a vote " << i << " ticks after start";
    EXPECT_EQ(n->term(), T(2));
    n->Tick();
    Drain(*n);
  }
  StepOk(*n, VoteMsg(3, 2, 3, 5, 2));
  const Ready rd = Drain(*n);
  ASSERT_EQ(rd.messages_after_persist.size(), 1u);
  EXPECT_FALSE(rd.messages_after_persist[0].reject);
  // Without lease reads it votes at once.
  c.lease_read = false;
  auto plain = NewNode(c, {T(2), NodeId(1), I(1)}, EntriesWithTerms({1}));
  StepOk(*plain, VoteMsg(3, 2, 3, 5, 2));
  EXPECT_EQ(Drain(*plain).messages_after_persist.size(), 1u);
}

// The refusal outlives a change of term that names no leader: a reply from
// a later term (here a stale pre-vote rejection) makes the node forget its
// leader, and it must still refuse the votes of that term until an
// election timeout has passed since it heard the leader.
TEST(LeaseRead, PromiseOutlivesATermChangeWithoutALeader) {
  Config c = TestConfig(2, 3, /*pre_vote=*/false, /*check_quorum=*/true);
  c.lease_read = true;
  auto n = NewNode(c, {T(2), NodeId(1), I(1)}, EntriesWithTerms({1}));
  for (int i = 0; i < 12; ++i) n->Tick();  // Past the restart window.
  Drain(*n);
  Message hb = Msg(MessageType::kHeartbeat, 1, 2, 2);
  StepOk(*n, hb);
  Drain(*n);
  StepOk(*n, VoteReply(3, 2, 3, /*granted=*/false, /*pre=*/true));
  Drain(*n);
  ASSERT_EQ(n->term(), T(3));
  ASSERT_EQ(n->leader(), kNoNode);
  for (int i = 0; i < 9; ++i) {
    StepOk(*n, VoteMsg(3, 2, 3, 5, 2));
    for (const Message& m : AllMessages(Drain(*n))) {
      EXPECT_TRUE(m.type != MessageType::kVoteReply || m.reject)
          << "granted a vote " << i << " ticks after hearing the leader";
    }
    n->Tick();
    Drain(*n);
  }
  n->Tick();  // An election timeout (10 ticks) since the heartbeat.
  Drain(*n);
  StepOk(*n, VoteMsg(3, 2, 3, 5, 2));
  const Ready rd = Drain(*n);
  ASSERT_EQ(rd.messages_after_persist.size(), 1u);
  EXPECT_FALSE(rd.messages_after_persist[0].reject);
}

}  // namespace
}  // namespace raftsim::raft::testing
