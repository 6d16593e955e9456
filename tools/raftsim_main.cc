// tools/raftsim_main.cc — the `raftsim` command line: parses flags and
// dispatches to a subcommand (run, sweep, replay, shrink, check-history).
//
// Dispatch is a table of {name, function, one-line help}; adding a
// subcommand is adding a row. `run`, `replay` and `sweep` drive the
// simulator (sim/, docs/simulation.md) with the checkers of checkers/
// (--checkers=on|off); `check-history` runs the linearizability checker on
// a recorded history; `run --scenario` and `shrink` live in
// tools/scenario_cmd.cc and tools/shrink_cmd.cc. Built twice:
// raftsim, and raftsim_canary over the canary core (--canary=NAME|list).
//
// Exit codes (sim/simulator.h): 0 ok, 1 safety violation, 2 usage or input
// error, 3 liveness failure, 4 a CHECK failed inside a simulated node. A
// sweep exits with the worst code of its seeds, by priority crash (4) >
// safety (1) > liveness (3) > ok (0).
//
// Flag errors are ours to report (exit 2, naming the flag and the value):
// absl::ParseCommandLine exits 1 on a bad flag, so every flag is checked
// against the registry before it runs.
//
// This is the only place that touches the real world for the simulator:
// files, the wall clock (sweep progress) and processes (one child process
// per seed in a sweep, so a crashing seed cannot take the sweep down).
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.
//
// Single-threaded (a sweep forks children; each child is single-threaded).

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "base/check.h"
#include "checkers/check_history.h"
#include "checkers/history.h"
#include "raft/canary.h"
#include "sim/check_adapter.h"
#include "sim/options.h"
#include "sim/simulator.h"
#include "sim/trace.h"
#include "tools/scenario_cmd.h"
#include "tools/trace_outputs.h"

ABSL_FLAG(uint64_t, seed, 1, "run/replay: the seed to simulate");
ABSL_FLAG(std::string, seeds, "1..1000", "sweep: seed range A..B (inclusive)");
ABSL_FLAG(int32_t, jobs, 0, "sweep: parallel processes (0: one per core)");
ABSL_FLAG(int64_t, nodes, 0, "cluster size, overriding the drawn one (0: drawn)");
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

namespace raftsim {
namespace {

using sim::kExitCrash;
using sim::kExitLiveness;
using sim::kExitOk;
using sim::kExitSafety;
using sim::kExitUsage;

// A subcommand receives the positional arguments after its name (flags have
// already been parsed into their absl::Flag variables) and returns the
// process exit code.
using SubcommandFn = int (*)(absl::Span<char* const> args);

struct Subcommand {
  absl::string_view name;
  SubcommandFn run;
  absl::string_view help;
};

int InputError(absl::string_view command, absl::string_view message) {
  std::fprintf(stderr, "raftsim %.*s: %.*s\n",
               static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
  return kExitUsage;
}

// --- Options from flags ----------------------------------------------------

// The overrides given on the command line, as flags (for replay commands).
std::string OverrideFlags() {
  std::string out;
  auto add = [&](absl::string_view name, int64_t value, int64_t unset) {
    if (value != unset) absl::StrAppend(&out, " --", name, "=", value);
  };
  add("nodes", absl::GetFlag(FLAGS_nodes), 0);
  add("clients", absl::GetFlag(FLAGS_clients), -1);
  add("fault_ms", absl::GetFlag(FLAGS_fault_ms), -1);
  add("heal_ms", absl::GetFlag(FLAGS_heal_ms), -1);
  if (!absl::GetFlag(FLAGS_set).empty()) {
    absl::StrAppend(&out, " --set=", absl::GetFlag(FLAGS_set));
  }
  if (absl::GetFlag(FLAGS_canary) != "none") {
    absl::StrAppend(&out, " --canary=", absl::GetFlag(FLAGS_canary));
  }
  if (absl::GetFlag(FLAGS_checkers) != "on") {
    absl::StrAppend(&out, " --checkers=", absl::GetFlag(FLAGS_checkers));
  }
  return out.empty() ? out : out.substr(1);
}

// The replay command of `seed`, naming this binary (raftsim or
// raftsim_canary).
std::string Replay(uint64_t seed) {
  std::string cmd = sim::ReplayCommand(seed, OverrideFlags());
#ifdef RAFTSIM_CANARY_BINARY
  const std::string kTool = "//tools:raftsim ";
  if (const size_t at = cmd.find(kTool); at != std::string::npos) {
    cmd.replace(at, kTool.size(), "//tools:raftsim_canary ");
  }
#endif
  return cmd;
}

// The seed's drawn options with the command line's overrides applied.
absl::StatusOr<sim::SimOptions> OptionsFor(uint64_t seed) {
  sim::SimOptions o = sim::SimOptions::Draw(seed);
  struct Override {
    absl::string_view flag;
    int64_t value;
    int64_t unset;
  };
  const Override overrides[] = {
      {"nodes", absl::GetFlag(FLAGS_nodes), 0},
      {"clients", absl::GetFlag(FLAGS_clients), -1},
      {"fault_ms", absl::GetFlag(FLAGS_fault_ms), -1},
      {"heal_ms", absl::GetFlag(FLAGS_heal_ms), -1},
  };
  for (const Override& ov : overrides) {
    if (ov.value == ov.unset) continue;
    absl::Status s = o.Set(std::string(ov.flag), ov.value);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", ov.flag, "=", ov.value, ": ", s.message()));
    }
  }
  const std::string set = absl::GetFlag(FLAGS_set);
  if (absl::Status s = o.SetFromString(set); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--set=", set, ": ", s.message()));
  }
  if (absl::Status s = o.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the options of seed ", seed, " with the overrides: ",
                     s.message()));
  }
  return o;
}

