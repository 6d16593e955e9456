// sim/world/sim_runtime.h — SimRuntime: the raft::Runtime of one simulated
// node, over the simulator's event queue.
//
// Post and After schedule crash-scoped events owned by the node, so a crash
// discards them and a pause defers them (EventQueue). Timer drift: the node's
// clock runs at (1e6 + drift_ppm) / 1e6 of simulated time, so a timer of
// d local microseconds fires after d * 1e6 / (1e6 + drift_ppm) simulated
// ones (rounded up, at least 1 for d > 0), and NowUs() reads the local
// clock. drift_ppm is an integer: no floating point reaches time.
//
// A busy event loop (SetPostDelay): posted work runs up to post_us_max
// simulated microseconds late, each delay drawn, never before work posted
// earlier (Post stays FIFO). Whatever arrives meanwhile — messages, storage
// notices, client calls — is handled in the same turn of the Server.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_SIM_RUNTIME_H_
#define RAFTSIM_SIM_WORLD_SIM_RUNTIME_H_

#include <cstdint>

#include "base/prng.h"
#include "raft/server/runtime.h"
#include "sim/world/event_queue.h"

namespace raftsim::sim {

class SimRuntime final : public raft::Runtime {
 public:
  // REQUIRES: -500'000 <= drift_ppm <= 500'000.
  SimRuntime(EventQueue* queue, HostIndex node, int64_t drift_ppm);

  void Post(absl::AnyInvocable<void()> fn) override;
  TimerId After(int64_t delay_us, absl::AnyInvocable<void()> fn) override;
  void Cancel(TimerId id) override { queue_->Cancel(id); }
  int64_t NowUs() const override;

  // Simulated microseconds a local delay takes on this node's clock.
  int64_t ToSimulated(int64_t local_us) const;
  int64_t drift_ppm() const { return drift_ppm_; }
  // REQUIRES: post_us_max >= 0. 0 (the default): posted work runs next.
  void SetPostDelay(Prng prng, int64_t post_us_max);

 private:
  EventQueue* queue_;
  HostIndex node_;
  int64_t drift_ppm_;
  Prng post_prng_{0};
  int64_t post_us_max_ = 0;
  int64_t next_post_us_ = 0;  // No posted work runs before this time.
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_SIM_RUNTIME_H_
