// sim/world/wal_sim_test.cc — WalStorage over the simulated file system:
// reopen, group commit, segment rolls and compaction; recovery after a
// torn tail cut at every byte, a flipped bit in every byte of a synced
// record, every call of a write-sync-rename sequence failing, and the
// process dying at each of those calls.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/prng.h"
#include "gtest/gtest.h"
#include "raft/memory_storage.h"
#include "raft/storage.h"
#include "sim/world/sim_fs.h"
#include "storage/executor.h"
#include "storage/wal_storage.h"
#include "storage/wal_writer.h"

namespace raftsim::sim {
namespace {

using raft::DurableState;
using raft::Entry;
using raft::HardState;
using raft::WriteBatch;
using storage::WalStorage;

constexpr char kDir[] = "wal";

Entry E(uint64_t index, uint64_t term, std::string payload = "") {
  if (payload.empty()) payload = absl::StrCat("entry-", index, "-", term);
  return Entry{.term = Term(term),
               .index = LogIndex(index),
               .kind = raft::EntryKind::kNormal,
               .payload = raft::Payload(std::move(payload))};
}

WriteBatch Entries(uint64_t lo, uint64_t hi, uint64_t term) {
  WriteBatch b;
  for (uint64_t i = lo; i <= hi; ++i) b.entries.push_back(E(i, term));
  return b;
}

WriteBatch Hard(uint64_t term, uint64_t vote, uint64_t commit) {
  WriteBatch b;
  b.hard_state = HardState{.term = Term(term),
                           .voted_for = NodeId(vote),
                           .commit = LogIndex(commit)};
  return b;
}

raft::Snapshot Snap(uint64_t index, uint64_t term) {
  raft::Snapshot s;
  s.meta.index = LogIndex(index);
  s.meta.term = Term(term);
  s.meta.conf.voters = {NodeId(1), NodeId(2), NodeId(3)};
  s.data = raft::Payload(absl::StrCat("state-machine-at-", index));
  return s;
}

std::string SegmentPath(uint64_t seq) {
  return storage::JoinPath(kDir, storage::SegmentName(seq));
}

// One simulated disk and a WAL on it; the inline executor completes every
// write before Write returns.
struct Rig {
  explicit Rig(uint64_t seed = 1, SimFsOptions options = {})
      : fs(Prng(seed), options) {}

  absl::Status Open(uint64_t segment_bytes = 1 << 20) {
    wal.reset();
    auto w = WalStorage::Open(
        &fs, &io, nullptr,
        storage::WalOptions{.dir = kDir, .segment_bytes = segment_bytes});
    if (!w.ok()) return w.status();
    wal = std::move(*w);
    return absl::OkStatus();
  }

  absl::Status Write(WriteBatch batch) {
    absl::Status got = absl::UnknownError("not completed");
    wal->Write(std::move(batch), [&got](absl::Status s) { got = s; });
    return got;
  }

