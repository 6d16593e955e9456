// examples/event_loop_runtime_test.cc — EventLoopRuntime keeps the Runtime
// contract: (deadline, sequence) order, Post after due timers, never inline,
// Cancel, RunFor / RunUntil. Real time, so delays are small and the
// assertions are about order, never about exact times.

#include "examples/event_loop_runtime.h"

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::examples {
namespace {

using std::chrono::milliseconds;

TEST(EventLoopRuntime, RunsTimersInDeadlineThenSequenceOrder) {
  EventLoopRuntime rt;
  std::vector<std::string> order;
  rt.After(3'000, [&] { order.push_back("c"); });
  rt.After(1'000, [&] { order.push_back("a"); });
  rt.After(1'000'000, [&] { order.push_back("never"); });
  rt.Post([&] { order.push_back("posted1"); });
  rt.Post([&] { order.push_back("posted2"); });
  rt.RunFor(milliseconds(20));
  EXPECT_EQ(order, (std::vector<std::string>{"posted1", "posted2", "a", "c"}));
  EXPECT_EQ(rt.pending(), 1u);
}

TEST(EventLoopRuntime, PostNeverRunsInlineAndChainsInOrder) {
  EventLoopRuntime rt;
  std::vector<int> order;
  rt.Post([&] {
    order.push_back(1);
    rt.Post([&] { order.push_back(3); });
    order.push_back(2);
  });
  EXPECT_TRUE(order.empty());
  EXPECT_TRUE(
      rt.RunUntil([&] { return order.size() == 3; }, milliseconds(100)));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EventLoopRuntime, CancelledTimersNeverRun) {
  EventLoopRuntime rt;
  bool ran = false, other = false;
  const raft::Runtime::TimerId id = rt.After(1'000, [&] { ran = true; });
  rt.After(2'000, [&] { other = true; });
  rt.Cancel(id);
  rt.Cancel(id);     // Twice: a no-op.
  rt.Cancel(12345);  // Unknown: a no-op.
  EXPECT_TRUE(rt.RunUntil([&] { return other; }, milliseconds(100)));
  EXPECT_FALSE(ran);
  EXPECT_EQ(rt.pending(), 0u);
}

TEST(EventLoopRuntime, RunUntilTimesOutAndClockAdvances) {
  EventLoopRuntime rt;
  const int64_t start = rt.NowUs();
  EXPECT_FALSE(rt.RunUntil([] { return false; }, milliseconds(5)));
  EXPECT_GE(rt.NowUs() - start, 5'000);
  EXPECT_TRUE(rt.RunUntil([] { return true; }, milliseconds(0)));
}

}  // namespace
}  // namespace raftsim::examples
