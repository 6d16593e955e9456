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
  // The bootstrap entry (i1 over an empty base membership;
  // docs/membership.md, "Initialisation") is committed by agreement, not
  // by replication: every node of the initial cluster writes the same
  // entry and marks it committed before it is durable anywhere. No node
  // votes before it holds it, so no leader can overwrite it; every later
  // commit point holds it by Log Matching.
  if (point->index == LogIndex(1) &&
      context.configurations().base().conf.voters.empty()) {
    return;
  }
  const ConfPoint& conf = context.configurations().highest_commit_conf();
  const auto holds = [&](const NodeId id) {
    return id.value() >= 1 && id.value() <= view.nodes.size() &&
           DurablyHolds(view.node(id), point->index, point->entry_term);
  };
  const std::string entry =
      absl::StrCat("committed entry ", point->index.Describe(), "@",
                   point->entry_term.Describe(), " (reported by n",
                   point->reporter + 1, ") is durable on only ");
  const char* when = context.commit_advanced() ? " when committed" : "";
  if (IsEveryNode(conf.conf, view.nodes.size())) {
    int holders = 0;
    for (const NodeView* node : view.nodes) {
      if (DurablyHolds(*node, point->index, point->entry_term)) ++holders;
    }
    if (holders >= view.quorum()) return;
    out->push_back(Make(view, absl::StrCat(entry, holders, " of ",
                                           view.nodes.size(), " nodes", when)));
    return;
  }
  // The quorum the commit was counted in: the configuration in force on
  // the node that committed it (both halves when joint; learners never
  // count).
  if (IsQuorum(conf.conf, holds)) return;
  std::string counts = DescribeCount(conf.conf.voters, holds);
  if (!conf.conf.voters_outgoing.empty()) {
    absl::StrAppend(&counts, " and ",
                    DescribeCount(conf.conf.voters_outgoing, holds));
  }
  out->push_back(
      Make(view,
           absl::StrCat(entry, counts, ", no quorum of the configuration ",
                        DescribeConf(conf.conf), " (set by ",
                        conf.index.Describe(), ") it was committed in", when)));
}

}  // namespace raftsim::checkers
