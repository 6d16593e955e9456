// raft/coverage.h — protocol situations: a catalogue of the corners of Raft
// that a run may or may not reach, counted as they happen.
//
// Each raft::Node and raft::Server keeps a Coverage: a fixed array of
// counters, one per Situation, bumped where the code takes the branch the
// situation names (a vote refused for a stale log, a follower truncating a
// conflicting suffix, a storage completion arriving after the term
// changed...). Counting is one increment; nothing reads the counters but
// the host (the simulator sums them into a run's coverage and `raftsim
// sweep` prints which situations the seeds reached, docs/sweeps.md).
// Counters never change behaviour.
//
// Single-threaded, like the Node or Server that owns one.

#ifndef RAFTSIM_RAFT_COVERAGE_H_
#define RAFTSIM_RAFT_COVERAGE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace raftsim::raft {

// X(enumerator, name, description). The order is the catalogue's order;
// append new situations anywhere (names, not numbers, are the contract).
#define RAFTSIM_SITUATIONS(X)                                                 \
  /* Elections (election.cc, node.cc). */                                     \
  X(kCampaignOnTimeout, "campaign_on_timeout",                                \
    "an election timer fired and the node campaigned")                        \
  X(kPreVoteWon, "prevote_won",                                               \
    "a pre-vote round was won and the real election began")                   \
  X(kVoteIgnoredInLease, "vote_ignored_in_lease",                             \
    "a vote request of a higher term was ignored: a leader was heard within " \
    "the election timeout (CheckQuorum)")                                     \
  X(kVoteRefusedStaleLog, "vote_refused_stale_log",                           \
    "a vote or pre-vote was refused: the candidate's log is behind (5.4.1)")  \
  X(kVoteRefusedAlreadyVoted, "vote_refused_already_voted",                   \
    "a vote was refused: this node voted for another candidate, or follows "  \
    "a leader, in this term")                                                 \
  X(kVoteGrantedAgain, "vote_granted_again",                                  \
    "a repeated request from the candidate already voted for was granted "    \
    "again")                                                                  \
  X(kElectionLost, "election_lost",                                           \
    "a candidate or pre-candidate lost: a majority refused")                  \
  X(kCandidateTimedOut, "candidate_timed_out",                                \
    "a candidate's or pre-candidate's election timed out undecided (split "   \
    "vote or lost messages)")                                                 \
  X(kCandidateYieldsToLeader, "candidate_yields_to_leader",                   \
    "a candidate heard from the leader of its term and followed it")          \
  X(kLeaderDeposedByTerm, "leader_deposed_by_term",                           \
    "a leader saw a higher term and stepped down")                            \
  X(kLeaderStepsDownUncommitted, "leader_steps_down_uncommitted",             \
    "a leader stepped down with uncommitted entries in its log")              \
  X(kCheckQuorumStepDown, "check_quorum_step_down",                           \
    "a leader stepped down: no quorum heard within an election timeout")      \
  X(kStaleLeaderToldTerm, "stale_leader_told_term",                           \
    "an append or heartbeat of an earlier term was answered with the "        \
    "current term")                                                           \
  X(kPreVoteRefusedStaleTerm, "prevote_refused_stale_term",                   \
    "a pre-vote for a term not past ours was refused with our term")          \
  X(kStaleMessageIgnored, "stale_message_ignored",                            \
    "a reply or vote request of an earlier term was dropped")                 \
  X(kStaleAckAtLaterLeader, "stale_ack_at_later_leader",                      \
    "an append acknowledgement of an earlier term reached the node leading "  \
    "a later term (it led the earlier one too)")                              \
  X(kStaleAckAboveMatch, "stale_ack_above_match",                             \
    "that acknowledgement names an index above the follower's match in the "  \
    "later term (counting it would advance the match)")                       \
  X(kLeaderInheritsUncommitted, "leader_inherits_uncommitted",                \
    "a new leader's log holds uncommitted entries of earlier terms")          \
  /* Commitment (replication.cc). */                                          \
  X(kCommitWaitsForOwnTerm, "commit_waits_for_own_term",                      \
    "a quorum held an entry of an earlier term, which the leader may not "    \
    "commit by counting (Figure 8)")                                          \
  X(kCommitCoversEarlierTerms, "commit_covers_earlier_terms",                 \
    "an entry of the leader's term committed and with it entries of earlier " \
    "terms")                                                                  \
  /* Replication, follower side. */                                           \
  X(kAppendRejectedMismatch, "append_rejected_mismatch",                      \
    "a follower rejected an append: its entry at prev_log_index has another " \
    "term")                                                                   \
  X(kAppendRejectedShortLog, "append_rejected_short_log",                     \
    "a follower rejected an append: its log ends before prev_log_index")      \
  X(kFollowerTruncatesSuffix, "follower_truncates_suffix",                    \
    "a follower truncated a conflicting suffix of its log")                   \
  X(kTruncateDurableEntries, "truncate_durable_entries",                      \
    "a truncation removed entries that were already durable")                 \
  X(kTruncateUnsyncedEntries, "truncate_unsynced_entries",                    \
    "a truncation removed entries whose write was still in flight")           \
  X(kAppendBelowCommit, "append_below_commit",                                \
    "an append older than the follower's commit index was answered with "     \
    "that index")                                                             \
  X(kAppendAlreadyPresent, "append_already_present",                          \
    "an append carried only entries the follower already held (a duplicate "  \
    "or a retransmission)")                                                   \
  X(kCommitCappedByLastNew, "commit_capped_by_last_new",                      \
    "a follower's commit was capped at the last entry the append covered")    \
  X(kCommitFromHeartbeat, "commit_from_heartbeat",                            \
    "a follower advanced its commit index on a heartbeat")                    \
  /* Replication, leader side. */                                             \
  X(kBacktrackAcrossTerms, "leader_backtracks_across_terms",                  \
    "a rejection moved a follower's next index back by more than one entry "  \
    "(a conflicting term skipped at once)")                                   \
  X(kStaleRejectIgnored, "stale_reject_ignored",                              \
    "a rejection of an older append was ignored")                             \
  X(kProbeToReplicate, "progress_probe_to_replicate",                         \
    "a follower's progress went from probe to replicate")                     \
  X(kReplicateToProbe, "progress_replicate_to_probe",                         \
    "a rejection returned a follower's progress from replicate to probe")     \
  X(kInflightWindowFull, "inflight_window_full",                              \
    "the leader held entries back: a follower's inflight window was full "    \
    "(count or bytes)")                                                       \
  X(kAppendLimitedBySize, "append_limited_by_size",                           \
    "an append carried fewer entries than the follower lacked "               \
    "(max_msg_bytes)")                                                        \
  X(kProposalRefusedNotLeader, "proposal_refused_not_leader",                 \
    "a proposal reached a node that is not the leader")                       \
  X(kProposalRefusedUncommitted, "proposal_refused_uncommitted_limit",        \
    "a proposal was refused: the uncommitted tail would exceed "              \
    "max_uncommitted_bytes")                                                  \
  /* Reads (read_index.cc). */                                                \
  X(kReadIndexConfirmed, "read_index_confirmed",                              \
    "a ReadIndex round was confirmed by a quorum")                            \
  X(kReadIndexDropped, "read_index_dropped",                                  \
    "pending ReadIndex requests were dropped: the leader stepped down")       \
  X(kReadRefusedNoOwnCommit, "read_refused_no_own_commit",                    \
    "a read was refused: the new leader had not yet committed an entry of "   \
    "its term")                                                               \
  X(kReadFromLease, "read_from_lease",                                        \
    "a read was answered from the leader's lease, with no heartbeat round "   \
    "(lease reads)")                                                          \
  X(kReadLeaseExpired, "read_lease_expired",                                  \
    "a read found the leader's lease expired and fell back to a heartbeat "   \
    "round (lease reads)")                                                    \
  /* Snapshots (snapshot.cc, ready_cycle.cc). */                              \
  X(kSnapshotSent, "snapshot_sent",                                           \
    "the leader sent a snapshot: entries a follower needs were compacted")    \
  X(kSnapshotReprobed, "snapshot_reprobed",                                   \
    "a follower in snapshot state was probed again (the snapshot may be "     \
    "lost)")                                                                  \
  X(kSnapshotInstalled, "snapshot_installed",                                 \
    "a follower installed a snapshot from the leader")                        \
  X(kSnapshotOverDivergentLog, "snapshot_over_divergent_log",                 \
    "a snapshot landed on a follower whose log diverges from it (an entry "   \
    "at the snapshot index with another term)")                               \
  X(kSnapshotDiscardsUncommitted, "snapshot_discards_uncommitted",            \
    "a follower installing a snapshot discarded uncommitted entries")         \
  X(kSnapshotMatchesLog, "snapshot_matches_log",                              \
    "a snapshot's last entry was already in the follower's log: commit "      \
    "advanced, nothing restored")                                             \
  X(kSnapshotStale, "snapshot_stale",                                         \
    "a snapshot at or below the follower's commit index was not installed")   \
  X(kLogCompacted, "log_compacted",                                           \
    "a node compacted its in-memory log behind a snapshot")                   \
  /* Storage completions (ready_cycle.cc). */                                 \
  X(kPersistForReplacedEntries, "persist_for_replaced_entries",               \
    "a storage completion arrived for entries that were replaced "            \
    "meanwhile")                                                              \
  /* The Server (raft/server). */                                             \
  X(kWriteCompletesInNewTerm, "write_completes_in_new_term",                  \
    "a storage write completed after the node's term had changed")            \
  X(kReadWaitsForApply, "read_waits_for_apply",                               \
    "a confirmed read waited for the state machine to reach its read index")  \
  X(kApplyQueuedBehindApply, "apply_queued_behind_apply",                     \
    "committed entries queued behind an outstanding apply (commit ahead of "  \
    "applied)")                                                               \
  X(kRestoreQueuedBehindApply, "restore_queued_behind_apply",                 \
    "a snapshot restore waited behind outstanding apply work")                \
  X(kProposalOutlivesLeadership, "proposal_outlives_leadership",              \
    "a leader stepped down with uncommitted proposals still waiting for "     \
    "their index to be applied")                                              \
  X(kProposalOverwritten, "proposal_overwritten",                             \
    "a proposal's index was applied with another leader's entry: answered "   \
    "'not applied'")                                                          \
  X(kProposalOverrun, "proposal_overrun",                                     \
    "a proposal was answered 'not applied' because an entry of a later term " \
    "was applied below its index")                                            \
  X(kSnapshotTaken, "snapshot_taken",                                         \
    "the Server snapshotted its state machine and compacted")                 \
  X(kRestartFromSnapshot, "restart_from_snapshot",                            \
    "a Server restarted from a durable snapshot")

