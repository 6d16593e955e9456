// raft/invariants.cc — raft::Node's invariants, checked after every input
// (LogCabin's checkBasic / checkDelta). Always on: a violated invariant
// stops the node before it can corrupt anything.
//
// These run after every Tick, Step and Advance, so each is split in two:
// the conditions are evaluated together as one branch-free expression, and
// only when that is false do the individual CHECKs run (out of line), to
// report which condition failed and why. Both halves test the same
// conditions; the slow half ends in a CHECK that catches any disagreement.

#include <cstdlib>

#include "base/check.h"
#include "raft/canary.h"
#include "raft/node.h"

namespace raftsim::raft {

void Node::CheckInvariants() const {
  // applied <= commit <= last index, and the log's own ordering.
  log_.CheckInvariants();
  // Log terms are non-decreasing (enforced on every append) and never
  // exceed the current term.
  bool ok = log_.LastTerm() <= term_;
  if (role_ == Role::kLeader) {
    ok &= leader_ == config_.id;
    if (!RAFTSIM_CANARY(kVoteTwice)) ok &= voted_for_ == config_.id;
    const LogIndex last = log_.LastIndex();
    for (const auto& [id, pr] : tracker_.progress()) ok &= pr.match() <= last;
  } else if (role_ == Role::kCandidate && !RAFTSIM_CANARY(kVoteTwice)) {
    ok &= voted_for_ == config_.id;
  }
  if (ABSL_PREDICT_FALSE(!ok)) CheckInvariantsFailed();
}

void Node::CheckInvariantsFailed() const {
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
  CHECK(false) << "Node::CheckInvariants disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

void Node::CheckTransition(const Checkpoint& before) const {
  // Term and commit index only grow; one vote per term (Raft §5.2).
  bool ok = (term_ >= before.term) & (log_.committed() >= before.commit);
  // (Not under the vote_twice canary, whose whole point is a second vote:
  // the checkers, not this CHECK, must catch it.)
  if (term_ == before.term && before.voted_for != kNoNode &&
      !RAFTSIM_CANARY(kVoteTwice)) {
    ok &= voted_for_ == before.voted_for;
  }
  if (ABSL_PREDICT_FALSE(!ok)) CheckTransitionFailed(before);
}

void Node::CheckTransitionFailed(const Checkpoint& before) const {
  CHECK_GE(term_, before.term);
  CHECK_GE(log_.committed(), before.commit);
  if (term_ == before.term && before.voted_for != kNoNode &&
      !RAFTSIM_CANARY(kVoteTwice)) {
    CHECK_EQ(voted_for_, before.voted_for) << "two votes in " << term_;
  }
  CHECK(false) << "Node::CheckTransition disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

}  // namespace raftsim::raft
