// raft/transfer.cc — leadership transfer (thesis §3.10; etcd raft's
// MsgTransferLeader / MsgTimeoutNow). Part of raft::Node; see node.h and
// docs/membership.md.
//
// The leader stops taking proposals, brings the target's log up to its
// own, and then sends TimeoutNow; the target campaigns at once, without a
// pre-vote, and flags its vote requests so that voters grant them although
// they heard the leader within the election timeout. The leader's lease
// is void from the TimeoutNow on: the voters' promise it rests on no
// longer holds for the flagged requests.

#include <utility>

#include "absl/strings/str_cat.h"
#include "raft/node.h"

namespace raftsim::raft {

absl::Status Node::TransferLeadership(NodeId target) {
  if (role_ != Role::kLeader) return NotLeaderError(config_.id, leader_);
  if (target == config_.id) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot transfer leadership to ", target.Describe(),
                     ": it is already the leader"));
  }
  const tracker::Config& cfg = configuration();
  // The leader tracks a Progress for every member of the configuration.
  if (tracker_.Get(target) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot transfer leadership to ", target.Describe(),
                     ": not a member of ", cfg.Describe()));
  }
  if (!cfg.voters.incoming.Contains(target)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot transfer leadership to ", target.Describe(),
        ": not a voter of the incoming configuration ", cfg.Describe()));
  }
  if (lead_transferee_ == target) return absl::OkStatus();
  const Checkpoint before = Capture();
  // A transfer to another target replaces the one in progress, with a
  // fresh election timeout.
  lead_transferee_ = target;
  transfer_elapsed_ = 0;
  if (!MaybeSendTimeoutNow(target)) {
    // Catch the target up first; its append replies send TimeoutNow.
    MaybeSendAppend(target, /*send_if_empty=*/true);
  }
  CheckTransition(before);
  CheckInvariants();
  return absl::OkStatus();
}

bool Node::MaybeSendTimeoutNow(NodeId to) {
  const tracker::Progress* pr = tracker_.Get(to);
  if (pr == nullptr || pr->match() != log_.LastIndex()) return false;
  lease_void_ = true;
  Message m;
  m.type = MessageType::kTimeoutNow;
  m.to = to;
  m.term = term_;
  Send(std::move(m), /*after_persist=*/false);
  return true;
}

void Node::AbortLeaderTransfer() {
  lead_transferee_ = kNoNode;
  transfer_elapsed_ = 0;
}

absl::Status Node::TransferInProgressError() const {
  return absl::UnavailableError(absl::StrCat(
      "leadership transfer to ", lead_transferee_.Describe(), " in progress"));
}

void Node::HandleTimeoutNow(const Message& m) {
  // Only the leader of our term may hand over (StepInternal dropped stale
  // terms, and made the sender of a later term our leader); learners and
  // non-members never campaign.
  if (m.from != leader_ || !IsVoter(config_.id)) {
    coverage_.Hit(Situation::kStaleMessageIgnored);
    return;
  }
  // Thesis §3.10: campaign at once, skipping the pre-vote, since the
  // leader asked us to.
  StartElection(/*pre_vote=*/false, /*transfer=*/true);
}

}  // namespace raftsim::raft
