// Membership changes chain correctly (thesis §4.1, §4.3): hand-built good
// and bad observations of configuration entries and of the configurations
// nodes report in force.

#include "checkers/safety/configuration_chain.h"

#include <vector>

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;
using ::raftsim::raft::ConfState;
using ::raftsim::raft::confchange::ChangeSingle;
using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::ConfChange;
using ::raftsim::raft::confchange::Transition;

std::vector<NodeId> Ids(std::initializer_list<uint64_t> ids) {
  std::vector<NodeId> out;
  for (const uint64_t id : ids) out.push_back(NodeId(id));
  return out;
}

ChangeSingle Add(uint64_t id) { return {ChangeType::kAddVoter, NodeId(id)}; }
ChangeSingle Remove(uint64_t id) { return {ChangeType::kRemove, NodeId(id)}; }

ConfState Voters(std::initializer_list<uint64_t> voters,
                 std::initializer_list<uint64_t> outgoing = {}) {
  ConfState conf;
  conf.voters = Ids(voters);
  conf.voters_outgoing = Ids(outgoing);
  return conf;
}

// A cluster of `nodes` hosts whose base membership is n1 n2 n3.
FakeCluster ThreeVoters(int nodes) {
  FakeCluster c(nodes);
  c.base_membership = Voters({1, 2, 3});
  return c;
}

TEST(ConfigurationChain, SingleServerJointAndLeaveAreFine) {
  FakeCluster c = ThreeVoters(5);
  ConfigurationChain checker;
  c.n(1).reported = raft::Membership{LogIndex(0), Voters({1, 2, 3})};
  c.n(1).Append(1, 11);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).AppendConfig(1, {Transition::kSimple, {Add(4)}});
  c.n(1).reported = raft::Membership{LogIndex(2), Voters({1, 2, 3, 4})};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).AppendConfig(1, {Transition::kJointExplicit, {Add(5), Remove(1)}});
  c.n(1).reported =
      raft::Membership{LogIndex(3), Voters({2, 3, 4, 5}, {1, 2, 3, 4})};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).AppendConfig(1, ConfChange::LeaveJoint());
  c.n(1).reported = raft::Membership{LogIndex(4), Voters({2, 3, 4, 5})};
  // Committed, and n2 holds the same log.
  c.n(2).log = c.n(1).log;
  c.n(1).commit = LogIndex(4);
  EXPECT_TRUE(c.Step(checker).empty());
  EXPECT_EQ(c.context().configurations().InForce(0).conf, Voters({2, 3, 4, 5}));
  EXPECT_EQ(c.context().configurations().InForceAt(1, LogIndex(3)).conf,
            Voters({2, 3, 4, 5}, {1, 2, 3, 4}));
  EXPECT_EQ(c.context().configurations().CommittedAt(LogIndex(2)).conf,
            Voters({1, 2, 3, 4}));
}

TEST(ConfigurationChain, TwoVotersAddedInOneSimpleStep) {
  FakeCluster c = ThreeVoters(5);
  ConfigurationChain checker;
  c.n(1).AppendConfig(1, {Transition::kSimple, {Add(4), Add(5)}});
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "configuration_chain");
  EXPECT_EQ(v[0].description.substr(0, 94),
            "n1's configuration entry i1@t1 (simple [add-voter(n4) "
            "add-voter(n5)]) on (n1 n2 n3) is refused");
  EXPECT_NE(v[0].description.find("is refused by the Changer"),
            std::string::npos)
      << v[0].description;
  EXPECT_NE(v[0].description.find(
                "it changes 2 voters in one single-server step ((n1 n2 n3) "
                "-> (n1 n2 n3 n4 n5): +n4 +n5)"),
            std::string::npos)
      << v[0].description;
}

TEST(ConfigurationChain, TwoVotersInOneAutoChangeGoThroughJoint) {
  FakeCluster c = ThreeVoters(5);
  ConfigurationChain checker;
  c.n(1).AppendConfig(1, {Transition::kAuto, {Add(4), Add(5)}});
  EXPECT_TRUE(c.Step(checker).empty());
  ConfState joint = Voters({1, 2, 3, 4, 5}, {1, 2, 3});
  joint.auto_leave = true;
  EXPECT_EQ(c.context().configurations().InForce(0).conf, joint);
}

