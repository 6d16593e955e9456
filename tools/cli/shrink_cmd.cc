// tools/cli/shrink_cmd.cc — `raftsim shrink --seed=N [--canary=NAME]
// --out=FILE.scn`: turns a failing seed into a minimal scenario file.
//
//   1. record: run the seed (drawn options plus command-line overrides)
//      and write every fault and client operation as explicit timed
//      scenario actions (sim/scenario/shrink_record.h);
//   2. check that the recorded scenario, run with the same seed, fails the
//      same way (same result class and checker);
//   3. minimise it (sim/scenario/shrink.h: ddmin over actions, fewer nodes,
//   earlier
//      end and shorter healed phase, options back to defaults), at most
//      --max_runs runs;
//   4. check the result once more and write it in canonical form with a
//      header comment (seed, canary, failure, sizes before and after).
// Prints "shrink: N actions -> M actions" and the replay command. Progress
// goes to stderr on a terminal only.
//
// Every candidate runs in a child process (fork), so a CHECK failure or a
// crash inside a candidate is an answer ("crash"), not the end of the
// shrink; the canary chosen by --canary is inherited by the children.
// Exit codes: 0 shrunk and written; 2 bad flags, a seed that does not
// fail, a failure the recorded schedule does not reproduce, or an
// unwritable --out.
//
// Single-threaded (children are processes).

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/shrink.h"
#include "sim/scenario/shrink_record.h"
#include "sim/simulator.h"
#include "tools/cli/scenario_cmd.h"

namespace raftsim::tools {
namespace {

constexpr char kMarker[] = "\n--shrink-child--\n";

// What a child reported: its exit code and what it printed.
struct ChildResult {
  int code = 0;
  bool signaled = false;
  std::string output;
};

// Runs `work` in a child process whose stdout and stderr go into a pipe;
// `work` returns the child's exit code.
template <typename Work>
ChildResult InChild(Work work) {
  int fds[2];
  CHECK(pipe(fds) == 0) << "pipe: errno " << errno;
  std::fflush(nullptr);
  const pid_t pid = fork();
  CHECK(pid >= 0) << "fork: errno " << errno;
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    const int code = work();
    std::fflush(nullptr);
    _exit(code);
  }
  close(fds[1]);
  ChildResult r;
  char buf[65536];
  while (true) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      r.output.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.code = WEXITSTATUS(status);
  } else {
    r.signaled = true;
    r.code = sim::kExitCrash;
  }
  return r;
}

// The recording child's CHECK failure handler: a run that ends in a CHECK
// inside a node reports the schedule recorded so far and the failure
// "crash", so that it is shrunk like any other failure (the candidates'
// CHECK failures classify as "crash" too, ParseFailure).
[[noreturn]] void ReportCrashWhileRecording(const std::string& message) {
  std::fflush(nullptr);
  if (std::optional<sim::Scenario> s = sim::RecordingSoFar()) {
    std::printf("%s%s", kMarker, sim::FormatScenario(*s).c_str());
    std::printf("%scrash -\n", kMarker);
  }
  std::printf("check failed: %s\n", message.c_str());
  std::fflush(stdout);
  _exit(0);
}

// "<kind> <checker>" after the marker; "ok" for none.
std::string FormatFailure(const std::optional<sim::FailureClass>& f) {
  if (!f.has_value()) return "ok -";
  return absl::StrCat(f->kind, " ", f->checker.empty() ? "-" : f->checker);
}

std::optional<sim::FailureClass> ParseFailure(const ChildResult& r) {
  if (r.signaled || r.code == sim::kExitCrash) {
    return sim::FailureClass{"crash", ""};
  }
  const size_t at = r.output.rfind(kMarker);
  if (at == std::string::npos) return sim::FailureClass{"crash", ""};
  std::vector<std::string> words =
      absl::StrSplit(r.output.substr(at + sizeof(kMarker) - 1),
                     absl::ByAnyChar(" \n"), absl::SkipEmpty());
  if (words.size() < 2 || words[0] == "ok") return std::nullopt;
  return sim::FailureClass{words[0], words[1] == "-" ? "" : words[1]};
}

// The oracle: runs a candidate scenario in a child, with the checkers when
// `checkers`.
std::optional<sim::FailureClass> RunCandidate(const sim::Scenario& s,
                                              bool checkers) {
  const ChildResult r = InChild([&s, checkers] {
    sim::ScenarioRunSettings settings;
    settings.checkers = checkers;
    absl::StatusOr<sim::ScenarioOutcome> out =
        sim::RunScenario(s, s.seed.value_or(0), settings);
    if (!out.ok()) {
      std::printf("%s%s\n", kMarker, "ok -");
      return 0;
    }
    std::printf("%s%s\n", kMarker,
                FormatFailure(sim::FailureOf(out->result)).c_str());
    return 0;
  });
  return ParseFailure(r);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "raftsim shrink: %s\n", message.c_str());
  return sim::kExitUsage;
}

