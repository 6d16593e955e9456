// raft/raft_log.cc — see raft_log.h.

#include "raft/raft_log.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/canary.h"

namespace raftsim::raft {

RaftLog::RaftLog(LogIndex base_index, Term base_term,
                 std::vector<Entry> entries)
    : base_index_(base_index),
      base_term_(base_term),
      committed_(base_index),
      applying_(base_index),
      applied_(base_index),
      durable_(LastIndex()),
      unstable_(LastIndex() + 1) {
  for (Entry& e : entries) entries_.push_back(std::move(e));
  ResetLastTerm();
  durable_ = LastIndex();
  unstable_ = LastIndex() + 1;
  CheckStructure();
  CheckInvariants();
}

std::optional<Term> RaftLog::TermAtSlow(LogIndex index) const {
  if (index == base_index_) return base_term_;
  if (index < base_index_ || index > LastIndex()) return std::nullopt;
  return entries_[Offset(index)].term;
}

const Entry& RaftLog::At(LogIndex index) const {
  CHECK_GE(index, FirstIndex());
  CHECK_LE(index, LastIndex());
  return entries_[Offset(index)];
}

bool RaftLog::IsUpToDate(LogIndex last_index, Term last_term) const {
  const Term our_term = LastTerm();
  if (last_term != our_term) return last_term > our_term;
  return last_index >= LastIndex();
}

std::optional<LogIndex> RaftLog::FindConflict(
    const std::vector<Entry>& entries) const {
  for (const Entry& e : entries) {
    if (!MatchTerm(e.index, e.term)) {
      // An index at or below base is compacted, hence committed, hence
      // identical on every log (Leader Completeness): never a conflict.
      if (e.index <= base_index_) continue;
      return e.index;
    }
  }
  return std::nullopt;
}

std::optional<LogIndex> RaftLog::MaybeAppend(LogIndex prev_index,
                                             Term prev_term,
                                             std::vector<Entry>&& entries) {
  // Raft Figure 2, AppendEntries step 2: reply false if the log has no
  // entry at prev_index whose term matches prev_term. An index below our
  // compaction point is committed and so matches (Log Matching).
  if (prev_index >= base_index_ && !MatchTerm(prev_index, prev_term)) {
    return std::nullopt;
  }
  const LogIndex last_covered = prev_index + entries.size();
  const std::optional<LogIndex> conflict = FindConflict(entries);
  if (conflict.has_value()) {
    // Step 3: delete the existing entry and all that follow it — only from
    // the first conflicting index; a stale or duplicated request that
    // matches must not cut newer entries.
    const LogIndex from = *conflict;
    CHECK_GT(from, committed_) << "conflict at a committed index";
    const uint64_t skip = from - (prev_index + 1);
    std::vector<Entry> tail(std::make_move_iterator(entries.begin() + skip),
                            std::make_move_iterator(entries.end()));
    if (from <= LastIndex()) TruncateFrom(from);
    Append(std::move(tail));
  }
  return last_covered;
}

LogIndex RaftLog::ForceAppend(LogIndex prev_index,
                              std::vector<Entry>&& entries) {
  const LogIndex last_covered = prev_index + entries.size();
  LogIndex from = std::max(prev_index + 1, committed_ + 1);
  from = std::max(from, FirstIndex());
  if (from <= LastIndex()) TruncateFrom(from);
  for (Entry& e : entries) {
    if (e.index < from) continue;
    // Keep the log well formed even for this wrong behaviour.
    if (e.term < LastTerm()) e.term = LastTerm();
    Append(std::move(e));
  }
  return std::min(last_covered, LastIndex());
}

void RaftLog::Append(std::vector<Entry>&& entries) {
  for (Entry& e : entries) Append(std::move(e));
}

void RaftLog::Append(Entry&& entry) {
  CHECK_EQ(entry.index, LastIndex() + 1);
  CHECK_GE(entry.term, LastTerm());
  last_term_ = entry.term;
  entries_.push_back(std::move(entry));
}

void RaftLog::TruncateFrom(LogIndex index) {
  CHECK_GT(index, committed_);
  CHECK_GT(index, base_index_);
  entries_.truncate(Offset(index));
  ResetLastTerm();
  unstable_ = std::min(unstable_, index);
  durable_ = std::min(durable_, index - 1);
  CheckStructure();
}

// Binary search: the number of leading entries for which `pred` holds.
template <typename Pred>
static size_t PartitionPoint(const EntryRing& ring, Pred pred) {
  size_t lo = 0;
  size_t hi = ring.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (pred(ring[mid])) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

LogIndex RaftLog::FirstIndexWithTermAtLeast(Term term) const {
  const size_t n = PartitionPoint(
      entries_, [term](const Entry& e) { return e.term < term; });
  return FirstIndex() + n;
}

std::optional<LogIndex> RaftLog::LastIndexOfTerm(Term term) const {
  const size_t n = PartitionPoint(
      entries_, [term](const Entry& e) { return e.term <= term; });
  if (n == 0) {
    return base_term_ == term ? std::optional<LogIndex>(base_index_)
                              : std::nullopt;
  }
  const Entry& e = entries_[n - 1];
  if (e.term != term) return std::nullopt;
  return e.index;
}

void RaftLog::Slice(LogIndex lo, LogIndex hi, uint64_t max_bytes,
                    std::vector<Entry>* out) const {
  CHECK_GE(lo, FirstIndex());
  CHECK_LE(lo, hi);
  CHECK_LE(hi, LastIndex() + 1);
  // One allocation per slice, not one per doubling (bounded, since
  // max_bytes may stop us early).
  out->reserve(out->size() + std::min<uint64_t>(hi - lo, 4096));
  uint64_t bytes = 0;
  for (LogIndex i = lo; i < hi; ++i) {
    const Entry& e = entries_[Offset(i)];
    bytes += e.ByteSize();
    if (bytes > max_bytes && i > lo) break;
    out->push_back(e);
  }
}

void RaftLog::CommitTo(LogIndex index) {
  if (index <= committed_) return;
  CHECK_LE(index, LastIndex()) << "commit beyond the log";
  committed_ = index;
}

void RaftLog::TakeUnstable(std::vector<Entry>* out) {
  const LogIndex last = LastIndex();
  if (unstable_ > last) return;
  Slice(unstable_, last + 1, UINT64_MAX, out);
  unstable_ = last + 1;
}

void RaftLog::StableTo(LogIndex index, Term term) {
  // Only what was handed to storage can be durable, and only if the entry
  // is still ours.
  if (index >= unstable_) return;
  if (!MatchTerm(index, term) && !RAFTSIM_CANARY(kPersistIgnoresTerm)) return;
  if (index > durable_) durable_ = index;
}

bool RaftLog::HasNextCommitted() const {
  return applying_ < std::min(committed_, durable_);
}

void RaftLog::TakeNextCommitted(uint64_t max_bytes, std::vector<Entry>* out) {
  const LogIndex hi = std::min(committed_, durable_);
  if (applying_ >= hi) return;
  const size_t before = out->size();
  Slice(applying_ + 1, hi + 1, max_bytes, out);
  applying_ = applying_ + (out->size() - before);
}

void RaftLog::TakeNextUncommitted(uint64_t max_bytes, std::vector<Entry>* out) {
  if (applying_ >= LastIndex()) return;
  const size_t before = out->size();
  Slice(applying_ + 1, LastIndex() + 1, max_bytes, out);
  applying_ = applying_ + (out->size() - before);
  // Keep the bookkeeping consistent for the wrong behaviour.
  if (applying_ > committed_) committed_ = applying_;
  if (applying_ > durable_) durable_ = applying_;
}

void RaftLog::AppliedTo(LogIndex index) {
  CHECK_LE(index, applying_);
  if (index > applied_) applied_ = index;
}

void RaftLog::RestoreSnapshot(LogIndex index, Term term) {
  CHECK_GT(index, committed_) << "restoring a snapshot we already committed";
  if (MatchTerm(index, term)) {
    // Keep the suffix after the snapshot point (Raft §7: "if existing log
    // entry has same index and term as snapshot's last included entry,
    // retain log entries following it").
    entries_.pop_front(Offset(index) + 1);
  } else {
    entries_.clear();
  }
  base_index_ = index;
  base_term_ = term;
  ResetLastTerm();
  committed_ = index;
  applying_ = index;
  applied_ = index;
  // The suffix we kept was handed to storage before iff it was durable or
  // in flight; the snapshot itself is persisted with this Ready.
  // When the log was discarded (the snapshot conflicts with it), nothing
  // after the snapshot point is held any more: unstable_ must come back to
  // index + 1 too, or it would point past the end of the log (a follower
  // holding an old-term tail longer than the snapshot crashed here).
  unstable_ = std::clamp(unstable_, index + 1, LastIndex() + 1);
  durable_ = std::max(durable_, index);
  if (durable_ > LastIndex()) durable_ = LastIndex();
  CheckStructure();
}

void RaftLog::CompactTo(LogIndex index) {
  CHECK_LE(index, applied_);
  if (index <= base_index_) return;
  const Term term = *TermAt(index);
  entries_.pop_front(Offset(index) + 1);
  base_index_ = index;
  base_term_ = term;
  ResetLastTerm();
  CheckStructure();
}

void RaftLog::CheckInvariantsFailed() const {
  CHECK_LE(base_index_, applied_);
  CHECK_LE(applied_, applying_);
  CHECK_LE(applying_, committed_);
  CHECK_LE(applying_, durable_);
  CHECK_LE(committed_, LastIndex());
  CHECK_LE(durable_, LastIndex());
  CHECK_LE(unstable_, LastIndex() + 1);
  CHECK_GE(unstable_, durable_ + 1);
  CHECK(false) << "RaftLog::CheckInvariants disagrees with its CHECKs: "
               << Describe();
  std::abort();  // Not reached: CHECK(false) does not return.
}

// The entries' own shape: contiguous from base_index + 1 with terms from
// base_term on. Append keeps it entry by entry (index == last + 1, term >=
// last term); this runs after every operation that cuts the ring, rather
// than after every input, because it touches the entries' memory.
void RaftLog::CheckStructure() const {
  if (entries_.empty()) {
    CHECK_EQ(last_term_, base_term_);
    return;
  }
  CHECK_EQ(last_term_, entries_.back().term);
  CHECK_EQ(entries_.front().index, base_index_ + 1);
  CHECK_GE(entries_.front().term, base_term_);
  CHECK_EQ(entries_.back().index, LastIndex());
}

std::string RaftLog::Describe() const {
  return absl::StrCat(
      "base=", base_index_.Describe(), "@", base_term_.Describe(),
      " applied=", applied_.Describe(), " committed=", committed_.Describe(),
      " durable=", durable_.Describe(), " last=", LastIndex().Describe(), "@",
      LastTerm().Describe());
}

}  // namespace raftsim::raft
