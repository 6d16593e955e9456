// raft/read_only.h — ReadOnly: a leader's ReadIndex requests awaiting
// confirmation (thesis §6.4; etcd raft's read_only.go).
//
// Each request is the commit index the leader recorded when the read
// arrived, keyed by the caller's context, together with the members that
// have acknowledged a heartbeat carrying that context. The caller (Node)
// decides when the acks make a quorum; it then releases the request and
// every older one, in the order they were added: a heartbeat sent for a
// request was sent after every older request was registered, so an ack for
// it confirms them all.
//
// Contexts are expected to be unique among pending requests; a duplicate is
// queued as its own request and acks go to the oldest one with that context.
//
// Single-threaded; not thread-safe (a thread-compatible value type).

#ifndef RAFTSIM_RAFT_READ_ONLY_H_
#define RAFTSIM_RAFT_READ_ONLY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "raft/ready.h"
#include "raft/types.h"

namespace raftsim::raft {

class ReadOnly {
 public:
  // Queues a read of `index` identified by `context` (non-zero), already
  // acknowledged by `self` (the leader counts itself).
  void AddRequest(uint64_t context, LogIndex index, NodeId self);

  // Records that `from` acknowledged a heartbeat carrying `context`. Returns
  // the members that acknowledged the request so far (sorted, each once,
  // including the leader), or nullptr when no request has `context`.
  const std::vector<NodeId>* RecvAck(NodeId from, uint64_t context);

  // Releases the request with `context` and every older one, oldest first:
  // appends their ReadStates to `released`. No-op for an unknown context.
  void Advance(uint64_t context, std::vector<ReadState>* released);

  // Forgets every pending request (the node left the leader role or the
  // term).
  void Reset() { pending_.clear(); }

  // The newest pending request's context, or 0 when none is pending.
  uint64_t LastPendingContext() const {
    return pending_.empty() ? 0 : pending_.back().context;
  }
  size_t pending() const { return pending_.size(); }
  bool empty() const { return pending_.empty(); }

 private:
  struct Request {
    uint64_t context;
    LogIndex index;
    std::vector<NodeId> acks;  // Sorted, each once, includes the leader.
  };

  // The oldest request with `context`, or pending_.end().
  std::vector<Request>::iterator Find(uint64_t context);

  // Oldest first.
  std::vector<Request> pending_;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_READ_ONLY_H_
