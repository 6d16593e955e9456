// checkers/linearizability/unique_register.h — an exact O(n log n) decision
// for one key's put/get history whose written values are unique (internal).
//
// When every put on a key writes a value no other put (and not the initial
// "") writes, a read names its writer, and a linearization is a sequence of
// blocks: a write followed by the reads of its value (the initial value is
// a virtual write before everything). Writing f(C) for the earliest return
// and s(C) for the latest call among a block C's operations, C must come
// before D iff f(C) < s(D). The history is linearizable iff
//   (1) every read names a writer (or reads "" ),
//   (2) no read returns before its writer is called, and
//   (3) no two blocks C != D have f(C) < s(D) and f(D) < s(C)
// — a cycle in the block order always contains such a pair (the block of
// least f and its predecessor), so (3) is acyclicity. This is the cluster
// argument of Gibbons & Korach (1997) for registers with unique writes; the
// proof is in docs/linearizability.md.
//
// Unknown outcomes: an unknown get is dropped (its output is not checked);
// an unknown put whose value no get reads is dropped (removing it from any
// linearization leaves every read legal); one whose value is read must take
// effect and is a put that never returns.
//
// Anything outside the class (append, cas, a repeated or "" put value)
// returns nullopt and the caller falls back to the exact search.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "checkers/linearizability/history.h"

namespace raftsim::checkers::internal {

struct UniqueRegisterResult {
  bool linearizable = true;
  // Not linearizable: indices into `ops` of a small sub-history that is
  // itself not linearizable (at most six operations: two blocks' writers,
  // and the reads that fix their order both ways), sorted ascending.
  std::vector<size_t> witness;
  // Operations examined (one step each, plus the sort): the work counter.
  int64_t steps = 0;
};

// REQUIRES: every op is valid (ValidateOperation) and all share one key.
std::optional<UniqueRegisterResult> CheckUniqueRegister(
    const std::vector<const Operation*>& ops);

}  // namespace raftsim::checkers::internal

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_
