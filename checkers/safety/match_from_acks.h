// checkers/safety/match_from_acks.h — a leader's match index comes from
// acknowledgements of its own term: the match L of term t records for
// follower F never exceeds the highest index that a successful
// AppendEntries or InstallSnapshot reply of term t from F to L covered.
//
// Raft Figure 2 defines matchIndex as the "index of highest log entry known
// to be replicated on server", and §5.1 makes a reply of an earlier term
// worthless: a node drops every message whose term is older than its own,
// because what it says may have been overturned since — F may have taken a
// later leader's entries at that index, and L's own entry there may have
// been replaced while it did not lead. The match_index checker asserts the
// consequence (the follower holds the leader's entry at the match) while
// both logs still show it; this one asserts the premise at once, whatever
// the follower's term and log are now, so that a leader counting a stale
// acknowledgement, a reply applied to the wrong follower or a match taken
// from what was sent rather than acknowledged is seen the moment it is
// recorded, not only after an election loses an entry built on it.
//
// The acknowledgements are the replies the network delivered to L (a node
// may step a message in a later event than the one that delivered it —
// a paused node, a busy event loop — so the bound accumulates over events).
// A reply that the network never handed to L cannot justify a match.
//
// O(delivered + touched leaders × nodes) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_MATCH_FROM_ACKS_H_
#define RAFTSIM_CHECKERS_SAFETY_MATCH_FROM_ACKS_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class MatchFromAcks final : public Checker {
 public:
  static constexpr std::string_view kName = "match_from_acks";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  // What follower F acknowledged to leader L in the latest term seen.
  struct Acked {
    Term term;
    LogIndex index;
  };
  // Dense, [L * nodes + F] (node indexes).
  std::vector<Acked> acked_;
  size_t nodes_ = 0;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_MATCH_FROM_ACKS_H_
