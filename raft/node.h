// raft/node.h — raft::Node, the pure Raft core.
//
// A deterministic state machine with no I/O, clocks, threads or randomness
// of its own (etcd's RawNode). Inputs: Tick(), Step(message),
// Propose(batch), ReadIndex(context), Campaign(), OnPersisted(...). Output:
// a Ready batch (raft/ready.h states the contract), acknowledged with
// Advance(). Restart is construction from the durable state the host read
// back (Create), so there is no storage call inside the core to fail
// halfway.
//
// The node keeps its whole log after the last snapshot point in memory
// (LogCabin does the same); snapshots (Compact) bound it. So replication
// and apply never read storage.
//
// Membership (docs/membership.md): the configuration in force is the
// latest configuration entry in the log, committed or not (thesis §4.1),
// else the snapshot's ConfState, else Config.voters/learners; it changes
// when such an entry is appended or truncated and when a snapshot is
// installed. A node with none of these is uninitialised until Bootstrap or
// a leader's log reaches it.
//
// Implemented across node.cc (construction, Tick, Step dispatch, Send,
// Propose, Describe), membership.cc (the configuration in force,
// ProposeConfChange, Bootstrap, auto-leave, a removed leader's step-down),
// ready_cycle.cc (HasReady, GetReady,
// Advance, OnPersisted, Compact), election.cc (roles, timers, votes,
// CheckQuorum), replication.cc (AppendEntries, heartbeats, commit),
// transfer.cc (TransferLeadership, TimeoutNow), read_index.cc (ReadIndex
// and its heartbeat acks), snapshot.cc (InstallSnapshot) and invariants.cc
// (CheckInvariants, CheckTransition).
// The log is a RaftLog (raft_log.h/.cc) and the pending reads a ReadOnly
// (read_only.h/.cc).
//
// Single-threaded; not thread-safe. One thread (or a strand) owns a Node.

#ifndef RAFTSIM_RAFT_NODE_H_
#define RAFTSIM_RAFT_NODE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "base/prng.h"
#include "raft/confchange/conf_change.h"
#include "raft/config.h"
#include "raft/coverage.h"
#include "raft/entry.h"
#include "raft/message.h"
#include "raft/raft_log.h"
#include "raft/read_only.h"
#include "raft/ready.h"
#include "raft/storage.h"
#include "raft/tracker/tracker.h"
#include "raft/types.h"

namespace raftsim::raft {

// Indexes assigned to an accepted proposal batch: [first, last] at `term`.
struct ProposeResult {
  LogIndex first;
  LogIndex last;
  Term term;
};

// The leader a refused proposal should be retried at (from the status
// payload), or kNoNode when unknown / not a not-leader error.
NodeId LeaderHint(const absl::Status& status);

// FailedPrecondition "node n1 is not the leader (leader is n2)" carrying the
// hint that LeaderHint() reads back.
absl::Status NotLeaderError(NodeId self, NodeId leader);

class Node {
 public:
  // Validates `config` and the durable state (user input: returns an error,
  // never CHECKs) and builds the node as a follower.
  static absl::StatusOr<std::unique_ptr<Node>> Create(const Config& config,
                                                      DurableState state);

  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Advances logical time by one tick (election and heartbeat timers).
  void Tick();

  // Processes one message from a peer. InvalidArgument for a message not
  // addressed to this node or from an unknown sender type; stale messages
  // are ignored or answered, not errors.
  absl::Status Step(const Message& message);
  absl::Status Step(Message&& message);

  // Appends `payloads` as normal entries. Leader only: otherwise
  // FailedPrecondition with the leader hint (see LeaderHint). ResourceExhausted
  // when the uncommitted tail would exceed Config::max_uncommitted_bytes.
  absl::StatusOr<ProposeResult> Propose(absl::Span<const Payload> payloads);

