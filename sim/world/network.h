// sim/world/network.h — the simulated network between the nodes.
//
// Every ordered link (a, b) has a base latency drawn once per run from
// [latency_us_min, latency_us_max]; each message adds a jitter drawn from
// [0, jitter_us], so messages on one link overtake each other whenever the
// jitter exceeds their spacing (that is how reordering happens). Faults:
//   - loss: each message dropped with probability loss_ppm / 1e6;
//   - duplication: each delivered message doubled with probability
//     dup_ppm / 1e6 (the copy has its own jitter);
//   - a long tail: each message delayed up to delay_us_max more with
//     probability delay_ppm / 1e6;
//   - partitions (sim/world/partition.h): a message on a cut link is dropped
//   when
//     it is sent (in-flight messages still arrive); Heal() reconnects all.
//   - per-link rules (sim/world/link_rules.h, the scenario actions drop / delay
//   /
//     duplicate), checked after the partition and before global loss;
//   - clogging (Clog): a link holds every message sent on it until the clog
//     ends, then delivers them together (each within 50us of the end, in
//     any order), as TigerBeetle's packet simulator clogs paths;
//   - a message arriving at a crashed node is dropped; at a paused node it
//     waits until the node resumes (its delivery event belongs to the
//     destination; EventQueue pauses it).
// All draws come from the network stream.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_NETWORK_H_
#define RAFTSIM_SIM_WORLD_NETWORK_H_

#include <algorithm>
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
  // A long tail: each message delayed a further [0, delay_us_max] with
  // probability delay_ppm / 1e6 (a retransmission, a stalled queue), so
  // that a reply can arrive after the round it answers is long over.
  int64_t delay_ppm = 0;
  int64_t delay_us_max = 0;
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
  // Full connectivity, every link rule removed, no clogs.
  void Heal() {
    connectivity_ = Connectivity(nodes_);
    rules_.Clear();
    clogged_until_us_.assign(clogged_until_us_.size(), 0);
  }
  // Messages sent on from->to before `until_us` arrive at about until_us.
  // Clog extends the link's clog; SetClog replaces it (0 lifts it).
  void Clog(HostIndex from, HostIndex to, int64_t until_us) {
    int64_t& until = clogged_until_us_[LinkSlot(from, to)];
    until = std::max(until, until_us);
  }
  void SetClog(HostIndex from, HostIndex to, int64_t until_us) {
    clogged_until_us_[LinkSlot(from, to)] = until_us;
  }
  // When the link's clog ends; 0 or a past instant: not clogged.
  int64_t clogged_until_us(HostIndex from, HostIndex to) const {
    return clogged_until_us_[LinkSlot(from, to)];
  }
  const Connectivity& connectivity() const { return connectivity_; }
  LinkRules& mutable_link_rules() { return rules_; }
  const LinkRules& link_rules() const { return rules_; }

  void set_loss_ppm(int64_t ppm) { options_.loss_ppm = ppm; }
  void set_delay_ppm(int64_t ppm) { options_.delay_ppm = ppm; }
  void set_dup_ppm(int64_t ppm) { options_.dup_ppm = ppm; }
  const NetworkOptions& options() const { return options_; }
  int64_t base_latency_us(HostIndex from, HostIndex to) const {
    return base_us_[LinkSlot(from, to)];
  }

  uint64_t messages_sent() const { return sent_; }
  uint64_t messages_duplicated() const { return duplicated_; }
  // Messages a clogged link held (sim/coverage.h).
  uint64_t messages_clogged() const { return clogged_; }
  // Messages dropped on a cut link, and lost at random (loss_ppm).
  uint64_t messages_cut() const { return cut_; }
  uint64_t messages_lost() const { return lost_; }

 private:
  size_t LinkSlot(HostIndex from, HostIndex to) const {
    return from.slot() * static_cast<size_t>(nodes_) + to.slot();
  }
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
  std::vector<int64_t> base_us_;           // [from * nodes + to].
  std::vector<int64_t> clogged_until_us_;  // [from * nodes + to]; 0 = none.
  uint64_t sent_ = 0;
  uint64_t duplicated_ = 0;
  uint64_t clogged_ = 0;
  uint64_t cut_ = 0;
  uint64_t lost_ = 0;
  // Messages scheduled for delivery, by slot (every delivery event runs
  // once, or the run ends first); free_in_flight_ lists reusable slots.
  std::vector<raft::Message> in_flight_;
  std::vector<uint32_t> free_in_flight_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_NETWORK_H_
