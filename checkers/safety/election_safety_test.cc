// Election Safety (Raft §5.2): hand-built good and bad observations.

#include "checkers/safety/election_safety.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

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
