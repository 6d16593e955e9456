// raft/server/runtime.h — the execution environment a raft::Server runs on.
//
// The Server never reads a clock or starts a thread: it asks its Runtime to
// run work later. A production runtime is an event loop or a strand over a
// thread pool; the simulator's runtime is its discrete-event queue, so the
// very same Server code runs under simulated time.
//
// Contract: every callback runs on the runtime's single logical thread, one
// at a time, never inside the call that scheduled it.

#ifndef RAFTSIM_RAFT_SERVER_RUNTIME_H_
#define RAFTSIM_RAFT_SERVER_RUNTIME_H_

#include <cstdint>

#include "absl/functional/any_invocable.h"

namespace raftsim::raft {

class Runtime {
 public:
  using TimerId = uint64_t;

  virtual ~Runtime() = default;

  // Runs `fn` soon, after the current callback returns.
  virtual void Post(absl::AnyInvocable<void()> fn) = 0;

  // Runs `fn` once after `delay_us` microseconds. Returns an id for Cancel.
  virtual TimerId After(int64_t delay_us, absl::AnyInvocable<void()> fn) = 0;

  // Cancels a timer that has not fired; no-op otherwise.
  virtual void Cancel(TimerId id) = 0;

  // Microseconds on this runtime's clock (monotonic; the simulator's clock
  // under simulation). Used only for timeouts and metrics.
  virtual int64_t NowUs() const = 0;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_SERVER_RUNTIME_H_
