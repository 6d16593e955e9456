// checkers/durability.cc — see durability.h.

#include "checkers/durability.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

int Durability::DurableHolders(const ClusterView& view, LogIndex index,
                               Term term) const {
  int holders = 0;
  for (const NodeView* node : view.nodes) {
    if (DurablyHolds(*node, index, term)) ++holders;
  }
  return holders;
}

void Durability::Observe(const ClusterView& view, const CheckerContext&,
                         std::vector<Violation>* out) {
  for (const SentMessage& m : view.sent) CheckSent(view, m, out);
  view.ForEachTouched([&](const int i) {
    const NodeView& node = *view.nodes[i];
    if (!node.up()) return;
    for (const AppliedEntry& e : node.applied()) {
      applied_at_[e.digest] = {e.index, e.term};
      if (e.index.value() < acked_.size() && acked_[e.index.value()] != 0 &&
          acked_[e.index.value()] != e.digest) {
        out->push_back(Make(
            view, absl::StrCat("n", i + 1, " applied a different entry at ",
                               e.index.Describe(),
                               " than the acknowledged client write there")));
      }
    }
  });
  for (const AckedWrite& ack : view.acked_writes) CheckAck(view, ack, out);
  // Holders change only with durable state (or a new acknowledged write,
  // which CheckAck has just checked).
  if (max_acked_ != LogIndex(0) && view.durable_changed) {
    const int holders = DurableHolders(view, max_acked_, max_acked_term_);
    if (holders < view.quorum()) {
      out->push_back(Make(
          view, absl::StrCat("acknowledged write ", max_acked_.Describe(), "@",
                             max_acked_term_.Describe(),
                             " is durable on only ", holders, " of ",
                             view.nodes.size(), " nodes")));
    }
  }
}

void Durability::CheckSent(const ClusterView& view, const SentMessage& m,
                           std::vector<Violation>* out) const {
  if (m.reject) return;
  const NodeView& node = *view.nodes[m.from];
  const std::string who = absl::StrCat("n", m.from + 1);
  switch (m.type) {
    case raft::MessageType::kVoteReply: {
      const raft::HardState hs = node.durable_hard_state();
      if (hs.term > m.term || (hs.term == m.term && hs.voted_for == m.to)) {
        return;
      }
      out->push_back(Make(
          view, absl::StrCat(who, " granted its ", m.term.Describe(),
                             " vote to ", m.to.Describe(),
                             " before it was durable (durable ",
                             hs.Describe(), ")")));
      return;
    }
    case raft::MessageType::kAppendReply: {
      if (m.index == LogIndex(0) || !node.up()) return;
      if (m.index <= node.log_base_index()) {
        // Compacted in memory (e.g. a snapshot restored since the ack was
        // queued behind an earlier write): the term is gone, so any durable
        // copy of the index counts.
        if (m.index <= node.durable_snapshot_index() ||
            node.DurableTermAt(m.index).has_value()) {
          return;
        }
      } else if (m.index <= node.log_last_index()) {
        if (DurablyHolds(node, m.index, node.LogTermAt(m.index))) return;
      } else {
        return;  // Truncated since; nothing left to compare.
      }
      out->push_back(Make(
          view, absl::StrCat(who, " acknowledged entries up to ",
                             m.index.Describe(), " to ", m.to.Describe(),
                             " before they were durable (durable last ",
                             node.durable_last_index().Describe(), ")")));
      return;
    }
    case raft::MessageType::kSnapshotReply: {
      if (m.index <= node.durable_snapshot_index() ||
          node.DurableTermAt(m.index).has_value()) {
        return;
      }
      out->push_back(Make(
          view, absl::StrCat(who, " acknowledged a snapshot at ",
                             m.index.Describe(), " before it was durable")));
      return;
    }
    default:
      return;
  }
}

void Durability::CheckAck(const ClusterView& view, const AckedWrite& ack,
                          std::vector<Violation>* out) {
  const std::string what =
      absl::StrCat("client ", ack.client, " request ", ack.request);
  const auto it = applied_at_.find(ack.digest);
  if (it == applied_at_.end()) {
    out->push_back(Make(
        view, absl::StrCat(what, " was acknowledged but never applied")));
    return;
  }
  const auto [index, term] = it->second;
  const int holders = DurableHolders(view, index, term);
  if (holders < view.quorum()) {
    out->push_back(Make(
        view, absl::StrCat(what, " was acknowledged at ", index.Describe(),
                           "@", term.Describe(), " while durable on only ",
                           holders, " of ", view.nodes.size(), " nodes")));
  }
  if (index.value() >= acked_.size()) {
    acked_.resize(std::max<size_t>(index.value() + 1, acked_.size() * 2));
  }
  acked_[index.value()] = ack.digest;
  if (index > max_acked_) {
    max_acked_ = index;
    max_acked_term_ = term;
  }
}

}  // namespace raftsim::checkers
