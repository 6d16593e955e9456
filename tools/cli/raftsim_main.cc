// tools/cli/raftsim_main.cc — the `raftsim` command line: its flags, the
// subcommand table (run, sweep, explore, replay, shrink,
// check-history) and main.
//
// Dispatch is a table of {name, function, one-line help}; adding a
// subcommand is adding a row. `run`, `replay`, `sweep` and `explore` drive
// the simulator (sim/, docs/simulation.md) with the checkers of checkers/
// (--checkers=on|off): one seed in tools/cli/run_cmd.cc, many in
// tools/cli/sweep.cc, a guided search in tools/cli/explore.cc;
// `check-history` runs the linearizability checker on a
// recorded history (JSON lines, or a Jepsen EDN history: --format); `run
// --scenario` and `shrink` live in tools/cli/scenario_cmd.cc and
// tools/cli/shrink_cmd.cc. Built twice: raftsim, and raftsim_canary over the
// canary core (--canary=NAME|list).
//
// Exit codes (sim/simulator.h): 0 ok, 1 safety violation, 2 usage or input
// error, 3 liveness failure, 4 a CHECK failed inside a simulated node, 6 a
// hang (the event bound, or in a sweep the wall-clock limit per seed, ran
// out before a verdict). A sweep exits with the worst code of its seeds, by
// priority crash (4) > safety (1) > hang (6) > liveness (3) > ok (0).
//
// Flag errors are ours to report (exit 2, naming the flag and the value):
// absl::ParseCommandLine exits 1 on a bad flag, so every flag is checked
// against the registry before it runs. Every flag is defined here (so
// --help lists them under this file) and read here, once, into the option
// structs of tools/cli/cli_options.h that the subcommands take.
//
// This binary is the only place that touches the real world for the
// simulator: files, the wall clock (sweep progress) and processes (one
// child process per seed in a sweep, so a crashing seed cannot take the
// sweep down).
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.
//
// Single-threaded (a sweep forks children; each child is single-threaded).

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/internal/parse.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/check.h"
#include "checkers/linearizability/check_history.h"
#include "raft/canary.h"
#include "sim/simulator.h"
#include "sim/world/options.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/explore.h"
#include "tools/cli/run_cmd.h"
#include "tools/cli/scenario_cmd.h"
#include "tools/cli/sweep.h"

ABSL_FLAG(uint64_t, seed, 1, "run/replay: the seed to simulate");
ABSL_FLAG(std::string, seeds, "1..1000", "sweep: seed range A..B (inclusive)");
ABSL_FLAG(int32_t, jobs, 0,
          "sweep/explore: parallel processes (0: one per core)");
ABSL_FLAG(
    int64_t, seed_timeout_ms, 120'000,
    "sweep/explore: wall-clock limit per seed; a seed past it is killed and "
    "reported as result=hang (exit 6) and the sweep goes on (0: none)");
ABSL_FLAG(int64_t, nodes, 0,
          "cluster size, overriding the drawn one (0: drawn)");
ABSL_FLAG(int64_t, clients, -1, "client count, overriding the drawn one");
ABSL_FLAG(int64_t, fault_ms, -1, "fault phase length in simulated ms");
ABSL_FLAG(int64_t, heal_ms, -1, "liveness bound after the heal, simulated ms");
ABSL_FLAG(std::string, set, "",
          "more option overrides: name=value[,name=value...] (names as "
          "printed by `run`, e.g. loss_ppm=0,crashes=1)");
ABSL_FLAG(std::string, trace_out, "",
          "run/replay: write the trace to this file (replay: default "
          "stdout); FILE.json: Chrome trace-event JSON for Perfetto");
ABSL_FLAG(std::string, timeline_out, "",
          "run/replay: write the plain-text timeline to this file");
ABSL_FLAG(bool, timeline, false,
          "run/replay: print the plain-text timeline after the run");
ABSL_FLAG(std::string, history_out, "",
          "run/replay: write the client history (JSON lines) to this file");
ABSL_FLAG(std::string, checkers, "on",
          "on: every checker of checkers/ after every event and "
          "linearizability at the end; off: none (to measure their cost)");
ABSL_FLAG(std::string, canary, "none",
          "raftsim_canary only: the planted bug to run with (raft/canary.h); "
          "'list' lists them");
