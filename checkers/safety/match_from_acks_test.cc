// A leader's match index comes from acknowledgements of its own term:
// hand-built good and bad observations.

#include "checkers/safety/match_from_acks.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::AppendAck;
using ::raftsim::checkers::testing::FakeCluster;

// n1 leads t3; n2 and n3 follow; nobody has acknowledged anything yet.
FakeCluster Cluster() {
  FakeCluster c(3);
  c.n(1).role_ = raft::Role::kLeader;
  for (int i : {1, 2, 3}) c.n(i).term_ = Term(3);
  for (int i = 1; i <= 4; ++i) c.n(1).Append(3, 10 + i);
  c.n(1).match = {LogIndex(4), LogIndex(0), LogIndex(0)};
  return c;
}

TEST(MatchFromAcks, MatchesUpToWhatWasAcknowledgedInTheTerm) {
  FakeCluster c = Cluster();
  MatchFromAcks checker;
  EXPECT_TRUE(c.Step(checker).empty());
  // n2 acknowledges i2 in t3; the leader steps it in the same event.
  c.delivered = {AppendAck(2, 1, 3, 2, 3)};
  c.n(1).match[1] = LogIndex(2);
  EXPECT_TRUE(c.Step(checker).empty());
  // An acknowledgement delivered now and stepped in a later event (a
  // paused node, a busy event loop) still counts.
  c.delivered = {AppendAck(2, 1, 3, 4, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(1).match[1] = LogIndex(4);
  EXPECT_TRUE(c.Step(checker).empty());
  // A snapshot reply of the term justifies its index too.
  SentMessage snap = AppendAck(3, 1, 3, 3, 0);
  snap.type = raft::MessageType::kSnapshotReply;
  c.delivered = {snap};
  c.n(1).match[2] = LogIndex(3);
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(MatchFromAcks, AStaleAcknowledgementCounted) {
  FakeCluster c = Cluster();
  MatchFromAcks checker;
  // n2's acknowledgement of i4 from t1 reaches n1, which leads t3, and n1
  // counts it (n2's log there may long have changed).
  c.delivered = {AppendAck(2, 1, 1, 4, 1)};
  c.n(1).match[1] = LogIndex(4);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "match_from_acks");
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i4 for n2, but n2 acknowledged "
            "nothing to it in t3 (the last it acknowledged to it was up to "
            "i4 in t1)");
}

TEST(MatchFromAcks, BeyondWhatTheTermsAcknowledgementsCovered) {
  FakeCluster c = Cluster();
  MatchFromAcks checker;
  c.delivered = {AppendAck(2, 1, 3, 2, 3)};
  c.n(1).match[1] = LogIndex(2);
  EXPECT_TRUE(c.Step(checker).empty());
  // A rejection is no acknowledgement; a match taken from what was sent.
  SentMessage reject = AppendAck(2, 1, 3, 4, 3);
  reject.reject = true;
  c.delivered = {reject};
  c.n(1).match[1] = LogIndex(4);
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) records match i4 for n2, but n2 acknowledged "
            "only up to i2 to it in t3");
}

TEST(MatchFromAcks, AnAcknowledgementToAnotherLeaderDoesNotCount) {
  FakeCluster c = Cluster();
  MatchFromAcks checker;
  // n2 acknowledged i4 in t3 — to n3, not to n1.
  c.delivered = {AppendAck(2, 3, 3, 4, 3)};
  c.n(1).match[1] = LogIndex(4);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

TEST(MatchFromAcks, ANewTermStartsFromNothing) {
  FakeCluster c = Cluster();
  MatchFromAcks checker;
  c.delivered = {AppendAck(2, 1, 3, 4, 3)};
  c.n(1).match[1] = LogIndex(4);
  EXPECT_TRUE(c.Step(checker).empty());
  // n1 is re-elected in t5 and keeps the old match: not justified.
  for (int i : {1, 2, 3}) c.n(i).term_ = Term(5);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers
