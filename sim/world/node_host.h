// sim/world/node_host.h — NodeHost: one simulated node — the seam where the
// production raft::Server meets the simulated world.
//
// A host owns the node's runtime (SimRuntime), disk (SimDisk, which outlives
// crashes), transport (into the Network), and, while the node is up, its
// KvStateMachine and raft::Server. Life cycle:
//   Start()    a new KvStateMachine and Server over the disk; Server::Start
//              loads the disk's durable state (restart is construction).
//   Crash()    destroys the Server and state machine, discards the node's
//              pending timers/posts/disk completions, loses unsynced writes.
//   Pause()    defers every event of the node (timers, deliveries, disk
//              completions, client requests) until Resume().
// Every apply, snapshot restore and role change is recorded in the trace
// (observers read them there).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_NODE_HOST_H_
#define RAFTSIM_SIM_WORLD_NODE_HOST_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/prng.h"
#include "raft/confchange/conf_change.h"
#include "raft/coverage.h"
#include "raft/node.h"
#include "raft/server/server.h"
#include "sim/trace/trace.h"
#include "sim/workload/kv_state_machine.h"
#include "sim/world/disk.h"
#include "sim/world/event_queue.h"
#include "sim/world/network.h"
#include "sim/world/node_storage.h"
#include "sim/world/options.h"
#include "sim/world/sim_runtime.h"
#include "sim/world/streams.h"

namespace raftsim::sim {

// Bit i set for n(i+1), for each node of `ids` (ids 1..32).
uint32_t NodeBits(const std::vector<raft::NodeId>& ids);
// The kMembership payload of `event` for `membership` (voters of both
// halves when joint).
MembershipPayload MembershipPayloadOf(MembershipEvent event,
                                      const raft::Membership& membership);

class NodeHost {
 public:
  // `options`: the server options shared by all nodes (raft.id and
  // raft.seed are set here). `prng`: the node's own stream (a fresh Raft
  // seed per incarnation); `disk_prng`: its disk's stream. With
  // `apply_us_max` > 0 the state machine applies asynchronously, each
  // batch [0, apply_us_max] after it was handed over (delays drawn from
  // `apply_prng`; a crash loses the outstanding batch with the rest of
  // the node's volatile state).
  NodeHost(HostIndex index, raft::ServerOptions options, int64_t drift_ppm,
           EventQueue* queue, Network* network, Tracer* tracer, Prng prng,
           Prng disk_prng, DiskOptions disk_options, Prng apply_prng,
           int64_t apply_us_max);
  ~NodeHost();

  // REQUIRES: !up(). CHECKs that the server starts (a failure to start
  // from its own durable state is a bug).
  void Start();
  // REQUIRES: up().
  void Crash();
  void Pause();
  void Resume();

  // Message from the network. REQUIRES: up().
  void Receive(raft::Message message) { server_->Receive(std::move(message)); }
  // Client entry points. REQUIRES: up().
  void Submit(std::string command, raft::Server::Callback done) {
    server_->Submit(std::move(command), std::move(done));
  }
  void Read(std::string query, raft::Server::Callback done) {
    server_->Read(std::move(query), std::move(done));
  }
  // Membership (raft::Server::Bootstrap, ChangeMembership,
  // TransferLeadership). REQUIRES: up().
  absl::Status Bootstrap(const raft::ConfState& conf);
  void ChangeMembership(raft::confchange::ConfChange change,
                        raft::Server::MembershipCallback done) {
    server_->ChangeMembership(std::move(change), std::move(done));
  }
  absl::Status TransferLeadership(raft::NodeId target) {
    return server_->TransferLeadership(target);
  }
  // The initial configuration of a bootstrapped cluster: every Start of
  // this host that finds it uninitialised (its first, or one after a crash
  // lost the unsynced bootstrap entry) bootstraps it with `conf`, as an
  // operator's start script would.
  void SetBootstrap(raft::ConfState conf) { bootstrap_ = std::move(conf); }

  // A removed node that leaves the simulation: never restarted again (by
  // faults or the heal), no client sends to it, and liveness does not
  // wait for it. Stopped (crashed) unless `keep_running`.
  void Retire(bool keep_running);
  bool retired() const { return retired_; }
  // A retired node added back: it serves again, restarted if it is down.
  void Unretire();
  // Started at least once (spare hosts are not, until they are added).
  bool ever_started() const { return incarnation_ > 0; }
  // Clients may send to it: started once and not retired.
  bool serving() const { return ever_started() && !retired_; }

  // Starts an election now (the scenario action `campaign`). REQUIRES: up().
  void Campaign() {
    tracer_->Record(index_, TraceKind::kCampaign);
    server_->Campaign();
  }

  // Observers.
  HostIndex index() const { return index_; }
  raft::NodeId id() const { return index_.id(); }
  bool up() const { return server_ != nullptr; }
  bool paused() const { return queue_->paused(index_); }
  // The Raft core; nullptr while the node is down.
  const raft::Node* node() const;
  const raft::Server* server() const { return server_.get(); }
  const KvStateMachine* kv() const { return kv_.get(); }
  // The node's storage (sim/world/node_storage.h): the memory disk unless
  // UseWal was called.
  const NodeStorage& disk() const { return *storage_; }
  // Puts the node on the WAL. REQUIRES: before the first Start.
  void UseWal(Prng prng, WalNodeOptions options);
  const SimRuntime& runtime() const { return runtime_; }
  int64_t drift_ppm() const { return runtime_.drift_ppm(); }
  // The server options of every incarnation.
  const raft::ServerOptions& options() const { return options_; }
  // A busy event loop (SimRuntime::SetPostDelay); call before Start.
  void SetPostDelay(Prng prng, int64_t post_us_max) {
    runtime_.SetPostDelay(prng, post_us_max);
  }
  // The first breach of the Server's side of the Ready contract (every
  // message a Ready hands over sent, in order, nothing else), or of the
  // network's (a message refused as malformed), by any incarnation.
  std::optional<std::string> contract_violation() const;
  // Starts so far (1 after the first Start).
  uint64_t incarnation() const { return incarnation_; }
  // The protocol situations this node reached, over all its incarnations
  // (raft/coverage.h).
  raft::Coverage coverage() const;

 private:
  class Transport;
  class RecordingStateMachine;
  class HostTracer;

  HostIndex index_;
  raft::ServerOptions options_;
  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  Prng apply_prng_;
  int64_t apply_us_max_;
  SimRuntime runtime_;
  std::unique_ptr<NodeStorage> storage_;
  raft::LogStorage* log_ = nullptr;  // The incarnation's, from storage_.
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<KvStateMachine> kv_;
  std::unique_ptr<RecordingStateMachine> recorder_;
  std::unique_ptr<HostTracer> host_tracer_;
  std::unique_ptr<raft::Server> server_;
  uint64_t incarnation_ = 0;
  bool retired_ = false;
  std::optional<raft::ConfState> bootstrap_;
  raft::Coverage past_coverage_;  // Of the incarnations before this one.
};

// Puts `host` on the storage `options` choose (the `storage` option and
// the wal_* ones); the memory disk stays otherwise. Before the first Start.
void ConfigureStorage(const SimOptions& options, const Streams& streams,
                      NodeHost* host);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_NODE_HOST_H_
