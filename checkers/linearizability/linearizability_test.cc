// checkers/linearizability/linearizability_test.cc — hand-built good and bad
// histories.

#include "checkers/linearizability/linearizability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checkers/linearizability/brute_force.h"
#include "checkers/linearizability/history_generator.h"

namespace raftsim::checkers {
namespace {

using ::testing::HasSubstr;
constexpr std::optional<int64_t> kUnknown = std::nullopt;

Operation Get(int64_t c, int64_t call, std::optional<int64_t> ret,
              std::string out) {
  Operation op{c, OpKind::kGet, "k", {}, {}, {}, call, ret};
  if (ret) op.output = out;
  return op;
}
Operation Write(OpKind kind, int64_t c, int64_t call,
                std::optional<int64_t> ret, std::string v) {
  return Operation{c, kind, "k", v, {}, {}, call, ret};
}
Operation Put(int64_t c, int64_t call, std::optional<int64_t> r,
              std::string v) {
  return Write(OpKind::kPut, c, call, r, v);
}
Operation Append(int64_t c, int64_t call, std::optional<int64_t> r,
                 std::string v) {
  return Write(OpKind::kAppend, c, call, r, v);
}
Operation Cas(int64_t c, int64_t call, std::optional<int64_t> ret,
              std::string expected, std::string v, bool swapped) {
  Operation op{c, OpKind::kCas, "k", v, expected, {}, call, ret};
  if (ret) op.output = swapped;
  return op;
}

bool Linearizable(const History& h) {
  const LinearizabilityResult r = CheckLinearizability(h);
  EXPECT_NE(r.outcome, LinearizabilityResult::Outcome::kUnknown);
  if (h.size() <= 9) {
    EXPECT_EQ(r.linearizable(), BruteForceLinearizable(h));
  }
  return r.linearizable();
}

TEST(Linearizability, EmptyAndInitialValue) {
  EXPECT_TRUE(Linearizable({}));
  EXPECT_TRUE(Linearizable({Get(1, 0, 1, "")}));
  EXPECT_FALSE(Linearizable({Get(1, 0, 1, "x")}));
}

TEST(Linearizability, ConcurrentPutMayBeSeenOrNot) {
  EXPECT_TRUE(Linearizable({Put(1, 0, 10, "a"), Get(2, 5, 6, "a")}));
  EXPECT_TRUE(Linearizable({Put(1, 0, 10, "a"), Get(2, 5, 6, "")}));
}

TEST(Linearizability, StaleReadAfterRealTimeOrderIsAViolation) {
  EXPECT_FALSE(Linearizable({Put(1, 0, 10, "a"), Get(2, 11, 12, "")}));
  EXPECT_FALSE(Linearizable(
      {Put(1, 0, 10, "a"), Put(1, 20, 30, "b"), Get(2, 31, 40, "a")}));
  // Touching intervals are concurrent: return == call does not order them.
  EXPECT_TRUE(Linearizable({Put(1, 0, 10, "a"), Get(2, 10, 12, "")}));
}

TEST(Linearizability, ReadsCannotGoBackInTime) {
  // Two reads, one after the other, while a put is pending: once "a" was
  // seen, "" may not be seen again.
  EXPECT_TRUE(Linearizable(
      {Put(1, 0, 100, "a"), Get(2, 10, 20, ""), Get(2, 30, 40, "a")}));
  EXPECT_FALSE(Linearizable(
      {Put(1, 0, 100, "a"), Get(2, 10, 20, "a"), Get(2, 30, 40, "")}));
}

TEST(Linearizability, AppendConcatenatesInSomeOrder) {
  EXPECT_TRUE(Linearizable(
      {Append(1, 0, 10, "a"), Append(2, 0, 10, "b"), Get(3, 20, 30, "ba")}));
  EXPECT_FALSE(Linearizable(
      {Append(1, 0, 10, "a"), Append(2, 11, 15, "b"), Get(3, 20, 30, "ba")}));
  EXPECT_FALSE(Linearizable({Append(1, 0, 10, "a"), Get(3, 20, 30, "aa")}));
}

TEST(Linearizability, CasSemantics) {
  EXPECT_TRUE(Linearizable({Cas(1, 0, 1, "", "a", true), Get(2, 2, 3, "a")}));
  EXPECT_FALSE(Linearizable({Cas(1, 0, 1, "", "a", false)}));
  EXPECT_TRUE(Linearizable({Cas(1, 0, 1, "x", "a", false), Get(2, 2, 3, "")}));
  EXPECT_FALSE(Linearizable({Cas(1, 0, 1, "x", "a", true)}));
  // Only one of two concurrent identical cas operations can swap.
  EXPECT_FALSE(Linearizable(
      {Cas(1, 0, 10, "", "a", true), Cas(2, 0, 10, "", "b", true)}));
  EXPECT_TRUE(
      Linearizable({Cas(1, 0, 10, "", "a", true), Cas(2, 0, 10, "", "b", false),
                    Get(3, 11, 12, "a")}));
}

TEST(Linearizability, UnknownOutcomeMayBeTaken) {
  EXPECT_TRUE(Linearizable({Put(1, 0, kUnknown, "a"), Get(2, 50, 60, "a")}));
  // ... at any instant after its call, however late.
  EXPECT_TRUE(Linearizable(
      {Put(1, 0, kUnknown, "a"), Get(2, 50, 60, ""), Get(2, 70, 80, "a")}));
  EXPECT_TRUE(Linearizable(
      {Append(1, 0, kUnknown, "b"), Put(2, 5, 6, "a"), Get(3, 50, 60, "ab")}));
  EXPECT_TRUE(Linearizable({Cas(1, 0, kUnknown, "a", "c", true),
                            Put(2, 5, 6, "a"), Get(3, 50, 60, "c")}));
}

TEST(Linearizability, UnknownOutcomeMayBeSkipped) {
  EXPECT_TRUE(Linearizable({Put(1, 0, kUnknown, "a"), Get(2, 50, 60, "")}));
  EXPECT_TRUE(Linearizable(
      {Append(1, 0, kUnknown, "x"), Append(2, 1, 2, "a"), Get(3, 5, 6, "a")}));
}

TEST(Linearizability, UnknownOutcomeTakesEffectAtMostOnce) {
  EXPECT_FALSE(
      Linearizable({Append(1, 0, kUnknown, "a"), Get(2, 50, 60, "aa")}));
  EXPECT_FALSE(Linearizable({Put(1, 0, kUnknown, "a"), Get(2, 50, 60, "a"),
                             Put(3, 61, 62, "b"), Get(2, 70, 80, "a")}));
}

TEST(Linearizability, UnknownOutcomeCannotActBeforeItsCall) {
  EXPECT_FALSE(Linearizable({Get(2, 0, 10, "a"), Put(1, 11, kUnknown, "a")}));
}

TEST(Linearizability, KeysAreIndependent) {
  Operation other = Put(1, 0, 1, "z");
  other.key = "other";
  EXPECT_TRUE(Linearizable({other, Get(2, 5, 6, "")}));
}

TEST(Linearizability, ViolationReportsASmallWitness) {
  Prng prng(7);
  GeneratorOptions options;
  options.num_ops = 2000;
  GeneratedHistory g = GenerateHistory(prng, options);
  ASSERT_TRUE(CheckLinearizability(g.history).linearizable());
  ASSERT_EQ(CorruptReads(prng, g, 1), 1);
  const LinearizabilityResult r = CheckLinearizability(g.history);
  ASSERT_EQ(r.outcome, LinearizabilityResult::Outcome::kViolation);
  EXPECT_LE(r.witness.size(), 6u) << r.Describe();
  EXPECT_TRUE(r.witness_is_minimal);
  EXPECT_FALSE(CheckLinearizability(r.witness).linearizable());
  EXPECT_THAT(r.Describe(), HasSubstr("NOT linearizable"));
}

TEST(Linearizability, BudgetExhaustedIsUnknownNotAnswer) {
  LinearizabilityOptions options;
  options.max_steps_per_key = 1;
  const LinearizabilityResult r = CheckLinearizability(
      {Append(1, 0, 10, "a"), Append(2, 0, 10, "b"), Get(3, 0, 10, "ab")},
      options);
  EXPECT_EQ(r.outcome, LinearizabilityResult::Outcome::kUnknown);
  EXPECT_THAT(r.Describe(), HasSubstr("could not decide"));
}

// Unique-value put/get keys take the O(n log n) path (unique_register.h),
// which needs no search budget: both verdicts come back with budget 1.
TEST(Linearizability, UniqueRegisterFastPathNeedsNoBudget) {
  LinearizabilityOptions options;
  options.max_steps_per_key = 1;
  EXPECT_TRUE(
      CheckLinearizability(
          {Put(1, 0, 10, "a"), Put(2, 0, 10, "b"), Get(3, 0, 10, "a")}, options)
          .linearizable());
  const LinearizabilityResult r = CheckLinearizability(
      {Put(1, 0, 10, "a"), Put(2, 20, 30, "b"), Get(3, 40, 50, "a"),
       Put(4, 0, kUnknown, "never read")},
      options);
  ASSERT_EQ(r.outcome, LinearizabilityResult::Outcome::kViolation);
  EXPECT_EQ(r.witness.size(), 3u) << r.Describe();
  EXPECT_TRUE(r.witness_is_minimal);
}

}  // namespace
}  // namespace raftsim::checkers
