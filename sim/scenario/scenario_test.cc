// sim/scenario/scenario_test.cc — the scenario language: every statement and
// action parses into the right value, every class of error has its exact
// message (line and column), the canonical printer round-trips (RapidCheck over
// generated scenarios), and every file in scenarios/ parses.

#include "sim/scenario/scenario.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::sim {
namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

NodeSet Nodes(std::initializer_list<uint64_t> ids) {
  NodeSet s;
  for (uint64_t id : ids) s.push_back(NodeId(id));
  return s;
}

// Parses "nodes 5\n" + `body` and returns the only action.
Action OnlyAction(const std::string& line) {
  absl::StatusOr<Scenario> s = ParseScenario("nodes 5\n" + line, "t.scn");
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok() || s->schedule.size() != 1) return Heal{};
  return s->schedule[0].action;
}

// The error message for `text` ("" if it parsed).
std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, "t.scn");
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

// ---------------------------------------------------------------- header --

TEST(ScenarioParse, HeaderOptionsEndAndExpectations) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "# A comment line.\n"
      "nodes 5   # trailing comment\n"
      "seed 42\n"
      "option pre_vote=off\n"
      "option check_quorum = on\n"
      "option election_timeout_ticks=12\n"
      "option loss=0.01\n"
      "option dup_ppm=7\n"
      "at 150ms heal\n"
      "end 2s\n"
      "heal-phase 1500us\n"
      "expect no-violation\n"
      "expect leader by 2s\n"
      "expect result ok\n",
      "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->nodes, 5);
  EXPECT_EQ(s->seed, 42u);
  const std::map<std::string, int64_t> options = {{"pre_vote", 0},
                                                  {"check_quorum", 1},
                                                  {"election_ticks", 12},
                                                  {"loss_ppm", 10'000},
                                                  {"dup_ppm", 7}};
  EXPECT_EQ(s->options, options);
  ASSERT_EQ(s->schedule.size(), 1u);
  EXPECT_EQ(s->schedule[0].at_us, 150'000);
  EXPECT_EQ(s->schedule[0].line, 9);
  EXPECT_EQ(s->end_us, 2'000'000);
  EXPECT_EQ(s->heal_phase_us, 1500);
  EXPECT_TRUE(s->expect.no_violation);
  EXPECT_EQ(s->expect.leader_by_us, 2'000'000);
  EXPECT_EQ(s->expect.result, ExpectedResult::kOk);
  EXPECT_FALSE(s->expect.violation.has_value());
  EXPECT_EQ(s->Describe(),
            "5 nodes, seed 42, 5 options, 1 actions over 150ms..150ms, end 2s, "
            "heal-phase 1500us, expect no-violation, leader by 2s, result ok");
}

TEST(ScenarioParse, CanaryExpectation) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "nodes 3\nexpect violation election-safety\nexpect result safety\n",
      "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->expect.violation, "election-safety");
  EXPECT_EQ(s->expect.result, ExpectedResult::kSafety);
}

TEST(ScenarioParse, CrlfAndTabs) {
  absl::StatusOr<Scenario> s =
      ParseScenario("nodes 3\r\nat\t1s\tcrash 2\r\n", "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->schedule[0].action, Action(Crash{NodeId(2)}));
}

// --------------------------------------------------------------- actions --

TEST(ScenarioParse, Partitions) {
  EXPECT_EQ(OnlyAction("at 1s partition {1,2} {3,4,5}"),
            Action(Partition{{Nodes({1, 2}), Nodes({3, 4, 5})}}));
  // Bare lists, unsorted ids, three groups.
  EXPECT_EQ(OnlyAction("at 1s partition 2,1 3 {5,4}"),
            Action(Partition{{Nodes({1, 2}), Nodes({3}), Nodes({4, 5})}}));
  // One group: against the rest.
  EXPECT_EQ(OnlyAction("at 1s partition {4}"),
            Action(Partition{{Nodes({4}), Nodes({1, 2, 3, 5})}}));
  EXPECT_EQ(OnlyAction("at 1s partition-oneway 1 -> 2,3"),
            Action(PartitionOneWay{Nodes({1}), Nodes({2, 3})}));
  EXPECT_EQ(OnlyAction("at 1s partition-oneway {1,2}->{5}"),
            Action(PartitionOneWay{Nodes({1, 2}), Nodes({5})}));
  EXPECT_EQ(OnlyAction("at 1s isolate 3"), Action(Isolate{NodeId(3)}));
  EXPECT_EQ(OnlyAction("at 1s bridge 3 {1,2} {4,5}"),
            Action(Bridge{NodeId(3), Nodes({1, 2}), Nodes({4, 5})}));
  EXPECT_EQ(OnlyAction("at 1s heal"), Action(Heal{}));
}

TEST(ScenarioParse, NodeLifecycle) {
  EXPECT_EQ(OnlyAction("at 1s crash 2"), Action(Crash{NodeId(2)}));
  EXPECT_EQ(OnlyAction("at 1s restart 2"), Action(Restart{NodeId(2)}));
  EXPECT_EQ(OnlyAction("at 1s pause 2 300ms"),
            Action(Pause{NodeId(2), 300'000}));
  EXPECT_EQ(OnlyAction("at 1s pause 2"), Action(Pause{NodeId(2), {}}));
  EXPECT_EQ(OnlyAction("at 1s resume 2"), Action(Resume{NodeId(2)}));
  EXPECT_EQ(OnlyAction("at 1s campaign 4"), Action(Campaign{NodeId(4)}));
}

ChangeMembership Single(MemberOp op, uint64_t node) {
  return {ChangeMode::kSingle, {{op, NodeId(node)}}, std::nullopt};
}

TEST(ScenarioParse, Membership) {
  EXPECT_EQ(OnlyAction("at 1s add-voter 4"),
            Action(Single(MemberOp::kAddVoter, 4)));
  EXPECT_EQ(OnlyAction("at 1s add-learner 4"),
            Action(Single(MemberOp::kAddLearner, 4)));
  EXPECT_EQ(OnlyAction("at 1s promote 4"),
            Action(Single(MemberOp::kPromote, 4)));
  EXPECT_EQ(OnlyAction("at 1s demote 3"), Action(Single(MemberOp::kDemote, 3)));
  EXPECT_EQ(OnlyAction("at 1s remove 2"), Action(Single(MemberOp::kRemove, 2)));
  ChangeMembership via = Single(MemberOp::kRemove, 2);
  via.via = NodeId(5);
  EXPECT_EQ(OnlyAction("at 1s remove 2 via 5"), Action(via));
  EXPECT_EQ(OnlyAction("at 1s joint add-voter 4, add-learner 5,remove 1"),
            Action(ChangeMembership{ChangeMode::kJoint,
                                    {{MemberOp::kAddVoter, NodeId(4)},
                                     {MemberOp::kAddLearner, NodeId(5)},
                                     {MemberOp::kRemove, NodeId(1)}},
                                    std::nullopt}));
  EXPECT_EQ(OnlyAction("at 1s enter-joint demote 3 via 2"),
            Action(ChangeMembership{ChangeMode::kEnterJoint,
                                    {{MemberOp::kDemote, NodeId(3)}},
                                    NodeId(2)}));
  EXPECT_EQ(OnlyAction("at 1s leave-joint"), Action(LeaveJoint{}));
  EXPECT_EQ(OnlyAction("at 1s leave-joint via 3"),
            Action(LeaveJoint{NodeId(3)}));
  EXPECT_EQ(OnlyAction("at 1s transfer 2"),
            Action(TransferLeader{NodeId(2), std::nullopt}));
  EXPECT_EQ(OnlyAction("at 1s transfer 2 via 1"),
            Action(TransferLeader{NodeId(2), NodeId(1)}));
  EXPECT_EQ(OnlyAction("at 1s bootstrap 1 {1,2,3}"),
            Action(Bootstrap{NodeId(1), Nodes({1, 2, 3}), {}}));
  EXPECT_EQ(OnlyAction("at 1s bootstrap 4 3,1 learners {5,4}"),
            Action(Bootstrap{NodeId(4), Nodes({1, 3}), Nodes({4, 5})}));
}

TEST(ScenarioFormat, Membership) {
  for (const char* line :
       {"add-voter 4", "add-learner 5 via 2", "promote 4", "demote 1",
        "remove 3", "joint add-voter 4, remove 1",
        "enter-joint add-learner 4, promote 5, remove 2 via 3", "leave-joint",
        "leave-joint via 1", "transfer 2", "transfer 3 via 1",
        "bootstrap 4 {1,2,3}", "bootstrap 1 {1} learners {2,5}"}) {
    SCOPED_TRACE(line);
    const Action a = OnlyAction(absl::StrCat("at 1s ", line));
    EXPECT_EQ(DescribeAction(a), line);
  }
}

TEST(ScenarioParse, LinkRules) {
  EXPECT_EQ(OnlyAction("at 1s drop 1->2 0.5"),
            Action(Drop{{NodeId(1), NodeId(2)}, 500'000}));
  EXPECT_EQ(OnlyAction("at 1s drop * -> 2 1"),
            Action(Drop{{kNoNode, NodeId(2)}, 1'000'000}));
  EXPECT_EQ(OnlyAction("at 1s delay 1->* 20ms"),
            Action(Delay{{NodeId(1), kNoNode}, 20'000}));
  EXPECT_EQ(OnlyAction("at 1s duplicate *->* 0.000001"),
            Action(Duplicate{{kNoNode, kNoNode}, 1}));
}

TEST(ScenarioParse, ClientOpsAndProposals) {
  EXPECT_EQ(OnlyAction("at 1s client 7 get k"),
            Action(ClientOp{7, ClientOpKind::kGet, "k", "", ""}));
  EXPECT_EQ(OnlyAction("at 1s client 1 put k v"),
            Action(ClientOp{1, ClientOpKind::kPut, "k", "v", ""}));
  EXPECT_EQ(
      OnlyAction("at 1s client 1 append \"a b\" \"say \\\"hi\\\"\\\\\""),
      Action(ClientOp{1, ClientOpKind::kAppend, "a b", "say \"hi\"\\", ""}));
  EXPECT_EQ(OnlyAction("at 1s client 2 cas k old new"),
            Action(ClientOp{2, ClientOpKind::kCas, "k", "new", "old"}));
  EXPECT_EQ(OnlyAction("at 1s propose 3 \"\\x00\\n\\t\""),
            Action(Propose{NodeId(3), std::string("\0\n\t", 3)}));
  EXPECT_EQ(OnlyAction("at 1s client 1 put k \"\""),
            Action(ClientOp{1, ClientOpKind::kPut, "k", "", ""}));
}

TEST(ScenarioParse, ScheduleKeepsFileOrderAtEqualTimes) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "nodes 3\nat 1s crash 1\nat 1000ms restart 1\nat 1000000us crash 2\n",
      "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->schedule.size(), 3u);
  EXPECT_EQ(s->schedule[0].action, Action(Crash{NodeId(1)}));
  EXPECT_EQ(s->schedule[1].action, Action(Restart{NodeId(1)}));
  EXPECT_EQ(s->schedule[2].action, Action(Crash{NodeId(2)}));
  EXPECT_EQ(s->schedule[2].line, 4);
}

// ---------------------------------------------------------------- errors --

TEST(ScenarioErrors, NodeIdOutOfRangeNamesLineAndColumn) {
  EXPECT_EQ(ErrorOf("nodes 5\n\n# c\n\nseed 1\n\nat 1s  crash 9\n"),
            "t.scn:7:14: expected a node id in 1..5, found \"9\"");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s crash 0"),
            "t.scn:2:13: expected a node id in 1..5, found \"0\"");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s crash"),
            "t.scn:2:12: expected a node id in 1..5, found end of line");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s crash # gone"),
            "t.scn:2:13: expected a node id in 1..5, found end of line");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s crash \"2\""),
            "t.scn:2:13: expected a node id in 1..5, found the string \"2\"");
}

TEST(ScenarioErrors, Header) {
  EXPECT_EQ(ErrorOf(""),
            "t.scn:1:1: expected \"nodes <count>\", found end of file");
  EXPECT_EQ(ErrorOf("# only\n"),
            "t.scn:2:1: expected \"nodes <count>\", found end of file");
  EXPECT_EQ(ErrorOf("seed 4\nnodes 3"),
            "t.scn:1:1: expected \"nodes <count>\" before anything else, found "
            "\"seed\"");
  EXPECT_EQ(ErrorOf("nodes 10"),
            "t.scn:1:7: expected a node count in 1..9, found \"10\"");
  EXPECT_EQ(ErrorOf("nodes 3\nnodes 3"),
            "t.scn:2:1: expected one \"nodes\" line, found \"nodes\"");
  EXPECT_EQ(ErrorOf("nodes 3\nseed -1"),
            "t.scn:2:6: expected a seed (an unsigned 64-bit integer), found "
            "\"-1\"");
  EXPECT_EQ(ErrorOf("nodes 3\nseed 18446744073709551616"),
            "t.scn:2:6: expected a seed (an unsigned 64-bit integer), found "
            "\"18446744073709551616\"");
  EXPECT_EQ(ErrorOf("nodes 3\nfrobnicate"),
            "t.scn:2:1: expected a statement (nodes, seed, option, at, end, "
            "heal-phase or expect), found \"frobnicate\"");
  EXPECT_EQ(ErrorOf("nodes 3 4"),
            "t.scn:1:9: expected end of line, found \"4\"");
}

TEST(ScenarioErrors, Options) {
  const std::string unknown = ErrorOf("nodes 3\noption frob=1");
  EXPECT_THAT(unknown, StartsWith("t.scn:2:8: expected an option name (one of "
                                  "pre_vote, check_quorum, tick_us,"));
  EXPECT_THAT(unknown, HasSubstr("loss, dup, election_timeout_ticks), found "
                                 "\"frob\""));
  EXPECT_THAT(ErrorOf("nodes 3\noption prevote=on"),
              AllOf(StartsWith("t.scn:2:8: expected an option name"),
                    EndsWith("found \"prevote\" (did you mean pre_vote?)")));
  EXPECT_EQ(ErrorOf("nodes 3\noption pre_vote=maybe"),
            "t.scn:2:17: expected on or off, found \"maybe\"");
  EXPECT_EQ(ErrorOf("nodes 3\noption election_ticks=1"),
            "t.scn:2:23: expected an integer in 2..1000, found \"1\"");
  EXPECT_EQ(ErrorOf("nodes 3\noption loss=1.5"),
            "t.scn:2:13: expected a probability in 0..1 (at most 6 decimals), "
            "found \"1.5\"");
  EXPECT_EQ(ErrorOf("nodes 3\noption loss=0.0000001"),
            "t.scn:2:13: expected a probability in 0..1 (at most 6 decimals), "
            "found \"0.0000001\"");
  EXPECT_EQ(ErrorOf("nodes 3\noption pre_vote on"),
            "t.scn:2:17: expected \"=\", found \"on\"");
  EXPECT_EQ(ErrorOf("nodes 3\noption loss_ppm=5\noption loss=0.5"),
            "t.scn:3:8: expected option loss_ppm to be set only once, found "
            "\"loss\"");
}

TEST(ScenarioErrors, Times) {
  EXPECT_EQ(ErrorOf("nodes 3\nat 2s heal\nat 1999ms heal"),
            "t.scn:3:4: expected a time >= 2s (times must not decrease), "
            "found \"1999ms\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 150 heal"),
            "t.scn:2:4: expected a time (like 150ms, 2s or 1500us, at most "
            "1000000s), found \"150\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1000001s heal"),
            "t.scn:2:4: expected a time (like 150ms, 2s or 1500us, at most "
            "1000000s), found \"1000001s\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 99999999999999999999999s heal"),
            "t.scn:2:4: expected a time (like 150ms, 2s or 1500us, at most "
            "1000000s), found \"99999999999999999999999s\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 2s heal\nend 1s"),
            "t.scn:3:5: expected an end time >= 2s (the last action's time), "
            "found \"1s\"");
  EXPECT_EQ(ErrorOf("nodes 3\nend 1s\nat 2s heal"),
            "t.scn:3:4: expected a time <= 1s (the end), found \"2s\"");
  EXPECT_EQ(ErrorOf("nodes 3\nend 1s\nend 1s"),
            "t.scn:3:1: expected one \"end\" line, found \"end\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s pause 2 0s"),
            "t.scn:2:15: expected a pause length above 0, found \"0s\"");
}

TEST(ScenarioErrors, Membership) {
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s add-voter 4"),
            "t.scn:2:17: expected a node id in 1..3, found \"4\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s promote"),
            "t.scn:2:14: expected a node id in 1..3, found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s remove 2 through 1"),
            "t.scn:2:16: expected \"via\" or end of line, found \"through\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s remove 2 via"),
            "t.scn:2:19: expected the node to send the request to, in 1..3, "
            "found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s remove 2 via 0"),
            "t.scn:2:20: expected the node to send the request to, in 1..3, "
            "found \"0\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s joint"),
            "t.scn:2:12: expected a membership change (add-voter, "
            "add-learner, promote, demote or remove), found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s joint add-voter 3, crash 2"),
            "t.scn:2:26: expected a membership change (add-voter, "
            "add-learner, promote, demote or remove), found \"crash\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s joint add-voter 3, remove 3"),
            "t.scn:2:33: expected a node no earlier change of this line names "
            "(one change per node), found \"3\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s joint add-voter 3 remove 1"),
            "t.scn:2:25: expected \"via\" or end of line, found \"remove\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s leave-joint 2"),
            "t.scn:2:19: expected \"via\" or end of line, found \"2\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s transfer"),
            "t.scn:2:15: expected the node to transfer leadership to, in 1..3, "
            "found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s bootstrap 1"),
            "t.scn:2:18: expected a node id in 1..3, found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s bootstrap 1 {1,2} voters {3}"),
            "t.scn:2:25: expected \"learners\" or end of line, found "
            "\"voters\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s bootstrap 1 {1,2} learners {2}"),
            "t.scn:2:35: expected a node not listed already, found \"2\"");
}

