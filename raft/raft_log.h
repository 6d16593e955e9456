// raft/raft_log.h — the in-memory Raft log of one node.
//
// Holds every entry after the compaction point, plus the positions that
// split it (Raft Figure 2 and etcd's raftLog/unstable):
//
//   base   first()          applied  applying  committed  durable  last
//   |      |                |        |         |          |        |
//   [compacted][ in memory ........................................ ]
//                                                  [ unstable: not yet
//                                                    handed to storage ]
//
//   base_index   entries up to here are compacted; base_term is the term
//                of entry base_index (the snapshot point when it is one).
//   applied      acknowledged as applied by the host (Advance).
//   applying     handed to the host for apply (Ready.committed_entries).
//   committed    known committed (Raft §5.3).
//   durable      the host reported entries up to here durable.
//   unstable     first index not yet handed to the host for persistence.
//
// Invariants (CheckInvariants): base <= applied <= applying <= committed;
// applying <= durable <= last; committed <= last; terms non-decreasing.
// Note committed may exceed durable on a follower: the leader's commit
// index tells it entries are safe on a quorum before its own write ends.
// Apply waits for both (applying <= min(committed, durable)).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_RAFT_LOG_H_
#define RAFTSIM_RAFT_RAFT_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "raft/entry.h"
#include "raft/entry_ring.h"
#include "raft/types.h"

namespace raftsim::raft {

class RaftLog {
 public:
  // A log whose compaction point is (base_index, base_term), holding
  // `entries` after it. Everything given counts as durable and applied up
  // to base_index.
  // REQUIRES: entries contiguous from base_index + 1 with terms >= base_term.
  RaftLog(LogIndex base_index, Term base_term, std::vector<Entry> entries);

  LogIndex base_index() const { return base_index_; }
  Term base_term() const { return base_term_; }
  LogIndex FirstIndex() const { return base_index_ + 1; }
  LogIndex LastIndex() const { return base_index_ + entries_.size(); }
  // Cached (last_term_): read after every input by the invariant checks
  // and on most messages, it should not touch the ring's entries.
  Term LastTerm() const { return last_term_; }
  LogIndex committed() const { return committed_; }
  LogIndex applied() const { return applied_; }
  LogIndex applying() const { return applying_; }
  LogIndex durable() const { return durable_; }
  LogIndex unstable() const { return unstable_; }

  // Term of entry `index`, or nullopt if it is compacted (below base) or
  // beyond the end.
  std::optional<Term> TermAt(LogIndex index) const {
    // The last entry is the common question (probes, persist acks).
    if (index == LastIndex()) return last_term_;
    return TermAtSlow(index);
  }
  bool MatchTerm(LogIndex index, Term term) const {
    const std::optional<Term> t = TermAt(index);
    return t.has_value() && *t == term;
  }
  // REQUIRES: FirstIndex() <= index <= LastIndex().
  const Entry& At(LogIndex index) const;

  // Raft §5.4.1: a candidate's log is at least as up-to-date as ours if its
  // last term is greater, or equal with a last index at least ours.
  bool IsUpToDate(LogIndex last_index, Term last_term) const;

  // Follower side of AppendEntries (Raft §5.3, Figure 2 steps 2–4). If our
  // entry at prev_index has prev_term, appends what `entries` adds,
  // truncating only from the first conflicting index, and returns the last
  // index the request covered (prev_index + entries.size()). Otherwise
  // returns nullopt and changes nothing.
  // REQUIRES: entries contiguous from prev_index + 1.
  std::optional<LogIndex> MaybeAppend(LogIndex prev_index, Term prev_term,
                                      std::vector<Entry>&& entries);

  // Leader side: appends at the end. REQUIRES: entries start at
  // LastIndex() + 1 and terms >= LastTerm().
  void Append(std::vector<Entry>&& entries);
  void Append(Entry&& entry);

  // First index whose term differs from `entries` (or that we lack), or
  // nullopt when we hold all of them.
  std::optional<LogIndex> FindConflict(const std::vector<Entry>& entries) const;

