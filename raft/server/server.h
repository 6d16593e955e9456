// raft/server/server.h — raft::Server, the pipeline that runs a Node for real.
//
// Drives a raft::Node on abstract interfaces only — Runtime, Transport,
// LogStorage (asynchronous completions) and StateMachine — so that the
// simulator and a production deployment run the same code (docs/design.md
// "raft::Server"). Stages, overlapping:
//   1. ingress: client commands are queued and proposed as one batch per
//      runtime turn;
//   2. append: the leader appends locally and replicates at once, then
//      takes the next batch — it never waits for commit;
//   3. replication: the Node pipelines AppendEntries per follower;
//   4. follower receive: appends are processed in order and acknowledged
//      when durable (Ready.messages_after_persist), without blocking the
//      next request;
//   5. commit and apply: committed entries go to the StateMachine strictly
//      in index order, in batches, from the Node's in-memory log (storage
//      is never read on this path);
//   6. respond: each client callback gets its result when its entry is
//      applied, or an error.
//
// Client errors: FailedPrecondition "not the leader" with a leader hint
// (LeaderHint()); Unavailable "leadership lost; outcome unknown" when the
// server stops being leader before the entry was applied; a client-side
// timeout is the client's own business (outcome unknown too).
//
// Threading: every method must be called on the runtime's logical thread.
// Client callbacks run on that thread too: either at the end of the runtime
// task that produced them, or (for errors found inside Submit/Read/Stop)
// posted — never inside the call that registered them. A callback may call
// Submit/Read/Stop but must not destroy the Server. docs/server.md has the
// whole contract.

#ifndef RAFTSIM_RAFT_SERVER_SERVER_H_
#define RAFTSIM_RAFT_SERVER_SERVER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "raft/confchange/conf_change.h"
#include "raft/config.h"
#include "raft/coverage.h"
#include "raft/node.h"
#include "raft/ready.h"
#include "raft/server/metrics.h"
#include "raft/server/runtime.h"
#include "raft/server/state_machine.h"
#include "raft/server/transport.h"
#include "raft/storage.h"

namespace raftsim::raft {

struct ServerOptions {
  Config raft;
  // One Node::Tick() every tick_us of runtime time. With lease reads
  // (raft.lease_read) the Server keeps the Node's tick count equal to the
  // runtime clock's ticks since Start: after a stall (a pause, a busy
  // loop) it delivers the missed ticks at the next timer, before it asks
  // for a read and before it steps a message, so that a lease (and the
  // vote refusals it rests on) is never judged on a stale clock.
  int64_t tick_us = 10'000;
  // Ingress batching: at most this many commands / bytes per proposal.
  size_t max_batch_commands = 1024;
  uint64_t max_batch_bytes = 1 << 20;
  // Take a state-machine snapshot every this many applied entries (0 =
  // never) and keep this many entries before it for lagging followers.
  uint64_t snapshot_every_entries = 0;
  uint64_t snapshot_keep_entries = 128;
  // The metrics pump: every this many microseconds of runtime time the
  // Server publishes a MetricsSnapshot to its MetricsListener (0 = never;
  // Metrics() answers on demand either way). Events are never delayed.
  int64_t metrics_interval_us = 0;

