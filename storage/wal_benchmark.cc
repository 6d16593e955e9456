// storage/wal_benchmark.cc — WalStorage on the real disk, next to the raw
// fdatasync rate measured in the same run, and the CRC-32C cost.
//
//   bazel run -c opt //storage:wal_benchmark
//
// Files go to $WAL_BENCH_DIR, else $TEST_TMPDIR, else /var/tmp (a fresh
// directory each run, removed at the end). docs/performance.md ("WAL")
// records the figures and their ratio to the raw fdatasync rate.

#include <stdlib.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "benchmark/benchmark.h"
#include "raft/storage.h"
#include "storage/crc32c.h"
#include "storage/executor.h"
#include "storage/posix_file_system.h"
#include "storage/thread_executor.h"
#include "storage/wal_storage.h"

namespace raftsim::storage {
namespace {

// A fresh directory on the disk under test, removed when done.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("WAL_BENCH_DIR");
    if (base == nullptr) base = std::getenv("TEST_TMPDIR");
    std::string tmpl = absl::StrCat(base != nullptr ? base : "/var/tmp",
                                    "/wal_benchmark.XXXXXX");
    CHECK(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The floor: one small pwrite and one fdatasync, as a WAL batch costs.
void BM_RawFdatasync(benchmark::State& state) {
  TempDir dir;
  PosixFileSystem fs;
  auto f = fs.Open(JoinPath(dir.path(), "raw"), OpenMode::kCreateNew);
  CHECK(f.ok());
  const std::string data(state.range(0), 'r');
  uint64_t offset = 0;
  for (auto _ : state) {
    CHECK((*f)->Write(offset, data).ok());
    CHECK((*f)->Sync().ok());
    offset += data.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_RawFdatasync)->Arg(16)->Arg(1024)->Arg(65536)->UseRealTime();

raft::WriteBatch Batch(uint64_t* next, int count, size_t bytes) {
  raft::WriteBatch b;
  for (int i = 0; i < count; ++i) {
    b.entries.push_back(
        raft::Entry{.term = Term(1),
                    .index = LogIndex((*next)++),
                    .kind = raft::EntryKind::kNormal,
                    .payload = raft::Payload(std::string(bytes, 'e'))});
  }
  b.hard_state = raft::HardState{
      .term = Term(1), .voted_for = NodeId(1), .commit = LogIndex(*next - 1)};
  return b;
}

// One Write of `entries` entries of `bytes` bytes per iteration, synced
// before the next (InlineExecutor: a sync per batch, no overlap).
void BM_WalAppendSyncPerBatch(benchmark::State& state) {
  const size_t bytes = state.range(0);
  const int entries = static_cast<int>(state.range(1));
  TempDir dir;
  PosixFileSystem fs;
  InlineExecutor io;
  auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir.path()});
  CHECK(wal.ok());
  uint64_t next = 1;
  for (auto _ : state) {
    state.PauseTiming();
    raft::WriteBatch b = Batch(&next, entries, bytes);
    state.ResumeTiming();
    bool ok = false;
    (*wal)->Write(std::move(b), [&ok](absl::Status s) { ok = s.ok(); });
    CHECK(ok);
  }
  state.SetItemsProcessed(state.iterations() * entries);
  state.SetBytesProcessed(state.iterations() * entries * bytes);
  state.counters["syncs_per_batch"] = benchmark::Counter(
      static_cast<double>((*wal)->stats().io.syncs) / state.iterations());
}
BENCHMARK(BM_WalAppendSyncPerBatch)
    ->Args({16, 1})
    ->Args({1024, 1})
    ->Args({65536, 1})
    ->Args({16, 64})
    ->Args({1024, 64})
    ->UseRealTime();

// Group commit: 64 single-entry Writes issued back to back on the I/O
// thread; the iteration ends when the last is acked.
void BM_WalGroupCommit(benchmark::State& state) {
  const size_t bytes = state.range(0);
  constexpr int kWrites = 64;
  TempDir dir;
  PosixFileSystem fs;
  ThreadExecutor io;
  auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir.path()});
  CHECK(wal.ok());
  uint64_t next = 1;
  std::mutex mu;
  std::condition_variable cv;
  for (auto _ : state) {
    int left = kWrites;
    for (int i = 0; i < kWrites; ++i) {
      (*wal)->Write(Batch(&next, 1, bytes), [&](absl::Status s) {
        CHECK(s.ok());
        std::lock_guard<std::mutex> lock(mu);
        if (--left == 0) cv.notify_one();
      });
    }
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return left == 0; });
  }
  const WalStats stats = (*wal)->stats();
  state.SetItemsProcessed(state.iterations() * kWrites);
  state.SetBytesProcessed(state.iterations() * kWrites * bytes);
  state.counters["writes_per_sync"] =
      benchmark::Counter(static_cast<double>(stats.writes) / stats.io.syncs);
}
BENCHMARK(BM_WalGroupCommit)->Arg(16)->Arg(1024)->UseRealTime();

// CRC-32C over 1 MiB: the checksum's share of a record's cost.
void BM_Crc32c(benchmark::State& state) {
  std::string data(1 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31);
  uint32_t crc = 0;
  for (auto _ : state) {
    crc = crc32c::Extend(crc, data);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_Crc32c);

}  // namespace
}  // namespace raftsim::storage
