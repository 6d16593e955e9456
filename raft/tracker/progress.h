// raft/tracker/progress.h — Progress: the leader's view of one follower
// (Raft Figure 2's nextIndex[i] and matchIndex[i]), plus the flow control
// that decides when the leader may send it more entries.
//
// A Progress is a small state machine (etcd raft/tracker/progress.go):
//
//   kProbe      the leader does not know where the follower's log diverges.
//               It sends one AppendEntries at a time (starting at `next`) and
//               waits: a rejection walks `next` back (Raft §5.3, with the
//               follower's hint for fast backtracking), an acceptance moves
//               to kReplicate.
//   kReplicate  the follower is known to match up to `match`; the leader
//               streams entries optimistically (advancing `next` as it sends)
//               within the Inflights window (pipelining).
//   kSnapshot   the entries the follower needs are compacted away; the
//               leader has sent a snapshot and sends no AppendEntries until
//               the follower reports back.
//
// Transitions that happen in the node logic but belong to the follower's
// flow-control state are methods here, so the invariants below hold after
// every call and are checked (always-on CHECKs) at the end of each one.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_TRACKER_PROGRESS_H_
#define RAFTSIM_RAFT_TRACKER_PROGRESS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/base/attributes.h"
#include "base/strong_id.h"
#include "raft/tracker/inflights.h"

namespace raftsim::raft::tracker {

enum class ProgressState { kProbe, kReplicate, kSnapshot };

// "StateProbe", "StateReplicate", "StateSnapshot" (etcd's names).
std::string_view Describe(ProgressState state);

class Progress {
 public:
  // A follower in kProbe with the given indexes and an empty window of
  // `max_inflight` messages / `max_inflight_bytes` bytes (0 = unlimited).
  // REQUIRES: match < next; max_inflight > 0.
  Progress(LogIndex match, LogIndex next, size_t max_inflight,
           uint64_t max_inflight_bytes, bool is_learner = false);

  // Restarts as a fresh Progress(match=0, next, kProbe): window emptied (its
  // buffer kept, so leader changes do not allocate), sent_commit 0, not
  // recently active. The learner flag is kept.
  // REQUIRES: next > 0.
  void Reset(LogIndex next);

  // --- Transitions (etcd names). Each checks the invariants on exit. ---

  // To kProbe; `next` restarts at match + 1, or, leaving kSnapshot, after
  // the pending snapshot if that is further (the snapshot was delivered).
  // Resets the window and unpauses.
  void BecomeProbe();
  // To kReplicate with next = match + 1. Resets the window and unpauses.
  // Called when a probe is accepted.
  void BecomeReplicate();
  // To kSnapshot, remembering `snapshot_index` (the leader's index the
  // snapshot covers). Resets the window. `next` is unchanged.
  void BecomeSnapshot(LogIndex snapshot_index);

  // The follower acknowledged its log matches up to `n` (an AppendEntries
  // reply covering up to `n`, or a snapshot installed at `n`). Raises
  // match to n and next to at least n + 1, and frees every in-flight message
  // with last index <= n (so the caller need not call inflights().FreeLE).
  // A successful update also unpauses the probe flow. Returns false,
  // changing nothing, if n <= match (a stale or duplicated ack; acks may
  // arrive reordered). Moving kProbe to kReplicate after an accepted probe
  // is the caller's decision (BecomeReplicate).
  bool MaybeUpdate(LogIndex n);

  // Records that entries up to `last_sent` were just sent, so the next
  // message starts after them. Does not touch the window (SentEntries does
  // both; prefer it).
  // REQUIRES: state() == kReplicate; last_sent + 1 >= next().
  void OptimisticUpdate(LogIndex last_sent);

  // Handles a rejected AppendEntries whose previous-entry index was
  // `rejected`; `match_hint` is the follower's guess of the last index that
  // could match (from the rejection hint). Returns false, changing nothing,
  // for a stale rejection:
  //   * kReplicate: rejected <= match (it was acked since). Otherwise the
  //     pipeline broke: unlike etcd, where the caller must follow up with
  //     BecomeProbe(), this moves to kProbe itself (next = match + 1, window
  //     reset) so the window never holds indexes at or beyond next.
  //   * kProbe / kSnapshot: rejected != next - 1 (probes go one at a time,
  //     so only the latest one matters). Otherwise
  //     next = max(min(rejected, match_hint + 1), match + 1) and the probe
  //     flow is unpaused so the next probe can go out.
  bool MaybeDecrTo(LogIndex rejected, LogIndex match_hint);

