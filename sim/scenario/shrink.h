// sim/scenario/shrink.h — minimises a failing scenario while it keeps failing
// the same way (the `raftsim shrink` algorithm).
//
// A failure is its class and, for safety, the checker that fired
// (FailureClass); a candidate scenario is kept only when it fails with an
// equal FailureClass. The passes, in order, each bounded by the run budget:
//   1. ddmin over the schedule (Zeller & Hildebrandt 2002, "Simplifying and
//      Isolating Failure-Inducing Input"): remove chunks of actions,
//      halving the chunk size until single actions; the result is
//      1-minimal when the budget allows.
//   2. fewer nodes: drop one node (highest id first), renumbering the rest
//      and dropping or narrowing the actions that name it.
//   3. time: end the fault phase at the last action, then halve the healed
//      phase while the failure stays.
//   4. options: reset each option to the simulator's default.
//   5. ddmin again if passes 2–4 changed anything.
// The oracle runs a candidate (with the seed fixed: the seed decides what
// the file leaves open) and returns its failure, or nullopt for a passing
// run. Shrinking is deterministic: same input, same oracle answers, same
// result.
//
// Pure: depends on sim/scenario/scenario.h only, so it is tested with synthetic
// oracles; tools/ supplies one that runs each candidate in a child process.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_SCENARIO_SHRINK_H_
#define RAFTSIM_SIM_SCENARIO_SHRINK_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "sim/scenario/scenario.h"

namespace raftsim::sim {

struct FailureClass {
  std::string kind;     // "safety", "liveness" or "crash".
  std::string checker;  // Safety only: the checker that fired.
  bool operator==(const FailureClass&) const = default;
  // "safety (leader_completeness)", "liveness".
  std::string Describe() const;
};

// Runs a candidate; nullopt when it passes (no failure).
using ShrinkOracle =
    std::function<std::optional<FailureClass>(const Scenario& candidate)>;

struct ShrinkProgress {
  int runs = 0;  // Oracle calls so far.
  int max_runs = 0;
  size_t actions = 0;     // Actions in the smallest failing scenario yet.
  const char* pass = "";  // "ddmin", "nodes", "time", "options".
};

struct ShrinkSettings {
  int max_runs = 500;  // Oracle budget; shrinking stops when it is spent.
  std::function<void(const ShrinkProgress&)> progress;  // May be empty.
};

struct ShrinkResult {
  Scenario scenario;  // The smallest failing scenario found.
  int runs = 0;
  bool budget_exhausted = false;
};

// REQUIRES: `start` fails with `target` (the caller has checked).
ShrinkResult Shrink(const Scenario& start, const FailureClass& target,
                    const ShrinkOracle& oracle,
                    const ShrinkSettings& settings = {});

// `s` without node `node` (1-based): ids above it move down by one; actions
// naming it are dropped, sets lose it (an action whose sets become too
// small to mean anything is dropped). nullopt when s.nodes == 1.
std::optional<Scenario> WithoutNode(const Scenario& s, int node);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_SCENARIO_SHRINK_H_
