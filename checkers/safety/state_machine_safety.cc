// checkers/safety/state_machine_safety.cc — see state_machine_safety.h.

#include "checkers/safety/state_machine_safety.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

const StateMachineSafety::Applied* StateMachineSafety::AppliedAt(
    LogIndex index) const {
  if (index.value() >= applied_.size() || !applied_[index.value()].set) {
    return nullptr;
  }
  return &applied_[index.value()];
}

void StateMachineSafety::Observe(const ClusterView& view, const CheckerContext&,
                                 std::vector<Violation>* out) {
  if (nodes_.size() != view.nodes.size()) nodes_.resize(view.nodes.size());
  view.ForEachTouched([&](const int i) {
    const NodeView& node = *view.nodes[i];
    // Per-node state is reset lazily, at the next apply or restore.
    if (!node.up() || (node.applied().empty() && node.restores().empty())) {
      return;
    }
    ObserveNode(view, i, out);
  });
}

void StateMachineSafety::ObserveNode(const ClusterView& view, int n,
                                     std::vector<Violation>* out) {
  const NodeView& node = *view.nodes[n];
  PerNode& me = nodes_[n];
  if (me.incarnation != node.incarnation()) {
    // A restarted state machine starts over (from its snapshot, if any).
    me = PerNode{node.incarnation(), false, LogIndex(0)};
  }
  const std::string who = absl::StrCat("n", n + 1);
  // Applies and restores in the order they happened.
  const absl::Span<const AppliedEntry> applied = node.applied();
  const absl::Span<const SnapshotRestore> restores = node.restores();
  size_t next_restore = 0;
  for (size_t k = 0; k <= applied.size(); ++k) {
    while (next_restore < restores.size() &&
           restores[next_restore].applied_before <= k) {
      ObserveRestore(view, who, restores[next_restore++], &me, out);
    }
    if (k < applied.size()) ObserveApply(view, who, node, applied[k], &me, out);
  }
}

void StateMachineSafety::ObserveRestore(const ClusterView& view,
                                        const std::string& who,
                                        const SnapshotRestore& r, PerNode* me,
                                        std::vector<Violation>* out) {
  if (me->known && r.index < me->last_applied) {
    out->push_back(Make(
        view,
        absl::StrCat(who, " restored a snapshot at ", r.index.Describe(),
                     " after applying up to ", me->last_applied.Describe())));
  }
  const Applied* a = AppliedAt(r.index);
  if (a != nullptr && a->term != r.term) {
    out->push_back(Make(
        view, absl::StrCat(who, " restored a snapshot at ", r.index.Describe(),
                           "@", r.term.Describe(), " but ", r.index.Describe(),
                           "@", a->term.Describe(), " was applied there")));
  }
  me->known = true;
  me->last_applied = r.index;
}

void StateMachineSafety::ObserveApply(const ClusterView& view,
                                      const std::string& who,
                                      const NodeView& node,
                                      const AppliedEntry& e, PerNode* me,
                                      std::vector<Violation>* out) {
  if (me->known && e.index != me->last_applied + 1) {
    out->push_back(Make(
        view, absl::StrCat(who, " applied ", e.index.Describe(), " after ",
                           me->last_applied.Describe(), " (gap or repeat)")));
  }
  me->known = true;
  me->last_applied = e.index;
  if (e.index > node.commit_index()) {
    out->push_back(
        Make(view, absl::StrCat(who, " applied ", e.index.Describe(), "@",
                                e.term.Describe(), " beyond its commit index ",
                                node.commit_index().Describe())));
  }
  if (e.index.value() >= applied_.size()) {
    applied_.resize(std::max<size_t>(e.index.value() + 1, applied_.size() * 2));
  }
  Applied& slot = applied_[e.index.value()];
  if (!slot.set) {
    slot = Applied{e.term, e.digest, true};
  } else if (slot.term != e.term || slot.digest != e.digest) {
    out->push_back(
        Make(view, absl::StrCat(who, " applied ", e.index.Describe(), "@",
                                e.term.Describe(), " but a different entry ",
                                e.index.Describe(), "@", slot.term.Describe(),
                                " was applied there before")));
  }
}

}  // namespace raftsim::checkers
