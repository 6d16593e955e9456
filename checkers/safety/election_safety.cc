// checkers/safety/election_safety.cc — see election_safety.h.

#include "checkers/safety/election_safety.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void ElectionSafety::Observe(const ClusterView& view, const CheckerContext&,
                             std::vector<Violation>* out) {
  // A node's role and term change only in events that touch it.
  view.ForEachTouched([&](const int n) {
    const NodeView& node = *view.nodes[n];
    if (!node.up() || node.role() != raft::Role::kLeader) return;
    const auto [it, inserted] = leaders_.try_emplace(node.term().value(), n);
    if (inserted || it->second == n) return;
    out->push_back(
        Make(view, absl::StrCat("n", it->second + 1, " and n", n + 1,
                                " both lead ", node.term().Describe())));
  });
  for (const SentMessage& m : view.sent) {
    if (m.type != raft::MessageType::kVoteReply || m.reject) continue;
    const auto [it, inserted] =
        votes_.try_emplace(std::pair{m.from, m.term.value()}, m.to);
    if (inserted || it->second == m.to) continue;
    out->push_back(Make(
        view,
        absl::StrCat(m.from.Describe(), " voted for ", it->second.Describe(),
                     " and ", m.to.Describe(), " in ", m.term.Describe())));
  }
}

}  // namespace raftsim::checkers