// --- One run ---------------------------------------------------------------

// What the CHECK failure handler reports: the run in progress.
struct CurrentRun {
  uint64_t seed = 0;
  const sim::Simulator* simulator = nullptr;
  tools::TraceOutputs* outputs = nullptr;
};
CurrentRun g_current;

[[noreturn]] void OnCheckFailure(const std::string& message) {
  const sim::Simulator* s = g_current.simulator;
  if (g_current.outputs != nullptr) {
    g_current.outputs->Finish("crash", message, "", s ? s->event_number() : 0,
                              s ? s->now_us() : 0, s ? s->trace_hash() : 0);
  }
  const std::string line = sim::ResultLine(
      g_current.seed, "crash", s ? s->event_number() : 0,
      s ? s->now_us() : 0, s ? s->trace_hash() : 0);
  std::printf("%s check failed: %s\nreplay: %s\n", line.c_str(),
              message.c_str(),
              Replay(g_current.seed).c_str());
  std::fflush(stdout);
  _exit(kExitCrash);
}

struct RunSettings {
  bool print_options = true;
  tools::TraceRequest trace;  // Nothing requested: hash only.
  std::string history_out;
};

int RunSeed(absl::string_view command, uint64_t seed,
            const RunSettings& settings) {
  absl::StatusOr<sim::SimOptions> options = OptionsFor(seed);
  if (!options.ok()) return InputError(command, options.status().message());
  if (settings.print_options) {
    for (const std::string& line : options->Describe()) {
      std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
  }
  absl::StatusOr<std::unique_ptr<tools::TraceOutputs>> outputs =
      tools::TraceOutputs::Open(settings.trace, seed, *options, Replay(seed));
  if (!outputs.ok()) return InputError(command, outputs.status().message());
  sim::Simulator simulator(seed, *options, (*outputs)->sink());
  // The checkers subsume the simulator's built-in observers.
  simulator.ClearObservers();
  sim::CheckAdapter checkers;
  if (absl::GetFlag(FLAGS_checkers) == "on") simulator.AddObserver(&checkers);
  g_current = {seed, &simulator, outputs->get()};
  const sim::RunResult result = simulator.Run();
  g_current = {};
  const std::optional<checkers::Violation>& violation = checkers.violation();
  (*outputs)->Finish(sim::ResultKindName(result.kind), result.detail,
                     violation ? violation->checker : "", result.events,
                     result.sim_us, result.trace_hash);
  if (!settings.history_out.empty()) {
    std::FILE* f = std::fopen(settings.history_out.c_str(), "w");
    if (f == nullptr) {
      return InputError(command, absl::StrCat("--history_out=",
                                              settings.history_out,
                                              ": cannot open for writing"));
    }
    const std::string text =
        checkers::FormatHistoryJsonLines(simulator.History());
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  std::printf("%s\n",
              sim::ResultLine(seed, std::string(sim::ResultKindName(result.kind)),
                              result.events, result.sim_us, result.trace_hash)
                  .c_str());
  if (result.kind != sim::ResultKind::kOk) {
    std::printf("detail: %s\n", result.detail.c_str());
    if (const std::optional<checkers::Violation>& v = checkers.violation()) {
      std::printf("checker: %s event=%llu sim_us=%lld\n", v->checker.c_str(),
                  static_cast<unsigned long long>(v->event),
                  static_cast<long long>(v->time_us));
    }
    std::printf("replay: %s\n", Replay(seed).c_str());
  }
  std::fflush(stdout);
  return sim::ExitCode(result.kind);
}

int RunOrReplay(absl::string_view command, bool replay) {
  RunSettings settings;
  settings.history_out = absl::GetFlag(FLAGS_history_out);
  settings.trace.trace_out = absl::GetFlag(FLAGS_trace_out);
  settings.trace.text_stdout = replay;
  settings.trace.timeline_out = absl::GetFlag(FLAGS_timeline_out);
  settings.trace.timeline_stdout = absl::GetFlag(FLAGS_timeline);
  return RunSeed(command, absl::GetFlag(FLAGS_seed), settings);
}

int RunRun(absl::Span<char* const>) {
  if (tools::ScenarioRequested()) return tools::RunScenarioCommand();
  return RunOrReplay("run", false);
}
int RunReplay(absl::Span<char* const>) { return RunOrReplay("replay", true); }

// --- Sweep -----------------------------------------------------------------

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

absl::StatusOr<SeedRange> ParseSeeds(absl::string_view text) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("--seeds=", text, ": ", why));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(text, "..");
  SeedRange r;
  if (parts.size() == 1) parts.push_back(parts[0]);
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &r.first) ||
      !absl::SimpleAtoi(parts[1], &r.last) || parts[0].empty() ||
      parts[0][0] == '-' || parts[1][0] == '-') {
    return bad("expected A..B with unsigned integers A <= B (or one seed N)");
  }
  if (r.first > r.last) {
    return bad(absl::StrCat("the range is empty (", r.first, " > ", r.last,
                            ")"));
  }
  return r;
}

