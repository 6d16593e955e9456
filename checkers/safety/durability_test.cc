// Durability: votes and acks leave only after their state is durable
// (Raft Figure 2), and acknowledged client writes are never lost.

#include "checkers/safety/durability.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::AppendAck;
using ::raftsim::checkers::testing::FakeCluster;
using ::raftsim::checkers::testing::FakeNode;
using ::raftsim::checkers::testing::VoteGrant;

TEST(Durability, VoteGrantAfterItIsDurable) {
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(3);
  c.n(2).voted_for_ = NodeId(1);
  c.n(2).SyncAll();
  c.sent = {VoteGrant(2, 1, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  // A rejection depends on nothing.
  c.sent = {VoteGrant(3, 1, 5)};
  c.sent[0].reject = true;
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(Durability, VoteGrantBeforeItIsDurable) {
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(3);
  c.n(2).voted_for_ = NodeId(1);  // In memory only.
  c.n(2).durable_hs = {Term(3), kNoNode, LogIndex(0)};
  c.sent = {VoteGrant(2, 1, 3)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "durability");
  EXPECT_EQ(v[0].description,
            "n2 granted its t3 vote to n1 before it was durable (durable "
            "term=t3 vote=none commit=i0)");
}

TEST(Durability, AppendAckAfterAndBeforeDurable) {
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(1);
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  c.n(2).SyncAll();
  c.n(2).Append(1, 13);  // Written, not yet durable.
  c.sent = {AppendAck(2, 1, 1, 2, 1)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.sent = {AppendAck(2, 1, 1, 3, 1)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2 acknowledged i3@t1 to n1 at t1 before it was durable "
            "(durable: nothing at i3, last i2@t1)");
}

TEST(Durability, AppendAckWhenTheDiskHoldsAnOlderTermThere) {
  // The disk holds i1@t1 from an earlier leader; the node accepted i1@t2
  // from the leader of t2 and acknowledged it before writing it.
  FakeCluster c(2);
  Durability checker;
  c.n(2).term_ = Term(2);
  c.n(2).Append(1, 11);
  c.n(2).SyncAll();
  c.n(2).log[0] = {Term(2), 21};  // Overwritten in memory only.
  c.sent = {AppendAck(2, 1, 2, 1, 2)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2 acknowledged i1@t2 to n1 at t2 before it was durable "
            "(durable: i1@t1, last i1@t1)");
}

TEST(Durability, AppendAckNamingAnotherEntryThanTheLog) {
  // Still in the reply's term, the node holds i1@t2 but says i1@t1.
  FakeCluster c(2);
  Durability checker;
  c.n(2).term_ = Term(2);
  c.n(2).Append(2, 21);
  c.n(2).SyncAll();
  c.sent = {AppendAck(2, 1, 2, 1, 1)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2 acknowledged i1@t1 to n1 at t2 but its log holds i1@t2");
}

// Found by the simulator (seed 259, crashes, isolation, splits and pauses
// forced): n3, a follower of n4 in t1, accepted i115..i117@t1 and queued the
// write with its ack behind it. Before the write completed, n2's t2 append
// replaced i117 with i117@t2 (a second write, queued). The first write
// completed and the t1 ack for i117 went out: correct, since i117@t1 was
// durable when it left, although the node's log by then held i117@t2.
TEST(Durability, AckFromAnOlderTermForAnEntryOverwrittenSince) {
  FakeCluster c(3);
  Durability checker;
  FakeNode& n3 = c.n(3);
  n3.term_ = Term(1);
  n3.Append(1, 115);
  n3.Append(1, 116);
  n3.Append(1, 117);
  n3.SyncAll();                // The t1 write completes...
  n3.term_ = Term(2);          // ...after the node moved to t2
  n3.log[2] = {Term(2), 217};  // and replaced i117 in memory.
  c.sent = {AppendAck(3, 4, 1, 3, 1)};
  EXPECT_TRUE(c.Step(checker).empty());
  // Still fine once the t2 write is durable too (both completed in the
  // same event: the ack is older than the replacement).
  n3.SyncAll();
  c.sent = {AppendAck(3, 4, 1, 3, 1)};
  EXPECT_TRUE(c.Step(checker).empty());
  // And when t2's leader cut the log short of i3 instead.
  n3.log.pop_back();
  n3.log[1] = {Term(2), 216};
  n3.SyncAll();
  c.sent = {AppendAck(3, 4, 1, 3, 1)};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(Durability, AckFromAnOlderTermBeforeItsWriteIsStillCaught) {
  // The same situation, but the ack leaves before the t1 write completed:
  // the disk holds neither i117@t1 nor an entry of a later term there.
  FakeCluster c(3);
  Durability checker;
  FakeNode& n3 = c.n(3);
  n3.term_ = Term(1);
  n3.Append(1, 115);
  n3.Append(1, 116);
  n3.SyncAll();
  n3.Append(1, 117);  // Queued, not durable.
  n3.term_ = Term(2);
  n3.log[2] = {Term(2), 217};
  c.sent = {AppendAck(3, 4, 1, 3, 1)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n3 acknowledged i3@t1 to n4 at t1 before it was durable "
            "(durable: nothing at i3, last i2@t1)");
  // Nor does an older entry at the index excuse it.
  FakeCluster d(3);
  Durability checker2;
  FakeNode& m3 = d.n(3);
  m3.term_ = Term(1);
  m3.Append(1, 115);
  m3.SyncAll();  // i1@t1 durable; the ack below claims i1@t2.
  m3.term_ = Term(3);
  m3.log[0] = {Term(3), 315};
  d.sent = {AppendAck(3, 4, 2, 1, 2)};
  EXPECT_EQ(d.Step(checker2).size(), 1u);
}

// n1 applied i1 (digest 11) and i2 (digest 12), durable on n1 and n2.
FakeCluster AppliedTwo() {
  FakeCluster c(3);
  for (int id = 1; id <= 2; ++id) {
    c.n(id).Append(1, 11);
    c.n(id).Append(1, 12);
    c.n(id).commit = LogIndex(2);
    c.n(id).SyncAll();
  }
  c.n(1).applies = {{LogIndex(1), Term(1), 11}, {LogIndex(2), Term(1), 12}};
  return c;
}

TEST(Durability, AcknowledgedWriteDurableOnAQuorum) {
  FakeCluster c = AppliedTwo();
  Durability checker;
  EXPECT_TRUE(c.Step(checker).empty());
  c.acked = {{7, 1, 12}};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(3).Append(1, 11);
  c.n(3).Append(1, 12);
  c.n(3).SyncAll();
  c.n(1).is_up = false;  // Crashed: its disk still counts.
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(Durability, AcknowledgedButNeverApplied) {
  FakeCluster c = AppliedTwo();
  Durability checker;
  c.acked = {{7, 1, 99}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "client 7 request 1 was acknowledged but never applied");
}

TEST(Durability, AcknowledgedWhileDurableOnlyOnTheLeader) {
  FakeCluster c = AppliedTwo();
  Durability checker;
  c.n(2).durable_log.clear();
  c.acked = {{7, 1, 12}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_GE(v.size(), 1u);
  EXPECT_NE(v[0].description.find("durable on only 1 of 3"), std::string::npos);
}

TEST(Durability, AcknowledgedWriteLaterLost) {
  FakeCluster c = AppliedTwo();
  Durability checker;
  c.acked = {{7, 1, 12}};
  EXPECT_TRUE(c.Step(checker).empty());
  // n2's disk loses i2 (say, an unsynced write acknowledged as durable).
  c.n(2).durable_log.pop_back();
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "acknowledged write i2@t1 is durable on only 1 of 3 nodes");
}

TEST(Durability, AnotherEntryAppliedWhereAnAcknowledgedWriteWas) {
  FakeCluster c = AppliedTwo();
  Durability checker;
  c.acked = {{7, 1, 12}};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).applies = {{LogIndex(1), Term(1), 11}, {LogIndex(2), Term(2), 55}};
  // n2's disk holds i2@t1, so the t2 entry it applied is not durable
  // there either: both checks fire.
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].description,
            "n2 applied i2@t2 before it was durable (durable: i2@t1, last "
            "i2@t1)");
  EXPECT_EQ(v[1].description,
            "n2 applied a different entry at i2 than the acknowledged client "
            "write there");
}

TEST(Durability, AppliedOnlyOnceOnTheNodesOwnDisk) {
  FakeCluster c(3);
  Durability checker;
  c.n(1).Append(1, 11);
  c.n(1).Append(1, 12);
  c.n(1).SyncAll();
  c.n(1).Append(2, 13);  // In memory only.
  c.n(1).applies = {{LogIndex(1), Term(1), 11}, {LogIndex(2), Term(1), 12}};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).applies = {{LogIndex(3), Term(2), 13}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 applied i3@t2 before it was durable (durable: nothing at i3, "
            "last i2@t1)");
}

TEST(Durability, AppliedAnEntryTheDiskHoldsWithAnotherTerm) {
  // A completion of an earlier write must not stand for the entry that
  // replaced it in memory.
  FakeCluster c(3);
  Durability checker;
  c.n(1).Append(1, 11);
  c.n(1).SyncAll();
  c.n(1).log[0] = {Term(3), 31};
  c.n(1).applies = {{LogIndex(1), Term(3), 31}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 applied i1@t3 before it was durable (durable: i1@t1, last "
            "i1@t1)");
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;
using ::raftsim::checkers::testing::FakeNode;

TEST(Durability, AckForEntriesSinceCompactedInMemory) {
  // Found by the simulator (seed 66): n2 restored a snapshot at i5 while
  // its ack for i2, queued behind an earlier write, waited for that write.
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(1);
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  c.n(2).SyncAll();
  c.n(2).log.clear();
  c.n(2).base = LogIndex(5);
  c.n(2).base_term = Term(1);
  c.sent = {AppendAck(2, 1, 1, 2, 1)};
  EXPECT_TRUE(c.Step(checker).empty());
  // Neither in the durable log nor a snapshot.
  c.sent = {AppendAck(2, 1, 1, 4, 1)};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::Transition;

TEST(Durability, AcknowledgedWriteNeedsAQuorumOfTheCommittedConfiguration) {
  // Base (n1 n2 n3); i1 adds n4 and n5 through a joint configuration, i2 is
  // the client's write. Durable on n1 n4 n5: 3 of the incoming half, 1 of
  // the outgoing one.
  FakeCluster c(5);
  raft::ConfState base;
  base.voters = {NodeId(1), NodeId(2), NodeId(3)};
  c.base_membership = base;
  Durability checker;
  c.n(1).AppendConfig(1, {Transition::kJointExplicit,
                          {{ChangeType::kAddVoter, NodeId(4)},
                           {ChangeType::kAddVoter, NodeId(5)}}});
  c.n(1).Append(1, 12);
  for (const int id : {1, 4, 5}) {
    c.n(id).log = c.n(1).log;
    c.n(id).SyncAll();
  }
  c.n(1).commit = LogIndex(2);
  c.n(1).applies = {{LogIndex(2), Term(1), 12}};
  EXPECT_TRUE(c.Step(checker).empty());
  c.acked = {{7, 1, 12}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].description,
            "client 7 request 1 was acknowledged at i2@t1 while durable on "
            "only 3 of (n1 n2 n3 n4 n5) and 1 of (n1 n2 n3) (no quorum of the "
            "committed configuration (n1 n2 n3 n4 n5)&&(n1 n2 n3))");
  EXPECT_EQ(v[1].description.substr(0, 62),
            "acknowledged write i2@t1 is durable on only 3 of (n1 n2 n3 n4 ");
  // With n2's copy too it is durable on a quorum of each half.
  c.n(2).log = c.n(1).log;
  c.n(2).SyncAll();
  c.acked = {{7, 2, 12}};
  EXPECT_TRUE(c.Step(checker).empty());
}

}  // namespace
}  // namespace raftsim::checkers