  // Thesis §6.4 ReadIndex: asks to serve a linearizable read identified by
  // `context` (non-zero, unique on this node). Once this leader has
  // confirmed with a quorum that it still leads, a later Ready carries
  // ReadState{context, index}: serve the read after applying `index`.
  // FailedPrecondition (with leader hint) on non-leaders; Unavailable while
  // the leader has not yet committed an entry of its own term (retry).
  // Pending reads are forgotten when the node stops being leader.
  absl::Status ReadIndex(uint64_t context);

  // Starts an election now (pre-vote first when enabled). No-op on leaders.
  void Campaign();

  // Proposes a membership change (thesis §4; etcd ConfChangeV2 semantics,
  // raft/confchange). It takes effect on this leader at once, on append.
  // FailedPrecondition with the leader hint on non-leaders; Unavailable
  // (retry) until this leader has committed an entry of its own term
  // (Ongaro, raft-dev 2015: otherwise a change can be lost with the
  // leader's predecessor's uncommitted one); FailedPrecondition while the
  // configuration in force is not committed (one change at a time);
  // InvalidArgument / FailedPrecondition from the Changer for an invalid
  // change. A joint change with auto_leave is left by the leader, without
  // a proposal, once it commits.
  absl::StatusOr<ProposeResult> ProposeConfChange(
      const confchange::ConfChange& change);

  // Writes the first configuration of a new cluster: entry i1@t1 of kind
  // kConfig (a kBootstrap change), committed at once (every node bootstrapped
  // writes the same entry). REQUIRES nothing: on a node already bootstrapped
  // with the same membership (entry i1 still in memory and equal) it is a
  // no-op; FailedPrecondition on any other initialised node (one with a
  // static membership, a log or a snapshot); InvalidArgument for a
  // membership with no voters, outgoing voters, or a node both voter and
  // learner.
  absl::Status Bootstrap(const ConfState& membership);

  // Leadership transfer (thesis §3.10, etcd's MsgTransferLeader): this
  // leader brings `target` up to date and then sends it TimeoutNow, on
  // which the target campaigns at once (no pre-vote) with vote requests
  // that voters grant even while they heard this leader recently. While
  // the transfer is in progress Propose and ProposeConfChange are refused
  // with Unavailable ("leadership transfer to nX in progress"); ReadIndex
  // still works (lease reads stop once TimeoutNow was sent: the target's
  // vote requests bypass the lease this leader's reads rely on). The
  // transfer ends when this node stops leading, when the target is no
  // longer a voter, or after an election timeout of ticks without success
  // (proposals resume). A transfer to another target replaces the one in
  // progress; to the same target it is a no-op.
  // FailedPrecondition with the leader hint on non-leaders;
  // InvalidArgument when `target` is this node or not a member;
  // FailedPrecondition when `target` is a member but not a voter of the
  // incoming configuration in force (a learner, or a voter being removed).
  absl::Status TransferLeadership(NodeId target);
  // The target of the leadership transfer in progress; kNoNode when none
  // (always on non-leaders).
  NodeId lead_transferee() const { return lead_transferee_; }

  bool HasReady() const;
  // REQUIRES: HasReady(), and Advance() was called for the previous Ready.
  Ready GetReady();
  // Acknowledges the last Ready: its committed entries count as applied.
  void Advance();
  // The same, handing the spent Ready back so that its vectors' capacity is
  // reused by the next one (saves allocations on hot paths; optional).
  void Advance(Ready&& spent);
  // Reports that every write up to the Ready whose persist point was
  // (index, term) is durable. Reports must come in Ready order.
  void OnPersisted(LogIndex index, Term term);

  // The application snapshotted its state at `snapshot.meta.index` (<=
  // applied): keep the snapshot to send lagging followers, and drop
  // in-memory entries up to index - keep_entries. The snapshot's membership
  // is set here, to the configuration in force at its index (whatever the
  // caller put in `snapshot.meta.conf` is replaced).
  // FailedPrecondition when the index is not applied or already compacted.
  absl::Status Compact(Snapshot snapshot, uint64_t keep_entries);

