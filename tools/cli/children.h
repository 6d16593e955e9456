// tools/cli/children.h — simulated runs in child processes: one fork per
// run, its output through a pipe, a wall-clock limit, at most N at a time.
// A run that crashes or hangs cannot take its caller down: it comes back
// as an outcome like any other (exit 4, or 6 for a hang with a line that
// says so). `raftsim sweep` and `raftsim explore` are built on this.
//
// Single-threaded (each child is single-threaded too).

#ifndef RAFTSIM_TOOLS_CLI_CHILDREN_H_
#define RAFTSIM_TOOLS_CLI_CHILDREN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/cli/cli_options.h"

namespace raftsim::tools {

// One run: a seed and what the run takes from the command line.
struct Job {
  uint64_t seed = 0;
  CommonOptions common;
  TraceRequest trace;  // Files the run writes about itself; none by default.
};

struct JobOutcome {
  int code = 0;        // The child's exit code (4 if killed by a signal).
  std::string output;  // What it printed, less its coverage line.
  // The run's coverage (sim/coverage.h); empty when it printed none.
  std::vector<uint64_t> coverage;
  uint64_t events = 0;  // events=E of its result line (0 if none).
  // What the environment did (its faults line; run_cmd.h), empty when it
  // printed none.
  std::vector<std::pair<std::string, uint64_t>> faults;
  absl::Duration wall;  // From fork to exit, wall clock.
};

// Runs the jobs `next` yields (nullopt: no more) in child processes, at
// most `parallel` at a time, each killed after `timeout` as a hang; calls
// `done` with the job's number (0, 1, ... in the order `next` yielded it)
// as each finishes, in any order, and `tick` after every wait.
// `command` names the caller in the children's messages ("sweep").
void RunJobs(absl::string_view command,
             const std::function<std::optional<Job>()>& next, int parallel,
             absl::Duration timeout,
             const std::function<void(uint64_t number, const Job& job,
                                      JobOutcome outcome)>& done,
             const std::function<void()>& tick);

// The worse of two exit codes, by priority crash (4) > safety (1) > hang
// (6) > liveness (3) > usage (2) > ok (0).
int WorseExit(int a, int b);

// --jobs: 0 means one per core. Nullopt for a negative value.
std::optional<int> ParallelismOf(int jobs);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_CHILDREN_H_
