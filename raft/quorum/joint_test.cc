// raft/quorum/joint_test.cc — hand cases for JointConfig (joint consensus,
// Raft §6), many from etcd's quorum/testdata/joint_commit.txt.

#include "raft/quorum/joint.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::raft::quorum {
namespace {

constexpr int64_t kUnknown = -1;

MajorityConfig Cfg(std::vector<uint64_t> ids) {
  std::vector<NodeId> v;
  for (uint64_t id : ids) v.push_back(NodeId(id));
  return MajorityConfig(v);
}

JointConfig Joint(std::vector<uint64_t> in, std::vector<uint64_t> out) {
  return JointConfig{Cfg(in), Cfg(out)};
}

// Acknowledged indexes for n1, n2, ... in order; kUnknown = no ack.
uint64_t Committed(const JointConfig& cfg, std::vector<int64_t> idx) {
  auto acked = [&](NodeId id) -> std::optional<LogIndex> {
    const uint64_t i = id.value() - 1;
    if (i >= idx.size() || idx[i] == kUnknown) return std::nullopt;
    return LogIndex(static_cast<uint64_t>(idx[i]));
  };
  return cfg.CommittedIndex(acked).value();
}

VoteResult Tally(const JointConfig& cfg, std::string_view votes) {
  auto fn = [&](NodeId id) -> std::optional<bool> {
    const uint64_t i = id.value() - 1;
    if (i >= votes.size() || votes[i] == '_') return std::nullopt;
    return votes[i] == 'y';
  };
  return cfg.TallyVotes(fn);
}

TEST(JointConfig, DescribeAndIds) {
  const JointConfig joint = Joint({1, 2, 3}, {1, 2, 4});
  EXPECT_TRUE(joint.IsJoint());
  EXPECT_EQ(joint.Describe(), "(n1 n2 n3)&&(n1 n2 n4)");
  EXPECT_EQ(joint.IDs(),
            (std::vector<NodeId>{NodeId(1), NodeId(2), NodeId(3), NodeId(4)}));
  EXPECT_TRUE(joint.Contains(NodeId(4)));
  EXPECT_FALSE(joint.Contains(NodeId(5)));

  const JointConfig simple = Joint({1, 2, 3}, {});
  EXPECT_FALSE(simple.IsJoint());
  EXPECT_EQ(simple.Describe(), "(n1 n2 n3)");
  EXPECT_EQ(JointConfig().Describe(), "()");
}

TEST(JointConfig, EmptyOutgoingIsTheIncomingMajority) {
  EXPECT_EQ(Committed(Joint({1, 2, 3}, {}), {100, 101, 99}), 100u);
  EXPECT_EQ(Committed(JointConfig(), {}), kInfiniteIndex.value());
}

TEST(JointConfig, NonOverlappingSingletons) {
  const JointConfig cfg = Joint({1}, {2});
  EXPECT_EQ(Committed(cfg, {kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(cfg, {100, kUnknown}), 0u);
  EXPECT_EQ(Committed(cfg, {13, 100}), 13u);
}

TEST(JointConfig, IdenticalSingletons) {
  EXPECT_EQ(Committed(Joint({1}, {1}), {kUnknown}), 0u);
  EXPECT_EQ(Committed(Joint({1}, {1}), {100}), 100u);
}

TEST(JointConfig, TwoNodesWithSingleton) {
  EXPECT_EQ(Committed(Joint({1, 3}, {2}), {100, kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(Joint({1, 3}, {2}), {100, kUnknown, 50}), 0u);
  EXPECT_EQ(Committed(Joint({1, 3}, {2}), {100, 45, 50}), 45u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2}), {100, kUnknown}), 0u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2}), {kUnknown, 100}), 0u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2}), {50, 100}), 50u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2}), {100, 50}), 50u);
}

TEST(JointConfig, TwoNodeHalves) {
  EXPECT_EQ(Committed(Joint({1, 2}, {3, 4}), {50, 48, 49, kUnknown}), 0u);
  EXPECT_EQ(Committed(Joint({1, 2}, {3, 4}), {50, 48, 49, 47}), 47u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2, 3}), {kUnknown, 100, 99}), 0u);
  EXPECT_EQ(Committed(Joint({1, 2}, {2, 3}), {101, 100, 99}), 99u);
  EXPECT_EQ(Committed(Joint({1, 2}, {1, 2}), {41, 40}), 40u);
}

TEST(JointConfig, ThreeNodeHalves) {
  const JointConfig disjoint = Joint({1, 2, 3}, {4, 5, 6});
  EXPECT_EQ(
      Committed(disjoint, {100, 99, kUnknown, kUnknown, kUnknown, kUnknown}),
      0u);
  EXPECT_EQ(Committed(disjoint, {kUnknown, 99, 90, 97, 95, kUnknown}), 90u);
  EXPECT_EQ(Committed(disjoint, {92, 99, 90, 97, 95, kUnknown}), 92u);
  EXPECT_EQ(Committed(disjoint, {92, 99, 90, 97, 95, 77}), 92u);

  const JointConfig overlap = Joint({1, 2, 3}, {1, 4, 5});
  EXPECT_EQ(Committed(overlap, {100, 101, 100, kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(overlap, {kUnknown, 100, kUnknown, 99, 98}), 0u);
  EXPECT_EQ(Committed(overlap, {kUnknown, 100, 99, 99, 98}), 98u);
  EXPECT_EQ(Committed(overlap, {1, 100, 99, 99, 98}), 98u);
  EXPECT_EQ(Committed(overlap, {100, 100, 99, 99, 98}), 99u);

  const JointConfig more = Joint({1, 2, 3}, {2, 3, 4});
  EXPECT_EQ(Committed(more, {kUnknown, 100, 99, kUnknown}), 99u);
  EXPECT_EQ(Committed(more, {100, kUnknown, kUnknown, 101}), 0u);
  EXPECT_EQ(Committed(more, {100, 99, kUnknown, 101}), 99u);
}

TEST(JointConfig, TallyVotesNeedsBothHalves) {
  const JointConfig cfg = Joint({1, 2, 3}, {3, 4, 5});
  EXPECT_EQ(Tally(cfg, "_____"), VoteResult::kPending);
  // Incoming won, outgoing pending.
  EXPECT_EQ(Tally(cfg, "yy___"), VoteResult::kPending);
  // Incoming won, outgoing lost.
  EXPECT_EQ(Tally(cfg, "yy_nn"), VoteResult::kLost);
  // Incoming lost, outgoing pending.
  EXPECT_EQ(Tally(cfg, "nn___"), VoteResult::kLost);
  EXPECT_EQ(Tally(cfg, "yyy__"), VoteResult::kPending);
  EXPECT_EQ(Tally(cfg, "__yy_"), VoteResult::kPending);
  EXPECT_EQ(Tally(cfg, "_yyy_"), VoteResult::kWon);
  EXPECT_EQ(Tally(Joint({1}, {}), "y"), VoteResult::kWon);
  EXPECT_EQ(Tally(JointConfig(), ""), VoteResult::kWon);
}

}  // namespace
}  // namespace raftsim::raft::quorum
