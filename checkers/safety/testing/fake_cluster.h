// checkers/safety/testing/fake_cluster.h — hand-built cluster observations for
// checker unit tests (no simulator): plain structs behind the NodeView
// interface, and a driver that feeds them to checkers event by event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_TESTING_FAKE_CLUSTER_H_
#define RAFTSIM_CHECKERS_SAFETY_TESTING_FAKE_CLUSTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"
#include "checkers/safety/observation.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers::testing {

struct FakeEntry {
  FakeEntry() = default;
  FakeEntry(Term t, uint64_t d, std::optional<std::string> c = std::nullopt)
      : term(t), digest(d), config(std::move(c)) {}

  Term term;
  uint64_t digest = 0;
  // Set for a configuration entry: its payload.
  std::optional<std::string> config;
};

class FakeNode final : public NodeView {
 public:
  bool up() const override { return is_up; }
  uint64_t incarnation() const override { return incarnation_; }
  raft::Role role() const override { return role_; }
  Term term() const override { return term_; }
  NodeId voted_for() const override { return voted_for_; }
  LogIndex commit_index() const override { return commit; }
  LogIndex log_base_index() const override { return base; }
  Term log_base_term() const override { return base_term; }
  LogIndex log_last_index() const override { return base + log.size(); }
  Term LogTermAt(LogIndex i) const override { return log[i - base - 1].term; }
  uint64_t LogDigestAt(LogIndex i) const override {
    return log[i - base - 1].digest;
  }
  LogIndex log_changed_from() const override { return changed_from; }
  std::optional<std::string_view> LogConfigAt(LogIndex i) const override {
    const FakeEntry& e = log[i - base - 1];
    if (!e.config.has_value()) return std::nullopt;
    return std::string_view(*e.config);
  }
  std::optional<raft::Membership> reported_membership() const override {
    return reported;
  }
  absl::Span<const AppliedEntry> applied() const override { return applies; }
  absl::Span<const SnapshotRestore> restores() const override {
    return restored;
  }
  absl::Span<const ReadIssued> reads_issued() const override {
    return issued_reads;
  }
  absl::Span<const ReadConfirmed> reads_confirmed() const override {
    return confirmed_reads;
  }
  raft::HardState durable_hard_state() const override { return durable_hs; }
  LogIndex durable_snapshot_index() const override { return durable_snap; }
  Term durable_snapshot_term() const override { return durable_snap_term; }
  LogIndex durable_last_index() const override {
    return durable_snap + durable_log.size();
  }
  std::optional<Term> DurableTermAt(LogIndex i) const override {
    if (i == durable_snap) return durable_snap_term;
    if (i < durable_snap || i > durable_last_index()) return std::nullopt;
    return durable_log[i - durable_snap - 1];
  }
  int64_t lease_promise_us() const override { return lease_promise; }
  std::optional<LogIndex> MatchIndexOf(NodeId peer) const override {
    if (role_ != raft::Role::kLeader || peer.value() == 0 ||
        peer.value() > match.size()) {
      return std::nullopt;
    }
    return match[peer.value() - 1];
  }

  // Test helpers.
  void Append(uint64_t term, uint64_t digest) {
    log.push_back({Term(term), digest, std::nullopt});
  }
  // Appends a configuration entry carrying `change`.
  void AppendConfig(uint64_t term, const raft::confchange::ConfChange& change) {
    std::string payload = raft::confchange::EncodeConfChange(change);
    const uint64_t digest =
        EntryDigest(static_cast<uint8_t>(raft::EntryKind::kConfig), payload);
    log.push_back({Term(term), digest, std::move(payload)});
  }
  // Makes every in-memory entry durable (and the hard state).
  void SyncAll() {
    durable_log.clear();
    durable_snap = base;
    durable_snap_term = base_term;
    for (const FakeEntry& e : log) durable_log.push_back(e.term);
    durable_hs = {term_, voted_for_, commit};
  }
  void Restart() {
    ++incarnation_;
    is_up = true;
  }

