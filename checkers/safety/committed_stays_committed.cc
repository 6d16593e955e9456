// checkers/safety/committed_stays_committed.cc — see
// committed_stays_committed.h.

#include "checkers/safety/committed_stays_committed.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void CommittedStaysCommitted::Observe(const ClusterView& view,
                                      const CheckerContext& context,
                                      std::vector<Violation>* out) {
  const CommitPoint* point = context.highest_commit();
  if (point == nullptr) return;
  // Holders change only with durable state or the point itself.
  if (!view.durable_changed && !context.commit_advanced()) return;
  int holders = 0;
  for (const NodeView* node : view.nodes) {
    if (DurablyHolds(*node, point->index, point->entry_term)) ++holders;
  }
  if (holders >= view.quorum()) return;
  out->push_back(Make(
      view, absl::StrCat("committed entry ", point->index.Describe(), "@",
                         point->entry_term.Describe(), " (reported by n",
                         point->reporter + 1, ") is durable on only ", holders,
                         " of ", view.nodes.size(), " nodes",
                         context.commit_advanced() ? " when committed" : "")));
}

}  // namespace raftsim::checkers
