// raft/read_index.cc — linearizable reads without log writes (thesis §6.4
// ReadIndex). Part of raft::Node; see node.h.
//
// The leader records its commit index as the read index, then confirms
// with a heartbeat round that a quorum still follows it; only then may the
// read be served (after the state machine reaches the read index). The
// commit index is current only once the leader has committed an entry of
// its own term (its no-op), so reads wait for that. The pending requests
// and their acks are kept in a ReadOnly (raft/read_only.h).

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/node.h"

namespace raftsim::raft {

absl::Status Node::ReadIndex(uint64_t context) {
  if (context == 0) return absl::InvalidArgumentError("read context 0");
  if (role_ != Role::kLeader) return NotLeaderError(config_.id, leader_);
  if (log_.TermAt(log_.committed()) != term_) {
    coverage_.Hit(Situation::kReadRefusedNoOwnCommit);
    return absl::UnavailableError(
        "leader has not yet committed an entry of its term; retry");
  }
  const LogIndex index = log_.committed();
  if (tracker_.IsSingleton() || RAFTSIM_CANARY(kStaleLeaderRead)) {
    // Alone, we are the quorum. (The canary skips the confirmation that
    // makes the read safe against a newer leader elsewhere.)
    read_states_.push_back({context, index});
    return absl::OkStatus();
  }
  read_only_.AddRequest(context, index, config_.id);
  for (const NodeId id : peers_) SendHeartbeat(id, context);
  return absl::OkStatus();
}

void Node::HandleReadAck(NodeId from, uint64_t context) {
  // A heartbeat reply echoing `context` confirms that `from` followed us
  // when it saw the heartbeat, which was sent after every read up to
  // `context` was registered: it confirms all of them.
  const std::vector<NodeId>* acks = read_only_.RecvAck(from, context);
  if (acks == nullptr) return;
  const auto voted = [acks](NodeId id) -> std::optional<bool> {
    if (std::binary_search(acks->begin(), acks->end(), id)) return true;
    return std::nullopt;
  };
  if (tracker_.voters().TallyVotes(voted) != quorum::VoteResult::kWon) return;
  coverage_.Hit(Situation::kReadIndexConfirmed);
  read_only_.Advance(context, &read_states_);
}

}  // namespace raftsim::raft
