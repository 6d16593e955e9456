// raft/tracker/inflights_test.cc — the in-flight window: ring wrap-around,
// count and byte limits (after etcd's inflights_test.go), and a RapidCheck
// model test against a naive std::deque.

#include "raft/tracker/inflights.h"

#include <cstdint>
#include <deque>
#include <utility>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft::tracker {
namespace {

TEST(Inflights, AddUntilFull) {
  Inflights in(10, 0);
  EXPECT_EQ(in.Describe(), "inflight=0/10");
  for (uint64_t i = 0; i < 5; ++i) in.Add(LogIndex(i), 100 + i);
  EXPECT_EQ(in.count(), 5u);
  EXPECT_EQ(in.bytes(), 510u);
  EXPECT_FALSE(in.Full());
  EXPECT_EQ(in.oldest(), LogIndex(0));
  EXPECT_EQ(in.newest(), LogIndex(4));
  for (uint64_t i = 5; i < 10; ++i) in.Add(LogIndex(i), 100 + i);
  EXPECT_TRUE(in.Full());
  EXPECT_EQ(in.count(), 10u);
  EXPECT_EQ(in.Describe(), "inflight=10/10 bytes=1045/0 last=(i0 i9)");
}

TEST(Inflights, WrapsAroundTheRing) {
  Inflights in(10, 0);
  for (uint64_t i = 0; i < 10; ++i) in.Add(LogIndex(i), 1);
  in.FreeLE(LogIndex(4));  // 5 free slots at the front of the ring.
  EXPECT_EQ(in.count(), 5u);
  EXPECT_FALSE(in.Full());
  // These five wrap around to slots 0..4.
  for (uint64_t i = 10; i < 15; ++i) in.Add(LogIndex(i), 1);
  EXPECT_TRUE(in.Full());
  EXPECT_EQ(in.oldest(), LogIndex(5));
  EXPECT_EQ(in.newest(), LogIndex(14));
  in.FreeLE(LogIndex(12));
  EXPECT_EQ(in.count(), 2u);
  EXPECT_EQ(in.oldest(), LogIndex(13));
  in.FreeLE(LogIndex(14));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.bytes(), 0u);
}

TEST(Inflights, FreeLE) {
  Inflights in(10, 0);
  for (uint64_t i = 0; i < 10; ++i) in.Add(LogIndex(i), 1);
  in.FreeLE(LogIndex(0));
  EXPECT_EQ(in.count(), 9u);
  EXPECT_EQ(in.oldest(), LogIndex(1));
  in.FreeLE(LogIndex(8));
  EXPECT_EQ(in.count(), 1u);
  EXPECT_EQ(in.oldest(), LogIndex(9));
  // Freeing below the oldest (a stale ack) changes nothing.
  in.FreeLE(LogIndex(3));
  EXPECT_EQ(in.count(), 1u);
  // Freeing past the newest empties it.
  in.FreeLE(LogIndex(100));
  EXPECT_TRUE(in.empty());
}

TEST(Inflights, FreeLEBetweenIndexes) {
  Inflights in(4, 0);
  in.Add(LogIndex(10), 1);
  in.Add(LogIndex(20), 1);
  in.Add(LogIndex(30), 1);
  in.FreeLE(LogIndex(25));  // Frees 10 and 20, keeps 30.
  EXPECT_EQ(in.count(), 1u);
  EXPECT_EQ(in.oldest(), LogIndex(30));
}

TEST(Inflights, FreeFirstOne) {
  Inflights in(10, 0);
  for (uint64_t i = 0; i < 10; ++i) in.Add(LogIndex(i), 1);
  in.FreeFirstOne();
  EXPECT_EQ(in.count(), 9u);
  EXPECT_EQ(in.oldest(), LogIndex(1));
  Inflights empty(3, 0);
  empty.FreeFirstOne();
  EXPECT_TRUE(empty.empty());
}

TEST(Inflights, ByteLimit) {
  Inflights in(10, 1000);
  in.Add(LogIndex(1), 400);
  in.Add(LogIndex(2), 400);
  EXPECT_FALSE(in.Full());
  in.Add(LogIndex(3), 300);  // 1100 bytes: allowed to overshoot once.
  EXPECT_TRUE(in.Full());
  EXPECT_EQ(in.count(), 3u);
  in.FreeLE(LogIndex(1));
  EXPECT_EQ(in.bytes(), 700u);
  EXPECT_FALSE(in.Full());
  in.Add(LogIndex(4), 300);  // Exactly the limit is full.
  EXPECT_EQ(in.bytes(), 1000u);
  EXPECT_TRUE(in.Full());
}

