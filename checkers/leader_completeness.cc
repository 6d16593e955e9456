// checkers/leader_completeness.cc — see leader_completeness.h.

#include "checkers/leader_completeness.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void LeaderCompleteness::Observe(const ClusterView& view,
                                 const CheckerContext& context,
                                 std::vector<Violation>* out) {
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const NodeView& node = *view.nodes[i];
    if (!node.up() || node.role() != raft::Role::kLeader) continue;
    const CommitPoint* point = context.CommittedBefore(node.term());
    if (point == nullptr || point->index <= node.log_base_index()) continue;
    const int n = static_cast<int>(i);
    const std::optional<uint64_t> chain =
        context.chains().ChainAt(n, point->index);
    if (chain.has_value() && *chain == point->chain) continue;
    out->push_back(Make(
        view,
        absl::StrCat("leader n", n + 1, " of ", node.term().Describe(),
                     chain.has_value() ? " holds a different entry at "
                                       : " lacks committed entry ",
                     point->index.Describe(), "@",
                     point->entry_term.Describe(), " (committed under ",
                     point->commit_term.Describe(), ", reported by n",
                     point->reporter + 1, ")")));
  }
}

}  // namespace raftsim::checkers
