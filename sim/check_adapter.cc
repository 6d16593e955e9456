// sim/check_adapter.cc — see check_adapter.h. Single-threaded.

#include "sim/check_adapter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "raft/node.h"
#include "sim/workload/kv_codec.h"

namespace raftsim::sim {

using checkers::AppliedEntry;
using checkers::SnapshotRestore;

namespace {

// With lease reads a node refuses votes until an election timeout of its
// ticks has passed since it last heard the leader; E ticks of a clock that
// runs drift_ppm fast take more than E - 1 tick periods of simulated time.
int64_t LeasePromiseUs(const NodeHost& host) {
  const raft::ServerOptions& o = host.options();
  if (!o.raft.lease_read) return 0;
  const __int128 local =
      static_cast<__int128>(o.raft.election_timeout_ticks - 1) * o.tick_us;
  const __int128 sim = local * 1'000'000 / (1'000'000 + host.drift_ppm());
  return std::max<int64_t>(0, static_cast<int64_t>(sim) - 1);
}

// A traced message as the checkers see it (sent or delivered).
checkers::SentMessage ToSentMessage(const MessageSummary& m) {
  return {m.type,       m.reject,          NodeId(m.from),    NodeId(m.to),
          Term(m.term), LogIndex(m.index), Term(m.index_term)};
}

// The first breach of the Server's contracts: a host's Ready pipeline or a
// refused network message, then a client reply outside the error contract.
std::optional<std::string> ContractViolation(const WorldView& world) {
  for (HostIndex h : Hosts(world.node_count())) {
    if (std::optional<std::string> why = world.host(h).contract_violation()) {
      return why;
    }
  }
  return world.client_contract_violation();
}

}  // namespace

// One host, as a checkers::NodeView. Reads live state; the per-event parts
// (applies, restores, the change hint) are filled by Collect.
class CheckAdapter::HostView final : public checkers::NodeView {
 public:
  explicit HostView(const NodeHost* host)
      : host_(host), lease_promise_us_(LeasePromiseUs(*host)) {}

  void BeginEvent() {
    node_ = host_->node();
    applied_.clear();
    restores_.clear();
    issued_.clear();
    confirmed_.clear();
    changed_from_ =
        node_ != nullptr ? node_->log().unstable() : LogIndex(UINT64_MAX);
  }
  void NoteWrite(LogIndex first) {
    if (first != LogIndex(0)) changed_from_ = std::min(changed_from_, first);
  }
  void NoteApply(const AppliedEntry& e) { applied_.push_back(e); }
  void NoteReadIssued(const checkers::ReadIssued& r) { issued_.push_back(r); }
  void NoteReadConfirmed(const checkers::ReadConfirmed& r) {
    confirmed_.push_back(r);
  }
  void NoteRestore(SnapshotRestore r) {
    r.applied_before = applied_.size();
    restores_.push_back(r);
    changed_from_ = std::min(changed_from_, r.index + 1);
  }
  const raft::Node* node() const { return node_; }

