// checkers/safety/match_from_acks.cc — see match_from_acks.h.

#include "checkers/safety/match_from_acks.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void MatchFromAcks::Observe(const ClusterView& view, const CheckerContext&,
                            std::vector<Violation>* out) {
  const size_t n = view.nodes.size();
  if (nodes_ != n) {
    nodes_ = n;
    acked_.assign(n * n, Acked{});
  }
  for (const SentMessage& m : view.delivered) {
    if (m.reject || (m.type != raft::MessageType::kAppendReply &&
                     m.type != raft::MessageType::kSnapshotReply)) {
      continue;
    }
    const uint64_t l = m.to.value() - 1;
    const uint64_t f = m.from.value() - 1;
    if (l >= n || f >= n) continue;
    Acked& a = acked_[l * n + f];
    if (m.term > a.term) {
      a = {m.term, m.index};
    } else if (m.term == a.term && m.index > a.index) {
      a.index = m.index;
    }
  }
  bool reported = false;  // One report per event.
  view.ForEachTouched([&](const int t) {
    if (reported) return;
    const NodeView& leader = *view.nodes[t];
    if (!leader.up() || leader.role() != raft::Role::kLeader) return;
    for (size_t f = 0; f < n; ++f) {
      if (f == static_cast<size_t>(t)) continue;
      const std::optional<LogIndex> match =
          leader.MatchIndexOf(NodeId(static_cast<uint64_t>(f) + 1));
      if (!match.has_value() || *match == LogIndex(0)) continue;
      const Acked& a = acked_[static_cast<size_t>(t) * n + f];
      const LogIndex bound = a.term == leader.term() ? a.index : LogIndex(0);
      if (*match <= bound) continue;
      out->push_back(Make(
          view,
          absl::StrCat(
              "n", t + 1, " (leader of ", leader.term().Describe(),
              ") records match ", match->Describe(), " for n", f + 1, ", but n",
              f + 1, " acknowledged ",
              bound == LogIndex(0)
                  ? std::string("nothing")
                  : absl::StrCat("only up to ", bound.Describe()),
              " to it in ", leader.term().Describe(),
              a.term < leader.term() && a.index != LogIndex(0)
                  ? absl::StrCat(" (the last it acknowledged to it was up to ",
                                 a.index.Describe(), " in ", a.term.Describe(),
                                 ")")
                  : std::string())));
      reported = true;
      return;
    }
  });
}

}  // namespace raftsim::checkers
