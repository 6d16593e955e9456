// checkers/safety/committed_stays_committed.h — an entry once committed is
// durable on a quorum from that moment on (Raft §5.3: "a log entry is
// committed once the leader that created the entry has replicated it on a
// majority of the servers"; §5.4 relies on that majority surviving — the
// disks are what survives a crash).
//
// After every event, the highest committed entry known
// (CheckerContext::highest_commit) must be held durably (durable log, or
// covered by a durable snapshot) by a quorum of nodes, up or down: a
// majority of the configuration the commit was counted in — the one in
// force on the node that first reported it, when it did (thesis §4.1: a
// leader uses the latest configuration in its log; §4.3: a majority of
// each half of a joint configuration; learners never count). With the
// static membership that is a majority of every node. Durable
// logs are past versions of in-memory logs, which Log Matching constrains,
// so holding the highest committed entry means holding every committed
// entry before it. O(nodes) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_COMMITTED_STAYS_COMMITTED_H_
#define RAFTSIM_CHECKERS_SAFETY_COMMITTED_STAYS_COMMITTED_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class CommittedStaysCommitted final : public Checker {
 public:
  static constexpr std::string_view kName = "committed_stays_committed";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_COMMITTED_STAYS_COMMITTED_H_
