// checkers/safety/match_index.h — a leader's match index is true: every
// entry up to the index it records for a follower is on that follower.
//
// The leader commits on the match indexes it keeps (Raft §5.3, Figure 2:
// "matchIndex, index of highest log entry known to be replicated on
// server"). The commit rule is only as safe as those numbers, and a wrong
// one — an acknowledgement counted from an earlier term, a reply applied
// to the wrong index, a match taken from what was sent rather than what
// was acknowledged — stays invisible until a commit built on it is lost,
// which needs a further election to show. This checks the premise
// directly, after every event:
//
//   a leader L of term t records match m for follower F, F is up and in
//   term t or an earlier one  =>  F's log holds L's entry at m (same term,
//   same content), or F's snapshot covers m.
//
// Why this holds for a correct implementation: F acknowledged m in term t,
// so it held L's entry at m then (and durably: acks leave after the sync).
// In term t only L sends entries, and L's log never changes during its
// term, so nothing F accepts in term t conflicts at or below m; a restart
// reloads the durable log. F in an earlier term has acknowledged nothing
// in term t (its term is durable before any ack leaves), so a correct L
// records no match for it at all — an acknowledgement from an earlier
// term, counted, shows here when L's log or F's has changed at m since.
// (Once F is in a later term, L is deposed; the premise makes no claim.)
// Entries L compacted are skipped.
//
// Checked when the leader or the follower ran in the event.
// O(touched × nodes) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_MATCH_INDEX_H_
#define RAFTSIM_CHECKERS_SAFETY_MATCH_INDEX_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class MatchIndex final : public Checker {
 public:
  static constexpr std::string_view kName = "match_index";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_MATCH_INDEX_H_
