// sim/simulator_membership_test.cc — the simulator's membership API on whole
// runs, with every checker of checkers/ watching (sim/check_adapter.h):
// adding a learner and promoting it, removing the leader, a joint change
// of two nodes, a leadership transfer, and a bootstrapped initial cluster.
// Single-threaded.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "sim/check_adapter.h"
#include "sim/coverage.h"
#include "sim/simulator.h"

namespace raftsim::sim {
namespace {

using raft::confchange::ChangeSingle;
using raft::confchange::ChangeType;
using raft::confchange::ConfChange;
using raft::confchange::Transition;

// Runs each step at its time (world events of the fault phase).
class Steps final : public Script {
 public:
  using Step = std::function<void(Simulator&)>;
  void At(int64_t us, Step step) { steps_.emplace_back(us, std::move(step)); }
  void Install(Simulator& sim) override {
    for (auto& [us, step] : steps_) {
      Step* s = &step;
      sim.queue().Schedule(us, kWorld, EventKind::kFault, false,
                           [&sim, s] { (*s)(sim); });
    }
  }

 private:
  std::vector<std::pair<int64_t, Step>> steps_;
};

SimOptions Quiet() {
  SimOptions o;
  o.nodes = 3;
  o.fault_ms = 1500;
  o.heal_ms = 4000;
  return o;
}

ConfChange One(ChangeType type, uint64_t node) {
  ConfChange c;
  c.changes.push_back(ChangeSingle{type, NodeId(node)});
  return c;
}

HostIndex Host(uint64_t id) { return HostIndex::Of(NodeId(id)); }

struct Outcome {
  RunResult result;
  raft::ConfState final_conf;
  std::optional<HostIndex> leader;
  std::vector<bool> retired;
  uint64_t changes_done = 0;
  std::string trace;
};

class Lines final : public TraceSink {
 public:
  void Line(std::string_view line) override {
    text.append(line);
    text.push_back('\n');
  }
  std::string text;
};

Outcome RunWith(const SimOptions& o, Steps& steps, uint64_t seed = 7) {
  Lines lines;
  Simulator sim(seed, o, &lines);
  CheckAdapter checkers;
  sim.ClearObservers();
  sim.AddObserver(&checkers);
  sim.SetScript(&steps, o.fault_ms * 1000);
  Outcome out;
  out.result = sim.Run();
  out.leader = sim.LeaderHost();
  if (out.leader.has_value()) {
    out.final_conf = sim.host(*out.leader).node()->membership().conf;
  }
  for (HostIndex h : Hosts(sim.host_count())) {
    out.retired.push_back(sim.host(h).retired());
  }
  out.changes_done = sim.membership_changes_done();
  out.trace = std::move(lines.text);
  return out;
}

std::vector<NodeId> Ids(std::initializer_list<uint64_t> ids) {
  std::vector<NodeId> out;
  for (uint64_t id : ids) out.push_back(NodeId(id));
  return out;
}

void ExpectOk(const Outcome& out) {
  ASSERT_EQ(out.result.kind, ResultKind::kOk)
      << out.result.detail << "\n"
      << out.trace.substr(out.trace.size() > 20000 ? out.trace.size() - 20000
                                                   : 0);
}

TEST(SimulatorMembership, AddLearnerThenPromote) {
  for (const int64_t bootstrap : {0, 1}) {
    SCOPED_TRACE(bootstrap);
    SimOptions o = Quiet();
    o.spare_hosts = 1;
    o.bootstrap = bootstrap;
    Steps steps;
    steps.At(300'000, [](Simulator& sim) {
      EXPECT_EQ(sim.StartSpare(Host(4)), "");
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kAddLearner, 4)),
          "");
    });
    steps.At(800'000, [](Simulator& sim) {
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kPromote, 4)), "");
    });
    const Outcome out = RunWith(o, steps);
    ExpectOk(out);
    EXPECT_EQ(out.changes_done, 2u);
    EXPECT_EQ(out.final_conf.voters, Ids({1, 2, 3, 4}));
    EXPECT_TRUE(absl::StrContains(out.trace, " membership done"));
    for (const EnvSituation s :
         {EnvSituation::kLearnerAdded, EnvSituation::kLearnerPromoted}) {
      EXPECT_EQ(out.result.coverage[CatalogueIndex(s)], 1u);
    }
  }
}

