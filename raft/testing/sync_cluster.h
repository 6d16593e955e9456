// raft/testing/sync_cluster.h — a minimal synchronous host for N Nodes,
// built for speed: the benchmarks (raft/raft_benchmark.cc) and the
// allocation test run on it.
//
// Writes to each node's MemoryStorage are durable at once; messages are
// delivered in FIFO order; one node may be isolated (its messages dropped).
// Each node applies to a summing state machine and snapshots every
// `snapshot_every` applied entries keeping `keep` entries.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_TESTING_SYNC_CLUSTER_H_
#define RAFTSIM_RAFT_TESTING_SYNC_CLUSTER_H_

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "base/check.h"
#include "raft/memory_storage.h"
#include "raft/node.h"

namespace raftsim::raft::testing {

// The benchmark's state machine: a running sum and the applied index.
struct SumMachine {
  uint64_t sum = 0;
  LogIndex applied;

  void Apply(const Entry& e) {
    if (e.kind == EntryKind::kNormal && e.payload.size() >= 8) {
      uint64_t v;
      std::memcpy(&v, e.payload.view().data(), 8);
      sum += v;
    }
    applied = e.index;
  }
  std::string Encode() const {
    std::string s(16, '\0');
    std::memcpy(s.data(), &sum, 8);
    const uint64_t a = applied.value();
    std::memcpy(s.data() + 8, &a, 8);
    return s;
  }
};

// A minimal synchronous host for N nodes: writes are durable at once,
// messages are delivered in FIFO order, isolation drops messages.
class SyncCluster {
 public:
  explicit SyncCluster(int voters, uint64_t snapshot_every = 1024,
                       uint64_t keep = 128)
      : snapshot_every_(snapshot_every), keep_(keep) {
    std::vector<NodeId> ids;
    for (int i = 1; i <= voters; ++i) ids.push_back(NodeId(i));
    for (const NodeId id : ids) {
      Config c;
      c.id = id;
      c.voters = ids;
      c.seed = id.value() * 7919;
      c.max_inflight_msgs = 256;
      auto host = std::make_unique<Host>();
      host->storage = std::make_unique<MemoryStorage>();
      auto node = Node::Create(c, host->storage->Load());
      CHECK(node.ok()) << node.status();
      host->node = std::move(*node);
      hosts_.push_back(std::move(host));
    }
  }

  Node& node(int i) { return *hosts_[i - 1]->node; }
  size_t size() const { return hosts_.size(); }
  const SumMachine& machine(int i) const { return hosts_[i - 1]->sm; }

  void Isolate(int i) { isolated_ = i; }
  void Heal() { isolated_ = 0; }
  int isolated() const { return isolated_; }
  // Messages delivered and Readys processed so far.
  int64_t delivered() const { return delivered_; }
  int64_t readys() const { return readys_; }

  // Runs Readys and deliveries until quiescent.
  void Stabilize() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (auto& h : hosts_) {
        // The common "nothing to do" answer stays here, inline; the Ready
        // path (a large stack frame) is entered only when there is work.
        if (h->node->HasReady()) {
          Process(*h);
          progress = true;
        }
      }
      // Deliver in rounds; the two buffers keep their capacity, so the
      // message path does not allocate.
      while (!queue_.empty()) {
        progress = true;
        inbox_.swap(queue_);
        for (Message& m : inbox_) {
          const int to = static_cast<int>(m.to.value());
          if (to == isolated_ ||
              static_cast<int>(m.from.value()) == isolated_) {
            continue;
          }
          ++delivered_;
          CHECK(hosts_[to - 1]->node->Step(std::move(m)).ok());
        }
        inbox_.clear();
      }
    }
  }

  void TickAllBut(int skip) {
    for (size_t i = 0; i < hosts_.size(); ++i) {
      if (static_cast<int>(i + 1) != skip) hosts_[i]->node->Tick();
    }
  }

 private:
  struct Host {
    std::unique_ptr<MemoryStorage> storage;
    std::unique_ptr<Node> node;
    SumMachine sm;
    uint64_t since_snapshot = 0;
  };

  // REQUIRES: h.node->HasReady().
  ABSL_ATTRIBUTE_NOINLINE void Process(Host& h) {
    Node& n = *h.node;
    Ready rd = n.GetReady();
    ++readys_;
    for (Message& m : rd.messages) queue_.push_back(std::move(m));
    if (rd.MustPersist()) {
      WriteBatch batch;
      batch.snapshot = std::move(rd.snapshot);
      batch.entries = std::move(rd.entries);
      batch.hard_state = rd.hard_state;
      h.storage->Write(std::move(batch), [](absl::Status) {});
      n.OnPersisted(rd.persist_index, rd.persist_term);
    }
    for (Message& m : rd.messages_after_persist) queue_.push_back(std::move(m));
    for (const Entry& e : rd.committed_entries) h.sm.Apply(e);
    h.since_snapshot += rd.committed_entries.size();
    n.Advance(std::move(rd));
    if (snapshot_every_ != 0 && h.since_snapshot >= snapshot_every_) {
      h.since_snapshot = 0;
      Snapshot snap;
      snap.meta.index = n.applied_index();
      snap.meta.term = *n.log().TermAt(snap.meta.index);
      snap.data = Payload(h.sm.Encode());
      CHECK(h.storage->Compact(snap).ok());
      CHECK(n.Compact(std::move(snap), keep_).ok());
    }
  }

  uint64_t snapshot_every_;
  uint64_t keep_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<Message> queue_;
  std::vector<Message> inbox_;
  int isolated_ = 0;
  int64_t delivered_ = 0;
  int64_t readys_ = 0;
};

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_SYNC_CLUSTER_H_
