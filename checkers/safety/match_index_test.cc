// A leader's match index is true: hand-built good and bad observations.

#include "checkers/safety/match_index.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

// n1 leads t3 with entries i1@t1 i2@t3 i3@t3; n2 follows in t3.
FakeCluster Cluster() {
  FakeCluster c(3);
  c.n(1).role_ = raft::Role::kLeader;
  for (int i : {1, 2, 3}) c.n(i).term_ = Term(3);
  c.n(1).Append(1, 11);
  c.n(1).Append(3, 12);
  c.n(1).Append(3, 13);
  c.n(1).match = {LogIndex(3), LogIndex(0), LogIndex(0)};
  return c;
}

TEST(MatchIndex, TrueMatchesAndFollowersInOtherTermsAreFine) {
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).Append(1, 11);
  c.n(2).Append(3, 12);
  c.n(1).match[1] = LogIndex(2);  // n2 holds i2@t3.
  EXPECT_TRUE(c.Step(checker).empty());
  // n3 claims nothing (match 0), then moves to a later term: no claim.
  c.n(3).term_ = Term(4);
  c.n(1).match[2] = LogIndex(3);
  EXPECT_TRUE(c.Step(checker).empty());
  // A snapshot on n2 covering i2 also holds it.
  c.n(2).log.clear();
  c.n(2).base = LogIndex(2);
  c.n(2).base_term = Term(3);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(MatchIndex, MatchBeyondTheFollowersLog) {
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).Append(1, 11);
  c.n(1).match[1] = LogIndex(3);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "match_index");
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i3@t3 for n2, but n2 has entries "
            "only up to i1");
}

TEST(MatchIndex, StaleAckFromAnOverwrittenSuffix) {
  // n2 acknowledged i2 in t2 (a t2 entry); n1 now leads t3 with i2@t3 and
  // counted that acknowledgement.
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).Append(1, 11);
  c.n(2).Append(2, 22);
  c.n(1).match[1] = LogIndex(2);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i2@t3 for n2, but n2 holds "
            "i2@t2");
}

TEST(MatchIndex, AckCountedFromAFollowerStillInAnEarlierTerm) {
  // n2 is still in t2 and holds i2@t2: whatever n1 records for it came
  // from an earlier term. Where the logs agree the match is still true.
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).term_ = Term(2);
  c.n(2).Append(1, 11);
  c.n(1).match[1] = LogIndex(1);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Append(2, 22);
  c.n(1).match[1] = LogIndex(2);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i2@t3 for n2, but n2 holds "
            "i2@t2");
}

TEST(MatchIndex, SameTermOtherContent) {
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).Append(1, 11);
  c.n(2).Append(3, 99);
  c.n(1).match[1] = LogIndex(2);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i2@t3 for n2, but n2 holds other "
            "content at i2@t3");
}

TEST(MatchIndex, CheckedWhenOnlyTheFollowerRan) {
  FakeCluster c = Cluster();
  MatchIndex checker;
  c.n(2).Append(1, 11);
  c.n(2).Append(3, 12);
  c.n(1).match[1] = LogIndex(2);
  EXPECT_TRUE(c.Step(checker).empty());
  // Only n2 runs (touched), and loses i2: n1's claim is now false.
  c.n(2).log.pop_back();
  ClusterView view = c.View();
  const int touched[] = {1};
  view.touched_all = false;
  view.touched = touched;
  std::vector<Violation> out;
  checker.Observe(view, c.context(), &out);
  c.EndEvent();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].description.find("n2 has entries only up to i1"),
            std::string::npos);
}

}  // namespace
}  // namespace raftsim::checkers