TEST(SimulatorMembership, RemoveTheLeader) {
  for (const int64_t keep : {0, 1}) {
    SCOPED_TRACE(keep);
    SimOptions o = Quiet();
    o.keep_removed = keep;
    std::optional<HostIndex> removed;
    Steps steps;
    steps.At(300'000, [&removed](Simulator& sim) {
      removed = sim.LeaderHost();
      ASSERT_TRUE(removed.has_value());
      EXPECT_EQ(sim.ChangeMembership(std::nullopt, One(ChangeType::kRemove,
                                                       removed->id().value())),
                "");
    });
    const Outcome out = RunWith(o, steps);
    ExpectOk(out);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(out.final_conf.voters.size(), 2u);
    EXPECT_TRUE(out.retired[removed->slot()]);
    ASSERT_TRUE(out.leader.has_value());
    EXPECT_NE(*out.leader, *removed);
    const std::vector<uint64_t>& c = out.result.coverage;
    EXPECT_EQ(c[CatalogueIndex(EnvSituation::kVoterRemoved)], 1u);
    EXPECT_EQ(c[CatalogueIndex(EnvSituation::kLeaderRemoved)], 1u);
  }
}

TEST(SimulatorMembership, JointChangeOfTwoNodes) {
  SimOptions o = Quiet();
  o.spare_hosts = 2;
  Steps steps;
  steps.At(300'000, [](Simulator& sim) {
    EXPECT_EQ(sim.StartSpare(Host(4)), "");
    EXPECT_EQ(sim.StartSpare(Host(5)), "");
    ConfChange c;
    c.transition = Transition::kJointAutoLeave;
    c.changes = {ChangeSingle{ChangeType::kAddVoter, NodeId(4)},
                 ChangeSingle{ChangeType::kRemove, NodeId(1)}};
    EXPECT_EQ(sim.ChangeMembership(std::nullopt, c), "");
  });
  steps.At(900'000, [](Simulator& sim) {
    ConfChange c;
    c.transition = Transition::kJointAutoLeave;
    c.changes = {ChangeSingle{ChangeType::kAddVoter, NodeId(5)},
                 ChangeSingle{ChangeType::kAddVoter, NodeId(1)}};
    // n1 was removed and retired; adding it back brings it back.
    EXPECT_EQ(sim.ChangeMembership(std::nullopt, c), "");
  });
  const Outcome out = RunWith(o, steps);
  ExpectOk(out);
  EXPECT_EQ(out.changes_done, 2u);
  EXPECT_EQ(out.final_conf.voters, Ids({1, 2, 3, 4, 5}));
  EXPECT_TRUE(out.final_conf.voters_outgoing.empty());
  EXPECT_FALSE(out.retired[0]);
  const std::vector<uint64_t>& c = out.result.coverage;
  EXPECT_EQ(c[CatalogueIndex(EnvSituation::kJointEntered)], 2u);
  EXPECT_EQ(c[CatalogueIndex(EnvSituation::kJointLeft)], 2u);
}

TEST(SimulatorMembership, TransferLeadership) {
  SimOptions o = Quiet();
  std::optional<HostIndex> target;
  Steps steps;
  steps.At(300'000, [&target](Simulator& sim) {
    const std::optional<HostIndex> leader = sim.LeaderHost();
    ASSERT_TRUE(leader.has_value());
    target = HostIndex((leader->value() + 1) % 3);
    EXPECT_EQ(sim.TransferLeadership(std::nullopt, *target), "");
  });
  const Outcome out = RunWith(o, steps);
  ExpectOk(out);
  ASSERT_TRUE(out.leader.has_value());
  EXPECT_EQ(*out.leader, *target);
  EXPECT_EQ(
      out.result.coverage[CatalogueIndex(EnvSituation::kTransferCompleted)],
      1u);
}