TEST(ScenarioErrors, Actions) {
  EXPECT_EQ(
      ErrorOf("nodes 3\nat 1s explode 2"),
      "t.scn:2:7: expected an action (partition, partition-oneway, "
      "isolate, bridge, heal, crash, restart, pause, resume, drop, delay, "
      "duplicate, clog, client, propose, campaign, add-voter, add-learner, "
      "promote, demote, remove, joint, enter-joint, leave-joint, transfer or "
      "bootstrap), found "
      "\"explode\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s heal now"),
            "t.scn:2:12: expected end of line, found \"now\"");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s partition {1,2} {2,3,4,5}"),
            "t.scn:2:24: expected a node not listed already, found \"2\"");
  EXPECT_EQ(ErrorOf("nodes 5\nat 1s partition {1,2} {3,4}"),
            "t.scn:2:28: expected node 5 in a group (groups must cover every "
            "node), found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s partition {1,2,3}"),
            "t.scn:2:24: expected a second group (the first holds every node), "
            "found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s partition {1,2"),
            "t.scn:2:21: expected \"}\", found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s partition {}"),
            "t.scn:2:18: expected a node id in 1..3, found \"}\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s partition-oneway 1 2"),
            "t.scn:2:26: expected \"->\", found \"2\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s bridge 2 {1} {3,2}"),
            "t.scn:2:23: expected a node not listed already, found \"2\"");
  EXPECT_EQ(
      ErrorOf("nodes 3\nat 1s drop 2->2 0.5"),
      "t.scn:2:15: expected a node other than 2 (a link joins two nodes), "
      "found \"2\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s drop 1->4 0.5"),
            "t.scn:2:15: expected a node id in 1..3 or *, found \"4\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s delay 1->2 5"),
            "t.scn:2:18: expected an extra delay (like 150ms, 2s or 1500us, at "
            "most 1000000s), found \"5\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s client 65 get k"),
            "t.scn:2:14: expected a client id in 1..64, found \"65\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s client 1 delete k"),
            "t.scn:2:16: expected get, put, append or cas, found \"delete\"");
  EXPECT_EQ(
      ErrorOf("nodes 3\nat 1s client 1 cas k v"),
      "t.scn:2:23: expected the new value (a word or a \"quoted string\"), "
      "found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s client 1 put = v"),
            "t.scn:2:20: expected a key (a word or a \"quoted string\"), found "
            "\"=\"");
}

