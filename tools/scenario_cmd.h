// tools/scenario_cmd.h — the scenario and shrink subcommands of raftsim
// (tools/scenario_cmd.cc, tools/shrink_cmd.cc), dispatched from
// tools/raftsim_main.cc after the flags are parsed and --canary applied.
//
// Single-threaded.

#ifndef RAFTSIM_TOOLS_SCENARIO_CMD_H_
#define RAFTSIM_TOOLS_SCENARIO_CMD_H_

#include <cstdint>
#include <optional>

#include "sim/world/options.h"

namespace raftsim::tools {

// True when `run` was given --scenario=FILE.
bool ScenarioRequested();
// --seed when it was given on the command line.
std::optional<uint64_t> SeedFlag();

// `raftsim run --scenario=FILE [--seed=N]`; returns the exit code.
int RunScenarioCommand();

// `raftsim shrink --seed=N [--canary=NAME] --out=FILE.scn`, where
// `options` are the seed's drawn options with the command line's
// overrides; returns the exit code.
int RunShrinkCommand(const sim::SimOptions& options);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_SCENARIO_CMD_H_
