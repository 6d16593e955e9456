// sim/world/options.h — every knob of a simulated run, and swarm testing: the
// seed draws which faults are on, their rates, the latencies, the cluster
// and the workload.
//
// Every option is an int64 with a name (booleans are 0/1, rates are parts
// per million), so that options print one per line ("option name=value"),
// override uniformly from the command line or a scenario file, and later
// shrink uniformly. Draw() takes all its numbers from the swarm stream, and
// always the same count of them in the same order, so an override (applied
// after drawing) never shifts another option.
//
// Value type; thread-compatible.

#ifndef RAFTSIM_SIM_WORLD_OPTIONS_H_
#define RAFTSIM_SIM_WORLD_OPTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace raftsim::sim {

struct SimOptions {
  // Cluster and Raft.
  int64_t nodes = 3;         // Voters n1..nN.
  int64_t pre_vote = 1;      // Thesis §9.6.
  int64_t check_quorum = 1;  // Thesis §6.2.
  int64_t tick_us = 1000;    // Server tick (local time).
  int64_t election_ticks = 10;
  int64_t heartbeat_ticks = 1;
  int64_t snapshot_every = 0;  // Entries between snapshots; 0 = never.
  int64_t snapshot_keep = 0;   // Entries kept behind one; 0 = every/4.
  // Flow control and batching (raft::Config, raft::ServerOptions).
  int64_t max_inflight_msgs = 256;
  int64_t max_inflight_bytes = 0;  // 0 = unlimited.
  int64_t max_msg_bytes = 1 << 20;
  int64_t max_uncommitted_bytes = 0;  // 0 = unlimited.
  int64_t max_committed_bytes_per_ready = 8 << 20;
  int64_t max_batch_commands = 1024;
  // Phases and bounds.
  int64_t fault_ms = 1000;  // Fault phase length.
  int64_t heal_ms = 3000;   // Liveness bound after the heal.
  int64_t max_events = 5'000'000;
  // Once live, the leader must keep leading for a few election timeouts
  // (sim/simulator.h, "stable window").
  int64_t stable_check = 1;
  // Network.
  int64_t latency_us_min = 50;  // Per-link base latency range.
  int64_t latency_us_max = 500;
  int64_t jitter_us = 0;  // Per-message extra delay; reordering.
  int64_t loss_ppm = 0;
  int64_t dup_ppm = 0;
  // Disk.
  int64_t disk_write_us_max = 100;
  int64_t disk_sync_us_max = 200;
  int64_t torn_writes = 0;
  int64_t disk_reorder_us = 0;  // Completions delayed [0, x] past sync.
  int64_t fsync_spike_ppm = 0;  // A sync takes fsync_spike_us longer.
  int64_t fsync_spike_us = 0;
  // State machine.
  int64_t apply_us_max = 0;  // Asynchronous apply delay; 0 = inline.
  int64_t post_us_max = 0;   // Event-loop delay of posted work; 0 = none.
  // Fault schedule (fault phase only).
  int64_t fault_gap_ms_max = 200;  // Gap between faults: [1, max].
  int64_t partition_isolate = 0;
  int64_t partition_split = 0;
  int64_t partition_asymmetric = 0;
  int64_t partition_bridge = 0;
  int64_t partition_links = 0;
  int64_t partition_ms_max = 300;
  int64_t crashes = 0;
  int64_t crash_ms_max = 200;
  int64_t pauses = 0;
  int64_t pause_ms_max = 200;
  int64_t clogs = 0;  // A link holds its messages, then releases them.
  int64_t clog_ms_max = 100;
  // Bounces: a crash with a restart within a quarter of an election
  // timeout, and at once another node campaigns (as if its election timer
  // had fired), so the restarted node is asked for its vote while what it
  // promised before the crash must still hold.
  int64_t bounces = 0;
  int64_t drift_ppm_max = 0;  // Per-node drift in [-max, max].
  // Half of the isolations, crashes and pauses (and the minority side of a
  // partition) aim at the current leader, as Jepsen's leader nemeses do.
  int64_t target_leader = 0;
  // Workload.
  int64_t clients = 3;
  int64_t keys = 2;
  int64_t get_weight = 3;
  int64_t put_weight = 3;
  int64_t append_weight = 3;
  int64_t cas_weight = 1;
  int64_t read_through_log = 0;  // Gets go through the log (Submit).
  int64_t client_timeout_ms = 100;
  int64_t think_us_max = 2000;
  int64_t client_latency_us_max = 300;
  int64_t sticky_clients = 0;  // 1: every other client stays; 2: all.
  // Exploration (sim/explore/explorer.h): run the fault schedule or the
  // workload from another seed's stream, keeping everything else of the
  // run; 0: the run's own seed. Never drawn.
  int64_t fault_seed = 0;
  int64_t workload_seed = 0;
  // The Servers' metrics pump (raft::ServerOptions::metrics_interval_us):
  // every metrics_ms each running Server publishes a MetricsSnapshot, and
  // the trace records it (kind "metrics"); 0 = off.
  int64_t metrics_ms = 0;
  // Lease reads (raft::Config::lease_read) and the clock drift bound the
  // nodes are configured with; the swarm draws drift_ppm_max within it.
  int64_t delay_ppm = 0;  // The network's long tail (NetworkOptions).
  int64_t delay_us_max = 0;
  int64_t lease_reads = 0;
  int64_t lease_drift_ppm = 10'000;
  // The first reader_clients clients issue only gets (monitoring readers):
  // they keep reading from a node they believe leads while writers move.
  int64_t reader_clients = 0;
  // Where the nodes keep their log (sim/world/node_storage.h): 0 the
  // memory disk (SimDisk), 1 the WAL (storage::WalStorage over the
  // simulated file system), 2 mixed (odd host ids on the WAL). WAL
  // segments of wal_segment_bytes; during the fault phase a sync fails
  // with wal_sync_fail_ppm, a drain finds the disk full with wal_full_ppm
  // (the node fail-stops; its host restarts it).
  int64_t storage = 0;
  int64_t wal_segment_bytes = 64 << 10;
  int64_t wal_sync_fail_ppm = 0;
  int64_t wal_full_ppm = 0;

