// raft/server/server.cc — raft::Server lifecycle, ingress batching, the Ready
// loop and the persistence FIFO. Apply, respond, reads and snapshots are in
// apply.cc. See server.h and docs/server.md.
//
// Single-threaded: everything runs on the runtime's logical thread.

#include "raft/server/server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/server/pending.h"

namespace raftsim::raft {
namespace {

// Readys handled per pump before yielding the runtime to other work (a
// bound on work per turn; the pump re-posts itself when the Node has
// more).
constexpr int kMaxReadysPerPump = 64;

}  // namespace

absl::Status ServerOptions::Validate() const {
  if (tick_us <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("tick_us must be positive, got ", tick_us));
  }
  if (max_batch_commands == 0) {
    return absl::InvalidArgumentError("max_batch_commands must be positive");
  }
  if (max_batch_bytes == 0) {
    return absl::InvalidArgumentError("max_batch_bytes must be positive");
  }
  if (metrics_interval_us < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics_interval_us must be >= 0, got ", metrics_interval_us));
  }
  return raft.Validate();
}

Server::Server(ServerOptions options, Runtime* runtime, Transport* transport,
               LogStorage* storage, StateMachine* state_machine)
    : options_(std::move(options)),
      runtime_(runtime),
      transport_(transport),
      storage_(storage),
      state_machine_(state_machine),
      alive_(std::make_shared<Server*>(this)),
      pending_(std::make_unique<Pending>()) {
  CHECK(runtime_ != nullptr);
  CHECK(transport_ != nullptr && storage_ != nullptr &&
        state_machine_ != nullptr);
}

Server::~Server() {
  Stop();
  // From here on, completions from the storage and tasks on the runtime
  // that captured the token are no-ops.
  *alive_ = nullptr;
}

absl::Status Server::Start() {
  if (node_ != nullptr || stopped_) {
    return absl::FailedPreconditionError("Server::Start called twice");
  }
  if (absl::Status s = options_.Validate(); !s.ok()) return s;
  DurableState state = storage_->Load();
  const SnapshotMeta meta = state.snapshot.meta;
  if (meta.index > LogIndex(0)) {
    // Restart: the state machine resumes from the snapshot; the Node hands
    // the committed entries after it out again as committed_entries.
    if (absl::Status s = state_machine_->Restore(state.snapshot.data.view());
        !s.ok()) {
      return absl::DataLossError(absl::StrCat(
          "cannot restore the state machine from the stored snapshot at ",
          meta.index.Describe(), ": ", s.ToString()));
    }
    ++metrics_.snapshots_restored;
    coverage_.Hit(Situation::kRestartFromSnapshot);
  }
  auto node = Node::Create(options_.raft, std::move(state));
  if (!node.ok()) return node.status();
  node_ = std::move(*node);
  CHECK_EQ(node_->applied_index(), meta.index);
  applied_index_ = meta.index;
  applied_term_ = meta.term;
  snapshot_index_ = meta.index;
  soft_state_ = {node_->role(), node_->leader(), node_->term()};
  last_membership_index_ = node_->configuration_index();
  if (tracer_ != nullptr) tracer_->OnSoftState(soft_state_);
  if (soft_state_listener_) soft_state_listener_(soft_state_);
  clock_origin_us_ = runtime_->NowUs();
  ArmTick();
  ArmMetricsPump();
  SchedulePump();
  return absl::OkStatus();
}

void Server::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (tick_timer_ != 0) runtime_->Cancel(tick_timer_);
  tick_timer_ = 0;
  if (metrics_timer_ != 0) runtime_->Cancel(metrics_timer_);
  metrics_timer_ = 0;
  FailPending(absl::UnavailableError("server stopped; outcome unknown"));
  // Posted: Stop may run inside a client's call chain, and the Server may
  // be destroyed right after it returns.
  FlushCompletions(/*post=*/true);
}

void Server::Fail(absl::Status status) {
  if (stopped_) return;
  failure_ = status;
  stopped_ = true;
  if (tick_timer_ != 0) runtime_->Cancel(tick_timer_);
  tick_timer_ = 0;
  if (metrics_timer_ != 0) runtime_->Cancel(metrics_timer_);
  metrics_timer_ = 0;
  ServerEvent event;
  event.kind = ServerEvent::Kind::kError;
  event.error = status;
  event.reason = status.ToString();
  Publish(std::move(event));
  FailPending(absl::UnavailableError(
      absl::StrCat("server stopped by a fatal error; outcome unknown: ",
                   status.ToString())));
  // The caller (a runtime task) flushes the completions.
}

