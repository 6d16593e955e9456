// sim/scenario/fuzz_test.cc — the scenario parser never crashes and always
// answers precisely: for any input, ParseScenario returns either a scenario
// that survives the canonical round trip, or InvalidArgument with one line
// "<file>:<line>:<col>: expected <what>, found <what>" pointing inside the
// input.
//
// Inputs: (a) random bytes, (b) token soups drawn from the grammar's own
// vocabulary (so the parser gets deep, not just to line 1), (c) mutations of
// the valid example files in scenarios/ and of a snippet using every action
// — character and token insertions, deletions and replacements, swapped,
// duplicated and deleted lines — plus, exhaustively, every truncation and
// every single-byte deletion of every example.
//
// Deterministic: RapidCheck's seed is pinned by RC_PARAMS in sim/BUILD.bazel
// (override it there, or on the command line with --test_env=RC_PARAMS=...,
// to explore further). Run it under --config=asan and --config=ubsan too.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim {
namespace {

constexpr char kFile[] = "fuzz.scn";

// Every action and statement, so mutations reach every part of the parser
// (the hazard files do not use all of them).
constexpr char kEveryAction[] =
    "# every statement and action\n"
    "nodes 5\n"
    "seed 9\n"
    "option pre_vote=off\n"
    "option loss=0.25\n"
    "option election_ticks=12\n"
    "at 0ms campaign 1\n"
    "at 1ms partition {1,2} {3,4,5}\n"
    "at 2ms partition 1,2 3 {4,5}\n"
    "at 3ms partition {3}\n"
    "at 4ms partition-oneway 1 -> 2,3\n"
    "at 5ms isolate 3\n"
    "at 6ms bridge 3 {1,2} {4,5}\n"
    "at 7ms heal\n"
    "at 8ms crash 2\n"
    "at 9ms restart 2\n"
    "at 10ms pause 2 300ms\n"
    "at 11ms pause 4\n"
    "at 12ms resume 4\n"
    "at 13ms drop 1->2 0.5\n"
    "at 14ms delay *->2 20ms\n"
    "at 15ms duplicate 1->* 0.1\n"
    "at 16ms client 1 put k v\n"
    "at 17ms client 2 get k\n"
    "at 18ms client 3 append \"a b\" \"c\\\"d\\\\e\\x00\"\n"
    "at 19ms client 4 cas k old new\n"
    "at 20ms propose 5 \"bytes\\n\"\n"
    "at 21ms add-voter 4\n"
    "at 22ms remove 2\n"
    "at 23ms add-learner 5 via 1\n"
    "at 24ms promote 5\n"
    "at 25ms demote 3 via 2\n"
    "at 26ms joint add-voter 4, add-learner 5, remove 1\n"
    "at 27ms enter-joint promote 5, demote 2 via 3\n"
    "at 28ms leave-joint via 3\n"
    "at 29ms transfer 4\n"
    "at 30ms transfer 2 via 4\n"
    "at 31ms bootstrap 4 {1,2,3} learners {5}\n"
    "at 32ms clog 1->2 300ms\n"
    "end 1s\n"
    "heal-phase 2s\n"
    "expect no-violation\n"
    "expect leader by 500ms\n"
    "expect result ok\n";

const std::vector<std::string>& Vocabulary() {
  static const auto* const kWords =
      new std::vector<std::string>{"nodes",
                                   "seed",
                                   "option",
                                   "at",
                                   "end",
                                   "heal-phase",
                                   "expect",
                                   "partition",
                                   "partition-oneway",
                                   "isolate",
                                   "bridge",
                                   "heal",
                                   "crash",
                                   "restart",
                                   "pause",
                                   "resume",
                                   "drop",
                                   "delay",
                                   "duplicate",
                                   "client",
                                   "propose",
                                   "campaign",
                                   "add-voter",
                                   "remove",
                                   "add-learner",
                                   "promote",
                                   "demote",
                                   "joint",
                                   "enter-joint",
                                   "leave-joint",
                                   "transfer",
                                   "bootstrap",
                                   "via",
                                   "learners",
                                   "clog",
                                   "get",
                                   "put",
                                   "append",
                                   "cas",
                                   "no-violation",
                                   "violation",
                                   "leader",
                                   "by",
                                   "result",
                                   "ok",
                                   "safety",
                                   "liveness",
                                   "pre_vote",
                                   "check_quorum",
                                   "loss",
                                   "dup",
                                   "election_ticks",
                                   "loss_ppm",
                                   "on",
                                   "off",
                                   "=",
                                   "{",
                                   "}",
                                   ",",
                                   "->",
                                   "*",
                                   "#",
                                   "\"",
                                   "\"a b\"",
                                   "\"\\x4\"",
                                   "\"\\q\"",
                                   "0",
                                   "1",
                                   "2",
                                   "3",
                                   "5",
                                   "9",
                                   "10",
                                   "-1",
                                   "0.5",
                                   "1.5",
                                   "0.0000001",
                                   "150ms",
                                   "2s",
                                   "1500us",
                                   "0s",
                                   "1000001s",
                                   "99999999999999999999s",
                                   "k",
                                   "v",
                                   "\n",
                                   "\n",
                                   "\n",
                                   "\r\n",
                                   "\t",
                                   "\x01",
                                   "\xff"};
  return *kWords;
}

// Whether `message` is "fuzz.scn:<line>:<col>: expected <what>, found
// <what>" on one line; sets line and col. (Hand-written rather than
// std::regex: libstdc++ 12's regex trips -Wmaybe-uninitialized at -O1.)
bool HasErrorShape(absl::string_view message, size_t* line, size_t* col) {
  if (message.find('\n') != absl::string_view::npos) return false;
  if (!absl::ConsumePrefix(&message, "fuzz.scn:")) return false;
  for (size_t* number : {line, col}) {
    size_t digits = 0;
    while (digits < message.size() && absl::ascii_isdigit(message[digits])) {
      ++digits;
    }
    if (digits == 0 || digits > 9 || message.size() == digits ||
        message[digits] != ':') {
      return false;
    }
    *number = std::stoul(std::string(message.substr(0, digits)));
    message.remove_prefix(digits + 1);
  }
  if (!absl::ConsumePrefix(&message, " expected ")) return false;
  const size_t found = message.find(", found ");
  return found != absl::string_view::npos && found > 0 &&
         message.size() > found + 8;
}

// The whole property: either a scenario that round-trips, or one precise
// error line pointing inside the input.
void CheckAnswer(const std::string& text) {
  absl::StatusOr<Scenario> s = ParseScenario(text, kFile);
  if (s.ok()) {
    const std::string canonical = FormatScenario(*s);
    absl::StatusOr<Scenario> again = ParseScenario(canonical, kFile);
    RC_ASSERT(again.ok());
    RC_ASSERT(*again == *s);
    return;
  }
  RC_ASSERT(s.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(s.status().message());
  size_t line = 0;
  size_t col = 0;
  if (!HasErrorShape(message, &line, &col)) {
    RC_FAIL("malformed error: " + message);
  }
  // The position is inside the input: a line that exists, and a column at
  // most one past that line's end.
  const std::vector<std::string> lines = absl::StrSplit(text, '\n');
  RC_ASSERT(line >= 1);
  RC_ASSERT(line <= lines.size());
  RC_ASSERT(col >= 1);
  RC_ASSERT(col <= lines[line - 1].size() + 1);
}

std::vector<std::string> ValidInputs() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios")) {
    if (entry.path().extension() == ".scn") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());  // Directory order is arbitrary.
  std::vector<std::string> texts = {kEveryAction};
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
}

