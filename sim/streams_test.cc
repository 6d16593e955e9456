// sim/streams_test.cc — the run's random streams are independent: drawing
// from one never shifts another, and changing a fault knob leaves the
// other subsystems' draws alone. Single-threaded.

#include "sim/world/streams.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "sim/simulator.h"
#include "sim/world/options.h"

namespace raftsim::sim {
namespace {

std::vector<uint64_t> Take(Prng p, int n) {
  std::vector<uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(p.Next());
  return out;
}

TEST(Streams, EachStreamDependsOnlyOnTheSeedAndItsId) {
  const Streams a(42), b(42);
  Prng network = a.Get(Stream::kNetwork);
  for (int i = 0; i < 1000; ++i) network.Next();  // Busy network...
  // ...does not move the workload stream.
  EXPECT_EQ(Take(a.Get(Stream::kWorkload), 8),
            Take(b.Get(Stream::kWorkload), 8));
  EXPECT_NE(Take(a.Get(Stream::kWorkload), 8), Take(a.Get(Stream::kFaults), 8));
  EXPECT_NE(Take(a.Node(HostIndex(0)), 8), Take(a.Node(HostIndex(1)), 8));
  EXPECT_NE(Take(a.Node(HostIndex(0)), 8), Take(a.Disk(HostIndex(0)), 8));
  EXPECT_NE(Take(Streams(43).Get(Stream::kWorkload), 8),
            Take(a.Get(Stream::kWorkload), 8));
}

TEST(Streams, OverridingAFaultKnobKeepsEveryOtherDrawnOption) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    SimOptions drawn = SimOptions::Draw(seed);
    SimOptions changed = drawn;
    ASSERT_TRUE(changed.Set("loss_ppm", 123456).ok());
    changed.loss_ppm = drawn.loss_ppm;
    EXPECT_EQ(changed.Describe(), drawn.Describe());
  }
}

// Each client's commands, retries collapsed: "client kind key value".
std::vector<std::vector<std::string>> Commands(const checkers::History& h,
                                               int clients) {
  std::vector<std::vector<std::string>> out(static_cast<size_t>(clients));
  for (const checkers::Operation& op : h) {
    std::string c = absl::StrCat(std::string(checkers::OpKindName(op.kind)),
                                 " ", op.key, " ", op.value.value_or("-"), " ",
                                 op.expected.value_or("-"));
    auto& seq = out[static_cast<size_t>(op.client - 1)];
    if (seq.empty() || seq.back() != c) seq.push_back(c);
  }
  return out;
}

TEST(Streams, ChangingTheLossRateDoesNotChangeWhatClientsAsk) {
  SimOptions o = SimOptions::Draw(7);
  o.fault_ms = 300;
  o.cas_weight = 0;  // cas arguments depend on what was read.
  // Gets carry no argument, so consecutive gets collapse like retries; a
  // write-heavy mix keeps every client's stream long enough to compare.
  o.get_weight = 1;
  o.put_weight = 2;
  o.append_weight = 1;
  // A sticky client goes on to its next command after a timeout, so which
  // of its commands reach the history depends on timing; the others retry
  // each command until it completes.
  o.sticky_clients = 0;
  o.loss_ppm = 0;
  Simulator calm(7, o);
  calm.Run();
  o.loss_ppm = 100'000;
  Simulator lossy(7, o);
  lossy.Run();
  const auto a = Commands(calm.History(), static_cast<int>(o.clients));
  const auto b = Commands(lossy.History(), static_cast<int>(o.clients));
  size_t compared = 0;
  for (size_t c = 0; c < a.size(); ++c) {
    const size_t n = std::min(a[c].size(), b[c].size());
    ASSERT_GT(n, 3u) << "client " << c + 1 << " options "
                     << absl::StrJoin(o.Describe(), " ");
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(a[c][i], b[c][i]) << "client " << c + 1 << " command " << i;
    }
    compared += n;
  }
  EXPECT_GT(compared, 20u);
  EXPECT_NE(calm.trace_hash(), lossy.trace_hash());
}

}  // namespace
}  // namespace raftsim::sim
