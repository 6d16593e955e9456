// The safety checkers on real raft::Nodes changing their membership
// (raft/testing/cluster.h: in-process, every message and Ready under the
// test's control): a correct run of single-server, joint and auto-leave
// changes — and a leader removing itself — is clean under every checker,
// and a host built with another base membership than the rest is caught
// at once. (The simulator cannot propose a change yet: the Server has no
// membership API.)

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/safety/safety_checkers.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"

namespace raftsim::checkers {
namespace {

SentMessage ToSent(const raft::Message& m) {
  SentMessage s;
  s.type = m.type;
  s.reject = m.reject;
  s.from = m.from;
  s.to = m.to;
  s.term = m.term;
  s.index = m.index;
  s.index_term = m.index_term;
  return s;
}

using ::raftsim::raft::confchange::ChangeSingle;
using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::ConfChange;
using ::raftsim::raft::confchange::Transition;
using ::raftsim::raft::testing::Cluster;

// One node of the cluster as a NodeView: its core (while up) and its
// storage (the durable state).
class ClusterNodeView final : public NodeView {
 public:
  ClusterNodeView(Cluster* cluster, NodeId id) : cluster_(cluster), id_(id) {}

  void BeginEvent() {
    node_ = cluster_->down(id_) ? nullptr : &cluster_->node(id_);
  }

  bool up() const override { return node_ != nullptr; }
  uint64_t incarnation() const override { return 1; }
  raft::Role role() const override { return node_->role(); }
  Term term() const override { return node_->term(); }
  NodeId voted_for() const override { return node_->voted_for(); }
  LogIndex commit_index() const override { return node_->commit_index(); }
  LogIndex log_base_index() const override { return node_->log().base_index(); }
  Term log_base_term() const override { return node_->log().base_term(); }
  LogIndex log_last_index() const override { return node_->last_index(); }
  Term LogTermAt(LogIndex i) const override { return node_->log().At(i).term; }
  uint64_t LogDigestAt(LogIndex i) const override {
    const raft::Entry& e = node_->log().At(i);
    return EntryDigest(static_cast<uint8_t>(e.kind), e.payload.view());
  }
  LogIndex log_changed_from() const override { return LogIndex(1); }
  std::optional<std::string_view> LogConfigAt(LogIndex i) const override {
    const raft::Entry& e = node_->log().At(i);
    if (e.kind != raft::EntryKind::kConfig) return std::nullopt;
    return e.payload.view();
  }
  std::optional<raft::Membership> reported_membership() const override {
    return node_->membership();
  }
  absl::Span<const AppliedEntry> applied() const override { return {}; }
  absl::Span<const SnapshotRestore> restores() const override { return {}; }
  absl::Span<const ReadIssued> reads_issued() const override { return {}; }
  absl::Span<const ReadConfirmed> reads_confirmed() const override {
    return {};
  }
  raft::HardState durable_hard_state() const override {
    return storage().hard_state();
  }
  LogIndex durable_snapshot_index() const override {
    return storage().snapshot().meta.index;
  }
  Term durable_snapshot_term() const override {
    return storage().snapshot().meta.term;
  }
  LogIndex durable_last_index() const override { return storage().LastIndex(); }
  std::optional<Term> DurableTermAt(LogIndex i) const override {
    if (i < storage().snapshot().meta.index || i > storage().LastIndex()) {
      return std::nullopt;
    }
    const absl::StatusOr<Term> t = storage().TermAt(i);
    if (!t.ok()) return std::nullopt;
    return *t;
  }
  int64_t lease_promise_us() const override { return 0; }
  std::optional<LogIndex> MatchIndexOf(NodeId peer) const override {
    if (node_->role() != raft::Role::kLeader) return std::nullopt;
    const raft::tracker::Progress* pr = node_->tracker().Get(peer);
    if (pr == nullptr) return std::nullopt;
    return pr->match();
  }

 private:
  const raft::MemoryStorage& storage() const { return cluster_->storage(id_); }

  Cluster* cluster_;
  NodeId id_;
  const raft::Node* node_ = nullptr;
};

// A cluster of three voters and two spares, observed by every safety
// checker after each delivered message.
class ObservedRun {
 public:
  explicit ObservedRun(std::function<void(raft::Config&)> adjust = nullptr) {
    Cluster::Options o;
    o.voters = 3;
    o.spares = 2;
    o.adjust_config = std::move(adjust);
    // Messages leave with their Ready (written at once: sync_persist).
    o.on_ready = [this](NodeId, const raft::Ready& rd) {
      for (const auto* list : {&rd.messages, &rd.messages_after_persist}) {
        for (const raft::Message& m : *list) pending_.push_back(ToSent(m));
      }
    };
    cluster_ = std::make_unique<Cluster>(std::move(o));
    for (const NodeId id : cluster_->ids()) {
      views_.push_back(std::make_unique<ClusterNodeView>(cluster_.get(), id));
      pointers_.push_back(views_.back().get());
    }
    base_.voters = {NodeId(1), NodeId(2), NodeId(3)};
  }

