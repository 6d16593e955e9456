// sim/simulator.h — one simulated run: the world, its phases, its result.
//
// Simulator(seed, options) builds the world from the seed's streams
// (sim/world/streams.h): N NodeHosts running the production raft::Server over
// simulated disks, the network, the clients and the fault schedule. Run():
//   t = 0            every node starts; clients start; faults start.
//   fault phase      faults as drawn (sim/world/faults.h) for fault_ms.
//   t = fault_ms     heal: partitions healed, loss off, paused nodes
//                    resumed, crashed nodes restarted; clients stop
//                    issuing new operations (outstanding ones retry).
//   heal phase       the cluster must become live: a leader whose commit
//                    index covers its whole log, every node up, running
//                    and applied up to that commit index, and no client
//                    operation outstanding. If that has not happened
//                    heal_ms after the heal: result=liveness.
//   stable window    once live, for three of the longest election
//                    timeouts, the leader must keep leading: no node
//                    campaigns or changes term (checker "stability",
//                    result=liveness); then the run ends ok. Off with
//                    stable_check=0.
//
// Membership. The world has nodes + spare_hosts hosts: n1..n(nodes) form
// the initial cluster — static (every host built with Config.voters =
// n1..n(nodes)) or, with bootstrap=1, bootstrapped (every host built with
// no voters; the initial ones each call Server::Bootstrap right after
// their first Start) — and the spare hosts are down and empty until
// StartSpare. ChangeMembership, TransferLeadership and Bootstrap hand a
// request to a host (or the leader) and trace it and its outcome (trace
// kind `membership`). Once the leader's configuration in force is
// committed, not joint and leaves out a host that was a member, that host
// is retired (NodeHost::Retire): stopped, unless keep_removed=1 (then it
// keeps running, with whatever log it has); faults and the heal never
// restart it and clients never send to it. Liveness and stability judge
// the members of the final configuration only (the leader's in force).
//
// After every event the observers run (sim/observer.h); the first
// violation ends the run with result=safety. More than max_events events
// is a liveness failure too (a livelock that keeps time from advancing).
//
// A CHECK failing inside a node is not caught here: the process-wide
// handler (tools/) reports it with the seed and exits 4.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_SIMULATOR_H_
#define RAFTSIM_SIM_SIMULATOR_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkers/linearizability/history.h"
#include "checkers/liveness/liveness.h"
#include "raft/confchange/conf_change.h"
#include "sim/exit_codes.h"
#include "sim/membership_driver.h"
#include "sim/observer.h"
#include "sim/trace/trace.h"
#include "sim/workload/clients.h"
#include "sim/world/event_queue.h"
#include "sim/world/faults.h"
#include "sim/world/network.h"
#include "sim/world/node_host.h"
#include "sim/world/options.h"
#include "sim/world/streams.h"

namespace raftsim::sim {

// kHang: the run was stopped before it could reach a verdict — its event
// bound ran out (a livelock, or a planted bug that loops), or, in a sweep,
// its wall-clock limit (tools/cli/sweep.cc; never read here).
enum class ResultKind { kOk, kSafety, kLiveness, kHang };
// "ok", "safety", "liveness", "hang".
std::string_view ResultKindName(ResultKind kind);

struct RunResult {
  ResultKind kind = ResultKind::kOk;
  uint64_t events = 0;
  int64_t sim_us = 0;
  uint64_t trace_hash = 0;
  // Empty for ok; else what failed (for safety: checker, detail and the
  // event number).
  std::string detail;
  // Safety only: the name of the checker (observer) that fired.
  std::string checker;
  // How often each situation of CoverageCatalogue() happened
  // (sim/coverage.h), indexed like the catalogue.
  std::vector<uint64_t> coverage;
  // What the environment did, as (name, count) in a fixed order: each
  // kind of scheduled fault that took effect (sim/world/faults.h), then
  // the messages cut by a partition, lost, duplicated and held by a clog.
  std::vector<std::pair<std::string, uint64_t>> faults;
};

class Simulator;

// A scripted schedule of world actions (sim/scenario/runner.h). Run()
// calls Install once, after scheduling the start of the run and before
// scheduling the heal, so that scripted events at the heal instant run
// before the heal.
class Script {
 public:
  virtual ~Script() = default;
  virtual void Install(Simulator& simulator) = 0;
};

class Simulator final : public WorldView, public MessageReceiver {
 public:
  // REQUIRES: options.Validate().ok(). `sink` may be null (hash only).
  Simulator(uint64_t seed, const SimOptions& options,
            TraceSink* sink = nullptr);
  ~Simulator() override;

  // Not owned; must outlive Run(). A simulator has no observer of its own:
  // the checkers of checkers/ run as one (sim/check_adapter.h).
  void AddObserver(Observer* observer) { observers_.push_back(observer); }
  // Unregisters every observer.
  void ClearObservers() { observers_.clear(); }

  // Runs `script` (not owned; must outlive Run()) and ends the fault
  // phase at `fault_end_us` instead of options.fault_ms.
  // REQUIRES: before Run(); fault_end_us >= 0.
  void SetScript(Script* script, int64_t fault_end_us) {
    script_ = script;
    fault_end_us_ = fault_end_us;
  }

  // REQUIRES: called once.
  RunResult Run();

  // Mutable access to the world, for scripts (sim/scenario/runner.h) only.
  EventQueue& queue() { return queue_; }
  Tracer& tracer() { return tracer_; }
  Network& mutable_network() { return *network_; }
  NodeHost& mutable_host(HostIndex index) { return *hosts_[index.slot()]; }
  Workload& workload() { return *workload_; }

  // ---- Membership (see the top of this file). Each call returns "" when
  // the request was handed over, else why not (no leader, the host down,
  // refused at once); the request and its outcome are traced. ----
  // The running (up, not paused) leader of the highest term, if any.
  std::optional<HostIndex> LeaderHost() const;
  // Proposes `change` at `via`, or at LeaderHost() when nullopt.
  std::string ChangeMembership(std::optional<HostIndex> via,
                               raft::confchange::ConfChange change);
  // Asks `via` (or the leader) to hand leadership to `target`.
  std::string TransferLeadership(std::optional<HostIndex> via,
                                 HostIndex target);
  // Bootstraps `host` (up, uninitialised) with `conf`.
  std::string Bootstrap(HostIndex host, const raft::ConfState& conf);
  // Starts a spare host (never started before) with its empty disk.
  std::string StartSpare(HostIndex host);
  // Hosts in the world: nodes + spare_hosts.
  int host_count() const { return static_cast<int>(hosts_.size()); }
  // Whether `host` was ever in a committed configuration of a leader (or
  // the initial one).
  bool was_member(HostIndex host) const {
    return host.slot() < was_member_.size() && was_member_[host.slot()];
  }
  // Membership changes whose callback reported success.
  uint64_t membership_changes_done() const { return changes_done_; }

  checkers::History History() const { return workload_->History(); }
  const SimOptions& options() const { return options_; }
  uint64_t trace_hash() const { return tracer_.hash(); }
  uint64_t messages_sent() const { return network_->messages_sent(); }

  // WorldView.
  uint64_t seed() const override { return seed_; }
  int node_count() const override { return static_cast<int>(hosts_.size()); }
  const NodeHost& host(HostIndex index) const override {
    return *hosts_[index.slot()];
  }
  const Network& network() const override { return *network_; }
  int64_t now_us() const override { return queue_.now_us(); }
  uint64_t event_number() const override { return events_; }
  Phase phase() const override { return phase_; }
  std::optional<std::string> client_contract_violation() const override {
    return workload_->contract_violation();
  }

