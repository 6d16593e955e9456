// sim/world/node_host.cc — see node_host.h. Single-threaded.

#include "sim/world/node_host.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::sim {

// The node's raft::Transport: straight into the simulated network.
class NodeHost::Transport final : public raft::Transport {
 public:
  explicit Transport(Network* network) : network_(network) {}
  void Send(raft::Message message) override {
    network_->Send(std::move(message));
  }

 private:
  Network* network_;
};

// Records the Server's reads — taken up by the leader, confirmed by the
// core — in the trace (the read_leadership checker watches them), and
// checks the Server's side of the Ready contract (raft/ready.h) as it
// happens: every message a Ready hands over is sent — the immediate ones
// while the Ready is handled, in order; the after-persist ones in Ready
// order once released — and nothing else is sent. A Server that drops or
// reorders a held ack or vote reply leaves Raft safe but stalls it until a
// retry, which no safety checker sees; one that invents a message is
// worse. The first breach is kept (NodeHost::contract_violation).
class NodeHost::HostTracer final : public raft::ServerTracer {
 public:
  HostTracer(HostIndex node, Tracer* tracer) : node_(node), tracer_(tracer) {}

  // A new incarnation: what the previous Server still held died with it.
  void Reset() {
    immediate_.clear();
    after_persist_.clear();
  }
  const std::optional<std::string>& violation() const { return violation_; }

  void OnReady(const raft::Ready& rd) override {
    if (!immediate_.empty()) {
      Breach(absl::StrCat("took up a Ready before sending the previous one's ",
                          immediate_.size(), " immediate messages (next ",
                          immediate_.front().Describe(), ")"));
      immediate_.clear();
    }
    for (const raft::Message& m : rd.messages) {
      immediate_.push_back(MessageSummary::Of(m));
    }
    // Held messages leave in Ready order, so one queue holds them all.
    for (const raft::Message& m : rd.messages_after_persist) {
      after_persist_.push_back(MessageSummary::Of(m));
    }
  }
  void OnSend(const raft::Message& message) override {
    const MessageSummary sent = MessageSummary::Of(message);
    if (!immediate_.empty()) {
      if (!(sent == immediate_.front())) {
        Breach(absl::StrCat("sent ", sent.Describe(),
                            " while its Ready's next immediate message is ",
                            immediate_.front().Describe()));
      }
      immediate_.pop_front();
      return;
    }
    if (after_persist_.empty()) {
      Breach(absl::StrCat("sent ", sent.Describe(),
                          ", which no Ready handed over"));
      return;
    }
    if (!(sent == after_persist_.front())) {
      Breach(absl::StrCat("sent ", sent.Describe(),
                          " while the next message held for persistence is ",
                          after_persist_.front().Describe(),
                          " (a held message was dropped or reordered)"));
    }
    after_persist_.pop_front();
  }
  void OnReadIssued(uint64_t context, raft::Term term) override {
    tracer_->Record(node_, TraceKind::kReadIssue,
                    ReadPayload{context, term, raft::LogIndex(0)});
  }
  void OnReadConfirmed(const raft::ReadState& read) override {
    tracer_->Record(node_, TraceKind::kReadConfirm,
                    ReadPayload{read.context, raft::Term(0), read.index});
  }

 private:
  void Breach(std::string what) {
    if (!violation_.has_value()) {
      violation_ = absl::StrCat(node_.Describe(), " ", what);
    }
  }

  HostIndex node_;
  Tracer* tracer_;
  std::deque<MessageSummary> immediate_;
  std::deque<MessageSummary> after_persist_;
  std::optional<std::string> violation_;
};

// Records every apply and restore in the trace, then forwards to the KV
// state machine.
class NodeHost::RecordingStateMachine final : public raft::StateMachine {
 public:
  RecordingStateMachine(HostIndex node, Tracer* tracer, KvStateMachine* kv,
                        NodeHost* host)
      : node_(node), tracer_(tracer), kv_(kv), host_(host) {}

  // Inline unless the host applies asynchronously: then the batch takes
  // effect, and completes, after a drawn delay (a node event, so a crash
  // discards it and a pause defers it).
  void ApplyAsync(absl::Span<const raft::Entry> entries,
                  ApplyDone done) override {
    if (host_->apply_us_max_ == 0) {
      return raft::StateMachine::ApplyAsync(entries, std::move(done));
    }
    const int64_t delay_us = host_->apply_prng_.Range(0, host_->apply_us_max_);
    host_->queue_->After(delay_us, node_, EventKind::kPost,
                         /*crash_scoped=*/true,
                         [this, entries, done = std::move(done)]() mutable {
                           raft::StateMachine::ApplyAsync(entries,
                                                          std::move(done));
                         });
  }

