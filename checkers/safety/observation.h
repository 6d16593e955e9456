// checkers/safety/observation.h — what a safety checker sees of a simulated
// run.
//
// After every simulator event, the checkers are handed a ClusterView: the
// event's number and time, one NodeView per node, the messages sent during
// the event and the client writes acknowledged during it. Views are
// read-only windows onto live state (the simulator's adapter,
// sim/check_adapter.h, serves them straight from the nodes and disks
// without copying), valid only for the duration of one Observe call.
//
// Entries are identified by content through a 64-bit digest of (kind,
// payload): EntryDigest. Applied entries carry the same digest, so an entry
// seen in a log and the same entry seen applied compare equal. Client
// acknowledgements carry the digest of the entry the client's command
// became (the payload bytes are the encoded command, unique per request).
//
// Checkers never mutate what they observe and never affect the run.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_OBSERVATION_H_
#define RAFTSIM_CHECKERS_SAFETY_OBSERVATION_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/types/span.h"
#include "raft/entry.h"
#include "raft/message.h"
#include "raft/ready.h"
#include "raft/types.h"

namespace raftsim::checkers {

using ::raftsim::LogIndex;
using ::raftsim::NodeId;
using ::raftsim::Term;

// Digest of an entry's content: its kind (raft::EntryKind as a byte) and
// payload. Deterministic across runs and platforms (64-bit FNV-1a over the
// kind byte then the payload; the simulator's apply records use the same).
uint64_t EntryDigest(uint8_t kind, std::string_view payload);

// An entry a node applied to its state machine during the event.
struct AppliedEntry {
  LogIndex index;
  Term term;
  uint64_t digest = 0;
};

// A snapshot a node's state machine restored during the event: counts as
// applying every entry up to `index` (whose term was `term`). A state
// machine that applies asynchronously may apply a batch and then restore in
// one event; `applied_before` is how many of the event's applied() entries
// came before this restore.
struct SnapshotRestore {
  LogIndex index;
  Term term;
  size_t applied_before = 0;
};

// A read batch the node's Server handed to its core during the event, and
// the core took up as leader of `term` (Node::ReadIndex accepted it).
struct ReadIssued {
  uint64_t context = 0;
  Term term;
};

// A read batch the core confirmed during the event (a ReadState: a
// heartbeat quorum, or the lease); served once `index` is applied.
struct ReadConfirmed {
  uint64_t context = 0;
  LogIndex index;
};

// One node, as of the end of the event.
class NodeView {
 public:
  virtual ~NodeView() = default;

  // Up: the node runs (possibly paused). Down: crashed; only the durable
  // accessors below are meaningful.
  virtual bool up() const = 0;
  // Increments on every (re)start; volatile state restarts with it.
  virtual uint64_t incarnation() const = 0;

  // Volatile state. REQUIRES: up().
  virtual raft::Role role() const = 0;
  virtual Term term() const = 0;
  virtual NodeId voted_for() const = 0;
  virtual LogIndex commit_index() const = 0;

  // The in-memory log: entries (log_base_index, log_last_index], the term
  // of the entry at log_base_index (the compaction point; 0 at index 0).
  // REQUIRES: up().
  virtual LogIndex log_base_index() const = 0;
  virtual Term log_base_term() const = 0;
  virtual LogIndex log_last_index() const = 0;
  // REQUIRES: log_base_index() < index <= log_last_index(). Cheap (term);
  // the digest hashes the payload, so checkers ask for it only for entries
  // that are new to them.
  virtual Term LogTermAt(LogIndex index) const = 0;
  virtual uint64_t LogDigestAt(LogIndex index) const = 0;
  // The lowest index whose entry may have been written, overwritten or
  // truncated since the previous event (LogIndex(UINT64_MAX) when none).
  // A hint that lets checkers keep per-entry state incrementally; it may
  // be conservative (too low), never too high. Entries that disappeared
  // off the end are seen through log_last_index().
  virtual LogIndex log_changed_from() const = 0;
  // The payload of the entry at `index` when it is a configuration entry
  // (raft::EntryKind::kConfig: an encoded confchange::ConfChange), nullopt
  // for any other kind. REQUIRES: log_base_index() < index <=
  // log_last_index(). The default (no configuration entries) suits views
  // of a static membership.
  virtual std::optional<std::string_view> LogConfigAt(LogIndex) const {
    return std::nullopt;
  }
  // The configuration the node itself reports in force and the index that
  // set it (raft::Membership, what Ready::membership carries when it
  // changes), or nullopt when the view does not report it. Checked against
  // what the node's log says (checkers/safety/configurations.h).
  // REQUIRES: up().
  virtual std::optional<raft::Membership> reported_membership() const {
    return std::nullopt;
  }

