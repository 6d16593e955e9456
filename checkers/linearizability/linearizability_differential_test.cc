// checkers/linearizability/linearizability_differential_test.cc — the fast
// checker agrees with the brute-force one on small random histories.
//
// Histories of 1-7 operations over 1-2 keys with tiny value alphabets (so
// values collide and appends build strings other writes also produce),
// overlapping and touching intervals, and unknown-outcome operations. Half
// are linearizable by construction; the other half have one output mutated.
//
// The unique-value register fast path (unique_register.h) is cross-checked
// on its own class: put/get histories with unique values, where a mutated
// read names another writer, against brute force and against the search.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "base/prng.h"
#include "checkers/linearizability/brute_force.h"
#include "checkers/linearizability/history.h"
#include "checkers/linearizability/history_generator.h"
#include "checkers/linearizability/key_search.h"
#include "checkers/linearizability/linearizability.h"
#include "checkers/linearizability/unique_register.h"

namespace raftsim::checkers {
namespace {

History SmallHistory(uint64_t seed) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = static_cast<int>(prng.Range(1, 7));
  options.num_clients = static_cast<int>(prng.Range(1, 4));
  options.num_keys = static_cast<int>(prng.Range(1, 2));
  options.unknown_percent = static_cast<int>(prng.Range(0, 40));
  options.think_ns_max = 4;
  options.latency_ns_max = 6;
  options.tiny_values = true;
  History h = GenerateHistory(prng, options).history;
  if (prng.Chance(0.5)) MutateOneOutput(prng, h);
  return h;
}

bool Agree(const History& h, bool& linearizable) {
  linearizable = BruteForceLinearizable(h);
  const LinearizabilityResult fast = CheckLinearizability(h);
  EXPECT_NE(fast.outcome, LinearizabilityResult::Outcome::kUnknown);
  if (fast.linearizable() != linearizable) {
    ADD_FAILURE() << "brute force says "
                  << (linearizable ? "linearizable" : "NOT linearizable")
                  << ", fast checker says:\n"
                  << fast.Describe() << "history:\n"
                  << FormatHistoryJsonLines(h);
    return false;
  }
  if (!linearizable) {
    // The witness must itself be a genuine violation.
    EXPECT_FALSE(BruteForceLinearizable(fast.witness));
  }
  return true;
}

RC_GTEST_PROP(LinearizabilityDifferential, AgreesWithBruteForce,
              (uint64_t seed)) {
  bool linearizable;
  RC_ASSERT(Agree(SmallHistory(seed), linearizable));
  RC_CLASSIFY(linearizable);
}

// A fixed, larger sweep so every run covers the same ground, and both
// verdicts are well represented.
TEST(LinearizabilityDifferential, FixedSeedSweep) {
  int counts[2] = {0, 0};
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    bool linearizable;
    if (!Agree(SmallHistory(seed), linearizable)) {
      FAIL() << "seed " << seed;
    }
    ++counts[linearizable ? 1 : 0];
  }
  EXPECT_GT(counts[0], 3000);
  EXPECT_GT(counts[1], 3000);
}

// A one-key put/get history with unique values: the fast path's class.
History SmallRegisterHistory(uint64_t seed) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = static_cast<int>(prng.Range(1, 8));
  options.num_clients = static_cast<int>(prng.Range(1, 5));
  options.num_keys = 1;
  options.unknown_percent = static_cast<int>(prng.Range(0, 50));
  options.think_ns_max = 4;
  options.latency_ns_max = 6;
  options.mix = OpMix::kRegister;
  History h = GenerateHistory(prng, options).history;
  if (prng.Chance(0.5)) MutateOneRead(prng, h);
  return h;
}

// The fast path decides the history, agrees with brute force and with the
// search, and its witness is itself not linearizable.
bool FastPathAgrees(const History& h, bool& linearizable) {
  std::vector<const Operation*> ops;
  for (const Operation& op : h) ops.push_back(&op);
  linearizable = BruteForceLinearizable(h);
  const std::optional<internal::UniqueRegisterResult> fast =
      internal::CheckUniqueRegister(ops);
  if (!fast.has_value()) {
    ADD_FAILURE() << "fast path declined a unique put/get history:\n"
                  << FormatHistoryJsonLines(h);
    return false;
  }
  const internal::KeySearchResult search = internal::CheckKey(ops, 1'000'000);
  const bool search_linearizable =
      search.outcome == internal::KeySearchResult::Outcome::kLinearizable;
  if (fast->linearizable != linearizable ||
      search_linearizable != linearizable) {
    ADD_FAILURE() << "brute force: " << linearizable
                  << ", fast path: " << fast->linearizable
                  << ", search: " << search_linearizable << "; history:\n"
                  << FormatHistoryJsonLines(h);
    return false;
  }
  if (!linearizable) {
    History witness;
    for (size_t i : fast->witness) witness.push_back(h[i]);
    EXPECT_LE(witness.size(), 6u);
    if (BruteForceLinearizable(witness)) {
      ADD_FAILURE() << "fast-path witness is linearizable:\n"
                    << FormatHistoryJsonLines(witness) << "history:\n"
                    << FormatHistoryJsonLines(h);
      return false;
    }
  }
  return true;
}

TEST(LinearizabilityDifferential, UniqueRegisterFastPathSweep) {
  int counts[2] = {0, 0};
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    bool linearizable;
    if (!FastPathAgrees(SmallRegisterHistory(seed), linearizable)) {
      FAIL() << "seed " << seed;
    }
    ++counts[linearizable ? 1 : 0];
  }
  EXPECT_GT(counts[0], 1500);
  EXPECT_GT(counts[1], 3000);
}

// The fast path declines what it cannot decide exactly.
TEST(LinearizabilityDifferential, UniqueRegisterFastPathDeclines) {
  auto op = [](OpKind kind, std::string value) {
    Operation o;
    o.kind = kind;
    o.key = "k";
    o.value = std::move(value);
    o.return_ns = 1;
    return o;
  };
  const Operation put_a = op(OpKind::kPut, "a");
  const Operation put_empty = op(OpKind::kPut, "");
  const Operation append_b = op(OpKind::kAppend, "b");
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_a, &put_a}).has_value());
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_empty}).has_value());
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_a, &append_b}).has_value());
  EXPECT_TRUE(internal::CheckUniqueRegister({&put_a}).has_value());
}

}  // namespace
}  // namespace raftsim::checkers
