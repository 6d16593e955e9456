// tools/cli/sweep.h — `raftsim sweep`: many seeds, one child process per seed
// (fork, a pipe for its output, poll, waitpid), so that a crashing seed
// cannot take the sweep down; --jobs of them at a time. Progress goes to
// stderr when it is a terminal; the failures (with their replay commands)
// and a one-line summary go to stdout, failures sorted by seed.
//
// A seed still running after --seed_timeout_ms of wall-clock time is
// killed and reported as result=hang (exit 6) with its replay command, and
// the sweep goes on. Exits with the worst code of its seeds, by priority
// crash (4) > safety (1) > hang (6) > liveness (3) > ok (0).
//
// Single-threaded (each child is single-threaded too).

#ifndef RAFTSIM_TOOLS_CLI_SWEEP_H_
#define RAFTSIM_TOOLS_CLI_SWEEP_H_

#include "tools/cli/cli_options.h"

namespace raftsim::tools {

// Sweeps sweep.seeds with sweep.jobs processes, every seed with `common`;
// returns the exit code.
int RunSweepCommand(const CommonOptions& common, const SweepOptions& sweep);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_SWEEP_H_
