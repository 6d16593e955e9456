// raft/interaction_test.cc — runs the interaction scripts in
// raft/testdata/interaction/ (see raft/testing/interaction.h for the
// commands), each script its own test case, and tests the script harness
// itself.
//
// Rewrite mode regenerates every script's expected output from the actual
// output, in the source tree:
//
//   RAFTSIM_REWRITE=1 bazel run //raft:interaction_test
//
// (or `bazel run //raft:interaction_test -- --rewrite`); review the diff.
// Script errors (unknown commands, bad arguments) fail in rewrite mode too.

#include "raft/testing/interaction.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::raft::testing {
namespace {

constexpr char kScriptDir[] = "raft/testdata/interaction";
// A script whose output shows "n1 leader t1".
constexpr char kBrokenScript[] = "election_basic.txt";

// Set from main(): where rewritten scripts go ("" = compare only).
std::string g_rewrite_root;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ScriptNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kScriptDir)) {
    if (entry.path().extension() == ".txt") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The scripts are found at all (a broken data glob would pass vacuously).
TEST(Interaction, ScriptsArePresent) {
  EXPECT_GE(ScriptNames().size(), 20u) << "scripts missing from " << kScriptDir;
}

class InteractionScript : public ::testing::TestWithParam<std::string> {};

TEST_P(InteractionScript, Run) {
  const std::string path = std::string(kScriptDir) + "/" + GetParam();
  const std::string text = ReadFile(path);
  ASSERT_FALSE(text.empty()) << path;
  const ScriptResult r = RunScript(path, text);
  if (!g_rewrite_root.empty()) {
    for (const std::string& e : r.errors) ADD_FAILURE() << e;
    const std::string out = g_rewrite_root + "/" + path;
    std::ofstream(out) << r.rewritten;
    std::cout << "rewrote " << out << "\n";
    return;
  }
  for (const std::string& f : r.failures) ADD_FAILURE() << f;
}

// "basic_election.txt" -> "basic_election" (gtest names: alnum and _).
std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.rfind('.'));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scripts, InteractionScript,
                         ::testing::ValuesIn(ScriptNames()), CaseName);

// The harness reports a mismatch with the file, the line of the command,
// the command, and the expected and actual output.
TEST(Interaction, MismatchNamesLineCommandExpectedAndActual) {
  const std::string script =
      "# a comment\n"
      "cluster voters=3\n"
      "----\n"
      "n1 leader t9\n";
  const ScriptResult r = RunScript("demo.txt", script);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_TRUE(r.errors.empty());
  const std::string& f = r.failures[0];
  EXPECT_NE(f.find("demo.txt:2: command `cluster voters=3`"), std::string::npos)
      << f;
  EXPECT_NE(f.find("expected:\nn1 leader t9\n"), std::string::npos) << f;
  EXPECT_NE(f.find("actual:\nn1 follower t0"), std::string::npos) << f;
  // The rewritten script passes and keeps the comment and layout.
  const ScriptResult again = RunScript("demo.txt", r.rewritten);
  EXPECT_TRUE(again.failures.empty());
  EXPECT_EQ(again.rewritten, r.rewritten);
  EXPECT_EQ(r.rewritten.rfind("# a comment\ncluster voters=3\n----\nn1 ", 0),
            0u);
}

// A real script with one expected line changed fails, naming the file and
// the line of the command whose output differs.
TEST(Interaction, BrokenExpectationInARealScriptFails) {
  const std::string path = std::string(kScriptDir) + "/" + kBrokenScript;
  std::string text = ReadFile(path);
  ASSERT_TRUE(RunScript(path, text).failures.empty());
  const std::string good = "n1 leader t1";
  const size_t at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(), "n1 leader t7");
  // The command is the line before the `----` above the changed output.
  const size_t dashes = text.rfind("\n----\n", at);
  ASSERT_NE(dashes, std::string::npos);
  const auto command_line =
      std::count(text.begin(), text.begin() + dashes, '\n') + 1;
  const ScriptResult r = RunScript(path, text);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.failures[0].rfind(
                path + ":" + std::to_string(command_line) + ": command `", 0),
            0u)
      << r.failures[0];
  EXPECT_NE(r.failures[0].find("n1 leader t7"), std::string::npos);
}

