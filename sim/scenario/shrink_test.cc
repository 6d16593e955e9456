// sim/scenario/shrink_test.cc — the shrinker: ddmin finds the failure-inducing
// actions under a synthetic oracle and respects its budget; removing a node
// renumbers the schedule; a recorded swarm run replays as a scenario; and a
// real simulated failure (a test-only observer) shrinks to a smaller
// scenario that still fails the same way.

#include "sim/scenario/shrink.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/shrink_record.h"

namespace raftsim::sim {
namespace {

Scenario Parse(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

bool Has(const Scenario& s, const std::string& action) {
  for (const TimedAction& t : s.schedule) {
    if (DescribeAction(t.action) == action) return true;
  }
  return false;
}

TEST(Shrink, DeltaDebuggingKeepsExactlyTheNeededActions) {
  std::string text = "nodes 5\n";
  for (int i = 0; i < 40; ++i) {
    absl::StrAppend(&text, "at ", i, "ms client ", i % 5 + 1, " put k v", i,
                    "\n");
  }
  absl::StrAppend(&text, "at 41ms crash 2\nat 42ms isolate 3\nend 50ms\n");
  const Scenario start = Parse(text);
  const FailureClass target{"safety", "synthetic"};
  int calls = 0;
  ShrinkOracle oracle = [&](const Scenario& s) -> std::optional<FailureClass> {
    ++calls;
    if (Has(s, "crash 2") && Has(s, "isolate 3") &&
        Has(s, "client 3 put k v7")) {
      return target;
    }
    return FailureClass{"liveness", ""};  // A different failure: not kept.
  };
  const ShrinkResult r = Shrink(start, target, oracle);
  EXPECT_EQ(r.scenario.schedule.size(), 3u) << FormatScenario(r.scenario);
  EXPECT_TRUE(Has(r.scenario, "client 3 put k v7"));
  EXPECT_EQ(r.runs, calls);
  EXPECT_FALSE(r.budget_exhausted);
  // Nodes 5 and 4 go; 3 and 2 are named by the needed actions.
  EXPECT_EQ(r.scenario.nodes, 3);
  EXPECT_EQ(*r.scenario.end_us, 42'000);
}

TEST(Shrink, StopsAtTheBudget) {
  std::string text = "nodes 3\n";
  for (int i = 0; i < 64; ++i) absl::StrAppend(&text, "at ", i, "ms heal\n");
  const FailureClass target{"liveness", ""};
  ShrinkSettings settings;
  settings.max_runs = 10;
  int progress = 0;
  settings.progress = [&](const ShrinkProgress&) { ++progress; };
  const ShrinkResult r = Shrink(
      Parse(text), target,
      [&](const Scenario& s) -> std::optional<FailureClass> {
        if (s.schedule.size() >= 5) return target;
        return std::nullopt;
      },
      settings);
  EXPECT_EQ(r.runs, 10);
  EXPECT_EQ(progress, 10);
  EXPECT_TRUE(r.budget_exhausted);
  EXPECT_LT(r.scenario.schedule.size(), 64u);
}

TEST(Shrink, WithoutNodeRenumbersAndDropsWhatNamesIt) {
  const Scenario s = Parse(
      "nodes 5\n"
      "at 1ms partition {1,2} {3,4,5}\n"
      "at 2ms partition {3} {1,2,4,5}\n"
      "at 3ms bridge 3 {1,2} {4,5}\n"
      "at 4ms crash 3\n"
      "at 5ms crash 5\n"
      "at 6ms drop 5->* 0.5\n"
      "at 7ms partition-oneway {3} -> {1}\n"
      "at 8ms client 9 get k\n");
  const std::optional<Scenario> w = WithoutNode(s, 3);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->nodes, 4);
  std::vector<std::string> got;
  for (const TimedAction& t : w->schedule)
    got.push_back(DescribeAction(t.action));
  EXPECT_THAT(got, ::testing::ElementsAre("partition {1,2} {3,4}",
                                          "partition {1,2} {3,4}", "crash 4",
                                          "drop 4->* 0.5", "client 9 get k"));
  // The result is a valid scenario: it prints and parses back.
  EXPECT_EQ(Parse(FormatScenario(*w)), *w);
}

TEST(Shrink, WithoutNodeRemapsMembershipActions) {
  const Scenario s = Parse(
      "nodes 5\n"
      "at 1ms add-voter 3\n"
      "at 2ms add-learner 5 via 3\n"
      "at 3ms joint add-voter 4, remove 3, promote 5\n"
      "at 4ms enter-joint remove 3\n"
      "at 5ms leave-joint via 3\n"
      "at 6ms leave-joint via 4\n"
      "at 7ms transfer 3\n"
      "at 8ms transfer 5 via 1\n"
      "at 9ms bootstrap 3 {1,2}\n"
      "at 10ms bootstrap 4 {1,3} learners {5}\n"
      "at 11ms bootstrap 4 {3} learners {5}\n");
  const std::optional<Scenario> w = WithoutNode(s, 3);
  ASSERT_TRUE(w.has_value());
  std::vector<std::string> got;
  for (const TimedAction& t : w->schedule)
    got.push_back(DescribeAction(t.action));
  EXPECT_THAT(got, ::testing::ElementsAre(
                       "joint add-voter 3, promote 4", "leave-joint via 3",
                       "transfer 4 via 1", "bootstrap 3 {1} learners {4}"));
  EXPECT_EQ(Parse(FormatScenario(*w)), *w);
}

SimOptions SwarmOptions() {
  SimOptions o;
  o.nodes = 5;
  o.fault_ms = 300;
  o.partition_isolate = o.partition_split = o.partition_asymmetric =
      o.partition_bridge = o.partition_links = 1;
  o.crashes = o.pauses = 1;
  o.fault_gap_ms_max = 30;
  o.jitter_us = 300;
  o.loss_ppm = 10'000;
  return o;
}

TEST(ShrinkRecord, ARecordedSwarmRunReplaysAsAScenario) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const RecordedRun rec = RecordRun(seed, SwarmOptions(), true);
    const Scenario& s = rec.scenario;
    EXPECT_GT(s.schedule.size(), 10u);
    EXPECT_EQ(Parse(FormatScenario(s)), s);  // A valid, canonical scenario.
    absl::StatusOr<ScenarioOutcome> again = RunScenario(s, seed);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->result.kind, rec.result.kind) << FormatScenario(s);
    // The same run, not just the same verdict: it ends at the same
    // microsecond. (Event counts differ: a scripted action is an event of
    // its own, and superseded random recoveries are not recorded.)
    EXPECT_EQ(again->result.sim_us, rec.result.sim_us) << "seed " << seed;
  }
}

