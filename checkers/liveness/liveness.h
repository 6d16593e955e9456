// checkers/liveness/liveness.h — Liveness after heal: once every fault is
// healed, the cluster elects a leader, completes every pending client operation
// and converges (Raft §5.2, §9.3: with a stable network and timeouts well
// above broadcast time, a leader is elected and makes progress; thesis
// §6.3 for clients).
//
// The simulator evaluates WhyNotLive after every event of its healed
// phase: the run ends as soon as it returns nullopt, and fails with
// result=liveness (checker "liveness") and the last reason if the bound
// (the healed phase's length) passes first.
//
// After that, the simulator keeps running for a few election timeouts and
// evaluates WhyNotStable after every event (result=liveness, checker
// "stability", when it fails).
//
// Pure functions; thread-compatible.

#ifndef RAFTSIM_CHECKERS_LIVENESS_LIVENESS_H_
#define RAFTSIM_CHECKERS_LIVENESS_LIVENESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "raft/types.h"

namespace raftsim::checkers {

inline constexpr std::string_view kLivenessChecker = "liveness";
inline constexpr std::string_view kStabilityChecker = "stability";

// One node as liveness judges it.
struct LivenessNode {
  bool up = false;      // Running (not crashed).
  bool paused = false;  // Stalled (a GC-like pause).
  raft::Role role = raft::Role::kFollower;
  Term term;
  LogIndex commit;
  LogIndex applied;
  LogIndex last;
  // Membership: the configuration in force is joint, and the index of the
  // entry that set it (raft::Node::configuration_index: the latest
  // configuration entry in the log, else at most the snapshot point; 0 for
  // the static membership).
  bool joint = false;
  LogIndex config_index;
  // A member of the configuration the cluster ends with (a voter or
  // learner of the leader's configuration in force). Every check below
  // skips the others: a removed node, or a spare host never added, is
  // neither waited for nor held to the leader's term.
  bool member = true;
};

// Nullopt when the cluster is live: every node up and running, a leader of
// the highest term, no node campaigning (a campaign begun in the fault
// phase may still depose the leader, legitimately), no client operation
// pending, the leader's configuration in force not joint and set by a
// committed entry (no membership change left half done; thesis §4.3), its
// whole log committed, and every node having committed and applied exactly
// that. Otherwise the first thing missing, e.g.
// "n3 applied i4 of i7".
std::optional<std::string> WhyNotLive(absl::Span<const LivenessNode> nodes,
                                      int64_t pending_operations);

// Stability after liveness: once the healed cluster is live, with no fault
// left and no client talking, its leader keeps leading — no node
// campaigns, pre-campaigns or moves to another term (heartbeats arrive
// well within every election timeout: the swarm draws broadcast times far
// below it, Raft §5.6 "broadcastTime << electionTimeout"). A node that
// campaigns anyway has an election timer that the leader's heartbeats do
// not reset, or a leader that stops sending them: liveness in name only
// (thesis §9.6 on disruptive servers).
//
// `term` and `leader` (0-based) are the leader the cluster was live with.
// Nullopt while stable, else what broke it, e.g. "n3 campaigns (candidate
// at t4) under the leader n1 of t4".
std::optional<std::string> WhyNotStable(absl::Span<const LivenessNode> nodes,
                                        Term term, size_t leader);

// The 0-based index of the leader of the highest term, if any.
std::optional<size_t> LeaderOf(absl::Span<const LivenessNode> nodes);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LIVENESS_LIVENESS_H_
