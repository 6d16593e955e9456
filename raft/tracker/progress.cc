// raft/tracker/progress.cc — the follower-progress state machine.

#include "raft/tracker/progress.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::tracker {

std::string_view Describe(ProgressState state) {
  switch (state) {
    case ProgressState::kProbe:
      return "StateProbe";
    case ProgressState::kReplicate:
      return "StateReplicate";
    case ProgressState::kSnapshot:
      return "StateSnapshot";
  }
  return "StateInvalid";
}

Progress::Progress(LogIndex match, LogIndex next, size_t max_inflight,
                   uint64_t max_inflight_bytes, bool is_learner)
    : match_(match),
      next_(next),
      is_learner_(is_learner),
      inflights_(max_inflight, max_inflight_bytes) {
  CheckInvariants();
}

void Progress::ResetState(ProgressState state) {
  state_ = state;
  msg_app_flow_paused_ = false;
  pending_snapshot_ = LogIndex(0);
  inflights_.Reset();
}

void Progress::Reset(LogIndex next) {
  ResetState(ProgressState::kProbe);
  match_ = LogIndex(0);
  next_ = next;
  sent_commit_ = LogIndex(0);
  recent_active_ = false;
  CheckInvariants();
}

void Progress::BecomeProbe() {
  // Leaving kSnapshot means the snapshot was delivered (or reported done):
  // the follower has everything up to it, so probe from just after it.
  const LogIndex after_snapshot = pending_snapshot_ + 1;
  const bool was_snapshot = state_ == ProgressState::kSnapshot;
  ResetState(ProgressState::kProbe);
  next_ = was_snapshot ? std::max(match_ + 1, after_snapshot) : match_ + 1;
  sent_commit_ = std::min(sent_commit_, next_ - 1);
  CheckInvariants();
}

void Progress::BecomeReplicate() {
  ResetState(ProgressState::kReplicate);
  next_ = match_ + 1;
  sent_commit_ = std::min(sent_commit_, match_);
  CheckInvariants();
}

void Progress::BecomeSnapshot(LogIndex snapshot_index) {
  ResetState(ProgressState::kSnapshot);
  pending_snapshot_ = snapshot_index;
  CheckInvariants();
}

bool Progress::MaybeUpdate(LogIndex n) {
  if (n <= match_) return false;
  match_ = n;
  next_ = std::max(next_, n + 1);
  msg_app_flow_paused_ = false;
  inflights_.FreeLE(n);
  CheckInvariants();
  return true;
}

void Progress::OptimisticUpdate(LogIndex last_sent) {
  CHECK(state_ == ProgressState::kReplicate) << Describe();
  CHECK_GE(last_sent + 1, next_) << "next must not move back";
  next_ = last_sent + 1;
  CheckInvariants();
}

bool Progress::MaybeDecrTo(LogIndex rejected, LogIndex match_hint) {
  if (state_ == ProgressState::kReplicate) {
    // Acked since it was sent: the rejection is stale.
    if (rejected <= match_) return false;
    // The pipeline broke; everything in flight after match is void.
    BecomeProbe();
    return true;
  }
  // Probes go one at a time: only a rejection of the latest counts.
  if (next_ - 1 != rejected) return false;
  next_ = std::max(std::min(rejected, match_hint + 1), match_ + 1);
  sent_commit_ = std::min(sent_commit_, next_ - 1);
  // In kSnapshot the flag stays clear (see its invariant); IsPaused() is
  // true there regardless.
  msg_app_flow_paused_ = false;
  CheckInvariants();
  return true;
}

void Progress::SentEntries(uint64_t count, uint64_t bytes) {
  switch (state_) {
    case ProgressState::kReplicate:
      if (count > 0) {
        next_ += count;
        inflights_.Add(next_ - 1, bytes);
      }
      break;
    case ProgressState::kProbe:
      msg_app_flow_paused_ = true;
      break;
    case ProgressState::kSnapshot:
      CHECK(false) << "no appends while a snapshot is pending: " << Describe();
  }
  CheckInvariants();
}

void Progress::HandleHeartbeatResponse() {
  recent_active_ = true;
  if (state_ == ProgressState::kProbe) msg_app_flow_paused_ = false;
  if (state_ == ProgressState::kReplicate && inflights_.Full()) {
    inflights_.FreeFirstOne();
  }
  CheckInvariants();
}

bool Progress::IsPaused() const {
  switch (state_) {
    case ProgressState::kProbe:
      return msg_app_flow_paused_;
    case ProgressState::kReplicate:
      return inflights_.Full();
    case ProgressState::kSnapshot:
      return true;
  }
  return true;
}

bool Progress::CanBumpCommit(LogIndex commit) const {
  return sent_commit_ < std::min(commit, next_ - 1);
}

void Progress::SentCommit(LogIndex commit) {
  sent_commit_ = std::min(std::max(sent_commit_, commit), next_ - 1);
  CheckInvariants();
}

void Progress::CheckInvariants() const {
  // Every transition ends here: one fused, branch-free test; the
  // individual CHECKs (which name the failed condition) only when it fails.
  const bool ok = (match_ < next_) & (sent_commit_ < next_) &
                  ((state_ == ProgressState::kSnapshot) |
                   (pending_snapshot_ == LogIndex(0))) &
                  ((state_ == ProgressState::kProbe) | !msg_app_flow_paused_) &
                  ((state_ == ProgressState::kReplicate) | inflights_.empty()) &
                  (inflights_.empty() || (inflights_.oldest() > match_ &&
                                          inflights_.newest() < next_));
  if (ABSL_PREDICT_FALSE(!ok)) CheckInvariantsFailed();
}

void Progress::CheckInvariantsFailed() const {
  CHECK_LT(match_, next_);
  CHECK_LT(sent_commit_, next_);
  if (state_ != ProgressState::kSnapshot)
    CHECK_EQ(pending_snapshot_, LogIndex(0));
  if (state_ != ProgressState::kProbe) CHECK(!msg_app_flow_paused_);
  if (state_ != ProgressState::kReplicate) CHECK(inflights_.empty());
  if (!inflights_.empty()) {
    CHECK_GT(inflights_.oldest(), match_);
    CHECK_LT(inflights_.newest(), next_);
  }
  CHECK(false) << "Progress::CheckInvariants disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

std::string Progress::Describe() const {
  std::string out =
      absl::StrCat(std::string(tracker::Describe(state_)),
                   " match=", match_.Describe(), " next=", next_.Describe());
  if (is_learner_) out += " learner";
  if (IsPaused()) out += " paused";
  if (pending_snapshot_ > LogIndex(0)) {
    absl::StrAppend(&out, " pending_snapshot=", pending_snapshot_.Describe());
  }
  if (!recent_active_) out += " inactive";
  if (inflights_.count() > 0) {
    absl::StrAppend(&out, " inflight=", inflights_.count());
    if (inflights_.Full()) out += "[full]";
  }
  return out;
}

}  // namespace raftsim::raft::tracker
