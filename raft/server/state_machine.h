// raft/server/state_machine.h — the application's replicated state machine.
//
// raft::Server applies committed entries here strictly in index order, in
// batches, and answers linearizable reads with Query once the read index is
// applied. Snapshots let the log be compacted and lagging followers catch
// up (Raft §7).
//
// Threading: called from the Server's runtime only (one caller at a time).

#ifndef RAFTSIM_RAFT_SERVER_STATE_MACHINE_H_
#define RAFTSIM_RAFT_SERVER_STATE_MACHINE_H_

#include <string>
#include <string_view>
#include <vector>

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
