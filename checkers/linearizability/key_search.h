// checkers/linearizability/key_search.h — linearizability of one key's history
// (internal).
//
// The engine behind linearizability.h, for the operations on a single key
// (P-compositionality lets the caller check keys independently). The
// algorithm is described in docs/linearizability.md; in short:
//
//  * Exact state abstraction: the register's value matters only through
//    comparisons with "observed" strings (get outputs, cas expected values).
//    A value that is not a prefix of any observed string can never again
//    equal one until it is overwritten, so all such values are one state,
//    kJunk. The others are nodes of a trie of observed strings: a state is
//    an int32, append is a trie walk.
//  * Just-in-time linearization swept over time events (Lowe; Knossos'
//    "linear" search): a frontier of configurations (state, linearized
//    pending ops, unknown-outcome ops used) advanced at each return.
//    Observers (a get that reads the state, a failing cas) are linearized
//    eagerly: doing so dominates waiting.
//  * Unknown-outcome ops are never "pending": once called they sit in a pool
//    and are only spent, in chains, immediately before a completed op whose
//    legality or result they change. Ops with identical effect on the
//    abstract states are one class; configurations that spent a superset of
//    another's unknown ops (same state, same linearized set) are dropped.
//  * Liveness: a state matters only while some operation that has not
//    returned yet can compare the register with a string it extends to by
//    appends. Once none can, it becomes kJunk, and unknown ops whose effect
//    was to produce it merge into the class of puts of kJunk, so spent
//    unknown ops are forgotten as the sweep moves on.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_KEY_SEARCH_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_KEY_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "checkers/linearizability/history.h"

namespace raftsim::checkers::internal {

struct KeySearchResult {
  enum class Outcome { kLinearizable, kViolation, kBudgetExhausted };
  Outcome outcome = Outcome::kLinearizable;
  // kViolation: index into `ops` of a completed operation that no
  // configuration could linearize before it returned.
  size_t failed_op = 0;
  // Search work done (configurations and unknown-op chain steps explored).
  int64_t steps = 0;
  // Frontier configurations that liveness rewrote: a state no operation
  // left can tell from kJunk became kJunk, or spent unknown ops merged into
  // a coarser class (for tests: the rule was exercised).
  int64_t liveness_rewrites = 0;
};

// REQUIRES: every op is valid (ValidateOperation) and all share one key.
// Stops with kBudgetExhausted once more than `max_steps` steps were spent.
KeySearchResult CheckKey(const std::vector<const Operation*>& ops,
                         int64_t max_steps);

}  // namespace raftsim::checkers::internal

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_KEY_SEARCH_H_
