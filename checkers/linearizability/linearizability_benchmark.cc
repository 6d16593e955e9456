// checkers/linearizability/linearizability_benchmark.cc — the checker's
// performance targets (docs/linearizability.md).
//
//   bazel run -c opt //checkers/linearizability:linearizability_benchmark
//
// Histories are generated deterministically (base/prng.h) by a simulated
// concurrent KV execution (history_generator.h):
//  * Good50x5: 10,000 ops, 50 clients, 5 keys, all outcomes known,
//    linearizable. Target < 0.5 s.
//  * GoodUnknown50x5: the same with 5% unknown-outcome ops.
//  * Bad10x5Unknown5: 10,000 ops, 10 clients, 5 keys, 5% unknown-outcome
//    ops, three stale reads planted. Target: rejected in < 1 s.
// Results are recorded in docs/linearizability.md.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "base/check.h"
#include "checkers/linearizability/history_generator.h"
#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {
namespace {

GeneratedHistory Make(uint64_t seed, int clients, int unknown_percent) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = 10000;
  options.num_clients = clients;
  options.num_keys = 5;
  options.unknown_percent = unknown_percent;
  return GenerateHistory(prng, options);
}

void Run(benchmark::State& state, const History& history,
         LinearizabilityResult::Outcome want) {
  int64_t steps = 0;
  for (auto _ : state) {
    const LinearizabilityResult r = CheckLinearizability(history);
    CHECK(r.outcome == want) << r.Describe();
    steps = r.steps;
    benchmark::DoNotOptimize(r);
  }
  state.counters["ops"] = static_cast<double>(history.size());
  state.counters["search_steps"] = static_cast<double>(steps);
}

void BM_Good50x5(benchmark::State& state) {
  static const History history = Make(1, 50, 0).history;
  Run(state, history, LinearizabilityResult::Outcome::kLinearizable);
}
BENCHMARK(BM_Good50x5)->Unit(benchmark::kMillisecond);

void BM_GoodUnknown50x5(benchmark::State& state) {
  static const History history = Make(2, 50, 5).history;
  Run(state, history, LinearizabilityResult::Outcome::kLinearizable);
}
BENCHMARK(BM_GoodUnknown50x5)->Unit(benchmark::kMillisecond);

History MakeBad() {
  GeneratedHistory g = Make(3, 10, 5);
  Prng prng(4);
  CHECK_EQ(CorruptReads(prng, g, 3), 3);
  return g.history;
}

void BM_Bad10x5Unknown5(benchmark::State& state) {
  static const History history = MakeBad();
  Run(state, history, LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_Bad10x5Unknown5)->Unit(benchmark::kMillisecond);

// The violation report itself, so a reader sees what the witness looks like.
void BM_BadReport(benchmark::State& state) {
  static const History history = MakeBad();
  static bool printed = false;
  for (auto _ : state) {
    const LinearizabilityResult r = CheckLinearizability(history);
    if (!printed) {
      std::cerr << r.Describe();
      printed = true;
    }
  }
}
BENCHMARK(BM_BadReport)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace raftsim::checkers
