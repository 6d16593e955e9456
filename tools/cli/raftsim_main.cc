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
// Flags: each subcommand declares its flags in one table (name, value,
// help, the field of the option structs of tools/cli/cli_options.h it sets;
// tools/cli/flags.h). That table parses the command line, prints `raftsim
// help SUBCOMMAND` / `raftsim SUBCOMMAND --help` with every default, and
// suggests the closest name for a misspelt flag or subcommand. Flag errors
// exit 2 naming the flag and the value; a flag another subcommand takes
// but this one does not is an error too. Flags may come before or after
// the subcommand, as --name=value or --name value; --noname for a switch.
// `raftsim --help` lists the subcommands, `--version` prints the version
// and the build (compilation mode, production or canary core).
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

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/check.h"
#include "checkers/linearizability/check_history.h"
#include "raft/canary.h"
#include "sim/simulator.h"
#include "sim/world/options.h"
#include "tools/cli/cli_options.h"
#include "tools/cli/explore.h"
#include "tools/cli/flags.h"
#include "tools/cli/run_cmd.h"
#include "tools/cli/scenario_cmd.h"
#include "tools/cli/sweep.h"
#include "tools/cli/version.h"

namespace raftsim {
namespace {

using sim::kExitOk;
using sim::kExitUsage;

#ifdef RAFTSIM_CANARY_BINARY
constexpr absl::string_view kProgram = "raftsim_canary";
#else
constexpr absl::string_view kProgram = "raftsim";
#endif

// The command line, read once: every subcommand takes its part of this
// (tools/cli/cli_options.h) and no subcommand reads a flag. A default-
// constructed CliOptions holds every flag's default (what help prints).
struct CliOptions {
  tools::CommonOptions common;
  tools::RunOptions run;
  tools::SweepOptions sweep;
  tools::ExploreOptions explore;
  tools::ScenarioOptions scenario;
  tools::ShrinkOptions shrink;
  tools::CheckHistoryOptions check_history;
  // The run's coverage flag as given (auto, on or off), for help.
  std::string coverage = "auto";
};

using Flag = tools::Flag<CliOptions>;
using Flags = std::vector<Flag>;

// [](CliOptions& o) -> auto& { return o.PATH; }: the field a flag sets.
#define RAFTSIM_FIELD(path) \
  [](CliOptions & o) -> auto& { return o.path; }

Flag Field(absl::string_view name, absl::string_view value,
           absl::string_view help, auto get) {
  return tools::FieldFlag<CliOptions>(name, value, help, get);
}
Flag OnOff(absl::string_view name, absl::string_view help, auto get) {
  return tools::OnOffFlag<CliOptions>(name, help, get);
}

// --coverage=auto|on|off: `on_when_auto` is what auto means for this
// subcommand (sweep: on; run, replay: off).
Flag CoverageFlag(absl::string_view help, bool on_when_auto) {
  Flag f;
  f.name = "coverage";
  f.value = "auto|on|off";
  f.help = help;
  f.parse = [on_when_auto](absl::string_view text,
                           CliOptions& o) -> std::optional<std::string> {
    if (text != "auto" && text != "on" && text != "off") {
      return "expected auto, on or off";
    }
    o.coverage = std::string(text);
    const bool on = text == "on" || (text == "auto" && on_when_auto);
    o.run.coverage = on;
    o.sweep.coverage = on;
    return std::nullopt;
  };
  f.show = [](const CliOptions& o) { return o.coverage; };
  return f;
}

// The swarm flags: what every simulating subcommand takes, and what its
// replay commands repeat (tools::CommonOptions).
Flags SwarmFlags() {
  return {
      Field("nodes", "N", "cluster size, overriding the drawn one (0: drawn)",
            RAFTSIM_FIELD(common.overrides.nodes)),
      Field("clients", "N",
            "client count, overriding the drawn one (-1: drawn)",
            RAFTSIM_FIELD(common.overrides.clients)),
      Field("fault_ms", "MS",
            "fault phase length in simulated ms, overriding the drawn one "
            "(-1: drawn)",
            RAFTSIM_FIELD(common.overrides.fault_ms)),
      Field("heal_ms", "MS",
            "liveness bound after the heal in simulated ms (-1: the "
            "default)",
            RAFTSIM_FIELD(common.overrides.heal_ms)),
      Field("set", "NAME=V[,...]",
            "more option overrides (names as printed by `run`, e.g. "
            "loss_ppm=0,crashes=1)",
            RAFTSIM_FIELD(common.overrides.set)),
      OnOff("checkers",
            "on: every checker of checkers/ after every event and "
            "linearizability at the end; off: none (to measure their cost)",
            RAFTSIM_FIELD(common.checkers)),
      Field("canary", "NAME",
            "raftsim_canary only: the planted bug to run with "
            "(raft/canary.h); 'list' lists them; sweep also takes 'all' "
            "(one pass over the seeds per canary)",
            RAFTSIM_FIELD(common.canary)),
  };
}

// --seed for run: the swarm seed, or with --scenario the file's seed line's
// replacement (only when given).
Flag RunSeedFlag() {
  Flag f = Field("seed", "N",
                 "the seed to simulate (with --scenario: overrides the "
                 "file's seed line)",
                 RAFTSIM_FIELD(run.seed));
  auto parse = f.parse;
  f.parse = [parse](absl::string_view text,
                    CliOptions& o) -> std::optional<std::string> {
    if (std::optional<std::string> error = parse(text, o)) return error;
    o.scenario.seed = o.run.seed;
    return std::nullopt;
  };
  return f;
}

Flags TraceFlags(bool replay) {
  Flag trace = Field(
      "trace_out", "FILE",
      replay ? "write the trace to this file instead of stdout; FILE.json: "
               "Chrome trace-event JSON for Perfetto"
             : "write the trace to this file; FILE.json: Chrome trace-event "
               "JSON for Perfetto",
      RAFTSIM_FIELD(run.trace.trace_out));
  auto parse = trace.parse;
  trace.parse = [parse](absl::string_view text,
                        CliOptions& o) -> std::optional<std::string> {
    o.scenario.trace_out = std::string(text);
    return parse(text, o);
  };
  return {
      trace,
      Field("timeline_out", "FILE",
            "write the plain-text timeline to this file",
            RAFTSIM_FIELD(run.trace.timeline_out)),
      Field("timeline", "", "print the plain-text timeline after the run",
            RAFTSIM_FIELD(run.trace.timeline_stdout)),
      Field("history_out", "FILE",
            "write the client history (JSON lines) to this file",
            RAFTSIM_FIELD(run.history_out)),
      CoverageFlag("on: print the protocol situations the run reached "
                   "(auto: off)",
                   false),
  };
}

Flags Concat(Flags a, const Flags& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A subcommand receives the command line's options and the positional
// arguments after its name, and returns the process exit code.
using SubcommandFn = int (*)(const CliOptions& options,
                             absl::Span<const std::string> args);

struct Subcommand {
  absl::string_view name;
  SubcommandFn run;
  absl::string_view summary;  // One line, in the subcommand list.
  absl::string_view args;     // Positional arguments, "" for none.
  absl::string_view description;
  Flags flags;  // Its own.
  bool swarm;   // Also takes SwarmFlags().
};

using tools::InputError;

int RunRun(const CliOptions& o, absl::Span<const std::string>) {
  if (!o.scenario.file.empty()) {
    return tools::RunScenarioCommand(o.common, o.scenario);
  }
  return tools::RunOrReplay("run", false, o.common, o.run);
}
int RunReplay(const CliOptions& o, absl::Span<const std::string>) {
  return tools::RunOrReplay("replay", true, o.common, o.run);
}
int RunSweep(const CliOptions& o, absl::Span<const std::string>) {
#ifndef RAFTSIM_CANARY_BINARY
  if (o.common.canary == "all") {
    std::fprintf(stderr,
                 "raftsim: --canary=all: canaries are compiled only into "
                 "//tools:raftsim_canary\n");
    return kExitUsage;
  }
#endif
  return tools::RunSweepCommand(o.common, o.sweep);
}

int RunExplore(const CliOptions& o, absl::Span<const std::string>) {
  return tools::RunExploreCommand(o.common, o.explore);
}

int RunShrink(const CliOptions& o, absl::Span<const std::string>) {
  absl::StatusOr<sim::SimOptions> options =
      tools::OptionsFor(o.shrink.seed, o.common.overrides);
  if (!options.ok()) return InputError("shrink", options.status().message());
  return tools::RunShrinkCommand(*options, o.common, o.shrink);
}
int RunCheckHistory(const CliOptions& o, absl::Span<const std::string> args) {
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
int RunHelp(const CliOptions&, absl::Span<const std::string>) {
  return kExitOk;  // Handled in Main (it needs the table).
}

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand>* const table = new std::vector<
      Subcommand>{
      {"run", &RunRun, "simulate one seed and report violations", "",
       "Simulates one swarm seed (its drawn options, printed as 'option "
       "name=value' lines, with the swarm flags' overrides) under every "
       "checker, and prints its result line; a failure adds its detail, "
       "the checker and a replay command. With --scenario, runs a scenario "
       "file instead. Exit 0 ok, 1 safety, 3 liveness, 4 a CHECK failed, "
       "6 hang.",
       Concat({RunSeedFlag()},
              Concat(TraceFlags(false),
                     {
                         Field("scenario", "FILE",
                               "run this scenario file "
                               "(scenarios/README.md) "
                               "instead of a swarm seed",
                               RAFTSIM_FIELD(scenario.file)),
                         Field("ignore_expectations", "",
                               "with --scenario: report the "
                               "expect lines but exit with "
                               "the code of what happened",
                               RAFTSIM_FIELD(scenario.ignore_expectations)),
                     })),
       true},
      {"sweep",
       &RunSweep,
       "simulate many seeds with randomised faults",
       "",
       "Simulates every seed of --seeds, one child process per seed, "
       "--jobs at a time; prints each failure with its replay command, "
       "the coverage table and a summary line. Exits with the worst code of "
       "its seeds: crash (4) > safety (1) > hang (6) > liveness (3) > ok (0).",
       {
           Field("seeds", "A..B", "the seed range, inclusive (or one seed N)",
                 RAFTSIM_FIELD(sweep.seeds)),
           Field("jobs", "N", "parallel processes (0: one per core)",
                 RAFTSIM_FIELD(sweep.jobs)),
           Field("seed_timeout_ms", "MS",
                 "wall-clock limit per seed; a seed past it is killed and "
                 "reported as result=hang (0: none)",
                 RAFTSIM_FIELD(sweep.seed_timeout_ms)),
           CoverageFlag("on (auto): print how many seeds reached each "
                        "catalogued protocol situation and name those none "
                        "reached; off: no table",
                        true),
           Field("fail_fast", "",
                 "start no further seed once one has failed (the seeds "
                 "already running finish and are reported)",
                 RAFTSIM_FIELD(sweep.fail_fast)),
           Field("report", "DIR",
                 "write an HTML report to DIR/index.html (created): "
                 "failures by checker with their traces, what the swarm "
                 "drew and what fired, events and time per seed, coverage, "
                 "canary detection curves",
                 RAFTSIM_FIELD(sweep.report)),
       },
       true},
      {"explore",
       &RunExplore,
       "search seeds and options, guided by the situations runs reach",
       "",
       "A coverage-guided search: runs --budget simulations, mutating the "
       "runs that reached rare protocol situations (or, --guided=off, fresh "
       "seeds only). The runs depend on --explorer_seed and the budget, not "
       "on --jobs; every failure prints a replay command.",
       {
           Field("budget", "N", "runs to spend", RAFTSIM_FIELD(explore.budget)),
           Field("explorer_seed", "N",
                 "the search's own seed (same seed, same runs)",
                 RAFTSIM_FIELD(explore.explorer_seed)),
           OnOff("guided",
                 "on: coverage-guided; off: fresh random seeds only (the "
                 "baseline)",
                 RAFTSIM_FIELD(explore.guided)),
           Field("jobs", "N", "parallel processes (0: one per core)",
                 RAFTSIM_FIELD(explore.jobs)),
           Field("seed_timeout_ms", "MS",
                 "wall-clock limit per run; a run past it is killed and "
                 "reported as result=hang (0: none)",
                 RAFTSIM_FIELD(explore.seed_timeout_ms)),
           Field("keep_going", "",
                 "spend the whole budget instead of stopping at the first "
                 "failing run",
                 RAFTSIM_FIELD(explore.keep_going)),
       },
       true},
      {"replay", &RunReplay, "re-run one seed with a full trace", "",
       "Runs one seed as `run` does and writes its full text trace to "
       "stdout (or --trace_out); the replay command of every failure is "
       "this subcommand.",
       Concat({Field("seed", "N", "the seed to simulate",
                     RAFTSIM_FIELD(run.seed))},
              TraceFlags(true)),
       true},
      {"shrink",
       &RunShrink,
       "minimise a failing run to a scenario file",
       "",
       "Records the failing run of --seed as a scenario, minimises it "
       "(fewer actions, fewer nodes, fewer options) while it still fails "
       "the same way, and writes the result to --out.",
       {
           Field("seed", "N", "the failing seed", RAFTSIM_FIELD(shrink.seed)),
           Field("out", "FILE.scn", "write the shrunk scenario here (required)",
                 RAFTSIM_FIELD(shrink.out)),
           Field("max_runs", "N",
                 "at most this many simulated runs while minimising",
                 RAFTSIM_FIELD(shrink.max_runs)),
       },
       true},
      {"check-history",
       &RunCheckHistory,
       "check a client history (JSON lines or Jepsen EDN) for "
       "linearizability",
       "FILE",
       "Runs the linearizability checker on a recorded history: raftsim's "
       "JSON lines (run --history_out) or a Jepsen register / cas-register "
       "EDN history. Exit 0 linearizable, 1 not, 2 malformed input.",
       {
           Field("format", "auto|edn|jsonl",
                 "the history's format (auto: FILE.edn is edn, anything else "
                 "jsonl)",
                 RAFTSIM_FIELD(check_history.format)),
       },
       false},
      {"help",
       &RunHelp,
       "describe a subcommand and its flags",
       "[SUBCOMMAND]",
       "Without an argument, lists the subcommands; with one, prints what "
       "it does and every flag it takes with its default (as `raftsim "
       "SUBCOMMAND --help` does).",
       {},
       false},
  };
  return *table;
}

// Every flag `subcommand` takes.
Flags FlagsOf(const Subcommand& subcommand) {
  return subcommand.swarm ? Concat(subcommand.flags, SwarmFlags())
                          : subcommand.flags;
}

const Subcommand* FindSubcommand(absl::string_view name) {
  for (const Subcommand& s : Subcommands()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// " (did you mean X?)" for the candidate closest to `name`, or "".
std::string Suggestion(absl::string_view name,
                       const std::vector<std::string>& candidates,
                       absl::string_view prefix) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  const std::string_view near =
      sim::ClosestName(std::string_view(name.data(), name.size()), views);
  if (near.empty()) return "";
  return absl::StrCat(" (did you mean ", prefix, std::string(near), "?)");
}

std::string UsageMessage() {
  std::string usage =
      absl::StrCat("Usage: ", kProgram,
                   " <subcommand> [flags] [args]\n\n"
                   "Deterministic simulation of the raftsim Raft library.\n\n"
                   "Subcommands:\n");
  constexpr size_t kNameColumn = 16;
  for (const Subcommand& subcommand : Subcommands()) {
    const size_t pad = subcommand.name.size() < kNameColumn
                           ? kNameColumn - subcommand.name.size()
                           : 1;
    absl::StrAppend(&usage, "  ", subcommand.name, std::string(pad, ' '),
                    subcommand.summary, "\n");
  }
  absl::StrAppend(&usage,
                  "\nFlags without a subcommand:\n"
                  "  --help          this list\n"
                  "  --version       the version and the build\n\n"
                  "`",
                  kProgram,
                  " help SUBCOMMAND` (or `SUBCOMMAND --help`) prints a "
                  "subcommand's flags.\n");
  return usage;
}

std::string SubcommandHelp(const Subcommand& s) {
  const CliOptions defaults;
  std::string out = absl::StrCat(kProgram, " ", s.name, ": ", s.summary,
                                 "\n\nUsage: ", kProgram, " ", s.name);
  if (!s.flags.empty() || s.swarm) absl::StrAppend(&out, " [flags]");
  if (!s.args.empty()) absl::StrAppend(&out, " ", s.args);
  absl::StrAppend(&out, "\n\n", tools::WrapText(s.description, 0), "\n");
  if (!s.flags.empty()) {
    absl::StrAppend(&out, "\nFlags:\n", tools::FlagHelp(s.flags, defaults));
  }
  if (s.swarm) {
    absl::StrAppend(&out,
                    "\nSwarm flags (every simulating subcommand; replay "
                    "commands repeat them):\n",
                    tools::FlagHelp(SwarmFlags(), defaults));
  }
  absl::StrAppend(&out, "\nAlso: --help (this text).\n");
  return out;
}

std::string VersionText() {
  return absl::StrCat(kProgram, " ", tools::kVersion,
                      "\nbuild: ", tools::BuildDescription(), "\n");
}

int UsageError(absl::string_view problem) {
  std::fprintf(stderr, "%s: %s\n\n%s", std::string(kProgram).c_str(),
               std::string(problem).c_str(), UsageMessage().c_str());
  return kExitUsage;
}

// A flag error: the problem and where to look, without the whole usage.
int FlagError(absl::string_view problem, const Subcommand* subcommand) {
  std::fprintf(stderr, "%s: %s\n", std::string(kProgram).c_str(),
               std::string(problem).c_str());
  if (subcommand != nullptr) {
    std::fprintf(stderr, "(`%s help %s` lists its flags)\n",
                 std::string(kProgram).c_str(),
                 std::string(subcommand->name).c_str());
  }
  return kExitUsage;
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
std::optional<int> SelectCanary(const std::string& name) {
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

// --- The command line --------------------------------------------------------

// A flag argument split: "--name=value", "--name value", "-name".
struct FlagArg {
  std::string text;  // As given (for messages).
  std::string name;
  std::optional<std::string> value;
};

bool IsFlag(absl::string_view arg) {
  return arg.size() >= 2 && arg[0] == '-' && arg != "--";
}

FlagArg SplitFlag(absl::string_view arg) {
  FlagArg f;
  f.text = std::string(arg);
  absl::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
  const size_t eq = body.find('=');
  f.name = std::string(body.substr(0, eq));
  if (eq != absl::string_view::npos) {
    f.value = std::string(body.substr(eq + 1));
  }
  return f;
}

// Every flag name of every subcommand, and whether it is a switch.
std::optional<bool> AnyFlagIsBoolean(absl::string_view name) {
  for (const Subcommand& s : Subcommands()) {
    for (const Flag& f : FlagsOf(s)) {
      if (f.name == name) return f.boolean;
    }
  }
  return std::nullopt;
}

std::vector<std::string> SubcommandsTaking(absl::string_view name) {
  std::vector<std::string> out;
  for (const Subcommand& s : Subcommands()) {
    for (const Flag& f : FlagsOf(s)) {
      if (f.name == name) out.push_back(std::string(s.name));
    }
  }
  return out;
}

int Main(int argc, char** argv) {
  const std::vector<std::string> argv_strings(argv + 1, argv + argc);
  // Pass 1: the subcommand, the flags and the positional arguments. A
  // flag's value may be the next argument; a switch never takes one.
  std::vector<FlagArg> flags;
  std::vector<std::string> positional;
  bool help = false, version = false;
  for (size_t i = 0; i < argv_strings.size(); ++i) {
    const std::string& arg = argv_strings[i];
    if (arg == "--") {
      positional.insert(positional.end(), argv_strings.begin() + i + 1,
                        argv_strings.end());
      break;
    }
    if (!IsFlag(arg)) {
      positional.push_back(arg);
      continue;
    }
    FlagArg f = SplitFlag(arg);
    if (f.name == "help" || f.name == "h") {
      help = true;
      continue;
    }
    if (f.name == "version") {
      version = true;
      continue;
    }
    const std::optional<bool> boolean = AnyFlagIsBoolean(f.name);
    if (!f.value.has_value() && boolean.has_value() && !*boolean &&
        i + 1 < argv_strings.size()) {
      f.value = argv_strings[++i];
    }
    flags.push_back(std::move(f));
  }
  if (version) {
    std::printf("%s", VersionText().c_str());
    return kExitOk;
  }
  const Subcommand* subcommand = nullptr;
  std::vector<std::string> subcommand_names;
  for (const Subcommand& s : Subcommands()) {
    subcommand_names.push_back(std::string(s.name));
  }
  if (!positional.empty()) {
    subcommand = FindSubcommand(positional[0]);
    if (subcommand == nullptr) {
      return UsageError(
          absl::StrCat("unknown subcommand '", positional[0], "'",
                       Suggestion(positional[0], subcommand_names, "")));
    }
    positional.erase(positional.begin());
  }
  if (help) {
    std::printf("%s", subcommand == nullptr
                          ? UsageMessage().c_str()
                          : SubcommandHelp(*subcommand).c_str());
    return kExitOk;
  }
  if (subcommand != nullptr && subcommand->name == "help") {
    if (positional.empty()) {
      std::printf("%s", UsageMessage().c_str());
      return kExitOk;
    }
    const Subcommand* about = FindSubcommand(positional[0]);
    if (about == nullptr || positional.size() > 1) {
      return UsageError(
          positional.size() > 1
              ? "help takes one SUBCOMMAND"
              : absl::StrCat("help: unknown subcommand '", positional[0], "'",
                             Suggestion(positional[0], subcommand_names, "")));
    }
    std::printf("%s", SubcommandHelp(*about).c_str());
    return kExitOk;
  }
  // Pass 2: every flag against the subcommand's table (with no
  // subcommand, against them all, so a bad flag is named first).
  const Flags table = subcommand != nullptr ? FlagsOf(*subcommand) : Flags{};
  CliOptions options;
  for (const FlagArg& arg : flags) {
    const Flag* flag = nullptr;
    bool negated = false;
    for (const Flag& f : table) {
      if (f.name == arg.name) flag = &f;
    }
    if (flag == nullptr && absl::StartsWith(arg.name, "no") &&
        !arg.value.has_value()) {
      for (const Flag& f : table) {
        if (f.boolean && f.name == absl::string_view(arg.name).substr(2)) {
          flag = &f;
          negated = true;
        }
      }
    }
    if (flag == nullptr) {
      if (subcommand == nullptr) continue;  // Reported below.
      const std::vector<std::string> takers = SubcommandsTaking(arg.name);
      if (!takers.empty()) {
        return FlagError(
            absl::StrCat("flag --", arg.name, " does not apply to ",
                         subcommand->name, " (it is a flag of ",
                         absl::StrJoin(takers, ", "), ")"),
            subcommand);
      }
      std::vector<std::string> names;
      for (const Flag& f : table) names.push_back(std::string(f.name));
      return FlagError(absl::StrCat("unknown flag '", arg.text, "'",
                                    Suggestion(arg.name, names, "--")),
                       subcommand);
    }
    std::string value;
    if (negated) {
      value = "false";
    } else if (arg.value.has_value()) {
      value = *arg.value;
    } else if (flag->boolean) {
      value = "true";
    } else {
      return FlagError(
          absl::StrCat("flag --", arg.name, " is missing its value"),
          subcommand);
    }
    if (std::optional<std::string> error = flag->parse(value, options)) {
      if (flag->value == "on|off" || flag->value == "auto|on|off") {
        return FlagError(absl::StrCat("--", arg.name, "=", value, ": ", *error),
                         subcommand);
      }
      return FlagError(absl::StrCat("invalid value '", value, "' for flag --",
                                    arg.name, ": ", *error),
                       subcommand);
    }
  }
  if (subcommand == nullptr) {
    for (const FlagArg& arg : flags) {
      if (!AnyFlagIsBoolean(arg.name).has_value() &&
          !(absl::StartsWith(arg.name, "no") &&
            AnyFlagIsBoolean(arg.name.substr(2)).value_or(false))) {
        std::vector<std::string> names;
        for (const Subcommand& s : Subcommands()) {
          for (const Flag& f : FlagsOf(s)) names.push_back(std::string(f.name));
        }
        return UsageError(absl::StrCat("unknown flag '", arg.text, "'",
                                       Suggestion(arg.name, names, "--")));
      }
    }
    return UsageError("no subcommand given");
  }
  if (subcommand->args.empty() && !positional.empty()) {
    return FlagError(
        absl::StrCat(subcommand->name, " takes no arguments, found '",
                     positional[0], "'"),
        subcommand);
  }
  SetCheckFailureHandler(&tools::OnCheckFailure);
  if (options.common.canary == "all") {
    // Every canary, one pass each: the sweep selects them in turn.
    if (subcommand->name != "sweep") {
      return FlagError(
          "--canary=all: only sweep runs every canary (one pass per canary)",
          subcommand);
    }
  } else if (std::optional<int> code = SelectCanary(options.common.canary)) {
    return *code;
  }
  options.sweep.command_line = absl::StrJoin(argv_strings, " ");
  options.sweep.command_line.insert(0, absl::StrCat(kProgram, " "));
  return subcommand->run(options, positional);
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
