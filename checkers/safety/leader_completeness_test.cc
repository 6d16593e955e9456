// Leader Completeness (Raft §5.4): hand-built good and bad leaders.

#include "checkers/safety/leader_completeness.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

// n1 leads t2 and commits i1..i2 (term 2).
FakeCluster CommittedAtTerm2() {
  FakeCluster c(3);
  for (int id = 1; id <= 3; ++id) c.n(id).term_ = Term(2);
  c.n(1).role_ = raft::Role::kLeader;
  for (int id = 1; id <= 2; ++id) {
    c.n(id).Append(2, 21);
    c.n(id).Append(2, 22);
  }
  c.n(1).commit = LogIndex(2);
  return c;
}

TEST(LeaderCompleteness, NewLeaderHoldingTheCommittedPrefixIsFine) {
  FakeCluster c = CommittedAtTerm2();
  LeaderCompleteness checker;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).role_ = raft::Role::kFollower;
  c.n(2).role_ = raft::Role::kLeader;
  c.n(2).term_ = Term(3);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeaderCompleteness, NewLeaderMissingACommittedEntry) {
  FakeCluster c = CommittedAtTerm2();
  LeaderCompleteness checker;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(3).role_ = raft::Role::kLeader;
  c.n(3).term_ = Term(3);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "leader_completeness");
  EXPECT_EQ(v[0].description,
            "leader n3 of t3 lacks committed entry i2@t2 (committed under t2, "
            "reported by n1)");
}

TEST(LeaderCompleteness, NewLeaderWithADifferentEntryThere) {
  FakeCluster c = CommittedAtTerm2();
  LeaderCompleteness checker;
  c.n(3).Append(1, 11);
  c.n(3).Append(1, 12);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(3).role_ = raft::Role::kLeader;
  c.n(3).term_ = Term(4);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(LeaderCompleteness, StaleLeaderNeedNotHoldLaterCommits) {
  // n3 still leads t1 (partitioned) while t2's leader commits: no rule says
  // a leader of an *earlier* term holds entries committed later.
  FakeCluster c = CommittedAtTerm2();
  LeaderCompleteness checker;
  c.n(3).role_ = raft::Role::kLeader;
  c.n(3).term_ = Term(1);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeaderCompleteness,
     EntryCommittedInTheLeadersOwnTermIsNotRequiredOfOthers) {
  // The commit term is the reporter's term: entries committed under t3 do
  // not bind a leader of t3 elected elsewhere (that would be an election
  // safety violation, not this property).
  FakeCluster c(3);
  LeaderCompleteness checker;
  c.n(1).term_ = Term(3);
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).Append(3, 31);
  c.n(1).commit = LogIndex(1);
  c.n(2).term_ = Term(3);
  c.n(2).role_ = raft::Role::kLeader;
  EXPECT_TRUE(c.Step(checker).empty());
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

TEST(LeaderCompleteness, LeaderCommitsItsOwnTermEntriesAndEarlierOnesWithThem) {
  testing::FakeCluster c(3);
  LeaderCompleteness checker;
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(3);
  c.n(1).Append(2, 21);
  c.n(1).Append(3, 31);  // The new leader's no-op.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).commit = LogIndex(2);  // Commits i1@t2 indirectly: fine.
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeaderCompleteness, LeaderCommitsAnEarlierTermEntryByCounting) {
  // Figure 8: the leader of t4 counts replicas of i1@t2 and commits it.
  testing::FakeCluster c(3);
  LeaderCompleteness checker;
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).term_ = Term(4);
  c.n(1).Append(2, 21);
  c.n(1).Append(4, 41);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).commit = LogIndex(1);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "leader n1 of t4 committed i1@t2 by counting replicas (an entry "
            "of an earlier term; Raft 5.4.2)");
}

TEST(LeaderCompleteness, CommitLearnedBeforeLeadingIsNotCounting) {
  // A follower's commit index (learned from the old leader) covers an old
  // entry when it becomes leader: not a commit by counting.
  testing::FakeCluster c(3);
  LeaderCompleteness checker;
  c.n(1).term_ = Term(4);
  c.n(1).Append(2, 21);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).commit = LogIndex(1);
  c.n(1).role_ = raft::Role::kLeader;
  EXPECT_TRUE(c.Step(checker).empty());
}

}  // namespace
}  // namespace raftsim::checkers
