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
//
// And that a leader won: a node first seen leading term T holds grants of
// T (its own vote included) from a majority of the voters of its
// configuration in force at that moment — the latest in its log (thesis
// §4.1), checkers/safety/configurations.h — and of each half when it is
// joint (§4.3); learners never count. Checked once the membership is not
// the static one (every node a voter, no configuration entry in force), so
// that verdicts on a static cluster stay what they were.
// O(nodes + messages) per event, O(voters) per new leader.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_
#define RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_

#include <cstdint>
#include <string>
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
  // Reports a leader `n` (new in its term) without a quorum of grants.
  void CheckVotes(const ClusterView& view, const CheckerContext& context, int n,
                  std::vector<Violation>* out) const;

  // term -> leader index. Lookups only; never iterated.
  absl::flat_hash_map<uint64_t, int> leaders_;
  // (voter index, term) -> candidate granted. Lookups only.
  absl::flat_hash_map<std::pair<NodeId, uint64_t>, NodeId> votes_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_ELECTION_SAFETY_H_
