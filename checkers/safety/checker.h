// checkers/safety/checker.h — the interface of an incremental safety checker,
// and what it reports.
//
// A Checker observes the cluster after every simulator event (Observe) and
// reports each violated property as a Violation naming itself, what it saw
// (node, term, index) and the event (trace position) at which it saw it.
// Checkers keep what they need between events; they must be cheap: O(what
// changed in the event), never O(log length) per event.
//
// Shared derived state (per-entry chain hashes, the committed prefix) is
// computed once per event by CheckerContext (checkers/safety/context.h) before
// any checker runs.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_CHECKER_H_
#define RAFTSIM_CHECKERS_SAFETY_CHECKER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/safety/observation.h"

namespace raftsim::checkers {

struct Violation {
  std::string checker;      // e.g. "election_safety".
  std::string description;  // One line, names node / term / index.
  uint64_t event = 0;       // Trace position of the event.
  int64_t time_us = 0;      // Simulated time of the event.

  // "election_safety at event 1234 (t=5.000123s): n1 and n3 both lead t4"
  std::string Describe() const;
};

class CheckerContext;

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::string_view name() const = 0;
  // Called after every event, in event order, after `context` has been
  // updated from `view`. Appends violations to `out`.
  virtual void Observe(const ClusterView& view, const CheckerContext& context,
                       std::vector<Violation>* out) = 0;

 protected:
  // A violation of this checker at `view`'s event.
  Violation Make(const ClusterView& view, std::string description) const;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_CHECKER_H_