  // Raft §5.3 fast backtracking (terms are non-decreasing, so these are
  // binary searches): the first index whose term is >= `term` (LastIndex()
  // + 1 if none), and the last index holding `term`, if any.
  LogIndex FirstIndexWithTermAtLeast(Term term) const;
  std::optional<LogIndex> LastIndexOfTerm(Term term) const;

  // Copies entries [lo, hi) up to max_bytes (at least one).
  // REQUIRES: FirstIndex() <= lo <= hi <= LastIndex() + 1.
  void Slice(LogIndex lo, LogIndex hi, uint64_t max_bytes,
             std::vector<Entry>* out) const;

  // Canary support (raft/canary.h): kSkipPrevCheck overwrites from
  // prev_index + 1 without the consistency check; kTruncateOnMatch cuts
  // everything after `index`. Never used by correct code.
  LogIndex ForceAppend(LogIndex prev_index, std::vector<Entry>&& entries);
  void TruncateAfter(LogIndex index) { TruncateFrom(index + 1); }

  // Raises committed to `index` (never lowers it).
  // REQUIRES: index <= LastIndex().
  void CommitTo(LogIndex index);

  // Persistence: the entries not yet handed to storage, then mark them
  // handed.
  bool HasUnstable() const { return unstable_ <= LastIndex(); }
  void TakeUnstable(std::vector<Entry>* out);
  // The host made entries up to (index, term) durable. Ignored when the log
  // no longer holds that entry (it was truncated since; Log Matching then
  // says nothing about it).
  void StableTo(LogIndex index, Term term);

  // Apply: committed, durable entries not yet handed out, up to max_bytes
  // (at least one).
  bool HasNextCommitted() const;
  void TakeNextCommitted(uint64_t max_bytes, std::vector<Entry>* out);
  // Canary kApplyUncommitted: hands out entries past the commit index.
  void TakeNextUncommitted(uint64_t max_bytes, std::vector<Entry>* out);
  // The host applied everything it was handed.
  void AppliedTo(LogIndex index);

  // Replaces the whole log with a snapshot point (InstallSnapshot, Raft
  // §7): keeps the suffix if we hold the snapshot's last entry, else
  // discards the log. The snapshot counts as committed and, once its Ready
  // is taken, as handed to the application.
  void RestoreSnapshot(LogIndex index, Term term);
  // Drops in-memory entries up to `index`. REQUIRES: index <= applied.
  void CompactTo(LogIndex index);

  // Positions (cheap; after every input). CheckStructure, run after every
  // cut of the ring, checks the entries themselves.
  void CheckInvariants() const {
    // Every input runs this, so the conditions are tested as one fused,
    // branch-free expression; the individual CHECKs (which say which
    // condition failed) run only when it is false.
    const LogIndex last = LastIndex();
    const bool ok = (base_index_ <= applied_) & (applied_ <= applying_) &
                    (applying_ <= committed_) & (applying_ <= durable_) &
                    (committed_ <= last) & (durable_ <= last) &
                    (unstable_ <= last + 1) & (unstable_ >= durable_ + 1);
    if (ABSL_PREDICT_FALSE(!ok)) CheckInvariantsFailed();
  }
  void CheckStructure() const;
  // "base=i0@t0 applied=i3 committed=i4 durable=i4 last=i5@t2"
  std::string Describe() const;

 private:
  // Removes entries from `index` on. REQUIRES: index > committed.
  void TruncateFrom(LogIndex index);
  size_t Offset(LogIndex index) const { return index - FirstIndex(); }
  std::optional<Term> TermAtSlow(LogIndex index) const;
  // The CHECKs of CheckInvariants one by one; never returns.
  [[noreturn]] ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD void
  CheckInvariantsFailed() const;
  // Recomputes last_term_ after the ring was cut.
  void ResetLastTerm() {
    last_term_ = entries_.empty() ? base_term_ : entries_.back().term;
  }

  LogIndex base_index_;
  Term base_term_;
  // Entries (base_index_, LastIndex()].
  EntryRing entries_;
  // The term of entry LastIndex() (base_term_ when entries_ is empty).
  // Invariant (CheckStructure): equals entries_.back().term, or base_term_.
  Term last_term_;
  LogIndex committed_;
  LogIndex applying_;
  LogIndex applied_;
  LogIndex durable_;
  LogIndex unstable_;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_RAFT_LOG_H_
