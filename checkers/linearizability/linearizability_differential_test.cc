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
// read names another writer, against brute force and against the search;
// and cas-register histories (cas that swap, cas that return false, unknown
// outcomes), where it may decline (a cas that returned false it cannot
// place) but must never give a verdict brute force contradicts.
//
// Histories shaped like the simulator's (values unique per command,
// appends, cas, retries after lost outcomes) cross-check the search on its
// own, where liveness retires states and merges unknown ops.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <iostream>
#include <optional>
#include <vector>

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

// A one-key history shaped like the simulator's: values unique per command
// ("c<client>.<n>", appends ending in ';'), cas expecting a current or
// earlier value, unknown outcomes, commands retried with the same value
// after an unknown outcome; about two thirds have one or two gets or cas
// mutated. Values are read for a while and then never again, so liveness
// (key_search.h) retires states and merges classes of unknown ops in about
// half of them.
History SmallTokenHistory(uint64_t seed) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = static_cast<int>(prng.Range(1, 8));
  options.num_clients = static_cast<int>(prng.Range(1, 4));
  options.num_keys = 1;
  options.unknown_percent = static_cast<int>(prng.Range(0, 50));
  options.retry_percent = 60;
  options.think_ns_max = 4;
  options.latency_ns_max = 6;
  options.client_tokens = true;
  History h = GenerateHistory(prng, options).history;
  if (prng.Chance(0.5)) MutateOneToken(prng, h);
  if (prng.Chance(0.3)) MutateOneToken(prng, h);
  return h;
}

// Both the whole checker and the search on its own (appends keep most of
// these histories off the unique-register path) agree with brute force.
TEST(LinearizabilityDifferential, ClientTokenSweep) {
  int counts[2] = {0, 0};
  int rewritten = 0;
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    const History h = SmallTokenHistory(seed);
    bool linearizable;
    if (!Agree(h, linearizable)) FAIL() << "seed " << seed;
    std::vector<const Operation*> ops;
    for (const Operation& op : h) ops.push_back(&op);
    const internal::KeySearchResult search = internal::CheckKey(ops, 1'000'000);
    if (search.outcome ==
            internal::KeySearchResult::Outcome::kBudgetExhausted ||
        (search.outcome == internal::KeySearchResult::Outcome::kLinearizable) !=
            linearizable) {
      FAIL() << "seed " << seed << ": brute force says " << linearizable
             << ", the search disagrees; history:\n"
             << FormatHistoryJsonLines(h);
    }
    ++counts[linearizable ? 1 : 0];
    rewritten += search.liveness_rewrites > 0;
  }
  std::cout << "client tokens: " << counts[1] << " linearizable, " << counts[0]
            << " not, liveness rewrote configurations in " << rewritten
            << " of 20000\n";
  EXPECT_GT(counts[0], 3000);
  EXPECT_GT(counts[1], 3000);
  EXPECT_GT(rewritten, 5000);
}

// The rule is exercised on the tiny-alphabet histories too (values die when
// their last reader returns).
TEST(LinearizabilityDifferential, TinyValuesExerciseLiveness) {
  int rewritten = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    const History h = SmallHistory(seed);
    std::vector<const Operation*> ops;
    for (const Operation& op : h) {
      if (op.key == h.front().key) ops.push_back(&op);
    }
    rewritten += internal::CheckKey(ops, 1'000'000).liveness_rewrites > 0;
  }
  std::cout << "tiny values: liveness rewrote configurations in " << rewritten
            << " of 2000\n";
  EXPECT_GT(rewritten, 200);
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

// A one-key get/put/cas history with unique values (Jepsen's cas-register
// mix); half have one get or cas mutated.
History SmallCasHistory(uint64_t seed) {
  Prng prng(seed);
  GeneratorOptions options;
  options.num_ops = static_cast<int>(prng.Range(1, 8));
  options.num_clients = static_cast<int>(prng.Range(1, 5));
  options.num_keys = 1;
  options.unknown_percent = static_cast<int>(prng.Range(0, 50));
  options.think_ns_max = 4;
  options.latency_ns_max = 6;
  options.mix = OpMix::kCasRegister;
  History h = GenerateHistory(prng, options).history;
  if (prng.Chance(0.5)) MutateOneReadOrCas(prng, h);
  return h;
}

struct CasCounts {
  int accepted = 0;
  int rejected = 0;
  int declined = 0;
  int declined_linearizable = 0;
  int with_failed_cas = 0;  // Histories with a cas that returned false.
  int with_unknown_cas = 0;
  int with_swapping_cas = 0;
};

