// sim/simulator_test.cc — whole runs: determinism (same seed, same trace
// hash; different seeds, different hashes; the stream overrides), the observer
// hook (a violation ends the run with result=safety at the right event), and
// liveness failure. Single-threaded.

#include "sim/simulator.h"

#include <set>
#include <string>
#include <vector>

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