  void Apply(absl::Span<const raft::Entry> entries,
             std::vector<std::string>* results) override {
    for (const raft::Entry& e : entries) {
      tracer_->Record(node_, ApplyPayload{e.index, e.term, PayloadDigest(e)});
    }
    kv_->Apply(entries, results);
  }
  std::string Query(std::string_view query) const override {
    return kv_->Query(query);
  }
  std::string TakeSnapshot() const override { return kv_->TakeSnapshot(); }
  absl::Status Restore(std::string_view data) override {
    // At Start the snapshot restored is the disk's; later it is one the
    // leader sent, which the core has already made its log's base (the
    // Server restores before it persists).
    const raft::Node* node = host_->node();
    const raft::LogIndex index = node != nullptr
                                     ? node->log().base_index()
                                     : host_->log_->snapshot().meta.index;
    const raft::Term term = node != nullptr ? node->log().base_term()
                                            : host_->log_->snapshot().meta.term;
    tracer_->Record(node_, RestorePayload{index, term});
    return kv_->Restore(data);
  }

  // FNV-1a over the entry kind and payload bytes.
  static uint64_t PayloadDigest(const raft::Entry& e) {
    uint64_t h = 0xcbf29ce484222325ULL;
    h = (h ^ static_cast<uint64_t>(e.kind)) * 0x100000001b3ULL;
    for (unsigned char ch : e.payload.view()) {
      h = (h ^ ch) * 0x100000001b3ULL;
    }
    return h;
  }

 private:
  HostIndex node_;
  Tracer* tracer_;
  KvStateMachine* kv_;
  NodeHost* host_;
};

NodeHost::NodeHost(HostIndex index, raft::ServerOptions options,
                   int64_t drift_ppm, EventQueue* queue, Network* network,
                   Tracer* tracer, Prng prng, Prng disk_prng,
                   DiskOptions disk_options, Prng apply_prng,
                   int64_t apply_us_max)
    : index_(index),
      options_(std::move(options)),
      queue_(queue),
      tracer_(tracer),
      prng_(prng),
      apply_prng_(apply_prng),
      apply_us_max_(apply_us_max),
      runtime_(queue, index, drift_ppm),
      storage_(std::make_unique<MemoryNodeStorage>(index, queue, tracer,
                                                   disk_prng, disk_options)),
      transport_(std::make_unique<Transport>(network)) {
  options_.raft.id = id();
}

NodeHost::~NodeHost() = default;

const raft::Node* NodeHost::node() const {
  return server_ != nullptr && server_->started() ? &server_->node() : nullptr;
}

void NodeHost::Start() {
  CHECK(server_ == nullptr);
  ++incarnation_;
  if (incarnation_ > 1) tracer_->Record(index_, TraceKind::kRestart);
  options_.raft.seed = prng_.Next();
  kv_ = std::make_unique<KvStateMachine>();
  recorder_ =
      std::make_unique<RecordingStateMachine>(index_, tracer_, kv_.get(), this);
  log_ = storage_->Open();
  server_ = std::make_unique<raft::Server>(
      options_, &runtime_, transport_.get(), log_, recorder_.get());
  if (host_tracer_ == nullptr) {
    host_tracer_ = std::make_unique<HostTracer>(index_, tracer_);
  }
  host_tracer_->Reset();
  server_->SetTracer(host_tracer_.get());
  const HostIndex node = index_;
  Tracer* tracer = tracer_;
  server_->SetSoftStateListener([node, tracer](const raft::SoftState& s) {
    tracer->Record(node, RolePayload{s.role, s.term, s.leader});
  });
  // Never called with a static membership that does not change, so runs
  // without membership changes trace as before.
  server_->SetMembershipListener([node, tracer](const raft::Membership& m) {
    tracer->RecordText(node, "",
                       MembershipPayloadOf(MembershipEvent::kInForce, m));
  });
  // The metrics pump (SimOptions::metrics_ms); no timer when it is off.
  server_->SetMetricsListener([node, tracer](const raft::MetricsSnapshot& m) {
    const int64_t backlog = static_cast<int64_t>(
        m.queues.apply_queued_entries + m.queues.apply_in_flight_entries);
    tracer->RecordText(
        node,
        absl::StrCat("last=i", m.last_index.value(), " durable=i",
                     m.durable_index.value(), " proposals=", m.queues.proposals,
                     " writes=", m.queues.writes_in_flight, " held=",
                     m.queues.held_messages, " inflight=", m.inflight_messages,
                     " commit_p99_us=", m.propose_to_commit_us.Quantile(0.99)),
        MetricsPayload{m.commit_index, m.applied_index, backlog});
  });
  const absl::Status status = server_->Start();
  CHECK(status.ok()) << index_.Describe()
                     << " failed to start from its durable state: "
                     << status.ToString();
  if (bootstrap_.has_value() && !server_->node().initialised()) {
    const absl::Status st = Bootstrap(*bootstrap_);
    CHECK(st.ok()) << index_.Describe()
                   << " failed to bootstrap: " << st.ToString();
  }
}

