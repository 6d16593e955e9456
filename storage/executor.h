// storage/executor.h — where the WAL's I/O runs.
//
// WalStorage never blocks its caller on the disk: it queues work on an
// IoExecutor. The contract is a strand: submitted work runs in submission
// order, one piece at a time, never inside Submit when that would nest
// inside other work. Implementations:
//   - InlineExecutor: runs the work at once on the caller's thread (nested
//     submissions run after the current one returns). Deterministic; every
//     Write syncs before it returns, so there is no batching.
//   - ManualExecutor: holds work until the owner runs it (tests, and a
//     simulator that runs I/O as events at simulated times). Writes queued
//     before a run share one sync: group commit, deterministically.
//   - ThreadExecutor (storage/thread_executor.h): one I/O thread, for the
//     real disk.
//
// Threading: InlineExecutor and ManualExecutor are single-threaded.

#ifndef RAFTSIM_STORAGE_EXECUTOR_H_
#define RAFTSIM_STORAGE_EXECUTOR_H_

#include <cstddef>
#include <deque>
#include <utility>

#include "absl/functional/any_invocable.h"

namespace raftsim::storage {

class IoExecutor {
 public:
  virtual ~IoExecutor() = default;
  // Runs `work` after everything submitted before it, never concurrently
  // with other work of this executor.
  virtual void Submit(absl::AnyInvocable<void()> work) = 0;
};

class InlineExecutor final : public IoExecutor {
 public:
  void Submit(absl::AnyInvocable<void()> work) override {
    queue_.push_back(std::move(work));
    if (running_) return;  // The outer Submit runs it next.
    running_ = true;
    while (!queue_.empty()) {
      absl::AnyInvocable<void()> next = std::move(queue_.front());
      queue_.pop_front();
      next();
    }
    running_ = false;
  }

 private:
  std::deque<absl::AnyInvocable<void()>> queue_;
  bool running_ = false;
};

class ManualExecutor final : public IoExecutor {
 public:
  void Submit(absl::AnyInvocable<void()> work) override {
    queue_.push_back(std::move(work));
  }
  size_t pending() const { return queue_.size(); }
  // Runs the oldest piece of work; false when there was none.
  bool RunOne() {
    if (queue_.empty()) return false;
    absl::AnyInvocable<void()> next = std::move(queue_.front());
    queue_.pop_front();
    next();
    return true;
  }
  // Runs work until none is left (including work submitted meanwhile);
  // returns how many pieces ran.
  size_t RunAll() {
    size_t n = 0;
    while (RunOne()) ++n;
    return n;
  }
  // Drops queued work without running it (the process died).
  void Clear() { queue_.clear(); }

 private:
  std::deque<absl::AnyInvocable<void()>> queue_;
};

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_EXECUTOR_H_
