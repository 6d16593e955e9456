// raft/tracker/tracker.h — ProgressTracker: the active membership
// configuration, a Progress per member, and the votes of the current
// election (etcd raft/tracker/tracker.go).
//
// The tracker answers the leader's quorum questions by feeding per-member
// facts into raft/quorum: the commit index from voters' match indexes
// (Raft Figure 2, §5.3), whether a quorum was recently active (CheckQuorum,
// thesis §6.2), and the outcome of an election (§5.2) — all over a joint
// configuration during membership changes (§6). Learners are tracked
// (they are replicated to) but never count toward any quorum.
//
// Members are kept in a vector sorted by NodeId (clusters are small:
// binary search beats hashing, and iteration order is deterministic, as
// docs/design.md requires).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_TRACKER_TRACKER_H_
#define RAFTSIM_RAFT_TRACKER_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "base/strong_id.h"
#include "raft/quorum/joint.h"
#include "raft/quorum/majority.h"
#include "raft/quorum/quorum.h"
#include "raft/tracker/progress.h"

namespace raftsim::raft::tracker {

// A membership configuration (etcd tracker.Config / raftpb.ConfState).
struct Config {
  // Who votes, possibly jointly.
  quorum::JointConfig voters;
  // Non-voting members that receive the log. Sorted, no duplicates.
  // Invariant: disjoint from both halves of `voters`.
  std::vector<NodeId> learners;
  // Outgoing voters that become learners when the joint configuration is
  // left (a demotion cannot make them learners while they still vote in
  // the outgoing half). Sorted, no duplicates.
  // Invariant: empty unless joint; a subset of voters.outgoing.
  std::vector<NodeId> learners_next;
  // Leave the joint configuration automatically once it is committed.
  // Invariant: false unless joint.
  bool auto_leave = false;

  // Checks the invariants above (and that kNoNode is nowhere). Configs are
  // decoded from snapshots and log entries, so violations are errors, not
  // CHECK failures. Sorts and deduplicates nothing: see Normalize().
  absl::Status Validate() const;
  // Sorts and deduplicates `learners` and `learners_next`.
  void Normalize();

  // "voters=(n1 n2)&&(n1 n2 n3) learners=(n4) learners_next=(n3) autoleave";
  // the last three only when non-empty / set.
  std::string Describe() const;

  friend bool operator==(const Config&, const Config&) = default;
};

// The outcome of an election so far.
struct VoteTally {
  // Votes received from current voters (either half).
  size_t granted = 0;
  size_t rejected = 0;
  quorum::VoteResult result = quorum::VoteResult::kPending;

  // "granted=2 rejected=1 won".
  std::string Describe() const;
};

class ProgressTracker {
 public:
  // Every Progress gets a window of `max_inflight` messages and
  // `max_inflight_bytes` bytes (0 = unlimited).
  // REQUIRES: max_inflight > 0.
  ProgressTracker(size_t max_inflight, uint64_t max_inflight_bytes);

  // Installs `config` (a conf change was applied, or the node started from
  // its durable state). Members that remain keep their Progress (their
  // learner flag is updated); members that are new get
  // Progress(match=0, next=last_index+1, kProbe) marked recently active, so
  // CheckQuorum does not count a just-added member against the leader before
  // it could be heard from; removed members are dropped.
  // REQUIRES: config.Validate().ok().
  void ApplyConfig(const Config& config, LogIndex last_index);

  // Restarts every member's Progress at match=0, next=last_index+1, kProbe,
  // not recently active, with an empty window (a node becoming leader or
  // follower, Raft Figure 2: "reinitialized after election"). The node's own
  // Progress is NOT special-cased: a leader must record its own durable last
  // index itself (Get(self)->MaybeUpdate(durable_last)) and mark itself
  // recently active, because the leader counts toward the commit index only
  // what is durable on it (thesis §10.2.1).
  void ResetProgress(LogIndex last_index);

  const Config& config() const { return config_; }
  const quorum::JointConfig& voters() const { return config_.voters; }

  // The Progress of member `id`, or nullptr if `id` is not a member.
  Progress* Get(NodeId id);
  const Progress* Get(NodeId id) const;

  // Calls `fn` for every member in ascending NodeId order.
  void VisitSorted(absl::FunctionRef<void(NodeId, Progress&)> fn);
  void VisitSorted(absl::FunctionRef<void(NodeId, const Progress&)> fn) const;
  // Every member, ascending by NodeId.
  absl::Span<const std::pair<NodeId, Progress>> progress() const {
    return progress_;
  }

  // The largest index a quorum of voters (of both halves when joint) has
  // matched (Raft Figure 2). Learners never count. With no voters at all the
  // result is quorum::kInfiniteIndex. The caller still applies §5.4.2 (only
  // an entry of the current term commits by counting) and must never lower
  // its commit index.
  LogIndex Committed() const;

  // True if the voters that were recently active form a quorum of the
  // (joint) configuration: the CheckQuorum test (thesis §6.2).
  bool QuorumActive() const;

  // Records `id`'s vote in the current election. The first answer from a
  // member wins; later duplicates (retransmissions) are ignored.
  void RecordVote(NodeId id, bool granted);
  // Forgets all votes (a new election starts).
  void ResetVotes();
  // Counts the recorded votes of current voters and decides the election.
  VoteTally TallyVotes() const;

  // Exactly one voter and not joint: the leader commits on its own.
  bool IsSingleton() const;
  // Sorted union of both voter halves.
  std::vector<NodeId> VoterIds() const { return config_.voters.IDs(); }
  // Sorted learners.
  const std::vector<NodeId>& LearnerIds() const { return config_.learners; }

  size_t max_inflight() const { return max_inflight_; }
  uint64_t max_inflight_bytes() const { return max_inflight_bytes_; }

  // CHECKs: the members are exactly voters ∪ learners, sorted; a Progress
  // is a learner iff its member is in `learners`; every Progress's own
  // invariants.
  void CheckInvariants() const;

  // One line: "voters=(n1 n2 n3) n1:[StateReplicate match=i5 next=i6] ...".
  std::string Describe() const;

 private:
  size_t max_inflight_;
  uint64_t max_inflight_bytes_;
  Config config_;
  // Invariant: sorted by NodeId; the keys are exactly
  // voters.IDs() ∪ learners.
  std::vector<std::pair<NodeId, Progress>> progress_;
  // The current election's votes. Invariant: sorted by NodeId, unique.
  absl::InlinedVector<std::pair<NodeId, bool>, quorum::kInlineVoters> votes_;
};

}  // namespace raftsim::raft::tracker

#endif  // RAFTSIM_RAFT_TRACKER_TRACKER_H_
