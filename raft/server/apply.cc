// raft/server/apply.cc — raft::Server stages 5–6 and what hangs off them:
// applying committed entries in index order and in batches, responding to
// clients, serving ReadIndex reads, snapshot restore and the snapshot
// policy, and what a leadership change does to pending requests. Part of
// raft::Server; see server.h and docs/server.md.
//
// Apply never reads storage: committed entries come from the Node's
// in-memory log (Ready.committed_entries), which holds everything after the
// last compaction point.
//
// Single-threaded: everything runs on the runtime's logical thread.

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/check.h"
#include "raft/canary.h"
#include "raft/server/pending.h"
#include "raft/server/server.h"

namespace raftsim::raft {
namespace {

constexpr char kLeadershipLost[] = "leadership lost; outcome unknown";

// A proposal of `proposed` was not applied and never will be: the entry of
// `term` committed at `index` (at the proposal's index, or below it in a
// later term) rules it out.
absl::Status NotApplied(LogIndex index, Term term, Term proposed) {
  return absl::AbortedError(absl::StrCat(
      "not applied: ", index.Describe(), "@", term.Describe(),
      " is committed, which rules out this proposal of ", proposed.Describe()));
}

}  // namespace

// Installs a snapshot the leader sent (Ready.snapshot) into the state
// machine. Returns false, having stopped the server, when the state machine
// rejects the bytes: they came from another node, so this is bad input, not
// a bug — but the Node already adopted the snapshot, so it cannot go on.
bool Server::RestoreSnapshot(const Snapshot& snapshot) {
  const SnapshotMeta& meta = snapshot.meta;
  // The Node installs only snapshots past its commit index >= applied.
  CHECK_GT(meta.index, applied_index_);
  if (absl::Status s = state_machine_->Restore(snapshot.data.view()); !s.ok()) {
    Fail(absl::DataLossError(
        absl::StrCat("cannot restore the snapshot at ", meta.index.Describe(),
                     " received from the leader: ", s.ToString())));
    return false;
  }
  ++metrics_.snapshots_restored;
  applied_index_ = meta.index;
  applied_term_ = meta.term;
  snapshot_index_ = meta.index;
  // Our own proposals the snapshot covers were never applied here; whether
  // they made it into the snapshot is unknown.
  auto& proposals = pending_->proposals;
  while (!proposals.empty() && proposals.begin()->first <= meta.index) {
    ForgetProposalTerm(proposals.begin()->second.term);
    Complete(std::move(proposals.begin()->second.done),
             absl::UnavailableError(kLeadershipLost));
    proposals.erase(proposals.begin());
  }
  AbortOverrunProposals();
  return true;
}

// A snapshot from the leader, in apply order: restored at once when no
// apply work is queued or outstanding, else queued behind the outstanding
// batch. Batches queued but not yet handed over are dropped: they are all
// below the snapshot (the Node installs snapshots past its commit index),
// which supersedes them. Returns false when the server stopped.
bool Server::RestoreOrQueue(const Snapshot& snapshot) {
  auto& queue = pending_->apply_queue;
  if (!pending_->apply_in_flight && queue.empty()) {
    return RestoreSnapshot(snapshot);
  }
  coverage_.Hit(Situation::kRestoreQueuedBehindApply);
  for (const Pending::ApplyItem& item : queue) {
    CHECK(item.entries.empty() ||
          item.entries.back().index < snapshot.meta.index);
  }
  queue.clear();
  queue.push_back({{}, snapshot});
  return true;
}

// Stage 5: committed entries go to the state machine strictly in index
// order, one batch outstanding at a time; what commits meanwhile waits in
// the apply queue and goes over as one batch.
// REQUIRES: `entries` continue exactly after the last entry handed over
// or queued.
void Server::ApplyCommitted(std::vector<Entry>& entries) {
  if (entries.empty()) return;
  auto& queue = pending_->apply_queue;
  LogIndex expect = applied_index_ + 1;
  if (!queue.empty()) {
    const Pending::ApplyItem& last = queue.back();
    expect = last.snapshot.has_value() ? last.snapshot->meta.index + 1
                                       : last.entries.back().index + 1;
  } else if (pending_->apply_in_flight) {
    expect = pending_->applying.back().index + 1;
  }
  for (const Entry& e : entries) {
    CHECK_EQ(e.index, expect) << "committed entries not contiguous";
    ++expect;
  }
  ObserveCommitted(entries);
  if (pending_->apply_in_flight || !queue.empty()) {
    coverage_.Hit(Situation::kApplyQueuedBehindApply);
    queue.push_back({std::move(entries), std::nullopt});
    return;
  }
  StartApply(entries);
}

// Propose-to-commit latency of this server's own proposals among the
// newly committed `entries` (contiguous, ascending): one pass over the
// proposals at those indexes.
void Server::ObserveCommitted(const std::vector<Entry>& entries) {
  auto& proposals = pending_->proposals;
  if (proposals.empty()) return;
  const int64_t now_us = runtime_->NowUs();
  auto it = proposals.lower_bound(entries.front().index);
  for (; it != proposals.end() && it->first <= entries.back().index; ++it) {
    const Entry& e = entries[(it->first - entries.front().index)];
    if (e.term == it->second.term) {
      propose_to_commit_us_.Observe(now_us - it->second.proposed_us);
    }
  }
}

// Hands `entries` to StateMachine::ApplyAsync. If the state machine does
// not complete inline, `entries` move to pending_->applying_entries (a
// vector's move keeps its elements in place, so the span stays valid).
void Server::StartApply(std::vector<Entry>& entries) {
  pending_->applying = absl::MakeConstSpan(entries);
  pending_->apply_in_flight = true;
  const uint64_t generation = ++apply_generation_;
  in_apply_call_ = true;
  state_machine_->ApplyAsync(
      pending_->applying,
      [alive = alive_, generation](std::vector<std::string> results) {
        if (*alive == nullptr) return;
        (*alive)->OnApplied(generation, std::move(results));
      });
  in_apply_call_ = false;
  if (pending_->apply_in_flight && &entries != &pending_->applying_entries) {
    pending_->applying_entries = std::move(entries);
  }
}

// Hands the apply queue over while the state machine completes inline.
void Server::DrainApply() {
  auto& queue = pending_->apply_queue;
  while (!stopped_ && !pending_->apply_in_flight && !queue.empty()) {
    if (queue.front().snapshot.has_value()) {
      const Snapshot snapshot = std::move(*queue.front().snapshot);
      queue.pop_front();
      if (!RestoreSnapshot(snapshot)) return;
      ServeReads();
      continue;
    }
    std::vector<Entry> batch = std::move(queue.front().entries);
    queue.pop_front();
    while (!queue.empty() && !queue.front().snapshot.has_value()) {
      for (Entry& e : queue.front().entries) batch.push_back(std::move(e));
      queue.pop_front();
    }
    pending_->applying_entries = std::move(batch);
    StartApply(pending_->applying_entries);
  }
}

// The state machine finished the outstanding batch.
void Server::OnApplied(uint64_t generation, std::vector<std::string> results) {
  if (stopped_ || !pending_->apply_in_flight ||
      generation != apply_generation_) {
    return;  // Stopped meanwhile, or a second call for one batch.
  }
  const absl::Span<const Entry> applying = pending_->applying;
  CHECK_EQ(results.size(), applying.size())
      << "StateMachine::ApplyAsync must return one result per entry";
  pending_->apply_in_flight = false;
  applied_index_ = applying.back().index;
  applied_term_ = applying.back().term;
  ++metrics_.apply_batches;
  metrics_.entries_applied += applying.size();
  apply_batch_entries_.Observe(static_cast<int64_t>(applying.size()));
  if (tracer_ != nullptr) {
    tracer_->OnApply(applying.front().index, applying.back().index);
  }
  Respond(results);
  ServeReads();
  if (in_apply_call_) return;  // Inline: the caller goes on.
  // A later runtime task: this is the end of the pipeline's turn.
  DrainApply();
  MaybeTakeSnapshot();
  if (!stopped_) CheckInvariants();
  FlushCompletions(/*post=*/false);
}

// Stage 6: each applied entry answers the proposals made at its index. The
// entry at a proposal's index is the proposal itself exactly when the terms
// match (only the leader of a term creates entries of that term, and it
// puts each at one index); otherwise another leader's entry was committed
// at the index, and since the committed log has one entry per index, our
// command was not applied and never will be: a definite failure, which the
// client may safely retry (docs/server.md). Proposals past the batch may
// be settled too (AbortOverrunProposals).
void Server::Respond(std::vector<std::string>& results) {
  const absl::Span<const Entry> applied = pending_->applying;
  auto& proposals = pending_->proposals;
  const int64_t now_us = runtime_->NowUs();
  for (size_t i = 0; i < applied.size() && !proposals.empty(); ++i) {
    const Entry& e = applied[i];
    // Proposals below the applied index cannot remain (every index is
    // applied, and a snapshot restore drops what it covers).
    CHECK_GE(proposals.begin()->first, e.index);
    while (!proposals.empty() && proposals.begin()->first == e.index) {
      Pending::Proposal p = std::move(proposals.begin()->second);
      proposals.erase(proposals.begin());
      ForgetProposalTerm(p.term);
      const EntryKind kind = p.config ? EntryKind::kConfig : EntryKind::kNormal;
      if ((p.term == e.term || RAFTSIM_CANARY(kReplyIgnoresTerm)) &&
          e.kind == kind) {
        propose_to_apply_us_.Observe(now_us - p.proposed_us);
        Complete(std::move(p.done), std::move(results[i]));
      } else {
        coverage_.Hit(Situation::kProposalOverwritten);
        Complete(std::move(p.done), NotApplied(e.index, e.term, p.term));
      }
    }
  }
  AbortOverrunProposals();
}

// A proposal (i, t) beyond the applied index can still commit only while
// no entry of a later term is committed below i: logs have non-decreasing
// terms, and every later leader holds the committed entry (c, u), u > t, so
// its entry at i > c has a term >= u. Without this, a proposal whose index
// no leader fills (an idle cluster after a leadership change) would wait
// for its client's deadline.
void Server::AbortOverrunProposals() {
  auto& terms = pending_->proposal_terms;
  if (terms.empty() || terms.begin()->first >= applied_term_) return;
  auto& proposals = pending_->proposals;
  for (auto it = proposals.begin(); it != proposals.end();) {
    if (it->second.term >= applied_term_) {
      ++it;
      continue;
    }
    coverage_.Hit(Situation::kProposalOverrun);
    ForgetProposalTerm(it->second.term);
    Complete(std::move(it->second.done),
             NotApplied(applied_index_, applied_term_, it->second.term));
    it = proposals.erase(it);
  }
}

void Server::ForgetProposalTerm(Term term) {
  auto& terms = pending_->proposal_terms;
  const auto it = terms.find(term);
  CHECK(it != terms.end());
  if (--it->second == 0) terms.erase(it);
}

// Moves reads the Node confirmed (thesis §6.4) to wait for their index.
void Server::ConfirmReads(const std::vector<ReadState>& read_states) {
  auto& unconfirmed = pending_->unconfirmed_reads;
  for (const ReadState& rs : read_states) {
    auto it = unconfirmed.find(rs.context);
    if (it == unconfirmed.end()) continue;  // Already failed (step-down).
    if (tracer_ != nullptr) tracer_->OnReadConfirmed(rs);
    if (rs.index > applied_index_) {
      coverage_.Hit(Situation::kReadWaitsForApply);
    }
    for (Pending::Read& r : it->second.reads) {
      pending_->waiting_reads.emplace(rs.index, std::move(r));
    }
    unconfirmed.erase(it);
  }
}

// Serves every confirmed read whose read index is applied.
void Server::ServeReads() {
  auto& waiting = pending_->waiting_reads;
  while (!waiting.empty() && (waiting.begin()->first <= applied_index_ ||
                              RAFTSIM_CANARY(kReadBeforeApply))) {
    Pending::Read r = std::move(waiting.begin()->second);
    waiting.erase(waiting.begin());
    ++metrics_.reads_served;
    Complete(std::move(r.done), state_machine_->Query(r.query));
  }
}

// Stage 1 for reads: one ReadIndex (one heartbeat round) for every read
// queued this turn.
void Server::IssueReads() {
  auto& queued = pending_->queued_reads;
  if (queued.empty()) return;
  std::vector<Pending::Read> reads;
  reads.swap(queued);
  const uint64_t context = ++next_read_context_;
  // A lease is judged on the Node's tick count: bring it up to the clock.
  if (options_.raft.lease_read) CatchUpTicks();
  if (absl::Status s = node_->ReadIndex(context); !s.ok()) {
    // Not the leader (with the hint), or a new leader that has not yet
    // committed its no-op (Unavailable): the client retries.
    for (Pending::Read& r : reads) Complete(std::move(r.done), s);
    return;
  }
  ++metrics_.read_batches;
  if (tracer_ != nullptr) tracer_->OnReadIssued(context, node_->term());
  pending_->unconfirmed_reads[context] = {node_->term(), std::move(reads)};
}

// A role, leader or term change. Unconfirmed reads of the old term fail
// (the Node forgot them). Proposals stay: whether a later leader commits
// an uncommitted one is learnt from what is applied here (Respond).
void Server::OnSoftState(const SoftState& soft) {
  if (soft.role != soft_state_.role) ++metrics_.role_changes;
  const SoftState before = soft_state_;
  soft_state_ = soft;
  PublishSoftStateEvents(before, soft);
  const bool leading = soft.role == Role::kLeader;
  const auto stale = [&](Term term) { return !leading || term != soft.term; };

  const LogIndex commit = node_->commit_index();
  for (const auto& [index, p] : pending_->proposals) {
    if (index > commit && stale(p.term)) {
      coverage_.Hit(Situation::kProposalOutlivesLeadership);
      break;
    }
  }

  auto& unconfirmed = pending_->unconfirmed_reads;
  for (auto it = unconfirmed.begin(); it != unconfirmed.end();) {
    if (!stale(it->second.term)) {
      ++it;
      continue;
    }
    for (Pending::Read& r : it->second.reads) {
      Complete(std::move(r.done),
               absl::UnavailableError(
                   "leadership lost before the read was confirmed; retry"));
    }
    it = unconfirmed.erase(it);
  }
  if (soft_state_listener_) soft_state_listener_(soft);
}

// Snapshot policy: every snapshot_every_entries applied entries, snapshot
// the state machine at the applied index and compact the Node (keeping
// snapshot_keep_entries for lagging followers) and the storage.
// Skipped while apply work is queued or outstanding (the state machine is
// then behind applied_index_'s successor batch), or a received snapshot
// waits in the Node's next Ready; the next completion or Ready tries
// again. REQUIRES: called after Advance (Node::Compact needs the index
// handed out).
void Server::MaybeTakeSnapshot() {
  const uint64_t every = options_.snapshot_every_entries;
  if (stopped_ || every == 0 || applied_index_ - snapshot_index_ < every) {
    return;
  }
  // The state machine must be exactly at applied_index_.
  if (pending_->apply_in_flight || !pending_->apply_queue.empty()) return;
  // A snapshot the Node installed from a message moves its applied index
  // at once; the state machine restores it when this Server handles the
  // Ready that carries it. An apply batch that completes in between (an
  // asynchronous ApplyAsync) finds the state machine behind the Node:
  // wait for that Ready.
  if (node_->applied_index() != applied_index_ && node_->HasReady()) return;
  CHECK_EQ(node_->applied_index(), applied_index_);
  // Applied entries are durable (Ready contract, step 4), so the storage
  // holds them and LogStorage::Compact's REQUIRES index <= LastIndex().
  CHECK_LE(applied_index_, node_->durable_index());
  Snapshot snapshot;
  snapshot.meta.index = applied_index_;
  snapshot.meta.term = applied_term_;
  snapshot.data = Payload(state_machine_->TakeSnapshot());
  const absl::Status node_status =
      node_->Compact(snapshot, options_.snapshot_keep_entries);
  CHECK(node_status.ok()) << node_status.ToString();
  // The Node recorded the configuration in force at the snapshot's index in
  // its copy; the storage's copy carries the same.
  snapshot.meta.conf = node_->snapshot().meta.conf;
  snapshot_index_ = applied_index_;
  ++metrics_.snapshots_taken;
  coverage_.Hit(Situation::kSnapshotTaken);

  // A storage still busy with an earlier write may not hold the entry yet
  // (or hold it under another term, mid-truncation): skip compaction this
  // time; the next snapshot compacts further.
  const absl::StatusOr<Term> stored = storage_->TermAt(snapshot.meta.index);
  if (!stored.ok() || *stored != snapshot.meta.term ||
      storage_->snapshot().meta.index >= snapshot.meta.index) {
    return;
  }
  if (absl::Status s = storage_->Compact(std::move(snapshot)); !s.ok()) {
    Fail(absl::DataLossError(
        absl::StrCat("storage compaction failed: ", s.ToString())));
    return;
  }
  ++metrics_.storage_compactions;
}

void Server::FailPending(const absl::Status& status) {
  Pending& p = *pending_;
  for (Pending::Command& c : p.commands) Complete(std::move(c.done), status);
  p.commands.clear();
  for (Pending::Read& r : p.queued_reads) Complete(std::move(r.done), status);
  p.queued_reads.clear();
  for (auto& [index, pr] : p.proposals) Complete(std::move(pr.done), status);
  p.proposals.clear();
  p.proposal_terms.clear();
  for (auto& [context, batch] : p.unconfirmed_reads) {
    for (Pending::Read& r : batch.reads) Complete(std::move(r.done), status);
  }
  p.unconfirmed_reads.clear();
  for (auto& [index, r] : p.waiting_reads) Complete(std::move(r.done), status);
  p.waiting_reads.clear();
}

}  // namespace raftsim::raft
