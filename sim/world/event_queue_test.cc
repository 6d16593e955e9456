// sim/world/event_queue_test.cc — ordering, ties, cancellation, crash and
// pause. Single-threaded.

#include "sim/world/event_queue.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::sim {
namespace {

// Runs every event, returning "label@time" in run order.
std::vector<std::string> Drain(EventQueue& q, std::vector<std::string>& log) {
  while (EventQueue::Fn fn = q.Pop()) fn();
  return log;
}

TEST(EventQueue, OrdersByTimeThenScheduleOrder) {
  EventQueue q(0);
  std::vector<std::string> log;
  auto add = [&](int64_t t, std::string label) {
    q.Schedule(t, kWorld, EventKind::kPhase, false, [&log, &q, label] {
      log.push_back(label + "@" + std::to_string(q.now_us()));
    });
  };
  add(30, "c");
  add(10, "a1");
  add(20, "b");
  add(10, "a2");  // Same time as a1: scheduled later, runs later.
  add(10, "a3");
  EXPECT_EQ(Drain(q, log), (std::vector<std::string>{"a1@10", "a2@10", "a3@10",
                                                     "b@20", "c@30"}));
}

TEST(EventQueue, PastTimesRunNowAndTimeNeverGoesBack) {
  EventQueue q(0);
  std::vector<int64_t> times;
  q.Schedule(100, kWorld, EventKind::kPhase, false, [&] {
    times.push_back(q.now_us());
    q.Schedule(5, kWorld, EventKind::kPhase, false,
               [&] { times.push_back(q.now_us()); });
  });
  while (EventQueue::Fn fn = q.Pop()) fn();
  EXPECT_EQ(times, (std::vector<int64_t>{100, 100}));
}

TEST(EventQueue, CancelSkipsTheEventAndStaleIdsAreHarmless) {
  EventQueue q(0);
  int ran = 0;
  const EventId a =
      q.Schedule(1, kWorld, EventKind::kPhase, false, [&] { ran += 1; });
  q.Schedule(2, kWorld, EventKind::kPhase, false, [&] { ran += 10; });
  q.Cancel(a);
  q.Cancel(a);  // Twice: no-op.
  q.Cancel(0);
  // The freed slot is reused; the old id must not cancel the new event.
  q.Schedule(3, kWorld, EventKind::kPhase, false, [&] { ran += 100; });
  q.Cancel(a);
  while (EventQueue::Fn fn = q.Pop()) fn();
  EXPECT_EQ(ran, 110);
}

TEST(EventQueue, CrashDiscardsOnlyCrashScopedEventsOfThatNode) {
  EventQueue q(2);
  std::vector<std::string> log;
  auto add = [&](HostIndex owner, bool scoped, std::string label) {
    q.Schedule(10, owner, EventKind::kTimer, scoped,
               [&log, label] { log.push_back(label); });
  };
  add(HostIndex(0), true, "n0-timer");
  add(HostIndex(0), false, "n0-delivery");
  add(HostIndex(1), true, "n1-timer");
  q.Crash(HostIndex(0));
  add(HostIndex(0), true, "n0-after-restart");
  while (EventQueue::Fn fn = q.Pop()) fn();
  EXPECT_EQ(log, (std::vector<std::string>{"n0-delivery", "n1-timer",
                                           "n0-after-restart"}));
}

TEST(EventQueue, PauseDefersUntilResumeInOriginalOrder) {
  EventQueue q(2);
  std::vector<std::string> log;
  auto add = [&](int64_t t, HostIndex owner, std::string label) {
    q.Schedule(t, owner, EventKind::kTimer, true, [&log, &q, label] {
      log.push_back(label + "@" + std::to_string(q.now_us()));
    });
  };
  q.Pause(HostIndex(0));
  add(10, HostIndex(0), "x");
  add(20, HostIndex(0), "y");
  add(15, HostIndex(1), "other");
  q.Schedule(50, kWorld, EventKind::kFault, false,
             [&] { q.Resume(HostIndex(0)); });
  add(60, HostIndex(1), "late");
  while (EventQueue::Fn fn = q.Pop()) fn();
  EXPECT_EQ(log,
            (std::vector<std::string>{"other@15", "x@50", "y@50", "late@60"}));
  EXPECT_FALSE(q.paused(HostIndex(0)));
}

}  // namespace
}  // namespace raftsim::sim