TEST(ScenarioErrors, Lexical) {
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s propose 1 \"abc"),
            "t.scn:2:21: expected a closing '\"', found end of line");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s propose 1 \"a\\qb\""),
            "t.scn:2:19: expected an escape \\\" \\\\ \\n \\t or \\xHH, found "
            "\"\\\\q\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s propose 1 \"\\x4\""),
            "t.scn:2:18: expected an escape \\\" \\\\ \\n \\t or \\xHH, found "
            "\"\\\\x\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s \x01"),
            "t.scn:2:7: expected a printable ASCII character, found \"\\001\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s propose 1 \"\x01\""),
            "t.scn:2:18: expected a printable character or an escape, found "
            "\"\\001\"");
  EXPECT_EQ(ErrorOf("nodes 3\nat 1s crash 1\r\r"),
            "t.scn:2:14: expected a printable ASCII character, found \"\\r\"");
}

TEST(ScenarioErrors, Expectations) {
  EXPECT_EQ(
      ErrorOf("nodes 3\nexpect no-violation\nexpect violation log-matching"),
      "t.scn:3:8: expected an expectation consistent with \"expect "
      "no-violation\", found \"violation\"");
  EXPECT_EQ(ErrorOf("nodes 3\nexpect violation x\nexpect result ok"),
            "t.scn:3:8: expected an expectation consistent with \"expect "
            "violation\", found \"result\"");
  EXPECT_EQ(ErrorOf("nodes 3\nexpect violation Bad"),
            "t.scn:2:18: expected a checker name (lowercase letters, digits, - "
            "or _), found \"Bad\"");
  EXPECT_EQ(ErrorOf("nodes 3\nexpect leader in 2s"),
            "t.scn:2:15: expected \"by\", found \"in\"");
  EXPECT_EQ(
      ErrorOf("nodes 3\nexpect result maybe"),
      "t.scn:2:15: expected ok, safety, liveness or hang, found \"maybe\"");
  EXPECT_EQ(ErrorOf("nodes 3\nexpect sunshine"),
            "t.scn:2:8: expected no-violation, violation, leader or result, "
            "found \"sunshine\"");
}

