// checkers/liveness.cc — see liveness.h.

#include "checkers/liveness.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {
namespace {

// The node leading the highest term among up nodes, or -1.
int CurrentLeader(const ClusterView& view) {
  Term max_term;
  for (const NodeView* node : view.nodes) {
    if (node->up() && node->term() > max_term) max_term = node->term();
  }
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const NodeView& node = *view.nodes[i];
    if (node.up() && node.role() == raft::Role::kLeader &&
        node.term() == max_term) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void Liveness::Heal(int64_t time_us) {
  healed_ = true;
  heal_us_ = time_us;
  first_leader_us_ = -1;
}

void Liveness::Observe(const ClusterView& view) {
  if (!healed_ || first_leader_us_ >= 0) return;
  if (CurrentLeader(view) >= 0) first_leader_us_ = view.time_us;
}

int64_t Liveness::leader_after_heal_us() const {
  return first_leader_us_ < 0 ? -1 : first_leader_us_ - heal_us_;
}

std::optional<Violation> Liveness::Finish(const ClusterView& view,
                                          int64_t pending_operations) const {
  const auto fail = [&](std::string description) {
    return Violation{std::string(kName), std::move(description), view.event,
                     view.time_us};
  };
  if (first_leader_us_ < 0 ||
      first_leader_us_ - heal_us_ > options_.leader_within_us) {
    return fail(absl::StrCat("no leader within ", options_.leader_within_us,
                             "us of the heal (first after ",
                             leader_after_heal_us(), "us)"));
  }
  const int leader = CurrentLeader(view);
  if (leader < 0) return fail("no leader at the end of the healed phase");
  if (pending_operations > 0) {
    return fail(absl::StrCat(pending_operations,
                             " client operations still pending"));
  }
  const NodeView& l = *view.nodes[leader];
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const NodeView& node = *view.nodes[i];
    if (!node.up() || node.commit_index() == l.commit_index()) continue;
    return fail(absl::StrCat("commit indexes differ: n", i + 1, " at ",
                             node.commit_index().Describe(), ", leader n",
                             leader + 1, " at ",
                             l.commit_index().Describe()));
  }
  return std::nullopt;
}

}  // namespace raftsim::checkers