Coverage Server::coverage() const {
  Coverage total = coverage_;
  if (node_ != nullptr) total.Add(node_->coverage());
  return total;
}

void Server::SetSoftStateListener(SoftStateListener listener) {
  soft_state_listener_ = std::move(listener);
}

void Server::SetMembershipListener(MembershipListener listener) {
  membership_listener_ = std::move(listener);
}

void Server::SetMetricsListener(MetricsListener listener) {
  metrics_listener_ = std::move(listener);
}

void Server::SetEventListener(EventListener listener) {
  event_listener_ = std::move(listener);
}

void Server::ArmMetricsPump() {
  if (options_.metrics_interval_us == 0 || stopped_) return;
  metrics_timer_ =
      runtime_->After(options_.metrics_interval_us, [alive = alive_] {
        if (*alive == nullptr) return;
        Server& self = **alive;
        self.metrics_timer_ = 0;
        if (self.stopped_) return;
        if (self.metrics_listener_) self.metrics_listener_(self.Metrics());
        self.ArmMetricsPump();
      });
}

void Server::Publish(ServerEvent event) {
  ++metrics_.events;
  if (!event_listener_) return;
  event.at_us = runtime_->NowUs();
  event.node = options_.raft.id;
  event.soft = soft_state_;
  event_listener_(event);
}

void Server::PublishSoftStateEvents(const SoftState& before,
                                    const SoftState& after) {
  if (after.term != before.term) {
    ServerEvent e;
    e.kind = ServerEvent::Kind::kTerm;
    e.reason = after.role == Role::kCandidate
                   ? absl::StrCat("campaigns for ", after.term.Describe())
                   : absl::StrCat("heard ", after.term.Describe(), " (was ",
                                  before.term.Describe(), ")");
    Publish(std::move(e));
  }
  if (after.role != before.role) {
    ServerEvent e;
    e.kind = ServerEvent::Kind::kRole;
    switch (after.role) {
      case Role::kLeader:
        e.reason = absl::StrCat("won the election of ", after.term.Describe());
        break;
      case Role::kCandidate:
        e.reason =
            absl::StrCat("started an election for ", after.term.Describe());
        break;
      case Role::kPreCandidate:
        e.reason =
            absl::StrCat("started a pre-vote in ", after.term.Describe());
        break;
      case Role::kFollower:
        e.reason = absl::StrCat(
            "stepped down from ", std::string(RoleName(before.role)),
            after.term != before.term
                ? absl::StrCat(": heard ", after.term.Describe())
                : std::string(": lost leadership or the pre-vote"));
        break;
    }
    Publish(std::move(e));
  }
  if (after.leader != before.leader) {
    ServerEvent e;
    e.kind = ServerEvent::Kind::kLeader;
    e.reason = after.leader == kNoNode
                   ? absl::StrCat("no known leader (was ",
                                  before.leader.Describe(), ")")
                   : absl::StrCat("leader is ", after.leader.Describe(), " in ",
                                  after.term.Describe());
    Publish(std::move(e));
  }
}

void Server::PublishMembershipEvent(const Membership& membership,
                                    const Ready& ready) {
  ServerEvent e;
  e.kind = ServerEvent::Kind::kMembership;
  e.membership = membership;
  if (ready.snapshot.has_value() &&
      ready.snapshot->meta.index == membership.index) {
    e.reason = absl::StrCat("installed with the snapshot at ",
                            membership.index.Describe());
  } else if (membership.index < last_membership_index_) {
    e.reason = absl::StrCat(
        "the configuration entry at ", last_membership_index_.Describe(),
        " was truncated; back to the one at ", membership.index.Describe());
  } else {
    e.reason = absl::StrCat("configuration entry at ",
                            membership.index.Describe(), " appended");
  }
  last_membership_index_ = membership.index;
  Publish(std::move(e));
}

