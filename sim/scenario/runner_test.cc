// sim/scenario/runner_test.cc — every scenario action has its effect in a
// simulated run (partitions drop exactly the messages across groups, crash
// and restart, pause and resume, link rules, client operations, proposals,
// campaign), the options and phases are the file's, and the expectations
// are judged as scenarios/README.md says.

#include "sim/scenario/runner.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "raft/types.h"
#include "sim/coverage.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim {
namespace {

using ::testing::HasSubstr;

// Keeps every trace record of the run.
class Recorder final : public Observer {
 public:
  std::string_view name() const override { return "recorder"; }
  std::optional<Violation> AfterEvent(
      const WorldView&, absl::Span<const TraceRecord> records) override {
    all.insert(all.end(), records.begin(), records.end());
    return std::nullopt;
  }
  std::optional<Violation> AtEnd(const WorldView&,
                                 const checkers::History& h) override {
    history = h;
    return std::nullopt;
  }
  std::vector<TraceRecord> Of(TraceKind kind) const {
    std::vector<TraceRecord> out;
    for (const TraceRecord& r : all) {
      if (r.kind == kind) out.push_back(r);
    }
    return out;
  }
  std::vector<TraceRecord> all;
  checkers::History history;
};

struct Run {
  ScenarioOutcome outcome;
  Recorder recorder;
};

// Parses and runs `text` (which must be valid) with `seed`.
std::unique_ptr<Run> RunText(const std::string& text, uint64_t seed = 1) {
  auto run = std::make_unique<Run>();
  absl::StatusOr<Scenario> s = ParseScenario(text, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return run;
  ScenarioRunSettings settings;
  settings.observers.push_back(&run->recorder);
  absl::StatusOr<ScenarioOutcome> out = RunScenario(*s, seed, settings);
  EXPECT_TRUE(out.ok()) << out.status();
  if (out.ok()) run->outcome = *out;
  return run;
}

int Node(const TraceRecord& r) { return static_cast<int>(r.node.id().value()); }

TEST(ScenarioRunner, PartitionDropsExactlyTheMessagesAcrossGroups) {
  auto run = RunText(
      "nodes 5\n"
      "at 0ms campaign 1\n"
      "at 20ms partition {1,2} {3,4,5}\n"
      "at 60ms heal\n"
      "end 80ms\n");
  int across = 0;
  for (const TraceRecord& r : run->recorder.all) {
    if (!r.has_message) continue;
    const int from = static_cast<int>(r.message.from);
    const int to = static_cast<int>(r.message.to);
    const bool cross = (from <= 2) != (to <= 2);
    const bool during = r.time_us >= 20'000 && r.time_us < 60'000;
    if (r.kind == TraceKind::kDrop && r.drop.reason == DropReason::kPartition) {
      EXPECT_TRUE(cross && during)
          << "n" << from << "->n" << to << " at " << r.time_us;
      ++across;
    }
    // Sends during the partition never cross it (deliveries of earlier
    // sends may still arrive: in-flight messages are not recalled).
    if (r.kind == TraceKind::kSend && during && cross) {
      bool dropped = false;
      for (const TraceRecord& d : run->recorder.all) {
        dropped =
            dropped ||
            (d.event == r.event && d.kind == TraceKind::kDrop &&
             d.message.from == r.message.from && d.message.to == r.message.to);
      }
      EXPECT_TRUE(dropped);
    }
  }
  EXPECT_GT(across, 0);
  EXPECT_EQ(run->outcome.result.kind, ResultKind::kOk);
}

TEST(ScenarioRunner, OneWayIsolateAndBridgeCutTheRightDirections) {
  auto run = RunText(
      "nodes 5\n"
      "at 0ms campaign 1\n"
      "at 20ms partition-oneway {1} -> {2,3}\n"
      "at 40ms isolate 4\n"
      "at 60ms bridge 3 {1,2} {4,5}\n"
      "end 80ms\n");
  for (const TraceRecord& r : run->recorder.Of(TraceKind::kDrop)) {
    if (r.drop.reason != DropReason::kPartition) continue;
    const int from = static_cast<int>(r.message.from);
    const int to = static_cast<int>(r.message.to);
    if (r.time_us < 40'000) {
      EXPECT_TRUE(from == 1 && (to == 2 || to == 3)) << from << "->" << to;
    } else if (r.time_us < 60'000) {
      EXPECT_TRUE(from == 4 || to == 4) << from << "->" << to;
    } else {
      EXPECT_TRUE((from <= 2 && to >= 4) || (from >= 4 && to <= 2))
          << from << "->" << to;
    }
  }
}

TEST(ScenarioRunner, CrashAndRestartAtTheirTimes) {
  auto run = RunText(
      "nodes 3\n"
      "at 0ms campaign 1\n"
      "at 10ms client 1 put x 1\n"
      "at 30ms crash 2\n"
      "at 30ms crash 2\n"  // Already down: a no-op, noted.
      "at 50ms restart 2\n"
      "end 60ms\n");
  std::vector<TraceRecord> crashes = run->recorder.Of(TraceKind::kCrash);
  std::vector<TraceRecord> restarts = run->recorder.Of(TraceKind::kRestart);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(Node(crashes[0]), 2);
  EXPECT_EQ(crashes[0].time_us, 30'000);
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0].time_us, 50'000);
  // Nothing is delivered to n2 while it is down.
  for (const TraceRecord& r : run->recorder.Of(TraceKind::kDeliver)) {
    if (Node(r) == 2) {
      EXPECT_FALSE(r.time_us > 30'000 && r.time_us < 50'000) << r.time_us;
    }
  }
  EXPECT_EQ(run->outcome.result.kind, ResultKind::kOk);
}

TEST(ScenarioRunner, PauseDefersAndResumes) {
  auto run = RunText(
      "nodes 3\n"
      "at 0ms campaign 1\n"
      "at 20ms pause 3\n"
      "at 40ms resume 3\n"
      "at 50ms pause 2 10ms\n"
      "end 100ms\n");
  std::vector<TraceRecord> pauses = run->recorder.Of(TraceKind::kPause);
  std::vector<TraceRecord> resumes = run->recorder.Of(TraceKind::kResume);
  ASSERT_EQ(pauses.size(), 2u);
  ASSERT_EQ(resumes.size(), 2u);
  EXPECT_EQ(resumes[0].time_us, 40'000);
  EXPECT_EQ(Node(resumes[1]), 2);
  EXPECT_EQ(resumes[1].time_us, 60'000);  // The pause's own duration.
  for (const TraceRecord& r : run->recorder.all) {
    if (Node(r) == 3 && r.kind == TraceKind::kDeliver) {
      EXPECT_FALSE(r.time_us > 20'000 && r.time_us < 40'000) << r.time_us;
    }
  }
}

TEST(ScenarioRunner, LinkRulesDropDelayAndDuplicate) {
  auto run = RunText(
      "nodes 3\n"
      "at 0ms campaign 1\n"
      "at 10ms drop 1->2 1\n"
      "at 10ms duplicate 1->3 1\n"
      "at 10ms delay *->3 30ms\n"
      "at 50ms drop 1->2 0\n"
      "end 60ms\n");
  int rule_drops = 0, dups = 0;
  for (const TraceRecord& r : run->recorder.all) {
    if (!r.has_message) continue;
    const int from = static_cast<int>(r.message.from);
    const int to = static_cast<int>(r.message.to);
    if (r.kind == TraceKind::kDrop && r.drop.reason == DropReason::kRule) {
      EXPECT_TRUE(from == 1 && to == 2 && r.time_us >= 10'000 &&
                  r.time_us < 50'000);
      ++rule_drops;
    }
    if (r.kind == TraceKind::kDuplicate) {
      EXPECT_TRUE(from == 1 && to == 3 && r.time_us >= 10'000 &&
                  r.time_us <= 60'000)
          << from << "->" << to << " at " << r.time_us;
      ++dups;
    }
    // Every message into n3 during the delay rule takes >= 30ms: none is
    // delivered in [10ms, 40ms) that was sent after 10ms.
    if (r.kind == TraceKind::kDeliver && to == 3 && r.time_us > 11'000) {
      EXPECT_GE(r.time_us, 40'000);
    }
  }
  EXPECT_GT(rule_drops, 0);
  EXPECT_GT(dups, 0);
}

TEST(ScenarioRunner, ClientOperationsAndProposalsGoThroughTheLog) {
  auto run = RunText(
      "nodes 3\n"
      "at 0ms campaign 1\n"
      "at 20ms client 1 put x hello\n"
      "at 20ms client 1 append x -world\n"  // Queued behind the put.
      "at 25ms propose 1 raw-bytes\n"
      "at 40ms client 2 get x\n"
      "end 60ms\n");
  const checkers::History& h = run->recorder.history;
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].client, 1);
  EXPECT_EQ(h[0].value, "hello");
  EXPECT_EQ(h[1].value, "-world");
  EXPECT_GE(h[1].call_ns, h[0].return_ns.value_or(0));
  ASSERT_TRUE(std::holds_alternative<std::string>(h[2].output));
  EXPECT_EQ(std::get<std::string>(h[2].output), "hello-world");
  // Leader no-op + put + raw proposal + append, applied on every node.
  int applies_n3 = 0;
  for (const TraceRecord& r : run->recorder.Of(TraceKind::kApply)) {
    applies_n3 += Node(r) == 3 ? 1 : 0;
  }
  EXPECT_GE(applies_n3, 4);
  EXPECT_EQ(run->outcome.result.kind, ResultKind::kOk);
}

TEST(ScenarioRunner, CampaignElectsTheNodeAtThatTime) {
  auto run = RunText(
      "nodes 3\n"
      "option election_ticks=200\n"
      "option check_quorum=off\n"  // Else followers in lease ignore n2.
      "option pre_vote=off\n"
      "at 5ms campaign 3\n"
      "at 100ms campaign 2\n"
      "end 150ms\n");
  std::vector<std::pair<int, int64_t>> leaders;
  for (const TraceRecord& r : run->recorder.Of(TraceKind::kRole)) {
    if (r.role.role == raft::Role::kLeader) {
      leaders.push_back({Node(r), r.time_us});
    }
  }
  ASSERT_GE(leaders.size(), 2u);
  EXPECT_EQ(leaders[0].first, 3);
  EXPECT_GE(leaders[0].second, 5'000);
  EXPECT_LT(leaders[0].second, 100'000);  // Timeouts are 200ms: no other.
  EXPECT_EQ(leaders[1].first, 2);
  EXPECT_GE(leaders[1].second, 100'000);
  ASSERT_TRUE(run->outcome.first_leader_us.has_value());
}

TEST(ScenarioRunner, OptionsAndPhasesAreTheFiles) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "nodes 4\noption pre_vote=off\noption jitter_us=700\n"
      "at 20ms heal\nheal-phase 1500us\n",
      "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<SimOptions> o = ScenarioSimOptions(*s);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->nodes, 4);
  EXPECT_EQ(o->pre_vote, 0);
  EXPECT_EQ(o->jitter_us, 700);
  EXPECT_EQ(o->clients, 0);  // No background workload unless asked.
  EXPECT_EQ(o->crashes, 0);  // No random faults unless asked.
  EXPECT_EQ(o->heal_ms, 2);  // Rounded up to whole ms.
  EXPECT_EQ(o->election_ticks, SimOptions{}.election_ticks);
  EXPECT_EQ(ScenarioFaultEndUs(*s), 20'000);  // The last action.
}

TEST(ScenarioRunner, TheHealedPhaseRestartsAndResumesEverything) {
  auto run = RunText(
      "nodes 3\n"
      "at 0ms campaign 1\n"
      "at 10ms crash 1\n"
      "at 10ms pause 2\n"
      "at 10ms isolate 3\n"
      "end 30ms\n"
      "heal-phase 2s\n"
      "expect leader by 5ms\n");
  EXPECT_EQ(run->outcome.result.kind, ResultKind::kOk);
  EXPECT_EQ(run->recorder.Of(TraceKind::kRestart).size(), 1u);
  EXPECT_EQ(run->recorder.Of(TraceKind::kResume).size(), 1u);
  EXPECT_TRUE(run->outcome.passed);
  EXPECT_EQ(ScenarioExitCode(run->outcome), 0);
}

// Membership actions run: a spare host is added as a learner and promoted,
// and a voter removed, with every checker clean.
TEST(ScenarioRunner, MembershipActionsRun) {
  auto run = RunText(
      "nodes 4\n"
      "option spare_hosts=1\n"
      "at 0ms campaign 1\n"
      "at 50ms add-learner 4\n"
      "at 60ms client 1 put a 1\n"
      "at 200ms promote 4 via 1\n"
      "at 400ms remove 2\n"
      "at 450ms client 1 get a\n"
      "end 600ms\n"
      "heal-phase 3s\n"
      "expect no-violation\n");
  EXPECT_EQ(run->outcome.result.kind, ResultKind::kOk)
      << run->outcome.result.detail;
  EXPECT_TRUE(run->outcome.passed);
  EXPECT_EQ(run->outcome.result
                .coverage[CatalogueIndex(EnvSituation::kLearnerPromoted)],
            1u);
  EXPECT_EQ(
      run->outcome.result.coverage[CatalogueIndex(EnvSituation::kVoterRemoved)],
      1u);
  absl::StatusOr<Scenario> s =
      ParseScenario("nodes 3\noption spare_hosts=3\n", "m.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(std::string(CheckSupported(*s, "m.scn").message()),
              HasSubstr("m.scn: option spare_hosts=3 leaves no node"));
}

TEST(ScenarioRunner, ExpectationsAndExitCodes) {
  // A violation that does not happen: the run is ok, expectations fail.
  auto missing = RunText(
      "nodes 3\nat 0ms campaign 1\nend 10ms\n"
      "expect violation election_safety\n");
  EXPECT_FALSE(missing->outcome.passed);
  EXPECT_EQ(ScenarioExitCode(missing->outcome), kExitExpectation);
  // No leader by 1us (the first election takes longer).
  auto late = RunText(
      "nodes 3\nat 0ms campaign 1\nend 10ms\n"
      "expect leader by 1us\n");
  EXPECT_FALSE(late->outcome.passed);
  EXPECT_EQ(ScenarioExitCode(late->outcome), kExitExpectation);
  // No expectations: the code of what happened.
  auto none = RunText("nodes 3\nat 0ms campaign 1\nend 10ms\n");
  EXPECT_TRUE(none->outcome.expectations.empty());
  EXPECT_EQ(ScenarioExitCode(none->outcome), 0);
  // A hang (the event bound ran out) that the file expects.
  auto stuck = RunText(
      "nodes 3\noption max_events=100\nat 0ms campaign 1\nend 10ms\n"
      "expect result hang\n");
  EXPECT_EQ(stuck->outcome.result.kind, ResultKind::kHang);
  EXPECT_TRUE(stuck->outcome.passed);
  EXPECT_EQ(ScenarioExitCode(stuck->outcome), 0);
}

TEST(ScenarioRunner, SameSeedSameRunOtherSeedOtherLatencies) {
  const std::string text =
      "nodes 3\nat 0ms campaign 1\nat 5ms client 1 put k v\nend 20ms\n";
  auto a = RunText(text, 7), b = RunText(text, 7), c = RunText(text, 8);
  EXPECT_EQ(a->outcome.result.trace_hash, b->outcome.result.trace_hash);
  EXPECT_NE(a->outcome.result.trace_hash, c->outcome.result.trace_hash);
}

}  // namespace
}  // namespace raftsim::sim
