// examples/event_loop_runtime.cc — see event_loop_runtime.h.
//
// Single-threaded; confined to the thread that first uses it.

#include "examples/event_loop_runtime.h"

#include <algorithm>

#include "base/check.h"

namespace raftsim::examples {

EventLoopRuntime::EventLoopRuntime() : epoch_(Clock::now()) {}

void EventLoopRuntime::CheckThread() const {
  const std::thread::id self = std::this_thread::get_id();
  if (owner_ == std::thread::id()) owner_ = self;
  CHECK(owner_ == self) << "EventLoopRuntime used from a second thread";
}

int64_t EventLoopRuntime::NowUs() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                               epoch_)
      .count();
}

void EventLoopRuntime::Post(absl::AnyInvocable<void()> fn) {
  After(0, std::move(fn));
}

raft::Runtime::TimerId EventLoopRuntime::After(int64_t delay_us,
                                               absl::AnyInvocable<void()> fn) {
  CheckThread();
  CHECK(fn != nullptr);
  const uint64_t seq = next_seq_++;
  heap_.push({NowUs() + std::max<int64_t>(delay_us, 0), seq});
  tasks_.emplace(seq, std::move(fn));
  return seq;
}

void EventLoopRuntime::Cancel(TimerId id) {
  CheckThread();
  tasks_.erase(id);  // The heap key goes when it reaches the top.
}

void EventLoopRuntime::SkipCancelled() {
  while (!heap_.empty() && !tasks_.contains(heap_.top().seq)) heap_.pop();
}

int64_t EventLoopRuntime::RunFor(std::chrono::microseconds duration) {
  return Run(NowUs() + duration.count(), [] { return false; });
}

bool EventLoopRuntime::RunUntil(absl::FunctionRef<bool()> done,
                                std::chrono::microseconds timeout) {
  if (done()) return true;
  Run(NowUs() + timeout.count(), done);
  return done();
}

int64_t EventLoopRuntime::Run(int64_t deadline_us,
                              absl::FunctionRef<bool()> done) {
  CheckThread();
  int64_t ran = 0;
  while (true) {
    SkipCancelled();
    const int64_t now = NowUs();
    if (now >= deadline_us) return ran;
    if (heap_.empty() || heap_.top().deadline_us > now) {
      // Nothing due: sleep until the next task or the deadline. With no
      // other thread feeding the loop, nothing can arrive meanwhile.
      const int64_t wake = heap_.empty()
                               ? deadline_us
                               : std::min(deadline_us, heap_.top().deadline_us);
      std::this_thread::sleep_for(std::chrono::microseconds(wake - now));
      continue;
    }
    const uint64_t seq = heap_.top().seq;
    heap_.pop();
    auto it = tasks_.find(seq);
    absl::AnyInvocable<void()> fn = std::move(it->second);
    tasks_.erase(it);
    // The task may Post, After or Cancel: the heap is consistent here.
    fn();
    ++ran;
    ++tasks_run_;
    if (done()) return ran;
  }
}

}  // namespace raftsim::examples
