// raft/server/testing/fake_runtime.h — a Runtime whose clock and task queue the
// test drives by hand.
//
// Posted tasks and timers share one queue ordered by (due time, sequence
// number), so ties run in scheduling order and every run is deterministic.
// Nothing runs until the test calls RunUntilIdle / AdvanceTo / AdvanceBy.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_SERVER_TESTING_FAKE_RUNTIME_H_
#define RAFTSIM_RAFT_SERVER_TESTING_FAKE_RUNTIME_H_

#include <cstdint>
#include <map>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "raft/server/runtime.h"

namespace raftsim::raft::testing {

class FakeRuntime final : public Runtime {
 public:
  FakeRuntime() = default;
  FakeRuntime(const FakeRuntime&) = delete;
  FakeRuntime& operator=(const FakeRuntime&) = delete;

  // Runtime. Post runs `fn` at the current time, after what is already due.
  void Post(absl::AnyInvocable<void()> fn) override;
  TimerId After(int64_t delay_us, absl::AnyInvocable<void()> fn) override;
  void Cancel(TimerId id) override;
  int64_t NowUs() const override { return now_us_; }

  // Runs every task due now, including those they schedule for now.
  // Returns how many ran. CHECKs after `max_tasks` (a livelock guard).
  int64_t RunUntilIdle(int64_t max_tasks = 1'000'000);
  // Runs tasks in (time, seq) order up to and including `t_us`, moving the
  // clock to each task's time, then sets the clock to `t_us`.
  // REQUIRES: t_us >= NowUs().
  int64_t AdvanceTo(int64_t t_us);
  int64_t AdvanceBy(int64_t delta_us) { return AdvanceTo(now_us_ + delta_us); }

  // Tasks and timers not yet run (cancelled ones excluded).
  size_t pending() const { return tasks_.size(); }
  int64_t posted() const { return posted_; }

 private:
  using Key = std::pair<int64_t, uint64_t>;  // (due time, sequence).
  // Runs the first task if it is due at or before `t_us`.
  bool RunOne(int64_t t_us);

  int64_t now_us_ = 0;
  uint64_t next_seq_ = 1;  // Also the TimerId; 0 is never an id.
  int64_t posted_ = 0;
  std::map<Key, absl::AnyInvocable<void()>> tasks_;
  std::map<TimerId, int64_t> due_by_id_;
};

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_SERVER_TESTING_FAKE_RUNTIME_H_