MetricsSnapshot Server::Metrics() const {
  CHECK(node_ != nullptr) << "Server::Metrics before Start";
  MetricsSnapshot m;
  m.at_us = runtime_->NowUs();
  m.node = options_.raft.id;
  m.counters = metrics_;
  m.term = node_->term();
  m.role = node_->role();
  m.leader = node_->leader();
  m.commit_index = node_->commit_index();
  m.applied_index = applied_index_;
  m.last_index = node_->last_index();
  m.durable_index = node_->durable_index();
  m.snapshot_index = node_->snapshot().meta.index;
  m.membership = node_->membership();
  m.joint = !m.membership.conf.voters_outgoing.empty();
  if (node_->role() == Role::kLeader) {
    const LogIndex last = node_->last_index();
    node_->tracker().VisitSorted([&](NodeId id, const tracker::Progress& pr) {
      if (id == options_.raft.id) return;
      PeerGauges p;
      p.id = id;
      p.learner = pr.is_learner();
      p.match = pr.match();
      p.next = pr.next();
      p.lag = last.value() - pr.match().value();
      switch (pr.state()) {
        case tracker::ProgressState::kProbe:
          p.state = PeerState::kProbe;
          break;
        case tracker::ProgressState::kReplicate:
          p.state = PeerState::kReplicate;
          break;
        case tracker::ProgressState::kSnapshot:
          p.state = PeerState::kSnapshot;
          break;
      }
      p.inflight_messages = pr.inflights().count();
      p.inflight_bytes = pr.inflights().bytes();
      p.recent_active = pr.recent_active();
      m.inflight_messages += p.inflight_messages;
      m.inflight_bytes += p.inflight_bytes;
      m.peers.push_back(p);
    });
  }
  const Pending& q = *pending_;
  m.queues.ingress_commands = q.commands.size();
  m.queues.ingress_reads = q.queued_reads.size();
  for (const auto& [context, batch] : q.unconfirmed_reads) {
    m.queues.unconfirmed_reads += batch.reads.size();
  }
  m.queues.waiting_reads = q.waiting_reads.size();
  m.queues.proposals = q.proposals.size();
  for (const Pending::InflightReady& r : q.inflight) {
    if (r.has_write && !r.completed) ++m.queues.writes_in_flight;
    m.queues.held_messages += r.after_persist.size();
  }
  for (const Pending::ApplyItem& item : q.apply_queue) {
    m.queues.apply_queued_entries += item.entries.size();
  }
  if (q.apply_in_flight) m.queues.apply_in_flight_entries = q.applying.size();
  m.propose_to_commit_us = propose_to_commit_us_;
  m.propose_to_apply_us = propose_to_apply_us_;
  m.storage_write_us = storage_write_us_;
  m.apply_batch_entries = apply_batch_entries_;
  m.ready_entries = ready_entries_;
  m.ready_messages = ready_messages_;
  return m;
}

absl::Status Server::Bootstrap(const ConfState& membership) {
  if (node_ == nullptr || stopped_) {
    return absl::FailedPreconditionError("server not running");
  }
  absl::Status s = node_->Bootstrap(membership);
  // The entry and hard state go to storage with the next Ready.
  if (s.ok()) SchedulePump();
  return s;
}

void Server::ChangeMembership(confchange::ConfChange change,
                              MembershipCallback done) {
  // The outcome as a proposal callback: the proposal tracking (apply.cc)
  // answers it like Submit's, and on success this reports the membership
  // the entry leads to.
  const auto wrap = [](MembershipCallback done, Membership next) -> Callback {
    return [done = std::move(done), next = std::move(next)](
               absl::StatusOr<std::string> result) mutable {
      if (result.ok()) {
        done(std::move(next));
      } else {
        done(result.status());
      }
    };
  };
  if (node_ == nullptr || stopped_) {
    Complete(wrap(std::move(done), {}),
             absl::UnavailableError("server not running"));
    FlushCompletions(/*post=*/true);
    return;
  }
  absl::StatusOr<ProposeResult> result = node_->ProposeConfChange(change);
  if (!result.ok()) {
    Complete(wrap(std::move(done), {}), result.status());
    FlushCompletions(/*post=*/true);
    return;
  }
  // The entry is the latest configuration entry: the configuration in
  // force is the one it leads to.
  CHECK_EQ(node_->configuration_index(), result->first);
  pending_->proposals.emplace(
      result->first,
      Pending::Proposal{result->term,
                        wrap(std::move(done), node_->membership()),
                        /*config=*/true, runtime_->NowUs()});
  ++pending_->proposal_terms[result->term];
  SchedulePump();
}

