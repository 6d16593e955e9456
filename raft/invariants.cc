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
namespace {

// The canaries that let one node vote twice in a term (directly, or by
// losing a vote it had already sent), so that a term can have two leaders.
// What they break, the checkers must catch, not these CHECKs.
bool TwoVotesCanary() {
  return RAFTSIM_CANARY(kVoteTwice) || RAFTSIM_CANARY(kForgetVoteOnRestart) ||
         RAFTSIM_CANARY(kLoseUnsyncedAcked);
}

}  // namespace

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
  // Flow control is the leader's: a node that does not lead accounts for
  // no uncommitted bytes (a count carried into a later leadership would
  // refuse its proposals for entries long gone).
  ok &= role_ == Role::kLeader || uncommitted_bytes_ == 0;
  // Leadership transfer is the leader's too, and targets a voter of the
  // incoming configuration in force; a void lease ends with the term.
  ok &= role_ == Role::kLeader || (lead_transferee_ == kNoNode && !lease_void_);
  ok &= lead_transferee_ == kNoNode ||
        configuration().voters.incoming.Contains(lead_transferee_);
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
  if (role_ != Role::kLeader) {
    CHECK_EQ(uncommitted_bytes_, 0u) << "uncommitted bytes outside leadership";
    CHECK_EQ(lead_transferee_, kNoNode) << "a transfer outside leadership";
    CHECK(!lease_void_) << "a void lease outside leadership";
  }
  if (lead_transferee_ != kNoNode) {
    CHECK(configuration().voters.incoming.Contains(lead_transferee_))
        << "transfer to " << lead_transferee_ << ", not a voter of "
        << configuration().Describe();
  }
  CHECK(false) << "Node::CheckInvariants disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

// Each condition below is written as "not applicable, or holds", so that
// the fused test is a plain conjunction without branches.
void Node::CheckTransitionChanged(const Checkpoint& before) const {
  const bool same_term = term_ == before.term;
  const bool was_leader = before.role == Role::kLeader;
  const bool is_leader = role_ == Role::kLeader;
  const bool was_candidate = before.role == Role::kCandidate;
  // Term and commit index only grow (Raft Figure 2).
  bool ok = (term_ >= before.term) & (log_.committed() >= before.commit);
  // One vote per term (Raft §5.2). (Not under the vote_twice canary, whose
  // whole point is a second vote.)
  ok &= !same_term | (before.voted_for == kNoNode) |
        (voted_for_ == before.voted_for) | RAFTSIM_CANARY(kVoteTwice);
  // The leader of a term is set at most once (Election Safety as this node
  // sees it): within the term it may be forgotten (pre-vote, CheckQuorum)
  // but never replaced by another — neither within this input nor across
  // inputs (term_leader_ remembers the first one of the term).
  ok &= !same_term | (before.leader == kNoNode) | (leader_ == kNoNode) |
        (leader_ == before.leader) | TwoVotesCanary();
  if (term_ != term_leader_term_) {
    term_leader_term_ = term_;
    term_leader_ = leader_;
  } else if (term_leader_ == kNoNode) {
    term_leader_ = leader_;
  }
  ok &= (leader_ == kNoNode) | (leader_ == term_leader_) | TwoVotesCanary();
  // A leader leads its term until it leaves the term; the one way out
  // within the term is a step-down to a follower that knows no leader:
  // CheckQuorum's (thesis §6.2), or a leader's that a committed
  // configuration no longer counts as a voter (thesis §4.2.2).
  // (Short-circuit: membership is looked up only for a leader that just
  // stopped leading within its term, not on every input.)
  ok &= !was_leader || !same_term || is_leader ||
        ((config_.check_quorum || !IsVoter(config_.id)) &&
         role_ == Role::kFollower && leader_ == kNoNode);
  // And it leads it only once: within a term only its candidate becomes
  // leader, and a candidacy always starts a new term. (Together with the
  // rule above, a step-down is final for the term.)
  ok &= was_leader | !is_leader | !same_term | was_candidate;
  ok &= was_candidate | (role_ != Role::kCandidate) | (term_ > before.term);
  if (ABSL_PREDICT_FALSE(!ok)) CheckTransitionFailed(before);
}

void Node::CheckTransitionFailed(const Checkpoint& before) const {
  CHECK_GE(term_, before.term) << "the term went back: " << Describe();
  CHECK_GE(log_.committed(), before.commit)
      << "the commit index went back: " << Describe();
  const bool same_term = term_ == before.term;
  if (same_term && before.voted_for != kNoNode && !RAFTSIM_CANARY(kVoteTwice)) {
    CHECK_EQ(voted_for_, before.voted_for) << "two votes in " << term_;
  }
  if (same_term && before.leader != kNoNode && leader_ != kNoNode &&
      !TwoVotesCanary()) {
    CHECK_EQ(leader_, before.leader) << "two leaders of " << term_;
  }
  if (leader_ != kNoNode && !TwoVotesCanary()) {
    CHECK_EQ(leader_, term_leader_)
        << "two leaders of " << term_ << " (the first forgotten in between)";
  }
  if (before.role == Role::kLeader && same_term) {
    CHECK(role_ == Role::kLeader ||
          ((config_.check_quorum || !IsVoter(config_.id)) &&
           role_ == Role::kFollower && leader_ == kNoNode))
        << "the leader of " << term_ << " became a " << RoleName(role_)
        << " within its term: " << Describe();
  }
  if (before.role != Role::kLeader && role_ == Role::kLeader && same_term) {
    CHECK(before.role == Role::kCandidate)
        << "a " << RoleName(before.role) << " became leader of " << term_
        << " without being its candidate: " << Describe();
  }
  if (before.role != Role::kCandidate && role_ == Role::kCandidate) {
    CHECK_GT(term_, before.term)
        << "a " << RoleName(before.role)
        << " became a candidate without starting a new term";
  }
  CHECK(false) << "Node::CheckTransition disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

}  // namespace raftsim::raft
