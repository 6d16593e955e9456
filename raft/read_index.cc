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
  if (config_.lease_read && !tracker_.IsSingleton()) {
    if (HoldsLease()) {
      coverage_.Hit(Situation::kReadFromLease);
      read_states_.push_back({context, index});
      return absl::OkStatus();
    }
    coverage_.Hit(Situation::kReadLeaseExpired);
  }
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

void Node::RecordLeaseAck(NodeId from, uint64_t sent_tick) {
  // The lease runs from when the heartbeat left: the follower heard it no
  // earlier, and refuses votes for an election timeout from then on. (The
  // canary dates it from the reply's arrival, which may come much later.)
  if (RAFTSIM_CANARY(kLeaseFromArrival)) sent_tick = clock_ticks_;
  const auto it = std::lower_bound(lease_acks_.begin(), lease_acks_.end(), from,
                                   [](const std::pair<NodeId, uint64_t>& a,
                                      NodeId id) { return a.first < id; });
  if (it != lease_acks_.end() && it->first == from) {
    it->second = std::max(it->second, sent_tick);
  } else {
    lease_acks_.insert(it, {from, sent_tick});
  }
}

// Thesis §6.4.1: the newest send tick that a quorum (counting us, now) has
// acknowledged starts the lease; it holds for lease_ticks_ of our ticks.
bool Node::HoldsLease() const {
  // Void once this leader sent TimeoutNow (leadership transfer): the
  // target's vote requests bypass the voters' lease, so a quorum may elect
  // it however recently they acknowledged us.
  if (lease_void_) return false;
  const LogIndex start = tracker_.voters().CommittedIndex(
      [this](NodeId id) -> std::optional<LogIndex> {
        if (id == config_.id) return LogIndex(clock_ticks_);
        for (const auto& [peer, tick] : lease_acks_) {
          if (peer == id) return LogIndex(tick);
        }
        return std::nullopt;
      });
  if (start == LogIndex(0)) return false;
  return clock_ticks_ < start.value() + lease_ticks_;
}

}  // namespace raftsim::raft
