// checkers/safety/read_leadership.h — a read is served only by the newest
// leader: no leader of a later term had been elected when the read was
// taken up.
//
// A leader answers a read without writing to the log (ReadIndex, thesis
// §6.4; lease reads, §6.4.1). Both are safe for one reason: when the leader
// of term t takes the read up, no leader of a later term exists, so nothing
// committed is missing from the read index. ReadIndex proves it after the
// fact — a quorum acknowledges a heartbeat of term t sent after the read
// was registered, and a node that voted in a later term would have refused
// it; a lease proves it in advance — a quorum acknowledged a heartbeat so
// recently that none of them can have voted for anyone else yet. Whether a
// stale value then reaches a client, and whether the linearizability
// checker can tell from the history, is luck: a write must have completed
// at the new leader, on the same key, before the read was called. This
// checks the premise itself, after every event:
//
//   node L confirms (releases) a read it took up as leader of term t  =>
//   no node had been seen leading a term later than t in an event before
//   the one in which L took the read up.
//
// Why this holds for a correct implementation: a leader of term u > t was
// elected by a quorum that had moved to term u; the quorum that confirms
// L's read (acknowledging a heartbeat of term t sent after the read was
// taken up, or — for a lease — one sent less than an election timeout,
// less the clock-drift bound, before it) shares a node with it, and that
// node acknowledged L in term t after, or too shortly before, the read
// was taken up to have voted in term u earlier. Leaders are seen at the
// end of each event, so a leadership that starts and ends within one event
// is missed (the check is then weaker, never wrong).
//
// Checked for the nodes the event touched. O(reads taken up and confirmed)
// per event; unconfirmed reads are forgotten when their node restarts or
// moves past their term.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_READ_LEADERSHIP_H_
#define RAFTSIM_CHECKERS_SAFETY_READ_LEADERSHIP_H_

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class ReadLeadership final : public Checker {
 public:
  static constexpr std::string_view kName = "read_leadership";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  // The latest term some node was seen leading, and where.
  struct Leadership {
    Term term;
    int node = -1;  // Node index; -1 before any leader.
    uint64_t event = 0;
    int64_t time_us = 0;
  };
  struct Issued {
    Term term;          // The term the read was taken up in.
    Leadership newest;  // As of the event before it was taken up.
    uint64_t event = 0;
    int64_t time_us = 0;
  };
  struct PerNode {
    uint64_t incarnation = 0;
    std::map<uint64_t, Issued> issued;  // By read context.
  };

  Leadership newest_;
  std::vector<PerNode> nodes_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_READ_LEADERSHIP_H_
