// raft/testing/cluster.h — an in-process cluster of raft::Nodes for tests
// and benchmarks.
//
// Each node has its own MemoryStorage and an apply log. Messages go into a
// per-destination FIFO that the test drives explicitly (Deliver, Drop,
// Stabilize), so interleavings are under the test's control; there is no
// time, randomness or thread here beyond each node's own seeded PRNG.
//
// Persistence is modelled as the Ready contract says: a Ready's writes go to
// storage; its `messages_after_persist` wait until OnPersisted, which the
// cluster calls either at once (sync_persist, the default) or when the test
// says (PersistAll / PersistOne), so asynchronous-storage orderings can be
// tested too.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_TESTING_CLUSTER_H_
#define RAFTSIM_RAFT_TESTING_CLUSTER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "raft/config.h"
#include "raft/memory_storage.h"
#include "raft/node.h"

namespace raftsim::raft::testing {

class Cluster {
 public:
  struct Options {
    int voters = 3;
    int learners = 0;
    // Nodes that are not members: ids after the voters and learners, built
    // with the same initial membership (a node that may be added later by
    // a configuration change, docs/membership.md).
    int spares = 0;
    bool pre_vote = true;
    bool check_quorum = true;
    int64_t election_timeout_ticks = 10;
    int64_t heartbeat_ticks = 1;
    uint64_t max_inflight_msgs = 256;
    uint64_t max_msg_bytes = 1 << 20;
    uint64_t seed = 1;
    // When false, writes stay pending until PersistAll()/PersistOne().
    bool sync_persist = true;
    // Called for each Config before the node is built (tweak per node).
    std::function<void(Config&)> adjust_config;
    // Called with each Ready as it is taken, before the cluster carries it
    // out (interaction scripts print it).
    std::function<void(NodeId, const Ready&)> on_ready;
  };

  explicit Cluster(Options options);
  ~Cluster();

  // Node ids are 1..voters+learners+spares.
  Node& node(NodeId id);
  Node& node(uint64_t id) { return node(NodeId(id)); }
  const std::vector<NodeId>& ids() const { return ids_; }
  MemoryStorage& storage(NodeId id);
  // Everything node `id` applied, in order (payload bytes; "" for no-ops).
  const std::vector<Entry>& applied(NodeId id) const;

  // Processes every node's Ready once: writes, sends, applies.
  void ProcessReadys();
  // Processes node `id`'s Ready, if it has one (and is up); returns whether
  // it had one.
  bool ProcessReady(NodeId id);
  // Delivers every queued message (in FIFO order per link) and processes
  // Readys, repeatedly, until nothing is left. Returns messages delivered.
  // Bounded: CHECKs after max_rounds rounds.
  int64_t Stabilize(int max_rounds = 100000);
  // Delivers the oldest queued message, if any, and returns it.
  std::optional<Message> DeliverOne();
  // Delivers the queued message at position `i` (out of FIFO order: the
  // network reorders). REQUIRES: i < queued().
  Message DeliverAt(size_t i);
  // Delivers, in queue order, every message queued now that `filter`
  // accepts; returns them. Messages they cause are queued, not delivered.
  std::vector<Message> Deliver(
      const std::function<bool(const Message&)>& filter);
  // Drops every queued message that `filter` accepts; returns them.
  std::vector<Message> Drop(const std::function<bool(const Message&)>& filter);
  // Queues a second copy of the message at position `i` at the end (the
  // network duplicates). REQUIRES: i < queued().
  void DuplicateAt(size_t i);
  // Ticks one node / every live node.
  void Tick(NodeId id);
  void TickAll();
  // Campaigns on `id` and stabilizes; returns whether it became leader.
  bool Elect(NodeId id);
  // The current leader with the highest term, or kNoNode.
  NodeId Leader() const;

  // Network control: messages between isolated nodes and the rest are
  // dropped at send time.
  void Isolate(NodeId id);
  void Heal();
  void Cut(NodeId from, NodeId to);  // One direction.
  // Drops every message currently queued.
  void DropAll();
  size_t queued() const { return queue_.size(); }
  std::deque<Message>& queue() { return queue_; }

  // Crash: the node loses all volatile state and pending (unpersisted)
  // writes; Restart rebuilds it from its storage.
  void Crash(NodeId id);
  void Restart(NodeId id);
  bool down(NodeId id) const { return down_.count(id) > 0; }

  // Asynchronous persistence control (sync_persist = false).
  void PersistAll();
  bool PersistOne(NodeId id);
  // Readys of node `id` written but not yet reported durable.
  size_t pending_persists(NodeId id) const;

  // The application of node `id` snapshots at its applied index: compacts
  // its in-memory log (keeping `keep_entries` entries) and its storage.
  // Returns false, changing nothing, when the node refuses (nothing applied
  // past its last snapshot). REQUIRES: the node is up.
  bool Compact(NodeId id, uint64_t keep_entries);

  // Messages ever sent / delivered.
  int64_t sent() const { return sent_; }
  int64_t delivered() const { return delivered_; }

 private:
  struct Host;
  Host& host(NodeId id);
  const Host& host(NodeId id) const;
  void Send(Message m);
  void ProcessReady(Host& h);
  void Step(Message m);
  void Complete(Host& h);
  Config MakeConfig(NodeId id) const;

  Options options_;
  std::vector<NodeId> ids_;
  std::vector<NodeId> voters_;
  std::vector<NodeId> learners_;
  std::map<NodeId, std::unique_ptr<Host>> hosts_;
  std::deque<Message> queue_;
  std::set<NodeId> isolated_;
  std::set<std::pair<NodeId, NodeId>> cut_;
  std::set<NodeId> down_;
  int64_t sent_ = 0;
  int64_t delivered_ = 0;
};

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_CLUSTER_H_
