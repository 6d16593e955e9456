// checkers/safety/election_safety.h — Election Safety: at most one leader can
// be elected in a given term (Raft §5.2, Figure 3).
//
// Remembers, for every term, the first node seen leading it; a different
// node leading the same term, at any later event, is a violation.
//
// Also checks the premise of §5.2's argument directly: "each server will
// vote for at most one candidate in a given term, on a first-come-first-
// served basis" — across restarts (votedFor is persistent state, Figure 2).
// Every granted RequestVote reply is remembered by (voter, term); a grant
// to a second candidate is a violation even if no second leader results.
// O(nodes + messages) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_
#define RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class ElectionSafety final : public Checker {
 public:
  static constexpr std::string_view kName = "election_safety";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  // term -> leader index. Lookups only; never iterated.
  absl::flat_hash_map<uint64_t, int> leaders_;
  // (voter index, term) -> candidate granted. Lookups only.
  absl::flat_hash_map<std::pair<NodeId, uint64_t>, NodeId> votes_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_
