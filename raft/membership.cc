// raft/membership.cc — raft::Node's membership: the configuration in force
// (thesis §4.1: the latest configuration entry in the log, committed or
// not), configuration changes proposed by the leader (single-server and
// joint, thesis §4.1 and §4.3, etcd ConfChangeV2), auto-leave, a removed
// leader's step-down (thesis §4.2.2) and cluster bootstrap. Part of
// raft::Node; see node.h and docs/membership.md.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/confchange/changer.h"
#include "raft/node.h"

namespace raftsim::raft {
namespace {

// The configuration entry `e` leads to from `current`.
absl::StatusOr<tracker::Config> NextConfig(const tracker::Config& current,
                                           const Entry& e) {
  absl::StatusOr<confchange::ConfChange> change =
      confchange::DecodeConfChange(e.payload.view());
  if (!change.ok()) return change.status();
  return confchange::Changer(current).Apply(*change);
}

}  // namespace

absl::Status Node::ReplayConfigs(const ConfigPoint& base,
                                 const std::vector<Entry>& entries,
                                 std::vector<ConfigPoint>* out) {
  const tracker::Config* current = &base.config;
  for (const Entry& e : entries) {
    if (e.kind != EntryKind::kConfig) continue;
    absl::StatusOr<tracker::Config> next = NextConfig(*current, e);
    if (!next.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("durable configuration entry ", e.Describe(), ": ",
                       next.status().message()));
    }
    out->push_back({e.index, e.term, std::move(*next)});
    current = &out->back().config;
  }
  return absl::OkStatus();
}

const tracker::Config& Node::configuration() const {
  return conf_log_.empty() ? conf_base_.config : conf_log_.back().config;
}

LogIndex Node::configuration_index() const {
  return conf_log_.empty() ? conf_base_.index : conf_log_.back().index;
}

Membership Node::membership() const {
  return {configuration_index(), confchange::ToConfState(configuration())};
}

const Node::ConfigPoint& Node::ConfigAt(LogIndex index) const {
  CHECK_GE(index, conf_base_.index);
  for (auto it = conf_log_.rbegin(); it != conf_log_.rend(); ++it) {
    if (it->index <= index) return *it;
  }
  return conf_base_;
}

void Node::ApplyConfigInForce() {
  // New members get Progress(next = last + 1): a leader probes them from
  // its log's end and backs off to what they hold.
  tracker_.ApplyConfig(configuration(), log_.LastIndex());
  peers_.clear();
  for (const auto& [id, pr] : tracker_.progress()) {
    if (id != config_.id) peers_.push_back(id);
  }
  // A transfer target that is no longer a voter cannot take over.
  if (lead_transferee_ != kNoNode &&
      !configuration().voters.incoming.Contains(lead_transferee_)) {
    AbortLeaderTransfer();
  }
  // Reported when the configuration, or the entry that set it, changed: a
  // snapshot that restates the configuration in force is no change.
  const LogIndex entry =
      conf_log_.empty() ? LogIndex(0) : conf_log_.back().index;
  if (configuration() != versioned_conf_ || entry != versioned_entry_) {
    versioned_conf_ = configuration();
    versioned_entry_ = entry;
    ++conf_version_;
  }
}

void Node::UpdateConfigsAfterAppend(LogIndex first, LogIndex last,
                                    bool has_config) {
  bool changed = false;
  // A configuration whose entry was truncated (a conflicting suffix
  // replaced) is no longer in force (thesis §4.1): the log's next-latest
  // one is. Log Matching: same index and term, same entry.
  while (!conf_log_.empty() &&
         !log_.MatchTerm(conf_log_.back().index, conf_log_.back().term)) {
    conf_log_.pop_back();
    changed = true;
  }
  if (has_config) {
    // Entries at or below the configuration index are already adopted.
    for (LogIndex i = std::max(first, configuration_index() + 1); i <= last;
         ++i) {
      const Entry& e = log_.At(i);
      if (e.kind != EntryKind::kConfig) continue;
      absl::StatusOr<tracker::Config> next = NextConfig(configuration(), e);
      // The leader applied the same change to the same configuration (Log
      // Matching), so this cannot fail unless the leader runs other code;
      // such an entry then leaves the configuration as it was.
      if (!next.ok()) continue;
      conf_log_.push_back({e.index, e.term, std::move(*next)});
      changed = true;
    }
  }
  if (changed) ApplyConfigInForce();
}

ProposeResult Node::AppendConfChange(const confchange::ConfChange& change,
                                     tracker::Config next) {
  const LogIndex index = log_.LastIndex() + 1;
  std::vector<Entry> entries(1);
  entries[0].term = term_;
  entries[0].index = index;
  entries[0].kind = EntryKind::kConfig;
  entries[0].payload = Payload(confchange::EncodeConfChange(change));
  conf_log_.push_back({index, term_, std::move(next)});
  // Into the tracker before the append: members it adds start probing at
  // the configuration entry itself.
  ApplyConfigInForce();
  AppendAsLeader(std::move(entries));
  for (const NodeId id : peers_) {
    const tracker::Progress* pr = tracker_.Get(id);
    // New members hear at once; the others get the entry as usual.
    MaybeSendAppend(id, /*send_if_empty=*/pr->match() == LogIndex(0));
  }
  return {index, index, term_};
}

