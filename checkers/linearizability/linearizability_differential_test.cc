// checkers/linearizability/linearizability_differential_test.cc — the fast
// checker agrees with the brute-force one on small random histories.
//
// Histories of 1-7 operations over 1-2 keys with tiny value alphabets (so
// values collide and appends build strings other writes also produce),
// overlapping and touching intervals, and unknown-outcome operations. Half
// are linearizable by construction; the other half have one output mutated.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "base/prng.h"
#include "checkers/linearizability/brute_force.h"
#include "checkers/linearizability/history.h"
#include "checkers/linearizability/history_generator.h"
#include "checkers/linearizability/linearizability.h"

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

}  // namespace
}  // namespace raftsim::checkers
