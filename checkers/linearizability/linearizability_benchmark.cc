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
//  * Hard shapes (unique values, Jepsen's register op mix: 50% get, 50%
//    put), each linearizable and with one stale read planted:
//    RegisterHard1Key/OPS/UNKNOWN%: OPS ops of 100 clients on one key;
//    RegisterHard5Keys: 100,000 ops of 200 clients on 5 keys, 5% unknown.
//    Porcupine gives no answer within 120 s on these. Target: decided in
//    < 10 s and < 2 GiB.
//  * Cas shapes (unique values, Jepsen's cas-register mix: 50% get, 30%
//    put, 20% cas), each linearizable and with one stale read planted:
//    CasRegister1Key/OPS/UNKNOWN%: OPS ops of 100 clients on one key;
//    CasRegister5Keys: 100,000 ops of 200 clients on 5 keys, 5% unknown.
//    Same target.
//  * ClientTokens1Key/OPS/UNKNOWN%/STALE: the simulator's shape (values
//    unique per command, appends, cas, retries after lost outcomes), 100
//    clients on one key. Same target.
// Every case reports max_rss_mib (getrusage: the process's peak so far).
// Results are recorded in docs/linearizability.md.

#include <benchmark/benchmark.h>
#include <sys/resource.h>

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

// The process's peak resident set so far, in MiB.
double MaxRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss: KiB.
}

void Run(benchmark::State& state, const History& history,
         LinearizabilityResult::Outcome want) {
  int64_t steps = 0;
  size_t witness = 0;
  for (auto _ : state) {
    const LinearizabilityResult r = CheckLinearizability(history);
    CHECK(r.outcome == want) << r.Describe();
    steps = r.steps;
    witness = r.witness.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["ops"] = static_cast<double>(history.size());
  // 0 linearizable, 1 violation (2, unknown, fails the CHECK above).
  state.counters["outcome"] = static_cast<double>(want);
  state.counters["search_steps"] = static_cast<double>(steps);
  state.counters["witness_ops"] = static_cast<double>(witness);
  state.counters["max_rss_mib"] = MaxRssMib();
}

// A unique-value history of `mix` (think 20 ns, latency up to 100 ns, so
// with 100+ clients ~100 ops overlap at any instant); `stale_reads` planted.
History MakeShape(uint64_t seed, int ops, int clients, int keys,
                  int unknown_percent, OpMix mix, int stale_reads) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = ops;
  options.num_clients = clients;
  options.num_keys = keys;
  options.unknown_percent = unknown_percent;
  options.mix = mix;
  GeneratedHistory g = GenerateHistory(prng, options);
  CHECK_EQ(CorruptReads(prng, g, stale_reads), stale_reads);
  return g.history;
}

// Args: ops, unknown percent, stale reads planted (0: linearizable).
void BM_RegisterHard1Key(benchmark::State& state) {
  const History history =
      MakeShape(11, static_cast<int>(state.range(0)), 100, 1,
                static_cast<int>(state.range(1)), OpMix::kRegister,
                static_cast<int>(state.range(2)));
  Run(state, history,
      state.range(2) == 0 ? LinearizabilityResult::Outcome::kLinearizable
                          : LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_RegisterHard1Key)
    ->Args({10000, 5, 0})
    ->Args({10000, 5, 1})
    ->Args({20000, 10, 0})
    ->Args({20000, 10, 1})
    ->Unit(benchmark::kMillisecond);

// Args: stale reads planted (0: linearizable).
void BM_RegisterHard5Keys(benchmark::State& state) {
  const History history = MakeShape(12, 100000, 200, 5, 5, OpMix::kRegister,
                                    static_cast<int>(state.range(0)));
  Run(state, history,
      state.range(0) == 0 ? LinearizabilityResult::Outcome::kLinearizable
                          : LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_RegisterHard5Keys)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Jepsen's cas-register mix (50% get, 30% put, 20% cas), unique values,
// 100 clients on one key. Args: ops, unknown percent, stale reads planted
// (0: linearizable).
void BM_CasRegister1Key(benchmark::State& state) {
  const History history =
      MakeShape(13, static_cast<int>(state.range(0)), 100, 1,
                static_cast<int>(state.range(1)), OpMix::kCasRegister,
                static_cast<int>(state.range(2)));
  Run(state, history,
      state.range(2) == 0 ? LinearizabilityResult::Outcome::kLinearizable
                          : LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_CasRegister1Key)
    ->Args({10000, 5, 0})
    ->Args({10000, 5, 1})
    ->Args({20000, 10, 0})
    ->Args({20000, 10, 1})
    ->Unit(benchmark::kMillisecond);

// The cas-register mix, 100,000 ops of 200 clients on 5 keys, 5% unknown.
// Args: stale reads planted (0: linearizable).
void BM_CasRegister5Keys(benchmark::State& state) {
  const History history = MakeShape(14, 100000, 200, 5, 5, OpMix::kCasRegister,
                                    static_cast<int>(state.range(0)));
  Run(state, history,
      state.range(0) == 0 ? LinearizabilityResult::Outcome::kLinearizable
                          : LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_CasRegister5Keys)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The shape of the simulator's histories (testdata/seed1738.jsonl): the
// key-value mix (40% get, 25% put, 20% append, 15% cas), values unique per
// command ("c<client>.<n>", appends ending in ';'), cas expecting the
// current or an earlier value, and 60% of the commands after a lost outcome
// retried with the same value; 100 clients on one key. Args: ops, unknown
// percent, stale reads planted (0: linearizable).
void BM_ClientTokens1Key(benchmark::State& state) {
  Prng prng(15);
  GeneratorOptions options;
  options.num_ops = static_cast<int>(state.range(0));
  options.num_clients = static_cast<int>(state.range(3));
  options.num_keys = 1;
  options.unknown_percent = static_cast<int>(state.range(1));
  options.client_tokens = true;
  options.retry_percent = 60;
  GeneratedHistory g = GenerateHistory(prng, options);
  const int stale_reads = static_cast<int>(state.range(2));
  CHECK_EQ(CorruptReads(prng, g, stale_reads), stale_reads);
  Run(state, g.history,
      stale_reads == 0 ? LinearizabilityResult::Outcome::kLinearizable
                       : LinearizabilityResult::Outcome::kViolation);
}
BENCHMARK(BM_ClientTokens1Key)
    ->Args({10000, 5, 0, 10})
    ->Args({10000, 5, 1, 10})
    ->Args({20000, 10, 0, 10})
    ->Args({20000, 10, 1, 10})
    ->Unit(benchmark::kMillisecond);

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
