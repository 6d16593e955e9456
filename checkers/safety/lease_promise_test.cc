// With lease reads a follower grants no vote in a later term for an
// election timeout after a leader's heartbeat reached it: hand-built good
// and bad observations.

#include "checkers/safety/lease_promise.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;
using ::raftsim::checkers::testing::Heartbeat;
using ::raftsim::checkers::testing::VoteGrant;

// n1 leads t3; everyone is in t3 and promises 10 events (FakeCluster's
// events are 1 ms apart).
FakeCluster Cluster(int64_t promise_us = 10'000) {
  FakeCluster c(3);
  c.n(1).role_ = raft::Role::kLeader;
  for (int i : {1, 2, 3}) {
    c.n(i).term_ = Term(3);
    c.n(i).lease_promise = promise_us;
  }
  return c;
}

void Idle(FakeCluster& c, LeasePromise& checker, int events) {
  for (int i = 0; i < events; ++i) ASSERT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, VoteAfterThePromiseRanOutIsFine) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};
  EXPECT_TRUE(c.Step(checker).empty());  // Event 1.
  Idle(c, checker, 9);                   // Events 2..10.
  c.n(2).term_ = Term(4);
  c.sent = {VoteGrant(2, 3, 4)};  // Event 11: 10 ms later.
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, VoteWithinThePromiseIsCaught) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};
  EXPECT_TRUE(c.Step(checker).empty());  // Event 1.
  // n2 crashes and restarts at once, and votes for n3 in t4 (event 4).
  c.n(2).is_up = false;
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).Restart();
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).term_ = Term(4);
  c.sent = {VoteGrant(2, 3, 4)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "lease_promise");
  EXPECT_NE(
      v[0].description.find("n2 granted its vote in t4 to n3 3000us after a "
                            "heartbeat of n1 (leader of t3)"),
      std::string::npos)
      << v[0].description;
}

// A leader that sends TimeoutNow voids its lease (docs/membership.md, "The
// lease rule"): the transfer's target may collect the votes its heartbeats
// earned at once.
TEST(LeasePromise, AVoteForATransfersTargetIsFine) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};
  EXPECT_TRUE(c.Step(checker).empty());  // Event 1.
  SentMessage timeout_now;
  timeout_now.type = raft::MessageType::kTimeoutNow;
  timeout_now.from = NodeId(1);
  timeout_now.to = NodeId(3);
  timeout_now.term = Term(3);
  c.sent = {timeout_now};
  EXPECT_TRUE(c.Step(checker).empty());  // Event 2.
  c.n(2).term_ = Term(4);
  c.sent = {VoteGrant(2, 3, 4)};  // Event 3: well within the promise.
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, NoPromiseWithoutLeaseReads) {
  FakeCluster c = Cluster(/*promise_us=*/0);
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).term_ = Term(4);
  c.sent = {VoteGrant(2, 3, 4)};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, OnlyHeartbeatsTheNodeTookCount) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  // A stale heartbeat of t2 (n2 is in t3): refused, nothing promised to it.
  c.delivered = {Heartbeat(3, 2, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.n(2).term_ = Term(4);
  c.sent = {VoteGrant(2, 3, 4)};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, ARegrantInTheLeadersOwnTermIsFine) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.sent = {VoteGrant(2, 1, 3)};  // n2 voted for n1 in t3 ...
  EXPECT_TRUE(c.Step(checker).empty());
  c.delivered = {Heartbeat(1, 2, 3)};  // ... heard it lead ...
  EXPECT_TRUE(c.Step(checker).empty());
  c.sent = {VoteGrant(2, 1, 3)};  // ... and answers a duplicate request.
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, TheOlderTermCountsAfterANewerLeadersHeartbeat) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  Idle(c, checker, 9);
  // Event 11: n3 leads t4 (elected without n2) and n2 hears it.
  c.n(2).term_ = Term(4);
  c.delivered = {Heartbeat(3, 2, 4)};
  EXPECT_TRUE(c.Step(checker).empty());
  // Event 12: n2 votes in t5 one event after t4's heartbeat.
  c.n(2).term_ = Term(5);
  c.sent = {VoteGrant(2, 1, 5)};
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(
      v[0].description.find("1000us after a heartbeat of n3 (leader of t4)"),
      std::string::npos)
      << v[0].description;
}

