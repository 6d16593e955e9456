// sim/world/faults.h — the fault schedule of the fault phase, and the heal.
//
// During the fault phase, after a gap drawn from [1, fault_gap_ms_max] ms,
// one enabled fault is injected, then the next gap is drawn, until the
// phase ends. The faults (each enabled by a swarm option):
//   partition  a shape (sim/world/partition.h) of an enabled kind, healed after
//              [1, partition_ms_max] ms (a newer partition replaces it);
//   crash      a random up node crashes and restarts after
//              [1, crash_ms_max] ms;
//   pause      a random up, running node stalls for [1, pause_ms_max] ms;
//   clog       a random link (one direction, or both) holds its messages
//              for [1, clog_ms_max] ms and then delivers them together.
// Loss, duplication, jitter, disk latency, torn writes and clock drift are
// standing conditions set up by the simulator, not scheduled here.
// HealAll() ends the phase: the network heals, loss stops, paused nodes
// resume and crashed nodes restart; later scheduled recoveries are no-ops.
// All draws come from the faults stream.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_FAULTS_H_
#define RAFTSIM_SIM_WORLD_FAULTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/prng.h"
#include "sim/trace/trace.h"
#include "sim/world/event_queue.h"
#include "sim/world/network.h"
#include "sim/world/node_host.h"
#include "sim/world/options.h"
#include "sim/world/partition.h"

namespace raftsim::sim {

class Faults {
 public:
  Faults(EventQueue* queue, Tracer* tracer, Prng prng,
         const SimOptions& options, std::vector<NodeHost*> hosts,
         Network* network);

  // Schedules faults until `end_us` (the end of the fault phase).
  void Start(int64_t end_us);
  void HealAll();

  uint64_t injected() const { return injected_; }
  // How often each kind of fault took effect (a crash with no node up, for
  // example, does not count), as (name, count) in a fixed order: partition,
  // crash, pause, clog, bounce.
  std::vector<std::pair<std::string_view, uint64_t>> FiredCounts() const;

 private:
  enum class Action { kPartition, kCrash, kPause, kClog, kBounce };
  static constexpr size_t kActionCount = 5;
  void Fired(Action a) { ++fired_[static_cast<size_t>(a)]; }
  void ScheduleNext();
  void Inject();
  void Partition();
  void Crash();
  void Pause();
  void Clog();
  void Bounce();
  // A random host satisfying `ok`, or nullptr.
  template <typename Pred>
  NodeHost* PickNode(Pred ok);
  // With target_leader, half of the time: the up node that leads in the
  // highest term (nullptr if none, or not this time). Always one draw.
  NodeHost* MaybeLeader();
  void Note(std::string text);

  EventQueue* queue_;
  Tracer* tracer_;
  Prng prng_;
  SimOptions options_;
  std::vector<NodeHost*> hosts_;
  Network* network_;
  std::vector<Action> actions_;
  std::vector<PartitionKind> partition_kinds_;
  int64_t end_us_ = 0;
  bool healed_ = false;
  uint64_t partition_generation_ = 0;
  uint64_t injected_ = 0;
  std::array<uint64_t, kActionCount> fired_{};
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_FAULTS_H_
