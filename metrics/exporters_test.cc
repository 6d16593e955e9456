// metrics/exporters_test.cc — the exporters on a known state, pinned against
// testdata/known_state.{prom,influx} (on a mismatch the test writes what it
// produced to its undeclared outputs, bazel-testlogs/metrics/exporters_test/
// test.outputs/, to review and copy over), plus the structure of the
// Prometheus text: every sample belongs to a TYPE'd family, counters end in
// _total, histogram buckets are cumulative and end at +Inf == _count.

#include "metrics/exporters.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "metrics/catalogue.h"

namespace raftsim::metrics {
namespace {

using raft::LogIndex;
using raft::MetricsSnapshot;
using raft::NodeId;
using raft::PeerGauges;
using raft::PeerState;
using raft::Role;
using raft::Term;

// A leader n1 of t3 with followers n2 (replicating) and n3 (probing behind).
MetricsSnapshot KnownLeader() {
  MetricsSnapshot m;
  m.at_us = 5'000'000;
  m.node = NodeId(1);
  m.counters.proposals = 120;
  m.counters.proposal_batches = 12;
  m.counters.readys = 300;
  m.counters.entries_persisted = 125;
  m.counters.entries_applied = 124;
  m.counters.apply_batches = 40;
  m.counters.messages_sent = 900;
  m.counters.messages_received = 880;
  m.counters.reads_served = 7;
  m.counters.read_batches = 3;
  m.counters.role_changes = 3;
  m.counters.storage_writes = 60;
  m.counters.events = 9;
  m.term = Term(3);
  m.role = Role::kLeader;
  m.leader = NodeId(1);
  m.commit_index = LogIndex(124);
  m.applied_index = LogIndex(124);
  m.last_index = LogIndex(125);
  m.durable_index = LogIndex(125);
  m.membership.index = LogIndex(1);
  m.membership.conf.voters = {NodeId(1), NodeId(2), NodeId(3)};
  PeerGauges n2;
  n2.id = NodeId(2);
  n2.match = LogIndex(125);
  n2.next = LogIndex(126);
  n2.state = PeerState::kReplicate;
  n2.recent_active = true;
  PeerGauges n3;
  n3.id = NodeId(3);
  n3.match = LogIndex(100);
  n3.next = LogIndex(101);
  n3.lag = 25;
  n3.state = PeerState::kProbe;
  n3.inflight_messages = 1;
  n3.inflight_bytes = 400;
  m.peers = {n2, n3};
  m.inflight_messages = 1;
  m.inflight_bytes = 400;
  m.queues.proposals = 1;
  m.queues.writes_in_flight = 0;
  for (int64_t us : {80, 300, 300, 1'200, 40'000}) {
    m.propose_to_commit_us.Observe(us);
  }
  for (int64_t us : {400, 900, 20'000'000}) m.propose_to_apply_us.Observe(us);
  m.storage_write_us.Observe(150);
  for (int64_t n : {1, 3, 3, 100}) m.apply_batch_entries.Observe(n);
  m.ready_entries.Observe(0);
  m.ready_messages.Observe(2);
  return m;
}

MetricsSnapshot KnownFollower() {
  MetricsSnapshot m;
  m.node = NodeId(2);
  m.term = Term(3);
  m.leader = NodeId(1);
  m.commit_index = LogIndex(124);
  m.applied_index = LogIndex(120);
  m.last_index = LogIndex(125);
  m.durable_index = LogIndex(125);
  m.queues.apply_in_flight_entries = 4;
  return m;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compares `actual` with the pinned file; on a difference, saves `actual`.
void ExpectPinned(const std::string& actual, const std::string& name) {
  const std::string expected = ReadFile("metrics/testdata/" + name);
  EXPECT_EQ(actual, expected) << name;
  const char* out = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (actual != expected && out != nullptr) {
    std::ofstream(std::string(out) + "/" + name) << actual;
  }
}

TEST(Exporters, PrometheusTextIsPinned) {
  const std::vector<MetricsSnapshot> servers = {KnownLeader(), KnownFollower()};
  ExpectPinned(FormatPrometheus(servers), "known_state.prom");
}

TEST(Exporters, InfluxLinesArePinned) {
  ExpectPinned(FormatInfluxLines(KnownLeader(), 1'700'000'000'000'000'000),
               "known_state.influx");
}

// The text is well formed for a Prometheus scraper, whatever the pinned
// file says.
TEST(Exporters, PrometheusTextIsWellFormed) {
  const std::vector<MetricsSnapshot> servers = {KnownLeader(), KnownFollower()};
  const std::string text = FormatPrometheus(servers);
  std::map<std::string, std::string> types;  // family -> type
  std::map<std::string, double> values;      // sample line key -> value
  ASSERT_TRUE(absl::EndsWith(text, "\n"));
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "# TYPE ")) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      ASSERT_EQ(parts.size(), 4u) << line;
      EXPECT_TRUE(types.emplace(parts[2], parts[3]).second)
          << "family declared twice: " << parts[2];
      if (parts[3] == "counter") {
        EXPECT_TRUE(absl::EndsWith(parts[2], "_total")) << parts[2];
      }
      continue;
    }
    if (absl::StartsWith(line, "# HELP ")) continue;
    ASSERT_FALSE(absl::StartsWith(line, "#")) << line;
    const size_t brace = line.find('{');
    const size_t close = line.find("} ");
    ASSERT_NE(brace, absl::string_view::npos) << line;
    ASSERT_NE(close, absl::string_view::npos) << line;
    std::string family(line.substr(0, brace));
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (types.count(family) == 0 && absl::EndsWith(family, suffix)) {
        family = family.substr(0, family.size() - strlen(suffix));
      }
    }
    EXPECT_EQ(types.count(family), 1u) << "sample before its TYPE: " << line;
    EXPECT_TRUE(absl::StrContains(line.substr(brace, close - brace), "node=\""))
        << line;
    double v = 0;
    EXPECT_TRUE(absl::SimpleAtod(line.substr(close + 2), &v)) << line;
    values[std::string(line.substr(0, close + 1))] = v;
  }
  // Histograms: cumulative buckets, +Inf equals _count.
  const MetricsSnapshot leader = KnownLeader();
  for (const HistogramDef& def : Histograms()) {
    const std::string name = absl::StrCat("raft_", std::string(def.name),
                                          def.unit == "us" ? "_seconds" : "");
    ASSERT_EQ(types[name], "histogram");
    // Buckets in the order printed (bounds ascending) never decrease.
    double previous = -1;
    for (absl::string_view line :
         absl::StrSplit(text, '\n', absl::SkipEmpty())) {
      if (!absl::StartsWith(line, name + "_bucket{node=\"1\"")) continue;
      double v = 0;
      ASSERT_TRUE(absl::SimpleAtod(line.substr(line.find("} ") + 2), &v));
      EXPECT_GE(v, previous) << line;
      previous = v;
    }
    const raft::Histogram& h = leader.*def.field;
    EXPECT_EQ(values[absl::StrCat(name, "_bucket{node=\"1\",le=\"+Inf\"}")],
              static_cast<double>(h.count()));
    EXPECT_EQ(values[absl::StrCat(name, "_count{node=\"1\"}")],
              static_cast<double>(h.count()));
  }
  // Latencies are in seconds: 40 ms observed.
  EXPECT_EQ(
      values["raft_propose_to_commit_seconds_bucket{node=\"1\",le=\"0.05\"}"],
      5.0);
  EXPECT_EQ(
      values["raft_propose_to_commit_seconds_bucket{node=\"1\",le=\"0.025\"}"],
      4.0);
  // Per-peer labels and the state sets.
  EXPECT_EQ(values["raft_peer_lag_entries{node=\"1\",peer=\"3\"}"], 25.0);
  EXPECT_EQ(values["raft_peer_state{node=\"1\",peer=\"3\",state=\"probe\"}"],
            1.0);
  EXPECT_EQ(values["raft_role_state{node=\"2\",role=\"follower\"}"], 1.0);
  EXPECT_EQ(values["raft_queue_apply_entries{node=\"2\"}"], 4.0);
}

TEST(Histogram, BucketsAndQuantiles) {
  raft::Histogram h(raft::LatencyBucketsUs());
  EXPECT_EQ(h.Quantile(0.5), 0);
  h.Observe(100);         // On a bound: that bucket.
  h.Observe(101);         // Above: the next.
  h.Observe(50'000'000);  // Overflow.
  EXPECT_EQ(h.counts()[0], 1u);
  EXPECT_EQ(h.counts()[1], 1u);
  EXPECT_EQ(h.counts().back(), 1u);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.sum(), 50'000'201);
  EXPECT_EQ(h.Quantile(0.3), 100);
  EXPECT_EQ(h.Quantile(0.6), 250);
  EXPECT_EQ(h.Quantile(1.0), 10'000'000);
}

}  // namespace
}  // namespace raftsim::metrics
