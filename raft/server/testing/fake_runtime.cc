// raft/server/testing/fake_runtime.cc — see fake_runtime.h.

#include "raft/server/testing/fake_runtime.h"

#include "base/check.h"

namespace raftsim::raft::testing {

void FakeRuntime::Post(absl::AnyInvocable<void()> fn) {
  ++posted_;
  After(0, std::move(fn));
}

Runtime::TimerId FakeRuntime::After(int64_t delay_us,
                                    absl::AnyInvocable<void()> fn) {
  CHECK_GE(delay_us, 0);
  const TimerId id = next_seq_++;
  tasks_.emplace(Key{now_us_ + delay_us, id}, std::move(fn));
  due_by_id_[id] = now_us_ + delay_us;
  return id;
}

void FakeRuntime::Cancel(TimerId id) {
  auto it = due_by_id_.find(id);
  if (it == due_by_id_.end()) return;
  tasks_.erase(Key{it->second, id});
  due_by_id_.erase(it);
}

bool FakeRuntime::RunOne(int64_t t_us) {
  if (tasks_.empty() || tasks_.begin()->first.first > t_us) return false;
  auto node = tasks_.extract(tasks_.begin());
  due_by_id_.erase(node.key().second);
  now_us_ = node.key().first;
  node.mapped()();  // May schedule more tasks.
  return true;
}

int64_t FakeRuntime::RunUntilIdle(int64_t max_tasks) {
  int64_t ran = 0;
  while (RunOne(now_us_)) {
    ++ran;
    CHECK_LE(ran, max_tasks) << "runtime did not go idle";
  }
  return ran;
}

int64_t FakeRuntime::AdvanceTo(int64_t t_us) {
  CHECK_GE(t_us, now_us_);
  int64_t ran = 0;
  while (RunOne(t_us)) ++ran;
  now_us_ = t_us;
  return ran;
}

}  // namespace raftsim::raft::testing
