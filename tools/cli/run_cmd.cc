// tools/cli/run_cmd.cc — see run_cmd.h.
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.

#include "tools/cli/run_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "checkers/linearizability/history.h"
#include "sim/check_adapter.h"
#include "sim/coverage.h"
#include "sim/simulator.h"

namespace raftsim::tools {
namespace {

using sim::kExitCrash;
using sim::kExitUsage;

// `common` as flags (for replay commands).
std::string OverrideFlags(const CommonOptions& common) {
  const SwarmOverrides& o = common.overrides;
  std::string out;
  auto add = [&](absl::string_view name, int64_t value, int64_t unset) {
    if (value != unset) absl::StrAppend(&out, " --", name, "=", value);
  };
  add("nodes", o.nodes, 0);
  add("clients", o.clients, -1);
  add("fault_ms", o.fault_ms, -1);
  add("heal_ms", o.heal_ms, -1);
  if (!o.set.empty()) absl::StrAppend(&out, " --set=", o.set);
  if (common.canary != "none") {
    absl::StrAppend(&out, " --canary=", common.canary);
  }
  if (!common.checkers) absl::StrAppend(&out, " --checkers=off");
  return out.empty() ? out : out.substr(1);
}

// What the CHECK failure handler reports: the run in progress.
struct CurrentRun {
  uint64_t seed = 0;
  const CommonOptions* common = nullptr;
  const sim::Simulator* simulator = nullptr;
  TraceOutputs* outputs = nullptr;
};
CurrentRun g_current;

}  // namespace

int InputError(absl::string_view command, absl::string_view message) {
  std::fprintf(stderr, "raftsim %.*s: %.*s\n", static_cast<int>(command.size()),
               command.data(), static_cast<int>(message.size()),
               message.data());
  return kExitUsage;
}

std::string Replay(uint64_t seed, const CommonOptions& common) {
  std::string cmd = sim::ReplayCommand(seed, OverrideFlags(common));
#ifdef RAFTSIM_CANARY_BINARY
  const std::string kTool = "//tools:raftsim ";
  if (const size_t at = cmd.find(kTool); at != std::string::npos) {
    cmd.replace(at, kTool.size(), "//tools:raftsim_canary ");
  }
#endif
  return cmd;
}

absl::StatusOr<sim::SimOptions> OptionsFor(uint64_t seed,
                                           const SwarmOverrides& overrides) {
  sim::SimOptions o = sim::SimOptions::Draw(seed);
  struct Override {
    absl::string_view flag;
    int64_t value;
    int64_t unset;
  };
  const Override fields[] = {
      {"nodes", overrides.nodes, 0},
      {"clients", overrides.clients, -1},
      {"fault_ms", overrides.fault_ms, -1},
      {"heal_ms", overrides.heal_ms, -1},
  };
  for (const Override& ov : fields) {
    if (ov.value == ov.unset) continue;
    absl::Status s = o.Set(std::string(ov.flag), ov.value);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", ov.flag, "=", ov.value, ": ", s.message()));
    }
  }
  // The drawn spare hosts make room for a larger --nodes (at most 9 hosts
  // in all); --set=spare_hosts=K is validated as given.
  o.spare_hosts =
      std::max<int64_t>(0, std::min<int64_t>(o.spare_hosts, 9 - o.nodes));
  const std::string& set = overrides.set;
  if (absl::Status s = o.SetFromString(set); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--set=", set, ": ", s.message()));
  }
  if (absl::Status s = o.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the options of seed ", seed, " with the overrides: ", s.message()));
  }
  return o;
}

[[noreturn]] void OnCheckFailure(const std::string& message) {
  const sim::Simulator* s = g_current.simulator;
  if (g_current.outputs != nullptr) {
    g_current.outputs->Finish("crash", message, "", s ? s->event_number() : 0,
                              s ? s->now_us() : 0, s ? s->trace_hash() : 0);
  }
  const std::string line =
      sim::ResultLine(g_current.seed, "crash", s ? s->event_number() : 0,
                      s ? s->now_us() : 0, s ? s->trace_hash() : 0);
  std::printf("%s check failed: %s\nreplay: %s\n", line.c_str(),
              message.c_str(),
              g_current.common != nullptr
                  ? Replay(g_current.seed, *g_current.common).c_str()
                  : "");
  std::fflush(stdout);
  _exit(kExitCrash);
}