absl::Status Server::TransferLeadership(NodeId target) {
  if (node_ == nullptr || stopped_) {
    return absl::FailedPreconditionError("server not running");
  }
  absl::Status s = node_->TransferLeadership(target);
  if (s.ok()) SchedulePump();
  return s;
}

void Server::Receive(Message message) {
  if (node_ == nullptr || stopped_) return;
  ++metrics_.messages_received;
  if (tracer_ != nullptr) tracer_->OnReceive(message);
  // With lease reads the election clock counts runtime time: ticks owed
  // for the time before this message must not be counted after it (a
  // heartbeat stepped first and then a late tick's catch-up would shorten
  // the election timeout of vote refusals the leader's lease relies on).
  if (options_.raft.lease_read) CatchUpTicks();
  // An error means a malformed or misaddressed message: input from the
  // network, dropped like a lost one.
  if (!node_->Step(std::move(message)).ok()) {
    ++metrics_.messages_rejected;
    return;
  }
  SchedulePump();
}

void Server::Submit(std::string command, Callback done) {
  if (node_ == nullptr || stopped_) {
    Complete(std::move(done), absl::UnavailableError("server not running"));
    FlushCompletions(/*post=*/true);
    return;
  }
  pending_->commands.push_back({std::move(command), std::move(done)});
  SchedulePump();
}

void Server::Campaign() {
  if (node_ == nullptr || stopped_) return;
  node_->Campaign();
  SchedulePump();
}

void Server::Read(std::string query, Callback done) {
  if (node_ == nullptr || stopped_) {
    Complete(std::move(done), absl::UnavailableError("server not running"));
    FlushCompletions(/*post=*/true);
    return;
  }
  pending_->queued_reads.push_back({std::move(query), std::move(done)});
  SchedulePump();
}

void Server::SchedulePump() {
  if (pump_scheduled_ || stopped_) return;
  pump_scheduled_ = true;
  runtime_->Post([alive = alive_] {
    if (*alive == nullptr) return;
    (*alive)->Pump();
  });
}

void Server::ArmTick() {
  tick_timer_ = runtime_->After(options_.tick_us, [alive = alive_] {
    if (*alive == nullptr) return;
    (*alive)->OnTick();
  });
}

void Server::OnTick() {
  tick_timer_ = 0;
  if (stopped_) return;
  if (options_.raft.lease_read) {
    CatchUpTicks();
  } else {
    node_->Tick();
  }
  ArmTick();
  SchedulePump();
}

void Server::CatchUpTicks() {
  const int64_t due = (runtime_->NowUs() - clock_origin_us_) / options_.tick_us;
  for (; ticks_delivered_ < due; ++ticks_delivered_) node_->Tick();
}

// One runtime turn of the pipeline: propose what arrived (stage 1), then
// drain the Node's Readys (stages 2–6).
void Server::Pump() {
  pump_scheduled_ = false;
  if (stopped_) return;
  ProposeQueued();
  IssueReads();
  for (int i = 0; i < kMaxReadysPerPump && !stopped_ && node_->HasReady();
       ++i) {
    HandleReady(node_->GetReady());
  }
  if (!stopped_ && node_->HasReady()) SchedulePump();
  if (!stopped_) CheckInvariants();
  FlushCompletions(/*post=*/false);
}

void Server::CheckInvariants() const {
  const auto& waiting = pending_->waiting_reads;
  CHECK(waiting.empty() || waiting.begin()->first > applied_index_)
      << "a confirmed read at " << waiting.begin()->first.Describe()
      << " still waits with " << applied_index_.Describe() << " applied";
  // A Ready left for the next turn may still carry the role change.
  if (!node_->HasReady()) {
    for (const auto& [context, batch] : pending_->unconfirmed_reads) {
      CHECK(soft_state_.role == Role::kLeader && batch.term == soft_state_.term)
          << "read batch " << context << " of " << batch.term.Describe()
          << " unconfirmed on a " << RoleName(soft_state_.role) << " of "
          << soft_state_.term.Describe();
    }
  }
  const auto& terms = pending_->proposal_terms;
  CHECK(terms.empty() || terms.begin()->first >= applied_term_)
      << "a proposal of " << terms.begin()->first.Describe()
      << " waits with an entry of " << applied_term_.Describe() << " applied";
  uint64_t counted = 0;
  for (const auto& [term, n] : terms) counted += n;
  CHECK_EQ(counted, pending_->proposals.size())
      << "proposal terms out of step with the proposals";
}

