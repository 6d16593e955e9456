// raft/ready_cycle.cc — raft::Node's output side: HasReady, GetReady,
// Advance, OnPersisted and Compact (the Ready contract of raft/ready.h and
// docs/ready.md). Part of raft::Node; see node.h.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/confchange/changer.h"
#include "raft/node.h"

namespace raftsim::raft {

bool Node::HasReady() const {
  if (ready_outstanding_) return false;
  // Cheapest and most frequent answers first (pure tests; order is free).
  if (!msgs_.empty() || !msgs_after_persist_.empty()) return true;
  const SoftState soft{role_, leader_, term_};
  return soft != prev_soft_state_ || hard_state() != prev_hard_state_ ||
         conf_version_ != reported_conf_version_ || log_.HasUnstable() ||
         pending_snapshot_.has_value() || log_.HasNextCommitted() ||
         !read_states_.empty() ||
         (RAFTSIM_CANARY(kApplyUncommitted) &&
          log_.applying() < log_.LastIndex());
}

Ready Node::GetReady() {
  CHECK(!ready_outstanding_) << "GetReady before Advance";
  Ready rd;
  const SoftState soft{role_, leader_, term_};
  if (soft != prev_soft_state_) {
    rd.soft_state = soft;
    prev_soft_state_ = soft;
  }
  if (conf_version_ != reported_conf_version_) {
    rd.membership = membership();
    reported_conf_version_ = conf_version_;
  }
  const HardState hs = hard_state();
  if (hs != prev_hard_state_) {
    rd.hard_state = hs;
    prev_hard_state_ = hs;
  }
  if (pending_snapshot_.has_value()) {
    rd.snapshot = std::move(*pending_snapshot_);
    pending_snapshot_.reset();
  }
  rd.entries.swap(spare_entries_);
  log_.TakeUnstable(&rd.entries);
  rd.persist_index = log_.LastIndex();
  rd.persist_term = log_.LastTerm();
  rd.messages.swap(msgs_);
  msgs_.swap(spare_msgs_);
  rd.messages_after_persist.swap(msgs_after_persist_);
  msgs_after_persist_.swap(spare_msgs_after_persist_);
  if (RAFTSIM_CANARY(kLoseUnsyncedAcked)) {
    // Canary: trust the write as durable the moment it is handed to
    // storage (a disk that acknowledges before syncing): count it for
    // commit and apply, and answer at once what should wait for it. A
    // crash then loses entries the node vouched for.
    if (!rd.entries.empty()) {
      log_.StableTo(rd.persist_index, rd.persist_term);
      AdvanceSelfMatch();
    }
    for (Message& m : rd.messages_after_persist) {
      rd.messages.push_back(std::move(m));
    }
    rd.messages_after_persist.clear();
  }
  rd.committed_entries.swap(spare_committed_);
  rd.read_states = std::move(read_states_);
  read_states_.clear();
  if (RAFTSIM_CANARY(kApplyUncommitted)) {
    log_.TakeNextUncommitted(config_.max_committed_bytes_per_ready,
                             &rd.committed_entries);
  } else {
    log_.TakeNextCommitted(config_.max_committed_bytes_per_ready,
                           &rd.committed_entries);
  }
  ready_applied_to_ = log_.applying();
  ready_outstanding_ = true;
  return rd;
}

void Node::Advance() {
  CHECK(ready_outstanding_) << "Advance without GetReady";
  ready_outstanding_ = false;
  log_.AppliedTo(std::max(ready_applied_to_, log_.applied()));
  CheckInvariants();
}

void Node::Advance(Ready&& spent) {
  Advance();
  const auto recycle = [](auto& from, auto& to) {
    if (from.capacity() > to.capacity()) {
      from.clear();
      to.swap(from);
    }
  };
  recycle(spent.messages, spare_msgs_);
  recycle(spent.messages_after_persist, spare_msgs_after_persist_);
  recycle(spent.entries, spare_entries_);
  recycle(spent.committed_entries, spare_committed_);
}

void Node::OnPersisted(LogIndex index, Term term) {
  const Checkpoint before = Capture();
  if (log_.TermAt(index) != term) {
    coverage_.Hit(Situation::kPersistForReplacedEntries);
  }
  log_.StableTo(index, term);
  AdvanceSelfMatch();
  MaybeAdvanceMembership();
  CheckTransition(before);
  CheckInvariants();
}

absl::Status Node::Compact(Snapshot snapshot, uint64_t keep_entries) {
  const LogIndex index = snapshot.meta.index;
  if (index > log_.applied()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot snapshot at ", index.Describe(),
                     ": only applied up to ", log_.applied().Describe()));
  }
  if (index <= snapshot_.meta.index) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot at ", index.Describe(), " is not newer than ",
                     snapshot_.meta.index.Describe()));
  }
  if (!log_.MatchTerm(index, snapshot.meta.term)) {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot term ", snapshot.meta.term.Describe(), " at ",
                     index.Describe(), " does not match the log"));
  }
  // Thesis §4 / etcd: a snapshot carries the configuration in force at its
  // index — the latest configuration entry at or below it, which may be
  // older than the latest in the log. Whatever membership the application
  // put in `snapshot` is replaced by it (an application that records the
  // node's current configuration would be wrong once a later configuration
  // entry is appended). Entries up to `index` are then folded into the
  // base configuration, which keeps the index of the entry that set it.
  const ConfigPoint at = ConfigAt(index);
  snapshot.meta.conf = confchange::ToConfState(at.config);
  conf_log_.erase(
      conf_log_.begin(),
      std::find_if(conf_log_.begin(), conf_log_.end(),
                   [index](const ConfigPoint& p) { return p.index > index; }));
  conf_base_ = at;
  snapshot_ = std::move(snapshot);
  if (index - log_.base_index() > keep_entries) {
    coverage_.Hit(Situation::kLogCompacted);
    log_.CompactTo(index - keep_entries);
  }
  CheckInvariants();
  return absl::OkStatus();
}

}  // namespace raftsim::raft