ABSL_FLAG(std::string, scenario, "",
          "run: run this scenario file (scenarios/README.md) instead of a "
          "swarm seed; --seed overrides the file's seed line");
ABSL_FLAG(bool, ignore_expectations, false,
          "run --scenario: report the expect lines but exit with the code of "
          "what happened (0 ok, 1 safety, 3 liveness)");
ABSL_FLAG(std::string, out, "", "shrink: write the shrunk scenario here");
ABSL_FLAG(std::string, format, "auto",
          "check-history: the history's format: edn (a Jepsen register / "
          "cas-register history), jsonl (raftsim's JSON lines) or auto "
          "(FILE.edn is edn, anything else jsonl)");
ABSL_FLAG(std::string, coverage, "auto",
          "sweep: on (auto) prints how many seeds reached each catalogued "
          "protocol situation (docs/sweeps.md) and names those none "
          "reached; run/replay: on prints the situations the run reached "
          "(auto: off); off: neither");
ABSL_FLAG(int64_t, budget, 1000, "explore: runs to spend");
ABSL_FLAG(uint64_t, explorer_seed, 1,
          "explore: the search's own seed (same seed, same runs)");
ABSL_FLAG(std::string, guided, "on",
          "explore: on: coverage-guided (mutate the runs that reached rare "
          "situations); off: fresh random seeds only (the baseline)");
ABSL_FLAG(bool, keep_going, false,
          "explore: spend the whole budget instead of stopping at the first "
          "failing run");
ABSL_FLAG(bool, fail_fast, false,
          "sweep: start no further seed once one has failed (the seeds "
          "already running finish and are reported)");
ABSL_FLAG(int32_t, max_runs, 400,
          "shrink: at most this many simulated runs while minimising");

