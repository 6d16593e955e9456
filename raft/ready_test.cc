// raft/ready_test.cc — SoftState and Ready: predicates and Describe().

#include "raft/ready.h"

#include <string>

#include "gtest/gtest.h"
#include "raft/testing/builders.h"

namespace raftsim::raft {
namespace {

using ::raftsim::raft::testing::E;

TEST(SoftState, Describe) {
  EXPECT_EQ((SoftState{Role::kLeader, NodeId(2), Term(4)}).Describe(),
            "leader n2 t4");
  EXPECT_EQ((SoftState{Role::kFollower, NodeId(2), Term(4)}).Describe(),
            "follower leader=n2 t4");
  EXPECT_EQ((SoftState{Role::kCandidate, kNoNode, Term(5)}).Describe(),
            "candidate leader=none t5");
  EXPECT_EQ((SoftState{Role::kPreCandidate, kNoNode, Term(4)}).Describe(),
            "precandidate leader=none t4");
}

TEST(Ready, EmptyByDefault) {
  Ready r;
  EXPECT_TRUE(r.Empty());
  EXPECT_FALSE(r.MustPersist());
  EXPECT_EQ(r.Describe(), "(empty)");
}

TEST(Ready, MustPersist) {
  Ready r;
  r.hard_state = HardState{};
  EXPECT_TRUE(r.MustPersist());
  EXPECT_FALSE(r.Empty());
  r = Ready{};
  r.entries = {E(1, 1)};
  EXPECT_TRUE(r.MustPersist());
  r = Ready{};
  r.snapshot = Snapshot{};
  EXPECT_TRUE(r.MustPersist());
  r = Ready{};
  r.messages.emplace_back();
  EXPECT_FALSE(r.MustPersist());
  EXPECT_FALSE(r.Empty());
}

TEST(Ready, DescribeEverySection) {
  Ready r;
  r.soft_state = SoftState{Role::kLeader, NodeId(1), Term(2)};
  r.hard_state =
      HardState{.term = Term(2), .voted_for = NodeId(1), .commit = LogIndex(1)};
  r.entries = {E(2, 1, "ab"), E(3, 1), E(4, 2, "abcd")};
  r.persist_index = LogIndex(4);
  r.persist_term = Term(2);
  Message m;
  m.type = MessageType::kAppend;
  m.from = NodeId(1);
  m.to = NodeId(2);
  m.term = Term(2);
  m.prev_log_index = LogIndex(1);
  m.prev_log_term = Term(1);
  m.entries = r.entries;
  m.commit = LogIndex(1);
  r.messages = {m};
  Message ack;
  ack.type = MessageType::kVoteReply;
  ack.from = NodeId(1);
  ack.to = NodeId(3);
  ack.term = Term(2);
  r.messages_after_persist = {ack};
  r.committed_entries = {E(1, 1, "x")};
  EXPECT_EQ(r.Describe(),
            "soft: leader n1 t2\n"
            "hard: term=t2 vote=n1 commit=i1\n"
            "entries: i2..i3@t1 i4@t2 (3 entries, 78B)\n"
            "persist: i4@t2\n"
            "send: Append n1->n2 t2 prev=i1@t1 entries=[i2..i4] commit=i1\n"
            "send after persist: VoteReply n1->n3 t2 grant\n"
            "apply: i1@t1 (1 entry, 25B)");
}

TEST(Ready, DescribeSnapshot) {
  Ready r;
  Snapshot snap;
  snap.meta.index = LogIndex(10);
  snap.meta.term = Term(3);
  snap.meta.conf.voters = {NodeId(1), NodeId(2), NodeId(3)};
  snap.data = Payload(std::string(8, 's'));
  r.snapshot = snap;
  r.persist_index = LogIndex(10);
  r.persist_term = Term(3);
  EXPECT_EQ(r.Describe(),
            "snapshot: i10@t3 voters=(n1 n2 n3) learners=() data=8B\n"
            "persist: i10@t3");
}

}  // namespace
}  // namespace raftsim::raft
