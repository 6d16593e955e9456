// tools/sweep.h — `raftsim sweep`: many seeds, one child process per seed
// (fork, a pipe for its output, poll, waitpid), so that a crashing seed
// cannot take the sweep down; --jobs of them at a time. Progress goes to
// stderr when it is a terminal; the failures (with their replay commands)
// and a one-line summary go to stdout, failures sorted by seed.
//
// Exits with the worst code of its seeds, by priority crash (4) > safety
// (1) > liveness (3) > ok (0).
//
// Single-threaded (each child is single-threaded too).

#ifndef RAFTSIM_TOOLS_SWEEP_H_
#define RAFTSIM_TOOLS_SWEEP_H_

namespace raftsim::tools {

// Sweeps --seeds with --jobs processes; returns the exit code.
int RunSweepCommand();

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_SWEEP_H_