int RunSeed(absl::string_view command, uint64_t seed,
            const CommonOptions& common, const RunSettings& settings) {
  absl::StatusOr<sim::SimOptions> options = OptionsFor(seed, common.overrides);
  if (!options.ok()) return InputError(command, options.status().message());
  if (settings.print_options) {
    for (const std::string& line : options->Describe()) {
      std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
  }
  absl::StatusOr<std::unique_ptr<TraceOutputs>> outputs =
      TraceOutputs::Open(settings.trace, seed, *options, Replay(seed, common));
  if (!outputs.ok()) return InputError(command, outputs.status().message());
  sim::Simulator simulator(seed, *options, (*outputs)->sink());
  // The checkers subsume the simulator's built-in observers.
  simulator.ClearObservers();
  sim::CheckAdapter checkers;
  if (common.checkers) simulator.AddObserver(&checkers);
  g_current = {seed, &common, &simulator, outputs->get()};
  const sim::RunResult result = simulator.Run();
  g_current = {};
  const std::optional<checkers::Violation>& violation = checkers.violation();
  (*outputs)->Finish(sim::ResultKindName(result.kind), result.detail,
                     violation ? violation->checker : "", result.events,
                     result.sim_us, result.trace_hash);
  if (!settings.history_out.empty()) {
    std::FILE* f = std::fopen(settings.history_out.c_str(), "w");
    if (f == nullptr) {
      return InputError(command,
                        absl::StrCat("--history_out=", settings.history_out,
                                     ": cannot open for writing"));
    }
    const std::string text =
        checkers::FormatHistoryJsonLines(simulator.History());
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  if (settings.coverage == RunSettings::Coverage::kLine) {
    std::printf("%s\n", sim::FormatCoverageLine(result.coverage).c_str());
    std::printf("%s\n", FormatFaultsLine(result.faults).c_str());
  }
  std::printf("%s\n", sim::ResultLine(
                          seed, std::string(sim::ResultKindName(result.kind)),
                          result.events, result.sim_us, result.trace_hash)
                          .c_str());
  if (result.kind != sim::ResultKind::kOk) {
    std::printf("detail: %s\n", result.detail.c_str());
    if (const std::optional<checkers::Violation>& v = checkers.violation()) {
      std::printf("checker: %s event=%llu sim_us=%lld\n", v->checker.c_str(),
                  static_cast<unsigned long long>(v->event),
                  static_cast<long long>(v->time_us));
    }
    std::printf("replay: %s\n", Replay(seed, common).c_str());
  }
  if (settings.coverage == RunSettings::Coverage::kTable) {
    const std::vector<sim::CoverageEntry>& catalogue = sim::CoverageCatalogue();
    size_t reached = 0;
    for (size_t i = 0; i < catalogue.size(); ++i) {
      if (result.coverage[i] == 0) continue;
      ++reached;
      std::printf("  %8llu  %s\n",
                  static_cast<unsigned long long>(result.coverage[i]),
                  std::string(catalogue[i].name).c_str());
    }
    std::printf("coverage: %zu of %zu situations reached\n", reached,
                catalogue.size());
  }
  std::fflush(stdout);
  return sim::ExitCode(result.kind);
}

std::string FormatFaultsLine(
    const std::vector<std::pair<std::string, uint64_t>>& faults) {
  std::string line = "faults";
  const char* sep = " ";
  for (const auto& [name, count] : faults) {
    absl::StrAppend(&line, sep, name, "=", count);
    sep = ",";
  }
  return line;
}

absl::StatusOr<std::vector<std::pair<std::string, uint64_t>>> ParseFaultsLine(
    absl::string_view line) {
  constexpr absl::string_view kPrefix = "faults";
  if (!absl::StartsWith(line, kPrefix)) {
    return absl::InvalidArgumentError(
        "faults line: expected \"faults\" at the start");
  }
  std::vector<std::pair<std::string, uint64_t>> out;
  const absl::string_view rest =
      absl::StripLeadingAsciiWhitespace(line.substr(kPrefix.size()));
  if (rest.empty()) return out;
  for (absl::string_view field : absl::StrSplit(rest, ',')) {
    const size_t eq = field.find('=');
    uint64_t count = 0;
    if (eq == absl::string_view::npos || eq == 0 ||
        !absl::SimpleAtoi(field.substr(eq + 1), &count)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "faults line: \"", std::string(field), "\" is not NAME=COUNT"));
    }
    out.emplace_back(std::string(field.substr(0, eq)), count);
  }
  return out;
}

int RunOrReplay(absl::string_view command, bool replay,
                const CommonOptions& common, const RunOptions& run) {
  RunSettings settings;
  settings.history_out = run.history_out;
  settings.trace = run.trace;
  settings.trace.text_stdout = replay;
  if (run.coverage) settings.coverage = RunSettings::Coverage::kTable;
  return RunSeed(command, run.seed, common, settings);
}

}  // namespace raftsim::tools
