// raft/tracker/tracker_test.cc — ProgressTracker: configuration changes,
// commit index over (joint) voters with learners excluded (Raft Figure 2,
// §6), CheckQuorum activity (thesis §6.2) and vote counting (§5.2).

#include "raft/tracker/tracker.h"

#include <vector>

#include "gtest/gtest.h"
#include "raft/quorum/majority.h"

namespace raftsim::raft::tracker {
namespace {

using quorum::MajorityConfig;
using quorum::VoteResult;

NodeId N(uint64_t id) { return NodeId(id); }

Config Simple(std::vector<uint64_t> voters,
              std::vector<uint64_t> learners = {}) {
  Config c;
  for (uint64_t v : voters) c.voters.incoming.Insert(N(v));
  for (uint64_t l : learners) c.learners.push_back(N(l));
  c.Normalize();
  return c;
}

Config Joint(std::vector<uint64_t> in, std::vector<uint64_t> out,
             std::vector<uint64_t> learners = {}) {
  Config c = Simple(in, learners);
  for (uint64_t v : out) c.voters.outgoing.Insert(N(v));
  return c;
}

void SetMatch(ProgressTracker& t, uint64_t id, uint64_t match) {
  Progress* pr = t.Get(N(id));
  ASSERT_NE(pr, nullptr) << id;
  pr->MaybeUpdate(LogIndex(match));
}

TEST(Config, DescribeAndValidate) {
  Config c = Joint({1, 2}, {1, 2, 3}, {4});
  c.learners_next = {N(3)};
  c.auto_leave = true;
  EXPECT_TRUE(c.Validate().ok()) << c.Validate();
  EXPECT_EQ(c.Describe(),
            "voters=(n1 n2)&&(n1 n2 n3) learners=(n4) learners_next=(n3) "
            "autoleave");
  EXPECT_EQ(Simple({1, 2, 3}).Describe(), "voters=(n1 n2 n3)");
}

TEST(Config, ValidateRejectsBadConfigs) {
  EXPECT_FALSE(Simple({1, 2}, {2}).Validate().ok());  // Voter and learner.
  Config next_not_joint = Simple({1, 2});
  next_not_joint.learners_next = {N(2)};
  EXPECT_FALSE(next_not_joint.Validate().ok());
  Config next_not_outgoing = Joint({1, 2}, {1, 3});
  next_not_outgoing.learners_next = {N(2)};
  EXPECT_FALSE(next_not_outgoing.Validate().ok());
  Config auto_leave = Simple({1});
  auto_leave.auto_leave = true;
  EXPECT_FALSE(auto_leave.Validate().ok());
  Config unsorted = Simple({1});
  unsorted.learners = {N(5), N(4)};
  EXPECT_FALSE(unsorted.Validate().ok());
  Config no_node = Simple({1});
  no_node.learners = {kNoNode};
  EXPECT_FALSE(no_node.Validate().ok());
}

TEST(ProgressTracker, ApplyConfigCreatesSortedProgress) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({3, 1, 2}, {5}), LogIndex(10));
  EXPECT_EQ(t.VoterIds(), (std::vector<NodeId>{N(1), N(2), N(3)}));
  EXPECT_EQ(t.LearnerIds(), (std::vector<NodeId>{N(5)}));
  std::vector<NodeId> visited;
  t.VisitSorted([&](NodeId id, Progress& pr) {
    visited.push_back(id);
    EXPECT_EQ(pr.match(), LogIndex(0));
    EXPECT_EQ(pr.next(), LogIndex(11));
    EXPECT_EQ(pr.state(), ProgressState::kProbe);
    EXPECT_EQ(pr.is_learner(), id == N(5));
    // New members start recently active (CheckQuorum grace).
    EXPECT_TRUE(pr.recent_active());
  });
  EXPECT_EQ(visited, (std::vector<NodeId>{N(1), N(2), N(3), N(5)}));
  EXPECT_EQ(t.Get(N(4)), nullptr);
  EXPECT_EQ(
      t.Describe(),
      "voters=(n1 n2 n3) learners=(n5) "
      "n1:[StateProbe match=i0 next=i11] n2:[StateProbe match=i0 next=i11] "
      "n3:[StateProbe match=i0 next=i11] "
      "n5:[StateProbe match=i0 next=i11 learner]");
}

TEST(ProgressTracker, ApplyConfigKeepsProgressOfRemainingMembers) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1, 2, 3}), LogIndex(10));
  SetMatch(t, 2, 7);
  // Demote n3 (joint, via learners_next), add n4.
  Config joint = Joint({1, 2, 4}, {1, 2, 3});
  joint.learners_next = {N(3)};
  t.ApplyConfig(joint, LogIndex(20));
  EXPECT_EQ(t.Get(N(2))->match(), LogIndex(7));
  EXPECT_EQ(t.Get(N(4))->next(), LogIndex(21));
  EXPECT_FALSE(t.Get(N(3))->is_learner());
  // Leave the joint config: n3 becomes a learner, keeping its progress.
  SetMatch(t, 3, 9);
  t.ApplyConfig(Simple({1, 2, 4}, {3}), LogIndex(20));
  EXPECT_TRUE(t.Get(N(3))->is_learner());
  EXPECT_EQ(t.Get(N(3))->match(), LogIndex(9));
  // Remove n3 entirely.
  t.ApplyConfig(Simple({1, 2, 4}), LogIndex(20));
  EXPECT_EQ(t.Get(N(3)), nullptr);
}

TEST(ProgressTracker, ResetProgress) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1, 2}, {3}), LogIndex(5));
  SetMatch(t, 1, 5);
  SetMatch(t, 3, 4);
  t.ResetProgress(LogIndex(8));
  t.VisitSorted([](NodeId id, const Progress& pr) {
    EXPECT_EQ(pr.match(), LogIndex(0)) << id;
    EXPECT_EQ(pr.next(), LogIndex(9)) << id;
    EXPECT_FALSE(pr.recent_active()) << id;
  });
  EXPECT_TRUE(t.Get(N(3))->is_learner());
  t.CheckInvariants();
}

TEST(ProgressTracker, CommittedIgnoresLearners) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1, 2, 3}, {4, 5}), LogIndex(0));
  SetMatch(t, 1, 10);
  SetMatch(t, 4, 10);
  SetMatch(t, 5, 10);
  // Three learners-or-leader at 10, but only one voter: nothing committed.
  EXPECT_EQ(t.Committed(), LogIndex(0));
  SetMatch(t, 2, 8);
  EXPECT_EQ(t.Committed(), LogIndex(8));
  SetMatch(t, 3, 12);
  EXPECT_EQ(t.Committed(), LogIndex(10));
}

TEST(ProgressTracker, CommittedJointNeedsBothHalves) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Joint({1, 2, 3}, {1, 4, 5}), LogIndex(0));
  SetMatch(t, 1, 10);
  SetMatch(t, 2, 10);
  SetMatch(t, 3, 10);
  EXPECT_EQ(t.Committed(), LogIndex(0));  // Outgoing has only n1.
  SetMatch(t, 4, 6);
  EXPECT_EQ(t.Committed(), LogIndex(6));
  SetMatch(t, 5, 9);
  EXPECT_EQ(t.Committed(), LogIndex(9));
}

TEST(ProgressTracker, EmptyConfigCommitsEverything) {
  ProgressTracker t(16, 0);
  EXPECT_EQ(t.Committed(), quorum::kInfiniteIndex);
  EXPECT_FALSE(t.IsSingleton());
}

TEST(ProgressTracker, IsSingleton) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1}, {2}), LogIndex(0));
  EXPECT_TRUE(t.IsSingleton());
  t.ApplyConfig(Joint({1}, {1, 2}), LogIndex(0));
  EXPECT_FALSE(t.IsSingleton());
  t.ApplyConfig(Simple({1, 2}), LogIndex(0));
  EXPECT_FALSE(t.IsSingleton());
}

TEST(ProgressTracker, QuorumActive) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1, 2, 3}, {4}), LogIndex(0));
  t.ResetProgress(LogIndex(0));  // Everyone inactive.
  EXPECT_FALSE(t.QuorumActive());
  t.Get(N(1))->set_recent_active(true);
  t.Get(N(4))->set_recent_active(true);  // A learner does not help.
  EXPECT_FALSE(t.QuorumActive());
  t.Get(N(3))->set_recent_active(true);
  EXPECT_TRUE(t.QuorumActive());

  t.ApplyConfig(Joint({1, 2, 3}, {3, 5, 6}), LogIndex(0));
  t.Get(N(5))->set_recent_active(false);
  t.Get(N(6))->set_recent_active(false);
  EXPECT_FALSE(t.QuorumActive());  // Outgoing half: only n3.
  t.Get(N(6))->set_recent_active(true);
  EXPECT_TRUE(t.QuorumActive());
}

TEST(ProgressTracker, VotesSimpleMajority) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Simple({1, 2, 3, 4, 5}, {6}), LogIndex(0));
  EXPECT_EQ(t.TallyVotes().Describe(), "granted=0 rejected=0 pending");
  t.RecordVote(N(1), true);
  t.RecordVote(N(6), true);  // A learner's vote does not count.
  t.RecordVote(N(2), false);
  t.RecordVote(N(2), true);  // Only the first answer counts.
  EXPECT_EQ(t.TallyVotes().Describe(), "granted=1 rejected=1 pending");
  t.RecordVote(N(3), true);
  t.RecordVote(N(4), true);
  const VoteTally tally = t.TallyVotes();
  EXPECT_EQ(tally.granted, 3u);
  EXPECT_EQ(tally.rejected, 1u);
  EXPECT_EQ(tally.result, VoteResult::kWon);
  t.ResetVotes();
  EXPECT_EQ(t.TallyVotes().Describe(), "granted=0 rejected=0 pending");
  t.RecordVote(N(1), false);
  t.RecordVote(N(2), false);
  t.RecordVote(N(3), false);
  EXPECT_EQ(t.TallyVotes().result, VoteResult::kLost);
}

TEST(ProgressTracker, VotesJoint) {
  ProgressTracker t(16, 0);
  t.ApplyConfig(Joint({1, 2, 3}, {4, 5, 6}), LogIndex(0));
  t.RecordVote(N(1), true);
  t.RecordVote(N(2), true);
  EXPECT_EQ(t.TallyVotes().result, VoteResult::kPending);
  t.RecordVote(N(4), true);
  t.RecordVote(N(5), false);
  EXPECT_EQ(t.TallyVotes().result, VoteResult::kPending);
  t.RecordVote(N(6), false);
  EXPECT_EQ(t.TallyVotes().result, VoteResult::kLost);
  EXPECT_EQ(t.TallyVotes().Describe(), "granted=3 rejected=2 lost");
}

TEST(ProgressTrackerDeathTest, ApplyConfigRejectsInvalid) {
  ProgressTracker t(16, 0);
  EXPECT_DEATH(t.ApplyConfig(Simple({1, 2}, {2}), LogIndex(0)),
               "both voter and learner");
}

}  // namespace
}  // namespace raftsim::raft::tracker
