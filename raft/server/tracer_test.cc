// raft/server/tracer_test.cc — raft::ServerTracer: a tracer installed on a
// Server sees every message it sends and receives, every Ready, every apply
// batch and every soft-state change, and nothing once it is removed.
// Three Servers on a FakeRuntime and a LoopbackNetwork (raft/testing/).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "raft/server/server.h"
#include "raft/server/testing/fake_runtime.h"
#include "raft/server/testing/server_fakes.h"

namespace raftsim::raft {
namespace {

using testing::FakeRuntime;
using testing::HeldStorage;
using testing::KvStateMachine;
using testing::LoopbackNetwork;

constexpr int64_t kTickUs = 1000;
const NodeId n1(1), n2(2), n3(3);

// Records every hook call, as Describe() lines where there is one.
class RecordingTracer final : public ServerTracer {
 public:
  void OnSend(const Message& m) override { sent.push_back(m.Describe()); }
  void OnReceive(const Message& m) override {
    received.push_back(m.Describe());
  }
  void OnReady(const Ready&) override { ++readys; }
  void OnApply(LogIndex first, LogIndex last) override {
    applied.push_back({first, last});
  }
  void OnSoftState(const SoftState& s) override { soft.push_back(s); }

  std::vector<std::string> sent;
  std::vector<std::string> received;
  uint64_t readys = 0;
  std::vector<std::pair<LogIndex, LogIndex>> applied;
  std::vector<SoftState> soft;
};

class ServerTracerTest : public ::testing::Test {
 protected:
  struct Peer {
    HeldStorage storage;
    KvStateMachine sm;
    RecordingTracer tracer;
    std::unique_ptr<Server> server;
  };

  // n1 times out first ([5, 10) ticks against [30, 60)), so it leads.
  void StartAll() {
    for (const NodeId id : {n1, n2, n3}) {
      Peer& p = peers_[id];
      ServerOptions o;
      o.raft.id = id;
      o.raft.voters = {n1, n2, n3};
      o.raft.election_timeout_ticks = id == n1 ? 5 : 30;
      o.raft.seed = id.value();
      o.tick_us = kTickUs;
      p.server = std::make_unique<Server>(o, &runtime_, net_.transport(id),
                                          &p.storage, &p.sm);
      p.server->SetTracer(&p.tracer);
      ASSERT_TRUE(p.server->Start().ok());
      net_.Attach(id, p.server.get());
    }
  }

  // Advances time tick by tick, delivering everything after each.
  void RunFor(int64_t us) {
    const int64_t end = runtime_.NowUs() + us;
    while (runtime_.NowUs() < end) {
      runtime_.AdvanceBy(kTickUs);
      for (int i = 0; i < 1000; ++i) {
        runtime_.RunUntilIdle();
        if (net_.DeliverAll() == 0) break;
      }
    }
  }

  std::vector<std::string> SentBy(NodeId id) const {
    std::vector<std::string> out;
    for (const Message& m : net_.sent()) {
      if (m.from == id) out.push_back(m.Describe());
    }
    return out;
  }

  FakeRuntime runtime_;
  LoopbackNetwork net_;
  std::map<NodeId, Peer> peers_;
};

TEST_F(ServerTracerTest, SeesSendsReceivesReadysAppliesAndSoftState) {
  StartAll();
  RunFor(30 * kTickUs);
  Server& leader = *peers_[n1].server;
  ASSERT_EQ(leader.node().role(), Role::kLeader);
  absl::StatusOr<std::string> result = absl::UnknownError("not completed");
  leader.Submit("set x 1", [&](absl::StatusOr<std::string> r) { result = r; });
  RunFor(5 * kTickUs);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, "1");

  for (const NodeId id : {n1, n2, n3}) {
    SCOPED_TRACE(id.Describe());
    const Peer& p = peers_[id];
    const ServerMetrics& m = p.server->metrics();
    // Every message the network carried from this node, in send order.
    EXPECT_EQ(p.tracer.sent, SentBy(id));
    EXPECT_EQ(p.tracer.sent.size(), m.messages_sent);
    EXPECT_EQ(p.tracer.received.size(), m.messages_received);
    EXPECT_GT(m.messages_received, 0u);
    EXPECT_EQ(p.tracer.readys, m.readys);
    // Apply batches: one per StateMachine::Apply, contiguous from index 1
    // up to the applied index (the no-op and "set x 1").
    ASSERT_EQ(p.tracer.applied.size(), m.apply_batches);
    ASSERT_FALSE(p.tracer.applied.empty());
    LogIndex next(1);
    for (const auto& [first, last] : p.tracer.applied) {
      EXPECT_EQ(first, next);
      EXPECT_GE(last, first);
      next = last + 1;
    }
    EXPECT_EQ(next, p.server->applied_index() + 1);
    EXPECT_EQ(p.server->applied_index(), LogIndex(2));
    // Soft state: the initial follower state at Start, then the changes;
    // everyone ends up following (or being) n1.
    ASSERT_GE(p.tracer.soft.size(), 2u);
    EXPECT_EQ(p.tracer.soft.front().role, Role::kFollower);
    EXPECT_EQ(p.tracer.soft.back().leader, n1);
  }
  EXPECT_EQ(peers_[n1].tracer.soft.back().role, Role::kLeader);
}

TEST_F(ServerTracerTest, RemovedTracerSeesNothing) {
  StartAll();
  RunFor(30 * kTickUs);
  RecordingTracer& t = peers_[n2].tracer;
  peers_[n2].server->SetTracer(nullptr);
  const size_t sent = t.sent.size(), received = t.received.size();
  const uint64_t readys = t.readys;
  const uint64_t messages_sent = peers_[n2].server->metrics().messages_sent;
  RunFor(10 * kTickUs);
  EXPECT_GT(peers_[n2].server->metrics().messages_sent, messages_sent);
  EXPECT_EQ(t.sent.size(), sent);
  EXPECT_EQ(t.received.size(), received);
  EXPECT_EQ(t.readys, readys);
}

}  // namespace
}  // namespace raftsim::raft