absl::StatusOr<ProposeResult> Node::ProposeConfChange(
    const confchange::ConfChange& change) {
  if (role_ != Role::kLeader) return NotLeaderError(config_.id, leader_);
  if (lead_transferee_ != kNoNode) return TransferInProgressError();
  if (change.transition == confchange::Transition::kBootstrap) {
    return absl::InvalidArgumentError(
        "a bootstrap change is written by Bootstrap, never proposed");
  }
  if (change.changes.size() > confchange::kMaxChanges) {
    return absl::InvalidArgumentError(
        absl::StrCat("more than ", confchange::kMaxChanges, " changes"));
  }
  // Ongaro (raft-dev, 2015): a leader that changes the configuration before
  // an entry of its term has committed may build on a predecessor's
  // uncommitted change that a later leader overwrites, and two changes that
  // each differ by one server from a common base can have disjoint
  // majorities. The no-op of its term commits first.
  if (log_.TermAt(log_.committed()) != term_) {
    return absl::UnavailableError(
        "leader has not yet committed an entry of its term; retry");
  }
  // One change at a time (thesis §4.1): the configuration in force — the
  // latest in the log — must be committed before the next is proposed.
  if (configuration_index() > log_.committed()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the configuration change at ", configuration_index().Describe(),
        " is not committed yet (commit ", log_.committed().Describe(), ")"));
  }
  absl::StatusOr<tracker::Config> next =
      confchange::Changer(configuration()).Apply(change);
  if (!next.ok()) return next.status();
  const Checkpoint before = Capture();
  const ProposeResult result = AppendConfChange(change, std::move(*next));
  CheckTransition(before);
  CheckInvariants();
  return result;
}

void Node::MaybeAdvanceMembership() {
  if (role_ != Role::kLeader) return;
  if (term_ == membership_settled_term_ &&
      configuration_index() == membership_settled_index_) {
    return;
  }
  // Only a committed configuration moves on, and only once this leader's
  // commit index is current (an entry of its term committed).
  if (configuration_index() > log_.committed() ||
      log_.TermAt(log_.committed()) != term_) {
    return;
  }
  const tracker::Config& cfg = configuration();
  if (cfg.voters.IsJoint() && cfg.auto_leave &&
      (!RAFTSIM_CANARY(kAutoLeaveByEntererOnly) ||
       ConfigAt(configuration_index()).term == term_)) {
    // etcd raft.go (auto-leave): any leader, including one elected after
    // the joint entry committed, appends the leave entry (etcd #12136).
    absl::StatusOr<tracker::Config> next =
        confchange::Changer(cfg).LeaveJoint();
    CHECK(next.ok()) << next.status();
    AppendConfChange(confchange::ConfChange::LeaveJoint(), std::move(*next));
    return;
  }
  if (!cfg.voters.Contains(config_.id)) {
    // Thesis §4.2.2: a leader not in C_new led (replicating, not counting
    // itself) until C_new committed; now it steps down.
    BecomeFollower(term_, kNoNode);
    return;
  }
  membership_settled_index_ = configuration_index();
  membership_settled_term_ = term_;
}

absl::Status Node::Bootstrap(const ConfState& membership) {
  if (!membership.voters_outgoing.empty() ||
      !membership.learners_next.empty() || membership.auto_leave) {
    return absl::InvalidArgumentError(
        "a bootstrap membership cannot be joint: " + membership.Describe());
  }
  confchange::ConfChange change;
  change.transition = confchange::Transition::kBootstrap;
  std::vector<NodeId> voters = membership.voters;
  std::vector<NodeId> learners = membership.learners;
  std::sort(voters.begin(), voters.end());
  std::sort(learners.begin(), learners.end());
  for (const NodeId id : voters) {
    change.changes.push_back({confchange::ChangeType::kAddVoter, id});
  }
  for (const NodeId id : learners) {
    change.changes.push_back({confchange::ChangeType::kAddLearner, id});
  }
  if (change.changes.size() > confchange::kMaxChanges) {
    return absl::InvalidArgumentError("bootstrap membership too large");
  }
  const Payload payload(confchange::EncodeConfChange(change));
  if (initialised() || log_.LastIndex() > LogIndex(0)) {
    // Idempotent: the same bootstrap again (a host retrying) is a no-op.
    if (log_.FirstIndex() == LogIndex(1) && log_.LastIndex() >= LogIndex(1) &&
        log_.At(LogIndex(1)).kind == EntryKind::kConfig &&
        log_.At(LogIndex(1)).payload == payload) {
      return absl::OkStatus();
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "node ", config_.id.Describe(), " is already initialised (",
        configuration().Describe(), " at ", configuration_index().Describe(),
        "); cannot bootstrap ", membership.Describe()));
  }
  absl::StatusOr<tracker::Config> next =
      confchange::Changer(configuration()).Apply(change);
  if (!next.ok()) return next.status();
  const Checkpoint before = Capture();
  // Entry i1@t1, committed: every bootstrapped node writes the same one,
  // and no leader can exist before it (nobody votes uninitialised).
  if (term_ < Term(1)) term_ = Term(1);
  Entry e;
  e.term = Term(1);
  e.index = LogIndex(1);
  e.kind = EntryKind::kConfig;
  e.payload = payload;
  log_.Append(std::move(e));
  log_.CommitTo(LogIndex(1));
  conf_log_.push_back({LogIndex(1), Term(1), std::move(*next)});
  ApplyConfigInForce();
  CheckTransition(before);
  CheckInvariants();
  return absl::OkStatus();
}

}  // namespace raftsim::raft
