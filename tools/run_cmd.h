// tools/run_cmd.h — one simulated seed for the raftsim command line: the
// seed's options with the command line's overrides, the run itself with
// the checkers and the requested trace outputs, its result lines, and the
// replay command that reproduces it. `run` and `replay` are this; `sweep`
// (tools/sweep.h) runs it in one child process per seed.
//
// The flags are defined in tools/raftsim_main.cc and read here.
//
// Single-threaded (OnCheckFailure reads the run in progress from a global).

#ifndef RAFTSIM_TOOLS_RUN_CMD_H_
#define RAFTSIM_TOOLS_RUN_CMD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/world/options.h"
#include "tools/trace_outputs.h"

namespace raftsim::tools {

// Prints "raftsim <command>: <message>" to stderr; returns the usage exit
// code (2).
int InputError(absl::string_view command, absl::string_view message);

// The replay command of `seed` with this command line's overrides, naming
// this binary (raftsim or raftsim_canary).
std::string Replay(uint64_t seed);

// The seed's drawn options with the command line's overrides applied
// (--nodes, --clients, --fault_ms, --heal_ms, --set), validated.
absl::StatusOr<sim::SimOptions> OptionsFor(uint64_t seed);

// The CHECK failure handler: reports the run in progress as a crash
// (result line, message, replay command) and exits 4.
[[noreturn]] void OnCheckFailure(const std::string& message);

struct RunSettings {
  bool print_options = true;
  TraceRequest trace;  // Nothing requested: hash only.
  std::string history_out;
};

// Simulates `seed` and prints its result; returns the exit code. Errors
// name `command` ("run", "replay", "sweep").
int RunSeed(absl::string_view command, uint64_t seed,
            const RunSettings& settings);

// `raftsim run` (replay = false) or `raftsim replay` (a full trace on
// stdout) of --seed, with the trace and history flags.
int RunOrReplay(absl::string_view command, bool replay);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_RUN_CMD_H_
