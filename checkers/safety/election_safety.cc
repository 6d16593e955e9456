// checkers/safety/election_safety.cc — see election_safety.h.

#include "checkers/safety/election_safety.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void ElectionSafety::Observe(const ClusterView& view,
                             const CheckerContext& context,
                             std::vector<Violation>* out) {
  // Grants first (a leader is judged by every grant seen up to its event);
  // their violations are reported after the leaders'.
  std::vector<Violation> twice;
  for (const SentMessage& m : view.sent) {
    if (m.type != raft::MessageType::kVoteReply || m.reject) continue;
    const auto [it, inserted] =
        votes_.try_emplace(std::pair{m.from, m.term.value()}, m.to);
    if (inserted || it->second == m.to) continue;
    twice.push_back(Make(
        view,
        absl::StrCat(m.from.Describe(), " voted for ", it->second.Describe(),
                     " and ", m.to.Describe(), " in ", m.term.Describe())));
  }
  // A node's role and term change only in events that touch it.
  view.ForEachTouched([&](const int n) {
    const NodeView& node = *view.nodes[n];
    if (!node.up() || node.role() != raft::Role::kLeader) return;
    const auto [it, inserted] = leaders_.try_emplace(node.term().value(), n);
    if (inserted) {
      CheckVotes(view, context, n, out);
      return;
    }
    if (it->second == n) return;
    out->push_back(
        Make(view, absl::StrCat("n", it->second + 1, " and n", n + 1,
                                " both lead ", node.term().Describe())));
  });
  out->insert(out->end(), twice.begin(), twice.end());
}

void ElectionSafety::CheckVotes(const ClusterView& view,
                                const CheckerContext& context, int n,
                                std::vector<Violation>* out) const {
  const NodeView& node = *view.nodes[n];
  const NodeId leader(static_cast<uint64_t>(n) + 1);
  const uint64_t term = node.term().value();
  // Its configuration in force when it won: the latest in its log.
  const ConfPoint& conf = context.configurations().InForce(n);
  // The static membership: judged as before membership changes existed
  // (by one leader per term and one vote per voter and term).
  if (conf.index == LogIndex(0) && IsEveryNode(conf.conf, view.nodes.size())) {
    return;
  }
  const auto granted = [&](const NodeId id) {
    if (id == leader) return true;  // A candidate votes for itself.
    const auto it = votes_.find(std::pair{id, term});
    return it != votes_.end() && it->second == leader;
  };
  if (IsQuorum(conf.conf, granted)) return;
  std::string counts = DescribeCount(conf.conf.voters, granted);
  if (!conf.conf.voters_outgoing.empty()) {
    absl::StrAppend(&counts, " and ",
                    DescribeCount(conf.conf.voters_outgoing, granted));
  }
  out->push_back(Make(
      view, absl::StrCat(leader.Describe(), " leads ", node.term().Describe(),
                         " with votes (its own included) from only ", counts,
                         ", no quorum of its configuration ",
                         DescribeConf(conf.conf), " (set by ",
                         conf.index == LogIndex(0)
                             ? std::string("the base membership")
                             : conf.index.Describe(),
                         ")")));
}

}  // namespace raftsim::checkers