  SimFileSystem fs;
  storage::InlineExecutor io;
  std::unique_ptr<WalStorage> wal;
};

void ExpectSameState(const DurableState& got, const DurableState& want) {
  EXPECT_EQ(got.hard_state, want.hard_state);
  EXPECT_EQ(got.snapshot, want.snapshot);
  ASSERT_EQ(got.entries.size(), want.entries.size());
  for (size_t i = 0; i < got.entries.size(); ++i) {
    EXPECT_EQ(got.entries[i], want.entries[i]) << "entry " << i;
  }
}

bool SameState(const DurableState& a, const DurableState& b) {
  return a.hard_state == b.hard_state && a.snapshot == b.snapshot &&
         a.entries == b.entries;
}

TEST(WalSim, ReopenLoadsWhatWasWritten) {
  Rig rig;
  ASSERT_TRUE(rig.Open().ok());
  ASSERT_TRUE(rig.Write(Entries(1, 5, 1)).ok());
  ASSERT_TRUE(rig.Write(Hard(1, 2, 3)).ok());
  ASSERT_TRUE(rig.Write(Entries(4, 6, 2)).ok());  // Truncates 4..5.
  const DurableState want = rig.wal->Load();
  EXPECT_EQ(want.entries.size(), 6u);
  EXPECT_EQ(want.entries[3].term, Term(2));
  ASSERT_TRUE(rig.Open().ok());
  ExpectSameState(rig.wal->Load(), want);
  rig.fs.Crash();  // Everything was acked: nothing may be lost.
  ASSERT_TRUE(rig.Open().ok());
  ExpectSameState(rig.wal->Load(), want);
}

TEST(WalSim, GroupCommitSyncsOnceAndCompletesInCallOrder) {
  SimFileSystem fs(Prng(1));
  storage::ManualExecutor io;
  std::vector<int> order;
  auto w =
      WalStorage::Open(&fs, &io, nullptr, storage::WalOptions{.dir = kDir});
  ASSERT_TRUE(w.ok()) << w.status();
  WalStorage& wal = **w;
  const uint64_t syncs_before = wal.stats().io.syncs;
  for (int i = 0; i < 3; ++i) {
    wal.Write(Entries(i + 1, i + 1, 1), [&order, i](absl::Status s) {
      EXPECT_TRUE(s.ok()) << s;
      order.push_back(i);
    });
  }
  EXPECT_TRUE(order.empty()) << "nothing is acked before it is synced";
  EXPECT_EQ(wal.LastIndex(), LogIndex(3)) << "reads see the written view";
  EXPECT_EQ(io.RunAll(), 1u) << "one drain for the three writes";
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(wal.stats().io.syncs, syncs_before + 1);
  EXPECT_EQ(wal.stats().drains, 1u);
}

TEST(WalSim, UnackedWritesMayBeLostButNotReordered) {
  for (uint64_t seed = 0; seed < 30; ++seed) {
    SimFileSystem fs{Prng(seed)};
    storage::ManualExecutor io;
    auto w = WalStorage::Open(&fs, &io, nullptr, {.dir = kDir});
    ASSERT_TRUE(w.ok());
    (*w)->Write(Entries(1, 3, 1), nullptr);
    io.RunAll();                             // Acked.
    (*w)->Write(Entries(4, 6, 1), nullptr);  // Queued, never run.
    (*w)->Write(Entries(7, 9, 1), nullptr);
    w->reset();
    io.Clear();
    fs.Crash();
    auto again = WalStorage::Open(&fs, &io, nullptr, {.dir = kDir});
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ((*again)->LastIndex(), LogIndex(3)) << "seed " << seed;
  }
}

TEST(WalSim, SegmentsRollAndCompactionDeletesThem) {
  Rig rig;
  ASSERT_TRUE(rig.Open(/*segment_bytes=*/256).ok());
  for (uint64_t i = 1; i <= 40; ++i)
    ASSERT_TRUE(rig.Write(Entries(i, i, 1)).ok());
  ASSERT_TRUE(rig.Write(Hard(1, 1, 30)).ok());
  EXPECT_GT(rig.wal->stats().io.rolls, 5u);
  EXPECT_GT(rig.fs.List(kDir)->size(), 5u);
  ASSERT_TRUE(rig.wal->Compact(Snap(30, 1)).ok());
  ASSERT_TRUE(rig.Write(Entries(41, 42, 2)).ok()) << rig.wal->io_status();
  EXPECT_EQ(rig.wal->stats().io.checkpoints, 1u);
  const auto names = *rig.fs.List(kDir);
  EXPECT_LE(names.size(), 2u) << "segments before the checkpoint are gone";
  const DurableState want = rig.wal->Load();
  EXPECT_EQ(want.snapshot.meta.index, LogIndex(30));
  EXPECT_EQ(want.entries.size(), 12u);
  rig.fs.Crash();
  ASSERT_TRUE(rig.Open(256).ok());
  ExpectSameState(rig.wal->Load(), want);
  EXPECT_EQ(rig.wal->recovery().replayed.front(), names.front());
}

TEST(WalSim, ASnapshotInAWriteReplacesTheLog) {
  Rig rig;
  ASSERT_TRUE(rig.Open().ok());
  ASSERT_TRUE(rig.Write(Entries(1, 10, 1)).ok());
  WriteBatch b = Entries(21, 22, 3);
  b.snapshot = Snap(20, 3);  // Conflicts: the whole log goes.
  b.hard_state =
      HardState{.term = Term(3), .voted_for = kNoNode, .commit = LogIndex(20)};
  ASSERT_TRUE(rig.Write(std::move(b)).ok());
  const DurableState want = rig.wal->Load();
  EXPECT_EQ(want.snapshot.meta.index, LogIndex(20));
  EXPECT_EQ(want.entries.size(), 2u);
  rig.fs.Crash();
  ASSERT_TRUE(rig.Open().ok());
  ExpectSameState(rig.wal->Load(), want);
}

// Writes A (entries 1..3), then B (entries 4..6, one record), both synced,
// in segment 1; returns the segment's size before and after B.
std::pair<uint64_t, uint64_t> WriteAThenB(Rig& rig) {
  EXPECT_TRUE(rig.Open().ok());
  EXPECT_TRUE(rig.Write(Entries(1, 3, 1)).ok());
  const uint64_t before = rig.fs.CurrentContents(SegmentPath(1))->size();
  EXPECT_TRUE(rig.Write(Entries(4, 6, 1)).ok());
  const uint64_t after = rig.fs.CurrentContents(SegmentPath(1))->size();
  rig.wal.reset();
  return {before, after};
}

TEST(WalSim, ATornFinalRecordIsCutAtEveryByte) {
  Rig probe;
  const auto [start, end] = WriteAThenB(probe);
  ASSERT_LT(start, end);
  for (uint64_t cut = start; cut < end; ++cut) {
    Rig rig;
    WriteAThenB(rig);
    auto f = rig.fs.Open(SegmentPath(1), storage::OpenMode::kOpenExisting);
    ASSERT_TRUE((*f)->Truncate(cut).ok());
    ASSERT_TRUE((*f)->Sync().ok());
    const absl::Status s = rig.Open();
    ASSERT_TRUE(s.ok()) << "cut at " << cut << ": " << s;
    EXPECT_EQ(rig.wal->LastIndex(), LogIndex(3)) << "cut at " << cut;
    const auto& report = rig.wal->recovery();
    if (cut == start) {
      EXPECT_EQ(report.truncated_file, "") << "a clean end needs no repair";
    } else {
      EXPECT_EQ(report.truncated_file, storage::SegmentName(1));
      EXPECT_EQ(report.truncated_at, start);
      EXPECT_EQ(report.truncated_bytes, cut - start);
    }
    // The repaired log takes new writes and keeps them.
    ASSERT_TRUE(rig.Write(Entries(4, 4, 2)).ok());
    ASSERT_TRUE(rig.Open().ok());
    EXPECT_EQ(rig.wal->LastIndex(), LogIndex(4));
  }
}

TEST(WalSim, TrailingGarbageAfterTheLastRecordIsATornTail) {
  Rig rig;
  WriteAThenB(rig);
  auto f = rig.fs.Open(SegmentPath(1), storage::OpenMode::kOpenExisting);
  const uint64_t size = *(*f)->Size();
  ASSERT_TRUE((*f)->Write(size, std::string(100, '\0')).ok());
  ASSERT_TRUE(rig.Open().ok());
  EXPECT_EQ(rig.wal->LastIndex(), LogIndex(6));
  EXPECT_EQ(rig.wal->recovery().truncated_bytes, 100u);
}

// A flipped bit anywhere in a record that intact records follow: recovery
// refuses, naming the file and the record's offset.
TEST(WalSim, CorruptionInsideTheSyncedLogRefusesToStart) {
  Rig probe;
  const auto [start, end] = WriteAThenB(probe);
  for (uint64_t at = start; at < end; ++at) {
    Rig rig;
    WriteAThenB(rig);
    ASSERT_TRUE(rig.Open().ok());  // B's segment is now sealed...
    ASSERT_TRUE(rig.Write(Entries(7, 7, 1)).ok());
    rig.wal.reset();
    for (uint8_t mask : {0x01, 0x80}) {
      ASSERT_TRUE(rig.fs.CorruptByte(SegmentPath(1), at, mask));
      const absl::Status s = rig.Open();
      EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << "byte " << at << s;
      EXPECT_NE(s.message().find(SegmentPath(1)), absl::string_view::npos) << s;
      EXPECT_NE(s.message().find(absl::StrCat("byte offset ", start, ":")),
                absl::string_view::npos)
          << "byte " << at << ": " << s;
      ASSERT_TRUE(rig.fs.CorruptByte(SegmentPath(1), at, mask));  // Undo.
    }
    ASSERT_TRUE(rig.Open().ok()) << "undone, the log opens again";
    EXPECT_EQ(rig.wal->LastIndex(), LogIndex(7));
  }
}

TEST(WalSim, CorruptionFollowedByRecordsInTheLastSegmentRefuses) {
  Rig probe;
  const auto [start, end] = WriteAThenB(probe);
  Rig rig;
  WriteAThenB(rig);
  // Segment 1 is still the last one; corrupt A's last record (which B
  // follows) rather than B.
  ASSERT_TRUE(rig.fs.CorruptByte(SegmentPath(1), start - 1, 0x10));
  const absl::Status s = rig.Open();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("followed by an intact record"),
            absl::string_view::npos)
      << s;
  (void)end;
}

// A damaged length field inside large records: the search for an intact
// record after it stays cheap (type and length filter candidates before a
// checksum), and the damage is refused, not truncated.
TEST(WalSim, ADamagedLengthInsideLargeRecordsIsRefused) {
  Rig rig;
  ASSERT_TRUE(rig.Open(64 << 20).ok());
  uint64_t second = 0;
  for (uint64_t i = 1; i <= 8; ++i) {
    WriteBatch b;
    b.entries.push_back(E(i, 1, std::string(512 << 10, 'a' + i)));
    ASSERT_TRUE(rig.Write(std::move(b)).ok());
    if (i == 1) second = rig.fs.CurrentContents(SegmentPath(1))->size();
  }
  rig.wal.reset();
  ASSERT_TRUE(rig.fs.CorruptByte(SegmentPath(1), second + 2, 0x01));
  const absl::Status s = rig.Open();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find(absl::StrCat("byte offset ", second, ":")),
            absl::string_view::npos)
      << s;
}

