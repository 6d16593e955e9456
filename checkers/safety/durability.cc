// checkers/safety/durability.cc — see durability.h.

#include "checkers/safety/durability.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::raft::ConfState;

// What `node`'s disk holds at `index`, e.g. "i117@t1, last i117@t1",
// "nothing at i117, last i116@t1" or "i117 in snapshot i120@t2".
std::string DescribeDurableAt(const NodeView& node, LogIndex index) {
  const LogIndex last = node.durable_last_index();
  const std::optional<Term> last_term = node.DurableTermAt(last);
  const std::string last_text = absl::StrCat(
      "last ", last.Describe(), "@",
      last_term.has_value() ? last_term->Describe() : std::string("?"));
  if (index <= node.durable_snapshot_index()) {
    return absl::StrCat(index.Describe(), " in snapshot ",
                        node.durable_snapshot_index().Describe(), "@",
                        node.durable_snapshot_term().Describe());
  }
  const std::optional<Term> t = node.DurableTermAt(index);
  if (!t.has_value()) {
    return absl::StrCat("nothing at ", index.Describe(), ", ", last_text);
  }
  return absl::StrCat(index.Describe(), "@", t->Describe(), ", ", last_text);
}

}  // namespace

int Durability::DurableHolders(const ClusterView& view, LogIndex index,
                               Term term) const {
  int holders = 0;
  for (const NodeView* node : view.nodes) {
    if (DurablyHolds(*node, index, term)) ++holders;
  }
  return holders;
}

std::optional<std::string> Durability::ShortOfQuorum(
    const ClusterView& view, const CheckerContext& context, LogIndex index,
    Term term) const {
  const ConfState& conf = context.configurations().highest_commit_conf().conf;
  if (IsEveryNode(conf, view.nodes.size())) {
    const int holders = DurableHolders(view, index, term);
    if (holders >= view.quorum()) return std::nullopt;
    return absl::StrCat(holders, " of ", view.nodes.size(), " nodes");
  }
  const auto holds = [&](const NodeId id) {
    return id.value() >= 1 && id.value() <= view.nodes.size() &&
           DurablyHolds(view.node(id), index, term);
  };
  if (IsQuorum(conf, holds)) return std::nullopt;
  std::string counts = DescribeCount(conf.voters, holds);
  if (!conf.voters_outgoing.empty()) {
    absl::StrAppend(&counts, " and ",
                    DescribeCount(conf.voters_outgoing, holds));
  }
  return absl::StrCat(counts, " (no quorum of the committed configuration ",
                      DescribeConf(conf), ")");
}

void Durability::Observe(const ClusterView& view, const CheckerContext& context,
                         std::vector<Violation>* out) {
  for (const SentMessage& m : view.sent) CheckSent(view, m, out);
  view.ForEachTouched([&](const int i) {
    const NodeView& node = *view.nodes[i];
    if (!node.up()) return;
    for (const AppliedEntry& e : node.applied()) {
      applied_at_[e.digest] = {e.index, e.term};
      // The library applies only what is on the applying node's own disk
      // (etcd's rule under asynchronous storage writes): a state machine
      // must never run ahead of the log that a restart recovers.
      if (!DurablyHolds(node, e.index, e.term)) {
        out->push_back(Make(
            view,
            absl::StrCat("n", i + 1, " applied ", e.index.Describe(), "@",
                         e.term.Describe(), " before it was durable (durable: ",
                         DescribeDurableAt(node, e.index), ")")));
      }
      if (e.index.value() < acked_.size() && acked_[e.index.value()] != 0 &&
          acked_[e.index.value()] != e.digest) {
        out->push_back(Make(
            view, absl::StrCat("n", i + 1, " applied a different entry at ",
                               e.index.Describe(),
                               " than the acknowledged client write there")));
      }
    }
  });
  for (const AckedWrite& ack : view.acked_writes) {
    CheckAck(view, context, ack, out);
  }
  // Holders change only with durable state (or a new acknowledged write,
  // which CheckAck has just checked).
  if (max_acked_ != LogIndex(0) && view.durable_changed) {
    if (const std::optional<std::string> short_of =
            ShortOfQuorum(view, context, max_acked_, max_acked_term_)) {
      out->push_back(
          Make(view, absl::StrCat("acknowledged write ", max_acked_.Describe(),
                                  "@", max_acked_term_.Describe(),
                                  " is durable on only ", *short_of)));
    }
  }
}

