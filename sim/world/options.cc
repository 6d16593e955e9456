// sim/world/options.cc — see options.h.

#include "sim/world/options.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/prng.h"
#include "sim/world/streams.h"

namespace raftsim::sim {
namespace {

constexpr int64_t kBig = int64_t{1} << 40;

#define RAFTSIM_OPTION(name, kind, lo, hi, doc) \
  { #name, &SimOptions::name, OptionKind::kind, lo, hi, doc }
constexpr OptionField kFields[] = {
    RAFTSIM_OPTION(nodes, kInt, 1, 9, "Voters n1..nN."),
    RAFTSIM_OPTION(pre_vote, kBool, 0, 1, "Pre-vote (thesis §9.6)."),
    RAFTSIM_OPTION(check_quorum, kBool, 0, 1, "Check quorum (thesis §6.2)."),
    RAFTSIM_OPTION(tick_us, kInt, 10, 1'000'000, "Server tick, in local time."),
    RAFTSIM_OPTION(election_ticks, kInt, 2, 1000, ""),
    RAFTSIM_OPTION(heartbeat_ticks, kInt, 1, 999, ""),
    RAFTSIM_OPTION(snapshot_every, kInt, 0, kBig,
                   "Entries between snapshots; 0 = never."),
    RAFTSIM_OPTION(snapshot_keep, kInt, 0, kBig,
                   "Entries kept behind a snapshot; 0 = snapshot_every/4."),
    RAFTSIM_OPTION(max_inflight_msgs, kInt, 1, 1'000'000,
                   "AppendEntries in flight per follower."),
    RAFTSIM_OPTION(max_inflight_bytes, kInt, 0, kBig,
                   "Bytes in flight per follower; 0 = unlimited."),
    RAFTSIM_OPTION(max_msg_bytes, kInt, 1, kBig,
                   "Size of one AppendEntries (one entry at least)."),
    RAFTSIM_OPTION(max_uncommitted_bytes, kInt, 0, kBig,
                   "Leader's uncommitted tail limit; 0 = unlimited."),
    RAFTSIM_OPTION(max_committed_bytes_per_ready, kInt, 1, kBig,
                   "Committed bytes handed to apply per Ready."),
    RAFTSIM_OPTION(max_batch_commands, kInt, 1, 1'000'000,
                   "Commands per proposal batch."),
    RAFTSIM_OPTION(fault_ms, kInt, 0, 3'600'000, "Fault phase length."),
    RAFTSIM_OPTION(heal_ms, kInt, 1, 3'600'000,
                   "Liveness bound after the heal."),
    RAFTSIM_OPTION(max_events, kInt, 1, kBig, ""),
    RAFTSIM_OPTION(stable_check, kBool, 0, 1,
                   "Once live, the leader keeps leading for three election "
                   "timeouts."),
    RAFTSIM_OPTION(latency_us_min, kInt, 0, 10'000'000,
                   "Per-link base latency range, low end."),
    RAFTSIM_OPTION(latency_us_max, kInt, 0, 10'000'000,
                   "Per-link base latency range, high end."),
    RAFTSIM_OPTION(jitter_us, kInt, 0, 10'000'000,
                   "Per-message extra delay; reordering."),
    RAFTSIM_OPTION(loss_ppm, kInt, 0, 1'000'000, ""),
    RAFTSIM_OPTION(dup_ppm, kInt, 0, 1'000'000, ""),
    RAFTSIM_OPTION(disk_write_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(disk_sync_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(torn_writes, kBool, 0, 1, ""),
    RAFTSIM_OPTION(disk_reorder_us, kInt, 0, 10'000'000,
                   "Write completions delayed [0, x] past their sync."),
    RAFTSIM_OPTION(fsync_spike_ppm, kInt, 0, 1'000'000,
                   "Chance that a sync takes fsync_spike_us longer."),
    RAFTSIM_OPTION(fsync_spike_us, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(apply_us_max, kInt, 0, 10'000'000,
                   "Asynchronous apply: each batch takes [0, x]; 0 = inline."),
    RAFTSIM_OPTION(post_us_max, kInt, 0, 10'000'000,
                   "Busy event loops: a node's posted work runs [0, x] late, "
                   "so what arrives meanwhile is handled in one turn."),
    RAFTSIM_OPTION(fault_gap_ms_max, kInt, 1, 3'600'000,
                   "Gap between faults: [1, max]."),
    RAFTSIM_OPTION(partition_isolate, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_split, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_asymmetric, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_bridge, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_links, kBool, 0, 1, ""),
    RAFTSIM_OPTION(partition_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(crashes, kBool, 0, 1, ""),
    RAFTSIM_OPTION(crash_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(pauses, kBool, 0, 1, ""),
    RAFTSIM_OPTION(pause_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(clogs, kBool, 0, 1,
                   "Clog a link: hold its messages, release them together."),
    RAFTSIM_OPTION(clog_ms_max, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(bounces, kBool, 0, 1,
                   "Crash a node for under E/4, then another campaigns."),
    RAFTSIM_OPTION(drift_ppm_max, kInt, 0, 200'000,
                   "Per-node clock drift in [-max, max]."),
    RAFTSIM_OPTION(target_leader, kBool, 0, 1,
                   "Half of the faults aim at the current leader."),
    RAFTSIM_OPTION(clients, kInt, 0, 64, ""),
    RAFTSIM_OPTION(keys, kInt, 1, 1000, ""),
    RAFTSIM_OPTION(get_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(put_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(append_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(cas_weight, kInt, 0, 1000, ""),
    RAFTSIM_OPTION(read_through_log, kBool, 0, 1,
                   "Gets go through the log (Submit)."),
    RAFTSIM_OPTION(client_timeout_ms, kInt, 1, 3'600'000, ""),
    RAFTSIM_OPTION(think_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(client_latency_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(sticky_clients, kInt, 0, 2,
                   "Clients that stay with their node after a timeout: 0 "
                   "none, 1 every other one, 2 all."),
    RAFTSIM_OPTION(fault_seed, kInt, 0, kBig,
                   "Fault schedule from this seed's stream; 0 = the run's."),
    RAFTSIM_OPTION(delay_ppm, kInt, 0, 1'000'000,
                   "Chance that a message is delayed up to delay_us_max more "
                   "(until the heal)."),
    RAFTSIM_OPTION(delay_us_max, kInt, 0, 10'000'000, ""),
    RAFTSIM_OPTION(lease_reads, kBool, 0, 1,
                   "Reads from the leader's lease (needs check_quorum)."),
    RAFTSIM_OPTION(lease_drift_ppm, kInt, 0, 999'999,
                   "The clock drift bound lease reads assume."),
    RAFTSIM_OPTION(reader_clients, kInt, 0, 64,
                   "The first N clients issue only gets."),
    RAFTSIM_OPTION(workload_seed, kInt, 0, kBig,
                   "Client workload from this seed's stream; 0 = the run's."),
    RAFTSIM_OPTION(metrics_ms, kInt, 0, 3'600'000,
                   "Servers publish metrics every N ms (traced); 0 = off."),
    RAFTSIM_OPTION(storage, kInt, 0, 2,
                   "Node storage: 0 memory disk, 1 WAL on the simulated file "
                   "system, 2 mixed (odd host ids on the WAL)."),
    RAFTSIM_OPTION(wal_segment_bytes, kInt, 64, kBig,
                   "WAL segment size (small: segments roll and compact)."),
    RAFTSIM_OPTION(wal_sync_fail_ppm, kInt, 0, 1'000'000,
                   "Chance that a WAL sync fails (fault phase; fail-stop)."),
    RAFTSIM_OPTION(wal_full_ppm, kInt, 0, 1'000'000,
                   "Chance that a WAL drain finds the disk full (fault "
                   "phase; fail-stop)."),
    RAFTSIM_OPTION(spare_hosts, kInt, 0, 8,
                   "Hosts beyond the cluster, down and empty until added."),
    RAFTSIM_OPTION(bootstrap, kBool, 0, 1,
                   "The initial configuration is bootstrapped (entry i1), "
                   "not static."),
    RAFTSIM_OPTION(membership, kBool, 0, 1,
                   "The fault phase draws membership changes."),
    RAFTSIM_OPTION(keep_removed, kBool, 0, 1,
                   "Removed nodes keep running (else they are stopped)."),
    RAFTSIM_OPTION(membership_gap_ms_max, kInt, 1, 3'600'000,
                   "Gap between drawn membership changes: [1, max]."),
};
#undef RAFTSIM_OPTION

// An option drawn on with probability num/den, else 0.
int64_t Flag(Prng& p, uint64_t num, uint64_t den) {
  return p.Ratio(num, den) ? 1 : 0;
}

}  // namespace

absl::Span<const OptionField> OptionTable() { return kFields; }

const OptionField* FindOption(std::string_view name) {
  for (const OptionField& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string_view> OptionNames() {
  std::vector<std::string_view> names;
  for (const OptionField& f : kFields) names.push_back(f.name);
  return names;
}

std::string_view ClosestName(std::string_view name,
                             absl::Span<const std::string_view> candidates) {
  // Levenshtein distance, one row at a time; names are short.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                           diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (std::string_view c : candidates) {
    const size_t d = distance(name, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

SimOptions SimOptions::Draw(uint64_t seed) {
  Prng p = Streams(seed).Get(Stream::kSwarm);
  SimOptions o;
  // Every draw below happens for every seed, in this order, whatever the
  // outcome of earlier draws (so each line is a fixed number of draws).
  o.nodes = p.Range(3, 7);
  o.pre_vote = Flag(p, 1, 2);
  o.check_quorum = Flag(p, 1, 2);
  o.election_ticks = p.Range(8, 30);
  o.heartbeat_ticks = p.Range(1, std::max<int64_t>(1, o.election_ticks / 4));
  const int64_t snapshot_every = p.Range(10, 100);
  o.snapshot_every = Flag(p, 1, 2) ? snapshot_every : 0;

  // Latencies are drawn against the election timeout: one election round
  // (vote request, persisting the vote, reply) must fit in well under the
  // shortest timeout, or no election could ever finish and liveness after
  // the heal would be impossible by construction (etcd and the thesis
  // §9.3 ask for broadcast time << election timeout). Worst case:
  // 2 * (latency_us_max + jitter_us) + write + sync <= 700us + 0.625 * E.
  const int64_t budget_us = o.election_ticks * o.tick_us / 2;
  o.latency_us_min = p.Range(20, 200);
  o.latency_us_max = o.latency_us_min + p.Range(0, budget_us / 8);
  const int64_t jitter = p.Range(50, std::max<int64_t>(50, budget_us / 4));
  o.jitter_us = Flag(p, 1, 2) ? jitter : 0;
  const int64_t loss = p.Range(1000, 100'000);
  o.loss_ppm = Flag(p, 1, 2) ? loss : 0;
  const int64_t dup = p.Range(1000, 50'000);
  o.dup_ppm = Flag(p, 1, 3) ? dup : 0;

  o.disk_write_us_max = p.Range(10, 300);
  const int64_t sync = p.Range(10, 1000);
  const int64_t slow_sync =
      p.Range(1000, std::max<int64_t>(1000, budget_us / 2));
  o.disk_sync_us_max = Flag(p, 1, 4) ? slow_sync : sync;  // Slow disks.
  o.torn_writes = Flag(p, 1, 2);

  o.fault_gap_ms_max = p.Range(20, 400);
  o.partition_isolate = Flag(p, 1, 2);
  o.partition_split = Flag(p, 1, 2);
  o.partition_asymmetric = Flag(p, 1, 2);
  o.partition_bridge = Flag(p, 1, 2);
  o.partition_links = Flag(p, 1, 2);
  o.partition_ms_max = p.Range(20, 600);
  o.crashes = Flag(p, 1, 2);
  o.crash_ms_max = p.Range(5, 400);
  o.pauses = Flag(p, 1, 2);
  o.pause_ms_max = p.Range(5, 400);
  const int64_t drift = p.Range(100, 100'000);
  o.drift_ppm_max = Flag(p, 1, 2) ? drift : 0;

  o.clients = p.Range(3, 8);
  o.keys = p.Range(1, 5);
  o.get_weight = p.Range(0, 10);
  o.put_weight = p.Range(1, 10);
  o.append_weight = p.Range(0, 10);
  o.cas_weight = p.Range(0, 10);
  o.read_through_log = Flag(p, 1, 4);
  o.client_timeout_ms = p.Range(30, 300);
  o.think_us_max = p.Range(0, 5000);
  o.client_latency_us_max = p.Range(10, 500);

  // Drawn after everything above, so that adding them left every earlier
  // option of a seed as it was. Flow control and batching: small limits
  // in some seeds (one entry per message, one message in flight, tiny
  // apply batches, proposals refused for uncommitted bytes).
  const int64_t inflight = p.Range(1, 8);
  o.max_inflight_msgs = Flag(p, 1, 3) ? inflight : 256;
  const int64_t inflight_bytes = p.Range(64, 4096);
  o.max_inflight_bytes = Flag(p, 1, 3) ? inflight_bytes : 0;
  const int64_t msg_bytes = p.Range(1, 512);
  o.max_msg_bytes = Flag(p, 1, 3) ? msg_bytes : 1 << 20;
  const int64_t uncommitted = p.Range(64, 4096);
  o.max_uncommitted_bytes = Flag(p, 1, 4) ? uncommitted : 0;
  const int64_t per_ready = p.Range(1, 512);
  o.max_committed_bytes_per_ready = Flag(p, 1, 3) ? per_ready : 8 << 20;
  // A window smaller than a message would stall replication; the core
  // refuses it (raft::Config::Validate), so the message shrinks to fit.
  if (o.max_inflight_bytes > 0) {
    o.max_msg_bytes = std::min(o.max_msg_bytes, o.max_inflight_bytes);
  }
  const int64_t batch = p.Range(1, 4);
  o.max_batch_commands = Flag(p, 1, 3) ? batch : 1024;
  const int64_t keep = p.Range(1, 20);
  o.snapshot_keep = Flag(p, 1, 2) ? keep : 0;
  // Environment: completions out of order, fsync spikes, a slow
  // asynchronous state machine (commit far ahead of apply), clogged links.
  const int64_t reorder = p.Range(10, std::max<int64_t>(10, budget_us / 4));
  o.disk_reorder_us = Flag(p, 1, 3) ? reorder : 0;
  const int64_t spike_ppm = p.Range(1000, 50'000);
  const int64_t spike_us = p.Range(1000, std::max<int64_t>(1000, budget_us));
  const bool spikes = Flag(p, 1, 4) != 0;
  o.fsync_spike_ppm = spikes ? spike_ppm : 0;
  o.fsync_spike_us = spikes ? spike_us : 0;
  const int64_t apply = p.Range(100, std::max<int64_t>(100, budget_us));
  o.apply_us_max = Flag(p, 1, 3) ? apply : 0;
  o.clogs = Flag(p, 1, 3);
  o.clog_ms_max = p.Range(5, 200);
  // Long fault phases in a few seeds.
  const int64_t fault_ms = p.Range(2000, 4000);
  if (Flag(p, 1, 10) != 0) o.fault_ms = fault_ms;
  // Workload profiles: read-heavy (few writers, hot keys) or write-heavy.
  const int64_t profile = p.Range(0, 3);
  const int64_t heavy = p.Range(10, 30);
  if (profile == 1) {  // Read-heavy.
    o.get_weight = heavy;
    o.put_weight = 1;
    o.append_weight = std::min<int64_t>(o.append_weight, 1);
    o.cas_weight = std::min<int64_t>(o.cas_weight, 1);
  } else if (profile == 2) {  // Write-heavy.
    o.get_weight = 0;
    o.put_weight = heavy;
  }
  o.sticky_clients = Flag(p, 1, 2);
  o.target_leader = Flag(p, 1, 2);
  // Churn in one seed of eight: frequent, short crashes, so that nodes
  // restart inside the term they voted or acknowledged in (bugs in what a
  // restart recovers need that).
  const bool churn = Flag(p, 1, 8) != 0;
  const int64_t churn_crash_ms = p.Range(5, 30);
  const int64_t churn_gap_ms = p.Range(10, 40);
  if (churn) {
    o.crashes = 1;
    o.crash_ms_max = churn_crash_ms;
    o.fault_gap_ms_max = churn_gap_ms;
  }
  // Snapshot-heavy seeds, one in six: a snapshot every few entries and
  // next to nothing kept behind it, and in half of them every client
  // sticks to the node it talks to. A cut-off leader then gathers a long
  // uncommitted suffix while the majority commits little, and the new
  // leader has compacted past it: the follower it was receives a snapshot
  // over a log that diverges from it.
  const bool snapshot_heavy = Flag(p, 1, 6) != 0;
  const int64_t heavy_every = p.Range(2, 8);
  const int64_t heavy_keep = p.Range(0, 2);
  const bool all_sticky = Flag(p, 1, 2) != 0;
  // Busy event loops in a third of the seeds: several messages, notices
  // and client calls handled in one Server turn (a step-down and the
  // commit that overwrites our proposal, in one Ready). A few pumps per
  // election round stay well inside the timeout.
  const int64_t post = p.Range(20, std::max<int64_t>(20, budget_us / 16));
  o.post_us_max = Flag(p, 1, 3) ? post : 0;
  if (snapshot_heavy) {
    o.snapshot_every = heavy_every;
    o.snapshot_keep = heavy_keep;
    if (all_sticky) o.sticky_clients = 2;
  }
  // Small clusters: a third of the three-node seeds run a single voter,
  // which must elect itself and commit alone, or two, whose majority is
  // both (about one seed in fifteen; larger clusters keep their draws).
  const int64_t small = p.Range(1, 2);
  if (Flag(p, 1, 3) != 0 && o.nodes == 3) o.nodes = small;
  // Lease reads in half of the CheckQuorum seeds, with a drift bound that
  // covers the drift drawn above (or a small one when there is none), and
  // read-heavy in half of those: the lease is what such a workload uses.
  const bool lease = Flag(p, 1, 2) != 0;
  const int64_t lease_bound = p.Range(100, 20'000);
  const bool lease_reads_heavy = Flag(p, 1, 2) != 0;
  const int64_t lease_gets = p.Range(10, 30);
  if (lease && o.check_quorum != 0) {
    o.lease_reads = 1;
    o.lease_drift_ppm = std::max(o.drift_ppm_max, lease_bound);
    if (lease_reads_heavy) {
      o.read_through_log = 0;
      o.get_weight = std::max(o.get_weight, lease_gets);
    }
  }
  // A long network tail in a third of the seeds: a few messages in a
  // hundred held up to several election timeouts, so that replies outlive
  // their round — an acknowledgement reaches a leader after a new one was
  // elected, a vote reply reaches a candidate of an older term.
  const int64_t delay_ppm = p.Range(1000, 50'000);
  const int64_t delay_max =
      p.Range(o.election_ticks * o.tick_us, 4 * o.election_ticks * o.tick_us);
  if (Flag(p, 1, 3) != 0) {
    o.delay_ppm = delay_ppm;
    o.delay_us_max = delay_max;
  }
  // Readers in a third of the seeds: clients that only get, and so keep
  // talking to the node they believe leads while writers block and move.
  // In half of the lease seeds, a lease stress: more clients, a few
  // readers, short timeouts so that writers find the new leader within an
  // election timeout, while readers stay with the deposed one.
  const int64_t readers = p.Range(1, 3);
  const bool lease_stress = Flag(p, 1, 2) != 0;
  const int64_t stress_readers = p.Range(2, 4);
  const int64_t stress_timeout_ms = p.Range(3, 10);
  if (Flag(p, 1, 3) != 0) o.reader_clients = std::min(readers, o.clients - 1);
  if (o.lease_reads != 0 && lease_stress) {
    o.reader_clients = stress_readers;
    o.clients = std::max<int64_t>(o.clients, stress_readers + 5);
    o.client_timeout_ms = stress_timeout_ms;
    o.sticky_clients = std::max<int64_t>(o.sticky_clients, 1);
  }
  // Bounces in a quarter of the seeds: a node restarts at once and is
  // asked for its vote right away — what a restart must not forget (the
  // vote of its term, the refusal a leader's lease counts on) is tested
  // when someone asks, and a healthy cluster rarely asks then.
  o.bounces = Flag(p, 1, 4);
  // The metrics pump in half of the seeds, so that its timer and its
  // snapshots run under every fault (a snapshot reads every queue of the
  // pipeline and every follower's progress; its CHECKs run with it).
  const int64_t metrics_ms = p.Range(10, 200);
  if (Flag(p, 1, 2) != 0) o.metrics_ms = metrics_ms;
  // Node storage, drawn last so every earlier option of a seed is as it
  // was: the WAL in half of the seeds, mixed in a sixth; small segments
  // (they roll and a compaction deletes them) and, in a third of the WAL
  // seeds each, failing syncs and a full disk.
  const int64_t storage = p.Range(0, 5);
  o.storage = storage < 3 ? (storage == 0 ? 2 : 0) : 1;
  const int64_t segment = p.Range(256, 8192);
  o.wal_segment_bytes = Flag(p, 2, 3) ? segment : 64 << 10;
  const int64_t sync_fail = p.Range(100, 5000);
  o.wal_sync_fail_ppm = Flag(p, 1, 3) ? sync_fail : 0;
  const int64_t full = p.Range(100, 5000);
  o.wal_full_ppm = Flag(p, 1, 3) ? full : 0;

  // Membership, from a stream of its own (every draw above is as it was
  // before membership existed): in half of the seeds the fault phase
  // changes the membership (sim/membership_driver.h), with spare hosts to
  // add, a bootstrapped initial cluster in a third of them, and removed
  // nodes that keep running in a third of those that can take it (a
  // removed node that missed its removal campaigns, thesis §4.2.3: without
  // pre-vote its vote requests raise the terms of other removed nodes that
  // are out of lease, whose replies then depose the leader; pre-vote and
  // CheckQuorum together keep it harmless).
  Prng m = Streams(seed).Get(Stream::kMembershipOptions);
  const bool membership = Flag(m, 1, 2) != 0;
  const int64_t spares = m.Range(1, 4);
  const bool bootstrap = Flag(m, 1, 3) != 0;
  const bool keep_removed = Flag(m, 1, 3) != 0;
  const int64_t gap_ms = m.Range(30, 300);
  if (membership) {
    o.membership = 1;
    o.spare_hosts = std::min<int64_t>(spares, 9 - o.nodes);
    o.bootstrap = bootstrap ? 1 : 0;
    o.keep_removed =
        keep_removed && o.pre_vote != 0 && o.check_quorum != 0 ? 1 : 0;
    o.membership_gap_ms_max = gap_ms;
  }
  return o;
}

absl::Status SimOptions::Set(std::string_view name, int64_t value) {
  const OptionField* f = FindOption(name);
  if (f == nullptr) {
    const std::vector<std::string_view> names = OptionNames();
    const std::string_view near = ClosestName(name, names);
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown option '", std::string(name), "'",
        near.empty() ? ""
                     : absl::StrCat(" (did you mean ", std::string(near), "?)"),
        " (see the 'option name=value' lines `raftsim run` prints for the "
        "names)"));
  }
  if (value < f->min || value > f->max) {
    return absl::InvalidArgumentError(
        absl::StrCat("option ", std::string(name), "=", value,
                     " is out of range [", f->min, ", ", f->max, "]"));
  }
  this->*f->member = value;
  return absl::OkStatus();
}

absl::Status SimOptions::SetFromString(std::string_view assignments) {
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(assignments.data(), assignments.size()),
                      ',', absl::SkipEmpty())) {
    const size_t eq = part.find('=');
    int64_t value = 0;
    if (eq == absl::string_view::npos ||
        !absl::SimpleAtoi(part.substr(eq + 1), &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("expected name=integer, found '", part, "'"));
    }
    const absl::string_view name = part.substr(0, eq);
    absl::Status s = Set(std::string_view(name.data(), name.size()), value);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SimOptions::Validate() const {
  for (const OptionField& f : kFields) {
    const int64_t v = this->*f.member;
    if (v < f.min || v > f.max) {
      return absl::InvalidArgumentError(
          absl::StrCat("option ", std::string(f.name), "=", v,
                       " is out of range [", f.min, ", ", f.max, "]"));
    }
  }
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(std::string(what));
  };
  if (heartbeat_ticks >= election_ticks) {
    return bad("option heartbeat_ticks must be below election_ticks");
  }
  if (latency_us_min > latency_us_max) {
    return bad("option latency_us_min must not exceed latency_us_max");
  }
  if (max_inflight_bytes > 0 && max_inflight_bytes < max_msg_bytes) {
    return bad(
        "option max_inflight_bytes must be 0 (unlimited) or at least "
        "max_msg_bytes");
  }
  if (fsync_spike_ppm > 0 && fsync_spike_us == 0) {
    return bad("option fsync_spike_ppm needs fsync_spike_us above 0");
  }
  if (lease_reads != 0) {
    if (check_quorum == 0)
      return bad("option lease_reads needs check_quorum=1");
    // raft::Config::Validate refuses a lease shorter than one tick:
    // floor((E - 1) * (1e6 - d) / (1e6 + d)) >= 1.
    if ((election_ticks - 1) * (1'000'000 - lease_drift_ppm) <
        1'000'000 + lease_drift_ppm) {
      return bad(
          "option lease_reads: election_ticks and lease_drift_ppm leave a "
          "lease of 0 ticks");
    }
  }
  if (nodes + spare_hosts > 9) {
    return bad("option nodes + spare_hosts must not exceed 9 hosts");
  }
  if (get_weight + put_weight + append_weight + cas_weight == 0) {
    return bad("the workload weights (get/put/append/cas_weight) are all 0");
  }
  return absl::OkStatus();
}

std::vector<std::string> SimOptions::Describe() const {
  std::vector<std::string> lines;
  for (const OptionField& f : kFields) {
    lines.push_back(
        absl::StrCat("option ", std::string(f.name), "=", this->*f.member));
  }
  return lines;
}

}  // namespace raftsim::sim
