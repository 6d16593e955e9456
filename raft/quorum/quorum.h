// raft/quorum/quorum.h — shared vocabulary of the quorum package: the outcome
// of a vote and the lookup callbacks that feed quorum arithmetic.
//
// The quorum package is pure arithmetic over sets of voters (etcd
// raft/quorum): it knows nothing about messages, terms or logs. Callers hand
// in per-voter facts through the callbacks below; nothing is stored and
// nothing is allocated on the heap for clusters of up to 8 voters.
//
// Single-threaded; not thread-safe (all types are thread-compatible values).

#ifndef RAFTSIM_RAFT_QUORUM_QUORUM_H_
#define RAFTSIM_RAFT_QUORUM_QUORUM_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "base/strong_id.h"

namespace raftsim::raft::quorum {

// The outcome of counting votes (RequestVote, PreVote, or any "is a quorum
// on board?" question such as CheckQuorum's recent activity).
enum class VoteResult {
  // Not decided yet: the missing votes could still swing it either way.
  kPending,
  // Decided against: even if every missing voter said yes, no quorum.
  kLost,
  // Decided in favour: a quorum has said yes.
  kWon,
};

// "pending", "lost", "won".
std::string_view Describe(VoteResult result);

// Returns the highest log index `id` is known to have acknowledged (for the
// leader itself: durably appended). std::nullopt means "unknown voter or no
// acknowledgement yet" and counts as index 0.
using AckedIndexFn = absl::FunctionRef<std::optional<LogIndex>(NodeId id)>;

// Returns `id`'s vote: true (granted), false (rejected), or std::nullopt when
// `id` has not voted (yet).
using VoteFn = absl::FunctionRef<std::optional<bool>(NodeId id)>;

// What an empty MajorityConfig reports as its committed index: "everything".
// An empty half of a joint configuration must not constrain the other half,
// and min(x, kInfiniteIndex) == x makes JointConfig::CommittedIndex a plain
// minimum (etcd quorum/majority.go does the same with math.MaxUint64).
inline constexpr LogIndex kInfiniteIndex{UINT64_MAX};

// Voter counts up to this size are handled entirely on the stack.
inline constexpr size_t kInlineVoters = 8;

}  // namespace raftsim::raft::quorum

#endif  // RAFTSIM_RAFT_QUORUM_QUORUM_H_
