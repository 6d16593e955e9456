// raft/snapshot_test.cc — log compaction and InstallSnapshot (Raft §7): a
// lagging follower catches up from a snapshot, a node restarts from a
// storage that holds one, and a follower with a divergent tail installs a
// conflicting snapshot.

#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"

namespace raftsim::raft::testing {
namespace {

void Rounds(Cluster& c, int n) {
  for (int i = 0; i < n; ++i) {
    c.TickAll();
    c.Stabilize();
  }
}

// Node `id` still knows the membership and itself as a voter: it has all
// three voters, and after the leader crashes its election timer makes it
// campaign (a node that thinks it is no voter never does).
void ExpectCanCampaign(Cluster& c, NodeId id) {
  EXPECT_EQ(c.node(id).tracker().VoterIds(),
            (std::vector<NodeId>{N(1), N(2), N(3)}))
      << c.node(id).Describe();
  Rounds(c, 40);
  const NodeId leader = c.Leader();
  ASSERT_NE(leader, kNoNode);
  if (leader == id) return;  // It won an election: a voter indeed.
  c.Crash(leader);
  bool campaigned = false;
  for (int i = 0; i < 40 && !campaigned; ++i) {
    c.Tick(id);
    campaigned = c.node(id).role() != Role::kFollower;
  }
  EXPECT_TRUE(campaigned) << c.node(id).Describe();
  c.Stabilize();
  c.Restart(leader);
  Rounds(c, 40);
  EXPECT_NE(c.Leader(), kNoNode);
}

void ProposeN(Cluster& c, NodeId leader, int n) {
  for (int i = 0; i < n; ++i) {
    const auto r = c.node(leader).Propose(
        std::vector<Payload>{Payload("v" + std::to_string(i))});
    ASSERT_TRUE(r.ok()) << r.status();
    c.Stabilize();
  }
}

// Raft §7: entries a follower needs that the leader has compacted are sent
// as a snapshot; the follower installs it, and replication resumes after
// the snapshot point. The follower ends with the leader's commit index and
// log, and applies only what follows the snapshot.
TEST(Snapshot, LaggingFollowerCatchesUpViaInstallSnapshot) {
  int snapshots_sent = 0;
  Cluster::Options o;
  o.on_ready = [&snapshots_sent](NodeId, const Ready& rd) {
    for (const Message& m : rd.messages) {
      if (m.type == MessageType::kSnapshot) ++snapshots_sent;
    }
  };
  Cluster c(o);
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  ProposeN(c, N(1), 20);
  ASSERT_EQ(c.node(1).applied_index(), I(21));
  ASSERT_TRUE(c.Compact(N(1), /*keep_entries=*/2));
  ASSERT_TRUE(c.Compact(N(2), /*keep_entries=*/2));
  ASSERT_EQ(c.node(1).log().base_index(), I(19));
  c.Heal();
  Rounds(c, 5);
  EXPECT_GE(snapshots_sent, 1);
  EXPECT_EQ(c.storage(N(3)).snapshot().meta.index, I(21));
  EXPECT_EQ(c.node(3).commit_index(), c.node(1).commit_index());
  EXPECT_EQ(c.node(3).last_index(), c.node(1).last_index());
  // Replication continues normally after the snapshot point.
  ProposeN(c, N(1), 3);
  Rounds(c, 2);
  EXPECT_EQ(c.node(3).commit_index(), I(24));
  ASSERT_FALSE(c.applied(N(3)).empty());
  // n3 applied its no-op 1 before the partition, then only 22..24.
  EXPECT_EQ(c.applied(N(3)).back().index, I(24));
  for (const Entry& e : c.applied(N(3))) {
    EXPECT_TRUE(e.index == I(1) || e.index > I(21)) << e.Describe();
  }
  // The follower that caught up from a snapshot is a full voter.
  ExpectCanCampaign(c, N(3));
}

// Raft §7 with a snapshot whose membership the application did not fill in
// (SnapshotMeta::conf empty, as a snapshot policy that only knows the state
// machine would produce): a follower that installs it must keep its
// membership, and stay able to vote and campaign.
TEST(Snapshot, SnapshotWithoutMembershipKeepsFollowerAVoter) {
  Cluster c({});
  ASSERT_TRUE(c.Elect(N(1)));
  c.Isolate(N(3));
  ProposeN(c, N(1), 10);
  Snapshot snap;
  snap.meta.index = c.node(1).applied_index();
  snap.meta.term = *c.node(1).log().TermAt(snap.meta.index);
  ASSERT_TRUE(c.storage(N(1)).Compact(snap).ok());
  ASSERT_TRUE(c.node(1).Compact(snap, 0).ok());
  c.Heal();
  Rounds(c, 5);
  ASSERT_EQ(c.node(3).commit_index(), c.node(1).commit_index());
  // n3 must still count itself and its peers as voters...
  ExpectCanCampaign(c, N(3));
  // ... also after a restart from the snapshot it persisted.
  c.Crash(N(3));
  c.Restart(N(3));
  ExpectCanCampaign(c, N(3));
}

// Raft §7: a node restarts from a storage holding a snapshot: its log starts
// after the snapshot point, its commit index is at least the snapshot
// index, and it keeps replicating.
TEST(Snapshot, RestartFromStorageWithSnapshot) {
  Cluster c({});
  ASSERT_TRUE(c.Elect(N(1)));
  ProposeN(c, N(1), 10);
  Rounds(c, 1);
  ASSERT_EQ(c.node(2).applied_index(), I(11));
  ASSERT_TRUE(c.Compact(N(2), /*keep_entries=*/3));
  ASSERT_EQ(c.storage(N(2)).snapshot().meta.index, I(11));
  ASSERT_EQ(c.storage(N(2)).FirstIndex(), I(12));
  c.Crash(N(2));
  ProposeN(c, N(1), 2);
  c.Restart(N(2));
  EXPECT_EQ(c.node(2).log().base_index(), I(11));
  EXPECT_GE(c.node(2).commit_index(), I(11));
  EXPECT_EQ(c.node(2).term(), c.node(1).term());
  Rounds(c, 3);
  EXPECT_EQ(c.node(2).commit_index(), I(13));
  EXPECT_EQ(c.node(2).last_index(), I(13));
  // The restarted state machine re-applies only what follows the snapshot.
  ASSERT_EQ(c.applied(N(2)).size(), 2u);
  EXPECT_EQ(c.applied(N(2)).front().index, I(12));
  // Restarting the leader from its own compacted storage works too.
  ASSERT_TRUE(c.Compact(N(1), 0));
  c.Crash(N(1));
  c.Restart(N(1));
  Rounds(c, 40);
  ASSERT_NE(c.Leader(), kNoNode);
  ProposeN(c, c.Leader(), 1);
  Rounds(c, 2);
  for (const NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).commit_index(), c.node(c.Leader()).commit_index());
  }
}

