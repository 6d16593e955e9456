// checkers/safety/leader_completeness.h — Leader Completeness: if a log entry
// is committed in a given term, that entry will be present in the logs of the
// leaders for all higher-numbered terms (Raft §5.4, Figure 3).
//
// After every event, each leader of term T must hold (same chain hash, so
// the same entry and prefix) the highest entry known committed in a term
// below T (CheckerContext::CommittedBefore; commit terms are
// over-approximated, which keeps the check sound). A leader whose log was
// compacted past that entry holds it in its snapshot. O(leaders × log
// commit points) per event.
//
// It also checks the commitment rule the property rests on (Raft §5.4.2,
// Figure 8): "only log entries from the leader's current term are
// committed by counting replicas". A leader's commit index, when it
// advances while the node stays leader of the same term, must land on an
// entry of that term (earlier entries are committed indirectly, with it).
// Breaking the rule does not always end in a lost entry — that takes the
// Figure 8 sequence of three leaders — but it always breaks the argument
// that makes Leader Completeness hold.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_LEADER_COMPLETENESS_H_
#define RAFTSIM_CHECKERS_SAFETY_LEADER_COMPLETENESS_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class LeaderCompleteness final : public Checker {
 public:
  static constexpr std::string_view kName = "leader_completeness";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  struct Previous {
    bool leader = false;
    uint64_t incarnation = 0;
    Term term;
    LogIndex commit;
  };
  void CheckCommitRule(const ClusterView& view, int n,
                       std::vector<Violation>* out);
  void CheckHoldsCommitted(const ClusterView& view,
                           const CheckerContext& context, int i,
                           std::vector<Violation>* out);
  std::vector<Previous> previous_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_LEADER_COMPLETENESS_H_