struct Child {
  uint64_t seed = 0;
  pid_t pid = 0;
  int fd = -1;
  std::string output;
};

struct SeedOutcome {
  int code = 0;
  std::string output;  // What the child printed.
};

Child Spawn(uint64_t seed) {
  int fds[2];
  CHECK(pipe(fds) == 0) << "pipe: errno " << errno;
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  CHECK(pid >= 0) << "fork: errno " << errno;
  if (pid == 0) {  // Child: run one seed, quietly, into the pipe.
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    RunSettings settings;
    settings.print_options = false;
    const int code = RunSeed("sweep", seed, settings);
    std::fflush(stdout);
    _exit(code);
  }
  close(fds[1]);
  return {seed, pid, fds[0], {}};
}

// Waits for `child` (its pipe is at EOF) and classifies its exit.
SeedOutcome Reap(Child& child) {
  close(child.fd);
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  SeedOutcome out{kExitCrash, std::move(child.output)};
  if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    absl::StrAppend(&out.output,
                    sim::ResultLine(child.seed, "crash", 0, 0, 0),
                    " killed by signal ", WTERMSIG(status), "\n");
  }
  return out;
}

// Worse codes first: crash > safety > liveness > usage > ok.
int Severity(int code) {
  switch (code) {
    case kExitOk: return 0;
    case kExitLiveness: return 2;
    case kExitSafety: return 3;
    case kExitCrash: return 4;
    default: return 1;
  }
}

// events=E from a child's result line (0 if absent).
uint64_t EventsOf(const std::string& output) {
  const size_t at = output.find(" events=");
  uint64_t events = 0;
  if (at == std::string::npos) return 0;
  const size_t end = output.find(' ', at + 8);
  absl::SimpleAtoi(absl::string_view(output).substr(at + 8, end - at - 8),
                   &events);
  return events;
}

