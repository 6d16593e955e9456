// storage/thread_executor.h — an IoExecutor backed by one I/O thread.
//
// Work runs on the thread in submission order. The destructor runs what is
// still queued and joins the thread.
//
// Thread-safe: Submit may be called from any thread.

#ifndef RAFTSIM_STORAGE_THREAD_EXECUTOR_H_
#define RAFTSIM_STORAGE_THREAD_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "storage/executor.h"

namespace raftsim::storage {

class ThreadExecutor final : public IoExecutor {
 public:
  ThreadExecutor();
  ~ThreadExecutor() override;

  ThreadExecutor(const ThreadExecutor&) = delete;
  ThreadExecutor& operator=(const ThreadExecutor&) = delete;

  void Submit(absl::AnyInvocable<void()> work) override;

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<absl::AnyInvocable<void()>> queue_;  // Guarded by mu_.
  bool stopping_ = false;                         // Guarded by mu_.
  std::thread thread_;
};

}  // namespace raftsim::storage

#endif  // RAFTSIM_STORAGE_THREAD_EXECUTOR_H_