TEST(ScenarioErrors, ReadScenarioFileMissing) {
  absl::StatusOr<Scenario> s = ReadScenarioFile("no/such/file.scn");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
}

// ------------------------------------------------------------- canonical --

TEST(ScenarioFormat, CanonicalText) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "nodes 5\noption loss=0.25\noption pre_vote=0\nseed 7\n"
      "at 1000ms partition 2,1 {3}  {4,5}\n"
      "at 1500000us client 3 cas \"a b\" x \"->\"\n"
      "at 2s drop * -> 3 0.5\nat 2s pause 4 2500us\n"
      "expect result liveness\nheal-phase 3000ms\n",
      "t.scn");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(FormatScenario(*s),
            "nodes 5\n"
            "seed 7\n"
            "option loss_ppm=250000\n"
            "option pre_vote=off\n"
            "at 1s partition {1,2} {3} {4,5}\n"
            "at 1500ms client 3 cas \"a b\" x \"->\"\n"
            "at 2s drop *->3 0.5\n"
            "at 2s pause 4 2500us\n"
            "heal-phase 3s\n"
            "expect result liveness\n");
}

// Generators of valid scenarios, for the round trip.
NodeSet SortedIds(std::vector<uint64_t> ids) {
  std::sort(ids.begin(), ids.end());
  NodeSet s;
  for (uint64_t id : ids) s.push_back(NodeId(id));
  return s;
}

// Fisher-Yates with RapidCheck's draws (so failures shrink and replay).
template <typename T>
std::vector<T> Shuffled(std::vector<T> v) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[*rc::gen::inRange<size_t>(0, i)]);
  }
  return v;
}

// The nodes 1..n shuffled, cut into `parts` non-empty runs.
std::vector<NodeSet> GenGroups(int n, int parts) {
  std::vector<uint64_t> ids;
  for (int i = 1; i <= n; ++i) ids.push_back(static_cast<uint64_t>(i));
  ids = Shuffled(ids);
  // Choose parts-1 distinct cut points in 1..n-1.
  std::vector<int> cuts;
  for (int i = 1; i < n; ++i) cuts.push_back(i);
  cuts = Shuffled(cuts);
  cuts.resize(static_cast<size_t>(parts - 1));
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(n);
  std::vector<NodeSet> groups;
  int start = 0;
  for (int cut : cuts) {
    groups.push_back(SortedIds(
        std::vector<uint64_t>(ids.begin() + start, ids.begin() + cut)));
    start = cut;
  }
  return groups;
}

