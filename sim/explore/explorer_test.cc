// sim/explore/explorer_test.cc — the explorer is deterministic, makes only
// valid candidates that replay from their overrides, keeps in its corpus
// exactly the runs that reached something new, and mutates rare runs more
// often than common ones. Single-threaded.

#include "sim/explore/explorer.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/world/options.h"

namespace raftsim::sim {
namespace {

constexpr size_t kSituations = 10;

std::vector<uint64_t> Counts(std::vector<uint64_t> counts) {
  counts.resize(kSituations, 0);
  return counts;
}

TEST(Explorer, SameSeedAndReportsGiveTheSameCandidates) {
  ExplorerOptions options;
  options.explorer_seed = 7;
  Explorer a(options, kSituations), b(options, kSituations);
  for (int round = 0; round < 5; ++round) {
    std::vector<Candidate> ca = a.NextBatch(), cb = b.NextBatch();
    ASSERT_EQ(ca.size(), cb.size());
    for (size_t i = 0; i < ca.size(); ++i) {
      EXPECT_EQ(ca[i].id, cb[i].id);
      EXPECT_EQ(ca[i].seed, cb[i].seed);
      EXPECT_EQ(ca[i].Overrides(), cb[i].Overrides());
      EXPECT_EQ(ca[i].origin, cb[i].origin);
      const std::vector<uint64_t> cov = Counts({i % 3, round + 1ull, 0, i});
      EXPECT_EQ(a.Report(ca[i], cov), b.Report(cb[i], cov));
    }
  }
  options.explorer_seed = 8;
  Explorer c(options, kSituations);
  EXPECT_NE(c.NextBatch()[0].seed,
            Explorer(ExplorerOptions{7, true, 8, 20, ""}, kSituations)
                .NextBatch()[0]
                .seed);
}

TEST(Explorer, CandidatesAreValidAndReplayFromTheirOverrides) {
  ExplorerOptions options;
  options.explorer_seed = 3;
  Explorer explorer(options, kSituations);
  int mutants = 0;
  for (int round = 0; round < 200; ++round) {
    for (const Candidate& c : explorer.NextBatch()) {
      ASSERT_TRUE(c.options.Validate().ok())
          << c.origin << ": " << c.options.Validate();
      SimOptions replayed = SimOptions::Draw(c.seed);
      ASSERT_TRUE(replayed.SetFromString(c.Overrides()).ok());
      EXPECT_EQ(replayed.Describe(), c.options.Describe()) << c.origin;
      if (c.origin != "fresh") ++mutants;
      // Every run reaches something new early on, so the corpus grows.
      explorer.Report(c, Counts({1, c.id % 5, c.id % 2, 0, c.id % 7}));
    }
  }
  EXPECT_GT(mutants, 1000);  // 80% of 1600 candidates, less the first batch.
}

TEST(Explorer, CorpusKeepsExactlyTheRunsThatReachedSomethingNew) {
  Explorer explorer(ExplorerOptions{}, kSituations);
  std::vector<Candidate> batch = explorer.NextBatch();
  EXPECT_TRUE(explorer.Report(batch[0], Counts({1})));   // Situation 0.
  EXPECT_FALSE(explorer.Report(batch[1], Counts({1})));  // Nothing new.
  EXPECT_TRUE(explorer.Report(batch[2], Counts({2})));   // New bucket.
  EXPECT_FALSE(explorer.Report(batch[3], Counts({2})));
  EXPECT_TRUE(explorer.Report(batch[4], Counts({3})));        // New bucket.
  EXPECT_TRUE(explorer.Report(batch[5], Counts({0, 0, 1})));  // Situation 2.
  // 0 and 2 together, each in a bucket seen before: only the pair is new.
  EXPECT_TRUE(explorer.Report(batch[6], Counts({1, 0, 1})));
  EXPECT_FALSE(explorer.Report(batch[7], Counts({2, 0, 1})));
  EXPECT_FALSE(explorer.Report(batch[7], {}));  // A crashed run.
  EXPECT_EQ(explorer.corpus_size(), 5u);
  EXPECT_EQ(explorer.situations_reached(), 2u);
}

TEST(Explorer, CountsAreBucketedByPowersOfTwo) {
  Explorer explorer(ExplorerOptions{}, kSituations);
  const std::vector<Candidate> batch = explorer.NextBatch();
  EXPECT_TRUE(explorer.Report(batch[0], Counts({4})));
  EXPECT_FALSE(explorer.Report(batch[1], Counts({7})));  // 4..7.
  EXPECT_TRUE(explorer.Report(batch[2], Counts({8})));   // 8..15.
  EXPECT_FALSE(explorer.Report(batch[3], Counts({15})));
  EXPECT_TRUE(explorer.Report(batch[4], Counts({32})));  // 32..127.
  EXPECT_FALSE(explorer.Report(batch[5], Counts({127})));
  EXPECT_TRUE(explorer.Report(batch[6], Counts({128})));  // 128 and more.
  EXPECT_FALSE(explorer.Report(batch[7], Counts({1u << 30})));
}

TEST(Explorer, RareRunsAreMutatedMoreOften) {
  ExplorerOptions options;
  options.fresh_percent = 0;
  Explorer explorer(options, kSituations);
  std::vector<Candidate> first = explorer.NextBatch();  // All fresh.
  // Candidate 1 reaches a situation nobody else reaches; 2..8 share one.
  explorer.Report(first[0], Counts({0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  explorer.Report(first[1], Counts({1}));
  for (int i = 0; i < 200; ++i) {
    explorer.Report(first[2], Counts({1}));  // Situation 0 becomes common.
  }
  int of_rare = 0, of_common = 0;
  for (int round = 0; round < 50; ++round) {
    for (const Candidate& c : explorer.NextBatch()) {
      if (c.origin.rfind("#1:", 0) == 0) ++of_rare;
      if (c.origin.rfind("#2:", 0) == 0) ++of_common;
    }
  }
  EXPECT_GT(of_rare, 3 * of_common) << of_rare << " vs " << of_common;
}

TEST(Explorer, RandomModeMakesOnlyFreshSeeds) {
  ExplorerOptions options;
  options.guided = false;
  Explorer explorer(options, kSituations);
  std::set<uint64_t> seeds;
  for (int round = 0; round < 20; ++round) {
    for (const Candidate& c : explorer.NextBatch()) {
      EXPECT_EQ(c.origin, "fresh");
      EXPECT_EQ(c.Overrides(), "");
      seeds.insert(c.seed);
      explorer.Report(c, Counts({c.id}));
    }
  }
  EXPECT_EQ(seeds.size(), 160u);
}

TEST(Explorer, PinnedOptionsHoldInEveryCandidate) {
  ExplorerOptions options;
  options.pinned = "crashes=1,pre_vote=0";
  ASSERT_TRUE(Explorer::Validate(options).ok());
  Explorer explorer(options, kSituations);
  for (int round = 0; round < 50; ++round) {
    for (const Candidate& c : explorer.NextBatch()) {
      EXPECT_EQ(c.options.crashes, 1);
      EXPECT_EQ(c.options.pre_vote, 0);
      explorer.Report(c, Counts({c.id % 9, 1}));
    }
  }
  options.pinned = "crashs=1";
  EXPECT_FALSE(Explorer::Validate(options).ok());
  options.pinned = "";
  options.batch = 0;
  EXPECT_FALSE(Explorer::Validate(options).ok());
}

}  // namespace
}  // namespace raftsim::sim