// Fires when node 2 is down while node 3 cannot reach node 1: a synthetic
// "bug" that needs two particular faults at once.
class SyntheticBug final : public Observer {
 public:
  std::string_view name() const override { return "synthetic"; }
  std::optional<Violation> AfterEvent(const WorldView& w,
                                      absl::Span<const TraceRecord>) override {
    if (!w.host(HostIndex(1)).up() &&
        !w.network().connectivity().Reaches(HostIndex(2), HostIndex(0))) {
      return Violation{"synthetic", "n2 down while n3 is cut from n1"};
    }
    return std::nullopt;
  }
};

std::optional<FailureClass> RunWithBug(const Scenario& s) {
  SyntheticBug bug;
  ScenarioRunSettings settings;
  settings.observers.push_back(&bug);
  absl::StatusOr<ScenarioOutcome> out =
      RunScenario(s, s.seed.value_or(0), settings);
  if (!out.ok()) return std::nullopt;
  return FailureOf(out->result);
}

TEST(Shrink, ARealRunShrinksToASmallerScenarioThatFailsTheSameWay) {
  const Scenario start = Parse(
      "nodes 5\nseed 3\n"
      "option jitter_us=500\n"
      "at 0ms campaign 1\n"
      "at 5ms client 1 put a 1\n"
      "at 6ms client 2 append b x\n"
      "at 10ms pause 4 5ms\n"
      "at 12ms drop 1->5 0.5\n"
      "at 15ms crash 5\n"
      "at 18ms client 3 get a\n"
      "at 20ms isolate 3\n"
      "at 22ms propose 1 junk\n"
      "at 25ms restart 5\n"
      "at 30ms crash 2\n"
      "at 31ms client 1 cas a 1 2\n"
      "at 40ms heal\n"
      "end 100ms\n"
      "heal-phase 2s\n");
  const FailureClass target{"safety", "synthetic"};
  ASSERT_EQ(RunWithBug(start), target);
  const ShrinkResult r = Shrink(start, target, &RunWithBug);
  EXPECT_EQ(RunWithBug(r.scenario), target);
  EXPECT_EQ(r.scenario.schedule.size(), 2u) << FormatScenario(r.scenario);
  EXPECT_TRUE(Has(r.scenario, "isolate 3"));
  EXPECT_TRUE(Has(r.scenario, "crash 2"));
  EXPECT_EQ(r.scenario.nodes, 3);
  EXPECT_TRUE(r.scenario.options.empty());
}

}  // namespace
}  // namespace raftsim::sim
