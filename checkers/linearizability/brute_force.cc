// checkers/linearizability/brute_force.cc — see brute_force.h.

#include "checkers/linearizability/brute_force.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "base/check.h"

namespace raftsim::checkers {
namespace {

// Replays `order` sequentially; false if some completed op's output is
// impossible.
bool Legal(const History& h, const std::vector<size_t>& order) {
  std::map<std::string, std::string> value;
  for (size_t i : order) {
    const Operation& op = h[i];
    std::string& v = value[op.key];
    switch (op.kind) {
      case OpKind::kGet:
        if (op.completed() && std::get<std::string>(op.output) != v)
          return false;
        break;
      case OpKind::kPut:
        v = *op.value;
        break;
      case OpKind::kAppend:
        v += *op.value;
        break;
      case OpKind::kCas: {
        const bool swap = v == *op.expected;
        if (op.completed() && std::get<bool>(op.output) != swap) return false;
        if (swap) v = *op.value;
        break;
      }
    }
  }
  return true;
}

bool RespectsRealTime(const History& h, const std::vector<size_t>& order) {
  for (size_t a = 0; a < order.size(); ++a) {
    for (size_t b = a + 1; b < order.size(); ++b) {
      // order[b] is placed after order[a]: it must not precede it.
      const Operation& later = h[order[b]];
      const Operation& earlier = h[order[a]];
      if (later.return_ns.has_value() && *later.return_ns < earlier.call_ns) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool BruteForceLinearizable(const History& history) {
  CHECK_LE(history.size(), 9u);
  std::vector<size_t> unknown;
  for (size_t i = 0; i < history.size(); ++i) {
    if (!history[i].completed()) unknown.push_back(i);
  }
  for (uint32_t mask = 0; mask < (1u << unknown.size()); ++mask) {
    std::vector<size_t> order;
    for (size_t i = 0; i < history.size(); ++i) {
      if (history[i].completed()) order.push_back(i);
    }
    for (size_t u = 0; u < unknown.size(); ++u) {
      if ((mask >> u) & 1) order.push_back(unknown[u]);
    }
    std::sort(order.begin(), order.end());
    do {
      if (RespectsRealTime(history, order) && Legal(history, order))
        return true;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  return false;
}

}  // namespace raftsim::checkers
