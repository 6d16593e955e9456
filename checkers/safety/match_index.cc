// checkers/safety/match_index.cc — see match_index.h.

#include "checkers/safety/match_index.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {
namespace {

// Empty when leader `l` (node index) is right about follower `f`, else what
// is wrong.
std::optional<std::string> CheckPair(const ClusterView& view, int l, int f) {
  const NodeView& leader = *view.nodes[l];
  const NodeView& follower = *view.nodes[f];
  if (!follower.up() || follower.term() > leader.term()) return std::nullopt;
  const std::optional<LogIndex> match =
      leader.MatchIndexOf(NodeId(static_cast<uint64_t>(f) + 1));
  if (!match.has_value() || *match == LogIndex(0)) return std::nullopt;
  const LogIndex m = *match;
  // Compacted by the leader: nothing left to compare with.
  if (m <= leader.log_base_index() || m > leader.log_last_index()) {
    return std::nullopt;
  }
  const Term want = leader.LogTermAt(m);
  const std::string head =
      absl::StrCat("n", l + 1, " (leader of ", leader.term().Describe(),
                   ") records match ", m.Describe(), "@", want.Describe(),
                   " for n", f + 1, ", but n", f + 1, " ");
  if (m <= follower.log_base_index()) return std::nullopt;  // Snapshot.
  if (m > follower.log_last_index()) {
    return absl::StrCat(head, "has entries only up to ",
                        follower.log_last_index().Describe());
  }
  const Term have = follower.LogTermAt(m);
  if (have != want) {
    return absl::StrCat(head, "holds ", m.Describe(), "@", have.Describe());
  }
  if (follower.LogDigestAt(m) != leader.LogDigestAt(m)) {
    return absl::StrCat(head, "holds other content at ", m.Describe(), "@",
                        have.Describe());
  }
  return std::nullopt;
}

}  // namespace

void MatchIndex::Observe(const ClusterView& view, const CheckerContext&,
                         std::vector<Violation>* out) {
  const int n = static_cast<int>(view.nodes.size());
  const auto leads = [&](int i) {
    return view.nodes[i]->up() && view.nodes[i]->role() == raft::Role::kLeader;
  };
  // A pair changes only when its leader or its follower ran: check every
  // touched node as a leader and as a follower. One report per event.
  std::optional<std::string> bad;
  view.ForEachTouched([&](const int t) {
    if (bad.has_value() || !view.nodes[t]->up()) return;
    for (int o = 0; o < n && !bad.has_value(); ++o) {
      if (o == t) continue;
      if (leads(t)) bad = CheckPair(view, t, o);
      if (!bad.has_value() && leads(o)) bad = CheckPair(view, o, t);
    }
  });
  if (bad.has_value()) out->push_back(Make(view, std::move(*bad)));
}

}  // namespace raftsim::checkers
