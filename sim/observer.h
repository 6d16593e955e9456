// sim/observer.h — the hook through which checkers watch a run.
//
// After every simulator event the simulator calls each registered
// Observer with (1) a read-only view of the whole world — every node's
// Raft core (role, term, log, commit and applied indexes, hard state), its
// state machine, its disk's written and durable state, the network — and
// (2) the event's trace records (sim/trace/trace.h): what the event was and
// everything it did (messages sent, dropped and delivered, disk writes and
// syncs, entries applied, snapshots restored, role changes, crashes,
// client calls and returns). An observer that returns a Violation ends the
// run with result=safety; the simulator reports it with the event number
// and the replay command. At the end of a run AtEnd gets the client
// history (for linearizability).
//
// Observers must not change the world (they get const access only) and
// must be deterministic: no hash-map iteration order in what they report.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_OBSERVER_H_
#define RAFTSIM_SIM_OBSERVER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "checkers/linearizability/history.h"
#include "sim/trace/trace.h"
#include "sim/world/network.h"
#include "sim/world/node_host.h"

namespace raftsim::sim {

enum class Phase : uint8_t { kFault, kHeal };

// Read-only access to the simulated world (implemented by Simulator).
class WorldView {
 public:
  virtual ~WorldView() = default;
  virtual uint64_t seed() const = 0;
  virtual int node_count() const = 0;
  // REQUIRES: index < node_count(). host(h).node() is nullptr while host h
  // is down. Every host: `for (HostIndex h : Hosts(world.node_count()))`.
  virtual const NodeHost& host(HostIndex index) const = 0;
  virtual const Network& network() const = 0;
  virtual int64_t now_us() const = 0;
  // The number of the event just run (the first column of the trace).
  virtual uint64_t event_number() const = 0;
  virtual Phase phase() const = 0;
  // The first client reply outside the Server's error contract
  // (Workload::contract_violation), if any.
  virtual std::optional<std::string> client_contract_violation() const {
    return std::nullopt;
  }
};

struct Violation {
  std::string checker;  // The observer's name.
  std::string detail;   // What it saw, one line.
};

class Observer {
 public:
  virtual ~Observer() = default;
  // Short, stable: appears in reports ("election_safety").
  virtual std::string_view name() const = 0;
  // Called after every event with the event's records.
  virtual std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) = 0;
  // Called once when the run ends (whatever its result so far).
  virtual std::optional<Violation> AtEnd(const WorldView& world,
                                         const checkers::History& history) {
    return std::nullopt;
  }
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_OBSERVER_H_
