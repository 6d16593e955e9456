// checkers/linearizability/simulated_history_test.cc — a history from a
// simulated run (testdata/seed1738.jsonl: `raftsim run --seed=1738
// --set=crashes=1,torn_writes=1,partition_asymmetric=1,partition_bridge=1`)
// is decided within a small search budget.
//
// 4,699 operations of 9 clients on one key: gets, puts, appends and cas
// with values unique per command ("c<client>.<n>", appends ending in ";"),
// 402 unknown outcomes, and commands retried with the same value after an
// unknown outcome. The search once needed about 10M steps (and minutes:
// every configuration carried every unknown op it had ever spent); with
// liveness (docs/linearizability.md) it needs about 17,000. The budget,
// not the clock, is what is asserted: over budget the verdict is unknown
// and the test fails.

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "checkers/linearizability/history.h"
#include "checkers/linearizability/key_search.h"
#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {
namespace {

constexpr int64_t kBudget = 200'000;

History Load() {
  absl::StatusOr<History> h =
      ReadHistoryFile("checkers/linearizability/testdata/seed1738.jsonl");
  EXPECT_TRUE(h.ok()) << h.status();
  return h.ok() ? *h : History();
}

int64_t LastReturn(const History& h) {
  int64_t last = 0;
  for (const Operation& op : h) last = std::max(last, op.return_ns.value_or(0));
  return last;
}

Operation Get(int64_t call, int64_t ret, std::string output) {
  Operation op;
  op.client = 100;
  op.kind = OpKind::kGet;
  op.key = "k0";
  op.output = std::move(output);
  op.call_ns = call;
  op.return_ns = ret;
  return op;
}

TEST(SimulatedHistory, LinearizableWithinBudget) {
  const History h = Load();
  ASSERT_EQ(h.size(), 4699u);
  LinearizabilityOptions options;
  options.max_steps_per_key = kBudget;
  const LinearizabilityResult r = CheckLinearizability(h, options);
  EXPECT_EQ(r.outcome, LinearizabilityResult::Outcome::kLinearizable)
      << r.Describe();
  std::cout << "search steps: " << r.steps << "\n";
  // The search itself (appends keep the unique-register path out).
  std::vector<const Operation*> ops;
  for (const Operation& op : h) ops.push_back(&op);
  EXPECT_EQ(internal::CheckKey(ops, kBudget).outcome,
            internal::KeySearchResult::Outcome::kLinearizable);
}

// "c7.1" is written once, by a put that returned at 12,938,000 and was
// overwritten by puts that returned soon after; no unknown op writes it and
// no append can rebuild it. Reading it at the very end, or just after the
// overwrite, is a violation the search must find after the whole history
// (or at once).
TEST(SimulatedHistory, StaleReadAtTheEndIsRejectedWithinBudget) {
  History h = Load();
  const int64_t end = LastReturn(h);
  h.push_back(Get(end + 1, end + 2, "c7.1"));
  LinearizabilityOptions options;
  options.max_steps_per_key = kBudget;
  options.max_shrink_steps = kBudget;
  const LinearizabilityResult r = CheckLinearizability(h, options);
  ASSERT_EQ(r.outcome, LinearizabilityResult::Outcome::kViolation)
      << r.Describe();
  EXPECT_EQ(r.failed_op, h.back());
  std::cout << r.Describe();
}

TEST(SimulatedHistory, StaleReadEarlyIsRejectedWithinBudget) {
  History h = Load();
  // After put("c5.2") returned (17,366,000), which followed put("c7.2"),
  // which followed put("c7.1").
  h.push_back(Get(17'366'001, 17'366'002, "c7.1"));
  LinearizabilityOptions options;
  options.max_steps_per_key = kBudget;
  options.max_shrink_steps = kBudget;
  const LinearizabilityResult r = CheckLinearizability(h, options);
  ASSERT_EQ(r.outcome, LinearizabilityResult::Outcome::kViolation)
      << r.Describe();
  EXPECT_EQ(r.failed_op, h.back());
  EXPECT_LE(r.witness.size(), 6u) << r.Describe();
  std::cout << r.Describe();
}

}  // namespace
}  // namespace raftsim::checkers
