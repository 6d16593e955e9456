// raft/node.cc — raft::Node construction, membership, Tick, message
// dispatch (Raft Figure 2 "Rules for Servers") and proposals. See node.h.

#include "raft/node.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/confchange/changer.h"

namespace raftsim::raft {
namespace {

constexpr char kLeaderHintUrl[] = "raftsim/leader_hint";

// Validates the durable state a node is rebuilt from (user input: it comes
// from the application's storage).
absl::Status ValidateDurableState(const DurableState& state) {
  const SnapshotMeta& snap = state.snapshot.meta;
  LogIndex expect = snap.index + 1;
  Term prev_term = snap.term;
  for (const Entry& e : state.entries) {
    if (e.index != expect) {
      return absl::InvalidArgumentError(
          absl::StrCat("durable log is not contiguous: expected index ",
                       expect.Describe(), ", found ", e.Describe()));
    }
    if (e.term < prev_term) {
      return absl::InvalidArgumentError(
          absl::StrCat("durable log terms decrease at ", e.Describe(),
                       " (previous term ", prev_term.Describe(), ")"));
    }
    prev_term = e.term;
    ++expect;
  }
  if (state.hard_state.term < prev_term) {
    return absl::InvalidArgumentError(
        absl::StrCat("hard state term ", state.hard_state.term.Describe(),
                     " is below the last log term ", prev_term.Describe()));
  }
  if (state.hard_state.commit > expect - 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hard state commit ", state.hard_state.commit.Describe(),
        " is beyond the last log index ", (expect - 1).Describe()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NotLeaderError(NodeId self, NodeId leader) {
  absl::Status status = absl::FailedPreconditionError(
      absl::StrCat("node ", self.Describe(), " is not the leader",
                   leader == kNoNode
                       ? std::string(" (leader unknown)")
                       : absl::StrCat(" (leader is ", leader.Describe(), ")")));
  if (leader != kNoNode) {
    status.SetPayload(kLeaderHintUrl, absl::Cord(absl::StrCat(leader.value())));
  }
  return status;
}

NodeId LeaderHint(const absl::Status& status) {
  const auto payload = status.GetPayload(kLeaderHintUrl);
  uint64_t id = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &id)) {
    return kNoNode;
  }
  return NodeId(id);
}

absl::StatusOr<std::unique_ptr<Node>> Node::Create(const Config& config,
                                                   DurableState state) {
  if (absl::Status s = config.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateDurableState(state); !s.ok()) return s;
  // The base configuration: the snapshot's, else the static initial one.
  ConfState conf = state.snapshot.meta.conf;
  if (conf.voters.empty()) {
    conf = ConfState();
    conf.voters = config.voters;
    conf.learners = config.learners;
  }
  absl::StatusOr<tracker::Config> base = confchange::FromConfState(conf);
  if (!base.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad membership in the snapshot or Config: ", base.status().message()));
  }
  ConfigPoint conf_base{state.snapshot.meta.index, state.snapshot.meta.term,
                        std::move(*base)};
  std::vector<ConfigPoint> conf_log;
  if (absl::Status s = ReplayConfigs(conf_base, state.entries, &conf_log);
      !s.ok()) {
    return s;
  }
  const tracker::Config& in_force =
      conf_log.empty() ? conf_base.config : conf_log.back().config;
  const bool empty_state =
      state.entries.empty() && state.snapshot.meta.index == LogIndex(0);
  if (in_force.voters.IDs().empty() && !empty_state) {
    // Only a node with nothing in its log may wait to be bootstrapped or
    // to hear from a leader (docs/membership.md).
    return absl::InvalidArgumentError(
        "no voters: Config.voters is empty and neither the snapshot nor the "
        "log holds a membership");
  }
  return std::unique_ptr<Node>(new Node(
      config, std::move(state), std::move(conf_base), std::move(conf_log)));
}

Node::Node(const Config& config, DurableState state, ConfigPoint conf_base,
           std::vector<ConfigPoint> conf_log)
    : config_(config),
      prng_(config.seed),
      term_(state.hard_state.term),
      voted_for_(state.hard_state.voted_for),
      log_(state.snapshot.meta.index, state.snapshot.meta.term,
           std::move(state.entries)),
      tracker_(config.max_inflight_msgs, config.max_inflight_bytes),
      conf_base_(std::move(conf_base)),
      conf_log_(std::move(conf_log)),
      snapshot_(std::move(state.snapshot)) {
  if (RAFTSIM_CANARY(kForgetVoteOnRestart)) voted_for_ = kNoNode;
  if (config_.lease_read) {
    lease_ticks_ = static_cast<uint64_t>(config_.LeaseTicks());
    if (RAFTSIM_CANARY(kLeaseOutlivesTimeout)) {
      lease_ticks_ = 2 * static_cast<uint64_t>(config_.election_timeout_ticks);
    }
  }
  log_.CommitTo(std::max(state.hard_state.commit, log_.base_index()));
  ApplyConfigInForce();
  reported_conf_version_ = conf_version_;
  BecomeFollower(term_, kNoNode);
  prev_soft_state_ = {role_, leader_, term_};
  prev_hard_state_ = hard_state();
  ready_applied_to_ = log_.applied();
  CheckInvariants();
}

void Node::Tick() {
  const Checkpoint before = Capture();
  ++clock_ticks_;
  if (role_ == Role::kLeader) {
    TickHeartbeat();
  } else {
    TickElection();
  }
  CheckTransition(before);
  CheckInvariants();
}

absl::Status Node::Step(const Message& message) {
  return Step(Message(message));
}

absl::Status Node::Step(Message&& m) {
  if (m.to != config_.id) {
    return absl::InvalidArgumentError(
        absl::StrCat("message for ", m.to.Describe(), " stepped on node ",
                     config_.id.Describe(), ": ", m.Describe()));
  }
  if (m.from == kNoNode || m.from == config_.id) {
    return absl::InvalidArgumentError(
        absl::StrCat("message with a bad sender: ", m.Describe()));
  }
  if (absl::Status s = ValidateMessage(m); !s.ok()) return s;
  const Checkpoint before = Capture();
  absl::Status status = StepInternal(std::move(m));
  MaybeAdvanceMembership();
  CheckTransition(before);
  CheckInvariants();
  return status;
}

absl::Status Node::StepInternal(Message&& m) {
  // Raft Figure 2, all servers: a higher term makes us a follower of it.
  if (m.term > term_) {
    const bool vote_request =
        m.type == MessageType::kVote || m.type == MessageType::kPreVote;
    // A transfer's vote request is the old leader's own doing (thesis
    // §3.10): it is not disruptive, and the lease it would break is void.
    if (vote_request && !m.transfer && InLease()) {
      coverage_.Hit(Situation::kVoteIgnoredInLease);
      // CheckQuorum lease: we heard from a live leader within the election
      // timeout; a disruptive candidate (e.g. a rejoining partitioned node)
      // must not depose it (thesis §4.2.3).
      return absl::OkStatus();
    }
    if (m.type == MessageType::kPreVote ||
        (m.type == MessageType::kPreVoteReply && !m.reject)) {
      // Pre-votes carry a future term and change nobody's term (§9.6).
    } else {
      const bool from_leader = m.type == MessageType::kAppend ||
                               m.type == MessageType::kHeartbeat ||
                               m.type == MessageType::kSnapshot ||
                               m.type == MessageType::kTimeoutNow;
      if (role_ == Role::kLeader) {
        coverage_.Hit(Situation::kLeaderDeposedByTerm);
      }
      BecomeFollower(m.term, from_leader ? m.from : kNoNode);
    }
  } else if (m.term < term_ &&
             !(RAFTSIM_CANARY(kAcceptStaleAck) && role_ == Role::kLeader &&
               m.type == MessageType::kAppendReply && !m.reject)) {
    if (m.type == MessageType::kAppend || m.type == MessageType::kHeartbeat) {
      // A stale leader: answer with our term so it steps down. Without
      // this, a partitioned leader that came back with CheckQuorum/PreVote
      // on could stay stuck.
      coverage_.Hit(Situation::kStaleLeaderToldTerm);
      Message reply;
      reply.type = MessageType::kAppendReply;
      reply.to = m.from;
      reply.term = term_;
      Send(std::move(reply), /*after_persist=*/false);
    } else if (m.type == MessageType::kPreVote) {
      // Tell the pre-candidate our term so it can catch up (§9.6).
      coverage_.Hit(Situation::kPreVoteRefusedStaleTerm);
      Message reply;
      reply.type = MessageType::kPreVoteReply;
      reply.to = m.from;
      reply.term = term_;
      reply.reject = true;
      Send(std::move(reply), /*after_persist=*/false);
    } else {
      if (role_ == Role::kLeader && m.type == MessageType::kAppendReply &&
          !m.reject) {
        coverage_.Hit(Situation::kStaleAckAtLaterLeader);
        const tracker::Progress* pr = tracker_.Get(m.from);
        if (pr != nullptr && pr->match() < m.index) {
          coverage_.Hit(Situation::kStaleAckAboveMatch);
        }
      }
      coverage_.Hit(Situation::kStaleMessageIgnored);
    }
    // Everything else from an old term is ignored (Raft §5.1).
    return absl::OkStatus();
  }

  if (m.type == MessageType::kVote || m.type == MessageType::kPreVote) {
    HandleVoteRequest(m);
    return absl::OkStatus();
  }
  switch (role_) {
    case Role::kLeader:
      StepLeader(std::move(m));
      break;
    case Role::kCandidate:
    case Role::kPreCandidate:
      StepCandidate(std::move(m));
      break;
    case Role::kFollower:
      StepFollower(std::move(m));
      break;
  }
  return absl::OkStatus();
}

void Node::StepLeader(Message&& m) {
  switch (m.type) {
    case MessageType::kAppendReply:
      HandleAppendReply(m);
      break;
    case MessageType::kHeartbeatReply:
      if (tracker::Progress* pr = tracker_.Get(m.from)) {
        pr->set_recent_active(true);
      }
      HandleHeartbeatReply(m);
      break;
    case MessageType::kSnapshotReply:
      HandleSnapshotReply(m);
      break;
    default:
      // Another leader of our term cannot exist (Election Safety); other
      // requests are meaningless to a leader. Ignore.
      break;
  }
}

void Node::StepCandidate(Message&& m) {
  switch (m.type) {
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
      // Raft §5.2: a candidate that hears from the leader of its term
      // returns to follower.
      coverage_.Hit(Situation::kCandidateYieldsToLeader);
      BecomeFollower(term_, m.from);
      StepFollower(std::move(m));
      break;
    case MessageType::kPreVoteReply:
    case MessageType::kVoteReply:
      HandleVoteReply(m);
      break;
    default:
      break;
  }
}

void Node::StepFollower(Message&& m) {
  switch (m.type) {
    case MessageType::kAppend:
      election_elapsed_ = 0;
      leader_heard_tick_ = clock_ticks_;
      leader_ = m.from;
      HandleAppend(std::move(m));
      break;
    case MessageType::kHeartbeat:
      if (!RAFTSIM_CANARY(kHeartbeatKeepsTimer)) election_elapsed_ = 0;
      leader_heard_tick_ = clock_ticks_;
      leader_ = m.from;
      HandleHeartbeat(m);
      break;
    case MessageType::kSnapshot:
      election_elapsed_ = 0;
      leader_heard_tick_ = clock_ticks_;
      leader_ = m.from;
      HandleSnapshot(std::move(m));
      break;
    case MessageType::kTimeoutNow:
      HandleTimeoutNow(m);
      break;
    default:
      break;
  }
}

absl::StatusOr<ProposeResult> Node::Propose(
    absl::Span<const Payload> payloads) {
  if (role_ != Role::kLeader) {
    coverage_.Hit(Situation::kProposalRefusedNotLeader);
    return NotLeaderError(config_.id, leader_);
  }
  if (lead_transferee_ != kNoNode) return TransferInProgressError();
  if (payloads.empty()) {
    return absl::InvalidArgumentError("empty proposal batch");
  }
  const Checkpoint before = Capture();
  std::vector<Entry> entries(payloads.size());
  LogIndex index = log_.LastIndex();
  uint64_t bytes = 0;
  for (size_t i = 0; i < payloads.size(); ++i) {
    Entry& e = entries[i];
    e.term = term_;
    e.index = ++index;
    e.payload = payloads[i];
    bytes += e.ByteSize();
  }
  if (config_.max_uncommitted_bytes != 0 && uncommitted_bytes_ > 0 &&
      uncommitted_bytes_ + bytes > config_.max_uncommitted_bytes) {
    coverage_.Hit(Situation::kProposalRefusedUncommitted);
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many uncommitted bytes: ", uncommitted_bytes_, " + ", bytes,
        " exceeds max_uncommitted_bytes ", config_.max_uncommitted_bytes));
  }
  const ProposeResult result{entries.front().index, entries.back().index,
                             term_};
  AppendAsLeader(std::move(entries));
  // Pipelining: followers in Replicate get the new entries now, without
  // waiting for earlier ones to be acknowledged.
  for (const NodeId id : peers_) MaybeSendAppend(id, /*send_if_empty=*/false);
  CheckTransition(before);
  CheckInvariants();
  return result;
}

void Node::Send(Message&& m, bool after_persist) {
  m.from = config_.id;
  if (after_persist) {
    msgs_after_persist_.push_back(std::move(m));
  } else {
    msgs_.push_back(std::move(m));
  }
}

std::string Node::Describe() const {
  return absl::StrCat(config_.id.Describe(), " ", std::string(RoleName(role_)),
                      " ", term_.Describe(), " vote=", voted_for_.Describe(),
                      " leader=", leader_.Describe(), " ", log_.Describe());
}

}  // namespace raftsim::raft
