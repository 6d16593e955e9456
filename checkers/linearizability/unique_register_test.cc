// checkers/linearizability/unique_register_test.cc — hand-built histories
// for the unique-value fast path with cas (unique_register.h): what it
// accepts, what it rejects and with which witness, and what it leaves to
// the search.

#include "checkers/linearizability/unique_register.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "checkers/linearizability/brute_force.h"
#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {
namespace {

using internal::CheckUniqueRegister;
using internal::IsLinearization;
using internal::UniqueRegisterResult;
using ::testing::ElementsAre;
constexpr std::optional<int64_t> kUnknown = std::nullopt;

Operation Get(int64_t call, std::optional<int64_t> ret, std::string out) {
  Operation op{0, OpKind::kGet, "k", {}, {}, {}, call, ret};
  if (ret) op.output = out;
  return op;
}
Operation Put(int64_t call, std::optional<int64_t> ret, std::string v) {
  return Operation{0, OpKind::kPut, "k", v, {}, {}, call, ret};
}
Operation Cas(int64_t call, std::optional<int64_t> ret, std::string expected,
              std::string v, bool swapped) {
  Operation op{0, OpKind::kCas, "k", v, expected, {}, call, ret};
  if (ret) op.output = swapped;
  return op;
}

std::vector<const Operation*> Ptrs(const History& h) {
  std::vector<const Operation*> ops;
  for (const Operation& op : h) ops.push_back(&op);
  return ops;
}

// The fast path's answer, checked for consistency with brute force: an
// acceptance carries a linearization, a rejection a witness brute force
// rejects too. Also checks that the whole checker agrees with brute force.
std::optional<UniqueRegisterResult> Fast(const History& h) {
  const std::vector<const Operation*> ops = Ptrs(h);
  const std::optional<UniqueRegisterResult> r = CheckUniqueRegister(ops);
  const bool truth = BruteForceLinearizable(h);
  const LinearizabilityResult full = CheckLinearizability(h);
  EXPECT_NE(full.outcome, LinearizabilityResult::Outcome::kUnknown);
  EXPECT_EQ(full.linearizable(), truth) << full.Describe();
  if (!r.has_value()) return r;
  EXPECT_EQ(r->linearizable, truth);
  if (r->linearizable) {
    EXPECT_TRUE(IsLinearization(ops, r->linearization));
  } else {
    History witness;
    for (size_t i : r->witness) witness.push_back(h[i]);
    EXPECT_FALSE(BruteForceLinearizable(witness));
  }
  return r;
}

TEST(UniqueRegister, CasChainIsAccepted) {
  // put a; cas a->b; cas b->c, with reads of every value, some concurrent.
  const History h = {
      Put(0, 10, "a"),  Get(5, 12, "a"),  Cas(11, 20, "a", "b", true),
      Get(15, 25, "b"), Get(21, 22, "b"), Cas(23, 30, "b", "c", true),
      Get(31, 32, "c"), Get(28, 40, "c")};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->linearizable);
  EXPECT_THAT(r->linearization, ElementsAre(0, 1, 2, 3, 4, 5, 7, 6));
}

TEST(UniqueRegister, ChainsOrderedByRealTime) {
  // Two chains: "" -> x by cas, then put a -> b by cas, read in order.
  const History h = {Cas(0, 5, "", "x", true), Get(6, 7, "x"), Put(8, 9, "a"),
                     Cas(10, 12, "a", "b", true), Get(13, 14, "b")};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->linearizable);
  // Reading x again after the put is a stale read: the chains cross.
  History stale = h;
  stale.push_back(Get(15, 16, "x"));
  const std::optional<UniqueRegisterResult> bad = Fast(stale);
  ASSERT_TRUE(bad.has_value());
  EXPECT_FALSE(bad->linearizable);
  EXPECT_LE(bad->witness.size(), 5u);
}

TEST(UniqueRegister, TwoSwapsOfOneValueAreRejected) {
  const History h = {Put(0, 1, "a"), Cas(2, 10, "a", "b", true),
                     Cas(2, 10, "a", "c", true)};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->linearizable);
  EXPECT_THAT(r->witness, ElementsAre(0, 1, 2));
  // Also when the second one's outcome is unknown but its value is read.
  const History forced = {Put(0, 1, "a"), Cas(2, 10, "a", "b", true),
                          Cas(2, kUnknown, "a", "c", true), Get(20, 21, "c")};
  const std::optional<UniqueRegisterResult> f = Fast(forced);
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->linearizable);
  EXPECT_THAT(f->witness, ElementsAre(0, 1, 2, 3));
}

TEST(UniqueRegister, CycleOfSwapsIsRejected) {
  const History h = {Cas(0, 1, "a", "b", true), Cas(0, 1, "b", "a", true)};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->linearizable);
  EXPECT_THAT(r->witness, ElementsAre(0, 1));
}

TEST(UniqueRegister, ReadOfAnUnknownCasValueForcesIt) {
  // The cas must have swapped for "b" to be read...
  const History h = {Put(0, 1, "a"), Cas(2, kUnknown, "a", "b", true),
                     Get(5, 6, "b")};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->linearizable);
  EXPECT_THAT(r->linearization, ElementsAre(0, 1, 2));
  // ... so "a" cannot be read after "b".
  History back = h;
  back.push_back(Get(7, 8, "a"));
  const std::optional<UniqueRegisterResult> b = Fast(back);
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->linearizable);
  EXPECT_THAT(b->witness, ElementsAre(0, 1, 2, 3));
  // ... and it swapped "a" after its call: not possible once "x"
  // overwrote "a" before it was called.
  const History late = {Put(0, 1, "a"), Put(2, 3, "x"),
                        Cas(4, kUnknown, "a", "b", true), Get(10, 11, "b")};
  const std::optional<UniqueRegisterResult> l = Fast(late);
  ASSERT_TRUE(l.has_value());
  EXPECT_FALSE(l->linearizable);
  // An unknown cas whose value nobody reads is dropped.
  const History dropped = {Put(0, 1, "a"), Cas(2, kUnknown, "a", "b", true),
                           Get(5, 6, "a")};
  const std::optional<UniqueRegisterResult> d = Fast(dropped);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->linearizable);
  EXPECT_THAT(d->linearization, ElementsAre(0, 2));
}

