// sim/world/disk_test.cc — the disk's fault model: durable only after sync,
// completions in order, crashes lose unsynced writes, torn writes keep a
// valid prefix. Single-threaded.

#include "sim/world/disk.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace raftsim::sim {
namespace {

using raft::Entry;
using raft::LogIndex;
using raft::Term;

raft::WriteBatch Batch(uint64_t first, uint64_t last, uint64_t term,
                       bool hard_state) {
  raft::WriteBatch b;
  for (uint64_t i = first; i <= last; ++i) {
    Entry e;
    e.index = LogIndex(i);
    e.term = Term(term);
    e.payload = raft::Payload("x" + std::to_string(i));
    b.entries.push_back(e);
  }
  if (hard_state)
    b.hard_state = raft::HardState{Term(term), raft::kNoNode, LogIndex(0)};
  return b;
}

struct Fixture {
  explicit Fixture(bool torn, uint64_t seed = 1)
      : queue(1),
        disk(HostIndex(0), &queue, &tracer, Prng(seed), Options(torn)) {}
  static DiskOptions Options(bool torn) {
    DiskOptions o;
    o.torn_writes = torn;
    return o;
  }
  void RunAll() {
    while (EventQueue::Fn fn = queue.Pop()) fn();
  }
  EventQueue queue;
  Tracer tracer;
  SimDisk disk;
};

TEST(SimDisk, WritesAreVisibleAtOnceDurableAfterSyncInOrder) {
  Fixture f(false);
  std::vector<int> done;
  f.disk.Write(Batch(1, 3, 1, true),
               [&](absl::Status s) { done.push_back(1); });
  f.disk.Write(Batch(4, 5, 1, false),
               [&](absl::Status s) { done.push_back(2); });
  EXPECT_EQ(f.disk.LastIndex(), LogIndex(5));           // Written view.
  EXPECT_EQ(f.disk.durable_last_index(), LogIndex(0));  // Nothing synced.
  EXPECT_EQ(f.disk.pending_writes(), 2u);
  f.RunAll();
  EXPECT_EQ(done, (std::vector<int>{1, 2}));
  EXPECT_EQ(f.disk.durable_last_index(), LogIndex(5));
  EXPECT_EQ(f.disk.durable_hard_state().term, Term(1));
}

TEST(SimDisk, CrashLosesUnsyncedWrites) {
  Fixture f(false);
  bool called = false;
  f.disk.Write(Batch(1, 2, 1, true), nullptr);
  f.RunAll();
  f.disk.Write(Batch(3, 6, 1, false), [&](absl::Status) { called = true; });
  f.queue.Crash(HostIndex(0));
  f.disk.Crash();
  f.RunAll();
  EXPECT_FALSE(called);
  EXPECT_EQ(f.disk.durable_last_index(), LogIndex(2));
  EXPECT_EQ(f.disk.LastIndex(), LogIndex(2));  // The written view reverts.
  EXPECT_EQ(f.disk.Load().entries.size(), 2u);
}

TEST(SimDisk, TornWriteKeepsAPrefixWithinTheDurableTerm) {
  std::vector<uint64_t> kept_counts;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Fixture f(true, seed);
    f.disk.Write(Batch(1, 2, 1, true), nullptr);
    f.RunAll();
    f.disk.Write(Batch(3, 8, 1, false), nullptr);  // Same term: tearable.
    f.disk.Write(Batch(9, 9, 1, false), nullptr);  // Lost entirely.
    f.queue.Crash(HostIndex(0));
    f.disk.Crash();
    const uint64_t last = f.disk.durable_last_index().value();
    EXPECT_GE(last, 2u);
    EXPECT_LE(last, 8u);
    kept_counts.push_back(last - 2);
  }
  // Both "nothing kept" and "a real prefix kept" happen.
  EXPECT_NE(std::count(kept_counts.begin(), kept_counts.end(), 0u), 40);
  EXPECT_NE(std::count(kept_counts.begin(), kept_counts.end(), 0u), 0);
}

TEST(SimDisk, TornWriteNeverKeepsEntriesOfAnUnrecordedTerm) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Fixture f(true, seed);
    f.disk.Write(Batch(1, 2, 1, true), nullptr);
    f.RunAll();
    f.disk.Write(Batch(3, 5, 2, true), nullptr);  // Term 2 not yet durable.
    f.queue.Crash(HostIndex(0));
    f.disk.Crash();
    EXPECT_EQ(f.disk.durable_last_index(), LogIndex(2));
  }
}

}  // namespace
}  // namespace raftsim::sim
