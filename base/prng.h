// base/prng.h — the project's own seeded pseudo-random generator.
//
// Determinism is the product: the same seed must give the same run on every
// machine and standard library. So we never use std::*_distribution (their
// output differs between standard libraries), rand(), std::random_device or
// absl::BitGen. This generator is xoshiro256** (Blackman & Vigna) seeded
// through splitmix64; bounded integers use Lemire's multiply-and-reject
// method, so they have no modulo bias. Its output is pinned by
// base/prng_test.cc (golden sequence).
//
// Streams: `Fork(stream_id)` derives an independent generator from this
// generator's *seed* and the id — never from its current position — so
// drawing more numbers from one stream never shifts another.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_BASE_PRNG_H_
#define RAFTSIM_BASE_PRNG_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "base/check.h"

namespace raftsim {

// One step of splitmix64: advances `state` and returns the next output.
constexpr uint64_t SplitMix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Prng {
 public:
  explicit Prng(uint64_t seed) : seed_(seed) {
    uint64_t sm = seed;
    for (uint64_t& word : state_) word = SplitMix64(sm);
    // xoshiro must not start from all zeros; splitmix64 cannot produce four
    // zero words in a row, but say so.
    CHECK(state_[0] != 0 || state_[1] != 0 || state_[2] != 0 || state_[3] != 0);
  }

  // The seed this generator was built from.
  uint64_t seed() const { return seed_; }

  // Next 64 uniformly distributed bits (xoshiro256**).
  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound). REQUIRES: bound > 0. Unbiased (Lemire 2019).
  uint64_t Uniform(uint64_t bound) {
    CHECK_GT(bound, 0u);
    __uint128_t m = static_cast<__uint128_t>(Next()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
      const uint64_t threshold = -bound % bound;
      while (low < threshold) {
        m = static_cast<__uint128_t>(Next()) * bound;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi], inclusive. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    CHECK_LE(lo, hi);
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(Next());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + Uniform(span + 1));
  }

  // True with probability numerator / denominator, exactly.
  // REQUIRES: denominator > 0.
  bool Ratio(uint64_t numerator, uint64_t denominator) {
    CHECK_GT(denominator, 0u);
    return Uniform(denominator) < numerator;
  }

  // True with probability `p` (clamped to [0, 1]). Uses the top 53 bits, so
  // it is exact IEEE arithmetic and identical on every platform.
  bool Chance(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
  }

  // Fisher–Yates shuffle of [first, last).
  template <typename It>
  void Shuffle(It first, It last) {
    const auto n = last - first;
    for (auto i = n - 1; i > 0; --i) {
      const auto j =
          static_cast<decltype(i)>(Uniform(static_cast<uint64_t>(i) + 1));
      using std::swap;
      swap(first[i], first[j]);
    }
  }

  // An independent generator for stream `stream_id`, derived from this
  // generator's seed only (not its position).
  Prng Fork(uint64_t stream_id) const {
    uint64_t sm = seed_ ^ (stream_id * 0xd1b54a32d192ed03ULL);
    SplitMix64(sm);
    return Prng(SplitMix64(sm));
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }

  uint64_t seed_;
  std::array<uint64_t, 4> state_;
};

}  // namespace raftsim

#endif  // RAFTSIM_BASE_PRNG_H_
