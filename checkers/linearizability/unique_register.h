// checkers/linearizability/unique_register.h — an exact O(n log n) decision
// for one key's put/get/cas history whose written values are unique
// (internal).
//
// The class: no append; every value a put or a cas that may swap writes is
// written by no other operation, and is not the initial "". Then a read (a
// get's output, or the expected value of a cas that swaps) names its
// writer, and a linearization is a sequence of *chains*: a put (or the
// initial value, a virtual write before everything) followed by the reads
// of its value, then the cas that swaps that value away (at most one can),
// the reads of the cas's value, the next cas, and so on. A chain's
// operations are contiguous in every linearization and ordered group by
// group: [writer] [gets of v1] [cas v1->v2] [gets of v2] ... Writing f(X)
// for the earliest return and s(X) for the latest call among a set X of
// operations, the history is linearizable iff
//   (1) every value read has a writer that can write it,
//   (2) no two swapping cas expect the same value and no swapping cas is
//       on a cycle (cas a->b, cas b->a, with no put of a or b),
//   (3) inside a chain, no later group h and earlier group g have
//       f(h) < s(g), and
//   (4) no two chains X != Y have f(X) < s(Y) and f(Y) < s(X)
// — with a cas that returned false set aside: it is legal wherever the
// value differs from its expected value. The proof is in
// docs/linearizability.md ("Unique-value registers").
//
// Unknown outcomes: an unknown get is dropped; an unknown put or cas whose
// value is read must have taken effect (and the cas swapped), and is a
// write that never returns; one whose value nobody reads is dropped
// (a valid choice for a linearization: it may never have taken effect).
//
// Conditions (1)-(4) concern only operations present in every
// linearization, so a violation of any of them is a genuine violation and
// is reported with a small witness. Otherwise the chains are put in an
// order the real-time relation allows, each cas that returned false is
// inserted at the earliest position real time and the register allow, and
// the whole sequence is checked by IsLinearization before the history is
// accepted. If no position is found (a cas that returned false may need
// an unknown write to move the value away from its expected value, or a
// different order of the chains), or the check fails, the answer is
// nullopt and the caller falls back to the exact search.
//
// Anything outside the class (append, a repeated or "" written value)
// returns nullopt as well.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "checkers/linearizability/history.h"

namespace raftsim::checkers::internal {

struct UniqueRegisterResult {
  bool linearizable = true;
  // Linearizable: a linearization (indices into `ops`), which
  // IsLinearization accepted. Not linearizable: empty.
  std::vector<size_t> linearization;
  // Not linearizable: indices into `ops` of a small sub-history that is
  // itself not linearizable (the operations that break one of the
  // conditions, plus the writers and swapping cas their reads depend on),
  // sorted ascending.
  std::vector<size_t> witness;
  // Operations examined (one step each, a few passes): the work counter.
  int64_t steps = 0;
};

// REQUIRES: every op is valid (ValidateOperation) and all share one key.
std::optional<UniqueRegisterResult> CheckUniqueRegister(
    const std::vector<const Operation*>& ops);

// Whether `order` (indices into `ops`) is a linearization of `ops`: it lists
// every completed operation exactly once and any unknown-outcome operation
// at most once; replayed from "", every completed get reads the value and
// every completed cas returns whether the value equalled its expected
// value; and no operation comes after one that was called after it
// returned. O(n) in the size of the values compared.
// REQUIRES: every op is valid (ValidateOperation) and all share one key.
bool IsLinearization(const std::vector<const Operation*>& ops,
                     const std::vector<size_t>& order);

}  // namespace raftsim::checkers::internal

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_UNIQUE_REGISTER_H_
