// raft/server/metrics.h — what a raft::Server tells its host about itself:
// counters, gauges and fixed-bucket histograms in one snapshot
// (MetricsSnapshot, published by the Server's metrics pump), and
// state-change and error events (ServerEvent, published at once).
//
// Plain values: no exporter lives here. The Prometheus text format and the
// InfluxDB line protocol are in metrics/ (outside the core); the simulator
// records snapshots in its trace. docs/metrics.md lists every metric, its
// unit and its meaning.
//
// Value types; thread-compatible. The Server fills them on its runtime
// thread and hands listeners a const reference (copy it to keep it).

#ifndef RAFTSIM_RAFT_SERVER_METRICS_H_
#define RAFTSIM_RAFT_SERVER_METRICS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "raft/ready.h"
#include "raft/types.h"

namespace raftsim::raft {

// Counters. All monotonic, from 0 when the Server is constructed (not
// persisted: a restarted server starts again at 0).
struct ServerMetrics {
  uint64_t proposals = 0;          // Commands accepted for proposal.
  uint64_t proposal_batches = 0;   // Batches Node::Propose accepted.
  uint64_t readys = 0;             // Readys processed.
  uint64_t entries_persisted = 0;  // Entries reported durable.
  uint64_t entries_applied = 0;
  uint64_t apply_batches = 0;
  uint64_t messages_sent = 0;
  uint64_t messages_received = 0;
  uint64_t messages_rejected = 0;  // Malformed or misaddressed; dropped.
  uint64_t reads_served = 0;
  uint64_t snapshots_taken = 0;
  uint64_t snapshots_restored = 0;
  uint64_t role_changes = 0;
  uint64_t read_batches = 0;         // Node::ReadIndex calls (reads batched).
  uint64_t storage_writes = 0;       // LogStorage::Write calls.
  uint64_t storage_compactions = 0;  // Successful LogStorage::Compact calls.
  uint64_t events = 0;               // ServerEvents published.
};

// A histogram with fixed upper bounds (ascending) and an overflow bucket:
// counts()[i] observations fell in (bounds[i-1], bounds[i]], and
// counts().back() above bounds().back(). Fixed buckets merge across servers
// and export as Prometheus histograms without a quantile estimate here.
class Histogram {
 public:
  // REQUIRES: `bounds` ascending, outlives the histogram (the bound arrays
  // below are static).
  explicit Histogram(absl::Span<const int64_t> bounds)
      : bounds_(bounds), counts_(bounds.size() + 1, 0) {}

  void Observe(int64_t value);

  absl::Span<const int64_t> bounds() const { return bounds_; }
  // Per bucket (not cumulative); size bounds().size() + 1.
  const std::vector<uint64_t>& counts() const { return counts_; }
  uint64_t count() const { return count_; }
  int64_t sum() const { return sum_; }
  // The smallest bound with at least fraction `q` of the observations at or
  // below it (an upper estimate of the q-quantile); the last bound when the
  // overflow bucket is reached; 0 when empty. REQUIRES: 0 < q <= 1.
  int64_t Quantile(double q) const;

 private:
  absl::Span<const int64_t> bounds_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t sum_ = 0;
};

// Bucket bounds: latencies in microseconds of the runtime clock (100 µs ..
// 10 s), sizes in items (1 .. 4096).
absl::Span<const int64_t> LatencyBucketsUs();
absl::Span<const int64_t> SizeBuckets();

// A follower's replication progress as the leader sees it.
enum class PeerState : uint8_t { kProbe, kReplicate, kSnapshot };
std::string_view PeerStateName(PeerState state);  // "probe", ...

struct PeerGauges {
  NodeId id;
  bool learner = false;
  LogIndex match;
  LogIndex next;
  uint64_t lag = 0;  // The leader's last index minus match.
  PeerState state = PeerState::kProbe;
  uint64_t inflight_messages = 0;  // AppendEntries not yet acknowledged.
  uint64_t inflight_bytes = 0;
  bool recent_active = false;
};

// Depth of every queue of the pipeline (docs/server.md's stages).
struct QueueDepths {
  uint64_t ingress_commands = 0;      // Submitted, not yet proposed.
  uint64_t ingress_reads = 0;         // Read, not yet sent to ReadIndex.
  uint64_t unconfirmed_reads = 0;     // Waiting for leadership confirmation.
  uint64_t waiting_reads = 0;         // Confirmed, waiting for apply.
  uint64_t proposals = 0;             // Proposed, waiting for their apply.
  uint64_t writes_in_flight = 0;      // LogStorage::Write calls not completed.
  uint64_t held_messages = 0;         // Acks waiting for their write.
  uint64_t apply_queued_entries = 0;  // Committed, not yet handed over.
  uint64_t apply_in_flight_entries = 0;  // Handed to ApplyAsync, not done.
};

struct MetricsSnapshot {
  int64_t at_us = 0;  // The runtime clock.
  NodeId node;
  ServerMetrics counters;

  // Gauges.
  Term term;
  Role role = Role::kFollower;
  NodeId leader;
  LogIndex commit_index;
  LogIndex applied_index;  // What the state machine has applied.
  LogIndex last_index;
  LogIndex durable_index;
  LogIndex snapshot_index;
  Membership membership;
  bool joint = false;  // The configuration in force is joint.
  // Leader only, by id; empty on other roles.
  std::vector<PeerGauges> peers;
  uint64_t inflight_messages = 0;  // Sum over peers.
  uint64_t inflight_bytes = 0;
  QueueDepths queues;

  // Histograms (since the Server was constructed).
  Histogram propose_to_commit_us{LatencyBucketsUs()};
  Histogram propose_to_apply_us{LatencyBucketsUs()};
  Histogram storage_write_us{LatencyBucketsUs()};  // Write call to durable.
  Histogram apply_batch_entries{SizeBuckets()};
  Histogram ready_entries{SizeBuckets()};   // Entries to persist per Ready.
  Histogram ready_messages{SizeBuckets()};  // Messages per Ready.
};

// Published at once, on the runtime thread, when something changes.
struct ServerEvent {
  enum class Kind : uint8_t {
    kRole,        // soft.role changed.
    kLeader,      // soft.leader changed.
    kTerm,        // soft.term changed.
    kMembership,  // The configuration in force changed (on append).
    kError,       // An asynchronous operation failed; the Server stopped.
  };
  Kind kind = Kind::kRole;
  int64_t at_us = 0;
  NodeId node;
  SoftState soft;         // The soft state after the change (every kind).
  Membership membership;  // kMembership: the configuration now in force.
  absl::Status error;     // kError: Server::failure().
  // Why, in words: "won the election of t3", "heard t5 from a peer",
  // "configuration entry at i7 appended", "storage write failed: ...".
  std::string reason;

  // "n1 role leader t3: won the election of t3".
  std::string Describe() const;
};
std::string_view EventKindName(ServerEvent::Kind kind);  // "role", ...

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_METRICS_H_
