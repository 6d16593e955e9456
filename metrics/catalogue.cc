// metrics/catalogue.cc — the tables of metrics/catalogue.h.

#include "metrics/catalogue.h"

#include <array>

namespace raftsim::metrics {

using raft::MetricsSnapshot;
using raft::ServerMetrics;

absl::Span<const CounterDef> Counters() {
  static constexpr std::array<CounterDef, 17> kCounters = {{
      {"proposals", "Client commands accepted for proposal.",
       &ServerMetrics::proposals},
      {"proposal_batches", "Batches of commands the node accepted.",
       &ServerMetrics::proposal_batches},
      {"readys", "Ready batches handled.", &ServerMetrics::readys},
      {"entries_persisted", "Log entries reported durable.",
       &ServerMetrics::entries_persisted},
      {"entries_applied", "Entries applied to the state machine.",
       &ServerMetrics::entries_applied},
      {"apply_batches", "Apply calls to the state machine.",
       &ServerMetrics::apply_batches},
      {"messages_sent", "Messages handed to the transport.",
       &ServerMetrics::messages_sent},
      {"messages_received", "Messages received from peers.",
       &ServerMetrics::messages_received},
      {"messages_rejected", "Received messages refused as malformed.",
       &ServerMetrics::messages_rejected},
      {"reads_served", "Linearizable reads answered.",
       &ServerMetrics::reads_served},
      {"read_batches", "ReadIndex rounds (reads batched).",
       &ServerMetrics::read_batches},
      {"snapshots_taken", "State-machine snapshots taken.",
       &ServerMetrics::snapshots_taken},
      {"snapshots_restored", "State-machine snapshots restored.",
       &ServerMetrics::snapshots_restored},
      {"role_changes", "Role changes.", &ServerMetrics::role_changes},
      {"storage_writes", "LogStorage write calls.",
       &ServerMetrics::storage_writes},
      {"storage_compactions", "LogStorage compactions.",
       &ServerMetrics::storage_compactions},
      {"events", "State-change and error events published.",
       &ServerMetrics::events},
  }};
  return kCounters;
}

namespace {

int64_t V(raft::LogIndex i) { return static_cast<int64_t>(i.value()); }
int64_t V(raft::Term t) { return static_cast<int64_t>(t.value()); }
int64_t V(uint64_t n) { return static_cast<int64_t>(n); }

}  // namespace

absl::Span<const GaugeDef> Gauges() {
  static constexpr std::array<GaugeDef, 22> kGauges = {{
      {"term", "Current term.",
       [](const MetricsSnapshot& m) { return V(m.term); }},
      {"is_leader", "1 when this node leads its term.",
       [](const MetricsSnapshot& m) -> int64_t {
         return m.role == raft::Role::kLeader;
       }},
      {"role", "0 follower, 1 pre-candidate, 2 candidate, 3 leader.",
       [](const MetricsSnapshot& m) {
         return int64_t{static_cast<uint8_t>(m.role)};
       }},
      {"leader", "The known leader's id; 0 when none.",
       [](const MetricsSnapshot& m) { return V(m.leader.value()); }},
      {"commit_index", "Highest log index known committed.",
       [](const MetricsSnapshot& m) { return V(m.commit_index); }},
      {"applied_index", "Highest log index the state machine applied.",
       [](const MetricsSnapshot& m) { return V(m.applied_index); }},
      {"last_index", "Last log index.",
       [](const MetricsSnapshot& m) { return V(m.last_index); }},
      {"durable_index", "Last log index known durable.",
       [](const MetricsSnapshot& m) { return V(m.durable_index); }},
      {"snapshot_index", "Index of the latest snapshot.",
       [](const MetricsSnapshot& m) { return V(m.snapshot_index); }},
      {"membership_index", "Index of the configuration in force.",
       [](const MetricsSnapshot& m) { return V(m.membership.index); }},
      {"voters", "Voters of the configuration in force (incoming half).",
       [](const MetricsSnapshot& m) {
         return V(m.membership.conf.voters.size());
       }},
      {"learners", "Learners of the configuration in force.",
       [](const MetricsSnapshot& m) {
         return V(m.membership.conf.learners.size());
       }},
      {"joint", "1 while the configuration in force is joint.",
       [](const MetricsSnapshot& m) -> int64_t { return m.joint; }},
      {"inflight_messages", "AppendEntries in flight to all followers.",
       [](const MetricsSnapshot& m) { return V(m.inflight_messages); }},
      {"inflight_bytes", "Entry bytes in flight to all followers.",
       [](const MetricsSnapshot& m) { return V(m.inflight_bytes); }},
      {"queue_ingress_commands", "Commands submitted, not yet proposed.",
       [](const MetricsSnapshot& m) { return V(m.queues.ingress_commands); }},
      {"queue_ingress_reads", "Reads submitted, not yet issued.",
       [](const MetricsSnapshot& m) { return V(m.queues.ingress_reads); }},
      {"queue_unconfirmed_reads", "Reads waiting for leadership confirmation.",
       [](const MetricsSnapshot& m) { return V(m.queues.unconfirmed_reads); }},
      {"queue_waiting_reads", "Confirmed reads waiting for apply.",
       [](const MetricsSnapshot& m) { return V(m.queues.waiting_reads); }},
      {"queue_proposals", "Proposals waiting for their entry to apply.",
       [](const MetricsSnapshot& m) { return V(m.queues.proposals); }},
      {"queue_storage_writes", "Storage writes in flight.",
       [](const MetricsSnapshot& m) { return V(m.queues.writes_in_flight); }},
      {"queue_apply_entries",
       "Committed entries not yet applied (queued or being applied).",
       [](const MetricsSnapshot& m) {
         return V(m.queues.apply_queued_entries +
                  m.queues.apply_in_flight_entries);
       }},
  }};
  return kGauges;
}

absl::Span<const PeerGaugeDef> PeerGauges() {
  static constexpr std::array<PeerGaugeDef, 6> kPeer = {{
      {"peer_match_index", "Highest index known replicated on the peer.",
       [](const raft::PeerGauges& p) { return V(p.match); }},
      {"peer_next_index", "Next index the leader sends the peer.",
       [](const raft::PeerGauges& p) { return V(p.next); }},
      {"peer_lag_entries", "Leader's last index minus the peer's match.",
       [](const raft::PeerGauges& p) { return V(p.lag); }},
      {"peer_inflight_messages", "AppendEntries in flight to the peer.",
       [](const raft::PeerGauges& p) { return V(p.inflight_messages); }},
      {"peer_inflight_bytes", "Entry bytes in flight to the peer.",
       [](const raft::PeerGauges& p) { return V(p.inflight_bytes); }},
      {"peer_recent_active", "1 when the peer was heard from recently.",
       [](const raft::PeerGauges& p) -> int64_t { return p.recent_active; }},
  }};
  return kPeer;
}

absl::Span<const HistogramDef> Histograms() {
  static constexpr std::array<HistogramDef, 6> kHistograms = {{
      {"propose_to_commit", "us",
       "Time from proposal to commit, this leader's proposals.",
       &MetricsSnapshot::propose_to_commit_us},
      {"propose_to_apply", "us",
       "Time from proposal to its result, this leader's proposals.",
       &MetricsSnapshot::propose_to_apply_us},
      {"storage_write", "us",
       "Time from a storage write to its durable completion.",
       &MetricsSnapshot::storage_write_us},
      {"apply_batch_entries", "", "Entries per state-machine apply call.",
       &MetricsSnapshot::apply_batch_entries},
      {"ready_entries", "", "Entries to persist per Ready.",
       &MetricsSnapshot::ready_entries},
      {"ready_messages", "", "Messages per Ready.",
       &MetricsSnapshot::ready_messages},
  }};
  return kHistograms;
}

}  // namespace raftsim::metrics
