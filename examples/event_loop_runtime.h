// examples/event_loop_runtime.h — EventLoopRuntime, a small production-style
// raft::Runtime: one thread, one timer heap, the real (monotonic) clock.
//
// It is a reference for writing your own Runtime (docs/examples.md). What a
// Runtime must guarantee (raft/server/runtime.h) and how this one does it:
//   * every callback runs on one logical thread, one at a time: the loop
//     runs tasks only inside RunFor / RunUntil, on the caller's thread;
//   * never inside the call that scheduled it: Post and After only queue;
//   * ordering: one heap ordered by (deadline_us, sequence). Post is a timer
//     due now, so posted tasks run in FIFO order, after every timer that was
//     already due, and a busy loop cannot starve timers;
//   * NowUs is std::chrono::steady_clock (monotonic; never goes back).
//
// Threading contract (thread confinement): an EventLoopRuntime belongs to
// the first thread that calls one of its methods after construction; every
// later call must come from that thread (CHECKed). In particular Post is
// NOT a cross-thread queue. A real server whose sockets are read by other
// threads adds a mutex-protected inbox and a wake-up (an eventfd, or a
// condition variable the idle wait uses) and drains the inbox from the
// loop — see docs/examples.md "Writing your own Runtime".
//
// Cancelled timers are dropped lazily when they reach the top of the heap.

#ifndef RAFTSIM_EXAMPLES_EVENT_LOOP_RUNTIME_H_
#define RAFTSIM_EXAMPLES_EVENT_LOOP_RUNTIME_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "raft/server/runtime.h"

namespace raftsim::examples {

class EventLoopRuntime final : public raft::Runtime {
 public:
  using Clock = std::chrono::steady_clock;

  EventLoopRuntime();
  EventLoopRuntime(const EventLoopRuntime&) = delete;
  EventLoopRuntime& operator=(const EventLoopRuntime&) = delete;
  // Tasks still queued are destroyed without running.
  ~EventLoopRuntime() override = default;

  // raft::Runtime.
  void Post(absl::AnyInvocable<void()> fn) override;
  // A negative delay counts as 0.
  TimerId After(int64_t delay_us, absl::AnyInvocable<void()> fn) override;
  void Cancel(TimerId id) override;
  // Microseconds since this runtime was constructed.
  int64_t NowUs() const override;

  // Runs due tasks, sleeping while none is due, until `duration` has
  // passed on the clock. Returns how many tasks ran.
  int64_t RunFor(std::chrono::microseconds duration);
  // Runs tasks until `done()` holds (tested before the first task and after
  // each one) or `timeout` passes. Returns whether `done()` held.
  bool RunUntil(absl::FunctionRef<bool()> done,
                std::chrono::microseconds timeout);

  // Tasks and timers queued and not cancelled.
  size_t pending() const { return tasks_.size(); }
  int64_t tasks_run() const { return tasks_run_; }

 private:
  struct Key {
    int64_t deadline_us;
    uint64_t seq;  // Also the TimerId; 0 is never an id.
    // std::priority_queue is a max-heap: "greater" puts the earliest
    // (deadline, seq) on top.
    friend bool operator>(const Key& a, const Key& b) {
      return std::pair(a.deadline_us, a.seq) > std::pair(b.deadline_us, b.seq);
    }
  };

  // Runs tasks until `deadline_us` or until `done()` (if given) holds.
  int64_t Run(int64_t deadline_us, absl::FunctionRef<bool()> done);
  // Drops cancelled keys from the top of the heap.
  void SkipCancelled();
  // CHECKs thread confinement (and claims the loop on first use).
  void CheckThread() const;

  const Clock::time_point epoch_;
  mutable std::thread::id owner_;  // Default id until the first call.
  uint64_t next_seq_ = 1;
  int64_t tasks_run_ = 0;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> heap_;
  // The task of every live key, by seq. A key whose seq is absent here was
  // cancelled (or has run).
  std::map<uint64_t, absl::AnyInvocable<void()>> tasks_;
};

}  // namespace raftsim::examples

#endif  // RAFTSIM_EXAMPLES_EVENT_LOOP_RUNTIME_H_