// Raft §7: "If existing log entry has same index and term as snapshot's last
// included entry, retain log entries following it" — otherwise discard the
// entire log. Here the follower holds an old-term tail that conflicts with
// the snapshot and extends beyond it.
TEST(Snapshot, FollowerWithConflictingTailInstallsSnapshot) {
  auto n = NewNode(TestConfig(2), {T(2), kNoNode, I(2)},
                   EntriesWithTerms({1, 1, 2, 2}));
  Message m = Msg(MessageType::kSnapshot, 1, 2, 3);
  auto snap = std::make_shared<Snapshot>();
  snap->meta.index = I(3);
  snap->meta.term = T(3);
  snap->meta.conf.voters = {N(1), N(2), N(3)};
  m.snapshot = snap;
  StepOk(*n, m);
  EXPECT_EQ(n->last_index(), I(3));
  EXPECT_EQ(n->last_term(), T(3));
  EXPECT_EQ(n->commit_index(), I(3));
  Ready rd = TakeReady(*n);
  ASSERT_TRUE(rd.snapshot.has_value());
  EXPECT_EQ(rd.snapshot->meta.index, I(3));
  EXPECT_TRUE(rd.entries.empty());
  // The ack waits for the snapshot to be durable.
  ASSERT_EQ(rd.messages_after_persist.size(), 1u);
  EXPECT_EQ(rd.messages_after_persist[0].type, MessageType::kSnapshotReply);
  EXPECT_EQ(rd.messages_after_persist[0].index, I(3));
  n->OnPersisted(rd.persist_index, rd.persist_term);
  // Replication continues after the snapshot point.
  StepOk(*n, AppendMsg(1, 2, 3, 3, 3, EntriesWithTerms({3}, 4), 4));
  EXPECT_EQ(n->last_index(), I(4));
  EXPECT_EQ(n->commit_index(), I(4));
}

// Raft §7: a snapshot the follower already covers (index <= commit) is
// stale; the log is left alone and the reply reports the commit index.
TEST(Snapshot, StaleSnapshotIsIgnored) {
  auto n = NewNode(TestConfig(2), {T(2), kNoNode, I(3)},
                   EntriesWithTerms({1, 1, 2, 2}));
  Message m = Msg(MessageType::kSnapshot, 1, 2, 2);
  auto snap = std::make_shared<Snapshot>();
  snap->meta.index = I(2);
  snap->meta.term = T(1);
  snap->meta.conf.voters = {N(1), N(2), N(3)};
  m.snapshot = snap;
  StepOk(*n, m);
  EXPECT_EQ(n->last_index(), I(4));
  EXPECT_EQ(n->log().base_index(), I(0));
  const Ready rd = Drain(*n);
  EXPECT_FALSE(rd.snapshot.has_value());
  ASSERT_EQ(rd.messages_after_persist.size(), 1u);
  EXPECT_EQ(rd.messages_after_persist[0].index, I(3));
}

}  // namespace
}  // namespace raftsim::raft::testing
