// tools/cli/cli_options.h — what each raftsim subcommand is given.
//
// The command line is read once, in raftsim_main.cc (ReadCliOptions), into
// these plain structs; no subcommand reads a global flag. A subcommand is a
// function of its options, so it can be called with options built in code,
// and what a replay command must repeat (CommonOptions) is explicit.
//
// Value types.

#ifndef RAFTSIM_TOOLS_CLI_CLI_OPTIONS_H_
#define RAFTSIM_TOOLS_CLI_CLI_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "tools/cli/trace_outputs.h"

namespace raftsim::tools {

// Changes to a seed's drawn swarm options (sim/world/options.h). A field
// at its default leaves the drawn value alone.
struct SwarmOverrides {
  int64_t nodes = 0;      // --nodes; 0: drawn.
  int64_t clients = -1;   // --clients; -1: drawn.
  int64_t fault_ms = -1;  // --fault_ms; -1: drawn.
  int64_t heal_ms = -1;   // --heal_ms; -1: drawn.
  std::string set;        // --set=name=value[,...]
};

// What every simulating subcommand shares, and its replay command repeats.
struct CommonOptions {
  SwarmOverrides overrides;
  bool checkers = true;         // --checkers=on|off
  std::string canary = "none";  // --canary, as given (already selected).
};

// `run` and `replay`: one seed.
struct RunOptions {
  uint64_t seed = 1;
  TraceRequest trace;  // Nothing requested: hash only.
  std::string history_out;
  bool coverage = false;  // --coverage=on: print the situations reached.
};

// `sweep`.
struct SweepOptions {
  std::string seeds = "1..1000";  // A..B, parsed by the sweep.
  int jobs = 0;                   // 0: one per core.
  // Wall-clock limit per seed; a seed past it is killed and reported as a
  // hang. 0: none.
  int64_t seed_timeout_ms = 120'000;
  // --coverage=on (the default for sweep): print the coverage table — how
  // many seeds reached each catalogued situation — and name those none
  // reached.
  bool coverage = true;
  // --fail_fast: start no further seed once one has failed (the seeds
  // already running finish and are reported).
  bool fail_fast = false;
  // --report=DIR: write the HTML report (tools/cli/report.h) there.
  std::string report;
  // The command line as typed, for the report (set by main, not a flag).
  std::string command_line;
};

// `explore`.
struct ExploreOptions {
  int64_t budget = 1000;       // Runs.
  uint64_t explorer_seed = 1;  // The search's own seed.
  bool guided = true;          // --guided=off: fresh seeds only.
  int jobs = 0;                // 0: one per core.
  int64_t seed_timeout_ms = 120'000;
  bool keep_going = false;  // Run the whole budget past a failure.
};

// `run --scenario=FILE`.
struct ScenarioOptions {
  std::string file;
  std::optional<uint64_t> seed;  // --seed when given: overrides the file's.
  std::string trace_out;
  bool ignore_expectations = false;
};

// `shrink`.
struct ShrinkOptions {
  uint64_t seed = 1;
  std::string out;
  int max_runs = 400;
};

// `check-history FILE`.
struct CheckHistoryOptions {
  // --format: "auto" (FILE.edn is a Jepsen EDN history, anything else JSON
  // lines), "edn" or "jsonl"; parsed by the subcommand.
  std::string format = "auto";
};

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_CLI_OPTIONS_H_
