// A read is served only by the newest leader: hand-built good and bad
// observations.

#include "checkers/safety/read_leadership.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

// n1 leads t3; everyone is in t3.
FakeCluster Cluster() {
  FakeCluster c(3);
  c.n(1).role_ = raft::Role::kLeader;
  for (int i : {1, 2, 3}) c.n(i).term_ = Term(3);
  return c;
}

void Lead(FakeCluster& c, int leader, uint64_t term) {
  for (int i : {1, 2, 3}) {
    c.n(i).role_ = i == leader ? raft::Role::kLeader : raft::Role::kFollower;
  }
  c.n(leader).term_ = Term(term);
}

TEST(ReadLeadership, ReadsOfTheNewestLeaderAreFine) {
  FakeCluster c = Cluster();
  ReadLeadership checker;
  EXPECT_TRUE(c.Step(checker).empty());
  // A lease read: taken up and confirmed in one event.
  c.n(1).issued_reads = {{1, Term(3)}};
  c.n(1).confirmed_reads = {{1, LogIndex(5)}};
  EXPECT_TRUE(c.Step(checker).empty());
  // A ReadIndex read taken up now, confirmed after n2 was elected in t4:
  // its quorum acknowledged n1 before voting, so the read is still good.
  c.n(1).issued_reads = {{2, Term(3)}};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).role_ = raft::Role::kLeader;
  c.n(2).term_ = Term(4);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).confirmed_reads = {{2, LogIndex(6)}};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ReadLeadership, ReadTakenUpAfterANewerLeaderWasElected) {
  FakeCluster c = Cluster();
  ReadLeadership checker;
  EXPECT_TRUE(c.Step(checker).empty());  // Event 1: n1 leads t3.
  c.n(3).role_ = raft::Role::kLeader;    // Event 2: n3 elected in t4.
  c.n(3).term_ = Term(4);
  EXPECT_TRUE(c.Step(checker).empty());
  // Event 3: n1, deposed without knowing it, takes up a read and confirms
  // it at once (a lease that outlived the election, or no confirmation).
  c.n(1).issued_reads = {{7, Term(3)}};
  c.n(1).confirmed_reads = {{7, LogIndex(9)}};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "read_leadership");
  EXPECT_EQ(v[0].description,
            "n1 confirmed a read (index i9) it took up as leader of t3 at "
            "event 3 (t=3000us), when n3 had been leading t4 since event 2 "
            "(t=2000us)");
}

TEST(ReadLeadership, LeaderElectedInTheSameEventDoesNotCount) {
  FakeCluster c = Cluster();
  ReadLeadership checker;
  EXPECT_TRUE(c.Step(checker).empty());
  // Which ran first is not known: no claim.
  c.n(3).role_ = raft::Role::kLeader;
  c.n(3).term_ = Term(4);
  c.n(1).issued_reads = {{1, Term(3)}};
  c.n(1).confirmed_reads = {{1, LogIndex(2)}};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ReadLeadership, RestartAndNewTermForgetUnconfirmedReads) {
  FakeCluster c = Cluster();
  ReadLeadership checker;
  EXPECT_TRUE(c.Step(checker).empty());
  Lead(c, 2, 4);  // n2 leads t4; n1 (t3) does not know yet.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).role_ = raft::Role::kLeader;
  c.n(1).issued_reads = {{1, Term(3)}, {2, Term(3)}};
  EXPECT_TRUE(c.Step(checker).empty());
  // n1 restarts: context 1 of the new incarnation is another read.
  c.n(1).Restart();
  c.n(1).term_ = Term(5);
  Lead(c, 1, 5);
  c.n(1).issued_reads = {{1, Term(5)}};
  c.n(1).confirmed_reads = {{1, LogIndex(3)}};
  EXPECT_TRUE(c.Step(checker).empty());
  // Without the restart, a confirmation of context 2 would have fired; the
  // same read taken up again in t5 is fine.
  c.n(1).issued_reads = {{2, Term(5)}};
  c.n(1).confirmed_reads = {{2, LogIndex(3)}};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(ReadLeadership, UnconfirmedReadFiresOnlyWhenConfirmed) {
  FakeCluster c = Cluster();
  ReadLeadership checker;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).role_ = raft::Role::kLeader;
  c.n(2).term_ = Term(4);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).issued_reads = {{3, Term(3)}};
  EXPECT_TRUE(c.Step(checker).empty());  // A ReadIndex round that will fail.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).confirmed_reads = {{3, LogIndex(4)}};  // ... but it was confirmed.
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers
