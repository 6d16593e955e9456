// sim/scenario/options.cc — the table of options a scenario may set
// (ScenarioOptions(), sim/scenario/scenario.h): names, aliases, types and ranges.
// Kept apart from the parser so that the list reads as the one reference.
//
// The table is built once and never changes; thread-safe.

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario.h"

namespace raftsim::sim {

const std::vector<OptionSpec>& ScenarioOptions() {
  using T = OptionType;
  constexpr int64_t kBig = int64_t{1} << 40;
  constexpr int64_t kHour = 3'600'000;
  constexpr int64_t k10s = 10'000'000;
  // Mirrors sim/world/options.cc (names and ranges) minus `nodes`. The simulator
  // still runs SimOptions::Validate over the result (relations between
  // options, e.g. heartbeat_ticks < election_ticks, are checked there).
  static const auto* const kOptions = new std::vector<OptionSpec>{
      {"pre_vote", "pre_vote", T::kBool, 0, 1},
      {"check_quorum", "check_quorum", T::kBool, 0, 1},
      {"tick_us", "tick_us", T::kInt, 10, 1'000'000},
      {"election_ticks", "election_ticks", T::kInt, 2, 1000},
      {"heartbeat_ticks", "heartbeat_ticks", T::kInt, 1, 999},
      {"snapshot_every", "snapshot_every", T::kInt, 0, kBig},
      {"fault_ms", "fault_ms", T::kInt, 0, kHour},
      {"heal_ms", "heal_ms", T::kInt, 1, kHour},
      {"max_events", "max_events", T::kInt, 1, kBig},
      {"latency_us_min", "latency_us_min", T::kInt, 0, k10s},
      {"latency_us_max", "latency_us_max", T::kInt, 0, k10s},
      {"jitter_us", "jitter_us", T::kInt, 0, k10s},
      {"loss_ppm", "loss_ppm", T::kInt, 0, kPpmPerUnit},
      {"dup_ppm", "dup_ppm", T::kInt, 0, kPpmPerUnit},
      {"disk_write_us_max", "disk_write_us_max", T::kInt, 0, k10s},
      {"disk_sync_us_max", "disk_sync_us_max", T::kInt, 0, k10s},
      {"torn_writes", "torn_writes", T::kBool, 0, 1},
      {"fault_gap_ms_max", "fault_gap_ms_max", T::kInt, 1, kHour},
      {"partition_isolate", "partition_isolate", T::kBool, 0, 1},
      {"partition_split", "partition_split", T::kBool, 0, 1},
      {"partition_asymmetric", "partition_asymmetric", T::kBool, 0, 1},
      {"partition_bridge", "partition_bridge", T::kBool, 0, 1},
      {"partition_links", "partition_links", T::kBool, 0, 1},
      {"partition_ms_max", "partition_ms_max", T::kInt, 1, kHour},
      {"crashes", "crashes", T::kBool, 0, 1},
      {"crash_ms_max", "crash_ms_max", T::kInt, 1, kHour},
      {"pauses", "pauses", T::kBool, 0, 1},
      {"pause_ms_max", "pause_ms_max", T::kInt, 1, kHour},
      {"drift_ppm_max", "drift_ppm_max", T::kInt, 0, 200'000},
      {"clients", "clients", T::kInt, 0, 64},
      {"keys", "keys", T::kInt, 1, 1000},
      {"get_weight", "get_weight", T::kInt, 0, 1000},
      {"put_weight", "put_weight", T::kInt, 0, 1000},
      {"append_weight", "append_weight", T::kInt, 0, 1000},
      {"cas_weight", "cas_weight", T::kInt, 0, 1000},
      {"read_through_log", "read_through_log", T::kBool, 0, 1},
      {"client_timeout_ms", "client_timeout_ms", T::kInt, 1, kHour},
      {"think_us_max", "think_us_max", T::kInt, 0, k10s},
      {"client_latency_us_max", "client_latency_us_max", T::kInt, 0, k10s},
      // Aliases: friendlier spellings, stored under the canonical name.
      {"loss", "loss_ppm", T::kProbability, 0, kPpmPerUnit},
      {"dup", "dup_ppm", T::kProbability, 0, kPpmPerUnit},
      {"election_timeout_ticks", "election_ticks", T::kInt, 2, 1000},
  };
  return *kOptions;
}

}  // namespace raftsim::sim
