// raft/read_only_test.cc — ReadOnly: pending ReadIndex requests keyed by
// context, acks counted once per member, requests released oldest first up
// to the confirmed one, everything forgotten on Reset.

#include "raft/read_only.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "gtest/gtest.h"
#include "raft/quorum/joint.h"
#include "raft/quorum/majority.h"
#include "raft/ready.h"
#include "raft/types.h"

namespace raftsim::raft {
namespace {

NodeId N(uint64_t id) { return NodeId(id); }
LogIndex I(uint64_t index) { return LogIndex(index); }

// What Node does with the acks RecvAck returns: a vote tally over them.
quorum::VoteResult Tally(const quorum::JointConfig& voters,
                         const std::vector<NodeId>& acks) {
  return voters.TallyVotes([&acks](NodeId id) -> std::optional<bool> {
    for (const NodeId a : acks) {
      if (a == id) return true;
    }
    return std::nullopt;
  });
}

quorum::JointConfig Voters(std::initializer_list<NodeId> ids) {
  return quorum::JointConfig{quorum::MajorityConfig(ids), {}};
}

TEST(ReadOnly, StartsEmpty) {
  ReadOnly ro;
  EXPECT_TRUE(ro.empty());
  EXPECT_EQ(ro.pending(), 0u);
  EXPECT_EQ(ro.LastPendingContext(), 0u);
}

TEST(ReadOnly, AddRequestCountsTheLeader) {
  ReadOnly ro;
  ro.AddRequest(7, I(3), N(1));
  EXPECT_FALSE(ro.empty());
  EXPECT_EQ(ro.pending(), 1u);
  EXPECT_EQ(ro.LastPendingContext(), 7u);
  // Acking again as the leader adds nobody: the leader was already counted.
  const std::vector<NodeId>* acks = ro.RecvAck(N(1), 7);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, std::vector<NodeId>{N(1)});
}

TEST(ReadOnly, QuorumReachedAfterMajorityOfAcks) {
  const quorum::JointConfig voters = Voters({N(1), N(2), N(3), N(4), N(5)});
  ReadOnly ro;
  ro.AddRequest(7, I(2), N(1));
  const std::vector<NodeId>* acks = ro.RecvAck(N(3), 7);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(Tally(voters, *acks), quorum::VoteResult::kPending);
  acks = ro.RecvAck(N(5), 7);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(3), N(5)}));
  EXPECT_EQ(Tally(voters, *acks), quorum::VoteResult::kWon);
  std::vector<ReadState> released;
  ro.Advance(7, &released);
  EXPECT_EQ(released, (std::vector<ReadState>{{7, I(2)}}));
  EXPECT_TRUE(ro.empty());
}

TEST(ReadOnly, DuplicateAcksCountOnce) {
  const quorum::JointConfig voters = Voters({N(1), N(2), N(3), N(4), N(5)});
  ReadOnly ro;
  ro.AddRequest(9, I(4), N(1));
  ro.RecvAck(N(2), 9);
  ro.RecvAck(N(2), 9);
  const std::vector<NodeId>* acks = ro.RecvAck(N(2), 9);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(2)}));
  EXPECT_EQ(Tally(voters, *acks), quorum::VoteResult::kPending)
      << "one member acking three times is not a quorum";
}

TEST(ReadOnly, AcksAreKeptSorted) {
  ReadOnly ro;
  ro.AddRequest(1, I(1), N(3));
  ro.RecvAck(N(5), 1);
  ro.RecvAck(N(1), 1);
  const std::vector<NodeId>* acks = ro.RecvAck(N(4), 1);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(3), N(4), N(5)}));
}

TEST(ReadOnly, AckForUnknownContextChangesNothing) {
  ReadOnly ro;
  EXPECT_EQ(ro.RecvAck(N(2), 7), nullptr) << "nothing pending";
  ro.AddRequest(7, I(2), N(1));
  EXPECT_EQ(ro.RecvAck(N(2), 8), nullptr);
  std::vector<ReadState> released;
  ro.Advance(8, &released);
  EXPECT_TRUE(released.empty());
  EXPECT_EQ(ro.pending(), 1u);
  // The ack for 8 did not count towards 7.
  const std::vector<NodeId>* acks = ro.RecvAck(N(1), 7);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, std::vector<NodeId>{N(1)});
}

