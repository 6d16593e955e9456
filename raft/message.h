// raft/message.h — the Raft RPCs as one value type.
//
// One struct with a type tag (as etcd's raftpb.Message) rather than a
// variant: routing, tracing and fault injection treat every message alike,
// and each field below says which types use it. Field names follow the
// paper (Raft Figure 2). Value type; thread-compatible.

#ifndef RAFTSIM_RAFT_MESSAGE_H_
#define RAFTSIM_RAFT_MESSAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "raft/entry.h"
#include "raft/types.h"

namespace raftsim::raft {

enum class MessageType : uint8_t {
  kPreVote,  // Thesis §9.6: "would you vote for me at term+1?"
  kPreVoteReply,
  kVote,  // RequestVote (Raft §5.2).
  kVoteReply,
  kAppend,  // AppendEntries with entries or a probe (Raft §5.3).
  kAppendReply,
  kHeartbeat,  // Leadership and commit, no log matching (Raft §5.2).
  kHeartbeatReply,
  kSnapshot,  // InstallSnapshot (Raft §7).
  kSnapshotReply,
  kTimeoutNow,  // Leadership transfer (thesis §3.10).
};
inline constexpr int kMessageTypeCount = 11;
std::string_view MessageTypeName(MessageType type);

// True for the types a node answers: requests, never replies.
bool IsRequest(MessageType type);

struct Message {
  MessageType type = MessageType::kAppend;
  NodeId from;
  NodeId to;
  // The sender's current term. For kPreVote it is the term the sender would
  // campaign at (its term + 1); for a kPreVoteReply that grants, the term of
  // the request (thesis §9.6).
  Term term;

  // kVote, kPreVote: the candidate's last log entry (Raft §5.4.1).
  LogIndex last_log_index;
  Term last_log_term;

  // kAppend: the entry preceding `entries`, the entries, and the leader's
  // commit index. kHeartbeat uses `commit` only (min of the follower's match
  // and the leader's commit, so a follower never commits past its log).
  LogIndex prev_log_index;
  Term prev_log_term;
  std::vector<Entry> entries;
  LogIndex commit;

  // Replies. `reject` is true when a vote is refused or an append fails.
  bool reject = false;
  // kVote: the candidate campaigns because the leader of the previous term
  // handed leadership over (kTimeoutNow, thesis §3.10); voters grant it
  // even while they heard that leader within the election timeout (etcd's
  // campaignTransfer). False on every other type.
  bool transfer = false;
  // kAppendReply: on success the last index the request covered
  // (prev_log_index + entries.size()), the only range the leader may treat
  // as matched; on rejection the prev_log_index that failed.
  // kSnapshotReply: the snapshot index now installed.
  LogIndex index;
  // kAppendReply rejection hint (fast backtracking, Raft §5.3 end): the term
  // of the follower's entry at the rejected index and the first index the
  // follower holds of that term; hint_term 0 means the follower's log ends
  // before the rejected index and hint_index is its last index.
  Term hint_term;
  LogIndex hint_index;
  // kAppendReply on success: the term of the follower's entry at `index`
  // when it accepted the request (the leader's entry there, which it
  // matched). With it an acknowledgement names one entry, not just a
  // position: a reply that reaches the network after the follower has moved
  // to a later term and overwritten `index` still says what it covered.
  Term index_term;

  // kSnapshot: the snapshot to install. Shared and immutable: a snapshot is
  // large and rare, and keeping it out of line keeps every other message
  // small (it is moved through queues on every hop). Null otherwise.
  std::shared_ptr<const Snapshot> snapshot;

  // kHeartbeat / kHeartbeatReply: an opaque id echoed back, used to confirm
  // leadership for reads (thesis §6.4).
  uint64_t context = 0;
  // kHeartbeat: with lease reads, the leader's tick count when it sent the
  // heartbeat (0 otherwise); kHeartbeatReply echoes it, so that the leader
  // dates its lease from the send, not from the reply's arrival.
  uint64_t lease_tick = 0;

  // Bytes this message counts against size limits (entries dominate):
  // kOverheadBytes + TotalBytes(entries) + snapshot data size.
  uint64_t ByteSize() const;
  // The fixed cost of a message's header fields, so that an empty message
  // (a heartbeat, a vote) is not free.
  static constexpr uint64_t kOverheadBytes = 64;

  // Field-wise; snapshots compare by value.
  friend bool operator==(const Message& a, const Message& b);
  // One deterministic line, e.g.
  // "Append n1->n2 t3 prev=i4@t2 entries=[i5..i7] commit=i4".
  std::string Describe() const;
};

// Checks the shape of a message that arrived from the network (input, never
// trusted): a known type, non-zero ids, and for AppendEntries entries that
// are contiguous from prev_log_index + 1 with non-decreasing terms between
// prev_log_term and the message term; a snapshot message carries a snapshot
// no newer than its term. InvalidArgument naming what is wrong. Node::Step
// calls it, so a malformed message is refused, never a CHECK.
absl::Status ValidateMessage(const Message& message);

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_MESSAGE_H_