  // Observers (cheap, const).
  NodeId id() const { return config_.id; }
  Role role() const { return role_; }
  Term term() const { return term_; }
  NodeId voted_for() const { return voted_for_; }
  NodeId leader() const { return leader_; }
  LogIndex commit_index() const { return log_.committed(); }
  LogIndex applied_index() const { return log_.applied(); }
  LogIndex durable_index() const { return log_.durable(); }
  LogIndex last_index() const { return log_.LastIndex(); }
  Term last_term() const { return log_.LastTerm(); }
  const RaftLog& log() const { return log_; }
  const tracker::ProgressTracker& tracker() const { return tracker_; }
  const Config& config() const { return config_; }
  // The latest snapshot (sent to lagging followers); index 0 when none.
  const Snapshot& snapshot() const { return snapshot_; }
  // The membership configuration in force and the index that set it (see
  // Membership in raft/ready.h).
  const tracker::Config& configuration() const;
  LogIndex configuration_index() const;
  Membership membership() const;
  // False until the node has a configuration with a voter: an uninitialised
  // node neither campaigns nor grants votes.
  bool initialised() const { return !configuration().voters.IDs().empty(); }
  HardState hard_state() const { return {term_, voted_for_, log_.committed()}; }
  // How often each protocol situation happened (raft/coverage.h).
  const Coverage& coverage() const { return coverage_; }
  // "n1 leader t4 commit=i9 applied=i9 last=i9@t4 durable=i9"
  std::string Describe() const;

  // Whether this node may start an election (election.cc): a voter of the
  // configuration in force, or of the one before it while the entry that
  // removed it is not known committed.
  bool MayCampaign() const;

 private:
  // replication.cc: the commit index under the canaries' wrong commit
  // rules (`committed` unchanged when none is active).
  LogIndex CanaryCommitted(LogIndex committed) const;
  // A configuration and the entry that set it (base: the snapshot point).
  struct ConfigPoint {
    LogIndex index;
    Term term;
    tracker::Config config;
  };

  Node(const Config& config, DurableState state, ConfigPoint conf_base,
       std::vector<ConfigPoint> conf_log);

  // election.cc
  void TickElection();
  void TickHeartbeat();
  void BecomeFollower(Term term, NodeId leader);
  void BecomePreCandidate();
  void BecomeCandidate();
  void BecomeLeader();
  // `transfer`: a real election started on TimeoutNow (flags the vote
  // requests; see Message::transfer).
  void StartElection(bool pre_vote, bool transfer = false);
  void ResetTerm(Term term);
  void ResetRandomizedElectionTimeout();
  void HandleVoteRequest(const Message& m);
  void HandleVoteReply(const Message& m);
  bool PastElectionTimeout() const;
  bool InLease() const;
  // read_index.cc: lease reads (Config::lease_read).
  void RecordLeaseAck(NodeId from, uint64_t sent_tick);
  bool HoldsLease() const;
  bool IsVoter(NodeId id) const { return tracker_.voters().Contains(id); }

  // replication.cc
  void HandleAppend(Message&& m);
  void HandleAppendReply(const Message& m);
  void HandleHeartbeat(const Message& m);
  void HandleHeartbeatReply(const Message& m);
  void HandleTimeoutNow(const Message& m);
  // Leader: sends TimeoutNow to the transfer target once its log matches
  // ours (and voids this term's lease); returns whether it sent.
  bool MaybeSendTimeoutNow(NodeId to);
  void AbortLeaderTransfer();
  // The Unavailable status Propose and ProposeConfChange return while a
  // transfer is in progress.
  absl::Status TransferInProgressError() const;
  void BroadcastAppend();
  void BroadcastHeartbeat();
  // Sends entries (or a probe / snapshot) to `to` if its flow allows;
  // returns whether a message was sent.
  bool MaybeSendAppend(NodeId to, bool send_if_empty);
  void SendHeartbeat(NodeId to, uint64_t context);
  void SendSnapshot(NodeId to, tracker::Progress& pr);
  bool MaybeCommit();
  void AppendAsLeader(std::vector<Entry>&& entries);
  void AdvanceSelfMatch();

