// sim/sim_benchmark.cc — simulated events per second and seeds per second
// for the default configuration (the swarm-drawn options of each seed,
// default run lengths), as `raftsim sweep` runs them:
//   bazel run -c opt //sim:sim_benchmark
// Counters: events/s (simulated events per wall second, one core) and
// seeds/s. BM_FaultFree runs the same seeds with every fault off;
// BM_FaultFreeNoObservers also without the built-in observers (no faults,
// no checks: what canonical/raft's deterministic fixture measures).
//
// Single-threaded.

#include <cstdint>

#include "benchmark/benchmark.h"
#include "sim/simulator.h"
#include "sim/world/options.h"

namespace raftsim::sim {
namespace {

void RunSeeds(benchmark::State& state, bool faults, bool observers = true) {
  uint64_t seed = 1;
  uint64_t events = 0;
  uint64_t seeds = 0;
  for (auto _ : state) {
    SimOptions o = SimOptions::Draw(seed);
    if (!faults) {
      for (const char* name :
           {"loss_ppm", "dup_ppm", "jitter_us", "torn_writes", "crashes",
            "pauses", "partition_isolate", "partition_split",
            "partition_asymmetric", "partition_bridge", "partition_links",
            "drift_ppm_max"}) {
        (void)o.Set(name, 0);
      }
    }
    Simulator s(seed, o);
    if (!observers) s.ClearObservers();
    const RunResult r = s.Run();
    benchmark::DoNotOptimize(r.trace_hash);
    events += r.events;
    ++seeds;
    seed = seed % 1000 + 1;  // The default sweep's seeds, cyclically.
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events),
                                                  benchmark::Counter::kIsRate);
  state.counters["seeds/s"] = benchmark::Counter(static_cast<double>(seeds),
                                                 benchmark::Counter::kIsRate);
  state.counters["events/seed"] =
      static_cast<double>(events) / static_cast<double>(seeds);
}

void BM_DefaultSweepSeed(benchmark::State& state) { RunSeeds(state, true); }
void BM_FaultFree(benchmark::State& state) { RunSeeds(state, false); }
void BM_FaultFreeNoObservers(benchmark::State& state) {
  RunSeeds(state, false, false);
}

BENCHMARK(BM_DefaultSweepSeed)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_FaultFree)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_FaultFreeNoObservers)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace
}  // namespace raftsim::sim