int RunSweep(absl::Span<char* const>) {
  absl::StatusOr<SeedRange> range = ParseSeeds(absl::GetFlag(FLAGS_seeds));
  if (!range.ok()) return InputError("sweep", range.status().message());
  int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs < 0) {
    return InputError("sweep", absl::StrCat("--jobs=", jobs,
                                            ": must be 0 (one per core) or "
                                            "positive"));
  }
  if (jobs == 0) jobs = std::max<int>(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  // Validate the overrides once, before forking anything.
  if (absl::StatusOr<sim::SimOptions> o = OptionsFor(range->first); !o.ok()) {
    return InputError("sweep", o.status().message());
  }
  const uint64_t total = range->last - range->first + 1;
  const bool tty = isatty(STDERR_FILENO) != 0;
  const absl::Time start = absl::Now();
  std::vector<Child> running;
  std::map<uint64_t, SeedOutcome> failures;  // Sorted by seed.
  uint64_t next = range->first, done = 0, events = 0;
  int worst = kExitOk;
  absl::Time last_progress = start;
  while (next <= range->last || !running.empty()) {
    while (next <= range->last && static_cast<int>(running.size()) < jobs) {
      running.push_back(Spawn(next));
      if (next == range->last) break;  // Avoid overflow at UINT64_MAX.
      ++next;
    }
    if (next == range->last && !running.empty() &&
        running.back().seed == range->last) {
      next = range->last + 1;  // All spawned (range->last < UINT64_MAX).
    }
    std::vector<pollfd> fds;
    for (const Child& c : running) fds.push_back({c.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
      CHECK(false) << "poll: errno " << errno;
    }
    for (size_t i = fds.size(); i-- > 0;) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[4096];
      const ssize_t n = read(running[i].fd, buf, sizeof buf);
      if (n > 0) {
        running[i].output.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      SeedOutcome out = Reap(running[i]);
      events += EventsOf(out.output);
      ++done;
      if (Severity(out.code) > Severity(worst)) worst = out.code;
      if (out.code != kExitOk) failures[running[i].seed] = std::move(out);
      running.erase(running.begin() + static_cast<ptrdiff_t>(i));
    }
    const absl::Time now = absl::Now();
    if (tty && (now - last_progress > absl::Milliseconds(200) || done == total)) {
      last_progress = now;
      const double secs = absl::ToDoubleSeconds(now - start);
      std::fprintf(stderr, "\r[%llu/%llu] failures=%zu %.1f seeds/s   ",
                   static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total), failures.size(),
                   secs > 0 ? static_cast<double>(done) / secs : 0.0);
    }
  }
  if (tty) std::fprintf(stderr, "\n");
  const double secs = std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start));
  for (const auto& [seed, out] : failures) {
    std::printf("%s", out.output.c_str());
    if (out.output.find("replay: ") == std::string::npos) {
      std::printf("replay: %s\n", Replay(seed).c_str());
    }
  }
  std::printf(
      "sweep seeds=%llu..%llu jobs=%d: %llu run, %zu failed, worst exit %d; "
      "%.2f s, %.1f seeds/s, %.0f events/s\n",
      static_cast<unsigned long long>(range->first),
      static_cast<unsigned long long>(range->last), jobs,
      static_cast<unsigned long long>(done), failures.size(), worst, secs,
      static_cast<double>(done) / secs, static_cast<double>(events) / secs);
  return worst;
}

int RunShrink(absl::Span<char* const>) {
  absl::StatusOr<sim::SimOptions> options =
      OptionsFor(absl::GetFlag(FLAGS_seed));
  if (!options.ok()) return InputError("shrink", options.status().message());
  return tools::RunShrinkCommand(*options);
}
int RunCheckHistory(absl::Span<char* const> args) {
  if (args.size() != 1) {
    return InputError("check-history", "expected exactly one FILE argument");
  }
  const int code = checkers::RunCheckHistory(args[0], std::cout, std::cerr);
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
    {"replay", &RunReplay, "re-run one seed with a full trace"},
    {"shrink", &RunShrink, "minimise a failing run to a scenario file"},
    {"check-history", &RunCheckHistory,
     "check a recorded client history for linearizability"},
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
      absl::CommandLineFlag* positive = absl::FindCommandLineFlag(name.substr(2));
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
      return absl::StrCat("invalid value '", value, "' for flag --", name,
                          ": ", error);
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
  SetCheckFailureHandler(&OnCheckFailure);
  const std::string checkers = absl::GetFlag(FLAGS_checkers);
  if (checkers != "on" && checkers != "off") {
    return UsageError(absl::StrCat("--checkers=", checkers,
                                   ": expected on or off"));
  }
  if (std::optional<int> code = SelectCanary()) return *code;
  const absl::string_view name = positional[1];
  for (const Subcommand& subcommand : kSubcommands) {
    if (subcommand.name == name) {
      return subcommand.run(absl::MakeConstSpan(positional).subspan(2));
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
