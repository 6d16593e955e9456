// checkers/linearizability/linearizability.cc — see linearizability.h.

#include "checkers/linearizability/linearizability.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "checkers/linearizability/json.h"
#include "checkers/linearizability/key_search.h"
#include "checkers/linearizability/unique_register.h"

namespace raftsim::checkers {
namespace {

using internal::CheckKey;
using internal::KeySearchResult;
using Ops = std::vector<const Operation*>;

// Ample for the search over a fast-path witness (a few operations, plus the
// puts and swapping cas their reads depend on).
constexpr int64_t kWitnessSteps = 1'000'000;

// Keeps the ops a violation at `failed` can depend on: those called no later
// than it returned. The search never looked past that instant, so the
// shorter history fails in the same way.
Ops TruncateAfter(const Ops& ops, const Operation& failed) {
  Ops out;
  for (const Operation* op : ops) {
    if (op->call_ns <= *failed.return_ns) out.push_back(op);
  }
  return out;
}

// Whether each completed get reads (and each swapping cas expects) a value
// some op in `ops` could have written: "", a put or cas value, or a string
// ending in an appended value. A sub-history that drops the writer of a read is
// trivially non-linearizable and tells the reader nothing, so shrinking avoids
// it.
bool ReadsExplained(const Ops& ops) {
  absl::flat_hash_set<std::string> written;   // Lookups only.
  absl::flat_hash_set<std::string> appended;  // Lookups only.
  std::set<size_t> appended_lengths;
  for (const Operation* op : ops) {
    if (op->kind == OpKind::kPut || op->kind == OpKind::kCas) {
      written.insert(*op->value);
    } else if (op->kind == OpKind::kAppend) {
      appended.insert(*op->value);
      appended_lengths.insert(op->value->size());
    }
  }
  for (const Operation* op : ops) {
    const bool swapped = op->kind == OpKind::kCas && op->completed() &&
                         std::get<bool>(op->output);
    if (!swapped && (op->kind != OpKind::kGet || !op->completed())) continue;
    // ok[i]: the prefix of length i can be built from "" or a written value
    // followed by appended values.
    const std::string& w =
        swapped ? *op->expected : std::get<std::string>(op->output);
    std::vector<bool> ok(w.size() + 1, false);
    ok[0] = true;
    for (size_t i = 1; i <= w.size(); ++i) {
      ok[i] = written.contains(w.substr(0, i));
      for (auto it = appended_lengths.begin();
           !ok[i] && it != appended_lengths.end() && *it <= i; ++it) {
        ok[i] = ok[i - *it] && appended.contains(w.substr(i - *it, *it));
      }
    }
    const bool explained = ok[w.size()];
    if (!explained) return false;
  }
  return true;
}

// Shrinks a non-linearizable `ops` (delta debugging, then single ops) while
// it stays non-linearizable. Sets `minimal` when it ended 1-minimal.
Ops Shrink(Ops ops, int64_t budget, bool& minimal) {
  minimal = false;
  size_t chunk = std::max<size_t>(ops.size() / 2, 1);
  while (budget > 0) {
    bool removed_any = false;
    for (size_t start = 0; start < ops.size() && budget > 0;) {
      Ops candidate(ops.begin(), ops.begin() + start);
      candidate.insert(candidate.end(),
                       ops.begin() + std::min(start + chunk, ops.size()),
                       ops.end());
      if (!ReadsExplained(candidate)) {
        start += chunk;
        --budget;
        continue;
      }
      const KeySearchResult r = CheckKey(candidate, budget);
      budget -= r.steps + 1;
      if (r.outcome == KeySearchResult::Outcome::kViolation &&
          ReadsExplained(TruncateAfter(candidate, *candidate[r.failed_op]))) {
        ops = TruncateAfter(candidate, *candidate[r.failed_op]);
        removed_any = true;
      } else {
        start += chunk;
      }
    }
    if (budget <= 0) return ops;
    if (chunk == 1 && !removed_any) {
      minimal = true;
      return ops;
    }
    if (!removed_any || chunk > ops.size())
      chunk = std::max<size_t>(chunk / 2, 1);
  }
  return ops;
}

bool ByTime(const Operation& a, const Operation& b) {
  const int64_t inf = INT64_MAX;
  return std::make_tuple(a.call_ns, a.return_ns.value_or(inf), a.client) <
         std::make_tuple(b.call_ns, b.return_ns.value_or(inf), b.client);
}

}  // namespace

LinearizabilityResult CheckLinearizability(
    const History& history, const LinearizabilityOptions& options) {
  std::map<std::string, Ops> by_key;  // Sorted: deterministic key order.
  for (const Operation& op : history) {
    CHECK(ValidateOperation(op).ok()) << op.Describe();
    by_key[op.key].push_back(&op);
  }
  LinearizabilityResult result;
  for (const auto& [key, ops] : by_key) {
    const std::optional<internal::UniqueRegisterResult> fast =
        internal::CheckUniqueRegister(ops);
    if (fast.has_value()) result.steps += fast->steps;
    if (fast.has_value() && fast->linearizable) continue;
    // The fast path's witness is a small non-linearizable sub-history; the
    // search confirms it, names its failing op and shrinks it.
    // Should the search not confirm it (a bug in the fast path), the whole
    // key goes to the search below: a verdict is never taken on trust.
    Ops witness;
    KeySearchResult w;
    if (fast.has_value()) {
      for (size_t i : fast->witness) witness.push_back(ops[i]);
      std::stable_sort(witness.begin(), witness.end(),
                       [](const Operation* a, const Operation* b) {
                         return ByTime(*a, *b);
                       });
      w = CheckKey(witness, kWitnessSteps);
      result.steps += w.steps;
    }
    if (fast.has_value() && w.outcome == KeySearchResult::Outcome::kViolation) {
      result.outcome = LinearizabilityResult::Outcome::kViolation;
      result.key = key;
      result.failed_op = *witness[w.failed_op];
      result.key_operations = ops.size();
      const Ops shrunk =
          Shrink(TruncateAfter(witness, *witness[w.failed_op]),
                 options.max_shrink_steps, result.witness_is_minimal);
      for (const Operation* op : shrunk) result.witness.push_back(*op);
      std::stable_sort(result.witness.begin(), result.witness.end(), ByTime);
      return result;
    }
    const KeySearchResult r = CheckKey(ops, options.max_steps_per_key);
    result.steps += r.steps;
    if (r.outcome == KeySearchResult::Outcome::kBudgetExhausted) {
      if (result.outcome == LinearizabilityResult::Outcome::kLinearizable) {
        result.outcome = LinearizabilityResult::Outcome::kUnknown;
        result.key = key;
      }
      continue;
    }
    if (r.outcome != KeySearchResult::Outcome::kViolation) continue;
    result.outcome = LinearizabilityResult::Outcome::kViolation;
    result.key = key;
    result.failed_op = *ops[r.failed_op];
    result.key_operations = ops.size();
    const Ops shrunk =
        Shrink(TruncateAfter(ops, *ops[r.failed_op]), options.max_shrink_steps,
               result.witness_is_minimal);
    for (const Operation* op : shrunk) result.witness.push_back(*op);
    std::stable_sort(result.witness.begin(), result.witness.end(), ByTime);
    return result;
  }
  return result;
}

std::string LinearizabilityResult::Describe() const {
  switch (outcome) {
    case Outcome::kLinearizable:
      return "linearizable\n";
    case Outcome::kUnknown:
      return absl::StrCat(
          "could not decide: search budget exhausted on key ", JsonQuote(key),
          " (", steps,
          " steps); the history is neither proven linearizable nor "
          "proven non-linearizable\n");
    case Outcome::kViolation:
      break;
  }
  std::string out = absl::StrCat(
      "NOT linearizable: on key ", JsonQuote(key),
      ", no order of the operations respects real time and the register "
      "model once this one returns:\n  ",
      failed_op.Describe(), "\n");
  absl::StrAppend(&out, "witness: ", witness.size(), " of ", key_operations,
                  " operations on key ", JsonQuote(key), ", not linearizable",
                  witness_is_minimal
                      ? " (removing any one operation makes it linearizable)"
                      : " (shrinking stopped at its budget)",
                  ":\n");
  for (const Operation& op : witness) {
    absl::StrAppend(&out, "  ", op.Describe(), "\n");
  }
  return out;
}

}  // namespace raftsim::checkers
