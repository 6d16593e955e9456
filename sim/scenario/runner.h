// sim/scenario/runner.h — runs a scenario file (sim/scenario/scenario.h) in the
// simulator and judges its `expect` lines.
//
// What a scenario run means (scenarios/README.md, "Running one"):
//   - options: the simulator's defaults (sim/world/options.h), not swarm draws,
//     with `clients` defaulting to 0 (no background workload) and every
//     random fault off unless the file turns it on; then the file's
//     `option` lines. `nodes` comes from the `nodes` line.
//   - the schedule is exact: each `at` action runs at its time, in file
//     order among equal times, before any other event at that instant
//     (actions are queued before the run starts). Actions addressed to a
//     node (propose, campaign) belong to that node, so a paused node runs
//     them when it resumes; the others belong to the world.
//   - actions that cannot apply are no-ops, noted in the trace (crash of a
//     node already down, restart of a node already up, propose at a down
//     node, ...): a scenario never trips a CHECK.
//   - the fault phase ends at `end` (default: the last action's time, or
//     option fault_ms when the file sets it and it is later); then the
//     simulator heals everything and the healed phase runs for
//     `heal-phase` (default: option heal_ms), rounded up to whole ms.
//   - the seed decides only what the file leaves open (latencies, draws,
//     election jitter, background clients).
// Membership actions go to the simulator's membership API (sim/simulator.h,
// "Membership"): `nodes N` counts every host, and with option
// spare_hosts=K the last K of them are spare (down, empty, no member);
// adding one that never ran starts it first. A request nobody can take is
// skipped and noted; its outcome is in the trace (kind `membership`).
//
// Expectations: a run *passes* when every `expect` line holds; with at
// least one `expect` line there is also an implied `expect result`: safety
// when the file expects a violation, ok otherwise (unless the file says
// which result). Exit codes (ScenarioExitCode): 0 passed; else the code of
// what happened (1 safety, 3 liveness) or, when the run itself was ok,
// kExitExpectation (5).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_SCENARIO_RUNNER_H_
#define RAFTSIM_SIM_SCENARIO_RUNNER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/observer.h"
#include "sim/scenario/scenario.h"
#include "sim/simulator.h"
#include "sim/trace/trace.h"
#include "sim/world/options.h"

namespace raftsim::sim {

// The run was ok, but the scenario's expectations did not hold (e.g. it
// expected a violation that did not happen).
inline constexpr int kExitExpectation = 5;

// The simulator options a scenario means (see the banner).
absl::StatusOr<SimOptions> ScenarioSimOptions(const Scenario& scenario);

// When the fault phase ends (see the banner).
int64_t ScenarioFaultEndUs(const Scenario& scenario);

// OK, or InvalidArgument "file: option spare_hosts=K leaves no node ..."
// when the spare hosts would be every host.
absl::Status CheckSupported(const Scenario& scenario,
                            absl::string_view filename);

struct ScenarioRunSettings {
  TraceSink* sink = nullptr;  // Null: hash only.
  // On: the checkers of checkers/ (sim/check_adapter.h); off: only the
  // simulator's built-in observers.
  bool checkers = true;
  // More observers (tests, the shrinker's recorder); not owned.
  std::vector<Observer*> observers;
};

struct ExpectationResult {
  std::string expectation;  // "expect leader by 300ms" ("(implied)" noted).
  bool held = false;
  std::string detail;  // What the run showed, one line.
};

struct ScenarioOutcome {
  uint64_t seed = 0;
  RunResult result;
  // When some node first became leader, if one ever did.
  std::optional<int64_t> first_leader_us;
  std::vector<ExpectationResult> expectations;
  bool passed = true;  // Every expectation held (true when there are none).
};

// Runs `scenario` with `seed`. InvalidArgument when its options do not
// validate or an action is unsupported.
absl::StatusOr<ScenarioOutcome> RunScenario(
    const Scenario& scenario, uint64_t seed,
    const ScenarioRunSettings& settings = {});

// The seed a run uses: `flag_seed` if given, else the file's, else 0.
uint64_t ScenarioSeed(const Scenario& scenario,
                      std::optional<uint64_t> flag_seed);

// 0 when passed; else see the banner.
int ScenarioExitCode(const ScenarioOutcome& outcome);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_SCENARIO_RUNNER_H_