  // Membership (docs/membership.md; sim/simulator.h, "Membership").
  // spare_hosts: hosts n(nodes+1).. that exist from the start but are down,
  // empty and no member until a change adds them. bootstrap: the initial
  // cluster writes its configuration as entry i1 (Node::Bootstrap) instead
  // of every node being built with it (static). membership: the fault
  // phase draws membership changes (sim/membership_driver.h).
  // keep_removed: a removed node keeps running instead of being stopped.
  int64_t spare_hosts = 0;
  int64_t bootstrap = 0;
  int64_t membership = 0;
  int64_t keep_removed = 0;
  int64_t membership_gap_ms_max = 300;  // Between drawn changes: [1, max].

  // Draws the swarm options of `seed` (heal_ms and max_events keep their
  // defaults; fault_ms is drawn longer in a few seeds).
  static SimOptions Draw(uint64_t seed);

  // Sets one option by name. InvalidArgument for an unknown name.
  absl::Status Set(std::string_view name, int64_t value);
  // Applies "name=value[,name=value...]". InvalidArgument naming the bad
  // part.
  absl::Status SetFromString(std::string_view assignments);
  // Range checks and relations; names the bad option.
  absl::Status Validate() const;

  // "option name=value" lines, in declaration order.
  std::vector<std::string> Describe() const;
};

// One row of the option table: the single description of an option that
// printing (Describe), overrides (Set, --set), validation and the scenario
// language (sim/scenario/options.cc) all iterate.
enum class OptionKind : uint8_t {
  kBool,  // 0/1 (a scenario file writes on/off).
  kInt,   // An integer in [min, max].
};
struct OptionField {
  const char* name;  // A string literal: the member's name.
  int64_t SimOptions::*member;
  OptionKind kind;
  int64_t min;
  int64_t max;
  const char* doc;  // One line; empty when the name says it all.
};

// Every option, in declaration order.
absl::Span<const OptionField> OptionTable();
// The row named `name`, or null.
const OptionField* FindOption(std::string_view name);
// Every option name, in declaration order.
std::vector<std::string_view> OptionNames();

// The candidate closest to `name` by edit distance, or empty if none is
// close enough to be a likely misspelling.
std::string_view ClosestName(std::string_view name,
                             absl::Span<const std::string_view> candidates);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_OPTIONS_H_