TEST(ConfigurationChain, JointEnteredFromJoint) {
  FakeCluster c = ThreeVoters(5);
  ConfigurationChain checker;
  c.n(1).AppendConfig(1, {Transition::kJointExplicit, {Add(4)}});
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).AppendConfig(1, {Transition::kJointExplicit, {Add(5)}});
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].description.find(
                "it enters the joint configuration (n1 n2 n3 n4 n5)&&(n1 n2 "
                "n3 n4) from the joint one (n1 n2 n3 n4)&&(n1 n2 n3)"),
            std::string::npos)
      << v[0].description;
}

TEST(ConfigurationChain, LeavingToTheWrongHalf) {
  FakeCluster c = ThreeVoters(4);
  ConfigurationChain checker;
  c.n(1).AppendConfig(1, {Transition::kJointExplicit, {Add(4)}});
  c.n(1).reported =
      raft::Membership{LogIndex(1), Voters({1, 2, 3, 4}, {1, 2, 3})};
  EXPECT_TRUE(c.Step(checker).empty());
  // n1 leaves to the outgoing half.
  c.n(1).AppendConfig(1, ConfChange::LeaveJoint());
  c.n(1).reported = raft::Membership{LogIndex(2), Voters({1, 2, 3})};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 reports (n1 n2 n3) (set by i2) in force, but its log says "
            "(n1 n2 n3 n4) (set by i2); the reported one leaves the joint "
            "configuration (n1 n2 n3 n4)&&(n1 n2 n3) for (n1 n2 n3), not for "
            "its incoming half (n1 n2 n3 n4)");
}

TEST(ConfigurationChain, ReportedConfigurationMustRevertOnTruncation) {
  FakeCluster c = ThreeVoters(4);
  ConfigurationChain checker;
  c.n(2).Append(1, 11);
  c.n(2).AppendConfig(1, {Transition::kSimple, {Add(4)}});
  c.n(2).reported = raft::Membership{LogIndex(2), Voters({1, 2, 3, 4})};
  EXPECT_TRUE(c.Step(checker).empty());
  // A leader of t2 replaces i2: the change is gone, the base is back...
  c.n(2).log.pop_back();
  c.n(2).Append(2, 21);
  c.n(2).changed_from = LogIndex(2);
  c.n(2).reported = raft::Membership{LogIndex(0), Voters({1, 2, 3})};
  EXPECT_TRUE(c.Step(checker).empty());
  EXPECT_EQ(c.context().configurations().InForce(1).conf, Voters({1, 2, 3}));
  // ...unless the node keeps the truncated one in force.
  c.n(2).Append(2, 22);
  c.n(2).changed_from = LogIndex(3);
  c.n(2).reported = raft::Membership{LogIndex(2), Voters({1, 2, 3, 4})};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2 reports (n1 n2 n3 n4) (set by i2) in force, but its log says "
            "(n1 n2 n3) (set by the base membership)");
}

TEST(ConfigurationChain, DifferentConfigurationsAtOneCommittedIndex) {
  FakeCluster c = ThreeVoters(5);
  ConfigurationChain checker;
  c.n(1).AppendConfig(1, {Transition::kSimple, {Add(4)}});
  c.n(2).AppendConfig(2, {Transition::kSimple, {Add(5)}});
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).commit = LogIndex(1);
  // Committed on n1 only: n2's entry is a divergent one a leader will
  // replace.
  EXPECT_TRUE(c.Step(checker).empty());
  // n2 takes its own for committed.
  c.n(2).commit = LogIndex(1);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2's configuration set by committed i1 is (n1 n2 n3 n5), but the "
            "committed one there is (n1 n2 n3 n4)");
}

TEST(ConfigurationChain, ConfigurationEntryWhereTheCommittedLogHasNone) {
  FakeCluster c = ThreeVoters(4);
  ConfigurationChain checker;
  c.n(1).Append(1, 11);
  c.n(2).AppendConfig(2, {Transition::kSimple, {Add(4)}});
  c.n(3).Append(1, 11);
  c.n(1).commit = LogIndex(1);
  c.n(2).commit = LogIndex(1);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n2 holds a configuration entry ((n1 n2 n3 n4)) at committed i1, "
            "where the committed log has none");
}

