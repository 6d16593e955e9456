// tools/cli/scenario_cmd.cc — `raftsim run --scenario=FILE [--seed=N]`: runs a
// scenario file (scenarios/README.md) and reports whether its `expect`
// lines hold. See sim/scenario/runner.h for what a scenario run means.
//
// Output: the scenario's one-line description, the effective options, the
// usual result line (and detail/checker lines on failure), then one line
// per expectation ("held" or "FAILED" and what the run showed) and a
// verdict line. Exit codes: 0 every expectation held (or, with no `expect`
// line, the run was ok); 1 safety / 3 liveness when that is what happened
// and the file did not expect it; 5 the run was ok but an expectation did
// not hold (e.g. an expected violation did not happen); 2 a bad file
// (`file:line:col: ...`), an unsupported action (`file:line: ...`) or bad
// flags; 4 a CHECK failed inside a simulated node.
//
// Single-threaded.

#include "tools/cli/scenario_cmd.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario.h"
#include "sim/simulator.h"

namespace raftsim::tools {
namespace {

class FileSink final : public sim::TraceSink {
 public:
  explicit FileSink(std::FILE* file) : file_(file) {}
  void Line(std::string_view line) override {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fputc('\n', file_);
  }

 private:
  std::FILE* file_;
};

std::string g_file;  // The scenario being run, for the CHECK handler.
uint64_t g_seed = 0;

[[noreturn]] void OnCheckFailure(const std::string& message) {
  std::fflush(nullptr);
  std::printf(
      "%s check failed: %s\nreplay: raftsim run --scenario=%s "
      "--seed=%llu\n",
      sim::ResultLine(g_seed, "crash", 0, 0, 0).c_str(), message.c_str(),
      g_file.c_str(), static_cast<unsigned long long>(g_seed));
  std::fflush(stdout);
  _exit(sim::kExitCrash);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "raftsim run: %s\n", message.c_str());
  return sim::kExitUsage;
}

}  // namespace

int RunScenarioCommand(const CommonOptions& common,
                       const ScenarioOptions& run) {
  const std::string& path = run.file;
  absl::StatusOr<sim::Scenario> scenario = sim::ReadScenarioFile(path);
  if (!scenario.ok()) return Fail(std::string(scenario.status().message()));
  if (absl::Status st = sim::CheckSupported(*scenario, path); !st.ok()) {
    return Fail(std::string(st.message()));
  }
  absl::StatusOr<sim::SimOptions> options = sim::ScenarioSimOptions(*scenario);
  if (!options.ok()) {
    return Fail(absl::StrCat(path, ": ", options.status().message()));
  }
  const uint64_t seed = sim::ScenarioSeed(*scenario, run.seed);
  std::printf("scenario: %s: %s\n", path.c_str(), scenario->Describe().c_str());
  for (const std::string& line : options->Describe()) {
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);

  const std::string& trace_out = run.trace_out;
  std::FILE* trace = nullptr;
  std::unique_ptr<FileSink> sink;
  if (!trace_out.empty()) {
    trace = std::fopen(trace_out.c_str(), "w");
    if (trace == nullptr) {
      return Fail(
          absl::StrCat("--trace_out=", trace_out, ": cannot open for writing"));
    }
    sink = std::make_unique<FileSink>(trace);
  }
  g_file = path;
  g_seed = seed;
  SetCheckFailureHandler(&OnCheckFailure);
  sim::ScenarioRunSettings settings;
  settings.sink = sink.get();
  settings.checkers = common.checkers;
  absl::StatusOr<sim::ScenarioOutcome> outcome =
      sim::RunScenario(*scenario, seed, settings);
  if (trace != nullptr) std::fclose(trace);
  if (!outcome.ok()) return Fail(std::string(outcome.status().message()));

  const sim::RunResult& r = outcome->result;
  std::printf("%s\n", sim::ResultLine(seed, sim::ResultKindName(r.kind),
                                      r.events, r.sim_us, r.trace_hash)
                          .c_str());
  if (r.kind != sim::ResultKind::kOk) {
    std::printf("detail: %s\n", r.detail.c_str());
    if (!r.checker.empty()) std::printf("checker: %s\n", r.checker.c_str());
  }
  int failed = 0;
  for (const sim::ExpectationResult& e : outcome->expectations) {
    std::printf("%s: %s (%s)\n", e.expectation.c_str(),
                e.held ? "held" : "FAILED", e.detail.c_str());
    failed += e.held ? 0 : 1;
  }
  const std::string& canary = common.canary;
  const std::string replay = absl::StrCat(
      "raftsim", canary == "none" ? "" : "_canary", " run --scenario=", path,
      " --seed=", seed, canary == "none" ? "" : " --canary=" + canary);
  if (outcome->expectations.empty()) {
    std::printf("scenario %s: no expectations; result=%s\n", path.c_str(),
                std::string(sim::ResultKindName(r.kind)).c_str());
  } else if (outcome->passed) {
    std::printf("scenario %s: passed (%zu expectations held)\n", path.c_str(),
                outcome->expectations.size());
  } else {
    std::printf(
        "scenario %s: FAILED (%d of %zu expectations did not hold)\n"
        "replay: %s\n",
        path.c_str(), failed, outcome->expectations.size(), replay.c_str());
  }
  std::fflush(stdout);
  if (run.ignore_expectations) return sim::ExitCode(r.kind);
  return sim::ScenarioExitCode(*outcome);
}

}  // namespace raftsim::tools
