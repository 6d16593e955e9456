// raft/quorum/majority.h — MajorityConfig: a set of voters decided by simple
// majority (Raft §5.2 elections, §5.3/§5.4 commitment).
//
// A MajorityConfig answers two questions, both by pure arithmetic:
//   * CommittedIndex: the largest log index acknowledged by a majority, i.e.
//     the leader's candidate commit index (Raft Figure 2, "Rules for Servers,
//     Leaders": the N such that a majority of matchIndex[i] >= N). Whether
//     that entry is of the current term (§5.4.2) is the caller's business.
//   * TallyVotes: whether a majority granted, rejected, or it is undecided.
//
// Both run in O(n) / O(n log n) for n voters and never touch the heap for
// n <= kInlineVoters (the leader recomputes the commit index after every ack).
//
// Single-threaded; not thread-safe (a thread-compatible value type).

#ifndef RAFTSIM_RAFT_QUORUM_MAJORITY_H_
#define RAFTSIM_RAFT_QUORUM_MAJORITY_H_

#include <cstddef>
#include <initializer_list>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "base/strong_id.h"
#include "raft/quorum/quorum.h"

namespace raftsim::raft::quorum {

class MajorityConfig {
 public:
  // The empty configuration: it has no voters, commits kInfiniteIndex and
  // wins every vote (the neutral element of a JointConfig).
  MajorityConfig() = default;
  // Duplicates are removed; order does not matter.
  // REQUIRES: no id is kNoNode.
  explicit MajorityConfig(absl::Span<const NodeId> voters);
  MajorityConfig(std::initializer_list<NodeId> voters);

  size_t size() const { return voters_.size(); }
  bool empty() const { return voters_.empty(); }
  bool Contains(NodeId id) const;
  // Sorted ascending, no duplicates.
  absl::Span<const NodeId> voters() const { return voters_; }

  // Adds `id`; returns false if it was already a voter.
  // REQUIRES: id != kNoNode.
  bool Insert(NodeId id);
  // Removes `id`; returns false if it was not a voter.
  bool Erase(NodeId id);

  // The largest index acknowledged by a majority of the voters: with the
  // acknowledged indexes sorted in descending order, the one at position
  // size()/2. Voters for which `acked` returns nullopt count as index 0.
  // An empty configuration returns kInfiniteIndex (see quorum.h): callers
  // that can have no voters at all must handle that value.
  LogIndex CommittedIndex(AckedIndexFn acked) const;

  // kWon if a majority granted, kLost if a majority can no longer be reached
  // even if every missing voter grants, kPending otherwise. The empty
  // configuration wins (so an empty outgoing half never blocks a joint vote).
  VoteResult TallyVotes(VoteFn votes) const;

  // "(n1 n2 n3)"; "()" when empty.
  std::string Describe() const;

  friend bool operator==(const MajorityConfig& a, const MajorityConfig& b) {
    return a.voters_ == b.voters_;
  }

 private:
  // Invariant: strictly ascending (sorted, no duplicates), no kNoNode.
  absl::InlinedVector<NodeId, kInlineVoters> voters_;
};

}  // namespace raftsim::raft::quorum

#endif  // RAFTSIM_RAFT_QUORUM_MAJORITY_H_
