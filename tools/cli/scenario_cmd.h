// tools/cli/scenario_cmd.h — the scenario and shrink subcommands of raftsim
// (tools/cli/scenario_cmd.cc, tools/cli/shrink_cmd.cc), dispatched from
// tools/cli/raftsim_main.cc after the flags are parsed and --canary applied.
//
// Single-threaded.

#ifndef RAFTSIM_TOOLS_CLI_SCENARIO_CMD_H_
#define RAFTSIM_TOOLS_CLI_SCENARIO_CMD_H_

#include <cstdint>
#include <optional>

#include "sim/world/options.h"
#include "tools/cli/cli_options.h"

namespace raftsim::tools {

// `raftsim run --scenario=FILE [--seed=N]`; returns the exit code.
int RunScenarioCommand(const CommonOptions& common, const ScenarioOptions& run);

// `raftsim shrink --seed=N [--canary=NAME] --out=FILE.scn`, where
// `options` are the seed's drawn options with common.overrides; returns
// the exit code.
int RunShrinkCommand(const sim::SimOptions& options,
                     const CommonOptions& common, const ShrinkOptions& shrink);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_SCENARIO_CMD_H_