void Durability::CheckSent(const ClusterView& view, const SentMessage& m,
                           std::vector<Violation>* out) const {
  if (m.reject) return;
  const NodeView& node = view.node(m.from);
  const std::string who = m.from.Describe();
  switch (m.type) {
    case raft::MessageType::kVoteReply: {
      const raft::HardState hs = node.durable_hard_state();
      if (hs.term > m.term || (hs.term == m.term && hs.voted_for == m.to)) {
        return;
      }
      out->push_back(Make(
          view,
          absl::StrCat(who, " granted its ", m.term.Describe(), " vote to ",
                       m.to.Describe(), " before it was durable (durable ",
                       hs.Describe(), ")")));
      return;
    }
    case raft::MessageType::kAppendReply: {
      if (m.index == LogIndex(0) || !node.up()) return;
      const std::string acked =
          absl::StrCat(m.index.Describe(), "@", m.index_term.Describe());
      // The reply must name the entry the node holds there while it is
      // still in the reply's term (later, a newer leader may have replaced
      // it; compacted entries have no term left to compare).
      if (node.term() == m.term && m.index > node.log_base_index() &&
          m.index <= node.log_last_index() &&
          node.LogTermAt(m.index) != m.index_term) {
        out->push_back(
            Make(view, absl::StrCat(who, " acknowledged ", acked, " to ",
                                    m.to.Describe(), " at ", m.term.Describe(),
                                    " but its log holds ", m.index.Describe(),
                                    "@", node.LogTermAt(m.index).Describe())));
        return;
      }
      if (DurablyHolds(node, m.index, m.index_term)) return;
      // The acknowledged entry was durable once and has been replaced since
      // by a leader of a later term: the reply was built in its own term
      // and reaches the network only after the write it waited for, by
      // which time the node may have moved on and overwritten (or cut)
      // the log from some index <= m.index (Raft §5.3: a follower only
      // discards entries for a newer leader's). Terms never decrease
      // along a log, so the durable entry at min(m.index, durable last)
      // has a later term exactly when that happened. An entry of the
      // reply's term or an older one there means the ack went out first.
      const LogIndex probe = std::min(m.index, node.durable_last_index());
      const std::optional<Term> there = node.DurableTermAt(probe);
      if (there.has_value() && *there > m.term) return;
      out->push_back(
          Make(view, absl::StrCat(who, " acknowledged ", acked, " to ",
                                  m.to.Describe(), " at ", m.term.Describe(),
                                  " before it was durable (durable: ",
                                  DescribeDurableAt(node, m.index), ")")));
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

void Durability::CheckAck(const ClusterView& view,
                          const CheckerContext& context, const AckedWrite& ack,
                          std::vector<Violation>* out) {
  const std::string what =
      absl::StrCat("client ", ack.client, " request ", ack.request);
  const auto it = applied_at_.find(ack.digest);
  if (it == applied_at_.end()) {
    out->push_back(
        Make(view, absl::StrCat(what, " was acknowledged but never applied")));
    return;
  }
  const auto [index, term] = it->second;
  if (const std::optional<std::string> short_of =
          ShortOfQuorum(view, context, index, term)) {
    out->push_back(Make(
        view,
        absl::StrCat(what, " was acknowledged at ", index.Describe(), "@",
                     term.Describe(), " while durable on only ", *short_of)));
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
