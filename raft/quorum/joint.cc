// raft/quorum/joint.cc — JointConfig arithmetic.

#include "raft/quorum/joint.h"

#include <algorithm>
#include <iterator>

namespace raftsim::raft::quorum {

std::vector<NodeId> JointConfig::IDs() const {
  std::vector<NodeId> ids;
  ids.reserve(incoming.size() + outgoing.size());
  const absl::Span<const NodeId> a = incoming.voters();
  const absl::Span<const NodeId> b = outgoing.voters();
  std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                 std::back_inserter(ids));
  return ids;
}

LogIndex JointConfig::CommittedIndex(AckedIndexFn acked) const {
  const LogIndex in = incoming.CommittedIndex(acked);
  // The common case (not joint) skips the second pass.
  if (outgoing.empty()) return in;
  return std::min(in, outgoing.CommittedIndex(acked));
}

VoteResult JointConfig::TallyVotes(VoteFn votes) const {
  const VoteResult in = incoming.TallyVotes(votes);
  const VoteResult out = outgoing.TallyVotes(votes);
  if (in == out) return in;
  if (in == VoteResult::kLost || out == VoteResult::kLost) {
    return VoteResult::kLost;
  }
  // One won, the other is pending.
  return VoteResult::kPending;
}

std::string JointConfig::Describe() const {
  if (!IsJoint()) return incoming.Describe();
  return incoming.Describe() + "&&" + outgoing.Describe();
}

}  // namespace raftsim::raft::quorum