TEST(UniqueRegister, FailingCasIsPlacedWhereTheValueDiffers) {
  // Before the put takes effect, the value is "" != "a".
  const History h = {Put(0, 10, "a"), Cas(2, 3, "a", "x", false),
                     Get(20, 21, "a")};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->linearizable);
  EXPECT_THAT(r->linearization, ElementsAre(1, 0, 2));
  // After "a" was swapped away.
  const History after = {Put(0, 1, "a"), Cas(2, 3, "a", "b", true),
                         Cas(4, 5, "a", "x", false), Get(6, 7, "b")};
  const std::optional<UniqueRegisterResult> a = Fast(after);
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->linearizable);
}

TEST(UniqueRegister, FailingCasBetweenReadsOfItsValueIsRejected) {
  // "a" is the value from the put through the later read.
  const History h = {Put(0, 1, "a"), Cas(2, 3, "a", "x", false),
                     Get(4, 5, "a")};
  const std::optional<UniqueRegisterResult> r = Fast(h);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->linearizable);
  EXPECT_THAT(r->witness, ElementsAre(0, 1, 2));
}

TEST(UniqueRegister, FailingCasThatCannotBePlacedFallsBack) {
  // Only an unknown put nobody reads can move the value off "a": the fast
  // path drops it and finds no place; the search decides (linearizable).
  const History unknown_write = {Put(0, 1, "a"), Put(2, kUnknown, "u"),
                                 Cas(3, 4, "a", "x", false)};
  EXPECT_FALSE(Fast(unknown_write).has_value());
  EXPECT_TRUE(CheckLinearizability(unknown_write).linearizable());
  // The put of "a" must follow the cas that swaps "" (which the read of ""
  // precedes... no: the swap needs ""), so the value is "a" from then on:
  // not linearizable, but no rule of the fast path proves it; the search
  // does.
  const History no_place = {Get(1, 8, ""), Put(1, 7, "a"),
                            Cas(2, 8, "", "b", true),
                            Cas(11, 17, "a", "c", false)};
  EXPECT_FALSE(Fast(no_place).has_value());
  EXPECT_EQ(CheckLinearizability(no_place).outcome,
            LinearizabilityResult::Outcome::kViolation);
}

TEST(UniqueRegister, NeedsNoSearchBudget) {
  LinearizabilityOptions options;
  options.max_steps_per_key = 1;
  const History h = {Put(0, 10, "a"), Cas(11, 20, "a", "b", true),
                     Cas(12, 13, "a", "z", false), Get(21, 22, "b")};
  EXPECT_TRUE(CheckLinearizability(h, options).linearizable());
  History bad = h;
  bad.push_back(Get(30, 31, "a"));
  const LinearizabilityResult r = CheckLinearizability(bad, options);
  ASSERT_EQ(r.outcome, LinearizabilityResult::Outcome::kViolation);
  EXPECT_TRUE(r.witness_is_minimal);
}

TEST(UniqueRegister, DeclinesOutsideItsClass) {
  const Operation put_a = Put(0, 1, "a");
  const Operation put_empty = Put(0, 1, "");
  const Operation cas_to_a = Cas(0, 1, "", "a", true);
  const Operation cas_to_empty = Cas(0, kUnknown, "a", "", true);
  const Operation failing_to_a = Cas(0, 1, "b", "a", false);
  EXPECT_FALSE(CheckUniqueRegister({&put_a, &cas_to_a}).has_value());
  EXPECT_FALSE(CheckUniqueRegister({&put_empty}).has_value());
  EXPECT_FALSE(CheckUniqueRegister({&cas_to_empty}).has_value());
  // A cas that returned false writes nothing: its value may repeat.
  EXPECT_TRUE(CheckUniqueRegister({&put_a, &failing_to_a}).has_value());
}

TEST(UniqueRegister, IsLinearizationChecksEverything) {
  const History h = {Put(0, 10, "a"), Cas(11, 20, "a", "b", true),
                     Get(21, 22, "b"), Cas(0, kUnknown, "b", "c", true)};
  const std::vector<const Operation*> ops = Ptrs(h);
  EXPECT_TRUE(IsLinearization(ops, {0, 1, 2}));
  EXPECT_TRUE(IsLinearization(ops, {0, 1, 2, 3}));   // The unknown cas last.
  EXPECT_FALSE(IsLinearization(ops, {0, 1, 3, 2}));  // Reads "c", not "b".
  EXPECT_FALSE(IsLinearization(ops, {0, 1}));        // A completed op left out.
  EXPECT_FALSE(IsLinearization(ops, {0, 1, 2, 2}));  // Listed twice.
  EXPECT_FALSE(IsLinearization(ops, {0, 1, 2, 4}));  // Out of range.
  EXPECT_FALSE(IsLinearization(ops, {1, 0, 2}));     // Cas before the put.
  // Real time: a put that returned before another was called comes first.
  const History two = {Put(0, 1, "a"), Put(2, 3, "b")};
  EXPECT_TRUE(IsLinearization(Ptrs(two), {0, 1}));
  EXPECT_FALSE(IsLinearization(Ptrs(two), {1, 0}));
}

}  // namespace
}  // namespace raftsim::checkers
