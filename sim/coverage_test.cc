// sim/coverage_test.cc — the coverage catalogue and what a run counts: the
// catalogue is large, its names unique and stable in form; the sweep's
// line format round-trips and refuses malformed lines; counts are a
// deterministic function of the seed, do not change the run, and follow
// what the run did (a run without crashes restarts no node; one with
// crashes restarts some).
// Single-threaded.

#include "sim/coverage.h"

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "raft/coverage.h"
#include "sim/simulator.h"

namespace raftsim::sim {
namespace {

TEST(Coverage, CatalogueIsLargeWithUniqueSnakeCaseNames) {
  const std::vector<CoverageEntry>& c = CoverageCatalogue();
  EXPECT_GE(c.size(), 40u);
  EXPECT_EQ(c.size(), raft::kSituationCount + 21);
  std::set<std::string> names;
  for (const CoverageEntry& e : c) {
    EXPECT_TRUE(names.insert(std::string(e.name)).second) << e.name;
    EXPECT_FALSE(e.description.empty()) << e.name;
    EXPECT_TRUE(e.layer == "raft" || e.layer == "sim") << e.name;
    for (char ch : e.name) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(ch)) || ch == '_')
          << e.name;
    }
  }
  // The raft situations come first, in their enum's order.
  EXPECT_EQ(c[0].name, raft::kSituations[0].name);
  EXPECT_EQ(c[CatalogueIndex(EnvSituation::kNodeRestarted)].name,
            "node_restarted");
}

TEST(Coverage, LineRoundTripsAndRejectsMalformedLines) {
  std::vector<uint64_t> counts(CoverageCatalogue().size());
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = i * 1000003;
  const std::string line = FormatCoverageLine(counts);
  const absl::StatusOr<std::vector<uint64_t>> back = ParseCoverageLine(line);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, counts);

  EXPECT_FALSE(ParseCoverageLine("covers 1,2").ok());
  const absl::Status short_line = ParseCoverageLine("coverage 1,2").status();
  EXPECT_NE(short_line.message().find("2 counts, expected"), std::string::npos)
      << short_line;
  std::string bad = line;
  bad.replace(bad.find(',') + 1, 1, "x");
  const absl::Status not_number = ParseCoverageLine(bad).status();
  EXPECT_NE(not_number.message().find("count 2"), std::string::npos)
      << not_number;
}

SimOptions Short(uint64_t seed) {
  SimOptions o = SimOptions::Draw(seed);
  o.fault_ms = 150;
  o.heal_ms = 2000;
  return o;
}

TEST(Coverage, CountsAreDeterministicAndLeaveTheRunAlone) {
  for (uint64_t seed : {3, 4}) {
    const RunResult a = Simulator(seed, Short(seed)).Run();
    const RunResult b = Simulator(seed, Short(seed)).Run();
    ASSERT_EQ(a.coverage.size(), CoverageCatalogue().size());
    EXPECT_EQ(a.coverage, b.coverage);
    EXPECT_EQ(a.trace_hash, b.trace_hash);
    // Every run elects a leader after a timeout.
    EXPECT_GE(
        a.coverage[static_cast<size_t>(raft::Situation::kCampaignOnTimeout)],
        1u);
  }
}

TEST(Coverage, RestartsAreCountedOnlyWhenNodesCrash) {
  const size_t restarted = CatalogueIndex(EnvSituation::kNodeRestarted);
  SimOptions calm = Short(5);
  calm.crashes = 0;
  calm.bounces = 0;            // A bounce is a crash too.
  calm.wal_sync_fail_ppm = 0;  // So is a storage failure (fail-stop).
  calm.wal_full_ppm = 0;
  EXPECT_EQ(Simulator(5, calm).Run().coverage[restarted], 0u);
  SimOptions churn = Short(5);
  churn.crashes = 1;
  churn.crash_ms_max = 10;
  churn.fault_gap_ms_max = 10;
  churn.fault_ms = 500;
  const RunResult r = Simulator(5, churn).Run();
  EXPECT_EQ(r.kind, ResultKind::kOk) << r.detail;
  EXPECT_GE(r.coverage[restarted], 1u);
}

}  // namespace
}  // namespace raftsim::sim
