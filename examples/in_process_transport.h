// examples/in_process_transport.h — InProcessNetwork, a raft::Transport for
// Servers that live in one process and share one Runtime.
//
// Send never blocks and never calls into the receiver directly: it
// schedules delivery on the runtime (Post, or After with `delay_us`), as a
// real transport's receive path would hand the message to the receiving
// server's runtime thread. A message to a detached node (a "killed" one) is
// dropped at delivery time, so messages in flight to a server that is
// deleted meanwhile are harmless.
//
// Single-threaded: every Server and this network share one runtime thread.
// A real network transport is sketched in docs/networking.md.

#ifndef RAFTSIM_EXAMPLES_IN_PROCESS_TRANSPORT_H_
#define RAFTSIM_EXAMPLES_IN_PROCESS_TRANSPORT_H_

#include <cstdint>
#include <map>
#include <memory>

#include "raft/message.h"
#include "raft/server/runtime.h"
#include "raft/server/server.h"
#include "raft/server/transport.h"

namespace raftsim::examples {

class InProcessNetwork {
 public:
  // `runtime` must outlive the network, and the network must not be
  // destroyed while the runtime may still run its deliveries (destroy the
  // runtime's queue first, or stop running it). delay_us: one-way latency of
  // every message (0 = next runtime turn).
  InProcessNetwork(raft::Runtime* runtime, int64_t delay_us);
  ~InProcessNetwork();

  InProcessNetwork(const InProcessNetwork&) = delete;
  InProcessNetwork& operator=(const InProcessNetwork&) = delete;

  // The Transport node `id` sends through (owned by the network).
  raft::Transport* transport(NodeId id);
  // Messages to `id` go to `server` from now on. REQUIRES: `server` stays
  // valid until Detach(id).
  void Attach(NodeId id, raft::Server* server);
  // Messages to `id` are dropped from now on (including those in flight).
  void Detach(NodeId id) { servers_.erase(id); }

  int64_t delivered() const { return delivered_; }
  int64_t dropped() const { return dropped_; }

 private:
  class Endpoint;
  void Deliver(raft::Message message);

  raft::Runtime* const runtime_;
  const int64_t delay_us_;
  std::map<NodeId, std::unique_ptr<Endpoint>> endpoints_;
  std::map<NodeId, raft::Server*> servers_;
  int64_t delivered_ = 0;
  int64_t dropped_ = 0;
};

}  // namespace raftsim::examples

#endif  // RAFTSIM_EXAMPLES_IN_PROCESS_TRANSPORT_H_
