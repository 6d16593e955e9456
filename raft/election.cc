// raft/election.cc — roles, timers and votes (Raft §5.2, §5.4.1; thesis
// §9.6 PreVote, §6.2 CheckQuorum). Part of raft::Node; see node.h.

#include <algorithm>

#include "base/check.h"
#include "raft/canary.h"
#include "raft/node.h"

namespace raftsim::raft {

void Node::ResetRandomizedElectionTimeout() {
  // Raft §5.2: randomized timeouts in [T, 2T) make split votes rare.
  randomized_election_timeout_ =
      config_.election_timeout_ticks +
      static_cast<int64_t>(
          prng_.Uniform(static_cast<uint64_t>(config_.election_timeout_ticks)));
}

bool Node::PastElectionTimeout() const {
  return election_elapsed_ >= randomized_election_timeout_;
}

// Thesis §4.2.3 / §6.2: with CheckQuorum a follower that heard from a leader
// within the election timeout believes that leader is alive and ignores
// votes that would depose it.
//
// With lease reads the election timeout after hearing a leader is a promise
// the leader's lease counts on (thesis §6.4.1), so it must hold whatever
// happens in between. A node that started less than an election timeout
// ago is in lease: it may have acknowledged a heartbeat just before it
// crashed (without this, a node that restarts quickly would vote at once).
// And a node that heard a leader less than an election timeout ago is in
// lease even after a change of term that named no leader — a reply or a
// pre-vote answer carrying a later term makes it forget the leader, and
// it would then grant the next vote of that term at once.
bool Node::InLease() const {
  if (!config_.check_quorum) return false;
  // A leader that sent TimeoutNow promised its successor a clear way.
  if (role_ == Role::kLeader && lease_void_) return false;
  const auto timeout = static_cast<uint64_t>(config_.election_timeout_ticks);
  if (config_.lease_read) {
    if (!RAFTSIM_CANARY(kLeaseForgetsRestart) && clock_ticks_ <= timeout) {
      return true;
    }
    if (leader_heard_tick_ != 0 &&
        clock_ticks_ < leader_heard_tick_ + timeout) {
      return true;
    }
  }
  return leader_ != kNoNode &&
         election_elapsed_ < config_.election_timeout_ticks;
}

void Node::ResetTerm(Term term) {
  if (role_ == Role::kLeader && !read_only_.empty()) {
    coverage_.Hit(Situation::kReadIndexDropped);
  }
  if (term_ != term) {
    term_ = term;
    voted_for_ = kNoNode;
  }
  leader_ = kNoNode;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  ResetRandomizedElectionTimeout();
  tracker_.ResetVotes();
  uncommitted_bytes_ = 0;
  read_only_.Reset();
  lease_acks_.clear();
  lead_transferee_ = kNoNode;
  transfer_elapsed_ = 0;
  lease_void_ = false;
}

void Node::BecomeFollower(Term term, NodeId leader) {
  if (role_ == Role::kLeader && log_.LastIndex() > log_.committed()) {
    coverage_.Hit(Situation::kLeaderStepsDownUncommitted);
  }
  ResetTerm(term);
  role_ = Role::kFollower;
  leader_ = leader;
}

void Node::BecomePreCandidate() {
  CHECK(role_ != Role::kLeader);
  // Thesis §9.6: a pre-election changes neither term nor vote. The
  // pre-candidate forgets the leader it knew, so it no longer refuses other
  // pre-candidates' requests on that leader's behalf (InLease).
  tracker_.ResetVotes();
  role_ = Role::kPreCandidate;
  leader_ = kNoNode;
  election_elapsed_ = 0;
  ResetRandomizedElectionTimeout();
}

void Node::BecomeCandidate() {
  CHECK(role_ != Role::kLeader);
  // Raft §5.2: increment the term and vote for self.
  ResetTerm(Next(term_));
  voted_for_ = config_.id;
  role_ = Role::kCandidate;
}

void Node::BecomeLeader() {
  CHECK(role_ == Role::kCandidate);
  const Term term = term_;
  ResetTerm(term);  // Keeps the vote: the term did not change.
  role_ = Role::kLeader;
  leader_ = config_.id;
  if (log_.LastIndex() > log_.committed()) {
    coverage_.Hit(Situation::kLeaderInheritsUncommitted);
  }
  // Raft Figure 2: nextIndex = leader last log index + 1, matchIndex = 0.
  tracker_.ResetProgress(log_.LastIndex());
  tracker_.VisitSorted(
      [](NodeId, tracker::Progress& pr) { pr.set_recent_active(true); });
  // The leader counts its own log only up to what is durable on it.
  AdvanceSelfMatch();
  // Raft §8: a no-op of the new term lets the leader commit (and learn the
  // commit index of) the entries of earlier terms.
  std::vector<Entry> noop(1);
  noop[0].term = term_;
  noop[0].index = log_.LastIndex() + 1;
  noop[0].kind = EntryKind::kNoop;
  AppendAsLeader(std::move(noop));
}

bool Node::MayCampaign() const {
  if (IsVoter(config_.id)) return true;
  // Removed (or demoted) by a configuration entry this node does not know
  // to be committed, while a voter of the configuration before it: until
  // C_new commits, the members of C_old still run the cluster (thesis
  // §4.2.2). Such a node campaigns under its configuration in force, whose
  // quorum does not count its own vote. Without this, a leader that
  // removed itself and stepped down (CheckQuorum, or a higher term) before
  // the remaining voters held its removal leaves no electable node: they
  // still need its vote, which its longer log refuses, and it would never
  // stand itself.
  const LogIndex at = configuration_index();
  if (conf_log_.empty() || at <= log_.committed()) return false;
  return ConfigAt(LogIndex(at.value() - 1)).config.voters.Contains(config_.id);
}

void Node::Campaign() {
  if (role_ == Role::kLeader) return;
  if (!MayCampaign()) return;  // Learners never campaign.
  StartElection(config_.pre_vote);
}

void Node::StartElection(bool pre_vote, bool transfer) {
  MessageType type;
  Term term;
  if (pre_vote) {
    BecomePreCandidate();
    type = MessageType::kPreVote;
    term = Next(term_);  // The term we would campaign at.
  } else {
    BecomeCandidate();
    type = MessageType::kVote;
    term = term_;
  }
  tracker_.RecordVote(config_.id, true);
  if (tracker_.TallyVotes().result == quorum::VoteResult::kWon) {
    // A single-voter cluster wins at once.
    if (pre_vote) {
      StartElection(false);
    } else {
      BecomeLeader();
    }
    return;
  }
  // The voters but us, ascending (peers_ is every member but us, sorted;
  // filtering it does not allocate as VoterIds() would).
  for (const NodeId id : peers_) {
    if (!IsVoter(id)) continue;
    Message m;
    m.type = type;
    m.to = id;
    m.term = term;
    m.last_log_index = log_.LastIndex();
    m.last_log_term = log_.LastTerm();
    m.transfer = transfer && !pre_vote;
    // A vote request depends on our own vote for ourselves being durable:
    // otherwise a crash could let us vote for someone else in this term.
    Send(std::move(m), /*after_persist=*/!pre_vote);
  }
}

void Node::TickElection() {
  ++election_elapsed_;
  if (PastElectionTimeout()) {
    election_elapsed_ = 0;
    if (role_ == Role::kCandidate || role_ == Role::kPreCandidate) {
      coverage_.Hit(Situation::kCandidateTimedOut);
    }
    if (MayCampaign()) coverage_.Hit(Situation::kCampaignOnTimeout);
    Campaign();
  }
}

void Node::TickHeartbeat() {
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  if (lead_transferee_ != kNoNode &&
      ++transfer_elapsed_ >= config_.election_timeout_ticks) {
    // The target did not take over within an election timeout (it is
    // partitioned, slow, or lost the election): proposals resume.
    AbortLeaderTransfer();
  }
  if (election_elapsed_ >= config_.election_timeout_ticks) {
    election_elapsed_ = 0;
    // CheckQuorum (thesis §6.2): a leader that has not heard from a quorum
    // within an election timeout steps down, so a partitioned leader stops
    // serving and its clients go elsewhere.
    if (config_.check_quorum) {
      if (tracker::Progress* self = tracker_.Get(config_.id)) {
        self->set_recent_active(true);
      }
      const bool active = tracker_.QuorumActive();
      tracker_.VisitSorted([this](NodeId id, tracker::Progress& pr) {
        if (id != config_.id) pr.set_recent_active(false);
      });
      if (!active) {
        coverage_.Hit(Situation::kCheckQuorumStepDown);
        if (!read_only_.empty()) coverage_.Hit(Situation::kReadIndexDropped);
        read_only_.Reset();
        BecomeFollower(term_, kNoNode);
        return;
      }
    }
  }
  if (role_ != Role::kLeader) return;
  if (heartbeat_elapsed_ >= config_.heartbeat_ticks) {
    heartbeat_elapsed_ = 0;
    BroadcastHeartbeat();
  }
}

void Node::HandleVoteRequest(const Message& m) {
  const bool pre = m.type == MessageType::kPreVote;
  if (!initialised()) {
    // An uninitialised node knows no configuration, so it cannot know
    // whether the candidate's log is up to date relative to a cluster's;
    // it grants nothing until bootstrapped or reached by a leader's log.
    Message reply;
    reply.type = pre ? MessageType::kPreVoteReply : MessageType::kVoteReply;
    reply.to = m.from;
    reply.term = term_;
    reply.reject = true;
    Send(std::move(reply), /*after_persist=*/false);
    return;
  }
  // Raft §5.2: one vote per term, first come first served; we may repeat a
  // vote we already gave. A pre-vote for a later term is granted on the log
  // alone (thesis §9.6).
  bool can_vote = voted_for_ == m.from ||
                  (voted_for_ == kNoNode && leader_ == kNoNode) ||
                  (pre && m.term > term_);
  // A vote of our own term is refused in lease too (a higher term's is
  // ignored before it gets here): with lease reads, a change of term that
  // named no leader leaves the promise to the last leader standing.
  // A transfer's vote request is granted in lease (thesis §3.10, etcd's
  // campaignTransfer): the leader that asked for it voided its lease.
  if (config_.lease_read && voted_for_ != m.from && !m.transfer && InLease()) {
    can_vote = false;
  }
  if (RAFTSIM_CANARY(kVoteTwice)) can_vote = true;
  // Raft §5.4.1: only for a candidate whose log is at least as up-to-date.
  bool up_to_date = log_.IsUpToDate(m.last_log_index, m.last_log_term);
  if (RAFTSIM_CANARY(kVoteWithoutLogCheck)) up_to_date = true;
  Message reply;
  reply.type = pre ? MessageType::kPreVoteReply : MessageType::kVoteReply;
  reply.to = m.from;
  if (can_vote && up_to_date) {
    reply.term = m.term;
    if (pre) {
      Send(std::move(reply), /*after_persist=*/false);
      return;
    }
    if (voted_for_ == m.from) coverage_.Hit(Situation::kVoteGrantedAgain);
    election_elapsed_ = 0;
    voted_for_ = m.from;
    // The grant may leave only once the vote is durable (Figure 2).
    Send(std::move(reply), /*after_persist=*/true);
    return;
  }
  coverage_.Hit(can_vote ? Situation::kVoteRefusedStaleLog
                         : Situation::kVoteRefusedAlreadyVoted);
  reply.term = term_;
  reply.reject = true;
  Send(std::move(reply), /*after_persist=*/false);
}

void Node::HandleVoteReply(const Message& m) {
  const bool pre = role_ == Role::kPreCandidate;
  if ((pre && m.type != MessageType::kPreVoteReply) ||
      (!pre && m.type != MessageType::kVoteReply)) {
    return;  // A reply from an earlier round.
  }
  if (!IsVoter(m.from)) return;
  tracker_.RecordVote(m.from, !m.reject);
  switch (tracker_.TallyVotes().result) {
    case quorum::VoteResult::kWon:
      if (pre) {
        coverage_.Hit(Situation::kPreVoteWon);
        StartElection(/*pre_vote=*/false);
      } else {
        BecomeLeader();
        BroadcastAppend();
      }
      break;
    case quorum::VoteResult::kLost:
      coverage_.Hit(Situation::kElectionLost);
      // Stay a follower of this term; the timer will try again.
      BecomeFollower(term_, kNoNode);
      break;
    case quorum::VoteResult::kPending:
      break;
  }
}

}  // namespace raftsim::raft