// n1 (leader of t3) takes up a read and confirms it in the same event: a
// read from its lease.
void LeaseRead(FakeCluster& c, uint64_t context) {
  c.n(1).issued_reads = {{context, Term(3)}};
  c.n(1).confirmed_reads = {{context, LogIndex(7)}};
}

TEST(LeasePromise, LeaseReadWhileAQuorumsPromisesHold) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};  // Event 1, 1 ms.
  EXPECT_TRUE(c.Step(checker).empty());
  Idle(c, checker, 8);
  LeaseRead(c, 1);  // Event 10: 9 ms after n2 heard n1 (promise: 10 ms).
  EXPECT_TRUE(c.Step(checker).empty());
  // A read confirmed by a ReadIndex round (taken up in an earlier event)
  // does not rest on the promises.
  c.n(1).confirmed_reads = {{7, LogIndex(7)}};
  Idle(c, checker, 20);
  c.n(1).confirmed_reads = {{8, LogIndex(7)}};
  EXPECT_TRUE(c.Step(checker).empty());
}

TEST(LeasePromise, LeaseReadAfterThePromisesRanOut) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  c.delivered = {Heartbeat(1, 2, 3)};  // Event 1.
  EXPECT_TRUE(c.Step(checker).empty());
  Idle(c, checker, 9);
  LeaseRead(c, 1);  // Event 11: 10 ms after n2 heard n1.
  const std::vector<Violation> v = c.Step(checker);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].checker, "lease_promise");
  EXPECT_EQ(v[0].description,
            "n1 (leader of t3) served a read (index i7) from its lease while "
            "the promise of only 1 of 3 nodes (itself included) held: no "
            "quorum had heard a heartbeat of its term within an election "
            "timeout less a tick");
}

TEST(LeasePromise, AHeartbeatOfAnotherLeaderOrTermPromisesNothing) {
  FakeCluster c = Cluster();
  LeasePromise checker;
  // n2 heard n1 in t2 (n2 stayed there), n3 heard n2's t3 heartbeat: not
  // a promise to n1 as leader of t3.
  c.n(2).term_ = Term(2);
  c.delivered = {Heartbeat(1, 2, 2)};
  EXPECT_TRUE(c.Step(checker).empty());
  c.delivered = {Heartbeat(2, 3, 3)};
  EXPECT_TRUE(c.Step(checker).empty());
  LeaseRead(c, 1);
  EXPECT_EQ(c.Step(checker).size(), 1u);
}

}  // namespace
}  // namespace raftsim::checkers

namespace raftsim::checkers {
namespace {

using ::raftsim::raft::confchange::ChangeType;
using ::raftsim::raft::confchange::Transition;

TEST(LeasePromise, LeaseCountsTheLeadersConfigurationInForce) {
  // n1 has added n4 (not hosted here, so never promising): a lease needs 3
  // of (n1 n2 n3 n4).
  for (const bool both : {true, false}) {
    FakeCluster c = Cluster();
    LeasePromise checker;
    c.n(1).AppendConfig(
        3, {Transition::kSimple, {{ChangeType::kAddVoter, NodeId(4)}}});
    c.delivered = {Heartbeat(1, 2, 3)};
    if (both) c.delivered.push_back(Heartbeat(1, 3, 3));
    EXPECT_TRUE(c.Step(checker).empty());
    LeaseRead(c, 1);
    const std::vector<Violation> v = c.Step(checker);
    if (both) {
      EXPECT_TRUE(v.empty());
      continue;
    }
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].description,
              "n1 (leader of t3) served a read (index i7) from its lease "
              "while the promise of only 2 of (n1 n2 n3 n4) held (its "
              "configuration (n1 n2 n3 n4)): no quorum had heard a heartbeat "
              "of its term within an election timeout less a tick");
  }
}

}  // namespace
}  // namespace raftsim::checkers