TEST(WalSim, AMissingSegmentRefusesToStart) {
  Rig rig;
  ASSERT_TRUE(rig.Open(128).ok());
  for (uint64_t i = 1; i <= 20; ++i)
    ASSERT_TRUE(rig.Write(Entries(i, i, 1)).ok());
  rig.wal.reset();
  ASSERT_TRUE(rig.fs.Unlink(SegmentPath(3)).ok());
  const absl::Status s = rig.Open(128);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find(storage::SegmentName(3)), absl::string_view::npos)
      << s;
}

TEST(WalSim, AFullDiskFailsThatWriteAndEveryLaterOne) {
  Rig rig(1, SimFsOptions{.capacity_bytes = 400});
  ASSERT_TRUE(rig.Open().ok());
  ASSERT_TRUE(rig.Write(Entries(1, 1, 1)).ok());
  WriteBatch big;
  big.entries.push_back(E(2, 1, std::string(1000, 'x')));
  const absl::Status s = rig.Write(std::move(big));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find("ENOSPC"), absl::string_view::npos) << s;
  EXPECT_EQ(rig.Write(Entries(3, 3, 1)).code(),
            absl::StatusCode::kResourceExhausted)
      << "sticky: no write is acked after a failed one";
  EXPECT_FALSE(rig.wal->io_status().ok());
  rig.fs.set_capacity_bytes(1 << 20);
  rig.fs.Crash();
  ASSERT_TRUE(rig.Open().ok());
  EXPECT_EQ(rig.wal->LastIndex(), LogIndex(1));
}

