// metrics/exporters.cc — Prometheus text and InfluxDB line protocol, both
// walking metrics/catalogue.h.

#include "metrics/exporters.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "metrics/catalogue.h"

namespace raftsim::metrics {
namespace {

std::string NodeLabel(const raft::MetricsSnapshot& m) {
  return absl::StrCat("node=\"", m.node.value(), "\"");
}

void Header(std::string& out, std::string_view name, std::string_view help,
            std::string_view type) {
  absl::StrAppend(&out, "# HELP ", std::string(name), " ", std::string(help),
                  "\n# TYPE ", std::string(name), " ", std::string(type), "\n");
}

// Prometheus prints floats; a bound in microseconds as seconds, exactly
// (every bound is a whole number of microseconds).
std::string Seconds(int64_t us) {
  std::string s = absl::StrCat(us / 1'000'000);
  int64_t frac = us % 1'000'000;
  if (frac == 0) return s;
  std::string digits = absl::StrCat(frac + 1'000'000).substr(1);  // 6 digits
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return absl::StrCat(s, ".", digits);
}

void PrometheusHistogram(std::string& out, const HistogramDef& def,
                         absl::Span<const raft::MetricsSnapshot> servers) {
  const bool us = def.unit == "us";
  const std::string name =
      absl::StrCat("raft_", std::string(def.name), us ? "_seconds" : "");
  Header(out, name, def.help, "histogram");
  for (const raft::MetricsSnapshot& m : servers) {
    const raft::Histogram& h = m.*def.field;
    const std::string node = NodeLabel(m);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < h.bounds().size(); ++i) {
      cumulative += h.counts()[i];
      const std::string le =
          us ? Seconds(h.bounds()[i]) : absl::StrCat(h.bounds()[i]);
      absl::StrAppend(&out, name, "_bucket{", node, ",le=\"", le, "\"} ",
                      cumulative, "\n");
    }
    absl::StrAppend(&out, name, "_bucket{", node, ",le=\"+Inf\"} ", h.count(),
                    "\n");
    absl::StrAppend(&out, name, "_sum{", node, "} ",
                    us ? Seconds(h.sum()) : absl::StrCat(h.sum()), "\n");
    absl::StrAppend(&out, name, "_count{", node, "} ", h.count(), "\n");
  }
}

}  // namespace

std::string FormatPrometheus(absl::Span<const raft::MetricsSnapshot> servers) {
  std::string out;
  for (const CounterDef& def : Counters()) {
    const std::string name =
        absl::StrCat("raft_", std::string(def.name), "_total");
    Header(out, name, def.help, "counter");
    for (const raft::MetricsSnapshot& m : servers) {
      absl::StrAppend(&out, name, "{", NodeLabel(m), "} ",
                      m.counters.*def.field, "\n");
    }
  }
  for (const GaugeDef& def : Gauges()) {
    const std::string name = absl::StrCat("raft_", std::string(def.name));
    Header(out, name, def.help, "gauge");
    for (const raft::MetricsSnapshot& m : servers) {
      absl::StrAppend(&out, name, "{", NodeLabel(m), "} ", def.value(m), "\n");
    }
  }
  Header(out, "raft_role_state", "1 for the role this node is in.", "gauge");
  for (const raft::MetricsSnapshot& m : servers) {
    for (const raft::Role role :
         {raft::Role::kFollower, raft::Role::kPreCandidate,
          raft::Role::kCandidate, raft::Role::kLeader}) {
      absl::StrAppend(&out, "raft_role_state{", NodeLabel(m), ",role=\"",
                      std::string(raft::RoleName(role)), "\"} ",
                      m.role == role ? 1 : 0, "\n");
    }
  }
  for (const PeerGaugeDef& def : PeerGauges()) {
    const std::string name = absl::StrCat("raft_", std::string(def.name));
    Header(out, name, def.help, "gauge");
    for (const raft::MetricsSnapshot& m : servers) {
      for (const raft::PeerGauges& p : m.peers) {
        absl::StrAppend(&out, name, "{", NodeLabel(m), ",peer=\"", p.id.value(),
                        "\"} ", def.value(p), "\n");
      }
    }
  }
  Header(out, "raft_peer_state",
         "1 for the replication state the leader keeps for the peer.", "gauge");
  for (const raft::MetricsSnapshot& m : servers) {
    for (const raft::PeerGauges& p : m.peers) {
      for (const raft::PeerState state :
           {raft::PeerState::kProbe, raft::PeerState::kReplicate,
            raft::PeerState::kSnapshot}) {
        absl::StrAppend(&out, "raft_peer_state{", NodeLabel(m), ",peer=\"",
                        p.id.value(), "\",state=\"",
                        std::string(raft::PeerStateName(state)), "\"} ",
                        p.state == state ? 1 : 0, "\n");
      }
    }
  }
  for (const HistogramDef& def : Histograms()) {
    PrometheusHistogram(out, def, servers);
  }
  return out;
}

std::string FormatInfluxLines(const raft::MetricsSnapshot& m,
                              int64_t timestamp_ns) {
  const std::string node = absl::StrCat(",node=", m.node.value());
  const std::string ts = absl::StrCat(" ", timestamp_ns, "\n");
  std::string out = absl::StrCat("raft", node, " ");
  bool first = true;
  const auto field = [&](std::string_view name, std::string value) {
    absl::StrAppend(&out, first ? "" : ",", std::string(name), "=", value);
    first = false;
  };
  for (const CounterDef& def : Counters()) {
    field(absl::StrCat(std::string(def.name), "_total"),
          absl::StrCat(m.counters.*def.field, "i"));
  }
  for (const GaugeDef& def : Gauges()) {
    field(def.name, absl::StrCat(def.value(m), "i"));
  }
  field("role_name",
        absl::StrCat("\"", std::string(raft::RoleName(m.role)), "\""));
  out += ts;
  for (const raft::PeerGauges& p : m.peers) {
    absl::StrAppend(&out, "raft_peer", node, ",peer=", p.id.value(), " ");
    first = true;
    for (const PeerGaugeDef& def : PeerGauges()) {
      // "peer_match_index" -> "match_index": the measurement says "peer".
      field(def.name.substr(5), absl::StrCat(def.value(p), "i"));
    }
    field("state",
          absl::StrCat("\"", std::string(raft::PeerStateName(p.state)), "\""));
    out += ts;
  }
  for (const HistogramDef& def : Histograms()) {
    const raft::Histogram& h = m.*def.field;
    const std::string unit =
        def.unit.empty() ? "" : absl::StrCat("_", std::string(def.unit));
    absl::StrAppend(&out, "raft_", std::string(def.name), node, " ");
    first = true;
    field("count", absl::StrCat(h.count(), "i"));
    field(absl::StrCat("sum", unit), absl::StrCat(h.sum(), "i"));
    field(absl::StrCat("p50", unit), absl::StrCat(h.Quantile(0.5), "i"));
    field(absl::StrCat("p90", unit), absl::StrCat(h.Quantile(0.9), "i"));
    field(absl::StrCat("p99", unit), absl::StrCat(h.Quantile(0.99), "i"));
    out += ts;
  }
  return out;
}

}  // namespace raftsim::metrics
