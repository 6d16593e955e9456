// sim/world/network_test.cc — partition shapes and the network's delivery
// semantics (cuts, loss, duplication, down and paused nodes).
// Single-threaded.

#include "sim/world/network.h"

#include <vector>

#include "gtest/gtest.h"
#include "sim/world/partition.h"

namespace raftsim::sim {
namespace {

// The tests count hosts with ints; these wrap them.
bool Reaches(const Connectivity& c, int from, int to) {
  return c.Reaches(HostIndex(from), HostIndex(to));
}

int CountCuts(const Connectivity& c) {
  int cuts = 0;
  for (int a = 0; a < c.nodes(); ++a) {
    for (int b = 0; b < c.nodes(); ++b) cuts += (a != b && !Reaches(c, a, b));
  }
  return cuts;
}

TEST(Partition, IsolateCutsOneNodeBothWays) {
  Prng p(1);
  const Connectivity c = MakePartition(PartitionKind::kIsolate, 5, p);
  EXPECT_EQ(CountCuts(c), 8);  // 4 peers, both directions.
  int isolated = -1;
  for (int n = 0; n < 5; ++n) {
    if (!Reaches(c, n, (n + 1) % 5) && !Reaches(c, n, (n + 2) % 5))
      isolated = n;
  }
  ASSERT_GE(isolated, 0);
  for (int m = 0; m < 5; ++m) {
    if (m != isolated) {
      EXPECT_FALSE(Reaches(c, m, isolated));
    }
  }
}

TEST(Partition, SplitSeparatesAMajorityFromAMinority) {
  for (int nodes = 2; nodes <= 7; ++nodes) {
    Prng p(static_cast<uint64_t>(nodes));
    const Connectivity c = MakePartition(PartitionKind::kSplit, nodes, p);
    // Sides: nodes reachable from node 0 (including itself).
    int side = 0;
    for (int m = 0; m < nodes; ++m) side += (m == 0 || Reaches(c, 0, m));
    const int other = nodes - side;
    EXPECT_EQ(CountCuts(c), 2 * side * other);
    EXPECT_GE(std::min(side, other), 1);
    EXPECT_LT(std::min(side, other), (nodes + 2) / 2);
  }
}

TEST(Partition, AsymmetricCutsOneDirectionOnly) {
  Prng p(3);
  const Connectivity c = MakePartition(PartitionKind::kAsymmetric, 5, p);
  int one_way = 0;
  for (int a = 0; a < 5; ++a) {
    for (int b = 0; b < 5; ++b) {
      if (a == b) continue;
      EXPECT_TRUE(Reaches(c, a, b) || Reaches(c, b, a));  // Never both.
      one_way += !Reaches(c, a, b);
    }
  }
  EXPECT_GT(one_way, 0);
}

TEST(Partition, BridgeTalksToBothSidesWhichCannotTalkToEachOther) {
  Prng p(4);
  const Connectivity c = MakePartition(PartitionKind::kBridge, 5, p);
  int bridges = 0;
  for (int n = 0; n < 5; ++n) {
    bool all = true;
    for (int m = 0; m < 5; ++m)
      all &= (m == n || (Reaches(c, n, m) && Reaches(c, m, n)));
    bridges += all;
  }
  EXPECT_EQ(bridges, 1);
  EXPECT_GT(CountCuts(c), 0);
}

TEST(Partition, LinksAreCutSymmetrically) {
  Prng p(5);
  const Connectivity c = MakePartition(PartitionKind::kLinks, 6, p);
  for (int a = 0; a < 6; ++a) {
    for (int b = 0; b < 6; ++b) EXPECT_EQ(Reaches(c, a, b), Reaches(c, b, a));
  }
}

class Recorder final : public MessageReceiver {
 public:
  bool Up(HostIndex node) const override { return up[node.slot()]; }
  void Deliver(HostIndex node, raft::Message m) override {
    delivered.push_back({node.value(), static_cast<int>(m.from.value())});
  }
  std::vector<bool> up = {true, true, true};
  std::vector<std::pair<int, int>> delivered;  // (to, from id)
};

raft::Message Msg(int from, int to) {
  raft::Message m;
  m.type = raft::MessageType::kHeartbeat;
  m.from = raft::NodeId(static_cast<uint64_t>(from + 1));
  m.to = raft::NodeId(static_cast<uint64_t>(to + 1));
  return m;
}

struct World {
  explicit World(NetworkOptions o)
      : queue(3), net(3, &queue, &tracer, Prng(9), o, &rx) {}
  void Run() {
    while (EventQueue::Fn fn = queue.Pop()) fn();
  }
  EventQueue queue;
  Tracer tracer;
  Recorder rx;
  Network net;
};

TEST(Network, CutLinksDropHealReconnects) {
  World w({});
  Connectivity c(3);
  c.Cut(HostIndex(0), HostIndex(1));  // One direction.
  w.net.SetConnectivity(c);
  w.net.Send(Msg(0, 1));
  w.net.Send(Msg(1, 0));
  w.Run();
  EXPECT_EQ(w.rx.delivered, (std::vector<std::pair<int, int>>{{0, 2}}));
  w.net.Heal();
  w.net.Send(Msg(0, 1));
  w.Run();
  EXPECT_EQ(w.rx.delivered.size(), 2u);
}

TEST(Network, LossAndDuplication) {
  NetworkOptions all_lost;
  all_lost.loss_ppm = 1'000'000;
  World lossy(all_lost);
  for (int i = 0; i < 20; ++i) lossy.net.Send(Msg(0, 1));
  lossy.Run();
  EXPECT_TRUE(lossy.rx.delivered.empty());

  NetworkOptions all_doubled;
  all_doubled.dup_ppm = 1'000'000;
  World dup(all_doubled);
  for (int i = 0; i < 20; ++i) dup.net.Send(Msg(0, 1));
  dup.Run();
  EXPECT_EQ(dup.rx.delivered.size(), 40u);
}

TEST(Network, DownNodesDropPausedNodesWait) {
  World w({});
  w.rx.up[1] = false;
  w.net.Send(Msg(0, 1));
  w.queue.Pause(HostIndex(2));
  w.net.Send(Msg(0, 2));
  w.queue.Schedule(1'000'000, kWorld, EventKind::kFault, false,
                   [&] { w.queue.Resume(HostIndex(2)); });
  w.Run();
  ASSERT_EQ(w.rx.delivered.size(), 1u);
  EXPECT_EQ(w.rx.delivered[0].first, 2);
  EXPECT_EQ(w.queue.now_us(), 1'000'000);
}

TEST(Network, JitterReordersMessagesOnALink) {
  NetworkOptions o;
  o.jitter_us = 5000;
  World w(o);
  std::vector<uint64_t> order;
  for (uint64_t i = 1; i <= 50; ++i) {
    raft::Message m = Msg(0, 1);
    m.context = i;
    w.net.Send(m);
  }
  // Record the arrival order through the trace.
  std::vector<uint64_t> arrivals;
  while (EventQueue::Fn fn = w.queue.Pop()) {
    w.tracer.BeginEvent(0, w.queue.now_us());
    fn();
    for (const TraceRecord& r : w.tracer.records()) {
      if (r.kind == TraceKind::kDeliver) arrivals.push_back(r.message.context);
    }
  }
  ASSERT_EQ(arrivals.size(), 50u);
  EXPECT_FALSE(std::is_sorted(arrivals.begin(), arrivals.end()));
}

}  // namespace
}  // namespace raftsim::sim
