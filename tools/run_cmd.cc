// tools/run_cmd.cc — see run_cmd.h.
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.

#include "tools/run_cmd.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checkers/linearizability/history.h"
#include "sim/check_adapter.h"
#include "sim/simulator.h"

ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(int64_t, nodes);
ABSL_DECLARE_FLAG(int64_t, clients);
ABSL_DECLARE_FLAG(int64_t, fault_ms);
ABSL_DECLARE_FLAG(int64_t, heal_ms);
ABSL_DECLARE_FLAG(std::string, set);
ABSL_DECLARE_FLAG(std::string, trace_out);
ABSL_DECLARE_FLAG(std::string, timeline_out);
ABSL_DECLARE_FLAG(bool, timeline);
ABSL_DECLARE_FLAG(std::string, history_out);
ABSL_DECLARE_FLAG(std::string, checkers);
ABSL_DECLARE_FLAG(std::string, canary);

namespace raftsim::tools {
namespace {

using sim::kExitCrash;
using sim::kExitUsage;

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

// What the CHECK failure handler reports: the run in progress.
struct CurrentRun {
  uint64_t seed = 0;
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
              message.c_str(), Replay(g_current.seed).c_str());
  std::fflush(stdout);
  _exit(kExitCrash);
}

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
  absl::StatusOr<std::unique_ptr<TraceOutputs>> outputs =
      TraceOutputs::Open(settings.trace, seed, *options, Replay(seed));
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
      return InputError(command,
                        absl::StrCat("--history_out=", settings.history_out,
                                     ": cannot open for writing"));
    }
    const std::string text =
        checkers::FormatHistoryJsonLines(simulator.History());
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
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

}  // namespace raftsim::tools