// The write-sync-rename sequence: A (entries and hard state), a
// compaction (checkpoint: create, write, sync, rename, directory sync,
// unlinks, directory sync), then B, whose records roll the small segment
// (sync, create, directory sync). The states the log may hold after a
// failure or a crash: those after a prefix of the three operations that
// includes every acked one.
constexpr uint64_t kScenarioSegmentBytes = 300;

struct Scenario {
  std::vector<DurableState> states;  // states[k]: after k operations.
  int acked = 0;                     // Operations acked OK.
  absl::Status error;                // The first error seen.
};

void RunScenario(Rig& rig, Scenario* out) {
  raft::MemoryStorage model;
  out->states.push_back(model.Load());
  auto record = [&](absl::Status s) {
    if (s.ok() && out->error.ok()) ++out->acked;
    if (!s.ok() && out->error.ok()) out->error = s;
    out->states.push_back(model.Load());
  };
  WriteBatch a = Entries(1, 5, 1);
  a.hard_state =
      HardState{.term = Term(1), .voted_for = NodeId(1), .commit = LogIndex(4)};
  model.Write(a, nullptr);
  record(rig.Write(std::move(a)));
  ASSERT_TRUE(model.Compact(Snap(3, 1)).ok());
  ASSERT_TRUE(rig.wal->Compact(Snap(3, 1)).ok());
  record(rig.wal->io_status());
  WriteBatch b = Entries(6, 9, 1);
  model.Write(b, nullptr);
  record(rig.Write(std::move(b)));
}

