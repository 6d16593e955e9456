// raft/read_only.cc — ReadOnly, a leader's pending ReadIndex requests. See
// read_only.h.

#include "raft/read_only.h"

#include <algorithm>

namespace raftsim::raft {

void ReadOnly::AddRequest(uint64_t context, LogIndex index, NodeId self) {
  pending_.push_back({context, index, {self}});
}

std::vector<ReadOnly::Request>::iterator ReadOnly::Find(uint64_t context) {
  return std::find_if(
      pending_.begin(), pending_.end(),
      [context](const Request& r) { return r.context == context; });
}

const std::vector<NodeId>* ReadOnly::RecvAck(NodeId from, uint64_t context) {
  const auto it = Find(context);
  if (it == pending_.end()) return nullptr;
  std::vector<NodeId>& acks = it->acks;
  const auto pos = std::lower_bound(acks.begin(), acks.end(), from);
  if (pos == acks.end() || *pos != from) acks.insert(pos, from);
  return &acks;
}

void ReadOnly::Advance(uint64_t context, std::vector<ReadState>* released) {
  const auto it = Find(context);
  if (it == pending_.end()) return;
  const auto end = it + 1;
  for (auto r = pending_.begin(); r != end; ++r) {
    released->push_back({r->context, r->index});
  }
  pending_.erase(pending_.begin(), end);
}

}  // namespace raftsim::raft
