// raft/interaction_test.cc — runs the interaction scripts in
// raft/testdata/interaction/ (see raft/testing/interaction.h for the
// commands) and tests the script harness itself.
//
// Rewrite mode regenerates every script's expected output from the actual
// output, in the source tree:
//
//   RAFTSIM_REWRITE=1 bazel run //raft:interaction_test
//
// (or `bazel run //raft:interaction_test -- --rewrite`); review the diff.

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "raft/testing/interaction.h"

namespace raftsim::raft::testing {
namespace {

constexpr char kScriptDir[] = "raft/testdata/interaction";

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

TEST(Interaction, Scripts) {
  const std::vector<std::string> names = ScriptNames();
  if (g_rewrite_root.empty()) {
    ASSERT_GE(names.size(), 6u) << "scripts missing from " << kScriptDir;
  }
  for (const std::string& name : names) {
    const std::string path = std::string(kScriptDir) + "/" + name;
    const ScriptResult r = RunScript(path, ReadFile(path));
    if (!g_rewrite_root.empty()) {
      const std::string out = g_rewrite_root + "/" + path;
      std::ofstream(out) << r.rewritten;
      std::cout << "rewrote " << out << "\n";
      continue;
    }
    for (const std::string& f : r.failures) ADD_FAILURE() << f;
  }
}

// The harness reports a mismatch with the file, the line of the command,
// the command, and the expected and actual output.
TEST(Interaction, MismatchNamesLineCommandExpectedAndActual) {
  const std::string script =
      "# a comment\n"
      "heal\n"
      "----\n"
      "error: no cluster (start with `cluster`)\n"
      "\n"
      "cluster voters=3\n"
      "----\n"
      "n1 leader t9\n";
  const ScriptResult r = RunScript("demo.txt", script);
  ASSERT_EQ(r.failures.size(), 1u);
  const std::string& f = r.failures[0];
  EXPECT_NE(f.find("demo.txt:6: command `cluster voters=3`"), std::string::npos)
      << f;
  EXPECT_NE(f.find("expected:\nn1 leader t9\n"), std::string::npos) << f;
  EXPECT_NE(f.find("actual:\nn1 follower t0"), std::string::npos) << f;
  // The rewritten script passes and keeps the comment and layout.
  const ScriptResult again = RunScript("demo.txt", r.rewritten);
  EXPECT_TRUE(again.failures.empty());
  EXPECT_EQ(again.rewritten, r.rewritten);
  EXPECT_EQ(r.rewritten.rfind("# a comment\nheal\n----\nerror: no cluster", 0), 0u);
}

TEST(Interaction, MalformedScriptAndBadCommandsAreReported) {
  const ScriptResult r = RunScript("bad.txt", "cluster\nstatus\n----\nok\n");
  ASSERT_GE(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("bad.txt:1: command `cluster` is not followed by ----"),
            std::string::npos)
      << r.failures[0];
  Interaction i;
  EXPECT_EQ(i.Run("status"), "error: no cluster (start with `cluster`)");
  i.Run("cluster voters=3");
  EXPECT_EQ(i.Run("frobnicate"), "error: unknown command: frobnicate");
  EXPECT_EQ(i.Run("campaign 7"), "error: campaign <live id>");
  EXPECT_EQ(i.Run("propose 1 x").rfind("refused: FAILED_PRECONDITION", 0), 0u);
}

}  // namespace
}  // namespace raftsim::raft::testing

// The rewrite switch is read here, in the test's main and from its
// environment block, rather than with getenv in library code: raft/ code
// must not read the environment (tools/determinism_lint.py), and this only
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