TEST(ConfigurationChain, StaticMembershipReportsNothing) {
  FakeCluster c(3);
  ConfigurationChain checker;
  for (int id = 1; id <= 3; ++id) {
    c.n(id).Append(1, 11);
    c.n(id).reported = raft::Membership{LogIndex(0), Voters({1, 2, 3})};
  }
  c.n(1).commit = LogIndex(1);
  EXPECT_TRUE(c.Step(checker).empty());
  // A node that reports a configuration no entry set.
  c.n(3).reported = raft::Membership{LogIndex(0), Voters({1, 2})};
  c.n(3).Append(1, 12);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n3 reports (n1 n2) (set by i0) in force, but its log says "
            "(n1 n2 n3) (set by the base membership)");
}

TEST(ConfigurationChain, SnapshotBaseComesFromTheCommittedHistory) {
  FakeCluster c = ThreeVoters(4);
  ConfigurationChain checker;
  c.n(1).Append(1, 11);
  c.n(1).AppendConfig(1, {Transition::kSimple, {Add(4)}});
  c.n(1).Append(1, 13);
  c.n(1).commit = LogIndex(3);
  EXPECT_TRUE(c.Step(checker).empty());
  // n4 installs a snapshot at i3: its configuration is the committed one.
  c.n(4).base = LogIndex(3);
  c.n(4).base_term = Term(1);
  c.n(4).reported = raft::Membership{LogIndex(3), Voters({1, 2, 3, 4})};
  EXPECT_TRUE(c.Step(checker).empty());
  EXPECT_EQ(c.context().configurations().InForce(3).conf, Voters({1, 2, 3, 4}));
  // n1 compacts its own log past the entry.
  c.n(1).log.erase(c.n(1).log.begin(), c.n(1).log.begin() + 2);
  c.n(1).base = LogIndex(2);
  c.n(1).base_term = Term(1);
  EXPECT_TRUE(c.Step(checker).empty());
  EXPECT_EQ(c.context().configurations().InForce(0).conf, Voters({1, 2, 3, 4}));
}

TEST(Configurations, WhyNotChained) {
  EXPECT_FALSE(WhyNotChained(Voters({}), Voters({1, 2, 3})).has_value());
  EXPECT_FALSE(WhyNotChained(Voters({1, 2, 3}), Voters({1, 2})).has_value());
  EXPECT_FALSE(
      WhyNotChained(Voters({1, 2, 3}), Voters({1, 4}, {1, 2, 3})).has_value());
  EXPECT_FALSE(
      WhyNotChained(Voters({1, 4}, {1, 2, 3}), Voters({1, 4})).has_value());
  EXPECT_TRUE(WhyNotChained(Voters({1, 2, 3}), Voters({1, 4})).has_value());
  EXPECT_TRUE(
      WhyNotChained(Voters({1, 2}), Voters({1, 4}, {1, 2, 3})).has_value());
  EXPECT_TRUE(
      WhyNotChained(Voters({1, 4}, {1, 2, 3}), Voters({1, 2, 3})).has_value());
}

TEST(Configurations, IsQuorumCountsEachHalfAndNeverLearners) {
  ConfState conf = Voters({1, 2, 3, 4, 5}, {1, 2, 3});
  conf.learners = Ids({6});
  const auto of = [](std::vector<uint64_t> ids) {
    return [ids](NodeId id) {
      for (const uint64_t i : ids) {
        if (id == NodeId(i)) return true;
      }
      return false;
    };
  };
  EXPECT_TRUE(IsQuorum(conf, of({1, 2, 4})));
  EXPECT_FALSE(IsQuorum(conf, of({1, 4, 5})));  // 1 of the outgoing half.
  EXPECT_FALSE(IsQuorum(conf, of({1, 2, 6})));  // The learner is no voter.
  EXPECT_FALSE(IsQuorum(Voters({}), of({1})));
}

}  // namespace
}  // namespace raftsim::checkers