namespace raftsim {
namespace {

using sim::kExitOk;
using sim::kExitUsage;

// The command line, read once: every subcommand takes its part of this
// (tools/cli/cli_options.h) and no subcommand reads a flag.
struct CliOptions {
  tools::CommonOptions common;
  tools::RunOptions run;
  tools::SweepOptions sweep;
  tools::ExploreOptions explore;
  tools::ScenarioOptions scenario;
  tools::ShrinkOptions shrink;
  tools::CheckHistoryOptions check_history;
};

CliOptions ReadCliOptions() {
  CliOptions o;
  tools::SwarmOverrides& ov = o.common.overrides;
  ov.nodes = absl::GetFlag(FLAGS_nodes);
  ov.clients = absl::GetFlag(FLAGS_clients);
  ov.fault_ms = absl::GetFlag(FLAGS_fault_ms);
  ov.heal_ms = absl::GetFlag(FLAGS_heal_ms);
  ov.set = absl::GetFlag(FLAGS_set);
  o.common.checkers = absl::GetFlag(FLAGS_checkers) == "on";
  o.common.canary = absl::GetFlag(FLAGS_canary);
  o.run.seed = absl::GetFlag(FLAGS_seed);
  o.run.history_out = absl::GetFlag(FLAGS_history_out);
  o.run.trace.trace_out = absl::GetFlag(FLAGS_trace_out);
  o.run.trace.timeline_out = absl::GetFlag(FLAGS_timeline_out);
  o.run.trace.timeline_stdout = absl::GetFlag(FLAGS_timeline);
  o.sweep.seeds = absl::GetFlag(FLAGS_seeds);
  o.sweep.jobs = absl::GetFlag(FLAGS_jobs);
  o.sweep.seed_timeout_ms = absl::GetFlag(FLAGS_seed_timeout_ms);
  o.sweep.fail_fast = absl::GetFlag(FLAGS_fail_fast);
  o.explore.budget = absl::GetFlag(FLAGS_budget);
  o.explore.explorer_seed = absl::GetFlag(FLAGS_explorer_seed);
  o.explore.guided = absl::GetFlag(FLAGS_guided) == "on";
  o.explore.jobs = absl::GetFlag(FLAGS_jobs);
  o.explore.seed_timeout_ms = absl::GetFlag(FLAGS_seed_timeout_ms);
  o.explore.keep_going = absl::GetFlag(FLAGS_keep_going);
  const std::string coverage = absl::GetFlag(FLAGS_coverage);
  o.run.coverage = coverage == "on";
  o.sweep.coverage = coverage != "off";
  o.scenario.file = absl::GetFlag(FLAGS_scenario);
  if (absl::flags_internal::WasPresentOnCommandLine("seed")) {
    o.scenario.seed = absl::GetFlag(FLAGS_seed);
  }
  o.scenario.trace_out = absl::GetFlag(FLAGS_trace_out);
  o.scenario.ignore_expectations = absl::GetFlag(FLAGS_ignore_expectations);
  o.shrink.seed = absl::GetFlag(FLAGS_seed);
  o.shrink.out = absl::GetFlag(FLAGS_out);
  o.shrink.max_runs = absl::GetFlag(FLAGS_max_runs);
  o.check_history.format = absl::GetFlag(FLAGS_format);
  return o;
}

// A subcommand receives the command line's options and the positional
// arguments after its name, and returns the process exit code.
using SubcommandFn = int (*)(const CliOptions& options,
                             absl::Span<char* const> args);

struct Subcommand {
  absl::string_view name;
  SubcommandFn run;
  absl::string_view help;
};

using tools::InputError;

int RunRun(const CliOptions& o, absl::Span<char* const>) {
  if (!o.scenario.file.empty()) {
    return tools::RunScenarioCommand(o.common, o.scenario);
  }
  return tools::RunOrReplay("run", false, o.common, o.run);
}
int RunReplay(const CliOptions& o, absl::Span<char* const>) {
  return tools::RunOrReplay("replay", true, o.common, o.run);
}
int RunSweep(const CliOptions& o, absl::Span<char* const>) {
  return tools::RunSweepCommand(o.common, o.sweep);
}

int RunExplore(const CliOptions& o, absl::Span<char* const>) {
  return tools::RunExploreCommand(o.common, o.explore);
}

int RunShrink(const CliOptions& o, absl::Span<char* const>) {
  absl::StatusOr<sim::SimOptions> options =
      tools::OptionsFor(o.shrink.seed, o.common.overrides);
  if (!options.ok()) return InputError("shrink", options.status().message());
  return tools::RunShrinkCommand(*options, o.common, o.shrink);
}
int RunCheckHistory(const CliOptions& o, absl::Span<char* const> args) {
  if (args.size() != 1) {
    return InputError("check-history", "expected exactly one FILE argument");
  }
  const std::optional<checkers::HistoryFormat> format =
      checkers::HistoryFormatFromName(o.check_history.format);
  if (!format.has_value()) {
    return InputError("check-history",
                      absl::StrCat("--format=", o.check_history.format,
                                   ": expected edn, jsonl or auto"));
  }
  const int code =
      checkers::RunCheckHistory(args[0], std::cout, std::cerr, {}, *format);
  std::cout.flush();
  return code;
}

// --- Canaries (raft/canary.h) ------------------------------------------------

[[maybe_unused]] void PrintCanaries(std::FILE* out) {
  for (const raft::CanaryInfo& info : raft::AllCanaries()) {
    std::fprintf(out, "%.*s %.*s\n", static_cast<int>(info.name.size()),
                 info.name.data(), static_cast<int>(info.description.size()),
                 info.description.data());
  }
}

// Applies --canary. Returns an exit code to stop with, or nullopt to go on.
std::optional<int> SelectCanary() {
  const std::string name = absl::GetFlag(FLAGS_canary);
  if (name == "none") return std::nullopt;
#ifndef RAFTSIM_CANARY_BINARY
  std::fprintf(stderr,
               "raftsim: --canary=%s: canaries are compiled only into "
               "//tools:raftsim_canary\n",
               name.c_str());
  return kExitUsage;
#else
  if (name == "list") {
    PrintCanaries(stdout);
    return kExitOk;
  }
  const std::optional<raft::Canary> canary = raft::CanaryFromName(name);
  if (!canary.has_value()) {
    std::fprintf(stderr, "raftsim_canary: --canary=%s: unknown; one of:\n",
                 name.c_str());
    PrintCanaries(stderr);
    return kExitUsage;
  }
  raft::SetActiveCanary(*canary);
  return std::nullopt;
#endif
}

constexpr Subcommand kSubcommands[] = {
    {"run", &RunRun, "simulate one seed and report violations"},
    {"sweep", &RunSweep, "simulate many seeds with randomised faults"},
    {"explore", &RunExplore,
     "search seeds and options, guided by the situations runs reach"},
    {"replay", &RunReplay, "re-run one seed with a full trace"},
    {"shrink", &RunShrink, "minimise a failing run to a scenario file"},
    {"check-history", &RunCheckHistory,
     "check a client history (JSON lines or Jepsen EDN) for "
     "linearizability"},
};

std::string UsageMessage() {
  std::string usage =
      "Usage: raftsim <subcommand> [flags] [args]\n\n"
      "Deterministic simulation of the raftsim Raft library.\n\n"
      "Subcommands:\n";
  constexpr size_t kNameColumn = 16;
  for (const Subcommand& subcommand : kSubcommands) {
    const size_t pad = subcommand.name.size() < kNameColumn
                           ? kNameColumn - subcommand.name.size()
                           : 1;
    absl::StrAppend(&usage, "  ", subcommand.name, std::string(pad, ' '),
                    subcommand.help, "\n");
  }
  return usage;
}

int UsageError(absl::string_view problem) {
  std::fprintf(stderr, "raftsim: %.*s\n\n%s", static_cast<int>(problem.size()),
               problem.data(), UsageMessage().c_str());
  return kExitUsage;
}

// Checks every flag on the command line against the registry and its
// type, so that bad flags exit 2 with a clear message (absl would exit 1).
std::optional<std::string> CheckFlags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    absl::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
    const size_t eq = body.find('=');
    const absl::string_view name = body.substr(0, eq);
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && absl::StartsWith(name, "no")) {
      absl::CommandLineFlag* positive =
          absl::FindCommandLineFlag(name.substr(2));
      if (positive != nullptr && positive->IsOfType<bool>() &&
          eq == absl::string_view::npos) {
        continue;
      }
    }
    if (flag == nullptr) return absl::StrCat("unknown flag '", arg, "'");
    if (eq == absl::string_view::npos && flag->IsOfType<bool>()) continue;
    std::string value;
    if (eq != absl::string_view::npos) {
      value = std::string(body.substr(eq + 1));
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::StrCat("flag --", name, " is missing its value");
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::StrCat("invalid value '", value, "' for flag --", name, ": ",
                          error);
    }
  }
  return std::nullopt;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(UsageMessage());
  if (std::optional<std::string> problem = CheckFlags(argc, argv)) {
    return UsageError(*problem);
  }
  // Positional arguments, starting with the program name.
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return UsageError("no subcommand given");
  SetCheckFailureHandler(&tools::OnCheckFailure);
  const std::string checkers = absl::GetFlag(FLAGS_checkers);
  if (checkers != "on" && checkers != "off") {
    return UsageError(
        absl::StrCat("--checkers=", checkers, ": expected on or off"));
  }
  const std::string coverage = absl::GetFlag(FLAGS_coverage);
  if (coverage != "auto" && coverage != "on" && coverage != "off") {
    return UsageError(
        absl::StrCat("--coverage=", coverage, ": expected auto, on or off"));
  }
  const std::string guided = absl::GetFlag(FLAGS_guided);
  if (guided != "on" && guided != "off") {
    return UsageError(
        absl::StrCat("--guided=", guided, ": expected on or off"));
  }
  if (std::optional<int> code = SelectCanary()) return *code;
  const CliOptions options = ReadCliOptions();
  const absl::string_view name = positional[1];
  for (const Subcommand& subcommand : kSubcommands) {
    if (subcommand.name == name) {
      return subcommand.run(options,
                            absl::MakeConstSpan(positional).subspan(2));
    }
  }
  return UsageError(absl::StrCat("unknown subcommand '", name, "'"));
}

}  // namespace
}  // namespace raftsim

int main(int argc, char** argv) {
  // Under `bazel run` the process starts in its runfiles tree; resolve the
  // user's relative paths (FILE arguments, --scenario, --*_out, --out)
  // against the directory they ran bazel from, as they would expect.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY");
      dir != nullptr && dir[0] != '\0' && chdir(dir) != 0) {
    std::fprintf(stderr, "raftsim: cannot enter %s (BUILD_WORKING_DIRECTORY)\n",
                 dir);
    return 2;
  }
  return raftsim::Main(argc, argv);
}