  bool up() const override { return node_ != nullptr; }
  uint64_t incarnation() const override { return host_->incarnation(); }
  raft::Role role() const override { return node_->role(); }
  Term term() const override { return node_->term(); }
  NodeId voted_for() const override { return node_->voted_for(); }
  LogIndex commit_index() const override { return node_->commit_index(); }
  LogIndex log_base_index() const override { return node_->log().base_index(); }
  Term log_base_term() const override { return node_->log().base_term(); }
  LogIndex log_last_index() const override { return node_->last_index(); }
  Term LogTermAt(LogIndex index) const override {
    return node_->log().At(index).term;
  }
  uint64_t LogDigestAt(LogIndex index) const override {
    const raft::Entry& e = node_->log().At(index);
    return checkers::EntryDigest(static_cast<uint8_t>(e.kind),
                                 e.payload.view());
  }
  LogIndex log_changed_from() const override { return changed_from_; }
  std::optional<std::string_view> LogConfigAt(LogIndex index) const override {
    const raft::Entry& e = node_->log().At(index);
    if (e.kind != raft::EntryKind::kConfig) return std::nullopt;
    return e.payload.view();
  }
  // What the core hands its host in Ready::membership whenever it changes
  // (read live: a Ready may be taken in a later event than the append
  // that changed the configuration; the node's state never lags its log).
  std::optional<raft::Membership> reported_membership() const override {
    return node_->membership();
  }
  absl::Span<const AppliedEntry> applied() const override { return applied_; }
  absl::Span<const checkers::ReadIssued> reads_issued() const override {
    return issued_;
  }
  absl::Span<const checkers::ReadConfirmed> reads_confirmed() const override {
    return confirmed_;
  }
  absl::Span<const SnapshotRestore> restores() const override {
    return restores_;
  }
  raft::HardState durable_hard_state() const override {
    return host_->disk().durable_hard_state();
  }
  LogIndex durable_snapshot_index() const override {
    return host_->disk().durable().snapshot().meta.index;
  }
  Term durable_snapshot_term() const override {
    return host_->disk().durable().snapshot().meta.term;
  }
  LogIndex durable_last_index() const override {
    return host_->disk().durable_last_index();
  }
  std::optional<Term> DurableTermAt(LogIndex index) const override {
    // TermAt's answer, without its error path: the checkers ask about
    // indexes beyond a lagging node's durable end after most events, and
    // an OutOfRange status formats its message on the heap every time.
    const raft::MemoryStorage& durable = host_->disk().durable();
    if (index < durable.snapshot().meta.index || index > durable.LastIndex()) {
      return std::nullopt;
    }
    const absl::StatusOr<Term> t = durable.TermAt(index);
    if (!t.ok()) return std::nullopt;
    return *t;
  }
  int64_t lease_promise_us() const override { return lease_promise_us_; }
  std::optional<LogIndex> MatchIndexOf(NodeId peer) const override {
    if (node_->role() != raft::Role::kLeader) return std::nullopt;
    const raft::tracker::Progress* pr = node_->tracker().Get(peer);
    if (pr == nullptr) return std::nullopt;
    return pr->match();
  }