NodeId GenNode(int n) { return NodeId(*rc::gen::inRange<uint64_t>(1, n + 1)); }

Link GenLink(int n) {
  const NodeId from = *rc::gen::element(kNoNode, GenNode(n));
  NodeId to = *rc::gen::element(kNoNode, GenNode(n));
  if (to == from && to != kNoNode) to = kNoNode;
  return Link{from, to};
}

std::string GenBytes() {
  const auto kind = *rc::gen::inRange(0, 3);
  if (kind == 0) return *rc::gen::element<std::string>("k", "v1", "x-y", "a.b");
  return *rc::gen::container<std::string>(
      *rc::gen::inRange<size_t>(0, 8),
      rc::gen::map(rc::gen::inRange(0, 256),
                   [](int c) { return static_cast<char>(c); }));
}

std::optional<NodeId> GenVia(int n) {
  if (*rc::gen::arbitrary<bool>()) return std::nullopt;
  return GenNode(n);
}

ChangeMembership GenMembership(int n) {
  ChangeMembership c;
  c.mode = static_cast<ChangeMode>(*rc::gen::inRange(0, 3));
  // Distinct nodes: a prefix of a shuffled 1..n.
  std::vector<uint64_t> nodes;
  for (int i = 1; i <= n; ++i) nodes.push_back(static_cast<uint64_t>(i));
  nodes = Shuffled(nodes);
  const int count =
      c.mode == ChangeMode::kSingle ? 1 : *rc::gen::inRange(1, n + 1);
  for (int i = 0; i < count; ++i) {
    c.changes.push_back(
        {static_cast<MemberOp>(*rc::gen::inRange(0, 5)), NodeId(nodes[i])});
  }
  c.via = GenVia(n);
  return c;
}

Action GenAction(int n) {
  switch (*rc::gen::inRange(0, 21)) {
    case 0:
      return Partition{GenGroups(n, *rc::gen::inRange(2, n + 1))};
    case 1: {
      std::vector<NodeSet> g = GenGroups(n, 2);
      return PartitionOneWay{g[0], g[1]};
    }
    case 2:
      return Isolate{GenNode(n)};
    case 3: {
      // n >= 3. The bridge is one node of the first run; the rest of that
      // run joins the left side, so the three still cover every node.
      std::vector<NodeSet> g = GenGroups(n, 3);
      NodeSet left = g[1];
      left.insert(left.end(), g[0].begin() + 1, g[0].end());
      std::sort(left.begin(), left.end());
      return Bridge{g[0][0], left, g[2]};
    }
    case 4:
      return Heal{};
    case 5:
      return Crash{GenNode(n)};
    case 6:
      return Restart{GenNode(n)};
    case 7: {
      Pause p{GenNode(n), {}};
      if (*rc::gen::arbitrary<bool>()) {
        p.for_us = *rc::gen::inRange<int64_t>(1, kScenarioMaxTimeUs + 1);
      }
      return p;
    }
    case 8:
      return Resume{GenNode(n)};
    case 9:
      return Drop{GenLink(n), *rc::gen::inRange<int64_t>(0, kPpmPerUnit + 1)};
    case 10:
      return Delay{GenLink(n), *rc::gen::inRange<int64_t>(0, 5'000'000)};
    case 11:
      return Duplicate{GenLink(n),
                       *rc::gen::inRange<int64_t>(0, kPpmPerUnit + 1)};
    case 12: {
      ClientOp op;
      op.client = *rc::gen::inRange(1, kScenarioMaxClients + 1);
      op.kind = static_cast<ClientOpKind>(*rc::gen::inRange(0, 4));
      op.key = GenBytes();
      if (op.kind != ClientOpKind::kGet) op.value = GenBytes();
      if (op.kind == ClientOpKind::kCas) op.expected = GenBytes();
      return op;
    }
    case 13:
      return Propose{GenNode(n), GenBytes()};
    case 14:
      return Campaign{GenNode(n)};
    case 15:
      return GenMembership(n);
    case 16:
      return Clog{GenLink(n), *rc::gen::inRange<int64_t>(0, 5'000'000)};
    case 17:
      return LeaveJoint{GenVia(n)};
    case 18:
      return TransferLeader{GenNode(n), GenVia(n)};
    case 19: {
      std::vector<NodeSet> g = GenGroups(n, 2);
      Bootstrap b{GenNode(n), g[0], {}};
      if (*rc::gen::arbitrary<bool>()) b.learners = g[1];
      return b;
    }
    default:
      return GenMembership(n);
  }
}