// Grows a 3-node cluster to 5 (two spare hosts added as learners, then
// promoted) and shrinks it back to 3 (removing n1 and n2, the leader among
// them when it is), while the clients write: every checker stays clean —
// durability (each acknowledged write is applied everywhere it must be)
// and linearizability of the whole history included.
TEST(SimulatorMembership, GrowThreeToFiveAndShrinkBackWhileClientsWrite) {
  for (const uint64_t seed : {3, 11, 29}) {
    SCOPED_TRACE(seed);
    SimOptions o = Quiet();
    o.fault_ms = 2000;
    o.spare_hosts = 2;
    o.clients = 4;
    o.get_weight = 1;
    o.put_weight = 5;
    o.append_weight = 5;
    Steps steps;
    steps.At(200'000, [](Simulator& sim) {
      EXPECT_EQ(sim.StartSpare(Host(4)), "");
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kAddLearner, 4)),
          "");
    });
    steps.At(400'000, [](Simulator& sim) {
      EXPECT_EQ(sim.StartSpare(Host(5)), "");
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kAddLearner, 5)),
          "");
    });
    steps.At(600'000, [](Simulator& sim) {
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kPromote, 4)), "");
    });
    steps.At(800'000, [](Simulator& sim) {
      EXPECT_EQ(
          sim.ChangeMembership(std::nullopt, One(ChangeType::kPromote, 5)), "");
    });
    std::vector<raft::NodeId> at_five;
    steps.At(1'000'000, [&at_five](Simulator& sim) {
      const std::optional<HostIndex> leader = sim.LeaderHost();
      ASSERT_TRUE(leader.has_value());
      at_five = sim.host(*leader).node()->membership().conf.voters;
      EXPECT_EQ(sim.ChangeMembership(std::nullopt, One(ChangeType::kRemove, 1)),
                "");
    });
    steps.At(1'300'000, [](Simulator& sim) {
      EXPECT_EQ(sim.ChangeMembership(std::nullopt, One(ChangeType::kRemove, 2)),
                "");
    });
    Lines lines;
    Simulator sim(seed, o, &lines);
    CheckAdapter checkers;
    sim.ClearObservers();
    sim.AddObserver(&checkers);
    sim.SetScript(&steps, o.fault_ms * 1000);
    const RunResult r = sim.Run();
    ASSERT_EQ(r.kind, ResultKind::kOk) << r.detail;
    EXPECT_EQ(at_five, Ids({1, 2, 3, 4, 5}));
    const std::optional<HostIndex> leader = sim.LeaderHost();
    ASSERT_TRUE(leader.has_value());
    EXPECT_EQ(sim.host(*leader).node()->membership().conf.voters,
              Ids({3, 4, 5}));
    EXPECT_EQ(sim.membership_changes_done(), 6u);
    EXPECT_TRUE(sim.host(Host(1)).retired());
    EXPECT_TRUE(sim.host(Host(2)).retired());
    // The clients wrote throughout, and the durability checker matched
    // their acknowledgements to log entries.
    EXPECT_GE(checkers.acks_matched(), 50u);
    int writes_ok = 0;
    for (const checkers::Operation& op : sim.History()) {
      if (op.kind != checkers::OpKind::kGet && op.completed()) ++writes_ok;
    }
    EXPECT_GE(writes_ok, 50);
  }
}

// A bootstrapped cluster with no change at all is as live and as clean as
// a static one.
TEST(SimulatorMembership, BootstrappedClusterRunsClean) {
  SimOptions o = Quiet();
  o.bootstrap = 1;
  o.nodes = 5;
  Steps steps;
  const Outcome out = RunWith(o, steps);
  ExpectOk(out);
  EXPECT_EQ(out.final_conf.voters, Ids({1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace raftsim::sim