  // Records that an AppendEntries carrying `count` entries (starting at
  // next()) and `bytes` payload bytes was sent.
  //   * kReplicate: next advances by `count` and, if count > 0, the message
  //     enters the window (IsPaused() once it is full).
  //   * kProbe: any append is a probe; the flow pauses until a response
  //     (or a heartbeat response) arrives. next is unchanged.
  // REQUIRES: state() != kSnapshot; in kReplicate with count > 0,
  // !inflights().Full().
  void SentEntries(uint64_t count, uint64_t bytes);

  // A heartbeat response arrived: the follower is alive. Marks it recently
  // active and unpauses the probe flow; in kReplicate with a full window it
  // frees the oldest message so one more append can go out — if the window
  // was lost, that append is rejected (the follower has a gap) and the
  // rejection moves the follower to kProbe; otherwise its ack frees the
  // window. Without this a lost window would stall replication forever.
  void HandleHeartbeatResponse();

  // Whether sending AppendEntries to this follower is currently throttled:
  // kProbe: a probe is outstanding; kReplicate: the window is full;
  // kSnapshot: always.
  bool IsPaused() const;

  // Whether sending commit index `commit` could advance the follower's
  // commit index beyond what was already sent to it (heartbeats carry the
  // commit index; Raft Figure 2, leaderCommit).
  bool CanBumpCommit(LogIndex commit) const;
  // Records that `commit` was sent. The follower can only commit what it
  // has, so sent_commit is capped at next - 1.
  void SentCommit(LogIndex commit);

  // --- Accessors. ---
  LogIndex match() const { return match_; }
  LogIndex next() const { return next_; }
  ProgressState state() const { return state_; }
  LogIndex sent_commit() const { return sent_commit_; }
  LogIndex pending_snapshot() const { return pending_snapshot_; }
  bool msg_app_flow_paused() const { return msg_app_flow_paused_; }
  const Inflights& inflights() const { return inflights_; }

  bool recent_active() const { return recent_active_; }
  void set_recent_active(bool active) { recent_active_ = active; }
  bool is_learner() const { return is_learner_; }
  void set_is_learner(bool learner) { is_learner_ = learner; }

  // CHECKs every invariant listed on the fields. O(1).
  void CheckInvariants() const;

  // One line, e.g. "StateReplicate match=i5 next=i6 inflight=2", with
  // " learner", " paused", " pending_snapshot=iN", " inactive",
  // " inflight=N[full]" appended when they apply.
  std::string Describe() const;

 private:
  // CheckInvariants' CHECKs one by one, once its fused test failed.
  [[noreturn]] ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD void
  CheckInvariantsFailed() const;

  // Clears the per-state fields and enters `state`.
  void ResetState(ProgressState state);

  // The highest index known to be replicated on the follower
  // (matchIndex[i], Raft Figure 2). Invariant: match_ < next_; never
  // decreases (acks only raise it; a new leader term starts a new Progress).
  LogIndex match_;
  // The index of the next entry to send (nextIndex[i]). Entries in
  // (match_, next_) are in flight in kReplicate.
  LogIndex next_;
  ProgressState state_ = ProgressState::kProbe;
  // The highest commit index sent to the follower that it can apply.
  // Invariant: sent_commit_ < next_.
  LogIndex sent_commit_{0};
  // kSnapshot only: the index of the snapshot being sent.
  // Invariant: pending_snapshot_ == 0 unless state_ == kSnapshot.
  LogIndex pending_snapshot_{0};
  // kProbe: a probe is outstanding, do not send another until a response
  // (ack, rejection or heartbeat response) arrives. kReplicate is throttled
  // by the window instead. Invariant: false unless state_ == kProbe.
  bool msg_app_flow_paused_ = false;
  // The follower was heard from since the leader last checked (CheckQuorum,
  // thesis §6.2). The caller sets it on any message and clears it once per
  // election timeout.
  bool recent_active_ = false;
  // A learner replicates but never votes or counts toward commit.
  bool is_learner_ = false;
  // Invariant: empty unless state_ == kReplicate; every message's last index
  // is in (match_, next_) (oldest > match_, newest < next_).
  Inflights inflights_;
};

}  // namespace raftsim::raft::tracker

#endif  // RAFTSIM_RAFT_TRACKER_PROGRESS_H_
