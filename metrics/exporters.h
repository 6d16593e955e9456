// metrics/exporters.h — a MetricsSnapshot in the formats monitoring systems
// read. Nothing here is part of the Raft core: an application calls these
// from its metrics listener (raft::Server::SetMetricsListener) and serves
// or ships the text; docs/metrics.md shows how.
//
// Pure functions; thread-safe.

#ifndef RAFTSIM_METRICS_EXPORTERS_H_
#define RAFTSIM_METRICS_EXPORTERS_H_

#include <cstdint>
#include <string>

#include "absl/types/span.h"
#include "raft/server/metrics.h"

namespace raftsim::metrics {

// The Prometheus text exposition format (version 0.0.4) for one or more
// servers (each labelled node="<id>"; several snapshots share one HELP and
// TYPE block per metric). Names are prefixed "raft_"; counters end in
// "_total"; latencies are histograms in seconds ("_seconds", cumulative
// "le" buckets, "_sum", "_count"); per-follower gauges carry peer="<id>";
// the role is also a state set raft_role_state{role="leader"} 1.
std::string FormatPrometheus(absl::Span<const raft::MetricsSnapshot> servers);

// The InfluxDB line protocol: one "raft" point with every counter and gauge
// as a field, one "raft_peer" point per follower, and one point per
// histogram ("raft_<name>" with count, sum, p50, p90, p99 and max_bucket),
// all tagged node=<id> and stamped `timestamp_ns` (the caller's clock: the
// snapshot's at_us is the runtime's monotonic clock, not wall time).
std::string FormatInfluxLines(const raft::MetricsSnapshot& server,
                              int64_t timestamp_ns);

}  // namespace raftsim::metrics

#endif  // RAFTSIM_METRICS_EXPORTERS_H_
