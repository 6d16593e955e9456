// sim/scenario/shrink_record.h — turns a swarm run (a seed with drawn options
// and random faults) into an explicit scenario: the first step of `raftsim
// shrink`.
//
// RecordRun runs the seed once with a ScheduleRecorder watching: after
// every event of the fault phase it compares the world with what it saw
// before and writes each change as a scenario action at that instant —
//   network connectivity  -> heal | partition | isolate | bridge |
//                            partition-oneway, or, for a cut pattern none
//                            of those can say, heal + `drop a->b 1` per
//                            cut link (an exact cut: sim/world/link_rules.h);
//   a node going down/up  -> crash / restart;
//   pause / resume        -> pause / resume;
// and every command a background client drew becomes `client C ...` at the
// instant it was first issued (retries are the client's own business, as
// in any scenario). The drawn options become `option` lines (those that
// differ from the defaults; the random-fault switches stay off), the
// fault phase becomes `end`, heal_ms becomes `heal-phase`, and the seed
// becomes `seed` (and `option max_events` bounds a candidate at 4 times the
// run's events, at least 200000, so livelocking candidates end fast), so
// the scenario run draws the same latencies, jitter,
// disk timings and election jitter and, in practice, replays the same run
// (the shrinker checks that it fails the same way before minimising).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_SCENARIO_SHRINK_RECORD_H_
#define RAFTSIM_SIM_SCENARIO_SHRINK_RECORD_H_

#include <cstdint>
#include <optional>

#include "sim/scenario/scenario.h"
#include "sim/scenario/shrink.h"
#include "sim/simulator.h"
#include "sim/world/options.h"

namespace raftsim::sim {

struct RecordedRun {
  Scenario scenario;  // Expects the run's failure (if it failed).
  RunResult result;
};

// Runs `seed` with `options` (checkers of checkers/ when `checkers`, else
// the built-in observers) and records it. REQUIRES: options.Validate().ok().
RecordedRun RecordRun(uint64_t seed, const SimOptions& options, bool checkers);

// While RecordRun runs: the scenario recorded up to the last completed
// event (no expectations), for a CHECK failure handler that must report
// the run so far — a run that ends in a CHECK inside a node is shrunk like
// any other. nullopt outside RecordRun.
std::optional<Scenario> RecordingSoFar();

// The failure a result shows; nullopt for ok.
std::optional<FailureClass> FailureOf(const RunResult& result);

// Sets `s.expect` to expect `failure` (violation + result, or result).
void ExpectFailure(const FailureClass& failure, Scenario& s);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_SCENARIO_SHRINK_RECORD_H_
