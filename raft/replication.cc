// raft/replication.cc — log replication and commitment (Raft §5.3, §5.4.2):
// pipelined AppendEntries with per-follower flow control, fast
// backtracking, heartbeats and the commit rule. Part of raft::Node.

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "base/check.h"
#include "raft/canary.h"
#include "raft/node.h"

namespace raftsim::raft {

void Node::AppendAsLeader(std::vector<Entry>&& entries) {
  if (config_.max_uncommitted_bytes != 0) {
    uncommitted_bytes_ += TotalBytes(entries);
  }
  log_.Append(std::move(entries));
  // A single-voter cluster commits as soon as its own write is durable;
  // otherwise this is a no-op until OnPersisted.
  AdvanceSelfMatch();
}

void Node::AdvanceSelfMatch() {
  if (role_ != Role::kLeader) return;
  tracker::Progress* self = tracker_.Get(config_.id);
  if (self == nullptr) {
    // A leader being removed counts nothing toward the quorum, but the
    // commit index never passes its durable log (MaybeCommit): the
    // remaining voters may have acknowledged an entry before this write
    // of it became durable, and no later acknowledgement is coming.
    if (MaybeCommit()) BroadcastAppend();
    return;
  }
  // Thesis §10.2.1: the leader's own write overlaps replication; its log
  // counts toward the commit index only up to what is durable.
  if (self->MaybeUpdate(log_.durable()) && MaybeCommit()) BroadcastAppend();
}

// The canaries' wrong commit rules (raft/canary.h): a joint configuration
// committed by its incoming half alone, and learners' acknowledgements
// counted toward the voters' majority.
LogIndex Node::CanaryCommitted(LogIndex committed) const {
  const auto acked = [this](NodeId id) -> std::optional<LogIndex> {
    const tracker::Progress* pr = tracker_.Get(id);
    if (pr == nullptr) return std::nullopt;
    return pr->match();
  };
  const quorum::JointConfig& voters = tracker_.voters();
  if (RAFTSIM_CANARY(kJointCountsNewHalf) && voters.IsJoint()) {
    committed = voters.incoming.CommittedIndex(acked);
  }
  if (RAFTSIM_CANARY(kLearnerCountsForCommit) &&
      !tracker_.config().learners.empty() && !voters.incoming.empty()) {
    std::vector<LogIndex> matches;
    for (const NodeId id : voters.incoming.voters()) {
      matches.push_back(acked(id).value_or(LogIndex(0)));
    }
    for (const NodeId id : tracker_.config().learners) {
      matches.push_back(acked(id).value_or(LogIndex(0)));
    }
    std::sort(matches.begin(), matches.end(), std::greater<>());
    const size_t need = voters.incoming.size() / 2 + 1;
    committed = std::max(committed, matches[need - 1]);
  }
  return committed;
}

bool Node::MaybeCommit() {
  // Committed() is "infinite" with no voters; never beyond what we hold.
  LogIndex quorum_index = tracker_.Committed();
  if (RAFTSIM_CANARIES_COMPILED) quorum_index = CanaryCommitted(quorum_index);
  const LogIndex index = std::min(quorum_index, log_.durable());
  if (index <= log_.committed()) return false;
  // Raft §5.4.2 (Figure 8): only an entry of the leader's current term is
  // committed by counting replicas; earlier ones are committed indirectly.
  if (!RAFTSIM_CANARY(kCommitPreviousTerm) && log_.TermAt(index) != term_) {
    coverage_.Hit(Situation::kCommitWaitsForOwnTerm);
    return false;
  }
  if (log_.TermAt(log_.committed() + 1) != term_) {
    coverage_.Hit(Situation::kCommitCoversEarlierTerms);
  }
  if (config_.max_uncommitted_bytes != 0) {
    uint64_t freed = 0;
    for (LogIndex i = log_.committed() + 1; i <= index; ++i) {
      freed += log_.At(i).ByteSize();
    }
    uncommitted_bytes_ -= std::min(uncommitted_bytes_, freed);
  }
  log_.CommitTo(index);
  return true;
}

void Node::BroadcastAppend() {
  for (const NodeId id : peers_) MaybeSendAppend(id, /*send_if_empty=*/true);
}

void Node::BroadcastHeartbeat() {
  // Carry the newest pending read's context so that reads are confirmed
  // even when the heartbeats sent for them were lost.
  const uint64_t context = read_only_.LastPendingContext();
  for (const NodeId id : peers_) SendHeartbeat(id, context);
}

void Node::SendHeartbeat(NodeId to, uint64_t context) {
  tracker::Progress& pr = *tracker_.Get(to);
  Message m;
  m.type = MessageType::kHeartbeat;
  m.to = to;
  m.term = term_;
  // A follower may lag; it must never commit past what it holds, so send
  // no more than its match index.
  m.commit = std::min(pr.match(), log_.committed());
  if (RAFTSIM_CANARY(kHeartbeatFullCommit)) m.commit = log_.committed();
  m.context = context;
  if (config_.lease_read) m.lease_tick = clock_ticks_;
  pr.SentCommit(m.commit);
  Send(std::move(m), /*after_persist=*/false);
}

bool Node::MaybeSendAppend(NodeId to, bool send_if_empty) {
  tracker::Progress& pr = *tracker_.Get(to);
  if (pr.IsPaused()) {
    if (pr.state() == tracker::ProgressState::kReplicate) {
      coverage_.Hit(Situation::kInflightWindowFull);
    }
    return false;
  }
  const LogIndex prev = pr.next() - 1;
  const std::optional<Term> prev_term = log_.TermAt(prev);
  if (!prev_term.has_value()) {
    // The entries the follower needs are compacted: send the snapshot
    // (Raft §7).
    SendSnapshot(to, pr);
    return true;
  }
  Message m;
  m.type = MessageType::kAppend;
  m.to = to;
  m.term = term_;
  m.prev_log_index = prev;
  m.prev_log_term = *prev_term;
  if (pr.next() <= log_.LastIndex()) {
    log_.Slice(pr.next(), log_.LastIndex() + 1, config_.max_msg_bytes,
               &m.entries);
    if (!m.entries.empty() && m.entries.back().index < log_.LastIndex()) {
      coverage_.Hit(Situation::kAppendLimitedBySize);
    }
  }
  if (m.entries.empty() && !send_if_empty) return false;
  m.commit = log_.committed();
  const uint64_t bytes = TotalBytes(m.entries);
  pr.SentEntries(m.entries.size(), bytes);
  pr.SentCommit(m.commit);
  Send(std::move(m), /*after_persist=*/false);
  return true;
}

void Node::SendSnapshot(NodeId to, tracker::Progress& pr) {
  CHECK_GE(snapshot_.meta.index, log_.base_index());
  coverage_.Hit(Situation::kSnapshotSent);
  Message m;
  m.type = MessageType::kSnapshot;
  m.to = to;
  m.term = term_;
  m.snapshot = std::make_shared<const Snapshot>(snapshot_);
  pr.BecomeSnapshot(snapshot_.meta.index);
  Send(std::move(m), /*after_persist=*/false);
}

void Node::HandleAppend(Message&& m) {
  Message reply;
  reply.type = MessageType::kAppendReply;
  reply.to = m.from;
  reply.term = term_;
  if (m.prev_log_index < log_.committed()) {
    // Everything up to our commit index is already settled; say so, and
    // let the leader move on from there.
    coverage_.Hit(Situation::kAppendBelowCommit);
    reply.index = log_.committed();
    reply.index_term = *log_.TermAt(reply.index);
    Send(std::move(reply), /*after_persist=*/true);
    return;
  }
  const LogIndex prev = m.prev_log_index;
  const Term prev_term = m.prev_log_term;
  const LogIndex leader_commit = m.commit;
  const bool skip_check = RAFTSIM_CANARY(kSkipPrevCheck);
  const LogIndex old_last = log_.LastIndex();
  const Term old_last_term = log_.LastTerm();
  const LogIndex old_durable = log_.durable();
  const bool carries_entries = !m.entries.empty();
  bool has_config = false;
  for (const Entry& e : m.entries) has_config |= e.kind == EntryKind::kConfig;
  std::optional<LogIndex> covered;
  if (skip_check && !log_.MatchTerm(prev, prev_term) &&
      prev <= log_.LastIndex()) {
    // Canary: pretend the previous entry matched and overwrite from there.
    covered = log_.ForceAppend(prev, std::move(m.entries));
  } else {
    covered = log_.MaybeAppend(prev, prev_term, std::move(m.entries));
  }
  if (!covered.has_value()) {
    // Raft §5.3: reject, with a hint so the leader can skip a whole term of
    // conflicting entries at once.
    reply.reject = true;
    reply.index = prev;
    coverage_.Hit(prev > log_.LastIndex() ? Situation::kAppendRejectedShortLog
                                          : Situation::kAppendRejectedMismatch);
    if (prev > log_.LastIndex()) {
      reply.hint_term = Term(0);
      reply.hint_index = log_.LastIndex();
    } else {
      reply.hint_term = *log_.TermAt(prev);
      reply.hint_index = std::max(
          log_.FirstIndexWithTermAtLeast(reply.hint_term), log_.FirstIndex());
    }
    Send(std::move(reply), /*after_persist=*/false);
    return;
  }
  if (RAFTSIM_CANARY(kTruncateOnMatch) && *covered < log_.LastIndex() &&
      *covered > log_.committed()) {
    log_.TruncateAfter(*covered);
  }
  // Thesis §4.1: configuration entries take effect on append, and a
  // truncated one stops being in force.
  UpdateConfigsAfterAppend(prev + 1, *covered, has_config);
  if (log_.TermAt(old_last) != old_last_term) {
    coverage_.Hit(Situation::kFollowerTruncatesSuffix);
    if (log_.durable() < old_durable) {
      coverage_.Hit(Situation::kTruncateDurableEntries);
    }
    if (old_durable < old_last) {
      coverage_.Hit(Situation::kTruncateUnsyncedEntries);
    }
  } else if (carries_entries && *covered <= old_last) {
    coverage_.Hit(Situation::kAppendAlreadyPresent);
  }
  if (leader_commit > *covered && *covered > log_.committed()) {
    coverage_.Hit(Situation::kCommitCappedByLastNew);
  }
  // Figure 2 step 5: commit up to min(leaderCommit, last new entry).
  log_.CommitTo(std::min(leader_commit, *covered));
  reply.index = *covered;
  reply.index_term = *log_.TermAt(*covered);
  // The ack claims entries up to `covered` are on our disk.
  Send(std::move(reply),
       /*after_persist=*/!RAFTSIM_CANARY(kAckBeforeDurable));
}

void Node::HandleAppendReply(const Message& m) {
  tracker::Progress* pr = tracker_.Get(m.from);
  if (pr == nullptr) return;
  pr->set_recent_active(true);
  if (m.reject) {
    // Fast backtracking: skip the follower's whole conflicting term, or
    // jump to its last index when its log is shorter.
    LogIndex next_guess;
    if (m.hint_term == Term(0)) {
      next_guess = m.hint_index + 1;
    } else if (const std::optional<LogIndex> last_of_term =
                   log_.LastIndexOfTerm(m.hint_term)) {
      next_guess = *last_of_term + 1;
    } else {
      next_guess = m.hint_index;
    }
    const LogIndex match_hint =
        next_guess > LogIndex(0) ? next_guess - 1 : LogIndex(0);
    const bool was_replicating =
        pr->state() == tracker::ProgressState::kReplicate;
    if (pr->MaybeDecrTo(m.index, match_hint)) {
      if (was_replicating) coverage_.Hit(Situation::kReplicateToProbe);
      if (pr->next() < m.index) coverage_.Hit(Situation::kBacktrackAcrossTerms);
      MaybeSendAppend(m.from, /*send_if_empty=*/true);
    } else {
      coverage_.Hit(Situation::kStaleRejectIgnored);
    }
    return;
  }
  const bool was_paused = pr->IsPaused();
  // Match advances only to what this reply covered: the follower computed
  // it as prev_log_index + entries, never its whole log (which may hold
  // stale entries beyond).
  LogIndex acked = m.index;
  if (RAFTSIM_CANARY(kMatchBeyondAck)) acked = log_.LastIndex();
  if (!pr->MaybeUpdate(acked)) return;
  if (pr->state() == tracker::ProgressState::kProbe) {
    coverage_.Hit(Situation::kProbeToReplicate);
    pr->BecomeReplicate();
  } else if (pr->state() == tracker::ProgressState::kSnapshot &&
             pr->match() >= pr->pending_snapshot()) {
    pr->BecomeProbe();
    pr->BecomeReplicate();
  }
  // Leadership transfer: the target caught up.
  if (m.from == lead_transferee_) MaybeSendTimeoutNow(m.from);
  if (MaybeCommit()) {
    BroadcastAppend();
    return;
  }
  if (was_paused || pr->next() <= log_.LastIndex()) {
    // Fill the window again.
    while (MaybeSendAppend(m.from, /*send_if_empty=*/false)) {
    }
  }
}

void Node::HandleHeartbeat(const Message& m) {
  // The leader sent min(our match, its commit): entries we hold.
  const LogIndex commit = std::min(m.commit, log_.LastIndex());
  if (commit > log_.committed()) coverage_.Hit(Situation::kCommitFromHeartbeat);
  log_.CommitTo(commit);
  Message reply;
  reply.type = MessageType::kHeartbeatReply;
  reply.to = m.from;
  reply.term = term_;
  reply.context = m.context;
  reply.lease_tick = m.lease_tick;
  Send(std::move(reply), /*after_persist=*/false);
}

void Node::HandleHeartbeatReply(const Message& m) {
  tracker::Progress* pr = tracker_.Get(m.from);
  if (pr == nullptr) return;
  if (pr->state() == tracker::ProgressState::kSnapshot) {
    // The snapshot may have been lost; probe again, which re-sends it if
    // the follower still needs it.
    coverage_.Hit(Situation::kSnapshotReprobed);
    pr->BecomeProbe();
  }
  pr->HandleHeartbeatResponse();
  if (config_.lease_read && m.lease_tick != 0) {
    RecordLeaseAck(m.from, m.lease_tick);
  }
  if (m.context != 0) HandleReadAck(m.from, m.context);
  if (pr->match() < log_.LastIndex() || pr->CanBumpCommit(log_.committed())) {
    MaybeSendAppend(m.from, /*send_if_empty=*/true);
  }
}

}  // namespace raftsim::raft
