// raft/quorum/majority_test.cc — hand cases for MajorityConfig, many taken
// from etcd's quorum/testdata/majority_commit.txt (Raft Figure 2: commit the N
// that a majority of matchIndex[i] >= N).

#include "raft/quorum/majority.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::raft::quorum {
namespace {

constexpr int64_t kUnknown = -1;  // "_" in etcd's test data.

MajorityConfig Cfg(std::vector<uint64_t> ids) {
  std::vector<NodeId> v;
  for (uint64_t id : ids) v.push_back(NodeId(id));
  return MajorityConfig(v);
}

// Acknowledged indexes for voters n1, n2, ... in order; kUnknown = no ack.
uint64_t Committed(const MajorityConfig& cfg, std::vector<int64_t> idx) {
  auto acked = [&](NodeId id) -> std::optional<LogIndex> {
    const uint64_t i = id.value() - 1;
    if (i >= idx.size() || idx[i] == kUnknown) return std::nullopt;
    return LogIndex(static_cast<uint64_t>(idx[i]));
  };
  return cfg.CommittedIndex(acked).value();
}

// Votes for voters n1, n2, ...: 'y' granted, 'n' rejected, '_' missing.
VoteResult Tally(const MajorityConfig& cfg, std::string_view votes) {
  auto fn = [&](NodeId id) -> std::optional<bool> {
    const uint64_t i = id.value() - 1;
    if (i >= votes.size() || votes[i] == '_') return std::nullopt;
    return votes[i] == 'y';
  };
  return cfg.TallyVotes(fn);
}

TEST(MajorityConfig, SortsAndDeduplicates) {
  const MajorityConfig cfg = Cfg({3, 1, 2, 3, 1});
  EXPECT_EQ(cfg.size(), 3u);
  EXPECT_EQ(cfg.Describe(), "(n1 n2 n3)");
  EXPECT_TRUE(cfg.Contains(NodeId(2)));
  EXPECT_FALSE(cfg.Contains(NodeId(4)));
  EXPECT_EQ(cfg, (MajorityConfig{NodeId(1), NodeId(2), NodeId(3)}));
}

TEST(MajorityConfig, InsertAndErase) {
  MajorityConfig cfg;
  EXPECT_EQ(cfg.Describe(), "()");
  EXPECT_TRUE(cfg.Insert(NodeId(5)));
  EXPECT_TRUE(cfg.Insert(NodeId(2)));
  EXPECT_FALSE(cfg.Insert(NodeId(5)));
  EXPECT_EQ(cfg.Describe(), "(n2 n5)");
  EXPECT_TRUE(cfg.Erase(NodeId(2)));
  EXPECT_FALSE(cfg.Erase(NodeId(2)));
  EXPECT_EQ(cfg.Describe(), "(n5)");
}

TEST(MajorityConfig, EmptyCommitsEverything) {
  EXPECT_EQ(MajorityConfig().CommittedIndex(
                [](NodeId) -> std::optional<LogIndex> { return LogIndex(3); }),
            kInfiniteIndex);
}

TEST(MajorityConfig, SingleVoter) {
  EXPECT_EQ(Committed(Cfg({1}), {kUnknown}), 0u);
  EXPECT_EQ(Committed(Cfg({1}), {12}), 12u);
}

TEST(MajorityConfig, TwoVotersNeedBoth) {
  EXPECT_EQ(Committed(Cfg({1, 2}), {kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(Cfg({1, 2}), {12, kUnknown}), 0u);
  EXPECT_EQ(Committed(Cfg({1, 2}), {12, 5}), 5u);
}

TEST(MajorityConfig, ThreeVoters) {
  const MajorityConfig cfg = Cfg({1, 2, 3});
  EXPECT_EQ(Committed(cfg, {kUnknown, kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(cfg, {12, kUnknown, kUnknown}), 0u);
  EXPECT_EQ(Committed(cfg, {12, 5, kUnknown}), 5u);
  EXPECT_EQ(Committed(cfg, {12, 5, 6}), 6u);
  EXPECT_EQ(Committed(cfg, {12, 5, 4}), 5u);
  EXPECT_EQ(Committed(cfg, {5, 5, kUnknown}), 5u);
  EXPECT_EQ(Committed(cfg, {5, 5, 12}), 5u);
  EXPECT_EQ(Committed(cfg, {100, 101, 103}), 101u);
}

TEST(MajorityConfig, FiveVoters) {
  const MajorityConfig cfg = Cfg({1, 2, 3, 4, 5});
  EXPECT_EQ(Committed(cfg, {101, 104, 103, 103, kUnknown}), 103u);
  EXPECT_EQ(Committed(cfg, {101, 102, 103, 103, kUnknown}), 102u);
}

TEST(MajorityConfig, IgnoresNonVoters) {
  // n4 and n5 have acked but are not in the configuration.
  EXPECT_EQ(Committed(Cfg({1, 2, 3}), {1, 2, kUnknown, 9, 9}), 1u);
}

TEST(MajorityConfig, LargeConfigurationsUseTheGeneralSort) {
  std::vector<uint64_t> ids;
  std::vector<int64_t> idx;
  for (uint64_t i = 1; i <= 21; ++i) {
    ids.push_back(i);
    idx.push_back(static_cast<int64_t>(100 - i));  // 99, 98, ..., 79
  }
  // 11 of 21 is a majority: the 11th largest is 89.
  EXPECT_EQ(Committed(Cfg(ids), idx), 89u);
}

TEST(MajorityConfig, EmptyWinsEveryVote) {
  EXPECT_EQ(Tally(MajorityConfig(), ""), VoteResult::kWon);
}

TEST(MajorityConfig, TallyVotes) {
  const MajorityConfig one = Cfg({1});
  EXPECT_EQ(Tally(one, "_"), VoteResult::kPending);
  EXPECT_EQ(Tally(one, "y"), VoteResult::kWon);
  EXPECT_EQ(Tally(one, "n"), VoteResult::kLost);

  const MajorityConfig two = Cfg({1, 2});
  EXPECT_EQ(Tally(two, "y_"), VoteResult::kPending);
  EXPECT_EQ(Tally(two, "yy"), VoteResult::kWon);
  EXPECT_EQ(Tally(two, "yn"), VoteResult::kLost);
  EXPECT_EQ(Tally(two, "n_"), VoteResult::kLost);

  const MajorityConfig three = Cfg({1, 2, 3});
  EXPECT_EQ(Tally(three, "y__"), VoteResult::kPending);
  EXPECT_EQ(Tally(three, "yn_"), VoteResult::kPending);
  EXPECT_EQ(Tally(three, "yy_"), VoteResult::kWon);
  EXPECT_EQ(Tally(three, "nn_"), VoteResult::kLost);
  EXPECT_EQ(Tally(three, "yny"), VoteResult::kWon);

  const MajorityConfig four = Cfg({1, 2, 3, 4});
  EXPECT_EQ(Tally(four, "yy__"), VoteResult::kPending);
  EXPECT_EQ(Tally(four, "yyn_"), VoteResult::kPending);
  EXPECT_EQ(Tally(four, "yyy_"), VoteResult::kWon);
  // Two rejections out of four: three grants are no longer possible.
  EXPECT_EQ(Tally(four, "nn__"), VoteResult::kLost);
}

TEST(VoteResult, Describe) {
  EXPECT_EQ(Describe(VoteResult::kPending), "pending");
  EXPECT_EQ(Describe(VoteResult::kLost), "lost");
  EXPECT_EQ(Describe(VoteResult::kWon), "won");
}

}  // namespace
}  // namespace raftsim::raft::quorum
