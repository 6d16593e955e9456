// base/check_test.cc — tests for base/check.h.
//
// Built twice (base/BUILD.bazel): `check_test` as usual and
// `check_ndebug_test` with -DNDEBUG, to prove the checks are never compiled
// out. The NDEBUG build also defines RAFTSIM_EXPECT_NDEBUG so that it can
// confirm NDEBUG really is in effect.
//
// Single-threaded.

#include "base/check.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "base/strong_id.h"
#include "gtest/gtest.h"

namespace raftsim {
namespace {

#ifdef NDEBUG
constexpr bool kNdebug = true;
#else
constexpr bool kNdebug = false;
#endif

#ifdef RAFTSIM_EXPECT_NDEBUG
constexpr bool kExpectNdebug = true;
#else
constexpr bool kExpectNdebug = false;
#endif

// Guards the NDEBUG variant: if the copts stopped defining NDEBUG, the
// "fires with NDEBUG" tests below would silently test nothing new.
TEST(Check, BuildModeIsTheOneThisTargetClaims) {
  EXPECT_EQ(kNdebug, kExpectNdebug);
}

TEST(CheckDeathTest, FailingCheckAborts) {
  EXPECT_DEATH(CHECK(1 + 1 == 3), "CHECK failed: 1 \\+ 1 == 3");
}

TEST(CheckDeathTest, MessageHasFileAndLine) {
  EXPECT_DEATH(CHECK(false),
               "base/check_test\\.cc:[0-9]+: CHECK failed: false");
}

TEST(CheckDeathTest, StreamedContextIsAppended) {
  const int term = 7;
  EXPECT_DEATH(CHECK(term < 0) << "term=" << term << " node=" << NodeId(3),
               "CHECK failed: term < 0 term=7 node=n3");
}

TEST(CheckDeathTest, ComparisonPrintsBothOperands) {
  const int a = 1;
  const int b = 2;
  EXPECT_DEATH(CHECK_EQ(a, b), "CHECK failed: a == b \\(1 vs 2\\)");
  EXPECT_DEATH(CHECK_NE(a, a), "CHECK failed: a != a \\(1 vs 1\\)");
  EXPECT_DEATH(CHECK_LT(b, a), "CHECK failed: b < a \\(2 vs 1\\)");
  EXPECT_DEATH(CHECK_LE(b, a), "CHECK failed: b <= a \\(2 vs 1\\)");
  EXPECT_DEATH(CHECK_GT(a, b), "CHECK failed: a > b \\(1 vs 2\\)");
  EXPECT_DEATH(CHECK_GE(a, b), "CHECK failed: a >= b \\(1 vs 2\\)");
}

TEST(CheckDeathTest, ComparisonPrintsStrongIdsWithDescribeFormat) {
  EXPECT_DEATH(CHECK_EQ(Term(1), Term(2)) << "stale", "\\(t1 vs t2\\) stale");
  EXPECT_DEATH(CHECK_GE(LogIndex(3), LogIndex(9)), "\\(i3 vs i9\\)");
}

TEST(Check, PassingChecksDoNothing) {
  CHECK(true) << "never printed";
  CHECK_EQ(2, 2);
  CHECK_NE(1, 2);
  CHECK_LT(1, 2);
  CHECK_LE(2, 2);
  CHECK_GT(3, 2);
  CHECK_GE(3, 3);
  CHECK_EQ(Term(4), Term(4));
}

TEST(Check, OperandsAreEvaluatedOnceWhenPassing) {
  int calls = 0;
  CHECK(++calls == 1);
  EXPECT_EQ(calls, 1);
  int left = 0;
  int right = 10;
  CHECK_EQ(++left, 1);
  CHECK_LT(++left, ++right);
  EXPECT_EQ(left, 2);
  EXPECT_EQ(right, 11);
}

TEST(CheckDeathTest, OperandsAreEvaluatedOnceWhenFailing) {
  // The streamed context runs after the comparison; if an operand were
  // evaluated twice, both the printed operand and n would read 2.
  EXPECT_DEATH(
      {
        int n = 0;
        CHECK_EQ(++n, 5) << "n=" << n;
      },
      "\\(1 vs 5\\) n=1");
}

TEST(Check, StreamedContextIsNotEvaluatedWhenPassing) {
  int evaluated = 0;
  CHECK(true) << ++evaluated;
  CHECK_EQ(1, 1) << ++evaluated;
  EXPECT_EQ(evaluated, 0);
}

TEST(Check, ParsesInsideIfElse) {
  // -Werror turns a dangling-else warning into a build failure, and if the
  // macro were a bare `if`, the `else` would bind to it.
  bool took_else = false;
  if (false)
    CHECK(false) << "unreachable";
  else
    took_else = true;
  EXPECT_TRUE(took_else);

  took_else = false;
  if (false)
    CHECK_EQ(1, 2);
  else
    took_else = true;
  EXPECT_TRUE(took_else);

  took_else = false;
  if (true)
    CHECK(true);
  else
    took_else = true;
  EXPECT_FALSE(took_else);
}

void ExitingHandler(const std::string& message) {
  std::fprintf(stderr, "custom handler got: %s\n", message.c_str());
  std::fflush(stderr);
  _exit(3);
}

TEST(CheckDeathTest, CustomHandlerReceivesTheMessage) {
  EXPECT_EXIT(
      {
        SetCheckFailureHandler(&ExitingHandler);
        CHECK_EQ(1, 2) << "context";
      },
      ::testing::ExitedWithCode(3),
      "custom handler got: .*check_test\\.cc:[0-9]+: CHECK failed: 1 == 2 "
      "\\(1 vs 2\\) context");
}

void ReturningHandler(const std::string& message) {
  std::fprintf(stderr, "returning handler: %s\n", message.c_str());
}

TEST(CheckDeathTest, HandlerThatReturnsStillStopsTheProcess) {
  EXPECT_DEATH(
      {
        SetCheckFailureHandler(&ReturningHandler);
        CHECK(false);
      },
      "returning handler: .*CHECK failed: false");
}

TEST(Check, SetHandlerReturnsThePreviousOne) {
  const CheckFailureHandler original = SetCheckFailureHandler(&ExitingHandler);
  EXPECT_NE(original, nullptr);
  EXPECT_EQ(SetCheckFailureHandler(nullptr), &ExitingHandler);
  // nullptr restored the default, which is what we started with.
  EXPECT_EQ(SetCheckFailureHandler(nullptr), original);
}

}  // namespace
}  // namespace raftsim