  // MessageReceiver (the network's side; not for observers).
  bool Up(HostIndex node) const override { return hosts_[node.slot()]->up(); }
  void Deliver(HostIndex node, raft::Message message) override {
    hosts_[node.slot()]->Receive(std::move(message));
  }

 private:
  void Begin();
  void Heal();
  // Nullopt once the healed cluster is live (checkers/liveness/liveness.h),
  // else what is missing.
  std::optional<std::string> WhyNotLive() const;
  // Once live: the leader and term to keep, and until when.
  void BeginStableWindow();
  std::optional<std::string> WhyNotStable() const;
  // Retires the hosts the leader's committed configuration left out
  // (see the top of this file); runs after every event once membership
  // was used.
  void RetireRemoved();
  // Voters and learners (of both halves when joint) of `c`.
  static std::vector<raft::NodeId> MembersOf(const raft::ConfState& c);
  // The configuration liveness judges by: the leader's in force, else
  // nullopt (then every host started and not retired counts).
  std::optional<raft::ConfState> FinalConfiguration() const;
  // Options allow at most this many nodes (sim/world/options.cc).
  static constexpr size_t kMaxNodes = 9;
  // The nodes as checkers/liveness/liveness.h judges them (the first
  // node_count() entries).
  std::array<checkers::LivenessNode, kMaxNodes> LivenessView() const;
  std::optional<Violation> Observe();
  // The run's counts, indexed like CoverageCatalogue().
  std::vector<uint64_t> Coverage() const;
  // `stream` of the run's seed, or of `override_seed` when it is not 0
  // (SimOptions::fault_seed, workload_seed).
  Prng StreamOf(Stream stream, int64_t override_seed) const;

  uint64_t seed_;
  SimOptions options_;
  Streams streams_;
  EventQueue queue_;
  Tracer tracer_;
  std::unique_ptr<Network> network_;
  std::vector<std::unique_ptr<NodeHost>> hosts_;
  std::unique_ptr<Workload> workload_;
  std::unique_ptr<Faults> faults_;
  std::unique_ptr<MembershipDriver> membership_driver_;  // membership=1.
  std::vector<Observer*> observers_;
  Script* script_ = nullptr;
  int64_t fault_end_us_ = 0;  // options.fault_ms unless SetScript.
  Phase phase_ = Phase::kFault;
  bool deadline_passed_ = false;
  int64_t stable_until_us_ = -1;  // -1: not live yet.
  Term stable_term_;
  size_t stable_leader_ = 0;
  uint64_t events_ = 0;
  // Membership: set by the first membership call; then RetireRemoved runs.
  bool membership_used_ = false;
  // Per host: seen in a committed configuration of a leader (or initial).
  std::vector<bool> was_member_;
  uint64_t changes_done_ = 0;
  // Coverage counts (sim/coverage.h).
  uint64_t learners_added_ = 0;
  uint64_t learners_promoted_ = 0;
  uint64_t voters_removed_ = 0;
  uint64_t leaders_removed_ = 0;
  uint64_t joints_entered_ = 0;
  uint64_t joints_left_ = 0;
  uint64_t transfers_completed_ = 0;
  // A transfer asked for and not yet seen completed: target, and the term
  // it was asked in.
  std::optional<std::pair<HostIndex, Term>> pending_transfer_;
  // The index of the last joint configuration a change's callback
  // reported, until a leader's committed configuration after it is simple.
  std::optional<raft::LogIndex> joint_done_index_;
};

// The process exit codes are in sim/exit_codes.h.
int ExitCode(ResultKind kind);

// "seed=N result=R events=E sim_ms=T trace_hash=H" (H: 16 hex digits).
std::string ResultLine(uint64_t seed, std::string_view result, uint64_t events,
                       int64_t sim_us, uint64_t trace_hash);

// The one-line replay command for `seed` ("bazel run -c opt
// //tools:raftsim -- replay --seed=N" plus `extra_flags` if any).
std::string ReplayCommand(uint64_t seed, std::string_view extra_flags);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_SIMULATOR_H_
