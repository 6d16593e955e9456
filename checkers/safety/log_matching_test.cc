// Log Matching (Raft §5.3): hand-built good and bad logs.

#include "checkers/safety/log_matching.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(LogMatching, EqualPrefixesAndDivergentUncommittedTailsAreFine) {
  FakeCluster c(3);
  LogMatching checker;
  for (int id = 1; id <= 3; ++id) {
    c.n(id).Append(1, 11);
    c.n(id).Append(1, 12);
  }
  // n3 holds a different entry of a different term at i3: allowed.
  c.n(1).Append(2, 23);
  c.n(3).Append(3, 33);
  EXPECT_TRUE(c.Step(checker).empty());
  // n3 truncates i3 and takes n1's entry; then everyone appends.
  c.n(3).log.pop_back();
  c.n(3).Append(2, 23);
  for (int id = 1; id <= 3; ++id) c.n(id).changed_from = LogIndex(3);
  c.n(2).Append(2, 23);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LogMatching, SameIndexAndTermDifferentEntry) {
  FakeCluster c(2);
  LogMatching checker;
  c.n(1).Append(1, 11);
  c.n(2).Append(1, 99);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "log_matching");
  EXPECT_NE(v[0].description.find("n2 holds i1@t1"), std::string::npos);
}

TEST(LogMatching, SameEntryDifferentPrefix) {
  // The skip-the-prev-check bug: n2 takes i3@t2 on top of its own i2.
  FakeCluster c(2);
  LogMatching checker;
  c.n(1).Append(1, 11);
  c.n(1).Append(2, 22);
  c.n(1).Append(2, 23);
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Append(2, 23);
  c.n(2).changed_from = LogIndex(3);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].description.find("n2 holds i3@t2"), std::string::npos);
}

// A single voter elects itself without a vote request, so it appends in a
// term its disk has not recorded yet. A crash then loses the term and the
// entries, and the restarted node may win the same term again and append
// something else there: nobody ever saw the first entry. Found by the
// simulator (a 1-node cluster, seed 995 of the default sweep).
TEST(LogMatching, SingleVoterReusesATermItsDiskNeverRecorded) {
  FakeCluster c(1);
  LogMatching checker;
  c.n(1).term_ = Term(2);
  c.n(1).Append(2, 21);
  c.n(1).SyncAll();
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).term_ = Term(3);
  c.n(1).Append(3, 31);  // Memory only; durable term is t2.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).log.pop_back();  // Crash: lost, with the term.
  c.n(1).term_ = Term(2);
  c.n(1).is_up = false;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).Restart();
  c.n(1).term_ = Term(3);
  c.n(1).Append(3, 32);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LogMatching, ReusingATermOnceItWasDurableIsCaught) {
  FakeCluster c(1);
  LogMatching checker;
  c.n(1).term_ = Term(3);
  c.n(1).Append(3, 31);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).durable_hs = {Term(3), NodeId(1), LogIndex(0)};  // Term recorded.
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).log.pop_back();
  c.n(1).is_up = false;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).Restart();
  c.n(1).Append(3, 32);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(LogMatching, ReusingATermAnotherLogHeldIsCaught) {
  // n1 led t3 without recording it, but n2 took its entry: the pair was
  // seen, so appending another entry there after the restart is a
  // violation even though n1's disk never held t3.
  FakeCluster c(2);
  LogMatching checker;
  c.n(1).term_ = Term(3);
  c.n(1).Append(3, 31);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Append(3, 31);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).log.pop_back();
  c.n(1).is_up = false;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).Restart();
  c.n(1).Append(3, 32);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(LogMatching, CaughtAcrossTimeAfterTheFirstHolderTruncated) {
  FakeCluster c(2);
  LogMatching checker;
  c.n(1).Append(1, 11);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).log.clear();
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Append(1, 12);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(LogMatching, TheHintIsOnlyAHint) {
  // An interior rewrite with an unchanged tail term, reported by a wrong
  // (too high) hint, is still found through the tail-term safety net when
  // the term at the old end changed.
  FakeCluster c(2);
  LogMatching checker;
  c.n(1).Append(1, 11);
  c.n(1).Append(1, 12);
  c.n(2).Append(1, 11);
  c.n(2).Append(1, 12);
  c.n(1).changed_from = c.n(2).changed_from = LogIndex(UINT64_MAX);
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).log[1] = {Term(2), 99};
  EXPECT_TRUE(c.Step(checker).empty());  // New entry i2@t2: fine so far.
  c.n(1).log[1] = {Term(2), 98};
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(LogMatching, SnapshotBaseAnchorsTheChain) {
  FakeCluster c(2);
  LogMatching checker;
  for (uint64_t i = 1; i <= 4; ++i) c.n(1).Append(1, 10 + i);
  EXPECT_TRUE(c.Step(checker).empty());
  // n2 restores n1's snapshot at i3 and then copies i4: consistent.
  c.n(2).base = LogIndex(3);
  c.n(2).base_term = Term(1);
  c.n(2).Append(1, 14);
  EXPECT_TRUE(c.Step(checker).empty());
  // n1 compacts to i2: still consistent.
  c.n(1).log.erase(c.n(1).log.begin(), c.n(1).log.begin() + 2);
  c.n(1).base = LogIndex(2);
  c.n(1).base_term = Term(1);
  c.n(1).Append(1, 15);
  c.n(2).Append(1, 15);
  EXPECT_TRUE(c.Step(checker).empty());
}

}  // namespace
}  // namespace raftsim::checkers
