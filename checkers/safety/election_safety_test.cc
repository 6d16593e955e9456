// Election Safety (Raft §5.2): hand-built good and bad observations.

#include "checkers/safety/election_safety.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(ElectionSafety, OneLeaderPerTermOverTimeIsFine) {
  FakeCluster c(3);
  ElectionSafety checker;
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(2);
  EXPECT_TRUE(c.Step(checker).empty());
  // n1 steps down, n2 leads a later term.
  c.n(1).role_ = raft::Role::kFollower;
  c.n(1).term_ = Term(3);
  c.n(2).role_ = raft::Role::kLeader;
  c.n(2).term_ = Term(3);
  EXPECT_TRUE(c.Step(checker).empty());
  // A stale leader of an old term alongside a newer one is allowed.
  c.n(3).role_ = raft::Role::kLeader;
  c.n(3).term_ = Term(4);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ElectionSafety, TwoLeadersInOneTermAtOnce) {
  FakeCluster c(3);
  ElectionSafety checker;
  c.n(1).role_ = c.n(3).role_ = raft::Role::kLeader;
  c.n(1).term_ = c.n(3).term_ = Term(4);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "election_safety");
  EXPECT_EQ(v[0].event, 1u);
  EXPECT_EQ(v[0].description, "n1 and n3 both lead t4");
}

TEST(ElectionSafety, SecondLeaderOfATermLongAfterTheFirst) {
  FakeCluster c(3);
  ElectionSafety checker;
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(4);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).is_up = false;  // Crashed: it led t4 nonetheless.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).role_ = raft::Role::kLeader;
  c.n(2).term_ = Term(4);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].event, 3u);
  EXPECT_EQ(v[0].Describe(),
            "election_safety at event 3 (t=0.003000s): n1 and n2 both lead t4");
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

TEST(ElectionSafety, OneVotePerTermRepeatsAndRejectionsAreFine) {
  testing::FakeCluster c(3);
  ElectionSafety checker;
  c.sent = {testing::VoteGrant(2, 1, 2), testing::VoteGrant(2, 1, 2),
            testing::VoteGrant(2, 3, 3), testing::VoteGrant(3, 3, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  SentMessage reject = testing::VoteGrant(2, 3, 2);
  reject.reject = true;
  c.sent = {reject};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ElectionSafety, SecondVoteInATermEvenAfterARestart) {
  testing::FakeCluster c(3);
  ElectionSafety checker;
  c.sent = {testing::VoteGrant(2, 1, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Restart();
  c.sent = {testing::VoteGrant(2, 3, 2)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description, "n2 voted for n1 and n3 in t2");
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::Transition;

raft::ConfState ThreeVoterBase() {
  raft::ConfState base;
  base.voters = {NodeId(1), NodeId(2), NodeId(3)};
  return base;
}

TEST(ElectionSafety, LeaderNeedsAQuorumOfItsConfigurationInForce) {
  // n1 added n4 (uncommitted, in force on append): it needs 3 of 4 votes.
  testing::FakeCluster c(4);
  c.base_membership = ThreeVoterBase();
  ElectionSafety checker;
  c.n(1).AppendConfig(
      1, {Transition::kSimple, {{ChangeType::kAddVoter, NodeId(4)}}});
  c.sent = {testing::VoteGrant(2, 1, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(2);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 leads t2 with votes (its own included) from only 2 of (n1 n2 "
            "n3 n4), no quorum of its configuration (n1 n2 n3 n4) (set by "
            "i1)");
}

TEST(ElectionSafety, LeaderWithAQuorumOfItsConfigurationIsFine) {
  testing::FakeCluster c(4);
  c.base_membership = ThreeVoterBase();
  ElectionSafety checker;
  c.n(1).AppendConfig(
      1, {Transition::kSimple, {{ChangeType::kAddVoter, NodeId(4)}}});
  c.sent = {testing::VoteGrant(2, 1, 2), testing::VoteGrant(4, 1, 2)};
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(2);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ElectionSafety, JointLeaderNeedsBothHalvesAndLearnersNeverCount) {
  // ⟨(n1..n5), (n1 n2 n3)⟩: n4 and n5 make the incoming majority only.
  testing::FakeCluster c(6);
  raft::ConfState base = ThreeVoterBase();
  base.learners = {NodeId(6)};
  c.base_membership = base;
  ElectionSafety checker;
  c.n(1).AppendConfig(1, {Transition::kJointExplicit,
                          {{ChangeType::kAddVoter, NodeId(4)},
                           {ChangeType::kAddVoter, NodeId(5)}}});
  c.sent = {testing::VoteGrant(4, 1, 2), testing::VoteGrant(5, 1, 2),
            testing::VoteGrant(6, 1, 2)};
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(2);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 leads t2 with votes (its own included) from only 3 of (n1 n2 "
            "n3 n4 n5) and 1 of (n1 n2 n3), no quorum of its configuration "
            "(n1 n2 n3 n4 n5)&&(n1 n2 n3) learners=(n6) (set by i1)");
  // In the base membership with a learner, the learner's grant is no vote.
  testing::FakeCluster d(4);
  raft::ConfState with_learner = ThreeVoterBase();
  with_learner.learners = {NodeId(4)};
  d.base_membership = with_learner;
  ElectionSafety second;
  d.sent = {testing::VoteGrant(4, 1, 2)};
  d.n(1).role_ = raft::Role::kLeader;
  d.n(1).term_ = Term(2);
  EXPECT_EQ(d.Step(second).size(), 1u);
  d.sent = {testing::VoteGrant(2, 3, 3)};
  d.n(3).role_ = raft::Role::kLeader;
  d.n(3).term_ = Term(3);
  EXPECT_TRUE(d.Step(second).empty());
}

}  // namespace
}  // namespace raftsim::checkers
