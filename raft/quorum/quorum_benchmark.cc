// raft/quorum/quorum_benchmark.cc — cost of the leader's commit-index
// recomputation (runs after every append ack) and of a vote tally.
//
//   bazel run -c opt //raft/quorum:quorum_benchmark

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "benchmark/benchmark.h"
#include "raft/quorum/joint.h"
#include "raft/quorum/majority.h"

namespace raftsim::raft::quorum {
namespace {

MajorityConfig Voters(uint64_t first, uint64_t n) {
  std::vector<NodeId> ids;
  for (uint64_t i = 0; i < n; ++i) ids.push_back(NodeId(first + i));
  return MajorityConfig(ids);
}

void BM_MajorityCommittedIndex(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MajorityConfig cfg = Voters(1, n);
  std::array<uint64_t, 32> match{};
  uint64_t round = 0;
  for (auto _ : state) {
    ++round;
    for (uint64_t i = 0; i < n; ++i) match[i] = round * 100 + (i * 37) % 11;
    const LogIndex c = cfg.CommittedIndex([&](NodeId id) {
      return std::optional<LogIndex>(LogIndex(match[id.value() - 1]));
    });
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_MajorityCommittedIndex)->Arg(3)->Arg(5)->Arg(7)->Arg(9);

void BM_JointCommittedIndex(benchmark::State& state) {
  const JointConfig cfg{Voters(1, 3), Voters(2, 3)};
  std::array<uint64_t, 8> match{};
  uint64_t round = 0;
  for (auto _ : state) {
    ++round;
    for (uint64_t i = 0; i < 4; ++i) match[i] = round * 100 + i;
    const LogIndex c = cfg.CommittedIndex([&](NodeId id) {
      return std::optional<LogIndex>(LogIndex(match[id.value() - 1]));
    });
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_JointCommittedIndex);

void BM_MajorityTallyVotes(benchmark::State& state) {
  const MajorityConfig cfg = Voters(1, 5);
  for (auto _ : state) {
    const VoteResult r = cfg.TallyVotes([](NodeId id) -> std::optional<bool> {
      if (id.value() == 5) return std::nullopt;
      return id.value() % 2 == 1;
    });
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_MajorityTallyVotes);

}  // namespace
}  // namespace raftsim::raft::quorum