// Checks what a reopened log holds against the scenario.
void ExpectAPrefixWithEveryAck(Rig& rig, const Scenario& sc,
                               const std::string& where) {
  // For the failure message: each file's current/durable size.
  std::string files;
  const std::vector<std::string> names = *rig.fs.List(kDir);
  for (const std::string& n : names) {
    const std::string path = storage::JoinPath(kDir, n);
    auto current = rig.fs.CurrentContents(path);
    auto durable = rig.fs.DurableContents(path);
    absl::StrAppend(&files, n, "=", current ? current->size() : 0, "/",
                    durable ? durable->size() : 0, " ");
  }
  const absl::Status s = rig.Open(kScenarioSegmentBytes);
  ASSERT_TRUE(s.ok()) << where << ": " << s << " files " << files;
  const DurableState got = rig.wal->Load();
  bool found = false;
  for (size_t k = sc.acked; k < sc.states.size(); ++k) {
    if (SameState(got, sc.states[k])) found = true;
  }
  EXPECT_TRUE(found) << where << ": loaded last index " << rig.wal->LastIndex()
                     << ", snapshot " << got.snapshot.meta.index << ", acked "
                     << sc.acked;
}

uint64_t ScenarioOps(uint64_t* first) {
  Rig rig;
  EXPECT_TRUE(rig.Open(kScenarioSegmentBytes).ok());
  *first = rig.fs.ops() + 1;
  Scenario sc;
  RunScenario(rig, &sc);
  EXPECT_TRUE(sc.error.ok());
  EXPECT_EQ(sc.acked, 3);
  EXPECT_EQ(rig.wal->stats().io.checkpoints, 1u);
  EXPECT_GT(rig.wal->stats().io.rolls, 0u) << "B rolls the segment";
  return rig.fs.ops();
}

TEST(WalSim, EveryFailingCallOfTheSequenceFailsTheWriteAndLosesNoAck) {
  uint64_t first;
  const uint64_t last = ScenarioOps(&first);
  ASSERT_GT(last - first, 8u) << "the sequence has its calls";
  for (uint64_t op = first; op <= last; ++op) {
    Rig rig(op);
    ASSERT_TRUE(rig.Open(kScenarioSegmentBytes).ok());
    rig.fs.FailOp(op, absl::InternalError("injected EIO"));
    Scenario sc;
    RunScenario(rig, &sc);
    const std::string where = absl::StrCat("failing op ", op);
    EXPECT_FALSE(sc.error.ok()) << where;
    EXPECT_NE(sc.error.message().find("injected EIO"), absl::string_view::npos)
        << where << ": " << sc.error;
    EXPECT_LT(sc.acked, 3) << where;
    rig.wal.reset();
    // The host stops the node; it restarts on the same disk...
    ExpectAPrefixWithEveryAck(rig, sc, where + ", restart");
    // ...or the machine loses power.
    rig.wal.reset();
    rig.fs.Crash();
    ExpectAPrefixWithEveryAck(rig, sc, where + ", crash");
  }
}

TEST(WalSim, DyingAtEveryCallOfTheSequenceLosesNoAck) {
  uint64_t first;
  const uint64_t last = ScenarioOps(&first);
  for (uint64_t op = first; op <= last + 1; ++op) {
    for (uint64_t seed = 0; seed < 4; ++seed) {
      Rig rig(seed * 1000 + op);
      ASSERT_TRUE(rig.Open(kScenarioSegmentBytes).ok());
      rig.fs.DieAtOp(op);
      Scenario sc;
      RunScenario(rig, &sc);
      rig.wal.reset();
      rig.fs.Crash();
      ExpectAPrefixWithEveryAck(
          rig, sc, absl::StrCat("dying at op ", op, " seed ", seed));
    }
  }
}

TEST(WalSim, FailingSyncsNeverAckAndNeverLoseAnAck) {
  for (uint64_t seed = 0; seed < 40; ++seed) {
    Rig rig(seed, SimFsOptions{.sync_fail_ppm = 100'000});
    if (!rig.Open().ok()) continue;  // The open's own sync failed.
    uint64_t acked = 0;
    for (uint64_t i = 1; i <= 30; ++i) {
      if (!rig.Write(Entries(i, i, 1)).ok()) break;
      acked = i;
    }
    rig.wal.reset();
    rig.fs.set_sync_fail_ppm(0);
    rig.fs.Crash();
    ASSERT_TRUE(rig.Open().ok()) << "seed " << seed;
    EXPECT_GE(rig.wal->LastIndex(), LogIndex(acked)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace raftsim::sim