const std::vector<std::string>& Inputs() {
  static const auto* const kInputs =
      new std::vector<std::string>(ValidInputs());
  return *kInputs;
}

TEST(ScenarioFuzz, ExamplesAreValid) {
  ASSERT_GE(Inputs().size(), 9u);
  for (const std::string& text : Inputs()) {
    EXPECT_TRUE(ParseScenario(text, kFile).ok()) << text;
  }
}

// Not random: every prefix and every one-byte deletion of every example.
TEST(ScenarioFuzz, EveryTruncationAndByteDeletion) {
  for (const std::string& text : Inputs()) {
    for (size_t i = 0; i <= text.size(); ++i) {
      const std::string prefix = text.substr(0, i);
      const std::string deleted =
          i < text.size() ? text.substr(0, i) + text.substr(i + 1) : text;
      for (const std::string& variant : {prefix, deleted}) {
        absl::StatusOr<Scenario> s = ParseScenario(variant, kFile);
        if (s.ok()) {
          absl::StatusOr<Scenario> again =
              ParseScenario(FormatScenario(*s), kFile);
          ASSERT_TRUE(again.ok()) << again.status();
          ASSERT_EQ(*again, *s);
        } else {
          size_t line = 0;
          size_t col = 0;
          ASSERT_TRUE(HasErrorShape(s.status().message(), &line, &col))
              << s.status();
        }
      }
    }
  }
}

