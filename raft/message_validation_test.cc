// raft/message_validation_test.cc — a malformed message from the network is
// refused with InvalidArgument and leaves the node unchanged; it never
// reaches a CHECK (user input never crashes a node).

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "raft/memory_storage.h"
#include "raft/node.h"
#include "raft/testing/builders.h"

namespace raftsim::raft {
namespace {

using ::raftsim::raft::testing::E;

using ::testing::HasSubstr;

std::unique_ptr<Node> MakeFollower() {
  Config c;
  c.id = NodeId(2);
  c.voters = {NodeId(1), NodeId(2), NodeId(3)};
  MemoryStorage storage;
  auto node = Node::Create(c, storage.Load());
  EXPECT_TRUE(node.ok());
  return std::move(*node);
}

Message Append(std::vector<Entry> entries) {
  Message m;
  m.type = MessageType::kAppend;
  m.from = NodeId(1);
  m.to = NodeId(2);
  m.term = Term(2);
  m.prev_log_index = LogIndex(0);
  m.prev_log_term = Term(0);
  m.entries = std::move(entries);
  return m;
}

TEST(MessageValidation, WellFormedAppendIsAccepted) {
  auto node = MakeFollower();
  EXPECT_TRUE(node->Step(Append({E(1, 1), E(2, 2)})).ok());
  EXPECT_EQ(node->last_index(), LogIndex(2));
}

TEST(MessageValidation, GapInEntriesIsRefused) {
  auto node = MakeFollower();
  absl::Status s = node->Step(Append({E(1, 1), E(3, 1)}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("where index i2 was expected"));
  EXPECT_EQ(node->last_index(), LogIndex(0));
  EXPECT_EQ(node->term(), Term(0)) << "a refused message changes nothing";
}

TEST(MessageValidation, DecreasingTermsAreRefused) {
  auto node = MakeFollower();
  absl::Status s = node->Step(Append({E(1, 2), E(2, 1)}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("has a term outside"));
}

TEST(MessageValidation, EntryTermAboveMessageTermIsRefused) {
  auto node = MakeFollower();
  absl::Status s = node->Step(Append({E(1, 5)}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST(MessageValidation, IndexOverflowIsRefused) {
  auto node = MakeFollower();
  Message m = Append({E(1, 1)});
  m.prev_log_index = LogIndex(UINT64_MAX);
  EXPECT_EQ(node->Step(m).code(), absl::StatusCode::kInvalidArgument);
}

TEST(MessageValidation, SnapshotMessageWithoutSnapshotIsRefused) {
  auto node = MakeFollower();
  Message m = Append({});
  m.type = MessageType::kSnapshot;
  EXPECT_EQ(node->Step(m).code(), absl::StatusCode::kInvalidArgument);
}

TEST(MessageValidation, UnknownTypeAndZeroIdsAreRefused) {
  auto node = MakeFollower();
  Message m = Append({});
  m.type = static_cast<MessageType>(200);
  EXPECT_EQ(node->Step(m).code(), absl::StatusCode::kInvalidArgument);
  Message z = Append({});
  z.from = kNoNode;
  EXPECT_EQ(node->Step(z).code(), absl::StatusCode::kInvalidArgument);
}

TEST(MessageValidation, VoteWithFutureLastTermIsRefused) {
  auto node = MakeFollower();
  Message m;
  m.type = MessageType::kVote;
  m.from = NodeId(3);
  m.to = NodeId(2);
  m.term = Term(1);
  m.last_log_term = Term(4);
  EXPECT_EQ(node->Step(m).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(node->voted_for(), kNoNode);
}

TEST(MessageValidation, TransferFlagOnlyOnVoteRequests) {
  Message m;
  m.type = MessageType::kVote;
  m.from = NodeId(3);
  m.to = NodeId(2);
  m.term = Term(1);
  m.transfer = true;
  EXPECT_TRUE(ValidateMessage(m).ok());
  for (const MessageType type :
       {MessageType::kPreVote, MessageType::kAppend, MessageType::kHeartbeat,
        MessageType::kTimeoutNow, MessageType::kVoteReply}) {
    m.type = type;
    const absl::Status s = ValidateMessage(m);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << MessageTypeName(type);
    EXPECT_THAT(s.message(), HasSubstr("transfer flag"));
  }
}

}  // namespace
}  // namespace raftsim::raft
