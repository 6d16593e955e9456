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
  for (const SnapshotRestore& r : node.restores()) {
    if (me.known && r.index < me.last_applied) {
      out->push_back(Make(
          view,
          absl::StrCat(who, " restored a snapshot at ", r.index.Describe(),
                       " after applying up to ", me.last_applied.Describe())));
    }
    const Applied* a = AppliedAt(r.index);
    if (a != nullptr && a->term != r.term) {
      out->push_back(
          Make(view,
               absl::StrCat(who, " restored a snapshot at ", r.index.Describe(),
                            "@", r.term.Describe(), " but ", r.index.Describe(),
                            "@", a->term.Describe(), " was applied there")));
    }
    me.known = true;
    me.last_applied = r.index;
  }
  for (const AppliedEntry& e : node.applied()) {
    if (me.known && e.index != me.last_applied + 1) {
      out->push_back(Make(
          view, absl::StrCat(who, " applied ", e.index.Describe(), " after ",
                             me.last_applied.Describe(), " (gap or repeat)")));
    }
    me.known = true;
    me.last_applied = e.index;
    if (e.index > node.commit_index()) {
      out->push_back(Make(
          view, absl::StrCat(who, " applied ", e.index.Describe(), "@",
                             e.term.Describe(), " beyond its commit index ",
                             node.commit_index().Describe())));
    }
    if (e.index.value() >= applied_.size()) {
      applied_.resize(
          std::max<size_t>(e.index.value() + 1, applied_.size() * 2));
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
}

}  // namespace raftsim::checkers
