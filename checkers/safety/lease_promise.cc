// checkers/safety/lease_promise.cc — see lease_promise.h.

#include "checkers/safety/lease_promise.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void LeasePromise::Observe(const ClusterView& view,
                           const CheckerContext& context,
                           std::vector<Violation>* out) {
  if (nodes_.size() < view.nodes.size()) nodes_.resize(view.nodes.size());
  for (const SentMessage& m : view.sent) {
    if (m.type == raft::MessageType::kTimeoutNow) {
      voided_.insert({m.from.value(), m.term.value()});
    }
  }
  // Grants first: a grant and a heartbeat in one event are ordered by the
  // node, and the check must not guess.
  for (const SentMessage& m : view.sent) {
    if (m.type != raft::MessageType::kVoteReply || m.reject) continue;
    const int f = static_cast<int>(m.from.value()) - 1;
    if (f < 0 || f >= static_cast<int>(view.nodes.size())) continue;
    const NodeView& node = *view.nodes[f];
    const int64_t promise = node.lease_promise_us();
    if (promise <= 0) continue;
    const PerNode& mine = nodes_[static_cast<size_t>(f)];
    const Heard& heard =
        mine.latest.term < m.term ? mine.latest : mine.previous;
    if (heard.time_us < 0 || heard.term >= m.term) continue;
    const int64_t since = view.time_us - heard.time_us;
    if (since >= promise) continue;
    if (voided_.count({heard.leader.value(), heard.term.value()}) != 0) {
      continue;
    }
    out->push_back(Make(
        view,
        absl::StrCat(m.from.Describe(), " granted its vote in ",
                     m.term.Describe(), " to ", m.to.Describe(), " ", since,
                     "us after a heartbeat of ", heard.leader.Describe(),
                     " (leader of ", heard.term.Describe(),
                     ") reached it at event ", heard.event,
                     "; it promised no vote in a later term for ", promise,
                     "us (an election timeout less a tick, on its clock), "
                     "and the leader's lease reads count on that")));
    return;  // One report per event.
  }
  if (CheckLeaseReads(view, context, out)) return;
  for (const SentMessage& m : view.delivered) {
    if (m.type != raft::MessageType::kHeartbeat) continue;
    const int f = static_cast<int>(m.to.value()) - 1;
    if (f < 0 || f >= static_cast<int>(view.nodes.size())) continue;
    const NodeView& node = *view.nodes[f];
    // Only a heartbeat the node took: of its term (now), from the leader.
    if (!node.up() || node.term() != m.term ||
        node.role() == raft::Role::kLeader) {
      continue;
    }
    PerNode& mine = nodes_[static_cast<size_t>(f)];
    const Heard now{m.term, m.from, view.event, view.time_us};
    if (m.term > mine.latest.term || mine.latest.time_us < 0) {
      if (mine.latest.time_us >= 0) mine.previous = mine.latest;
      mine.latest = now;
    } else if (m.term == mine.latest.term) {
      mine.latest = now;
    }
  }
}

bool LeasePromise::CheckLeaseReads(const ClusterView& view,
                                   const CheckerContext& context,
                                   std::vector<Violation>* out) const {
  const int n = static_cast<int>(view.nodes.size());
  bool reported = false;
  view.ForEachTouched([&](const int l) {
    const NodeView& leader = *view.nodes[l];
    if (reported || !leader.up() || leader.role() != raft::Role::kLeader ||
        leader.lease_promise_us() <= 0) {
      return;
    }
    for (const ReadConfirmed& read : leader.reads_confirmed()) {
      // Served from the lease: confirmed in the event that took it up (a
      // ReadIndex round needs replies, which arrive in later events).
      bool from_lease = false;
      for (const ReadIssued& issued : leader.reads_issued()) {
        from_lease |= issued.context == read.context;
      }
      if (!from_lease) continue;
      const auto promised = [&](const int f) {
        if (f == l) return true;  // The leader itself.
        const PerNode& mine = nodes_[static_cast<size_t>(f)];
        const Heard& heard =
            mine.latest.term == leader.term() ? mine.latest : mine.previous;
        if (heard.time_us < 0 || heard.term != leader.term() ||
            heard.leader != NodeId(static_cast<uint64_t>(l) + 1)) {
          return false;
        }
        return view.time_us - heard.time_us < view.nodes[f]->lease_promise_us();
      };
      // The lease counts the voters of the leader's configuration in force
      // (each half when joint; learners never).
      const raft::ConfState& conf = context.configurations().InForce(l).conf;
      if (!IsEveryNode(conf, view.nodes.size())) {
        const auto has = [&](const NodeId id) {
          return id.value() >= 1 && id.value() <= static_cast<uint64_t>(n) &&
                 promised(static_cast<int>(id.value()) - 1);
        };
        if (IsQuorum(conf, has)) continue;
        std::string counts = DescribeCount(conf.voters, has);
        if (!conf.voters_outgoing.empty()) {
          absl::StrAppend(&counts, " and ",
                          DescribeCount(conf.voters_outgoing, has));
        }
        out->push_back(Make(
            view,
            absl::StrCat("n", l + 1, " (leader of ", leader.term().Describe(),
                         ") served a read (index ", read.index.Describe(),
                         ") from its lease while the promise of only ", counts,
                         " held (its configuration ", DescribeConf(conf),
                         "): no quorum had heard a heartbeat of its term "
                         "within an election timeout less a tick")));
        reported = true;
        return;
      }
      int holding = 0;
      for (int f = 0; f < n; ++f) holding += promised(f) ? 1 : 0;
      if (holding >= view.quorum()) continue;
      out->push_back(Make(
          view,
          absl::StrCat("n", l + 1, " (leader of ", leader.term().Describe(),
                       ") served a read (index ", read.index.Describe(),
                       ") from its lease while the promise of only ", holding,
                       " of ", n,
                       " nodes (itself included) held: no quorum had heard "
                       "a heartbeat of its term within an election timeout "
                       "less a tick")));
      reported = true;
      return;
    }
  });
  return reported;
}

}  // namespace raftsim::checkers
