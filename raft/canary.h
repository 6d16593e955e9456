// raft/canary.h — deliberately wrong Raft behaviours, for proving that the
// checkers can fail.
//
// A canary is a bug planted on purpose. `RAFTSIM_CANARY(kName)` is the
// constant `false` unless the translation unit is compiled with
// RAFTSIM_ENABLE_CANARIES (only `//raft:node_canary`,
// `//raft/server:server_canary` and the `//tools:raftsim_canary` binary
// are), so production builds contain no trace of them. In a canary build, one
// canary at a time is selected at run time with SetActiveCanary (the
// simulator's --canary flag).
//
// Thread-safety: the active canary is process-wide; set it before running.

#ifndef RAFTSIM_RAFT_CANARY_H_
#define RAFTSIM_RAFT_CANARY_H_

#include <optional>
#include <string_view>
#include <vector>

namespace raftsim::raft {

enum class Canary {
  kNone,
  kVoteTwice,             // Grant a second vote in the same term.
  kVoteWithoutLogCheck,   // Grant votes without the §5.4.1 up-to-date check.
  kCommitPreviousTerm,    // Commit an earlier-term entry by counting (Fig. 8).
  kTruncateOnMatch,       // Truncate the log after a matching AppendEntries.
  kSkipPrevCheck,         // Accept AppendEntries without the prev check.
  kAckBeforeDurable,      // Acknowledge appends before they are durable.
  kApplyUncommitted,      // Apply entries before they are committed.
  kMatchBeyondAck,        // Advance match past the acknowledged range.
  kForgetVoteOnRestart,   // Lose voted_for across a restart.
  kStaleLeaderRead,       // Serve reads without confirming leadership.
  kLoseUnsyncedAcked,     // Lose unsynced entries yet answer as if durable.
  kHeartbeatFullCommit,   // Heartbeats carry the full commit, not min(match).
  kAcceptStaleAck,        // Count append acks from an earlier term.
  kPersistIgnoresTerm,    // A completion marks an index durable, any term.
  kReadBeforeApply,       // Serve a confirmed read before applying its index.
  kReplyIgnoresTerm,      // Answer a proposal with whatever entry took its
                          // index (raft/server).
  kHeartbeatKeepsTimer,   // A heartbeat does not reset the election timer.
  kLeaseFromArrival,      // Date the read lease from the ack, not the send.
  kLeaseOutlivesTimeout,  // Lease as long as the longest randomized timeout.
  kLeaseForgetsRestart,   // A restarted node votes at once (lease reads).
  kDropHeldMessages,      // The Server loses after-persist messages held
                          // behind another Ready's write (raft/server).
  kLearnerCountsForCommit,  // Learners' acks count toward the voters'
                            // majority.
  kJointCountsNewHalf,      // A joint configuration commits by its incoming
                            // half alone.
  kAutoLeaveByEntererOnly,  // Only the leader that entered a joint
                            // configuration leaves it (etcd #12136).
};

struct CanaryInfo {
  Canary canary;
  std::string_view name;         // Flag value, e.g. "vote_twice".
  std::string_view description;  // One line.
};

// Every canary except kNone, in declaration order.
const std::vector<CanaryInfo>& AllCanaries();
std::optional<Canary> CanaryFromName(std::string_view name);
std::string_view CanaryName(Canary canary);

namespace canary_internal {
extern Canary g_active;
}  // namespace canary_internal

inline void SetActiveCanary(Canary canary) {
  canary_internal::g_active = canary;
}
inline Canary ActiveCanary() { return canary_internal::g_active; }

}  // namespace raftsim::raft

#ifdef RAFTSIM_ENABLE_CANARIES
#define RAFTSIM_CANARY(name) \
  (::raftsim::raft::canary_internal::g_active == ::raftsim::raft::Canary::name)
#define RAFTSIM_CANARIES_COMPILED true
#else
#define RAFTSIM_CANARY(name) false
#define RAFTSIM_CANARIES_COMPILED false
#endif

#endif  // RAFTSIM_RAFT_CANARY_H_