// An unknown command is a script error naming file:line and the closest
// valid command.
TEST(Interaction, UnknownCommandNamesFileLineAndClosestCommand) {
  const std::string script =
      "cluster voters=3\n"
      "----\n"
      "ignored\n"
      "\n"
      "# a typo\n"
      "campagin 1\n"
      "----\n"
      "ok\n";
  const ScriptResult r = RunScript("typo.txt", script);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "typo.txt:6: unknown command `campagin`; did you mean "
            "`campaign`?");
  // It is also a failure, alongside the mismatch of line 1.
  EXPECT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(ClosestCommand("proccess-ready"), "process-ready");
  EXPECT_EQ(ClosestCommand("stabilise"), "stabilize");
  EXPECT_EQ(ClosestCommand("readindex"), "read-index");
}

// A malformed argument is a script error naming file:line, what is wrong,
// and the command's usage line.
TEST(Interaction, BadArgumentNamesFileLineAndUsage) {
  const std::string script =
      "cluster voters=3\n"
      "----\n"
      "ignored\n"
      "\n"
      "campaign 7\n"
      "----\n"
      "ok\n"
      "\n"
      "tick 1 many\n"
      "----\n"
      "ok\n"
      "\n"
      "deliver 1-2\n"
      "----\n"
      "ok\n"
      "\n"
      "cluster voters=three\n"
      "----\n"
      "ok\n"
      "\n"
      "status\n";
  const ScriptResult r = RunScript("bad.txt", script);
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0],
            "bad.txt:5: campaign: `7` is not a node id (1..3); usage: "
            "campaign <id>");
  EXPECT_EQ(r.errors[1],
            "bad.txt:9: tick: `many` is not a number; usage: tick <id|all> "
            "[n]");
  EXPECT_EQ(r.errors[2],
            "bad.txt:13: deliver: `1-2` is not a link <from>-><to>; usage: "
            "deliver [<from>-><to>]");
  EXPECT_EQ(r.errors[3].rfind("bad.txt:17: cluster: bad value in "
                              "`voters=three`; usage: cluster [voters=3]",
                              0),
            0u)
      << r.errors[3];
  EXPECT_EQ(r.errors[4],
            "bad.txt:21: command `status` is not followed by ----");
}

TEST(Interaction, CommandsWithoutAClusterOrOnTheWrongNodeAreErrors) {
  Interaction i;
  EXPECT_EQ(i.Run("status"),
            "error: status: no cluster yet (start with `cluster`)");
  i.Run("cluster voters=3");
  EXPECT_EQ(i.Run("restart 1"),
            "error: restart: n1 is not down; usage: restart <down id>");
  EXPECT_EQ(i.Run("heal now"),
            "error: heal: unexpected argument `now`; usage: heal");
  EXPECT_EQ(i.Run("propose 1"),
            "error: propose: missing argument; usage: propose <id> "
            "<value>...");
  // A refusal by the node is output, not an error.
  EXPECT_EQ(i.Run("propose 1 x").rfind("refused: FAILED_PRECONDITION", 0), 0u);
}

// Every command in the table has a distinct name and a usage line, and the
// header's command list names each of them.
TEST(Interaction, UsageListsEveryCommandOnce) {
  const std::vector<std::string> usage = Interaction::Usage();
  EXPECT_GE(usage.size(), 20u);
  std::vector<std::string> names;
  for (const std::string& u : usage) names.push_back(u.substr(0, u.find(' ')));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (const std::string& n : names) EXPECT_EQ(ClosestCommand(n), n);
}

}  // namespace
}  // namespace raftsim::raft::testing

// The rewrite switch is read here, in the test's main and from its
// environment block, rather than with getenv in library code: raft/ code
// must not read the environment (tools/lint/determinism_lint.py), and this only
// decides where expected outputs are written, never how a run behaves.
int main(int argc, char** argv, char** envp) {
  testing::InitGoogleTest(&argc, argv);
  bool rewrite = false;
  std::string workspace;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rewrite") == 0) rewrite = true;
  }
  for (char** e = envp; *e != nullptr; ++e) {
    const std::string kv(*e);
    if (kv == "RAFTSIM_REWRITE=1") rewrite = true;
    if (kv.rfind("BUILD_WORKSPACE_DIRECTORY=", 0) == 0) {
      workspace = kv.substr(std::strlen("BUILD_WORKSPACE_DIRECTORY="));
    }
  }
  if (rewrite) {
    if (workspace.empty()) {
      std::cerr << "rewrite needs `bazel run` (BUILD_WORKSPACE_DIRECTORY)\n";
      return 2;
    }
    raftsim::raft::testing::g_rewrite_root = workspace;
  }
  return RUN_ALL_TESTS();
}
