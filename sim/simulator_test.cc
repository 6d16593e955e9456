// sim/simulator_test.cc — whole runs: determinism (same seed, same trace
// hash; different seeds, different hashes; the stream overrides), the observer
// hook (a violation ends the run with result=safety at the right event), and
// liveness failure. Single-threaded.

#include "sim/simulator.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace raftsim::sim {
namespace {

SimOptions Short(uint64_t seed) {
  SimOptions o = SimOptions::Draw(seed);
  o.fault_ms = 150;
  o.heal_ms = 2000;
  return o;
}

class LineCollector final : public TraceSink {
 public:
  void Line(std::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

// The Servers' metrics pump runs on the simulated runtime: with
// metrics_ms=M every running node's trace has a "metrics" record every M
// ms of its incarnation, with commit and applied that never go back within
// one, and none at all with the pump off.
TEST(Simulator, MetricsPumpIsTracedAtItsInterval) {
  SimOptions o = Short(5);
  o.crashes = 0;
  o.pauses = 0;
  o.bounces = 0;
  o.wal_sync_fail_ppm = 0;  // A storage failure restarts the node too.
  o.wal_full_ppm = 0;
  o.metrics_ms = 25;
  LineCollector lines;
  Simulator sim(5, o, &lines);
  const RunResult r = sim.Run();
  ASSERT_EQ(r.kind, ResultKind::kOk) << r.detail;
  std::map<std::string, std::vector<int64_t>> times;  // node -> time_us
  std::map<std::string, int64_t> last_commit;
  for (const std::string& line : lines.lines) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() < 6 || f[3] != "metrics") continue;
    times[f[2]].push_back(std::stoll(f[1]));
    ASSERT_TRUE(absl::StartsWith(f[4], "commit=i")) << line;
    const int64_t commit = std::stoll(f[4].substr(8));
    EXPECT_GE(commit, last_commit[f[2]]) << line;
    last_commit[f[2]] = commit;
    EXPECT_TRUE(absl::StrContains(line, " commit_p99_us=")) << line;
  }
  ASSERT_EQ(times.size(), static_cast<size_t>(o.nodes));
  for (const auto& [node, ts] : times) {
    ASSERT_GE(ts.size(), 10u) << node;
    for (size_t i = 1; i < ts.size(); ++i) {
      EXPECT_EQ(ts[i] - ts[i - 1], 25'000) << node << " at " << ts[i];
    }
  }
  o.metrics_ms = 0;
  LineCollector off;
  Simulator quiet(5, o, &off);
  ASSERT_EQ(quiet.Run().kind, ResultKind::kOk);
  for (const std::string& line : off.lines) {
    EXPECT_FALSE(absl::StrContains(line, " metrics ")) << line;
  }
}

TEST(Simulator, SameSeedSameTraceInOneProcess) {
  for (uint64_t seed : {1, 2, 3}) {
    LineCollector a_lines, b_lines;
    Simulator a(seed, Short(seed), &a_lines);
    Simulator b(seed, Short(seed), &b_lines);
    const RunResult ra = a.Run();
    const RunResult rb = b.Run();
    EXPECT_EQ(ra.kind, ResultKind::kOk) << ra.detail;
    EXPECT_EQ(ra.trace_hash, rb.trace_hash);
    EXPECT_EQ(ra.events, rb.events);
    EXPECT_EQ(a_lines.lines, b_lines.lines);
    // Rendering the trace does not change the hash.
    Simulator quiet(seed, Short(seed));
    EXPECT_EQ(quiet.Run().trace_hash, ra.trace_hash);
  }
}

// fault_seed and workload_seed (what the explorer mutates) re-seed one
// stream: their own seed gives the run unchanged, another seed another run;
// the fault schedule of another seed is the one that seed's run has.
TEST(Simulator, StreamSeedsReplaceOneStream) {
  auto hash = [](uint64_t seed, int64_t fault_seed, int64_t workload_seed) {
    SimOptions o = Short(4);
    o.crashes = 1;
    o.partition_isolate = 1;
    o.fault_seed = fault_seed;
    o.workload_seed = workload_seed;
    Simulator s(seed, o);
    const RunResult r = s.Run();
    EXPECT_EQ(r.kind, ResultKind::kOk) << r.detail;
    return r.trace_hash;
  };
  const uint64_t base = hash(4, 0, 0);
  EXPECT_EQ(hash(4, 4, 0), base);
  EXPECT_EQ(hash(4, 0, 4), base);
  EXPECT_NE(hash(4, 77, 0), base);
  EXPECT_NE(hash(4, 0, 77), base);
  EXPECT_NE(hash(4, 77, 0), hash(4, 0, 77));
}

TEST(Simulator, TwoHundredSeedsTwoHundredHashes) {
  std::set<uint64_t> hashes;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    SimOptions o = Short(seed);
    o.fault_ms = 20;
    o.heal_ms = 1000;
    Simulator s(seed, o);
    const RunResult r = s.Run();
    EXPECT_EQ(r.kind, ResultKind::kOk) << "seed " << seed << ": " << r.detail;
    hashes.insert(r.trace_hash);
  }
  EXPECT_EQ(hashes.size(), 200u);
}

// Fires at the first apply it sees.
class FailOnFirstApply final : public Observer {
 public:
  std::string_view name() const override { return "test_observer"; }
  std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) override {
    ++calls;
    for (const TraceRecord& r : records) {
      if (r.kind == TraceKind::kApply) {
        event = world.event_number();
        EXPECT_EQ(r.event, event);
        EXPECT_NE(world.host(r.node).node(), nullptr);
        return Violation{"test_observer", "saw an apply"};
      }
    }
    return std::nullopt;
  }
  uint64_t calls = 0;
  uint64_t event = 0;
};

TEST(Simulator, ObserverViolationEndsTheRunAsSafety) {
  FailOnFirstApply observer;
  Simulator s(5, Short(5));
  s.AddObserver(&observer);
  const RunResult r = s.Run();
  EXPECT_EQ(r.kind, ResultKind::kSafety);
  EXPECT_EQ(r.events, observer.event);
  EXPECT_EQ(observer.calls, r.events);  // Called after every event.
  EXPECT_NE(r.detail.find("test_observer: saw an apply"), std::string::npos);
  EXPECT_NE(r.detail.find(absl::StrCat("event ", r.events)), std::string::npos);
}

TEST(Simulator, UnreachableLivenessIsReported) {
  SimOptions o = Short(9);
  // Every election round takes longer than any election timeout: no
  // leader can ever be elected.
  o.latency_us_min = o.latency_us_max = 200'000;
  o.heal_ms = 300;
  Simulator s(9, o);
  const RunResult r = s.Run();
  EXPECT_EQ(r.kind, ResultKind::kLiveness);
  EXPECT_EQ(ExitCode(r.kind), kExitLiveness);
}

}  // namespace
}  // namespace raftsim::sim
