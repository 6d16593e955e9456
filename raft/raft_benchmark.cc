// raft/raft_benchmark.cc — throughput of the Raft core on the reference
// workloads of etcd raft and canonical/raft (issue 3, docs/performance.md).
//
// W1  3 voters; node 1 elected outside the timed region; 200,000 entries of
//     16 bytes proposed on the leader, 100 per proposal, one proposal
//     outstanding (the next is made once the previous is applied on the
//     leader); messages delivered in-process at once; every node persists
//     to MemoryStorage and applies to a state machine that adds the first 8
//     payload bytes to a sum; a 16-byte snapshot every 1024 applied entries
//     keeping 128 trailing entries; ends when every node applied the last
//     index.
// W1b the same with 5 voters.
// W2  10,000 leader changes: isolate the leader, tick the others until a new
//     leader is followed by all live nodes, bring the old one back until it
//     follows.
//
// Run: bazel run -c opt //raft:raft_benchmark
//
// Single-threaded.

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "benchmark/benchmark.h"
#include "raft/memory_storage.h"
#include "raft/node.h"

namespace raftsim::raft {
namespace {

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
class Bench {
 public:
  explicit Bench(int voters, uint64_t snapshot_every = 1024,
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

  // Runs Readys and deliveries until quiescent.
  void Stabilize() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (auto& h : hosts_) progress |= Process(*h);
      while (!queue_.empty()) {
        progress = true;
        Message m = std::move(queue_.front());
        queue_.pop_front();
        const int to = static_cast<int>(m.to.value());
        if (to == isolated_ || static_cast<int>(m.from.value()) == isolated_) {
          continue;
        }
        CHECK(hosts_[to - 1]->node->Step(std::move(m)).ok());
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

  bool Process(Host& h) {
    Node& n = *h.node;
    if (!n.HasReady()) return false;
    Ready rd = n.GetReady();
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
    n.Advance();
    if (snapshot_every_ != 0 && h.since_snapshot >= snapshot_every_) {
      h.since_snapshot = 0;
      Snapshot snap;
      snap.meta.index = n.applied_index();
      snap.meta.term = *n.log().TermAt(snap.meta.index);
      snap.data = Payload(h.sm.Encode());
      CHECK(h.storage->Compact(snap).ok());
      CHECK(n.Compact(std::move(snap), keep_).ok());
    }
    return true;
  }

  uint64_t snapshot_every_;
  uint64_t keep_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::deque<Message> queue_;
  int isolated_ = 0;
};

void RunThroughput(benchmark::State& state, int voters) {
  constexpr uint64_t kEntries = 200'000;
  constexpr size_t kBatch = 100;
  uint64_t total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Bench b(voters);
    b.node(1).Campaign();
    b.Stabilize();
    CHECK(b.node(1).role() == Role::kLeader);
    const LogIndex start = b.node(1).last_index();
    std::vector<Payload> batch(kBatch);
    state.ResumeTiming();

    uint64_t proposed = 0;
    while (proposed < kEntries) {
      for (size_t i = 0; i < kBatch; ++i) {
        std::string p(16, '\0');
        const uint64_t v = proposed + i;
        std::memcpy(p.data(), &v, 8);
        batch[i] = Payload(std::move(p));
      }
      auto r = b.node(1).Propose(batch);
      CHECK(r.ok()) << r.status();
      proposed += kBatch;
      // One proposal outstanding: run until the leader applied it.
      b.Stabilize();
      CHECK_GE(b.node(1).applied_index(), r->last);
    }
    const LogIndex last = start + kEntries;
    for (size_t i = 1; i <= b.size(); ++i) {
      CHECK_GE(b.machine(static_cast<int>(i)).applied, last);
    }
    total += kEntries;
  }
  state.counters["entries/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(static_cast<int64_t>(total));
}

void BM_W1_ThreeVoters(benchmark::State& state) { RunThroughput(state, 3); }
void BM_W1b_FiveVoters(benchmark::State& state) { RunThroughput(state, 5); }

int LeaderOf(Bench& b) {
  for (size_t i = 1; i <= b.size(); ++i) {
    if (b.node(static_cast<int>(i)).role() == Role::kLeader &&
        static_cast<int>(i) != b.isolated()) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

bool AllFollow(Bench& b, int leader, int skip) {
  const Term term = b.node(leader).term();
  for (size_t i = 1; i <= b.size(); ++i) {
    const int id = static_cast<int>(i);
    if (id == skip) continue;
    if (b.node(id).leader() != NodeId(leader) || b.node(id).term() != term) {
      return false;
    }
  }
  return true;
}

void BM_W2_LeaderChanges(benchmark::State& state) {
  constexpr int kChanges = 10'000;
  uint64_t total = 0;
  uint64_t rounds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Bench b(3, /*snapshot_every=*/0);
    b.node(1).Campaign();
    b.Stabilize();
    state.ResumeTiming();
    int leader = 1;
    for (int c = 0; c < kChanges; ++c) {
      b.Isolate(leader);
      int next = 0;
      for (int t = 0; t < 1000 && next == 0; ++t) {
        b.TickAllBut(leader);
        b.Stabilize();
        ++rounds;
        const int l = LeaderOf(b);
        if (l != 0 && l != leader && AllFollow(b, l, leader)) next = l;
      }
      CHECK_NE(next, 0) << "no new leader";
      b.Heal();
      const int old = leader;
      leader = next;
      for (int t = 0; t < 1000; ++t) {
        if (b.node(old).leader() == NodeId(leader) &&
            b.node(old).term() == b.node(leader).term()) {
          break;
        }
        b.node(leader).Tick();
        b.node(old).Tick();
        b.Stabilize();
        ++rounds;
      }
      CHECK(b.node(old).leader() == NodeId(leader)) << b.node(old).Describe();
    }
    total += kChanges;
  }
  state.counters["tick_rounds/change"] =
      static_cast<double>(rounds) / static_cast<double>(total);
  state.counters["changes/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_W1_ThreeVoters)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_W1b_FiveVoters)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_W2_LeaderChanges)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace raftsim::raft
