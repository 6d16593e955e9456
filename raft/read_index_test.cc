// raft/read_index_test.cc — linearizable reads without log writes (thesis
// §6.4 ReadIndex): a read is confirmed only after a quorum heartbeat round,
// never before the leader has committed an entry of its own term, and never
// on a leader cut off from the quorum.

#include <cstdint>
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

}  // namespace
}  // namespace raftsim::raft::testing
