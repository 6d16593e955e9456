// sim/workload/clients.h — the simulated clients and the history they observe.
//
// N clients, each with at most one operation outstanding, issue get, put,
// append and cas on a few keys ("k0".."k{keys-1}") with a mix drawn by the
// seed. A client sends to the node it believes leads (following leader
// hints) over a client link with its own latency; gets go through
// Server::Read (ReadIndex), or through the log (Submit) when
// read_through_log is on.
//
// Outcomes, as the history records them (checkers/linearizability/history.h):
//   - a reply: completed, with its output;
//   - FailedPrecondition (not the leader) or ResourceExhausted: the
//     operation definitely did not happen, so it is left out of the history;
//   - any other error, or the client's timeout: outcome unknown (return
//     nullopt) — it may take effect later or never;
//   - a get that fails or times out is left out (it changed nothing).
// After a failure or timeout the client retries the same command as a NEW
// operation (new request id), at the hinted leader or another node — or,
// with sticky_clients on, for every other client (clients 1, 3, 5, ...),
// after a timeout or an "outcome unknown" error, the client stays at its
// node and goes on with its NEXT command, as Jepsen's workers do (the
// failed one stays indeterminate; in the heal phase it is retried there
// instead). A client that keeps talking to a node it believes leads, next
// to clients that move on: a partition strands some clients with a deposed
// leader while others write through the new one.
//
// Randomness: the workload stream, forked per client (see Client).
//
// StopIssuing() (the heal phase) stops new operations; outstanding ones
// keep retrying until they complete, which is what liveness waits for.
//
// Scripted operations (scenario `client` actions, sim/scenario/runner.h):
// AddClients() creates clients beyond the `clients` option, exactly as the
// constructor would have (same streams, same first target), and Script()
// queues a given command on a client: it is issued at once when the client
// is idle, else when its current operation ends, ahead of any drawn one.
// Clients beyond `clients` never draw commands. Scripted operations retry
// like drawn ones and are issued even after StopIssuing(). With
// set_record_drawn(true) the workload keeps every drawn command with its
// issue time (the shrinker turns them into scripted ones).
// Times in the history are simulated nanoseconds (us * 1000).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORKLOAD_CLIENTS_H_
#define RAFTSIM_SIM_WORKLOAD_CLIENTS_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/prng.h"
#include "checkers/linearizability/history.h"
#include "sim/host_index.h"
#include "sim/trace/trace.h"
#include "sim/workload/kv_codec.h"
#include "sim/world/event_queue.h"
#include "sim/world/node_host.h"
#include "sim/world/options.h"

namespace raftsim::sim {

class Workload {
 public:
  Workload(EventQueue* queue, Tracer* tracer, Prng prng,
           const SimOptions& options, std::vector<NodeHost*> hosts);

  // A command drawn by a background client, and when it was first issued
  // (command.request is the operation id of that first issue).
  struct DrawnCommand {
    int64_t at_us = 0;
    int client = 0;  // 0-based index (the history's client id - 1).
    KvCommand command;
  };

  // Schedules every client's first operation.
  void Start();
  void StopIssuing() { issuing_ = false; }

  // Grows the client list to `count` clients (no-op if it has as many).
  // REQUIRES: before Start().
  void AddClients(int count);
  int client_count() const { return static_cast<int>(clients_.size()); }
  // Queues `command` (client and request ids are set here) on client
  // `index`. REQUIRES: 0 <= index < client_count().
  void Script(int index, KvCommand command);
  void set_record_drawn(bool on) { record_drawn_ = on; }
  const std::vector<DrawnCommand>& drawn() const { return drawn_; }

  // Clients with an operation outstanding.
  int outstanding() const;
  uint64_t completed() const { return completed_; }
  // Timeouts, and sticky clients' moves to their next operation
  // (sim/coverage.h).
  uint64_t timeouts() const { return timeouts_; }
  uint64_t moved_on() const { return moved_on_; }
  // The first reply whose error a correct Server never gives a correct
  // client: only Unavailable (retry), FailedPrecondition (not the leader),
  // ResourceExhausted (too many uncommitted bytes) and Aborted (definitely
  // not applied) are in the contract (docs/server.md); any other code —
  // InvalidArgument, Internal, … — means the Server refused a good request
  // or broke itself, which no retry makes right.
  const std::optional<std::string>& contract_violation() const {
    return contract_violation_;
  }
  // The history so far: operations still outstanding have unknown outcome;
  // definitely failed ones are left out. Ordered by call.
  checkers::History History() const;

 private:
  struct Client {
    // Per-client streams, forked from the workload stream: `ops` draws only
    // the commands (kind, key), so a client's sequence of commands never
    // depends on timing, faults or other clients; `timing` draws latencies,
    // think times and backoffs.
    Client(Prng ops_prng, Prng timing_prng)
        : ops(ops_prng), timing(timing_prng) {}
    Prng ops;
    Prng timing;
    int index = 0;     // 0-based; the history's client id is index+1.
    HostIndex target;  // The host believed to lead.
    bool busy = false;
    uint64_t op = 0;           // Current operation id (0: none).
    size_t history_index = 0;  // Its Operation in history_.
    EventId timeout = 0;
    int64_t timeout_us = 0;  // The next operation's timeout; 0: the option.
    KvCommand command;       // Kept for retries.
    size_t key = 0;          // command.key's number.
    uint64_t drawn = 0;      // Commands drawn so far.
    std::vector<std::string> seen;   // Last value seen per key (cas).
    bool background = true;          // Draws commands when idle.
    std::deque<KvCommand> scripted;  // Scripted commands not yet issued.
  };
  void AddClient();

  void Next(Client& c);
  KvCommand Draw(Client& c);
  void Issue(Client& c, KvCommand command);
  void Arrive(int client, uint64_t op, HostIndex node, std::string bytes,
              bool read);
  void Reply(int client, uint64_t op, absl::StatusOr<std::string> result);
  void Timeout(int client, uint64_t op);
  // Ends the current operation: `known` completed with `result`, else
  // unknown (or left out when `drop`).
  void Finish(Client& c, bool drop, const std::string* result);
  void Retry(Client& c, HostIndex node);
  // sticky_clients applies to clients 1, 3, 5, ... (index 0, 2, 4, ...).
  bool Sticky(const Client& c) const;
  // A sticky client after a timeout or an unknown outcome (see above).
  void MoveOn(Client& c);
  HostIndex OtherNode(HostIndex node);
  // `node`, or the next host after it that clients may send to
  // (NodeHost::serving: not a spare never started, not retired).
  HostIndex Serving(HostIndex node) const;

  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  SimOptions options_;
  std::vector<NodeHost*> hosts_;
  std::vector<Client> clients_;
  std::vector<checkers::Operation> history_;
  std::vector<bool> dropped_;  // Parallel to history_.
  bool issuing_ = true;
  bool record_drawn_ = false;
  std::vector<DrawnCommand> drawn_;
  uint64_t next_op_ = 0;
  uint64_t completed_ = 0;
  std::optional<std::string> contract_violation_;
  uint64_t timeouts_ = 0;
  uint64_t moved_on_ = 0;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORKLOAD_CLIENTS_H_