enum class Situation : uint8_t {
#define RAFTSIM_SITUATION_ENUM(e, name, description) e,
  RAFTSIM_SITUATIONS(RAFTSIM_SITUATION_ENUM)
#undef RAFTSIM_SITUATION_ENUM
};

struct SituationInfo {
  std::string_view name;         // snake_case, e.g. "vote_refused_stale_log"
  std::string_view description;  // One line.
};

inline constexpr std::array kSituations = {
#define RAFTSIM_SITUATION_INFO(e, name, description) \
  SituationInfo{name, description},
    RAFTSIM_SITUATIONS(RAFTSIM_SITUATION_INFO)
#undef RAFTSIM_SITUATION_INFO
};
inline constexpr size_t kSituationCount = kSituations.size();

inline const SituationInfo& Info(Situation s) {
  return kSituations[static_cast<size_t>(s)];
}

// One counter per Situation.
class Coverage {
 public:
  void Hit(Situation s) { ++counts_[static_cast<size_t>(s)]; }
  uint64_t count(Situation s) const { return counts_[static_cast<size_t>(s)]; }
  const std::array<uint64_t, kSituationCount>& counts() const {
    return counts_;
  }
  void Add(const Coverage& other) {
    for (size_t i = 0; i < kSituationCount; ++i) counts_[i] += other.counts_[i];
  }

 private:
  std::array<uint64_t, kSituationCount> counts_{};
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_COVERAGE_H_