  // read_index.cc (with the public ReadIndex)
  // A heartbeat reply from `from` echoed `context`: counts the ack and
  // releases the reads a quorum has confirmed.
  void HandleReadAck(NodeId from, uint64_t context);

  // snapshot.cc
  void HandleSnapshot(Message&& m);
  void HandleSnapshotReply(const Message& m);

  // membership.cc
  // Builds the configurations the durable log's config entries lead to,
  // from `base` (Create validates the durable state with it).
  static absl::Status ReplayConfigs(const ConfigPoint& base,
                                    const std::vector<Entry>& entries,
                                    std::vector<ConfigPoint>* out);
  // The configuration in force at `index` (>= conf_base_.index).
  const ConfigPoint& ConfigAt(LogIndex index) const;
  // Installs the configuration in force into the tracker and peers_.
  void ApplyConfigInForce();
  // After the log changed at [first, last] (an append that may have
  // truncated a suffix): forgets configurations whose entries are gone and
  // adopts those of new config entries.
  void UpdateConfigsAfterAppend(LogIndex first, LogIndex last, bool has_config);
  // Leader: appends a config entry for `change` that leads to `next`.
  ProposeResult AppendConfChange(const confchange::ConfChange& change,
                                 tracker::Config next);
  // Leader, after each input: appends the leave entry once a joint
  // configuration with auto_leave has committed (etcd raft.go; also for a
  // leader elected after the joint entry committed), and steps down once a
  // committed configuration no longer counts it as a voter (thesis §4.2.2).
  void MaybeAdvanceMembership();
  // MaybeAdvanceMembership found nothing to do for the configuration set at
  // this index in this term (a leader's commit is then current): it has
  // nothing to do until either changes.
  LogIndex membership_settled_index_;
  Term membership_settled_term_;

  // node.cc
  // Takes the message by rvalue: every caller builds one and hands it
  // over, and a by-value parameter would cost one more 150-byte move.
  void Send(Message&& m, bool after_persist);
  void StepLeader(Message&& m);
  void StepCandidate(Message&& m);
  void StepFollower(Message&& m);
  absl::Status StepInternal(Message&& m);

  // invariants.cc: CheckInvariants after every input; CheckTransition for
  // how an input may change term, vote, commit, leader and role (LogCabin
  // checkBasic / checkDelta).
  void CheckInvariants() const;
  // What CheckTransition compares against: the values it constrains, as
  // they were before the input.
  struct Checkpoint {
    Term term;
    NodeId voted_for;
    LogIndex commit;
    NodeId leader;
    Role role;
  };
  // Most inputs change none of what the transition rules relate (a
  // heartbeat, an ack): then every rule holds as it did after the previous
  // input, whose check ran, and only the commit index rule is left. Inline,
  // so that this common case costs a few compares.
  void CheckTransition(const Checkpoint& before) const {
    if (term_ == before.term && role_ == before.role &&
        leader_ == before.leader && voted_for_ == before.voted_for &&
        log_.committed() >= before.commit) {
      return;
    }
    CheckTransitionChanged(before);
  }
  void CheckTransitionChanged(const Checkpoint& before) const;
  // The CHECKs one by one, when the fused test above failed; never return.
  [[noreturn]] ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD void
  CheckInvariantsFailed() const;
  [[noreturn]] ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD void
  CheckTransitionFailed(const Checkpoint& before) const;
  Checkpoint Capture() const {
    return {term_, voted_for_, log_.committed(), leader_, role_};
  }
  // The first leader this node learned of in term term_leader_term_, kept
  // by CheckTransition across inputs: the leader may be forgotten within a
  // term (pre-vote, CheckQuorum) and learned again, but never replaced.
  // Invariant bookkeeping only; nothing else reads it.
  mutable Term term_leader_term_;
  mutable NodeId term_leader_;