  absl::Status Validate() const;
};

// Optional observer of the pipeline, for tracing and debugging
// (docs/metrics.md "Tracing"). Every hook runs inline on the runtime's
// thread, synchronously, in pipeline order; it must not call back into the
// Server. Defaults do nothing, so a tracer overrides only what it needs.
class ServerTracer {
 public:
  virtual ~ServerTracer() = default;
  // A message handed to the Transport (Ready.messages at once; after-persist
  // messages once their writes are durable).
  virtual void OnSend(const Message& /*message*/) {}
  // A message given to Receive while running, before the Node steps it.
  virtual void OnReceive(const Message& /*message*/) {}
  // A Ready, before the Server acts on it.
  virtual void OnReady(const Ready& /*ready*/) {}
  // Entries [first, last] were applied to the StateMachine (one call per
  // apply batch).
  virtual void OnApply(LogIndex /*first*/, LogIndex /*last*/) {}
  // A batch of reads went to Node::ReadIndex with `context` and was taken
  // up by the leader of `term`.
  virtual void OnReadIssued(uint64_t /*context*/, Term /*term*/) {}
  // The Node confirmed the batch `read.context` (a ReadState: heartbeat
  // quorum or lease); its reads are served once `read.index` is applied.
  virtual void OnReadConfirmed(const ReadState& /*read*/) {}
  // The soft state at Start and every role/leader/term change afterwards
  // (what the SoftStateListener sees).
  virtual void OnSoftState(const SoftState& /*soft*/) {}
  // The configuration in force changed (Ready::membership; what the
  // MembershipListener sees).
  virtual void OnMembership(const Membership& /*membership*/) {}
};

class Server {
 public:
  using Callback = absl::AnyInvocable<void(absl::StatusOr<std::string>)>;
  // Observes role/leader/term changes (state-change events).
  using SoftStateListener = absl::AnyInvocable<void(const SoftState&)>;
  // Gets the outcome of a ChangeMembership.
  using MembershipCallback =
      absl::AnyInvocable<void(absl::StatusOr<Membership>)>;
  // Observes changes of the configuration in force (membership events).
  using MembershipListener = absl::AnyInvocable<void(const Membership&)>;
  // The metrics pump (ServerOptions::metrics_interval_us).
  using MetricsListener = absl::AnyInvocable<void(const MetricsSnapshot&)>;
  // State changes and asynchronous errors, published at once.
  using EventListener = absl::AnyInvocable<void(const ServerEvent&)>;

  // The pointers must outlive the Server. (Completions that the storage or
  // the runtime deliver after the Server is destroyed are ignored: every
  // callback the Server hands out holds a shared "alive" token and checks
  // it before touching the Server. See docs/server.md.)
  Server(ServerOptions options, Runtime* runtime, Transport* transport,
         LogStorage* storage, StateMachine* state_machine);
  // Stops the server if it is running (pending callbacks are posted with
  // Unavailable to the runtime; they never touch the destroyed Server).
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the durable state from storage, restores the state machine from
  // its snapshot, builds the Node and starts ticking. Errors for invalid
  // options or durable state. REQUIRES: called at most once.
  absl::Status Start();
  // Stops ticking; pending callbacks get Unavailable. The Server must not
  // be used afterwards except for observers.
  void Stop();

  // A message from a peer (Transport's receive side).
  void Receive(Message message);

  // Replicates `command`; `done` gets the state machine's result once the
  // entry is applied here, or an error.
  void Submit(std::string command, Callback done);

  // Linearizable read (thesis §6.4 ReadIndex): confirms leadership with a
  // quorum, waits until the read index is applied, then runs
  // StateMachine::Query.
  void Read(std::string query, Callback done);

  // Starts an election now (Node::Campaign: pre-vote first when enabled;
  // no-op on a leader), as if the election timer had fired. Used by
  // scripted runs (the simulator's `campaign` scenario action). No-op
  // before Start or after Stop.
  void Campaign();

  // Writes the first configuration of a new cluster (Node::Bootstrap,
  // docs/membership.md "Initialisation"): on a Server whose storage was
  // empty and whose Config has no voters, call it after Start and before
  // the node hears from a leader (right after Start: Start only schedules
  // work on the runtime). The entry and the hard state are written through
  // the normal Ready path, like any other. FailedPrecondition before Start
  // or after Stop, and the Node's errors: a no-op when bootstrapped with
  // the same membership already, FailedPrecondition on a node initialised
  // otherwise, InvalidArgument for a bad membership.
  absl::Status Bootstrap(const ConfState& membership);

  // Proposes a membership change (Node::ProposeConfChange; thesis §4).
  // `done` runs on the runtime thread, like Submit's callbacks, with the
  // configuration the entry leads to (its index and ConfState) once the
  // entry is committed and applied here — for a joint change with
  // auto-leave, when the joint entry is applied (as etcd, on apply of the
  // entry); the leave entry the leader then appends by itself is seen
  // through the MembershipListener and configuration(). Errors (never
  // inside this call; posted or at the end of the task):
  //   - not the leader: FailedPrecondition "node nX is not the leader
  //     (leader is nY)" with the hint LeaderHint() reads;
  //   - a change already in progress (the configuration in force is not
  //     committed, e.g. the previous change or an auto-leave):
  //     FailedPrecondition "the configuration change at iN is not
  //     committed yet ...";
  //   - a new leader that has not committed an entry of its term yet:
  //     Unavailable (retry);
  //   - a leadership transfer in progress: Unavailable "leadership
  //     transfer to nX in progress";
  //   - an invalid change (the Changer: removing the last voter, adding a
  //     member twice, an unknown node...): InvalidArgument or
  //     FailedPrecondition naming the problem;
  //   - the entry lost to a leader change: as Submit's proposals, Aborted
  //     "not applied: ..." once another entry is applied at or below its
  //     index in a later term, Unavailable "leadership lost; outcome
  //     unknown" when a snapshot covers it or the server stops.
  void ChangeMembership(confchange::ConfChange change, MembershipCallback done);

