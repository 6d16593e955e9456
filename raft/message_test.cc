// raft/message_test.cc — message names, request/reply split, sizes and the
// Describe() golden line of every message type.

#include "raft/message.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "raft/testing/builders.h"

namespace raftsim::raft {
namespace {

using ::raftsim::raft::testing::E;
using ::raftsim::raft::testing::Msg;

TEST(MessageType, NamesAreDistinct) {
  std::set<std::string> names;
  for (int i = 0; i < kMessageTypeCount; ++i) {
    names.insert(std::string(MessageTypeName(static_cast<MessageType>(i))));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kMessageTypeCount));
  EXPECT_EQ(MessageTypeName(MessageType::kTimeoutNow), "TimeoutNow");
  EXPECT_EQ(MessageTypeName(MessageType::kPreVoteReply), "PreVoteReply");
}

TEST(MessageType, IsRequest) {
  EXPECT_TRUE(IsRequest(MessageType::kPreVote));
  EXPECT_TRUE(IsRequest(MessageType::kVote));
  EXPECT_TRUE(IsRequest(MessageType::kAppend));
  EXPECT_TRUE(IsRequest(MessageType::kHeartbeat));
  EXPECT_TRUE(IsRequest(MessageType::kSnapshot));
  EXPECT_TRUE(IsRequest(MessageType::kTimeoutNow));
  EXPECT_FALSE(IsRequest(MessageType::kPreVoteReply));
  EXPECT_FALSE(IsRequest(MessageType::kVoteReply));
  EXPECT_FALSE(IsRequest(MessageType::kAppendReply));
  EXPECT_FALSE(IsRequest(MessageType::kHeartbeatReply));
  EXPECT_FALSE(IsRequest(MessageType::kSnapshotReply));
}

TEST(Message, DescribeVote) {
  Message m = Msg(MessageType::kVote, 1, 2, 3);
  m.last_log_index = LogIndex(7);
  m.last_log_term = Term(2);
  EXPECT_EQ(m.Describe(), "Vote n1->n2 t3 last=i7@t2");
  m.type = MessageType::kPreVote;
  m.term = Term(4);
  EXPECT_EQ(m.Describe(), "PreVote n1->n2 t4 last=i7@t2");
}

TEST(Message, DescribeTransferVote) {
  Message m = Msg(MessageType::kVote, 1, 2, 3);
  m.last_log_index = LogIndex(7);
  m.last_log_term = Term(2);
  m.transfer = true;
  EXPECT_EQ(m.Describe(), "Vote n1->n2 t3 last=i7@t2 transfer");
}

TEST(Message, EqualityCoversTransfer) {
  Message a = Msg(MessageType::kVote, 1, 2, 3);
  Message b = a;
  EXPECT_EQ(a, b);
  b.transfer = true;
  EXPECT_FALSE(a == b);
}

TEST(Message, DescribeVoteReply) {
  Message m = Msg(MessageType::kVoteReply, 2, 1, 3);
  m.reject = true;
  EXPECT_EQ(m.Describe(), "VoteReply n2->n1 t3 reject");
  m.reject = false;
  EXPECT_EQ(m.Describe(), "VoteReply n2->n1 t3 grant");
  m.type = MessageType::kPreVoteReply;
  EXPECT_EQ(m.Describe(), "PreVoteReply n2->n1 t3 grant");
}

TEST(Message, DescribeAppend) {
  Message m = Msg(MessageType::kAppend, 1, 2, 3);
  m.prev_log_index = LogIndex(4);
  m.prev_log_term = Term(2);
  m.entries = {E(5, 3), E(6, 3), E(7, 3)};
  m.commit = LogIndex(4);
  EXPECT_EQ(m.Describe(),
            "Append n1->n2 t3 prev=i4@t2 entries=[i5..i7] commit=i4");
  m.entries = {E(5, 3)};
  EXPECT_EQ(m.Describe(), "Append n1->n2 t3 prev=i4@t2 entries=[i5] commit=i4");
  m.entries.clear();  // A probe.
  EXPECT_EQ(m.Describe(), "Append n1->n2 t3 prev=i4@t2 entries=[] commit=i4");
}

TEST(Message, DescribeAppendReply) {
  Message m = Msg(MessageType::kAppendReply, 2, 1, 3);
  m.index = LogIndex(7);
  m.index_term = Term(3);
  EXPECT_EQ(m.Describe(), "AppendReply n2->n1 t3 index=i7@t3");
  m.reject = true;
  m.hint_index = LogIndex(5);
  m.hint_term = Term(2);
  EXPECT_EQ(m.Describe(), "AppendReply n2->n1 t3 reject index=i7 hint=i5@t2");
}

TEST(Message, DescribeHeartbeat) {
  Message m = Msg(MessageType::kHeartbeat, 1, 2, 3);
  m.commit = LogIndex(4);
  m.context = 9;
  EXPECT_EQ(m.Describe(), "Heartbeat n1->n2 t3 commit=i4 ctx=9");
  Message r = Msg(MessageType::kHeartbeatReply, 2, 1, 3);
  r.context = 9;
  EXPECT_EQ(r.Describe(), "HeartbeatReply n2->n1 t3 ctx=9");
}

TEST(Message, DescribeSnapshot) {
  Message m = Msg(MessageType::kSnapshot, 1, 2, 3);
  Snapshot snap;
  snap.meta.index = LogIndex(100);
  snap.meta.term = Term(3);
  snap.data = Payload(std::string(1000, 'd'));
  m.snapshot = std::make_shared<const Snapshot>(std::move(snap));
  EXPECT_EQ(m.Describe(), "Snapshot n1->n2 t3 snap=i100@t3");
  Message r = Msg(MessageType::kSnapshotReply, 2, 1, 3);
  r.index = LogIndex(100);
  EXPECT_EQ(r.Describe(), "SnapshotReply n2->n1 t3 index=i100");
  r.reject = true;
  EXPECT_EQ(r.Describe(), "SnapshotReply n2->n1 t3 reject index=i100");
}

TEST(Message, DescribeTimeoutNow) {
  EXPECT_EQ(Msg(MessageType::kTimeoutNow, 1, 2, 3).Describe(),
            "TimeoutNow n1->n2 t3");
}

TEST(Message, DescribeIgnoresFieldsOfOtherTypes) {
  Message m = Msg(MessageType::kTimeoutNow, 1, 2, 3);
  m.entries = {E(5, 3)};
  m.reject = true;
  m.commit = LogIndex(9);
  m.context = 4;
  EXPECT_EQ(m.Describe(), "TimeoutNow n1->n2 t3");
}

TEST(Message, ByteSize) {
  Message m = Msg(MessageType::kHeartbeat, 1, 2, 3);
  EXPECT_EQ(m.ByteSize(), Message::kOverheadBytes);
  m.entries = {E(1, 1, "abc"), E(2, 1, "de")};
  EXPECT_EQ(m.ByteSize(), Message::kOverheadBytes + TotalBytes(m.entries));
  EXPECT_EQ(m.ByteSize(),
            Message::kOverheadBytes + 2 * Entry::kOverheadBytes + 5);
  Snapshot snap;
  snap.data = Payload(std::string(100, 's'));
  m.snapshot = std::make_shared<const Snapshot>(std::move(snap));
  EXPECT_EQ(m.ByteSize(),
            Message::kOverheadBytes + 2 * Entry::kOverheadBytes + 5 + 100);
}

TEST(Message, EqualityCoversEntries) {
  Message a = Msg(MessageType::kAppend, 1, 2, 3);
  a.entries = {E(1, 1, "x")};
  Message b = a;
  EXPECT_EQ(a, b);
  b.entries[0].payload = Payload(std::string("y"));
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace raftsim::raft