  Cluster& c() { return *cluster_; }

  // Observes the cluster as it is now; returns the first violation's
  // description ("" when none).
  std::string Observe() {
    for (auto& v : views_) v->BeginEvent();
    ClusterView view;
    view.event = ++event_;
    view.time_us = static_cast<int64_t>(event_);
    view.nodes = pointers_;
    view.sent = pending_;
    view.delivered = delivered_;
    view.base_membership = &base_;
    const std::vector<Violation>& found = checkers_.Observe(view);
    pending_.clear();
    delivered_.clear();
    return found.empty() ? "" : found.front().Describe();
  }

  // Delivers every message one at a time, observing after each.
  std::string Settle() {
    c().ProcessReadys();
    if (std::string v = Observe(); !v.empty()) return v;
    while (const std::optional<raft::Message> m = c().DeliverOne()) {
      delivered_.push_back(ToSent(*m));
      c().ProcessReadys();
      if (std::string v = Observe(); !v.empty()) return v;
    }
    return "";
  }
  std::string Rounds(int n) {
    for (int i = 0; i < n; ++i) {
      c().TickAll();
      if (std::string v = Settle(); !v.empty()) return v;
    }
    return "";
  }
  std::string Change(NodeId leader, ConfChange change) {
    const auto r = c().node(leader).ProposeConfChange(change);
    EXPECT_TRUE(r.ok()) << r.status() << " " << change.Describe();
    if (std::string v = Settle(); !v.empty()) return v;
    return Rounds(3);
  }
  const CheckerContext& context() const { return checkers_.context(); }

 private:
  std::unique_ptr<Cluster> cluster_;
  std::vector<std::unique_ptr<ClusterNodeView>> views_;
  std::vector<const NodeView*> pointers_;
  std::vector<SentMessage> pending_;
  std::vector<SentMessage> delivered_;
  raft::ConfState base_;
  SafetyCheckers checkers_;
  uint64_t event_ = 0;
};

ChangeSingle Add(uint64_t id) { return {ChangeType::kAddVoter, NodeId(id)}; }
ChangeSingle Remove(uint64_t id) { return {ChangeType::kRemove, NodeId(id)}; }

TEST(MembershipRun, ChangesOnRealNodesAreCleanUnderEveryChecker) {
  ObservedRun run;
  ASSERT_EQ(run.Observe(), "");
  run.c().node(NodeId(1)).Campaign();
  ASSERT_EQ(run.Settle(), "");
  ASSERT_EQ(run.c().Leader(), NodeId(1));
  ASSERT_EQ(run.Rounds(2), "");
  // n4 joins by a single-server change.
  ASSERT_EQ(run.Change(NodeId(1), {Transition::kAuto, {Add(4)}}), "");
  EXPECT_EQ(run.context().configurations().InForce(3).conf.voters.size(), 4u);
  // n5 joins and n1 (the leader) leaves through a joint configuration,
  // left automatically; then n1 steps down.
  ASSERT_EQ(
      run.Change(NodeId(1), {Transition::kJointAutoLeave, {Add(5), Remove(1)}}),
      "");
  ASSERT_EQ(run.Rounds(5), "");
  const raft::ConfState& now = run.context().configurations().InForce(1).conf;
  EXPECT_EQ(now.voters,
            (std::vector<NodeId>{NodeId(2), NodeId(3), NodeId(4), NodeId(5)}));
  EXPECT_TRUE(now.voters_outgoing.empty());
  // A new leader of (n2 n3 n4 n5) must win 3 of its 4 voters' grants.
  ASSERT_EQ(run.Rounds(40), "");
  const NodeId leader = run.c().Leader();
  ASSERT_NE(leader, kNoNode);
  EXPECT_NE(leader, NodeId(1));
  EXPECT_EQ(run.context().configurations().highest_commit_conf().conf.voters,
            now.voters);
}

TEST(MembershipRun, AHostBuiltWithAnotherBaseMembershipIsCaught) {
  // n4 is built believing it is a voter from the start: its log says the
  // base (n1 n2 n3), it reports (n1 n2 n3 n4).
  ObservedRun run([](raft::Config& c) {
    if (c.id == NodeId(4)) c.voters.push_back(NodeId(4));
  });
  EXPECT_EQ(run.Observe(),
            "configuration_chain at event 1 (t=0.000001s): n4 reports (n1 n2 "
            "n3 n4) (set by i0) in force, but its log says (n1 n2 n3) (set by "
            "the base membership)");
}

}  // namespace
}  // namespace raftsim::checkers
