// Durability: votes and acks leave only after their state is durable
// (Raft Figure 2), and acknowledged client writes are never lost.

#include "checkers/durability.h"

#include "checkers/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

SentMessage VoteGrant(int from, uint64_t to, uint64_t term) {
  SentMessage m;
  m.type = raft::MessageType::kVoteReply;
  m.from = from;
  m.to = NodeId(to);
  m.term = Term(term);
  return m;
}

SentMessage AppendAck(int from, uint64_t to, uint64_t index) {
  SentMessage m;
  m.type = raft::MessageType::kAppendReply;
  m.from = from;
  m.to = NodeId(to);
  m.index = LogIndex(index);
  return m;
}

TEST(Durability, VoteGrantAfterItIsDurable) {
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(3);
  c.n(2).voted_for_ = NodeId(1);
  c.n(2).SyncAll();
  c.sent = {VoteGrant(1, 1, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  // A rejection depends on nothing.
  c.sent = {VoteGrant(2, 1, 5)};
  c.sent[0].reject = true;
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(Durability, VoteGrantBeforeItIsDurable) {
  FakeCluster c(3);
  Durability checker;
  c.n(2).term_ = Term(3);
  c.n(2).voted_for_ = NodeId(1);  // In memory only.
  c.n(2).durable_hs = {Term(3), kNoNode, LogIndex(0)};
  c.sent = {VoteGrant(1, 1, 3)};
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
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  c.n(2).SyncAll();
  c.n(2).Append(1, 13);  // Written, not yet durable.
  c.sent = {AppendAck(1, 1, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.sent = {AppendAck(1, 1, 3)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].description.find("n2 acknowledged entries up to i3"),
            std::string::npos);
}

TEST(Durability, AppendAckWhenTheDiskHoldsAnOlderTermThere) {
  FakeCluster c(2);
  Durability checker;
  c.n(2).Append(1, 11);
  c.n(2).SyncAll();
  c.n(2).log[0] = {Term(2), 21};  // Overwritten in memory only.
  c.sent = {AppendAck(1, 1, 1)};
  EXPECT_EQ(c.Step(checker).size(), 1u);
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
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(Durability, AckForEntriesSinceCompactedInMemory) {
  // Found by the simulator (seed 66): n2 restored a snapshot at i5 while
  // its ack for i2, queued behind an earlier write, waited for that write.
  FakeCluster c(3);
  Durability checker;
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  c.n(2).SyncAll();
  c.n(2).log.clear();
  c.n(2).base = LogIndex(5);
  c.n(2).base_term = Term(1);
  SentMessage ack;
  ack.type = raft::MessageType::kAppendReply;
  ack.from = 1;
  ack.to = NodeId(1);
  ack.index = LogIndex(2);
  c.sent = {ack};
  EXPECT_TRUE(c.Step(checker).empty());
  ack.index = LogIndex(4);  // Neither in the durable log nor a snapshot.
  c.sent = {ack};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers
