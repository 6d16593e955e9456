// raft/confchange/changer_test.cc — every transition of the Changer and
// every refusal, on configurations written as Describe() strings.

#include "raft/confchange/changer.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::raft::confchange {
namespace {

std::vector<NodeId> Ids(std::initializer_list<uint64_t> ids) {
  std::vector<NodeId> out;
  for (uint64_t id : ids) out.push_back(NodeId(id));
  return out;
}

tracker::Config Cfg(std::initializer_list<uint64_t> voters,
                    std::initializer_list<uint64_t> learners = {}) {
  tracker::Config c;
  const std::vector<NodeId> v = Ids(voters);
  c.voters.incoming = quorum::MajorityConfig(absl::MakeConstSpan(v));
  c.learners = Ids(learners);
  return c;
}

ChangeSingle AddV(uint64_t id) { return {ChangeType::kAddVoter, NodeId(id)}; }
ChangeSingle AddL(uint64_t id) { return {ChangeType::kAddLearner, NodeId(id)}; }
ChangeSingle Promote(uint64_t id) { return {ChangeType::kPromote, NodeId(id)}; }
ChangeSingle Demote(uint64_t id) { return {ChangeType::kDemote, NodeId(id)}; }
ChangeSingle Remove(uint64_t id) { return {ChangeType::kRemove, NodeId(id)}; }

ConfChange Change(Transition t, std::vector<ChangeSingle> changes) {
  return ConfChange{t, std::move(changes)};
}

// The resulting configuration's Describe(), or "error: <message>".
std::string Outcome(const tracker::Config& from, const ConfChange& change) {
  const absl::StatusOr<tracker::Config> next = Changer(from).Apply(change);
  if (!next.ok()) return "error: " + std::string(next.status().message());
  EXPECT_TRUE(next->Validate().ok()) << next->Describe();
  return next->Describe();
}

bool Refused(const tracker::Config& from, const ConfChange& change,
             const std::string& needle) {
  const absl::StatusOr<tracker::Config> next = Changer(from).Apply(change);
  if (next.ok()) {
    ADD_FAILURE() << "accepted: " << next->Describe();
    return false;
  }
  if (std::string(next.status().message()).find(needle) == std::string::npos) {
    ADD_FAILURE() << "wrong error: " << next.status();
    return false;
  }
  return true;
}

TEST(ChangerSimple, AddVoter) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}), Change(Transition::kSimple, {AddV(4)})),
            "voters=(n1 n2 n3 n4)");
}

TEST(ChangerSimple, AddLearner) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}), Change(Transition::kSimple, {AddL(4)})),
            "voters=(n1 n2 n3) learners=(n4)");
}

TEST(ChangerSimple, PromoteLearner) {
  EXPECT_EQ(
      Outcome(Cfg({1, 2, 3}, {4}), Change(Transition::kSimple, {Promote(4)})),
      "voters=(n1 n2 n3 n4)");
}

TEST(ChangerSimple, DemoteVoter) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}), Change(Transition::kSimple, {Demote(3)})),
            "voters=(n1 n2) learners=(n3)");
}

TEST(ChangerSimple, RemoveVoterAndLearner) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}, {4}),
                    Change(Transition::kSimple, {Remove(3), Remove(4)})),
            "voters=(n1 n2)");
}

TEST(ChangerSimple, ManyLearnersChangeNoVoter) {
  EXPECT_EQ(Outcome(Cfg({1}), Change(Transition::kSimple,
                                     {AddL(2), AddL(3), AddL(4), Promote(2)})),
            "voters=(n1 n2) learners=(n3 n4)");
}

TEST(ChangerSimple, RefusesMoreThanOneVoter) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}),
                      Change(Transition::kSimple, {AddV(4), AddV(5)}),
                      "at most one voter"));
  // One add and one remove is two voters changed (thesis §4.1, the
  // one-add-one-remove hazard).
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}),
                      Change(Transition::kSimple, {AddV(4), Remove(1)}),
                      "at most one voter"));
}

TEST(ChangerSimple, RefusedInJoint) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3})).EnterJoint(false, {{AddV(4)}});
  ASSERT_TRUE(joint.ok());
  EXPECT_TRUE(Refused(*joint, Change(Transition::kSimple, {AddL(5)}),
                      "joint configuration"));
  EXPECT_TRUE(Refused(*joint, Change(Transition::kAuto, {AddL(5)}),
                      "joint configuration"));
}

TEST(ChangerSimple, RefusesRemovingTheLastVoter) {
  EXPECT_TRUE(Refused(Cfg({1}), Change(Transition::kSimple, {Remove(1)}),
                      "last voter"));
  EXPECT_TRUE(Refused(Cfg({1}, {2}), Change(Transition::kSimple, {Demote(1)}),
                      "last voter"));
}

TEST(ChangerSimple, RefusesAddingTwice) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {AddV(3)}),
                      "already a member (voter)"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}, {4}),
                      Change(Transition::kSimple, {AddL(4)}),
                      "already a member (learner)"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}, {4}),
                      Change(Transition::kSimple, {AddV(4)}),
                      "already a member (learner)"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}),
                      Change(Transition::kSimple, {AddL(5), AddL(5)}),
                      "already a member"));
}

TEST(ChangerSimple, RefusesUnknownNodes) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {Remove(9)}),
                      "unknown node"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {Promote(9)}),
                      "unknown node"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {Demote(9)}),
                      "unknown node"));
}

TEST(ChangerSimple, RefusesPromotingAVoterAndDemotingALearner) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {Promote(2)}),
                      "already a voter"));
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}, {4}),
                      Change(Transition::kSimple, {Demote(4)}),
                      "already a learner"));
}

TEST(ChangerSimple, RefusesNodeZero) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), Change(Transition::kSimple, {AddV(0)}),
                      "node n0"));
}

TEST(ChangerAuto, OneVoterIsSimple) {
  EXPECT_EQ(
      Outcome(Cfg({1, 2, 3}), Change(Transition::kAuto, {AddV(4), AddL(5)})),
      "voters=(n1 n2 n3 n4) learners=(n5)");
}

TEST(ChangerAuto, TwoVotersEnterJointWithAutoLeave) {
  EXPECT_EQ(
      Outcome(Cfg({1, 2, 3}), Change(Transition::kAuto, {AddV(4), Remove(1)})),
      "voters=(n2 n3 n4)&&(n1 n2 n3) autoleave");
}

TEST(ChangerJoint, EnterExplicitAndLeave) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3}))
          .Apply(Change(Transition::kJointExplicit, {AddV(4), AddV(5)}));
  ASSERT_TRUE(joint.ok()) << joint.status();
  EXPECT_EQ(joint->Describe(), "voters=(n1 n2 n3 n4 n5)&&(n1 n2 n3)");
  EXPECT_EQ(Outcome(*joint, ConfChange::LeaveJoint()),
            "voters=(n1 n2 n3 n4 n5)");
}

TEST(ChangerJoint, EnterAutoLeaveSetsTheFlagAndLeaveClearsIt) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3}))
          .Apply(Change(Transition::kJointAutoLeave, {AddV(4)}));
  ASSERT_TRUE(joint.ok()) << joint.status();
  EXPECT_TRUE(joint->auto_leave);
  EXPECT_EQ(Outcome(*joint, ConfChange::LeaveJoint()), "voters=(n1 n2 n3 n4)");
}

TEST(ChangerJoint, DemotionWaitsInLearnersNext) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3}))
          .Apply(Change(Transition::kJointExplicit, {Demote(3), AddV(4)}));
  ASSERT_TRUE(joint.ok()) << joint.status();
  EXPECT_EQ(joint->Describe(),
            "voters=(n1 n2 n4)&&(n1 n2 n3) learners_next=(n3)");
  EXPECT_EQ(Outcome(*joint, ConfChange::LeaveJoint()),
            "voters=(n1 n2 n4) learners=(n3)");
}

TEST(ChangerJoint, RemoveThenAddLearnerOfAnOutgoingVoter) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}),
                    Change(Transition::kJointExplicit, {Remove(3), AddL(3)})),
            "voters=(n1 n2)&&(n1 n2 n3) learners_next=(n3)");
}

TEST(ChangerJoint, PromoteFromLearnersNext) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}), Change(Transition::kJointExplicit,
                                           {Demote(3), Promote(3)})),
            "voters=(n1 n2 n3)&&(n1 n2 n3)");
}

TEST(ChangerJoint, ReplacesEveryVoter) {
  EXPECT_EQ(Outcome(Cfg({1, 2, 3}), Change(Transition::kJointExplicit,
                                           {Remove(1), Remove(2), Remove(3),
                                            AddV(4), AddV(5), AddV(6)})),
            "voters=(n4 n5 n6)&&(n1 n2 n3)");
}

TEST(ChangerJoint, RefusesEnteringJointWhileJoint) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3})).EnterJoint(true, {{AddV(4)}});
  ASSERT_TRUE(joint.ok());
  EXPECT_TRUE(Refused(*joint, Change(Transition::kJointExplicit, {AddV(5)}),
                      "already in a joint configuration"));
}

TEST(ChangerJoint, RefusesLeavingWhenNotJoint) {
  EXPECT_TRUE(Refused(Cfg({1, 2, 3}), ConfChange::LeaveJoint(), "not joint"));
}

TEST(ChangerJoint, RefusesAnIncomingHalfWithNoVoters) {
  EXPECT_TRUE(Refused(
      Cfg({1, 2}), Change(Transition::kJointExplicit, {Remove(1), Remove(2)}),
      "last voter"));
}

TEST(ChangerJoint, RefusesEnteringFromNoVoters) {
  EXPECT_TRUE(Refused(tracker::Config{},
                      Change(Transition::kJointExplicit, {AddV(1)}),
                      "no voters"));
}

TEST(ChangerBootstrap, FromEmpty) {
  EXPECT_EQ(
      Outcome(tracker::Config{}, Change(Transition::kBootstrap,
                                        {AddV(1), AddV(2), AddV(3), AddL(4)})),
      "voters=(n1 n2 n3) learners=(n4)");
}

TEST(ChangerBootstrap, RefusesAnInitialisedConfig) {
  EXPECT_TRUE(Refused(Cfg({1}), Change(Transition::kBootstrap, {AddV(2)}),
                      "already initialised"));
}

TEST(ChangerBootstrap, RefusesOtherChangesAndNoVoters) {
  EXPECT_TRUE(Refused(tracker::Config{},
                      Change(Transition::kBootstrap, {AddV(1), Remove(1)}),
                      "only adds"));
  EXPECT_TRUE(Refused(tracker::Config{},
                      Change(Transition::kBootstrap, {AddL(1)}), "last voter"));
}

TEST(ConfStateConversion, RoundTripsAJointConfig) {
  const absl::StatusOr<tracker::Config> joint =
      Changer(Cfg({1, 2, 3}, {7}))
          .EnterJoint(true, {{Demote(3), AddV(4), AddL(5)}});
  ASSERT_TRUE(joint.ok()) << joint.status();
  const ConfState conf = ToConfState(*joint);
  EXPECT_EQ(conf.Describe(),
            "voters=(n1 n2 n4) learners=(n5 n7) outgoing=(n1 n2 n3) "
            "learners_next=(n3) autoleave");
  const absl::StatusOr<tracker::Config> back = FromConfState(conf);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, *joint);
}

TEST(ConfStateConversion, RefusesInvalidStates) {
  ConfState both;
  both.voters = Ids({1, 2});
  both.learners = Ids({2});
  EXPECT_FALSE(FromConfState(both).ok());
  ConfState next_outside_joint;
  next_outside_joint.voters = Ids({1});
  next_outside_joint.learners_next = Ids({1});
  EXPECT_FALSE(FromConfState(next_outside_joint).ok());
  ConfState zero;
  zero.voters = Ids({0, 1});
  EXPECT_FALSE(FromConfState(zero).ok());
  ConfState outgoing_only;
  outgoing_only.voters_outgoing = Ids({1});
  EXPECT_FALSE(FromConfState(outgoing_only).ok());
  ConfState auto_leave_not_joint;
  auto_leave_not_joint.voters = Ids({1});
  auto_leave_not_joint.auto_leave = true;
  EXPECT_FALSE(FromConfState(auto_leave_not_joint).ok());
  EXPECT_TRUE(FromConfState(ConfState{}).ok());
}

}  // namespace
}  // namespace raftsim::raft::confchange