TEST(ReadOnly, AcksAreCountedPerRequest) {
  ReadOnly ro;
  ro.AddRequest(1, I(5), N(1));
  ro.AddRequest(2, I(6), N(1));
  ro.RecvAck(N(2), 1);
  const std::vector<NodeId>* acks = ro.RecvAck(N(3), 2);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(3)}));
  acks = ro.RecvAck(N(1), 1);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(2)}));
}

TEST(ReadOnly, AdvanceReleasesOlderRequestsInOrder) {
  ReadOnly ro;
  ro.AddRequest(10, I(5), N(1));
  ro.AddRequest(20, I(5), N(1));
  ro.AddRequest(30, I(6), N(1));
  ro.AddRequest(40, I(8), N(1));
  EXPECT_EQ(ro.LastPendingContext(), 40u);
  std::vector<ReadState> released = {{1, I(1)}};  // Appended to, not reset.
  ro.Advance(30, &released);
  EXPECT_EQ(released, (std::vector<ReadState>{
                          {1, I(1)}, {10, I(5)}, {20, I(5)}, {30, I(6)}}));
  EXPECT_EQ(ro.pending(), 1u);
  EXPECT_EQ(ro.LastPendingContext(), 40u);
  // The released ones are gone: acks for them are unknown now.
  EXPECT_EQ(ro.RecvAck(N(2), 10), nullptr);
  EXPECT_EQ(ro.RecvAck(N(2), 30), nullptr);
  released.clear();
  ro.Advance(40, &released);
  EXPECT_EQ(released, (std::vector<ReadState>{{40, I(8)}}));
  EXPECT_TRUE(ro.empty());
  EXPECT_EQ(ro.LastPendingContext(), 0u);
}

TEST(ReadOnly, AdvanceOldestLeavesNewerPending) {
  ReadOnly ro;
  ro.AddRequest(10, I(5), N(1));
  ro.AddRequest(20, I(6), N(1));
  ro.RecvAck(N(2), 20);
  std::vector<ReadState> released;
  ro.Advance(10, &released);
  EXPECT_EQ(released, (std::vector<ReadState>{{10, I(5)}}));
  // The newer request keeps its acks.
  const std::vector<NodeId>* acks = ro.RecvAck(N(1), 20);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(2)}));
}

TEST(ReadOnly, DuplicateContextAcksTheOldest) {
  ReadOnly ro;
  ro.AddRequest(5, I(1), N(1));
  ro.AddRequest(5, I(2), N(1));
  EXPECT_EQ(ro.pending(), 2u);
  ro.RecvAck(N(2), 5);
  std::vector<ReadState> released;
  ro.Advance(5, &released);
  EXPECT_EQ(released, (std::vector<ReadState>{{5, I(1)}}));
  // The second one starts over with only the leader's ack.
  const std::vector<NodeId>* acks = ro.RecvAck(N(1), 5);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, std::vector<NodeId>{N(1)});
}

TEST(ReadOnly, ResetOnTermChangeForgetsEverything) {
  ReadOnly ro;
  ro.AddRequest(1, I(3), N(1));
  ro.AddRequest(2, I(4), N(1));
  ro.RecvAck(N(2), 2);
  ro.Reset();
  EXPECT_TRUE(ro.empty());
  EXPECT_EQ(ro.LastPendingContext(), 0u);
  EXPECT_EQ(ro.RecvAck(N(3), 2), nullptr);
  std::vector<ReadState> released;
  ro.Advance(2, &released);
  EXPECT_TRUE(released.empty());
  // Usable again afterwards, from scratch.
  ro.AddRequest(2, I(9), N(1));
  const std::vector<NodeId>* acks = ro.RecvAck(N(3), 2);
  ASSERT_NE(acks, nullptr);
  EXPECT_EQ(*acks, (std::vector<NodeId>{N(1), N(3)}));
}

}  // namespace
}  // namespace raftsim::raft