  // Hands leadership to `target` (Node::TransferLeadership; thesis §3.10).
  // Returns at once; success is seen as a SoftState change. While the
  // transfer is in progress Submit's commands and ChangeMembership fail
  // with Unavailable "leadership transfer to nX in progress"; Read still
  // works. FailedPrecondition before Start or after Stop, and the Node's
  // errors (not the leader with the hint, target is self or not a voter).
  absl::Status TransferLeadership(NodeId target);

  // The configuration in force on this node and the index of the entry
  // that set it. REQUIRES: started().
  Membership configuration() const { return node_->membership(); }

  void SetSoftStateListener(SoftStateListener listener);
  // Called, on the runtime thread, every time a Ready reports that the
  // configuration in force changed (Ready::membership: a configuration
  // entry appended or truncated, a snapshot installed, Bootstrap) — on
  // append, not on commit (docs/membership.md). Never called with a
  // static membership that does not change.
  void SetMembershipListener(MembershipListener listener);
  // Receives a MetricsSnapshot every metrics_interval_us from Start until
  // Stop or a fatal error (on the runtime's timer: deterministic under the
  // simulator). Nothing is published while no listener is set.
  void SetMetricsListener(MetricsListener listener);
  // Receives, at once and in order, a ServerEvent for every change of role,
  // leader, term (one event each, in that order: term, role, leader) and of
  // the configuration in force, and for the error that stops the Server
  // (a failed storage write or compaction, a snapshot the state machine
  // cannot restore, a storage that breaks its contract). Runs inline on
  // the runtime thread; it must not call back into the Server.
  void SetEventListener(EventListener listener);
  // Every counter, gauge and histogram now. REQUIRES: started().
  MetricsSnapshot Metrics() const;
  // Installs `tracer` (nullptr = off; the cost when off is a pointer test
  // per hook). REQUIRES: `tracer` outlives the Server or is replaced first.
  void SetTracer(ServerTracer* tracer) { tracer_ = tracer; }

  // REQUIRES: started().
  const Node& node() const { return *node_; }
  bool started() const { return node_ != nullptr; }
  // True after Stop() or a fatal error (see failure()).
  bool stopped() const { return stopped_; }
  // Why the server stopped itself: a failed storage write or compaction,
  // or a snapshot the state machine could not restore. OK otherwise
  // (including after an ordinary Stop()).
  const absl::Status& failure() const { return failure_; }
  // The last index applied to the state machine.
  LogIndex applied_index() const { return applied_index_; }
  const ServerMetrics& metrics() const { return metrics_; }
  // How often each protocol situation happened in this Server and its
  // Node (raft/coverage.h).
  Coverage coverage() const;

 private:
  // Queues and in-flight bookkeeping; defined in server.cc.
  struct Pending;

