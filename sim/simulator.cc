// sim/simulator.cc — see simulator.h. Single-threaded.

#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"
#include "checkers/liveness/liveness.h"
#include "raft/coverage.h"
#include "sim/coverage.h"

namespace raftsim::sim {

std::string_view ResultKindName(ResultKind kind) {
  switch (kind) {
    case ResultKind::kOk:
      return "ok";
    case ResultKind::kSafety:
      return "safety";
    case ResultKind::kLiveness:
      return "liveness";
    case ResultKind::kHang:
      return "hang";
  }
  return "unknown";
}

int ExitCode(ResultKind kind) {
  switch (kind) {
    case ResultKind::kOk:
      return kExitOk;
    case ResultKind::kSafety:
      return kExitSafety;
    case ResultKind::kLiveness:
      return kExitLiveness;
    case ResultKind::kHang:
      return kExitHang;
  }
  return kExitCrash;
}

std::string ResultLine(uint64_t seed, std::string_view result, uint64_t events,
                       int64_t sim_us, uint64_t trace_hash) {
  return absl::StrFormat(
      "seed=%d result=%s events=%d sim_ms=%d trace_hash=%016x", seed,
      std::string(result), events, sim_us / 1000, trace_hash);
}

std::string ReplayCommand(uint64_t seed, std::string_view extra_flags) {
  std::string cmd =
      absl::StrCat("bazel run -c opt //tools:raftsim -- replay --seed=", seed);
  if (!extra_flags.empty())
    absl::StrAppend(&cmd, " ", std::string(extra_flags));
  return cmd;
}

namespace {

// The initial voters, n1..n(nodes).
std::vector<raft::NodeId> InitialVoters(const SimOptions& o) {
  std::vector<raft::NodeId> voters;
  for (int64_t i = 1; i <= o.nodes; ++i) {
    voters.push_back(raft::NodeId(static_cast<uint64_t>(i)));
  }
  return voters;
}

raft::ServerOptions MakeServerOptions(const SimOptions& o) {
  raft::ServerOptions s;
  s.metrics_interval_us = o.metrics_ms * 1000;
  // Static: every host, spare ones too, is built with the initial voters
  // (docs/membership.md, "Initialisation"). Bootstrapped: with none.
  if (o.bootstrap == 0) s.raft.voters = InitialVoters(o);
  s.raft.election_timeout_ticks = o.election_ticks;
  s.raft.heartbeat_ticks = o.heartbeat_ticks;
  s.raft.pre_vote = o.pre_vote != 0;
  s.raft.check_quorum = o.check_quorum != 0;
  s.raft.lease_read = o.lease_reads != 0;
  s.raft.max_clock_drift_ppm = o.lease_drift_ppm;
  s.tick_us = o.tick_us;
  s.raft.max_inflight_msgs = static_cast<uint64_t>(o.max_inflight_msgs);
  s.raft.max_inflight_bytes = static_cast<uint64_t>(o.max_inflight_bytes);
  s.raft.max_msg_bytes = static_cast<uint64_t>(o.max_msg_bytes);
  s.raft.max_uncommitted_bytes = static_cast<uint64_t>(o.max_uncommitted_bytes);
  s.raft.max_committed_bytes_per_ready =
      static_cast<uint64_t>(o.max_committed_bytes_per_ready);
  s.max_batch_commands = static_cast<size_t>(o.max_batch_commands);
  s.snapshot_every_entries = static_cast<uint64_t>(o.snapshot_every);
  // Keep few entries behind a snapshot so that lagging followers get
  // InstallSnapshot, not just appends.
  s.snapshot_keep_entries = static_cast<uint64_t>(
      o.snapshot_keep > 0 ? o.snapshot_keep
                          : std::max<int64_t>(1, o.snapshot_every / 4));
  return s;
}

}  // namespace

Prng Simulator::StreamOf(Stream stream, int64_t override_seed) const {
  if (override_seed == 0) return streams_.Get(stream);
  return Streams(static_cast<uint64_t>(override_seed)).Get(stream);
}

Simulator::Simulator(uint64_t seed, const SimOptions& options, TraceSink* sink)
    : seed_(seed),
      options_(options),
      streams_(seed),
      queue_(static_cast<int>(options.nodes + options.spare_hosts)),
      fault_end_us_(options.fault_ms * 1000) {
  CHECK(options.Validate().ok()) << options.Validate().ToString();
  tracer_.set_sink(sink);
  NetworkOptions net;
  net.latency_us_min = options.latency_us_min;
  net.latency_us_max = options.latency_us_max;
  net.jitter_us = options.jitter_us;
  net.loss_ppm = options.loss_ppm;
  net.delay_ppm = options.delay_ppm;
  net.delay_us_max = options.delay_us_max;
  net.dup_ppm = options.dup_ppm;
  const int host_count = static_cast<int>(options.nodes + options.spare_hosts);
  network_ = std::make_unique<Network>(
      host_count, &queue_, &tracer_, streams_.Get(Stream::kNetwork), net, this);
  DiskOptions disk;
  disk.write_us_max = options.disk_write_us_max;
  disk.write_us_min = std::min<int64_t>(disk.write_us_min, disk.write_us_max);
  disk.sync_us_max = options.disk_sync_us_max;
  disk.sync_us_min = std::min<int64_t>(disk.sync_us_min, disk.sync_us_max);
  disk.torn_writes = options.torn_writes != 0;
  disk.reorder_us = options.disk_reorder_us;
  disk.spike_ppm = options.fsync_spike_ppm;
  disk.spike_us = options.fsync_spike_us;
  const raft::ServerOptions server = MakeServerOptions(options);
  std::vector<NodeHost*> hosts;
  for (HostIndex i : Hosts(host_count)) {
    Prng node_prng = streams_.Node(i);
    // Always one draw, whatever drift_ppm_max is, so the node's later
    // draws do not depend on it.
    const int64_t drift =
        node_prng.Range(-options.drift_ppm_max, options.drift_ppm_max);
    hosts_.push_back(std::make_unique<NodeHost>(
        i, server, drift, &queue_, network_.get(), &tracer_, node_prng,
        streams_.Disk(i), disk, streams_.Apply(i), options.apply_us_max));
    hosts_.back()->SetPostDelay(streams_.Post(i), options.post_us_max);
    ConfigureStorage(options, streams_, hosts_.back().get());
    hosts.push_back(hosts_.back().get());
  }
  workload_ = std::make_unique<Workload>(
      &queue_, &tracer_, StreamOf(Stream::kWorkload, options.workload_seed),
      options, hosts);
  faults_ = std::make_unique<Faults>(
      &queue_, &tracer_, StreamOf(Stream::kFaults, options.fault_seed), options,
      hosts, network_.get());
}

// Servers first: their destructors post into the queue, which must still
// exist (members are destroyed in reverse order, so hosts_ goes before
// queue_ anyway; the explicit reset documents it).
Simulator::~Simulator() {
  for (auto& h : hosts_) h.reset();
}

void Simulator::Begin() {
  tracer_.RecordText(kWorld, TraceKind::kPhase, "start fault phase");
  raft::ConfState initial;
  initial.voters = InitialVoters(options_);
  was_member_.assign(hosts_.size(), false);
  for (auto& h : hosts_) {
    if (h->index().value() >= options_.nodes) continue;  // Spare.
    was_member_[h->index().slot()] = true;
    if (options_.bootstrap != 0) h->SetBootstrap(initial);
    h->Start();
  }
  workload_->Start();
  faults_->Start(fault_end_us_);
  if (options_.membership != 0) {
    membership_driver_ = std::make_unique<MembershipDriver>(
        this, streams_.Get(Stream::kMembership));
    membership_driver_->Start();
  }
}

void Simulator::Heal() {
  tracer_.RecordText(kWorld, TraceKind::kPhase, "heal: liveness required");
  phase_ = Phase::kHeal;
  faults_->HealAll();
  workload_->StopIssuing();
}

std::array<checkers::LivenessNode, Simulator::kMaxNodes>
Simulator::LivenessView() const {
  CHECK_LE(hosts_.size(), kMaxNodes);  // Options bound the node count.
  std::array<checkers::LivenessNode, kMaxNodes> nodes;
  const std::optional<raft::ConfState> final_conf = FinalConfiguration();
  const std::vector<raft::NodeId> members = final_conf.has_value()
                                                ? MembersOf(*final_conf)
                                                : std::vector<raft::NodeId>{};
  for (size_t i = 0; i < hosts_.size(); ++i) {
    const NodeHost& h = *hosts_[i];
    checkers::LivenessNode& n = nodes[i];
    n.member =
        final_conf.has_value()
            ? std::find(members.begin(), members.end(), h.id()) != members.end()
            : h.serving();
    const raft::Node* node = h.node();
    n.up = node != nullptr;
    n.paused = h.paused();
    if (node == nullptr) continue;
    n.role = node->role();
    n.term = node->term();
    n.commit = node->commit_index();
    // What the state machine applied (behind what the Node handed out
    // while an asynchronous apply is outstanding).
    n.applied = h.server()->applied_index();
    n.last = node->last_index();
    n.joint = node->configuration().voters.IsJoint();
    n.config_index = node->configuration_index();
  }
  return nodes;
}

std::vector<raft::NodeId> Simulator::MembersOf(const raft::ConfState& c) {
  std::vector<raft::NodeId> out;
  for (const auto* list :
       {&c.voters, &c.voters_outgoing, &c.learners, &c.learners_next}) {
    out.insert(out.end(), list->begin(), list->end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<raft::ConfState> Simulator::FinalConfiguration() const {
  const std::optional<HostIndex> leader = LeaderHost();
  if (!leader.has_value()) return std::nullopt;
  return hosts_[leader->slot()]->node()->membership().conf;
}

std::optional<HostIndex> Simulator::LeaderHost() const {
  std::optional<HostIndex> best;
  for (const auto& h : hosts_) {
    const raft::Node* n = h->node();
    if (n == nullptr || h->paused() || n->role() != raft::Role::kLeader) {
      continue;
    }
    if (!best.has_value() || n->term() > hosts_[best->slot()]->node()->term()) {
      best = h->index();
    }
  }
  return best;
}

namespace {

MembershipPayload Plain(MembershipEvent event) {
  return MembershipPayload{event, raft::LogIndex(0), 0, 0};
}

bool ChangesVoters(const raft::confchange::ChangeSingle& c) {
  return c.type != raft::confchange::ChangeType::kAddLearner;
}

}  // namespace

std::string Simulator::ChangeMembership(std::optional<HostIndex> via,
                                        raft::confchange::ConfChange change) {
  membership_used_ = true;
  if (!via.has_value()) via = LeaderHost();
  const std::string what = change.Describe();
  if (!via.has_value() || via->value() >= host_count() ||
      !hosts_[via->slot()]->up()) {
    const std::string why = via.has_value() ? "node down" : "no leader";
    tracer_.RecordText(kWorld, absl::StrCat(what, " (", why, ")"),
                       Plain(MembershipEvent::kSkipped));
    return why;
  }
  NodeHost& host = *hosts_[via->slot()];
  tracer_.RecordText(host.index(), what, Plain(MembershipEvent::kRequest));
  // What the coverage counts need, known now: the kinds of change, and
  // whether the node asked is the leader removing itself.
  int voter_changes = 0;
  uint64_t learners = 0, promotions = 0, removals = 0;
  bool removes_self = false;
  for (const raft::confchange::ChangeSingle& c : change.changes) {
    if (ChangesVoters(c)) ++voter_changes;
    if (c.type == raft::confchange::ChangeType::kAddLearner) ++learners;
    if (c.type == raft::confchange::ChangeType::kPromote) ++promotions;
    if (c.type == raft::confchange::ChangeType::kRemove) {
      ++removals;
      if (c.node == host.id()) removes_self = true;
    }
  }
  const bool joint =
      change.transition == raft::confchange::Transition::kJointAutoLeave ||
      change.transition == raft::confchange::Transition::kJointExplicit ||
      (change.transition == raft::confchange::Transition::kAuto &&
       voter_changes > 1);
  const HostIndex node = host.index();
  host.ChangeMembership(
      std::move(change),
      [this, node, what, joint, learners, promotions, removals,
       removes_self](absl::StatusOr<raft::Membership> result) {
        if (!result.ok()) {
          tracer_.RecordText(
              node, absl::StrCat(what, ": ", result.status().ToString()),
              Plain(MembershipEvent::kFailed));
          return;
        }
        tracer_.RecordText(
            node, what, MembershipPayloadOf(MembershipEvent::kDone, *result));
        ++changes_done_;
        learners_added_ += learners;
        learners_promoted_ += promotions;
        voters_removed_ += removals;
        if (removes_self) ++leaders_removed_;
        if (joint) {
          ++joints_entered_;
          joint_done_index_ = result->index;
        }
      });
  return "";
}

std::string Simulator::TransferLeadership(std::optional<HostIndex> via,
                                          HostIndex target) {
  membership_used_ = true;
  if (!via.has_value()) via = LeaderHost();
  const std::string what = absl::StrCat("to ", target.Describe());
  if (!via.has_value() || via->value() >= host_count() ||
      !hosts_[via->slot()]->up()) {
    const std::string why = via.has_value() ? "node down" : "no leader";
    tracer_.RecordText(kWorld, absl::StrCat("transfer ", what, " (", why, ")"),
                       Plain(MembershipEvent::kSkipped));
    return why;
  }
  NodeHost& host = *hosts_[via->slot()];
  tracer_.RecordText(host.index(), what, Plain(MembershipEvent::kTransfer));
  const absl::Status st = host.TransferLeadership(target.id());
  if (!st.ok()) {
    tracer_.RecordText(host.index(),
                       absl::StrCat("transfer ", what, ": ", st.ToString()),
                       Plain(MembershipEvent::kFailed));
    return std::string(st.message());
  }
  pending_transfer_ = {target, host.node()->term()};
  return "";
}

std::string Simulator::Bootstrap(HostIndex host, const raft::ConfState& conf) {
  membership_used_ = true;
  if (host.value() >= host_count() || !hosts_[host.slot()]->up()) {
    tracer_.RecordText(
        kWorld, absl::StrCat("bootstrap ", host.Describe(), " (node down)"),
        Plain(MembershipEvent::kSkipped));
    return "node down";
  }
  const absl::Status st = hosts_[host.slot()]->Bootstrap(conf);
  if (!st.ok()) {
    tracer_.RecordText(host, absl::StrCat("bootstrap: ", st.ToString()),
                       Plain(MembershipEvent::kFailed));
    return std::string(st.message());
  }
  return "";
}

std::string Simulator::StartSpare(HostIndex host) {
  membership_used_ = true;
  if (host.value() >= host_count()) return "no such host";
  NodeHost& h = *hosts_[host.slot()];
  if (h.ever_started()) return "already started";
  tracer_.RecordText(host, "", Plain(MembershipEvent::kStartSpare));
  h.Start();
  return "";
}

void Simulator::RetireRemoved() {
  if (pending_transfer_.has_value()) {
    const raft::Node* n = hosts_[pending_transfer_->first.slot()]->node();
    if (n != nullptr && n->role() == raft::Role::kLeader &&
        n->term() > pending_transfer_->second) {
      ++transfers_completed_;
      pending_transfer_.reset();
    }
  }
  const std::optional<HostIndex> leader = LeaderHost();
  if (!leader.has_value()) return;
  const raft::Node& node = *hosts_[leader->slot()]->node();
  if (node.configuration_index() > node.commit_index()) return;
  const bool joint = node.configuration().voters.IsJoint();
  if (!joint && joint_done_index_.has_value() &&
      node.configuration_index() > *joint_done_index_) {
    ++joints_left_;
    joint_done_index_.reset();
  }
  if (joint) return;
  const std::vector<raft::NodeId> members = MembersOf(node.membership().conf);
  for (auto& h : hosts_) {
    const bool member =
        std::find(members.begin(), members.end(), h->id()) != members.end();
    if (member) {
      if (h->retired()) h->Unretire();  // Added again.
      was_member_[h->index().slot()] = true;
      continue;
    }
    if (!was_member_[h->index().slot()] || h->retired()) continue;
    h->Retire(options_.keep_removed != 0);
  }
}

std::optional<std::string> Simulator::WhyNotLive() const {
  if (phase_ != Phase::kHeal) return std::string("not healed yet");
  // A leadership transfer in progress is a change not yet finished: its
  // target may campaign at any moment (TimeoutNow), legitimately.
  if (const std::optional<HostIndex> leader = LeaderHost();
      leader.has_value()) {
    const raft::Node& n = *hosts_[leader->slot()]->node();
    if (n.lead_transferee() != raft::kNoNode) {
      return absl::StrCat("leader ", leader->Describe(),
                          " is transferring leadership to ",
                          n.lead_transferee().Describe());
    }
  }
  const auto nodes = LivenessView();
  return checkers::WhyNotLive(absl::MakeConstSpan(nodes.data(), hosts_.size()),
                              workload_->outstanding());
}

void Simulator::BeginStableWindow() {
  const auto nodes = LivenessView();
  const absl::Span<const checkers::LivenessNode> view(nodes.data(),
                                                      hosts_.size());
  stable_leader_ = checkers::LeaderOf(view).value();  // Live: one exists.
  stable_term_ = nodes[stable_leader_].term;
  // Three of the longest randomized election timeouts (2E), in simulated
  // time, with the fastest clock's drift: every follower's timer would
  // have fired several times if the leader's heartbeats did not reset it.
  const int64_t timeout_us = 2 * options_.election_ticks * options_.tick_us;
  stable_until_us_ = queue_.now_us() + 3 * timeout_us;
  tracer_.RecordText(
      kWorld, TraceKind::kPhase,
      absl::StrCat("live: stability required until ", stable_until_us_, "us"));
}

std::optional<std::string> Simulator::WhyNotStable() const {
  const auto nodes = LivenessView();
  return checkers::WhyNotStable(
      absl::MakeConstSpan(nodes.data(), hosts_.size()), stable_term_,
      stable_leader_);
}

std::optional<Violation> Simulator::Observe() {
  for (Observer* o : observers_) {
    std::optional<Violation> v = o->AfterEvent(*this, tracer_.records());
    if (v.has_value()) return v;
  }
  return std::nullopt;
}

RunResult Simulator::Run() {
  const int64_t heal_us = fault_end_us_;
  queue_.Schedule(0, kWorld, EventKind::kPhase, false, [this] { Begin(); });
  if (script_ != nullptr) script_->Install(*this);
  queue_.Schedule(heal_us, kWorld, EventKind::kPhase, false,
                  [this] { Heal(); });
  queue_.Schedule(heal_us + options_.heal_ms * 1000, kWorld, EventKind::kPhase,
                  false, [this] {
                    tracer_.RecordText(kWorld, TraceKind::kPhase,
                                       "liveness deadline");
                    deadline_passed_ = true;
                  });
  RunResult result;
  while (true) {
    EventQueue::Fn fn = queue_.Pop();
    if (!fn) {
      result = {ResultKind::kLiveness,     0,  0,  0,
                "the event queue ran dry", "", {}, {}};
      break;
    }
    ++events_;
    tracer_.BeginEvent(events_, queue_.now_us());
    const EventQueue::Current& cur = queue_.current();
    if (cur.kind == EventKind::kTimer) {
      tracer_.Record(cur.owner, TraceKind::kTimer);
    } else if (cur.kind == EventKind::kPost) {
      tracer_.Record(cur.owner, TraceKind::kPost);
    }
    fn();
    if (membership_used_) RetireRemoved();
    if (std::optional<Violation> v = Observe(); v.has_value()) {
      tracer_.RecordText(kWorld, TraceKind::kViolation,
                         absl::StrCat(v->checker, ": ", v->detail));
      result = {
          ResultKind::kSafety,
          0,
          0,
          0,
          absl::StrCat("event ", events_, ": ", v->checker, ": ", v->detail),
          v->checker,
          {},
          {}};
      break;
    }
    if (phase_ == Phase::kHeal && stable_until_us_ >= 0) {
      // Live already: the leader must keep leading until the window ends.
      if (std::optional<std::string> why = WhyNotStable(); why.has_value()) {
        result = {ResultKind::kLiveness,
                  0,
                  0,
                  0,
                  absl::StrCat("the live cluster lost its leader with no "
                               "fault left: ",
                               *why),
                  std::string(checkers::kStabilityChecker),
                  {},
                  {}};
        break;
      }
      if (queue_.now_us() >= stable_until_us_) break;
    } else if (phase_ == Phase::kHeal && !WhyNotLive().has_value()) {
      if (!options_.stable_check) break;
      BeginStableWindow();
    }
    if (deadline_passed_ && stable_until_us_ < 0) {
      result = {
          ResultKind::kLiveness,
          0,
          0,
          0,
          absl::StrCat("not live ", options_.heal_ms,
                       "ms after the heal: ", WhyNotLive().value_or("live")),
          std::string(checkers::kLivenessChecker),
          {},
          {}};
      break;
    }
    if (events_ >= static_cast<uint64_t>(options_.max_events)) {
      result = {ResultKind::kHang,
                0,
                0,
                0,
                absl::StrCat("event bound ", options_.max_events,
                             " reached (max_events) before a verdict"),
                "",
                {},
                {}};
      break;
    }
  }
  if (result.kind != ResultKind::kSafety) {
    const checkers::History history = workload_->History();
    for (Observer* o : observers_) {
      std::optional<Violation> v = o->AtEnd(*this, history);
      if (!v.has_value()) continue;
      result = {ResultKind::kSafety,
                0,
                0,
                0,
                absl::StrCat("end of run: ", v->checker, ": ", v->detail),
                v->checker,
                {},
                {}};
      break;
    }
  }
  result.events = events_;
  result.sim_us = queue_.now_us();
  result.trace_hash = tracer_.hash();
  result.coverage = Coverage();
  if (faults_ != nullptr) {
    for (const auto& [name, count] : faults_->FiredCounts()) {
      result.faults.emplace_back(std::string(name), count);
    }
  }
  result.faults.emplace_back("message_cut", network_->messages_cut());
  result.faults.emplace_back("message_lost", network_->messages_lost());
  result.faults.emplace_back("message_duplicated",
                             network_->messages_duplicated());
  result.faults.emplace_back("message_clogged", network_->messages_clogged());
  return result;
}

std::vector<uint64_t> Simulator::Coverage() const {
  std::vector<uint64_t> counts(CoverageCatalogue().size(), 0);
  uint64_t restarts = 0;
  for (const auto& host : hosts_) {
    const raft::Coverage c = host->coverage();
    for (size_t i = 0; i < raft::kSituationCount; ++i)
      counts[i] += c.counts()[i];
    if (host->incarnation() > 1) restarts += host->incarnation() - 1;
    host->disk().AddCoverage(&counts);
  }
  counts[CatalogueIndex(EnvSituation::kMessageDuplicated)] =
      network_->messages_duplicated();
  counts[CatalogueIndex(EnvSituation::kMessageHeldByClog)] =
      network_->messages_clogged();
  counts[CatalogueIndex(EnvSituation::kClientTimedOut)] = workload_->timeouts();
  counts[CatalogueIndex(EnvSituation::kClientMovedOn)] = workload_->moved_on();
  counts[CatalogueIndex(EnvSituation::kNodeRestarted)] = restarts;
  counts[CatalogueIndex(EnvSituation::kLearnerAdded)] = learners_added_;
  counts[CatalogueIndex(EnvSituation::kLearnerPromoted)] = learners_promoted_;
  counts[CatalogueIndex(EnvSituation::kVoterRemoved)] = voters_removed_;
  counts[CatalogueIndex(EnvSituation::kLeaderRemoved)] = leaders_removed_;
  counts[CatalogueIndex(EnvSituation::kJointEntered)] = joints_entered_;
  counts[CatalogueIndex(EnvSituation::kJointLeft)] = joints_left_;
  counts[CatalogueIndex(EnvSituation::kTransferCompleted)] =
      transfers_completed_;
  return counts;
}

}  // namespace raftsim::sim
