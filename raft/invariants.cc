// raft/invariants.cc — raft::Node's invariants, checked after every input
// (LogCabin's checkBasic / checkDelta). Always on: a violated invariant
// stops the node before it can corrupt anything.

#include "base/check.h"
#include "raft/canary.h"
#include "raft/node.h"

namespace raftsim::raft {

void Node::CheckInvariants() const {
  // applied <= commit <= last index, and the log's own ordering.
  log_.CheckInvariants();
  // Log terms are non-decreasing (enforced on every append) and never
  // exceed the current term.
  CHECK_LE(log_.LastTerm(), term_) << Describe();
  if (role_ == Role::kLeader) {
    CHECK_EQ(leader_, config_.id);
    if (!RAFTSIM_CANARY(kVoteTwice)) {
      CHECK_EQ(voted_for_, config_.id) << "a leader voted for itself";
    }
    const LogIndex last = log_.LastIndex();
    for (const auto& [id, pr] : tracker_.progress()) {
      CHECK_LE(pr.match(), last) << id << " match beyond the leader's log";
    }
  }
  if (role_ == Role::kCandidate && !RAFTSIM_CANARY(kVoteTwice)) {
    CHECK_EQ(voted_for_, config_.id);
  }
}

void Node::CheckTransition(const Checkpoint& before) const {
  // Term and commit index only grow; one vote per term (Raft §5.2).
  CHECK_GE(term_, before.term);
  CHECK_GE(log_.committed(), before.commit);
  // (Not under the vote_twice canary, whose whole point is a second vote:
  // the checkers, not this CHECK, must catch it.)
  if (term_ == before.term && before.voted_for != kNoNode &&
      !RAFTSIM_CANARY(kVoteTwice)) {
    CHECK_EQ(voted_for_, before.voted_for) << "two votes in " << term_;
  }
}

}  // namespace raftsim::raft
