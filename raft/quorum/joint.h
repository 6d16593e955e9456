// raft/quorum/joint.h — JointConfig: the two majority configurations of Raft's
// joint consensus (Raft §6, thesis §4.3), combined so that every decision
// needs a majority of *both* halves.
//
// When not in a joint transition the outgoing half is empty; since an empty
// MajorityConfig commits kInfiniteIndex and wins every vote, the joint answer
// is then exactly the incoming half's (etcd raft/quorum/joint.go).
//
// Single-threaded; not thread-safe (a thread-compatible value type).

#ifndef RAFTSIM_RAFT_QUORUM_JOINT_H_
#define RAFTSIM_RAFT_QUORUM_JOINT_H_

#include <string>
#include <vector>

#include "base/strong_id.h"
#include "raft/quorum/majority.h"
#include "raft/quorum/quorum.h"

namespace raftsim::raft::quorum {

struct JointConfig {
  // The configuration being moved to (C_new); the only one when not joint.
  MajorityConfig incoming;
  // The configuration being left (C_old); empty when not in a joint
  // transition (that is what IsJoint() tests).
  MajorityConfig outgoing;

  bool IsJoint() const { return !outgoing.empty(); }
  // Whether `id` is a voter in either half.
  bool Contains(NodeId id) const {
    return incoming.Contains(id) || outgoing.Contains(id);
  }
  // The sorted, deduplicated union of both halves.
  std::vector<NodeId> IDs() const;

  // min(incoming, outgoing) committed index: an index is committed only when
  // a majority of each half has it. Both halves empty gives kInfiniteIndex.
  LogIndex CommittedIndex(AckedIndexFn acked) const;

  // kWon if both halves won, kLost if either lost, kPending otherwise.
  VoteResult TallyVotes(VoteFn votes) const;

  // "(n1 n2 n3)&&(n1 n2 n4)" when joint, "(n1 n2 n3)" otherwise.
  std::string Describe() const;

  friend bool operator==(const JointConfig& a, const JointConfig& b) = default;
};

}  // namespace raftsim::raft::quorum

#endif  // RAFTSIM_RAFT_QUORUM_JOINT_H_
