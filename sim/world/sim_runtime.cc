// sim/world/sim_runtime.cc — see sim_runtime.h. Single-threaded.

#include "sim/world/sim_runtime.h"

#include <algorithm>
#include <utility>

#include "base/check.h"

namespace raftsim::sim {

namespace {
constexpr int64_t kMillion = 1'000'000;
}  // namespace

SimRuntime::SimRuntime(EventQueue* queue, HostIndex node, int64_t drift_ppm)
    : queue_(queue), node_(node), drift_ppm_(drift_ppm) {
  CHECK_LE(drift_ppm, kMillion / 2);
  CHECK_GE(drift_ppm, -kMillion / 2);
}

int64_t SimRuntime::ToSimulated(int64_t local_us) const {
  if (local_us <= 0) return 0;
  const __int128 rate = kMillion + drift_ppm_;
  const __int128 sim =
      (static_cast<__int128>(local_us) * kMillion + rate - 1) / rate;
  return sim < 1 ? 1 : static_cast<int64_t>(sim);
}

int64_t SimRuntime::NowUs() const {
  const __int128 local = static_cast<__int128>(queue_->now_us()) *
                         (kMillion + drift_ppm_) / kMillion;
  return static_cast<int64_t>(local);
}

void SimRuntime::SetPostDelay(Prng prng, int64_t post_us_max) {
  CHECK_GE(post_us_max, 0);
  post_prng_ = prng;
  post_us_max_ = post_us_max;
}

void SimRuntime::Post(absl::AnyInvocable<void()> fn) {
  int64_t delay_us = 0;
  if (post_us_max_ > 0) {
    const int64_t now = queue_->now_us();
    const int64_t at =
        std::max(now + post_prng_.Range(0, post_us_max_), next_post_us_);
    next_post_us_ = at;
    delay_us = at - now;
  }
  queue_->After(delay_us, node_, EventKind::kPost, /*crash_scoped=*/true,
                std::move(fn));
}

raft::Runtime::TimerId SimRuntime::After(int64_t delay_us,
                                         absl::AnyInvocable<void()> fn) {
  return queue_->After(ToSimulated(delay_us), node_, EventKind::kTimer,
                       /*crash_scoped=*/true, std::move(fn));
}

}  // namespace raftsim::sim
