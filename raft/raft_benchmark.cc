// raft/raft_benchmark.cc — throughput of the Raft core on the reference
// workloads of etcd raft and canonical/raft (docs/performance.md).
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
#include "raft/node.h"
#include "raft/testing/sync_cluster.h"

namespace raftsim::raft {
namespace {

void RunThroughput(benchmark::State& state, int voters) {
  constexpr uint64_t kEntries = 200'000;
  constexpr size_t kBatch = 100;
  uint64_t total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    testing::SyncCluster b(voters);
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
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(total),
                                                   benchmark::Counter::kIsRate);
  state.SetItemsProcessed(static_cast<int64_t>(total));
}

void BM_W1_ThreeVoters(benchmark::State& state) { RunThroughput(state, 3); }
void BM_W1b_FiveVoters(benchmark::State& state) { RunThroughput(state, 5); }

int LeaderOf(testing::SyncCluster& b) {
  for (size_t i = 1; i <= b.size(); ++i) {
    if (b.node(static_cast<int>(i)).role() == Role::kLeader &&
        static_cast<int>(i) != b.isolated()) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

bool AllFollow(testing::SyncCluster& b, int leader, int skip) {
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
  int64_t msgs = 0;
  int64_t readys = 0;
  for (auto _ : state) {
    state.PauseTiming();
    testing::SyncCluster b(3, /*snapshot_every=*/0);
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
      // Every live node ticks in each round, one at a time, and we stop as
      // soon as the old leader follows.
      const auto follows = [&] {
        return b.node(old).leader() == NodeId(leader) &&
               b.node(old).term() == b.node(leader).term();
      };
      for (int t = 0; t < 1000 && !follows(); ++t) {
        ++rounds;
        b.node(leader).Tick();
        b.Stabilize();
        if (follows()) break;
        b.node(old).Tick();
        b.Stabilize();
      }
      CHECK(b.node(old).leader() == NodeId(leader)) << b.node(old).Describe();
    }
    total += kChanges;
    msgs += b.delivered();
    readys += b.readys();
  }
  state.counters["msgs/change"] =
      static_cast<double>(msgs) / static_cast<double>(total);
  state.counters["readys/change"] =
      static_cast<double>(readys) / static_cast<double>(total);
  state.counters["tick_rounds/change"] =
      static_cast<double>(rounds) / static_cast<double>(total);
  state.counters["changes/s"] = benchmark::Counter(static_cast<double>(total),
                                                   benchmark::Counter::kIsRate);
}

BENCHMARK(BM_W1_ThreeVoters)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_W1b_FiveVoters)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_W2_LeaderChanges)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace raftsim::raft
