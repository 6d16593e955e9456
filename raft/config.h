// raft/config.h — a node's configuration, validated where it enters.
//
// Value type; thread-compatible.

#ifndef RAFTSIM_RAFT_CONFIG_H_
#define RAFTSIM_RAFT_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "raft/types.h"

namespace raftsim::raft {

struct Config {
  // This node. Must be non-zero.
  NodeId id;
  // The initial membership, used only when the node starts with no snapshot
  // (a fresh cluster). Every node of a new cluster must be given the same
  // list. Membership changes are log entries (thesis §4).
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;

  // Election timeout: a follower that hears from no leader for a random
  // number of ticks in [election_timeout_ticks, 2*election_timeout_ticks)
  // starts an election (Raft §5.2).
  int64_t election_timeout_ticks = 10;
  // A leader sends heartbeats every heartbeat_ticks.
  // Invariant: heartbeat_ticks < election_timeout_ticks.
  int64_t heartbeat_ticks = 1;

  // Thesis §9.6: campaign only after a majority says it would vote.
  bool pre_vote = true;
  // A leader that has not heard from a quorum within an election timeout
  // steps down; followers that heard from a leader within the timeout refuse
  // votes (thesis §6.2, §4.2.3).
  bool check_quorum = true;

  // Lease-based reads (thesis §6.4.1; etcd's ReadOnlyLeaseBased): the
  // leader answers ReadIndex from its lease, with no heartbeat round, while
  // a quorum acknowledged a heartbeat it sent less than
  // floor((E - 1) * (1e6 - d) / (1e6 + d)) of its ticks ago (E the election
  // timeout, d max_clock_drift_ppm); otherwise it falls back to a round.
  // Safe while every node's clock runs within d ppm of real time and the
  // host calls Tick once per tick of a monotonic clock, delivering the
  // ticks it missed while stalled before it calls ReadIndex (raft::Server
  // does). Requires check_quorum: the lease rests on followers refusing
  // votes for an election timeout after they heard the leader, and with
  // lease reads also for an election timeout after they start. Must be
  // the same on every node.
  bool lease_read = false;
  int64_t max_clock_drift_ppm = 10'000;
  // Replication flow control: AppendEntries in flight per follower (count
  // and bytes) and the size of one AppendEntries.
  uint64_t max_inflight_msgs = 256;
  uint64_t max_inflight_bytes = 0;   // 0 = unlimited.
  uint64_t max_msg_bytes = 1 << 20;  // At least one entry is always sent.
  // Proposals are refused while the leader's uncommitted tail exceeds this
  // (0 = unlimited).
  uint64_t max_uncommitted_bytes = 0;
  // Committed entries handed to the application per Ready (at least one).
  uint64_t max_committed_bytes_per_ready = 8 << 20;

  // Seeds this node's PRNG (election timeout jitter). Every node of a run
  // should get a different seed.
  uint64_t seed = 0;

  // Checks every field and their relations; names the bad field.
  absl::Status Validate() const;
  // The lease, in ticks of the leader's clock (see lease_read); 0 when
  // election_timeout_ticks and max_clock_drift_ppm leave no lease at all.
  int64_t LeaseTicks() const;
  std::string Describe() const;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_CONFIG_H_
