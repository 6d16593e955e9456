// sim/world/node_storage_test.cc — WalNodeStorage: the WAL as a simulated
// node's storage. Drains run as the node's disk events; the durable view
// follows the acknowledgements; a crash recovers at once and keeps every
// acknowledged write; a full disk reports a failure to the host.

#include "sim/world/node_storage.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/prng.h"
#include "gtest/gtest.h"
#include "raft/storage.h"
#include "sim/trace/trace.h"
#include "sim/world/event_queue.h"

namespace raftsim::sim {
namespace {

raft::WriteBatch Batch(uint64_t lo, uint64_t hi, uint64_t term) {
  raft::WriteBatch b;
  for (uint64_t i = lo; i <= hi; ++i) {
    b.entries.push_back(
        raft::Entry{.term = Term(term),
                    .index = LogIndex(i),
                    .kind = raft::EntryKind::kNormal,
                    .payload = raft::Payload(std::string(40 + i % 7, 'x'))});
  }
  b.hard_state = raft::HardState{
      .term = Term(term), .voted_for = NodeId(1), .commit = LogIndex(lo)};
  return b;
}

void RunAll(EventQueue* queue) {
  while (EventQueue::Fn fn = queue->Pop()) fn();
}

TEST(WalNodeStorage, DurableFollowsAcksAndACrashKeepsThem) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    EventQueue queue(1);
    Tracer tracer;
    int failures = 0;
    WalNodeOptions options;
    options.segment_bytes = 300;  // Rolls every few writes.
    WalNodeStorage s(HostIndex(0), &queue, &tracer, Prng(seed), options,
                     [&failures](int64_t) { ++failures; });
    raft::LogStorage* log = s.Open();
    int acked = 0;
    for (uint64_t i = 1; i <= 30; i += 3) {
      log->Write(Batch(i, i + 2, 1), [&acked](absl::Status st) {
        EXPECT_TRUE(st.ok()) << st;
        ++acked;
      });
    }
    EXPECT_EQ(s.durable_last_index(), LogIndex(0)) << "nothing acked yet";
    RunAll(&queue);
    EXPECT_EQ(acked, 10);
    EXPECT_EQ(s.durable_last_index(), LogIndex(30));
    raft::Snapshot snap;
    snap.meta.index = LogIndex(20);
    snap.meta.term = Term(1);
    snap.data = raft::Payload(std::string("state"));
    ASSERT_TRUE(log->Compact(snap).ok());
    // Unacknowledged writes, then a crash: CheckRecovered (a CHECK) holds,
    // and the durable view keeps at least the acknowledged 30 entries.
    log->Write(Batch(31, 33, 2), [](absl::Status) {});
    log->Write(Batch(34, 36, 2), [](absl::Status) {});
    queue.Crash(HostIndex(0));
    s.Crash();
    EXPECT_GE(s.durable_last_index(), LogIndex(30)) << "seed " << seed;
    EXPECT_EQ(s.Open()->LastIndex(), s.durable_last_index());
    EXPECT_EQ(failures, 0);
  }
}

TEST(WalNodeStorage, AFullDiskFailsTheWriteAndTellsTheHost) {
  EventQueue queue(1);
  Tracer tracer;
  int64_t restart_us = -1;
  WalNodeOptions options;
  options.full_ppm = 1'000'000;
  options.faults_until_us = 1'000'000;
  WalNodeStorage s(HostIndex(0), &queue, &tracer, Prng(7), options,
                   [&restart_us](int64_t us) { restart_us = us; });
  raft::LogStorage* log = s.Open();
  absl::Status got = absl::OkStatus();
  log->Write(Batch(1, 3, 1), [&got](absl::Status st) { got = st; });
  RunAll(&queue);
  EXPECT_EQ(got.code(), absl::StatusCode::kResourceExhausted) << got;
  EXPECT_GT(restart_us, 0);
  EXPECT_EQ(s.counters().disk_full, 1u);
  EXPECT_EQ(s.durable_last_index(), LogIndex(0));
  s.Crash();  // The host's fail-stop; recovery runs without faults.
  EXPECT_EQ(s.Open()->LastIndex(), LogIndex(0));
}

}  // namespace
}  // namespace raftsim::sim