std::string Header(uint64_t seed, const std::string& canary,
                   const sim::FailureClass& failure,
                   const sim::Scenario& before, const sim::Scenario& after,
                   int runs, bool exhausted, const std::string& out) {
  const bool has_canary = canary != "none";
  auto size = [](const sim::Scenario& s) {
    return absl::StrCat(s.schedule.size(), " actions, ", s.nodes, " nodes, ",
                        s.options.size(), " options");
  };
  return absl::StrCat(
      "# Shrunk by `raftsim shrink --seed=", seed,
      has_canary ? " --canary=" + canary : "", "`.\n", "# seed: ", seed,
      "  canary: ", has_canary ? canary : "none",
      "  failure: ", failure.Describe(), "\n", "# original: ", size(before),
      "\n", "# shrunk:   ", size(after), " (", runs, " runs",
      exhausted ? ", budget exhausted" : "", ")\n", "# replay:   raftsim",
      has_canary ? "_canary" : "", " run",
      has_canary ? " --canary=" + canary : "", " --scenario=", out, "\n\n");
}

}  // namespace

int RunShrinkCommand(const sim::SimOptions& options,
                     const CommonOptions& common, const ShrinkOptions& shrink) {
  const std::string& out = shrink.out;
  if (out.empty()) return Fail("--out=FILE.scn is required");
  const int max_runs = shrink.max_runs;
  if (max_runs < 1) return Fail("--max_runs must be at least 1");
  const uint64_t seed = shrink.seed;
  const bool checkers = common.checkers;
  auto run_candidate = [checkers](const sim::Scenario& s) {
    return RunCandidate(s, checkers);
  };

  // 1. Record the failing run as a scenario.
  const ChildResult recorded = InChild([&] {
    SetCheckFailureHandler(&ReportCrashWhileRecording);
    sim::RecordedRun run = sim::RecordRun(seed, options, checkers);
    std::printf("%s%s", kMarker, sim::FormatScenario(run.scenario).c_str());
    std::printf("%s%s\n", kMarker,
                FormatFailure(sim::FailureOf(run.result)).c_str());
    return 0;
  });
  const std::optional<sim::FailureClass> failure = ParseFailure(recorded);
  if (!failure.has_value()) {
    return Fail(absl::StrCat("seed ", seed,
                             " does not fail (result=ok); "
                             "nothing to shrink"));
  }
  const size_t first = recorded.output.find(kMarker);
  const size_t second = recorded.output.rfind(kMarker);
  if (first == std::string::npos || first == second) {
    return Fail(absl::StrCat("seed ", seed, " fails (", failure->Describe(),
                             ") but its run could not be recorded:\n",
                             recorded.output));
  }
  const std::string text = recorded.output.substr(
      first + sizeof(kMarker) - 1, second - first - (sizeof(kMarker) - 1));
  absl::StatusOr<sim::Scenario> start =
      sim::ParseScenario(text, "recorded.scn");
  if (!start.ok()) {
    return Fail(
        absl::StrCat("internal: the recorded scenario does not "
                     "parse: ",
                     start.status().message()));
  }
  std::printf("shrink: seed %llu fails: %s; recorded %zu actions\n",
              static_cast<unsigned long long>(seed),
              failure->Describe().c_str(), start->schedule.size());
  std::fflush(stdout);

  // 2. The recorded schedule must reproduce the failure.
  const std::optional<sim::FailureClass> again = run_candidate(*start);
  if (!again.has_value() || !(*again == *failure)) {
    return Fail(absl::StrCat(
        "the recorded schedule does not reproduce the failure (it gives ",
        again.has_value() ? again->Describe() : "ok", ")"));
  }

  // 3. Minimise.
  const bool tty = isatty(STDERR_FILENO) != 0;
  sim::ShrinkSettings settings;
  settings.max_runs = max_runs;
  if (tty) {
    settings.progress = [](const sim::ShrinkProgress& p) {
      std::fprintf(stderr, "\r[%d/%d runs] %-7s best: %zu actions   ", p.runs,
                   p.max_runs, p.pass, p.actions);
    };
  }
  const sim::ShrinkResult shrunk =
      sim::Shrink(*start, *failure, run_candidate, settings);
  if (tty) std::fprintf(stderr, "\n");

  // 4. Check and write.
  const std::optional<sim::FailureClass> last = run_candidate(shrunk.scenario);
  if (!last.has_value() || !(*last == *failure)) {
    return Fail("internal: the shrunk scenario no longer fails the same way");
  }
  std::FILE* f = std::fopen(out.c_str(), "w");
  if (f == nullptr) return Fail(absl::StrCat("--out=", out, ": cannot open"));
  const std::string file =
      Header(seed, common.canary, *failure, *start, shrunk.scenario,
             shrunk.runs, shrunk.budget_exhausted, out) +
      sim::FormatScenario(shrunk.scenario);
  std::fwrite(file.data(), 1, file.size(), f);
  std::fclose(f);
  const std::string& canary = common.canary;
  std::printf(
      "shrink: %zu actions -> %zu actions (%d -> %d nodes, %zu -> %zu "
      "options; %d runs%s)\nwrote %s\nreplay: raftsim%s run%s "
      "--scenario=%s\n",
      start->schedule.size(), shrunk.scenario.schedule.size(), start->nodes,
      shrunk.scenario.nodes, start->options.size(),
      shrunk.scenario.options.size(), shrunk.runs,
      shrunk.budget_exhausted ? ", budget exhausted" : "", out.c_str(),
      canary == "none" ? "" : "_canary",
      canary == "none" ? "" : (" --canary=" + canary).c_str(), out.c_str());
  return sim::kExitOk;
}

}  // namespace raftsim::tools
