// sim/world/network.h — the simulated network between the nodes.
//
// Every ordered link (a, b) has a base latency drawn once per run from
// [latency_us_min, latency_us_max]; each message adds a jitter drawn from
// [0, jitter_us], so messages on one link overtake each other whenever the
// jitter exceeds their spacing (that is how reordering happens). Faults:
//   - loss: each message dropped with probability loss_ppm / 1e6;
//   - duplication: each delivered message doubled with probability
//     dup_ppm / 1e6 (the copy has its own jitter);
//   - partitions (sim/world/partition.h): a message on a cut link is dropped
//   when
//     it is sent (in-flight messages still arrive); Heal() reconnects all.
//   - per-link rules (sim/world/link_rules.h, the scenario actions drop / delay
//   /
//     duplicate), checked after the partition and before global loss;
//   - a message arriving at a crashed node is dropped; at a paused node it
//     waits until the node resumes (its delivery event belongs to the
//     destination; EventQueue pauses it).
// All draws come from the network stream.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_NETWORK_H_
#define RAFTSIM_SIM_WORLD_NETWORK_H_

#include <cstdint>
#include <vector>

#include "base/prng.h"
#include "raft/message.h"
#include "sim/trace/trace.h"
#include "sim/world/event_queue.h"
#include "sim/world/link_rules.h"
#include "sim/world/partition.h"

namespace raftsim::sim {

struct NetworkOptions {
  int64_t latency_us_min = 50;
  int64_t latency_us_max = 500;
  int64_t jitter_us = 0;
  int64_t loss_ppm = 0;
  int64_t dup_ppm = 0;
};

// Where messages go: implemented by the simulator (the node hosts).
class MessageReceiver {
 public:
  virtual ~MessageReceiver() = default;
  virtual bool Up(HostIndex node) const = 0;
  virtual void Deliver(HostIndex node, raft::Message message) = 0;
};

class Network {
 public:
  // Host h runs raft::NodeId h.id().
  Network(int nodes, EventQueue* queue, Tracer* tracer, Prng prng,
          NetworkOptions options, MessageReceiver* receiver);

  // Sends `m` from m.from to m.to (records the send and its fate).
  void Send(raft::Message m);

  void SetConnectivity(Connectivity connectivity) {
    connectivity_ = std::move(connectivity);
  }
  // Full connectivity, and every link rule removed.
  void Heal() {
    connectivity_ = Connectivity(nodes_);
    rules_.Clear();
  }
  const Connectivity& connectivity() const { return connectivity_; }
  LinkRules& mutable_link_rules() { return rules_; }
  const LinkRules& link_rules() const { return rules_; }

  void set_loss_ppm(int64_t ppm) { options_.loss_ppm = ppm; }
  void set_dup_ppm(int64_t ppm) { options_.dup_ppm = ppm; }
  const NetworkOptions& options() const { return options_; }
  int64_t base_latency_us(HostIndex from, HostIndex to) const {
    return base_us_[from.slot() * static_cast<size_t>(nodes_) + to.slot()];
  }

  uint64_t messages_sent() const { return sent_; }

 private:
  void Schedule(HostIndex to, raft::Message m);
  // The delivery event of the message in in_flight_[slot].
  void Arrive(HostIndex to, uint32_t slot);

  int nodes_;
  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  NetworkOptions options_;
  MessageReceiver* receiver_;
  Connectivity connectivity_;
  LinkRules rules_;
  std::vector<int64_t> base_us_;  // [from * nodes + to].
  uint64_t sent_ = 0;
  // Messages scheduled for delivery, by slot (every delivery event runs
  // once, or the run ends first); free_in_flight_ lists reusable slots.
  std::vector<raft::Message> in_flight_;
  std::vector<uint32_t> free_in_flight_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_NETWORK_H_
