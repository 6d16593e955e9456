// raft/canary.cc — the canary catalogue. See canary.h.

#include "raft/canary.h"

namespace raftsim::raft {
namespace canary_internal {
Canary g_active = Canary::kNone;
}  // namespace canary_internal

const std::vector<CanaryInfo>& AllCanaries() {
  static const auto* const kAll = new std::vector<CanaryInfo>{
      {Canary::kVoteTwice, "vote_twice",
       "grant a second vote to another candidate in the same term"},
      {Canary::kVoteWithoutLogCheck, "vote_without_log_check",
       "grant votes without the up-to-date log check (Raft 5.4.1)"},
      {Canary::kCommitPreviousTerm, "commit_previous_term",
       "commit an entry of an earlier term by counting replicas (Figure 8)"},
      {Canary::kTruncateOnMatch, "truncate_on_match",
       "truncate the log after a matching AppendEntries even without a "
       "conflict"},
      {Canary::kSkipPrevCheck, "skip_prev_check",
       "accept AppendEntries without the previous-entry consistency check"},
      {Canary::kAckBeforeDurable, "ack_before_durable",
       "acknowledge appended entries before they are durable"},
      {Canary::kApplyUncommitted, "apply_uncommitted",
       "apply entries to the state machine before they are committed"},
      {Canary::kMatchBeyondAck, "match_beyond_ack",
       "advance a follower's match index past the range its ack covered"},
      {Canary::kForgetVoteOnRestart, "forget_vote_on_restart",
       "forget voted_for when the node restarts"},
      {Canary::kStaleLeaderRead, "stale_leader_read",
       "serve reads on a leader without confirming leadership"},
      {Canary::kLoseUnsyncedAcked, "lose_unsynced_acked",
       "report entries durable before sync, so a crash loses acked entries"},
      {Canary::kHeartbeatFullCommit, "heartbeat_full_commit",
       "heartbeats carry the leader's whole commit index, not min(match, "
       "commit): a follower commits entries it holds but never matched"},
      {Canary::kAcceptStaleAck, "accept_stale_ack",
       "a leader counts append acknowledgements sent in an earlier term"},
      {Canary::kPersistIgnoresTerm, "persist_ignores_term",
       "a storage completion marks its index durable even when a newer "
       "entry of another term has replaced it meanwhile"},
      {Canary::kReadBeforeApply, "read_before_apply",
       "serve a confirmed read before the state machine reaches its read "
       "index"},
      {Canary::kReplyIgnoresTerm, "reply_ignores_term",
       "answer a client's proposal with the result of whatever entry was "
       "applied at its index, even another leader's"},
      {Canary::kHeartbeatKeepsTimer, "heartbeat_keeps_timer",
       "a follower resets its election timer on appends but not on "
       "heartbeats, so an idle cluster keeps electing"},
      {Canary::kLeaseFromArrival, "lease_from_arrival",
       "lease reads: the leader dates its lease from when a heartbeat's "
       "acknowledgement arrived, not from when the heartbeat left"},
      {Canary::kLeaseOutlivesTimeout, "lease_outlives_timeout",
       "lease reads: the lease lasts 2 * election_timeout_ticks (the longest "
       "randomized timeout), though a follower may vote after one timeout"},
      {Canary::kLeaseForgetsRestart, "lease_forgets_restart",
       "lease reads: a node that restarts votes at once, though it may "
       "have acknowledged the leader's heartbeat just before it crashed"},
      {Canary::kDropHeldMessages, "drop_held_messages",
       "the Server loses the after-persist messages of a Ready with nothing "
       "to write while an earlier Ready's write is in flight"},
      {Canary::kLearnerCountsForCommit, "learner_counts_for_commit",
       "the leader counts learners' acknowledgements toward the voters' "
       "majority when it advances the commit index"},
      {Canary::kJointCountsNewHalf, "joint_counts_new_half",
       "in a joint configuration the leader commits once a majority of the "
       "incoming half has an entry, ignoring the outgoing half"},
      {Canary::kAutoLeaveByEntererOnly, "auto_leave_by_enterer_only",
       "only the leader that appended a joint configuration appends its "
       "automatic leave entry; a later leader stays joint (etcd #12136)"},
  };
  return *kAll;
}

std::optional<Canary> CanaryFromName(std::string_view name) {
  if (name == "none") return Canary::kNone;
  for (const CanaryInfo& info : AllCanaries()) {
    if (info.name == name) return info.canary;
  }
  return std::nullopt;
}

std::string_view CanaryName(Canary canary) {
  for (const CanaryInfo& info : AllCanaries()) {
    if (info.canary == canary) return info.name;
  }
  return "none";
}

}  // namespace raftsim::raft
