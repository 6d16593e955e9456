// checkers/safety/context.cc — see context.h.

#include "checkers/safety/context.h"

#include <algorithm>

namespace raftsim::checkers {

void CheckerContext::Update(const ClusterView& view) {
  mismatches_.clear();
  chains_.Update(view, &mismatches_);
  commit_advanced_ = false;
  view.ForEachTouched([&](const int n) {
    const NodeView& node = *view.nodes[n];
    if (!node.up()) return;
    const LogIndex commit = node.commit_index();
    if (commit == LogIndex(0)) return;
    if (!commits_.empty() && commit <= commits_.back().index) return;
    const std::optional<uint64_t> chain = chains_.ChainAt(n, commit);
    // A commit index always lies within the node's log (base <= commit <=
    // last), so the chain is known; skip defensively if not.
    if (!chain.has_value()) return;
    const Term entry_term = commit == node.log_base_index()
                                ? node.log_base_term()
                                : node.LogTermAt(commit);
    const CommitPoint point{commit, entry_term, *chain, node.term(), n};
    // Keep commit terms non-decreasing: a point reported under a lower term
    // than an earlier one inherits the earlier (higher, still sound) term.
    CommitPoint p = point;
    if (!commits_.empty() && p.commit_term < commits_.back().commit_term) {
      p.commit_term = commits_.back().commit_term;
    }
    if (!commits_.empty() && commits_.back().commit_term == p.commit_term) {
      commits_.back() = p;
    } else {
      commits_.push_back(p);
    }
    commit_advanced_ = true;
  });
  configurations_.Update(view, highest_commit(), commit_advanced_);
}

const CommitPoint* CheckerContext::CommittedBefore(Term term) const {
  // First point with commit_term >= term; the one before it qualifies.
  const auto it = std::lower_bound(
      commits_.begin(), commits_.end(), term,
      [](const CommitPoint& p, Term t) { return p.commit_term < t; });
  if (it == commits_.begin()) return nullptr;
  return &*std::prev(it);
}

}  // namespace raftsim::checkers