TEST(Inflights, OneOversizedMessageIsAllowed) {
  Inflights in(10, 100);
  in.Add(LogIndex(1), 5000);
  EXPECT_TRUE(in.Full());
  in.FreeLE(LogIndex(1));
  EXPECT_FALSE(in.Full());
}

TEST(Inflights, ResetKeepsWorking) {
  Inflights in(3, 0);
  for (uint64_t i = 1; i <= 3; ++i) in.Add(LogIndex(i), 7);
  in.FreeLE(LogIndex(1));
  in.Add(LogIndex(4), 7);  // Wrapped.
  in.Reset();
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.bytes(), 0u);
  EXPECT_FALSE(in.Full());
  // After a reset indexes may start lower again (a new probe round).
  for (uint64_t i = 2; i <= 4; ++i) in.Add(LogIndex(i), 1);
  EXPECT_TRUE(in.Full());
  EXPECT_EQ(in.oldest(), LogIndex(2));
}

TEST(InflightsDeathTest, AddWhenFullDies) {
  Inflights in(1, 0);
  in.Add(LogIndex(1), 1);
  EXPECT_DEATH(in.Add(LogIndex(2), 1), "Full");
}

TEST(InflightsDeathTest, AddOutOfOrderDies) {
  Inflights in(4, 0);
  in.Add(LogIndex(5), 1);
  EXPECT_DEATH(in.Add(LogIndex(5), 1), "must grow");
}

// The model: a deque of (last, bytes) with the same limits.
struct Model {
  size_t max_count;
  uint64_t max_bytes;
  std::deque<std::pair<uint64_t, uint64_t>> q;

  uint64_t Bytes() const {
    uint64_t b = 0;
    for (const auto& [last, bytes] : q) b += bytes;
    return b;
  }
  bool Full() const {
    return q.size() == max_count || (max_bytes != 0 && Bytes() >= max_bytes);
  }
};

RC_GTEST_PROP(Inflights, MatchesDequeModel, ()) {
  const size_t max_count = *rc::gen::inRange<size_t>(1, 12);
  const uint64_t max_bytes = *rc::gen::element<uint64_t>(0, 0, 10, 50, 200);
  Inflights in(max_count, max_bytes);
  Model model{max_count, max_bytes, {}};
  uint64_t next = *rc::gen::inRange<uint64_t>(0, 5);
  const size_t steps = *rc::gen::inRange<size_t>(0, 200);
  for (size_t step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 10);
    if (op < 6) {  // Add, if allowed.
      if (model.Full()) {
        RC_ASSERT(in.Full());
        continue;
      }
      RC_ASSERT(!in.Full());
      next += *rc::gen::inRange<uint64_t>(1, 4);
      const uint64_t bytes = *rc::gen::inRange<uint64_t>(0, 30);
      in.Add(LogIndex(next), bytes);
      model.q.emplace_back(next, bytes);
    } else if (op < 9) {  // FreeLE somewhere around the window.
      const uint64_t to = next < 8
                              ? *rc::gen::inRange<uint64_t>(0, next + 2)
                              : *rc::gen::inRange<uint64_t>(next - 8, next + 2);
      in.FreeLE(LogIndex(to));
      while (!model.q.empty() && model.q.front().first <= to) {
        model.q.pop_front();
      }
    } else if (*rc::gen::inRange(0, 3) == 0) {
      in.Reset();
      model.q.clear();
    } else {
      in.FreeFirstOne();
      if (!model.q.empty()) model.q.pop_front();
    }
    RC_ASSERT(in.count() == model.q.size());
    RC_ASSERT(in.bytes() == model.Bytes());
    RC_ASSERT(in.Full() == model.Full());
    if (!model.q.empty()) {
      RC_ASSERT(in.oldest().value() == model.q.front().first);
      RC_ASSERT(in.newest().value() == model.q.back().first);
    }
  }
}

}  // namespace
}  // namespace raftsim::raft::tracker