  Config config_;
  Prng prng_;
  Coverage coverage_;

  // Raft Figure 2, persistent state (the log lives in log_).
  Term term_;
  NodeId voted_for_;
  RaftLog log_;

  Role role_ = Role::kFollower;
  NodeId leader_;
  tracker::ProgressTracker tracker_;
  // The configuration in force at the snapshot point (its index: that of
  // the entry that set it, the snapshot index when read from a snapshot, 0
  // for the static initial membership or none), and after each config entry
  // of the log beyond the snapshot point, ascending by index. The configuration
  // in force is conf_log_.back(), else conf_base_.
  ConfigPoint conf_base_;
  std::vector<ConfigPoint> conf_log_;
  // Bumped whenever the configuration in force changes; the Ready reports
  // it when it differs from the one last reported.
  uint64_t conf_version_ = 0;
  uint64_t reported_conf_version_ = 0;
  // What conf_version_ was last bumped for: the configuration and the
  // index of its entry (0 when not from a log entry).
  tracker::Config versioned_conf_;
  LogIndex versioned_entry_;
  // Every member but this node, sorted (derived from tracker_'s config; the
  // broadcast loops iterate it).
  std::vector<NodeId> peers_;

  // Ticks since the last reset of the election timer (followers and
  // candidates: since hearing from a leader or granting a vote; leaders:
  // since the last CheckQuorum round).
  int64_t election_elapsed_ = 0;
  int64_t heartbeat_elapsed_ = 0;
  // Drawn from [election_timeout, 2*election_timeout) on each reset.
  int64_t randomized_election_timeout_ = 0;
  // Uncommitted bytes appended by this leader (for max_uncommitted_bytes).
  uint64_t uncommitted_bytes_ = 0;
  // The latest snapshot the application produced (sent to lagging peers).
  Snapshot snapshot_;

  // ReadIndex requests awaiting quorum confirmation.
  ReadOnly read_only_;
  // Ticks since this Node was built, from 1: the lease clock.
  uint64_t clock_ticks_ = 1;
  // Config::LeaseTicks(), fixed at construction.
  uint64_t lease_ticks_ = 0;
  // clock_ticks_ when a message of a leader was last stepped (0: never in
  // this incarnation). With lease reads, the election timeout from then on
  // is a promise that outlives a change of term naming no leader.
  uint64_t leader_heard_tick_ = 0;
  // Lease reads: per peer that acknowledged a heartbeat of this term, the
  // newest clock_ticks_ at which we sent one it acknowledged. Sorted by id.
  std::vector<std::pair<NodeId, uint64_t>> lease_acks_;
  // Confirmed reads, moved into the next Ready.
  std::vector<ReadState> read_states_;

  // Leadership transfer (leaders only; reset with the term): the target,
  // kNoNode when none, and the ticks since it started.
  NodeId lead_transferee_;
  int64_t transfer_elapsed_ = 0;
  // Set when this leader sent TimeoutNow: its lease is void for the rest of
  // the term (the target's vote requests bypass the voters' lease), so it
  // serves no lease read until it leads a new term.
  bool lease_void_ = false;

  // Pending output, moved into the next Ready.
  std::vector<Message> msgs_;
  std::vector<Message> msgs_after_persist_;
  SoftState prev_soft_state_;
  HardState prev_hard_state_;
  // A snapshot received from the leader, to be persisted and restored.
  std::optional<Snapshot> pending_snapshot_;
  bool ready_outstanding_ = false;
  // Emptied buffers from spent Readys, reused by the next GetReady.
  std::vector<Message> spare_msgs_;
  std::vector<Message> spare_msgs_after_persist_;
  std::vector<Entry> spare_entries_;
  std::vector<Entry> spare_committed_;
  // Committed entries handed out in the outstanding Ready (applied on
  // Advance).
  LogIndex ready_applied_to_;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_NODE_H_
