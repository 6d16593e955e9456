// metrics/catalogue.h — the one list of what a MetricsSnapshot holds, with
// names, units and help texts, shared by every exporter (Prometheus text,
// InfluxDB line protocol) and by docs/metrics.md. An exporter walks these
// tables; it never names a field itself, so a new metric is added here once.
//
// Thread-compatible constants.

#ifndef RAFTSIM_METRICS_CATALOGUE_H_
#define RAFTSIM_METRICS_CATALOGUE_H_

#include <cstdint>
#include <string_view>

#include "absl/types/span.h"
#include "raft/server/metrics.h"

namespace raftsim::metrics {

// A counter of ServerMetrics. `name` has no prefix and no `_total`.
struct CounterDef {
  std::string_view name;  // "proposals"
  std::string_view help;
  uint64_t raft::ServerMetrics::*field;
};
absl::Span<const CounterDef> Counters();

// A gauge of one server (not per peer); `value` reads it.
struct GaugeDef {
  std::string_view name;  // "commit_index"
  std::string_view help;
  int64_t (*value)(const raft::MetricsSnapshot&);
};
absl::Span<const GaugeDef> Gauges();

// A gauge of one follower, as the leader sees it.
struct PeerGaugeDef {
  std::string_view name;  // "peer_match_index"
  std::string_view help;
  int64_t (*value)(const raft::PeerGauges&);
};
absl::Span<const PeerGaugeDef> PeerGauges();

// A histogram. `unit` is "us" (microseconds of the runtime clock; the
// Prometheus exporter converts to seconds) or "" (a count of items).
struct HistogramDef {
  std::string_view name;  // "propose_to_commit"
  std::string_view unit;
  std::string_view help;
  raft::Histogram raft::MetricsSnapshot::*field;
};
absl::Span<const HistogramDef> Histograms();

}  // namespace raftsim::metrics

#endif  // RAFTSIM_METRICS_CATALOGUE_H_
