// checkers/linearizability/brute_force.h — the obviously-correct
// linearizability checker that the fast one is tested against (test only).
//
// Tries every subset of the unknown-outcome operations and every order of
// the chosen operations, keeping orders that respect real time (A before B
// whenever A.return < B.call), and replays each against the string-register
// model with real strings. Exponential: for tiny histories only.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_

#include "checkers/linearizability/history.h"

namespace raftsim::checkers {

// REQUIRES: history.size() <= 9 and every op passes ValidateOperation.
bool BruteForceLinearizable(const History& history);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_
