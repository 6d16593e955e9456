// tools/raftsim_main.cc — the `raftsim` command line: parses flags and
// dispatches to a subcommand (run, sweep, replay, shrink, check-history).
//
// Dispatch is a table of {name, function, one-line help}; adding a
// subcommand is adding a row. The simulator has not landed yet, so every
// subcommand currently says so plainly and exits 2; the bodies are replaced
// as sim/ and checkers/ land.
//
// Exit codes: 0 success; 2 usage error or "not available yet".
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.
//
// Single-threaded.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace raftsim {
namespace {

constexpr int kExitUsage = 2;

// A subcommand receives the positional arguments after its name (flags have
// already been parsed into their absl::Flag variables) and returns the
// process exit code.
using SubcommandFn = int (*)(absl::Span<char* const> args);

struct Subcommand {
  absl::string_view name;
  SubcommandFn run;
  absl::string_view help;
};

// Shared body of the subcommands whose implementation needs the simulator.
int NotLandedYet(absl::string_view name) {
  std::fprintf(stderr,
               "raftsim %.*s: not available yet: the simulator (sim/) has not "
               "landed, so nothing was run. See README.md, \"Status\".\n",
               static_cast<int>(name.size()), name.data());
  return kExitUsage;
}

int RunRun(absl::Span<char* const>) { return NotLandedYet("run"); }
int RunSweep(absl::Span<char* const>) { return NotLandedYet("sweep"); }
int RunReplay(absl::Span<char* const>) { return NotLandedYet("replay"); }
int RunShrink(absl::Span<char* const>) { return NotLandedYet("shrink"); }
int RunCheckHistory(absl::Span<char* const>) {
  return NotLandedYet("check-history");
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

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(UsageMessage());
  // Positional arguments, starting with the program name.
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return UsageError("no subcommand given");
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

int main(int argc, char** argv) { return raftsim::Main(argc, argv); }
