// raft/ready.h — the batch of work a Node hands to its host.
//
// The Ready contract (docs/ready.md has the diagram). For each Ready, the
// host, in this order:
//   1. sends `messages` at once (they depend on nothing being durable);
//   2. writes `snapshot` (if any), then `entries` (truncating its log from
//      entries.front().index first, if it already holds that index), then
//      `hard_state`, in Ready order — writes of later Readys must not
//      overtake earlier ones;
//   3. when those writes are durable, calls Node::OnPersisted(persist_index,
//      persist_term) and only then sends `messages_after_persist` (vote
//      grants need the vote durable, append acks the entries; Raft §5.1,
//      Figure 2 "respond to RPCs only after updating stable storage");
//   4. applies `committed_entries` to the state machine strictly in index
//      order (after restoring `snapshot`, if any);
//   5. calls Node::Advance() before the next GetReady() (or
//      Advance(std::move(ready)) to let the node reuse its buffers).
// Steps 2–3 may overlap with later Readys: the node keeps working while the
// disk is busy (asynchronous storage writes; thesis §10.2.1 lets the
// leader's write overlap replication).
//
// Value type; thread-compatible.

#ifndef RAFTSIM_RAFT_READY_H_
#define RAFTSIM_RAFT_READY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/entry.h"
#include "raft/message.h"
#include "raft/types.h"

namespace raftsim::raft {

// Volatile state the host may want to observe (not persisted).
struct SoftState {
  Role role = Role::kFollower;
  NodeId leader;  // kNoNode when unknown.
  Term term;

  friend bool operator==(const SoftState&, const SoftState&) = default;
  std::string Describe() const;  // "leader n2 t4" / "follower leader=n2 t4"
};

// A confirmed linearizable read (thesis §6.4): the read identified by
// `context` may be served once the state machine has applied `index`.
struct ReadState {
  uint64_t context = 0;
  LogIndex index;

  friend bool operator==(const ReadState&, const ReadState&) = default;
};

// The membership configuration in force on a node (thesis §4.1: the latest
// in its log, committed or not) and the index of the entry that set it: 0
// for the static initial membership (Config.voters), the snapshot index for
// one read from a snapshot.
struct Membership {
  LogIndex index;
  ConfState conf;

  friend bool operator==(const Membership&, const Membership&) = default;
  std::string Describe() const;  // "i7 voters=(n1 n2 n3) learners=()"
};

struct Ready {
  // Set when the role, leader or term changed since the last Ready.
  std::optional<SoftState> soft_state;
  // Set when the configuration in force changed since the last Ready (a
  // configuration entry appended or truncated, a snapshot installed). Never
  // set with a static membership.
  std::optional<Membership> membership;

  // Durable state to write (step 2). Unset / empty when unchanged.
  std::optional<HardState> hard_state;
  std::optional<Snapshot> snapshot;
  std::vector<Entry> entries;

  // What to report through OnPersisted once the writes above are durable:
  // the node's last log entry as of this Ready. Meaningful only when
  // MustPersist().
  LogIndex persist_index;
  Term persist_term;

  // Step 1: may leave immediately.
  std::vector<Message> messages;
  // Step 3: may leave only once this Ready's writes are durable.
  std::vector<Message> messages_after_persist;

  // Step 4: committed and locally durable, in index order, contiguous with
  // what was handed out before. Bounded by
  // Config::max_committed_bytes_per_ready (at least one entry).
  std::vector<Entry> committed_entries;

  // Reads confirmed since the last Ready, in request order.
  std::vector<ReadState> read_states;

  bool MustPersist() const {
    return hard_state.has_value() || snapshot.has_value() || !entries.empty();
  }
  bool Empty() const {
    return !soft_state && !membership && !MustPersist() && messages.empty() &&
           messages_after_persist.empty() && committed_entries.empty() &&
           read_states.empty();
  }
  // Multi-line summary for tests and traces.
  std::string Describe() const;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_READY_H_