RC_GTEST_PROP(ScenarioFuzz, RandomBytes, ()) {
  const auto bytes = *rc::gen::container<std::string>(rc::gen::map(
      rc::gen::inRange(0, 256), [](int c) { return static_cast<char>(c); }));
  CheckAnswer(bytes);
  // Past the header too, where most of the grammar lives.
  CheckAnswer("nodes 5\n" + bytes);
  CheckAnswer("nodes 5\nat 1s " + bytes);
}

RC_GTEST_PROP(ScenarioFuzz, TokenSoup, ()) {
  const std::vector<std::string> tokens =
      *rc::gen::container<std::vector<std::string>>(
          rc::gen::elementOf(Vocabulary()));
  const std::string sep = *rc::gen::element<std::string>(" ", "", "\n");
  const std::string soup = absl::StrJoin(tokens, sep);
  CheckAnswer(soup);
  CheckAnswer("nodes 5\n" + soup);
  CheckAnswer("nodes 5\nat 1s " + soup);
}

// One random edit of `text`.
std::string Mutate(std::string text) {
  const std::vector<std::string>& vocab = Vocabulary();
  const size_t n = text.size();
  const auto pos = *rc::gen::inRange<size_t>(0, n + 1);
  switch (*rc::gen::inRange(0, 8)) {
    case 0:  // Delete a character.
      if (pos < n) text.erase(pos, 1);
      break;
    case 1:  // Insert a character.
      text.insert(pos, 1, static_cast<char>(*rc::gen::inRange(0, 256)));
      break;
    case 2:  // Replace a character with a printable one.
      if (pos < n) text[pos] = static_cast<char>(*rc::gen::inRange(32, 127));
      break;
    case 3:  // Insert a token.
      text.insert(pos, " " + *rc::gen::elementOf(vocab) + " ");
      break;
    case 4: {  // Delete or replace a token (a run of non-spaces).
      size_t begin = std::min(pos, n);
      while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '\n') {
        --begin;
      }
      size_t end = begin;
      while (end < n && text[end] != ' ' && text[end] != '\n') ++end;
      const bool replace = *rc::gen::arbitrary<bool>();
      text.replace(begin, end - begin,
                   replace ? *rc::gen::elementOf(vocab) : std::string());
      break;
    }
    default: {  // Swap, duplicate or delete lines.
      std::vector<std::string> lines = absl::StrSplit(text, '\n');
      const auto i = *rc::gen::inRange<size_t>(0, lines.size());
      const auto j = *rc::gen::inRange<size_t>(0, lines.size());
      const auto op = *rc::gen::inRange(0, 3);
      if (op == 0) std::swap(lines[i], lines[j]);
      if (op == 1)
        lines.insert(lines.begin() + static_cast<ptrdiff_t>(j), lines[i]);
      if (op == 2) lines.erase(lines.begin() + static_cast<ptrdiff_t>(i));
      text = absl::StrJoin(lines, "\n");
      break;
    }
  }
  return text;
}

RC_GTEST_PROP(ScenarioFuzz, MutatedExamples, ()) {
  std::string text = *rc::gen::elementOf(Inputs());
  const auto edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits; ++i) text = Mutate(std::move(text));
  // How deep the edits get: the share that still parses is printed.
  RC_CLASSIFY(ParseScenario(text, kFile).ok(), "still parses");
  CheckAnswer(text);
}

}  // namespace
}  // namespace raftsim::sim
