// tools/cli/report.h — the HTML report of a sweep (`raftsim sweep
// --report=DIR`): one self-contained file, DIR/index.html, that needs no
// network — its plots are inline SVG written here, its only script checks
// in the browser that every plot laid out (and says so on <body>). It
// holds:
//   - a summary line (seeds, failures, worst exit, wall time, the command);
//   - the failing seeds grouped by checker (or by result when no checker
//     fired), each with its result, detail and replay command, linked to
//     its traces under DIR/traces/ (Chrome trace-event JSON and the
//     plain-text timeline) when the sweep wrote them;
//   - the distributions the swarm drew: cluster sizes, clients, the fault
//     kinds each seed enabled, and a table of every option (how many seeds
//     drew it non-zero, its smallest, median and largest value);
//   - how often each fault actually took effect (scheduled faults and the
//     network's cuts, losses, duplicates and clogs), in all and per seed;
//   - events per seed and wall-clock time per seed;
//   - the coverage catalogue: seeds reaching each situation;
//   - for the canary build, each swept canary's detection curve: the share
//     of seeds run so far, in seed order, whose run caught it.
// RenderSweepReport is a pure function of its input (the wall-clock
// figures come in with it), so a test can pin what it writes.

#ifndef RAFTSIM_TOOLS_CLI_REPORT_H_
#define RAFTSIM_TOOLS_CLI_REPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "sim/world/options.h"

namespace raftsim::tools {

// One finished seed.
struct ReportSeed {
  uint64_t seed = 0;
  std::string canary;   // The canary it ran with; empty or "none" for none.
  int code = 0;         // Its exit code (sim/simulator.h kExit*).
  std::string checker;  // The checker that fired, when one did.
  std::string output;   // What a failing seed printed (result, detail...).
  std::string replay;   // Its replay command.
  uint64_t events = 0;
  double wall_ms = 0;
  std::vector<std::pair<std::string, uint64_t>> faults;
  std::vector<uint64_t> coverage;  // sim/coverage.h, empty if none.
  sim::SimOptions options;         // As drawn, with the overrides.
  // Relative to the report's directory; empty when not written.
  std::string trace_json;
  std::string timeline;
};

struct SweepReport {
  std::string program;  // "raftsim" or "raftsim_canary".
  std::string command;  // The sweep's command line, for the summary.
  uint64_t first_seed = 0;
  uint64_t last_seed = 0;
  int jobs = 1;
  double wall_s = 0;
  int worst = 0;
  // Every seed run, in the order of (canary, seed).
  std::vector<ReportSeed> seeds;
  // The canaries swept, in order (empty for a production sweep or one
  // without a canary).
  std::vector<std::string> canaries;
};

// Whether a seed's result counts as catching a canary: a safety or a
// liveness verdict (the stability checker reports liveness).
bool CaughtCanary(int code);

// The checker named by a run's "checker: NAME ..." line (what a failing
// seed prints); empty when there is none.
std::string CheckerOfOutput(const std::string& output);

// The name of an exit code's result: ok, safety, liveness, crash, hang.
std::string ResultName(int code);

// The report as one HTML document.
std::string RenderSweepReport(const SweepReport& report);

// Writes RenderSweepReport to dir/index.html (dir must exist). Errors name
// the file.
absl::Status WriteSweepReport(const std::string& dir,
                              const SweepReport& report);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_REPORT_H_