void NodeHost::Crash() {
  CHECK(server_ != nullptr);
  tracer_->Record(index_, TraceKind::kCrash);
  // Destroy first: whatever the Server posts while dying belongs to the old
  // epoch, which EventQueue::Crash then discards with the node's timers and
  // disk completions.
  past_coverage_.Add(server_->coverage());
  server_.reset();
  recorder_.reset();
  kv_.reset();
  queue_->Crash(index_);
  log_ = nullptr;
  storage_->Crash();
}

void NodeHost::UseWal(Prng prng, WalNodeOptions options) {
  CHECK_EQ(incarnation_, 0u);
  // A failed write stopped the Server (fail-stop): crash the node now,
  // through the page-cache crash, and restart it later, as a supervisor
  // would. A fault that crashed it meanwhile has its own restart.
  storage_ = std::make_unique<WalNodeStorage>(
      index_, queue_, tracer_, prng, options, [this](int64_t restart_us) {
        queue_->After(0, index_, EventKind::kFault, /*crash_scoped=*/true,
                      [this, restart_us] {
                        if (!up()) return;
                        Crash();
                        queue_->After(restart_us, kWorld, EventKind::kFault,
                                      /*crash_scoped=*/false, [this] {
                                        // Not a host retired meanwhile.
                                        if (!up() && !retired_) Start();
                                      });
                      });
      });
}

void ConfigureStorage(const SimOptions& o, const Streams& streams,
                      NodeHost* host) {
  const bool wal =
      o.storage == 1 || (o.storage == 2 && host->id().value() % 2 == 1);
  if (!wal) return;
  WalNodeOptions w;
  w.segment_bytes = static_cast<uint64_t>(o.wal_segment_bytes);
  w.sync_fail_ppm = static_cast<uint64_t>(o.wal_sync_fail_ppm);
  w.full_ppm = static_cast<uint64_t>(o.wal_full_ppm);
  w.faults_until_us = o.fault_ms * 1000;
  w.write_us_max = o.disk_write_us_max;
  w.write_us_min = std::min<int64_t>(w.write_us_min, w.write_us_max);
  w.sync_us_max = o.disk_sync_us_max;
  w.sync_us_min = std::min<int64_t>(w.sync_us_min, w.sync_us_max);
  w.torn_writes = o.torn_writes != 0;
  host->UseWal(streams.Wal(host->index()), w);
}

std::optional<std::string> NodeHost::contract_violation() const {
  if (host_tracer_ != nullptr && host_tracer_->violation().has_value()) {
    return host_tracer_->violation();
  }
  // The simulated network delivers what correct peers sent, unaltered: a
  // message the core refuses as malformed or misaddressed means a sender
  // built a bad one or this node refuses a good one.
  if (server_ != nullptr && server_->metrics().messages_rejected != 0) {
    return absl::StrCat(index_.Describe(), " refused ",
                        server_->metrics().messages_rejected,
                        " message(s) from the simulated network as malformed");
  }
  return std::nullopt;
}

raft::Coverage NodeHost::coverage() const {
  raft::Coverage total = past_coverage_;
  if (server_ != nullptr) total.Add(server_->coverage());
  return total;
}

absl::Status NodeHost::Bootstrap(const raft::ConfState& conf) {
  CHECK(server_ != nullptr);
  raft::Membership m;
  m.index = raft::LogIndex(1);
  m.conf = conf;
  tracer_->RecordText(index_, "",
                      MembershipPayloadOf(MembershipEvent::kBootstrap, m));
  return server_->Bootstrap(conf);
}

void NodeHost::Retire(bool keep_running) {
  if (retired_) return;
  retired_ = true;
  tracer_->RecordText(
      index_, keep_running ? "keeps running" : "stopped",
      MembershipPayload{MembershipEvent::kRetire, raft::LogIndex(0), 0, 0});
  if (!keep_running && up()) Crash();
}

void NodeHost::Unretire() {
  if (!retired_) return;
  retired_ = false;
  tracer_->RecordText(
      index_, "added again",
      MembershipPayload{MembershipEvent::kRetire, raft::LogIndex(0), 0, 0});
  if (!up()) Start();
}

uint32_t NodeBits(const std::vector<raft::NodeId>& ids) {
  uint32_t bits = 0;
  for (const raft::NodeId id : ids) {
    if (id.value() >= 1 && id.value() <= 32) {
      bits |= uint32_t{1} << (id.value() - 1);
    }
  }
  return bits;
}

MembershipPayload MembershipPayloadOf(MembershipEvent event,
                                      const raft::Membership& membership) {
  const raft::ConfState& c = membership.conf;
  return MembershipPayload{event, membership.index,
                           NodeBits(c.voters) | NodeBits(c.voters_outgoing),
                           NodeBits(c.learners) | NodeBits(c.learners_next)};
}

void NodeHost::Pause() {
  tracer_->Record(index_, TraceKind::kPause);
  queue_->Pause(index_);
}

void NodeHost::Resume() {
  tracer_->Record(index_, TraceKind::kResume);
  queue_->Resume(index_);
}

}  // namespace raftsim::sim
