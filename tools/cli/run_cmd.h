// tools/cli/run_cmd.h — one simulated seed for the raftsim command line: the
// seed's options with the command line's overrides, the run itself with
// the checkers and the requested trace outputs, its result lines, and the
// replay command that reproduces it. `run` and `replay` are this; `sweep`
// (tools/cli/sweep.h) runs it in one child process per seed.
//
// Every function takes its options (tools/cli/cli_options.h); none reads a
// flag.
//
// Single-threaded (OnCheckFailure reads the run in progress from a global).

#ifndef RAFTSIM_TOOLS_CLI_RUN_CMD_H_
#define RAFTSIM_TOOLS_CLI_RUN_CMD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/world/options.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/trace_outputs.h"

namespace raftsim::tools {

// Prints "raftsim <command>: <message>" to stderr; returns the usage exit
// code (2).
int InputError(absl::string_view command, absl::string_view message);

// The replay command of `seed` with `common`'s overrides, naming this
// binary (raftsim or raftsim_canary).
std::string Replay(uint64_t seed, const CommonOptions& common);

// The seed's drawn options with `overrides` applied, validated; errors name
// the flag (--nodes, --clients, --fault_ms, --heal_ms, --set).
absl::StatusOr<sim::SimOptions> OptionsFor(uint64_t seed,
                                           const SwarmOverrides& overrides);

// The CHECK failure handler: reports the run in progress as a crash
// (result line, message, replay command) and exits 4.
[[noreturn]] void OnCheckFailure(const std::string& message);

struct RunSettings {
  bool print_options = true;
  TraceRequest trace;  // Nothing requested: hash only.
  std::string history_out;
  // Print the run's coverage: kNone, one machine-readable line before the
  // result line (a sweep's child; sim/coverage.h FormatCoverageLine), or a
  // table of the situations reached after it.
  enum class Coverage { kNone, kLine, kTable };
  Coverage coverage = Coverage::kNone;
};

// Simulates `seed` and prints its result; returns the exit code. Errors
// name `command` ("run", "replay", "sweep").
int RunSeed(absl::string_view command, uint64_t seed,
            const CommonOptions& common, const RunSettings& settings);

// A sweep child's "faults NAME=COUNT,..." line (sim::RunResult::faults),
// printed after its coverage line, and back. Parse errors say what is
// wrong.
std::string FormatFaultsLine(
    const std::vector<std::pair<std::string, uint64_t>>& faults);
absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> ParseFaultsLine(
    absl::string_view line);

// `raftsim run` (replay = false) or `raftsim replay` (a full trace on
// stdout, whatever run.trace asks besides).
int RunOrReplay(absl::string_view command, bool replay,
                const CommonOptions& common, const RunOptions& run);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_RUN_CMD_H_
