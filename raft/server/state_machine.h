// raft/server/state_machine.h — the application's replicated state machine.
//
// raft::Server applies committed entries here strictly in index order, in
// batches, and answers linearizable reads with Query once the read index is
// applied. Snapshots let the log be compacted and lagging followers catch
// up (Raft §7).
//
// Apply may be asynchronous (ApplyAsync): a state machine that applies on
// its own executor, or slowly, lets commit run ahead of apply without
// stalling replication. The Server keeps at most one batch outstanding,
// hands the entries committed meanwhile over as the next batch, and
// applies, restores and snapshots strictly in index order (docs/server.md
// "Asynchronous apply").
//
// Threading: called from the Server's runtime only (one caller at a time).

#ifndef RAFTSIM_RAFT_SERVER_STATE_MACHINE_H_
#define RAFTSIM_RAFT_SERVER_STATE_MACHINE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "raft/entry.h"

namespace raftsim::raft {

class StateMachine {
 public:
  virtual ~StateMachine() = default;

  // Applies `entries` (contiguous, in index order, following the last
  // applied one). Appends exactly one result per entry to `results`: what
  // the client that proposed it receives (no-op and configuration entries
  // get "" and are not delivered).
  virtual void Apply(absl::Span<const Entry> entries,
                     std::vector<std::string>* results) = 0;

  // The Server calls this rather than Apply. `done` gets one result per
  // entry, exactly once: inline before ApplyAsync returns (the default,
  // which calls Apply), or later from a task on the Server's Runtime (an
  // executor on another thread posts the call there). `entries` stay valid
  // until `done` runs or the Server is destroyed. Until `done` runs the
  // Server calls nothing else on the state machine except Query, which
  // must then answer from a state at least as new as the last completed
  // batch (seeing the effect of the outstanding batch is allowed: its
  // entries are committed).
  using ApplyDone = absl::AnyInvocable<void(std::vector<std::string> results)>;
  virtual void ApplyAsync(absl::Span<const Entry> entries, ApplyDone done) {
    std::vector<std::string> results;
    results.reserve(entries.size());
    Apply(entries, &results);
    done(std::move(results));
  }

  // Answers a read-only query against the current state.
  virtual std::string Query(std::string_view query) const = 0;

  // The state as of the last applied entry, as opaque bytes.
  virtual std::string TakeSnapshot() const = 0;
  // Replaces the state with a snapshot's bytes. InvalidArgument when the
  // bytes do not decode (the snapshot is input from another node).
  virtual absl::Status Restore(std::string_view data) = 0;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_STATE_MACHINE_H_
