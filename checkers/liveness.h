// checkers/liveness.h — Liveness after heal: once every fault is healed,
// the cluster elects a leader within a bound, completes every pending
// client operation and converges its commit indexes (Raft §5.2, §9.3:
// with a stable network and timeouts well above broadcast time, a leader
// is elected and makes progress; thesis §6.3 for clients).
//
// Evaluated at the end of the healed phase: Heal() marks its start,
// Observe() runs after every event (notes the first instant a node leads a
// term no up node has passed), Finish() decides.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LIVENESS_H_
#define RAFTSIM_CHECKERS_LIVENESS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "checkers/checker.h"

namespace raftsim::checkers {

struct LivenessOptions {
  // A leader must exist by heal time + this.
  int64_t leader_within_us = 2'000'000;
};

class Liveness {
 public:
  static constexpr std::string_view kName = "liveness";

  explicit Liveness(LivenessOptions options = {}) : options_(options) {}

  // The healed phase starts now.
  void Heal(int64_t time_us);
  // After every event (cheap; a no-op before Heal).
  void Observe(const ClusterView& view);
  // At the end of the healed phase, with the client operations still
  // unanswered. A violation if no leader came within the bound, an
  // operation is pending, no node leads now, or up nodes disagree on the
  // commit index.
  std::optional<Violation> Finish(const ClusterView& view,
                                  int64_t pending_operations) const;

  // Simulated time from heal to the first leader, or -1 if none yet.
  int64_t leader_after_heal_us() const;

 private:
  LivenessOptions options_;
  bool healed_ = false;
  int64_t heal_us_ = 0;
  int64_t first_leader_us_ = -1;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LIVENESS_H_