// Whether `h` has a completed cas returning `swapped`.
bool HasCas(const History& h, bool swapped) {
  for (const Operation& op : h) {
    if (op.kind == OpKind::kCas && op.completed() &&
        std::get<bool>(op.output) == swapped) {
      return true;
    }
  }
  return false;
}

// The fast path, when it decides, agrees with brute force; an acceptance
// comes with a linearization, a rejection with a witness that is itself not
// linearizable. When it declines, the whole checker (the search) agrees
// with brute force. Without a cas that returned false it never declines.
bool CasFastPathAgrees(const History& h, CasCounts& counts) {
  std::vector<const Operation*> ops;
  for (const Operation& op : h) ops.push_back(&op);
  const bool linearizable = BruteForceLinearizable(h);
  const bool has_failed_cas = HasCas(h, false);
  counts.with_failed_cas += has_failed_cas;
  counts.with_swapping_cas += HasCas(h, true);
  for (const Operation& op : h) {
    if (op.kind == OpKind::kCas && !op.completed()) {
      ++counts.with_unknown_cas;
      break;
    }
  }
  const std::optional<internal::UniqueRegisterResult> fast =
      internal::CheckUniqueRegister(ops);
  if (!fast.has_value()) {
    ++counts.declined;
    counts.declined_linearizable += linearizable;
    if (!has_failed_cas) {
      ADD_FAILURE() << "fast path declined a history with no failing cas:\n"
                    << FormatHistoryJsonLines(h);
      return false;
    }
    const LinearizabilityResult full = CheckLinearizability(h);
    if (full.outcome == LinearizabilityResult::Outcome::kUnknown ||
        full.linearizable() != linearizable) {
      ADD_FAILURE() << "brute force: " << linearizable << ", checker:\n"
                    << full.Describe() << "history:\n"
                    << FormatHistoryJsonLines(h);
      return false;
    }
    return true;
  }
  if (fast->linearizable != linearizable) {
    ADD_FAILURE() << "brute force: " << linearizable
                  << ", fast path: " << fast->linearizable << "; history:\n"
                  << FormatHistoryJsonLines(h);
    return false;
  }
  if (linearizable) {
    ++counts.accepted;
    if (!internal::IsLinearization(ops, fast->linearization)) {
      ADD_FAILURE() << "accepted without a linearization:\n"
                    << FormatHistoryJsonLines(h);
      return false;
    }
    return true;
  }
  ++counts.rejected;
  History witness;
  for (size_t i : fast->witness) witness.push_back(h[i]);
  if (witness.empty() || BruteForceLinearizable(witness)) {
    ADD_FAILURE() << "fast-path witness is linearizable:\n"
                  << FormatHistoryJsonLines(witness) << "history:\n"
                  << FormatHistoryJsonLines(h);
    return false;
  }
  return true;
}

TEST(LinearizabilityDifferential, CasRegisterFastPathSweep) {
  CasCounts counts;
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    if (!CasFastPathAgrees(SmallCasHistory(seed), counts)) {
      FAIL() << "seed " << seed;
    }
  }
  // The generator covers every kind of cas, and the fast path decides the
  // large majority of histories, both ways.
  std::cout << "cas fast path: " << counts.accepted << " accepted, "
            << counts.rejected << " rejected, " << counts.declined
            << " declined (" << counts.declined_linearizable
            << " of them linearizable) of 20000; with a failing cas "
            << counts.with_failed_cas << ", a swapping cas "
            << counts.with_swapping_cas << ", an unknown cas "
            << counts.with_unknown_cas << "\n";
  EXPECT_GT(counts.with_failed_cas, 4000);
  EXPECT_GT(counts.with_swapping_cas, 4000);
  EXPECT_GT(counts.with_unknown_cas, 3000);
  EXPECT_GT(counts.accepted, 7000);
  EXPECT_GT(counts.rejected, 2500);
  EXPECT_LT(counts.declined, 2000);
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
  Operation cas_a = op(OpKind::kCas, "a");
  cas_a.expected = "";
  cas_a.output = true;
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_a, &put_a}).has_value());
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_empty}).has_value());
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_a, &append_b}).has_value());
  EXPECT_FALSE(internal::CheckUniqueRegister({&put_a, &cas_a}).has_value());
  EXPECT_TRUE(internal::CheckUniqueRegister({&put_a}).has_value());
  EXPECT_TRUE(internal::CheckUniqueRegister({&cas_a}).has_value());
}

}  // namespace
}  // namespace raftsim::checkers
