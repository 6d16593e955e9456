// raft/server/pending.h — raft::Server's queues and in-flight bookkeeping.
//
// Internal to server.cc and apply.cc; not part of the //raft/server
// API. Every container here is ordered (deque, std::map, std::multimap), so
// nothing depends on hash order (docs/design.md, "Determinism rules").
//
// Single-threaded; owned by one Server.

#ifndef RAFTSIM_RAFT_SERVER_PENDING_H_
#define RAFTSIM_RAFT_SERVER_PENDING_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "raft/entry.h"
#include "raft/message.h"
#include "raft/server/server.h"
#include "raft/types.h"

namespace raftsim::raft {

struct Server::Pending {
  // Stage 1, ingress: commands submitted since the last pump, oldest first.
  struct Command {
    std::string command;
    Callback done;
  };
  std::deque<Command> commands;

  // A read waiting for its ReadIndex batch, its confirmation, or apply.
  struct Read {
    std::string query;
    Callback done;
  };
  // Reads submitted since the last pump (one ReadIndex per pump).
  std::vector<Read> queued_reads;
  // ReadIndex batches sent to the Node but not yet confirmed, by context.
  // `term` is the leader term the batch was issued in: the Node forgets
  // unconfirmed reads when it stops leading that term.
  struct ReadBatch {
    Term term;
    std::vector<Read> reads;
  };
  std::map<uint64_t, ReadBatch> unconfirmed_reads;
  // Confirmed reads, keyed by the read index they wait for.
  std::multimap<LogIndex, Read> waiting_reads;

  // Stage 6, respond: proposed entries awaiting the apply of their index,
  // keyed by it. A proposal outlives the leadership it was made in: it is
  // answered when its index is applied here — with its result when the
  // entry there has its term, "not applied" otherwise — or as "not
  // applied" once an entry of a later term is applied below its index, or
  // when a snapshot covers the index, or the server stops (Respond).
  // Several may share an index: a node re-elected after losing uncommitted
  // entries proposes at indexes its older proposals still wait for.
  struct Proposal {
    Term term;  // The term the command was proposed in.
    Callback done;
    // A ChangeMembership: its entry is a kConfig entry, and `done` wraps
    // the MembershipCallback (the state machine's result is ignored).
    bool config = false;
    // The runtime clock when it was proposed (latency histograms).
    int64_t proposed_us = 0;
  };
  std::multimap<LogIndex, Proposal> proposals;
  // How many proposals each term has in `proposals`: the oldest term tells
  // at once whether any proposal predates the applied term.
  std::map<Term, uint64_t> proposal_terms;

  // Stage 5, apply, in index order: work not yet handed to the state
  // machine — a batch of committed entries, or a snapshot to restore — in
  // Ready order. Consecutive batches are handed over as one.
  struct ApplyItem {
    std::vector<Entry> entries;
    std::optional<Snapshot> snapshot;
  };
  std::deque<ApplyItem> apply_queue;
  // The batch handed to StateMachine::ApplyAsync and not yet completed.
  // Valid while apply_in_flight: it views the Ready's entries during an
  // inline completion, else applying_entries.
  absl::Span<const Entry> applying;
  // The entries of that batch when they had to outlive the Ready that
  // brought them (the state machine did not complete inline).
  std::vector<Entry> applying_entries;
  bool apply_in_flight = false;

  // Stages 2–3, persistence FIFO: one element per Ready that wrote to
  // storage or held messages_after_persist, in Ready order. The head is
  // released (OnPersisted, then its messages) only once it and every
  // element before it completed — so acks never overtake a write, whatever
  // order the storage completes in.
  // Invariant: an element without a write is completed from the start.
  struct InflightReady {
    uint64_t seq = 0;  // Write sequence number; 0 when has_write is false.
    bool has_write = false;
    bool completed = false;
    LogIndex persist_index;
    Term persist_term;
    Term node_term;  // The Node's term when the write was issued.
    uint64_t entries = 0;
    int64_t issued_us = 0;  // The runtime clock at LogStorage::Write.
    std::vector<Message> after_persist;
  };
  std::deque<InflightReady> inflight;

  // Client completions produced by the current runtime task.
  struct Completion {
    Callback done;
    absl::StatusOr<std::string> result;
  };
  std::vector<Completion> completions;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_PENDING_H_
