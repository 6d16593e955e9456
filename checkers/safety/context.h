// checkers/safety/context.h — derived state shared by the safety checkers,
// updated once per event before they run: chain hashes of every log
// (chain_logs.h), the committed prefix, and the configuration in force on
// every node (configurations.h).
//
// Committed prefix. An entry is known committed once some node's commit
// index covers it (Raft §5.3). For each advance of the highest commit index
// known, the context records a CommitPoint: the index, the entry's term and
// chain hash (from the log of the node that reported it), and the *commit
// term* — that node's current term when it reported it. The true term in
// which the entry was committed (the term of the leader that counted a
// quorum) is at most the reporting node's term, so "committed in a term
// below T" is sound when judged by commit_term < T. Commit terms do not
// decrease with the index (a leader that commits i commits every entry
// before i), so the points form a step function, searched by binary search.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_CONTEXT_H_
#define RAFTSIM_CHECKERS_SAFETY_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "checkers/safety/chain_logs.h"
#include "checkers/safety/configurations.h"
#include "checkers/safety/observation.h"

namespace raftsim::checkers {

struct CommitPoint {
  LogIndex index;
  Term entry_term;     // Term of the committed entry at `index`.
  uint64_t chain = 0;  // Chain hash of the prefix 1..index.
  Term commit_term;    // Term of the node that first reported the commit.
  int reporter = 0;    // That node (index).
};

class CheckerContext {
 public:
  // Updates the chain mirrors and the committed prefix from `view`.
  void Update(const ClusterView& view);

  const ChainLogs& chains() const { return chains_; }
  // Log Matching mismatches found by this event's Update.
  const std::vector<ChainLogs::Mismatch>& mismatches() const {
    return mismatches_;
  }
  // The highest committed point known, if any entry is committed.
  const CommitPoint* highest_commit() const {
    return commits_.empty() ? nullptr : &commits_.back();
  }
  // True when the highest commit point advanced during this event.
  bool commit_advanced() const { return commit_advanced_; }
  // The highest point whose commit term is below `term`, or nullptr.
  const CommitPoint* CommittedBefore(Term term) const;
  // The configurations in force, derived from the logs.
  const Configurations& configurations() const { return configurations_; }

 private:
  ChainLogs chains_;
  Configurations configurations_;
  std::vector<ChainLogs::Mismatch> mismatches_;
  // Ascending in index and (non-strictly) in commit_term; one point per
  // commit term (the highest index reported under it).
  std::vector<CommitPoint> commits_;
  bool commit_advanced_ = false;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_CONTEXT_H_