  // server.cc: ingress, the Ready loop, persistence, lifecycle.
  void Pump();
  void SchedulePump();
  void ArmTick();
  void OnTick();
  // Lease reads: ticks the Node until its count matches the runtime clock.
  void CatchUpTicks();
  void ProposeQueued();
  void IssueReads();
  void HandleReady(Ready rd);
  void Persist(Ready& rd);
  void OnWriteDone(uint64_t seq, absl::Status status);
  void ReleaseDurable();
  void Send(Message message);
  // apply.cc: apply, respond, reads, snapshots, soft state.
  bool RestoreSnapshot(const Snapshot& snapshot);
  void ApplyCommitted(std::vector<Entry>& entries);
  void ObserveCommitted(const std::vector<Entry>& entries);
  bool RestoreOrQueue(const Snapshot& snapshot);
  void StartApply(std::vector<Entry>& entries);
  void DrainApply();
  void OnApplied(uint64_t generation, std::vector<std::string> results);
  // The pipeline's own invariants, checked at the end of every turn
  // (always on, like the Node's): a read is answered as soon as its index
  // is applied; a Server that does not lead holds no unconfirmed read and
  // a leader only those of its term; no proposal of a term below the
  // applied entry's waits (it can never commit); the per-term proposal
  // counts add up to the proposals.
  void CheckInvariants() const;
  void Respond(std::vector<std::string>& results);
  // Answers "not applied" every proposal of a term older than the applied
  // entry's (apply.cc explains why that is final).
  void AbortOverrunProposals();
  void ForgetProposalTerm(Term term);
  void ConfirmReads(const std::vector<ReadState>& read_states);
  void ServeReads();
  void OnSoftState(const SoftState& soft);
  // Publishes the events of a soft-state / membership change (metrics.cc
  // has no Server: these live in server.cc).
  void PublishSoftStateEvents(const SoftState& before, const SoftState& after);
  void PublishMembershipEvent(const Membership& membership, const Ready& ready);
  void Publish(ServerEvent event);
  void ArmMetricsPump();
  void MaybeTakeSnapshot();
  // Fails every pending client callback with `status`.
  void FailPending(const absl::Status& status);
  // Stops the server because of a fatal error.
  void Fail(absl::Status status);
  // Queues a client completion; FlushCompletions runs (or posts) them.
  void Complete(Callback done, absl::StatusOr<std::string> result);
  void FlushCompletions(bool post);

  ServerOptions options_;
  Runtime* runtime_;
  Transport* transport_;
  LogStorage* storage_;
  StateMachine* state_machine_;
  std::unique_ptr<Node> node_;
  ServerMetrics metrics_;
  // The histograms of MetricsSnapshot, kept here.
  Histogram propose_to_commit_us_{LatencyBucketsUs()};
  Histogram propose_to_apply_us_{LatencyBucketsUs()};
  Histogram storage_write_us_{LatencyBucketsUs()};
  Histogram apply_batch_entries_{SizeBuckets()};
  Histogram ready_entries_{SizeBuckets()};
  Histogram ready_messages_{SizeBuckets()};
  MetricsListener metrics_listener_;
  EventListener event_listener_;
  Runtime::TimerId metrics_timer_ = 0;
  // The configuration in force last published (membership events).
  LogIndex last_membership_index_;
  Coverage coverage_;  // The Server's own situations; the Node keeps its.
  SoftStateListener soft_state_listener_;
  MembershipListener membership_listener_;
  ServerTracer* tracer_ = nullptr;  // Not owned; nullptr = tracing off.
  bool pump_scheduled_ = false;
  bool stopped_ = false;
  absl::Status failure_;
  Runtime::TimerId tick_timer_ = 0;
  // The runtime clock at Start and the ticks delivered since (CatchUpTicks).
  int64_t clock_origin_us_ = 0;
  int64_t ticks_delivered_ = 0;
  // Captured by every callback handed to the runtime or storage; points to
  // this Server, set to null by the destructor. (A pointer rather than a
  // bool so that the pump and tick tasks capture the token alone: 16 bytes,
  // which fit an AnyInvocable's inline storage, so they allocate nothing.)
  std::shared_ptr<Server*> alive_;
  // Last soft state observed through a Ready (or at Start).
  SoftState soft_state_;
  // The last index the state machine has applied (a completed batch or a
  // restored snapshot); applied_term_ is the term of that entry (the
  // snapshot term when it is the snapshot point).
  // Invariant: applied_index_ <= node_->applied_index() (what the Node has
  // handed out); equal whenever no apply work is queued or outstanding.
  LogIndex applied_index_;
  Term applied_term_;
  // Index of the last snapshot taken or installed (snapshot policy).
  LogIndex snapshot_index_;
  // ApplyAsync calls so far; a completion names the call it answers.
  uint64_t apply_generation_ = 0;
  // Inside StateMachine::ApplyAsync: an inline completion only does the
  // bookkeeping; its caller goes on.
  bool in_apply_call_ = false;
  uint64_t next_read_context_ = 0;
  uint64_t next_write_seq_ = 0;
  std::unique_ptr<Pending> pending_;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_SERVER_H_