// Stage 1–2: hands queued commands to the Node in batches of at most
// max_batch_commands / max_batch_bytes (a batch holds at least one
// command). The leader appends and replicates each batch at once and goes
// on to the next: nothing here waits for a commit.
void Server::ProposeQueued() {
  auto& commands = pending_->commands;
  while (!commands.empty()) {
    std::vector<Payload> payloads;
    uint64_t bytes = 0;
    size_t n = 0;
    while (n < commands.size() && n < options_.max_batch_commands) {
      const uint64_t size = commands[n].command.size();
      if (n > 0 && bytes + size > options_.max_batch_bytes) break;
      bytes += size;
      payloads.emplace_back(std::move(commands[n].command));
      ++n;
    }
    CHECK_GT(n, 0u);
    absl::StatusOr<ProposeResult> result = node_->Propose(payloads);
    if (result.ok()) {
      CHECK_EQ(result->last - result->first + 1, n);
      ++metrics_.proposal_batches;
      metrics_.proposals += n;
    }
    auto& proposals = pending_->proposals;
    const int64_t now_us = result.ok() ? runtime_->NowUs() : 0;
    for (size_t i = 0; i < n; ++i) {
      Callback done = std::move(commands.front().done);
      commands.pop_front();
      if (!result.ok()) {
        // Not the leader (the status carries the leader hint) or too many
        // uncommitted bytes: the client retries, here or at the hint.
        Complete(std::move(done), result.status());
        continue;
      }
      proposals.emplace(result->first + i,
                        Pending::Proposal{result->term, std::move(done),
                                          /*config=*/false, now_us});
      ++pending_->proposal_terms[result->term];
    }
  }
}

// Handles one Ready in the order raft/ready.h prescribes.
void Server::HandleReady(Ready rd) {
  ++metrics_.readys;
  ready_entries_.Observe(static_cast<int64_t>(rd.entries.size()));
  ready_messages_.Observe(static_cast<int64_t>(
      rd.messages.size() + rd.messages_after_persist.size()));
  if (tracer_ != nullptr) tracer_->OnReady(rd);
  if (rd.membership.has_value()) {
    if (tracer_ != nullptr) tracer_->OnMembership(*rd.membership);
    PublishMembershipEvent(*rd.membership, rd);
    if (membership_listener_) membership_listener_(*rd.membership);
  }
  // Confirmations first: a read confirmed before a step-down in this same
  // Ready is still linearizable once its index is applied.
  ConfirmReads(rd.read_states);
  for (Message& m : rd.messages) Send(std::move(m));  // Step 1.
  // The state machine restores a received snapshot before it is written:
  // the state machine is volatile, so the order is safe, and bytes it
  // cannot decode then never reach the disk (a restart would fail on them).
  // (When apply work is still outstanding, the restore waits for it in
  // the apply queue, and the snapshot is written first.)
  if (rd.snapshot.has_value() && !RestoreOrQueue(*rd.snapshot)) {
    return;  // Stopped; the Node is abandoned without Advance.
  }
  Persist(rd);                           // Steps 2–3.
  ApplyCommitted(rd.committed_entries);  // Step 4 (maybe asynchronous).
  // After apply, so that proposals committed in this Ready get results
  // rather than "leadership lost".
  if (rd.soft_state.has_value()) {
    if (tracer_ != nullptr) tracer_->OnSoftState(*rd.soft_state);
    OnSoftState(*rd.soft_state);
  }
  ServeReads();
  node_->Advance(std::move(rd));  // Step 5.
  MaybeTakeSnapshot();
}

