// checkers/safety/leader_completeness.cc — see leader_completeness.h.

#include "checkers/safety/leader_completeness.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void LeaderCompleteness::CheckCommitRule(const ClusterView& view, int n,
                                         std::vector<Violation>* out) {
  const NodeView& node = *view.nodes[n];
  Previous& prev = previous_[n];
  const bool leader = node.up() && node.role() == raft::Role::kLeader;
  if (leader && prev.leader && prev.incarnation == node.incarnation() &&
      prev.term == node.term() && node.commit_index() > prev.commit &&
      node.commit_index() > node.log_base_index() &&
      node.LogTermAt(node.commit_index()) != node.term()) {
    out->push_back(Make(
        view, absl::StrCat("leader n", n + 1, " of ", node.term().Describe(),
                           " committed ", node.commit_index().Describe(), "@",
                           node.LogTermAt(node.commit_index()).Describe(),
                           " by counting replicas (an entry of an earlier "
                           "term; Raft 5.4.2)")));
  }
  prev = Previous{leader, leader ? node.incarnation() : 0,
                  leader ? node.term() : Term(0),
                  leader ? node.commit_index() : LogIndex(0)};
}

void LeaderCompleteness::Observe(const ClusterView& view,
                                 const CheckerContext& context,
                                 std::vector<Violation>* out) {
  if (previous_.size() != view.nodes.size()) {
    previous_.resize(view.nodes.size());
  }
  // An untouched leader's log did not change; it needs checking again only
  // when the committed prefix grew.
  const bool all = context.commit_advanced();
  const auto check = [&](const int i) {
    CheckCommitRule(view, i, out);
    CheckHoldsCommitted(view, context, i, out);
  };
  if (all) {
    for (size_t i = 0; i < view.nodes.size(); ++i) check(static_cast<int>(i));
  } else {
    view.ForEachTouched(check);
  }
}

void LeaderCompleteness::CheckHoldsCommitted(const ClusterView& view,
                                             const CheckerContext& context,
                                             int i,
                                             std::vector<Violation>* out) {
  const NodeView& node = *view.nodes[i];
  if (!node.up() || node.role() != raft::Role::kLeader) return;
  const CommitPoint* point = context.CommittedBefore(node.term());
  if (point == nullptr || point->index <= node.log_base_index()) return;
  const int n = i;
  const std::optional<uint64_t> chain =
      context.chains().ChainAt(n, point->index);
  if (chain.has_value() && *chain == point->chain) return;
  out->push_back(Make(
      view,
      absl::StrCat("leader n", n + 1, " of ", node.term().Describe(),
                   chain.has_value() ? " holds a different entry at "
                                     : " lacks committed entry ",
                   point->index.Describe(), "@", point->entry_term.Describe(),
                   " (committed under ", point->commit_term.Describe(),
                   ", reported by n", point->reporter + 1, ")")));
}

}  // namespace raftsim::checkers