Scenario GenScenario() {
  Scenario s;
  s.nodes = *rc::gen::inRange(3, kScenarioMaxNodes + 1);
  if (*rc::gen::arbitrary<bool>()) s.seed = *rc::gen::arbitrary<uint64_t>();
  for (const OptionSpec& o : ScenarioOptions()) {
    if (std::string(o.name) != o.canonical) continue;  // Aliases.
    if (*rc::gen::inRange(0, 8) != 0) continue;
    s.options[o.canonical] = *rc::gen::inRange<int64_t>(o.min, o.max + 1);
  }
  const auto count = *rc::gen::inRange<size_t>(0, 12);
  std::vector<int64_t> times = *rc::gen::container<std::vector<int64_t>>(
      count, rc::gen::inRange<int64_t>(0, 10'000'000));
  std::sort(times.begin(), times.end());
  for (int64_t t : times) s.schedule.push_back({t, GenAction(s.nodes), 0});
  if (*rc::gen::arbitrary<bool>()) {
    s.end_us = (times.empty() ? 0 : times.back()) +
               *rc::gen::inRange<int64_t>(0, 1'000'000);
  }
  if (*rc::gen::arbitrary<bool>()) {
    s.heal_phase_us = *rc::gen::inRange<int64_t>(0, kScenarioMaxTimeUs + 1);
  }
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      break;
    case 1:
      s.expect.no_violation = true;
      s.expect.result = ExpectedResult::kOk;
      break;
    case 2:
      s.expect.violation = *rc::gen::element<std::string>(
          "election-safety", "log_matching", "durability2");
      s.expect.result = ExpectedResult::kSafety;
      break;
    default:
      s.expect.result = ExpectedResult::kLiveness;
      break;
  }
  if (*rc::gen::arbitrary<bool>()) {
    s.expect.leader_by_us = *rc::gen::inRange<int64_t>(0, 10'000'000);
  }
  return s;
}

RC_GTEST_PROP(ScenarioFormat, ParseOfFormatIsIdentity, ()) {
  const Scenario s = GenScenario();
  const std::string text = FormatScenario(s);
  absl::StatusOr<Scenario> parsed = ParseScenario(text, "gen.scn");
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == s);
  RC_ASSERT(FormatScenario(*parsed) == text);
}

// ------------------------------------------------------------ the library --

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios")) {
    if (entry.path().extension() == ".scn") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // Directory order is arbitrary.
  return files;
}

TEST(ScenarioFiles, EveryFileParsesAndRoundTrips) {
  const std::vector<std::string> files = ScenarioFiles();
  EXPECT_GE(files.size(), 8u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    absl::StatusOr<Scenario> s = ReadScenarioFile(file);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_FALSE(s->schedule.empty());
    EXPECT_TRUE(s->expect.no_violation || s->expect.violation.has_value());
    absl::StatusOr<Scenario> again = ParseScenario(FormatScenario(*s), file);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *s);
  }
}

TEST(ScenarioFiles, NamesTheHazards) {
  const std::vector<std::string> files = ScenarioFiles();
  for (const char* name :
       {"figure8", "leader_isolated_during_append",
        "asymmetric_partition_leader", "partitioned_node_rejoins_prevote",
        "partitioned_node_rejoins_no_prevote",
        "smaller_term_elected_after_heal", "stale_append_duplicated_reordered",
        "majority_crash_unsynced"}) {
    const std::string path = std::string("scenarios/") + name + ".scn";
    EXPECT_NE(std::find(files.begin(), files.end(), path), files.end()) << path;
  }
}

}  // namespace
}  // namespace raftsim::sim
