// checkers/safety/safety_checkers.h — every incremental safety checker, run
// after every simulator event in a fixed order.
//
// Order (a violation is classified by the first checker that reports it in
// the event): election_safety, log_matching, configuration_chain,
// leader_completeness,
// state_machine_safety, durability, committed_stays_committed, match_index,
// read_leadership, lease_promise. The shared CheckerContext is updated
// first.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_SAFETY_CHECKERS_H_
#define RAFTSIM_CHECKERS_SAFETY_SAFETY_CHECKERS_H_

#include <memory>
#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class SafetyCheckers {
 public:
  SafetyCheckers();

  // Observes one event; returns the violations it revealed (usually none),
  // in checker order. The returned reference is valid until the next call.
  const std::vector<Violation>& Observe(const ClusterView& view);

  const CheckerContext& context() const { return context_; }
  // Checker names, in order.
  std::vector<std::string_view> names() const;

 private:
  CheckerContext context_;
  std::vector<std::unique_ptr<Checker>> checkers_;
  std::vector<Violation> violations_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_SAFETY_CHECKERS_H_
