// checkers/linearizability/linearizability.h — is a client history linearizable
// against the key-value model?
//
// Model: every key is a string register, initially "". get is legal when its
// output equals the value; put sets it; append concatenates; cas is legal
// when its boolean output equals (value == expected), and sets the value if
// it swapped. An operation whose outcome is unknown (return_ns == nullopt)
// may take effect at any instant after its call, or never; its output is not
// checked. A precedes B iff A.return_ns < B.call_ns (Herlihy & Wing 1990).
//
// Keys are independent (P-compositionality, Horn & Kroening 2015), so each
// key is checked on its own; the search per key is described in
// key_search.h and docs/linearizability.md. On a violation the failing
// key's sub-history is shrunk to a small witness a person can read.
//
// Deterministic: keys are visited in sorted order, no clock is read, and
// the search is bounded by a work budget (steps), never by time.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_LINEARIZABILITY_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_LINEARIZABILITY_H_

#include <cstdint>
#include <string>

#include "checkers/linearizability/history.h"

namespace raftsim::checkers {

struct LinearizabilityOptions {
  // Search work allowed per key before giving up with kUnknown.
  int64_t max_steps_per_key = 50'000'000;
  // Search work allowed for shrinking a violation's witness. When spent,
  // the witness is reported as it stands (still a genuine violation).
  int64_t max_shrink_steps = 20'000'000;
};

struct LinearizabilityResult {
  enum class Outcome {
    kLinearizable,
    kViolation,
    kUnknown,  // The search budget ran out on `key`: nothing was proven.
  };
  Outcome outcome = Outcome::kLinearizable;
  // kViolation / kUnknown: the key concerned.
  std::string key;
  // kViolation: an operation of the full history that no linearization of
  // the key's operations up to its return can include.
  Operation failed_op;
  // kViolation: a non-linearizable sub-history of `key`, sorted by call.
  History witness;
  // kViolation: true when dropping any single operation of `witness` makes
  // it linearizable (the shrink finished within its budget).
  bool witness_is_minimal = false;
  // kViolation: how many operations the key had in the full history.
  size_t key_operations = 0;
  // Search work spent deciding (excludes shrinking).
  int64_t steps = 0;

  bool linearizable() const { return outcome == Outcome::kLinearizable; }

  // A multi-line report: "linearizable", or the violation and the witness
  // as a timeline, one operation per line, or why nothing was decided.
  std::string Describe() const;
};

// REQUIRES: every operation passes ValidateOperation (files read with
// ParseHistoryJsonLines do).
LinearizabilityResult CheckLinearizability(
    const History& history, const LinearizabilityOptions& options = {});

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_LINEARIZABILITY_H_