  // What the state machine applied during the event, in order.
  // Empty when down.
  virtual absl::Span<const AppliedEntry> applied() const = 0;
  virtual absl::Span<const SnapshotRestore> restores() const = 0;
  // Reads taken up and confirmed during the event, in order; contexts are
  // per incarnation. Empty when down.
  virtual absl::Span<const ReadIssued> reads_issued() const = 0;
  virtual absl::Span<const ReadConfirmed> reads_confirmed() const = 0;

  // The disk's durable state (what a restart would load). Valid up or down.
  virtual raft::HardState durable_hard_state() const = 0;
  virtual LogIndex durable_snapshot_index() const = 0;
  virtual Term durable_snapshot_term() const = 0;
  virtual LogIndex durable_last_index() const = 0;
  // Term of the durable entry at `index`; the snapshot term at the snapshot
  // index; nullopt when compacted or beyond the durable end.
  virtual std::optional<Term> DurableTermAt(LogIndex index) const = 0;

  // With lease reads: how long (simulated µs) after a leader's heartbeat
  // reaches this node it promises to grant no vote in a later term (an
  // election timeout less one tick, on its own clock); 0 without lease
  // reads. Valid up or down.
  virtual int64_t lease_promise_us() const = 0;

  // A leader's match index for `peer` (its progress tracker); nullopt when
  // this node does not lead or does not track `peer`. REQUIRES: up().
  virtual std::optional<LogIndex> MatchIndexOf(NodeId peer) const = 0;
};

// A message a node handed to the network during the event (whether or not
// the network will deliver it). Durability is checked against the sender's
// durable state at the end of the event; that equals its state at send
// time because a node's durable state changes only at the start of a disk
// completion event (before the node reacts to it) and at a crash (after
// which the node sends nothing).
struct SentMessage {
  raft::MessageType type = raft::MessageType::kAppend;
  bool reject = false;
  NodeId from;
  NodeId to;
  Term term;
  LogIndex index;   // kAppendReply / kSnapshotReply: the acknowledged index.
  Term index_term;  // kAppendReply: the term of the acknowledged entry.
};

// A client received "ok" for a write during the event: the write's log
// entry has this digest (EntryDigest of the encoded command).
struct AckedWrite {
  uint64_t client = 0;
  uint64_t request = 0;
  uint64_t digest = 0;
};

struct ClusterView {
  uint64_t event = 0;   // Trace position of the event just run.
  int64_t time_us = 0;  // Simulated time.
  // Node i has id i + 1; every node of the cluster, up or down.
  absl::Span<const NodeView* const> nodes;
  absl::Span<const SentMessage> sent;
  // Messages the network handed to a running node during the event (index
  // and index_term are 0 for requests). A node steps a message in the
  // event that delivers it; a paused node's deliveries wait for it.
  absl::Span<const SentMessage> delivered;
  absl::Span<const AckedWrite> acked_writes;
  // False only when no node's durable state can have changed during the
  // event (no disk sync completed, no crash lost or tore a write). Lets
  // the quorum-durability checks skip events that cannot change their
  // answer; true (the default) is always correct.
  bool durable_changed = true;
  // The nodes whose state may have changed during the event (sorted,
  // distinct), unless touched_all. A node's state changes only in events
  // that run its code (its timers, deliveries, disk completions, client
  // requests, crash, restart), so most events touch one node and the
  // per-node checks skip the rest. touched_all (the default) is always
  // correct.
  bool touched_all = true;
  absl::Span<const int> touched;

  // The base membership: the voters and learners every node was built
  // with (Config.voters / Config.learners), which the configuration
  // entries of the logs change (checkers/safety/configurations.h). Null:
  // every node is a voter, n1..nN.
  const raft::ConfState* base_membership = nullptr;

  // A majority of every node: the quorum of the static membership (where
  // the membership can change, see Configurations and IsQuorum).
  int quorum() const { return static_cast<int>(nodes.size()) / 2 + 1; }

  // The node with id `id`. REQUIRES: 1 <= id.value() <= nodes.size().
  const NodeView& node(NodeId id) const { return *nodes[id.value() - 1]; }

  // Calls f(i) for every node index i that may have changed.
  template <typename F>
  void ForEachTouched(F f) const {
    if (touched_all) {
      for (size_t i = 0; i < nodes.size(); ++i) f(static_cast<int>(i));
    } else {
      for (const int i : touched) f(i);
    }
  }
};

// True when `node`'s durable state holds the entry (index, term): the
// durable log has it, or a durable snapshot covers it (a snapshot holds
// only committed entries; at its exact index the term must match).
bool DurablyHolds(const NodeView& node, LogIndex index, Term term);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_OBSERVATION_H_
