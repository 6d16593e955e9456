// sim/exit_codes.h — the exit codes of a simulated run (docs/simulation.md),
// shared by the simulator and the command line's reports. A header of its
// own so that code reading results need not link the simulator.

#ifndef RAFTSIM_SIM_EXIT_CODES_H_
#define RAFTSIM_SIM_EXIT_CODES_H_

namespace raftsim::sim {

// 0 ok, 1 safety, 2 usage or input error, 3 liveness, 4 a CHECK failed
// inside a simulated node, 5 a scenario's unmet expectation, 6 a hang.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSafety = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitLiveness = 3;
inline constexpr int kExitCrash = 4;
inline constexpr int kExitHang = 6;  // 5 is a scenario's unmet expectation.

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_EXIT_CODES_H_