// Steps 2–3: queues this Ready's writes and holds its after-persist
// messages behind them (and behind every earlier in-flight write).
void Server::Persist(Ready& rd) {
  auto& inflight = pending_->inflight;
  if (!rd.MustPersist()) {
    if (rd.messages_after_persist.empty()) return;
    if (inflight.empty()) {
      // Nothing in flight: whatever these acks claim is durable already.
      for (Message& m : rd.messages_after_persist) Send(std::move(m));
      return;
    }
    Pending::InflightReady held;
    held.completed = true;
    if (!RAFTSIM_CANARY(kDropHeldMessages)) {
      held.after_persist = std::move(rd.messages_after_persist);
    }
    inflight.push_back(std::move(held));
    return;
  }
  Pending::InflightReady w;
  w.seq = ++next_write_seq_;
  w.has_write = true;
  w.persist_index = rd.persist_index;
  w.persist_term = rd.persist_term;
  w.node_term = node_->term();
  w.entries = rd.entries.size();
  w.issued_us = runtime_->NowUs();
  w.after_persist = std::move(rd.messages_after_persist);
  const uint64_t seq = w.seq;
  inflight.push_back(std::move(w));

  WriteBatch batch;
  batch.snapshot = rd.snapshot;  // Shares the payload; apply restores it.
  batch.entries = std::move(rd.entries);
  batch.hard_state = rd.hard_state;
  ++metrics_.storage_writes;
  // The storage may call `done` inside Write, later, or after this Server
  // is gone: always hop through the runtime, and check the token.
  storage_->Write(
      std::move(batch), [alive = alive_, this, seq](absl::Status s) {
        if (!*alive) return;
        runtime_->Post([alive, this, seq, s = std::move(s)]() mutable {
          if (!*alive) return;
          OnWriteDone(seq, std::move(s));
        });
      });
}

void Server::OnWriteDone(uint64_t seq, absl::Status status) {
  if (stopped_) return;
  if (!status.ok()) {
    // Raft cannot continue past a failed write: what the Node believes is
    // on disk is not (docs/server.md "Errors").
    Fail(absl::DataLossError(
        absl::StrCat("storage write failed: ", status.ToString())));
    FlushCompletions(/*post=*/false);
    return;
  }
  auto& inflight = pending_->inflight;
  auto it = inflight.begin();
  while (it != inflight.end() && it->seq != seq) ++it;
  if (it != inflight.end() && it->node_term != node_->term()) {
    coverage_.Hit(Situation::kWriteCompletesInNewTerm);
  }
  if (it == inflight.end() || it->completed) {
    // A completion for no write of ours, or a second one: a storage bug.
    Fail(absl::InternalError(absl::StrCat("storage completed write #", seq,
                                          " that is not in flight")));
    FlushCompletions(/*post=*/false);
    return;
  }
  // The storage contract says completions come in call order; tolerate a
  // storage that breaks it by releasing only a completed prefix.
  it->completed = true;
  storage_write_us_.Observe(runtime_->NowUs() - it->issued_us);
  ReleaseDurable();
  SchedulePump();
}

// Releases the completed head of the persistence FIFO: reports each write
// durable (in Ready order, as Node::OnPersisted requires) and only then
// sends the messages that waited for it.
void Server::ReleaseDurable() {
  auto& inflight = pending_->inflight;
  while (!inflight.empty() && inflight.front().completed) {
    Pending::InflightReady head = std::move(inflight.front());
    inflight.pop_front();
    if (head.has_write) {
      node_->OnPersisted(head.persist_index, head.persist_term);
      metrics_.entries_persisted += head.entries;
    }
    for (Message& m : head.after_persist) Send(std::move(m));
  }
}

void Server::Send(Message message) {
  ++metrics_.messages_sent;
  if (tracer_ != nullptr) tracer_->OnSend(message);
  transport_->Send(std::move(message));
}

void Server::Complete(Callback done, absl::StatusOr<std::string> result) {
  pending_->completions.push_back({std::move(done), std::move(result)});
}

void Server::FlushCompletions(bool post) {
  if (pending_->completions.empty()) return;
  std::vector<Pending::Completion> batch;
  batch.swap(pending_->completions);
  if (post) {
    // The task owns the callbacks and never touches the Server.
    runtime_->Post([batch = std::move(batch)]() mutable {
      for (Pending::Completion& c : batch) c.done(std::move(c.result));
    });
    return;
  }
  // Inline, at the end of a runtime task: a callback may Submit, Read or
  // Stop (all re-entrant-safe now), but not destroy the Server.
  for (Pending::Completion& c : batch) c.done(std::move(c.result));
}

}  // namespace raftsim::raft