 private:
  const NodeHost* host_;
  const raft::Node* node_ = nullptr;
  std::vector<AppliedEntry> applied_;
  std::vector<SnapshotRestore> restores_;
  std::vector<checkers::ReadIssued> issued_;
  std::vector<checkers::ReadConfirmed> confirmed_;
  LogIndex changed_from_ = LogIndex(UINT64_MAX);
  int64_t lease_promise_us_ = 0;
};

CheckAdapter::CheckAdapter(checkers::LinearizabilityOptions linearizability)
    : linearizability_(linearizability) {}

CheckAdapter::~CheckAdapter() = default;

void CheckAdapter::Collect(const WorldView& world,
                           absl::Span<const TraceRecord> records) {
  if (views_.empty()) {
    first_event_ = true;
    // The membership the hosts' nodes are built with (Config.voters and
    // learners; the simulator gives every host the same options).
    const raft::Config& config = world.host(HostIndex(0)).options().raft;
    base_membership_.voters = config.voters;
    base_membership_.learners = config.learners;
    for (HostIndex h : Hosts(world.node_count())) {
      views_.push_back(std::make_unique<HostView>(&world.host(h)));
      pointers_.push_back(views_.back().get());
    }
    decoded_last_.assign(views_.size(), LogIndex(0));
    for (auto& v : views_) v->BeginEvent();
  }
  // The nodes this event touched: every record names the node whose code
  // ran (or that crashed, restarted, paused). Views touched last event are
  // reset too, to clear their per-event applies.
  touched_.clear();
  for (const TraceRecord& r : records) {
    if (!r.node.is_world() && r.node.slot() < views_.size()) {
      touched_.push_back(r.node.value());
    }
  }
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  for (const int i : previously_touched_) views_[i]->BeginEvent();
  for (const int i : touched_) views_[i]->BeginEvent();
  previously_touched_ = touched_;
  sent_.clear();
  delivered_.clear();
  acked_.clear();
  durable_changed_ = false;
  for (const TraceRecord& r : records) {
    HostView* v = !r.node.is_world() && r.node.slot() < views_.size()
                      ? views_[r.node.slot()].get()
                      : nullptr;
    switch (r.kind) {
      case TraceKind::kApply:
        if (v != nullptr) {
          v->NoteApply({r.apply.index, r.apply.term, r.apply.digest});
        }
        break;
      case TraceKind::kRestore:
        if (v != nullptr) {
          v->NoteRestore({r.restore.index, r.restore.term});
        }
        break;
      case TraceKind::kDiskWrite:
        if (v != nullptr) v->NoteWrite(r.disk.first);
        break;
      case TraceKind::kReadIssue:
        if (v != nullptr) v->NoteReadIssued({r.read.context, r.read.term});
        break;
      case TraceKind::kReadConfirm:
        if (v != nullptr) v->NoteReadConfirmed({r.read.context, r.read.index});
        break;
      // The only ways a durable state changes (SimDisk: a sync completes;
      // a crash loses or tears writes; a snapshot compaction only drops
      // entries a durable snapshot then covers, which changes no answer).
      case TraceKind::kDiskSync:
      case TraceKind::kDiskLost:
      case TraceKind::kCrash:
        durable_changed_ = true;
        break;
      case TraceKind::kDeliver:
        if (v != nullptr && r.has_message) {
          delivered_.push_back(ToSentMessage(r.message));
        }
        break;
      case TraceKind::kSend:
        if (v != nullptr && r.has_message) {
          sent_.push_back(ToSentMessage(r.message));
        }
        break;
      case TraceKind::kClientReturn:
        if (r.client_return.outcome == kClientOk) {
          const std::pair<uint64_t, uint64_t> key{
              static_cast<uint64_t>(r.client_return.client),
              static_cast<uint64_t>(r.client_return.op)};
          const auto it = write_digests_.find(key);
          if (it != write_digests_.end()) {
            ++acks_matched_;
            acked_.push_back({key.first, key.second, it->second});
            write_digests_.erase(it);
          }
        }
        break;
      default:
        break;
    }
  }
  DecodeLeaderEntries(world);
}

// Entries are created only by leaders, and stay in the leader's memory
// until long after they are applied, so decoding each leader's new entries
// sees every command that can ever be acknowledged.
void CheckAdapter::DecodeLeaderEntries(const WorldView&) {
  for (const int t : touched_) {
    const size_t i = static_cast<size_t>(t);
    const HostView& v = *views_[i];
    const raft::Node* node = v.node();
    if (node == nullptr) continue;
    const LogIndex last = node->last_index();
    if (node->role() == raft::Role::kLeader) {
      LogIndex from = std::min(decoded_last_[i] + 1, v.log_changed_from());
      from = std::max(from, node->log().FirstIndex());
      for (LogIndex j = from; j <= last; ++j) {
        const raft::Entry& e = node->log().At(j);
        if (e.kind != raft::EntryKind::kNormal) continue;
        absl::StatusOr<KvCommand> cmd = DecodeCommand(e.payload.view());
        if (!cmd.ok() || cmd->op == KvOp::kGet) continue;
        write_digests_[{cmd->client, cmd->request}] = checkers::EntryDigest(
            static_cast<uint8_t>(e.kind), e.payload.view());
      }
    }
    decoded_last_[i] = last;
  }
}

std::optional<Violation> CheckAdapter::AfterEvent(
    const WorldView& world, absl::Span<const TraceRecord> records) {
  Collect(world, records);
  if (std::optional<std::string> why = ContractViolation(world)) {
    violation_ = checkers::Violation{std::string(kServerContractChecker),
                                     *std::move(why), world.event_number(),
                                     world.now_us()};
    return Violation{violation_->checker, violation_->description};
  }
  checkers::ClusterView view;
  view.event = world.event_number();
  view.time_us = world.now_us();
  view.nodes = pointers_;
  view.sent = sent_;
  view.delivered = delivered_;
  view.acked_writes = acked_;
  view.base_membership = &base_membership_;
  view.durable_changed = durable_changed_;
  // The first event sets every view up.
  view.touched_all = first_event_;
  view.touched = touched_;
  first_event_ = false;
  const std::vector<checkers::Violation>& found = safety_.Observe(view);
  if (found.empty()) return std::nullopt;
  violation_ = found.front();
  return Violation{violation_->checker, violation_->description};
}

std::optional<Violation> CheckAdapter::AtEnd(const WorldView& world,
                                             const checkers::History& history) {
  const checkers::LinearizabilityResult result =
      checkers::CheckLinearizability(history, linearizability_);
  if (result.linearizable()) return std::nullopt;
  violation_ = checkers::Violation{"linearizability", result.Describe(),
                                   world.event_number(), world.now_us()};
  return Violation{violation_->checker, violation_->description};
}

}  // namespace raftsim::sim