  bool is_up = true;
  uint64_t incarnation_ = 1;
  raft::Role role_ = raft::Role::kFollower;
  Term term_;
  NodeId voted_for_;
  LogIndex commit;
  LogIndex base;
  Term base_term;
  std::vector<FakeEntry> log;  // Entries base+1 ...
  // Conservative by default: everything may have changed.
  LogIndex changed_from = LogIndex(1);
  std::vector<AppliedEntry> applies;
  std::vector<SnapshotRestore> restored;
  std::vector<ReadIssued> issued_reads;
  std::vector<ReadConfirmed> confirmed_reads;
  raft::HardState durable_hs;
  LogIndex durable_snap;
  Term durable_snap_term;
  std::vector<Term> durable_log;  // Entries durable_snap+1 ...
  std::vector<LogIndex> match;    // Leaders: match index of node i + 1.
  int64_t lease_promise = 0;
  // What the node reports in force; nullopt: not reported.
  std::optional<raft::Membership> reported;
};

// A granted RequestVote reply from node `from` to `to` at `term`.
inline SentMessage VoteGrant(uint64_t from, uint64_t to, uint64_t term) {
  SentMessage m;
  m.type = raft::MessageType::kVoteReply;
  m.from = NodeId(from);
  m.to = NodeId(to);
  m.term = Term(term);
  return m;
}

// A heartbeat of leader `from` of `term` to `to`.
inline SentMessage Heartbeat(uint64_t from, uint64_t to, uint64_t term) {
  SentMessage m;
  m.type = raft::MessageType::kHeartbeat;
  m.from = NodeId(from);
  m.to = NodeId(to);
  m.term = Term(term);
  return m;
}

// A successful AppendEntries reply from node `from` to `to`, sent at
// `term`, acknowledging the entry index@index_term.
inline SentMessage AppendAck(uint64_t from, uint64_t to, uint64_t term,
                             uint64_t index, uint64_t index_term) {
  SentMessage m;
  m.type = raft::MessageType::kAppendReply;
  m.from = NodeId(from);
  m.to = NodeId(to);
  m.term = Term(term);
  m.index = LogIndex(index);
  m.index_term = Term(index_term);
  return m;
}

class FakeCluster {
 public:
  explicit FakeCluster(int nodes) : nodes_(nodes) {}

  FakeNode& n(int id) { return nodes_[id - 1]; }  // 1-based, as NodeId.

  // Builds the view of the next event (event numbers count from 1).
  ClusterView View() {
    pointers_.clear();
    for (const FakeNode& node : nodes_) pointers_.push_back(&node);
    ClusterView view;
    view.event = ++event_;
    view.time_us = static_cast<int64_t>(event_) * 1000;
    view.nodes = pointers_;
    view.sent = sent;
    view.delivered = delivered;
    view.acked_writes = acked;
    if (base_membership.has_value()) view.base_membership = &*base_membership;
    return view;
  }
  // Forgets the per-event parts (applies, restores, messages, acks).
  void EndEvent() {
    for (FakeNode& node : nodes_) {
      node.applies.clear();
      node.restored.clear();
      node.issued_reads.clear();
      node.confirmed_reads.clear();
    }
    sent.clear();
    delivered.clear();
    acked.clear();
  }

  // Runs one event through `checker` (with a context), returns what it
  // reported, and ends the event.
  std::vector<Violation> Step(Checker& checker) {
    const ClusterView view = View();
    context_.Update(view);
    std::vector<Violation> out;
    checker.Observe(view, context_, &out);
    EndEvent();
    return out;
  }

  const CheckerContext& context() const { return context_; }

  std::vector<SentMessage> sent;
  std::vector<SentMessage> delivered;
  std::vector<AckedWrite> acked;
  // The membership every node was built with; unset: every node votes.
  std::optional<raft::ConfState> base_membership;

 private:
  std::vector<FakeNode> nodes_;
  std::vector<const NodeView*> pointers_;
  uint64_t event_ = 0;
  CheckerContext context_;
};

}  // namespace raftsim::checkers::testing

#endif  // RAFTSIM_CHECKERS_SAFETY_TESTING_FAKE_CLUSTER_H_
