// storage/wal_kill_writer.cc — the child process of storage/wal_kill_test:
// opens (recovering) the WAL in a directory with the POSIX file system and
// the I/O thread, then appends batches of entries of varied sizes and hard
// states, compacting now and then, and reports every batch once it is
// acknowledged (its `done` said OK: synced) as one line on a pipe, until
// the test kills it with SIGKILL.
//
//   wal_kill_writer DIR SEED ROUND FD
//
// Lines (each one write(2), shorter than PIPE_BUF, so atomic):
//   S <first_index> <last_index>          after recovery
//   B <term> <vote> <commit> {<index> <size>}...   a batch acknowledged
//   D                                     all batches written
// Entry (term, index) of size n carries kill_test::Payload(term, index, n);
// the term is ROUND + 1. Exit status 2: Open failed; 3: a write failed.

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/prng.h"
#include "raft/storage.h"
#include "storage/posix_file_system.h"
#include "storage/thread_executor.h"
#include "storage/wal_kill_common.h"
#include "storage/wal_storage.h"

namespace raftsim::storage {
namespace {

void Report(int fd, const std::string& line) {
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n <= 0) ::_exit(4);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

size_t DrawSize(Prng& prng) {
  const uint64_t r = prng.Uniform(100);
  if (r < 10) return 0;
  if (r < 60) return static_cast<size_t>(prng.Range(1, 64));
  if (r < 95) return static_cast<size_t>(prng.Range(65, 3000));
  return static_cast<size_t>(prng.Range(3000, 48 << 10));  // > a segment.
}

int Run(const std::string& dir, uint64_t seed, uint64_t round, int fd) {
  PosixFileSystem fs;
  ThreadExecutor io;
  auto opened = WalStorage::Open(
      &fs, &io, nullptr,
      WalOptions{.dir = dir, .segment_bytes = kill_test::kSegmentBytes});
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 2;
  }
  WalStorage& wal = **opened;
  Report(fd, absl::StrCat("S ", wal.FirstIndex().value(), " ",
                          wal.LastIndex().value(), "\n"));

  Prng prng(seed);
  const uint64_t term = round + 1;
  uint64_t next = wal.LastIndex().value() + 1;
  std::mutex mu;
  std::condition_variable cv;
  int inflight = 0;                     // Guarded by mu.
  std::atomic<uint64_t> acked_last{0};  // Last acknowledged index.
  constexpr int kMaxInflight = 8;
  constexpr int kBatches = 400;
  for (int b = 0; b < kBatches; ++b) {
    raft::WriteBatch batch;
    std::string line;
    const uint64_t n = prng.Uniform(100) < 15 ? 0 : prng.Range(1, 6);
    std::string entries;
    for (uint64_t i = 0; i < n; ++i, ++next) {
      const size_t size = DrawSize(prng);
      batch.entries.push_back(raft::Entry{
          .term = Term(term),
          .index = LogIndex(next),
          .kind = raft::EntryKind::kNormal,
          .payload = raft::Payload(kill_test::Payload(term, next, size))});
      absl::StrAppend(&entries, " ", next, " ", size);
    }
    const uint64_t commit = next - 1;
    batch.hard_state = raft::HardState{.term = Term(term),
                                       .voted_for = kill_test::VoteFor(commit),
                                       .commit = LogIndex(commit)};
    line = absl::StrCat("B ", term, " ", kill_test::VoteFor(commit).value(),
                        " ", commit, entries, "\n");
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return inflight < kMaxInflight; });
      ++inflight;
    }
    // Runs on the I/O thread (no Poster), in call order.
    wal.Write(std::move(batch), [&, line, commit](absl::Status s) {
      if (!s.ok()) {
        std::fprintf(stderr, "write: %s\n", s.ToString().c_str());
        ::_exit(3);
      }
      Report(fd, line);  // Only now is the batch acknowledged.
      acked_last.store(commit);
      std::lock_guard<std::mutex> lock(mu);
      --inflight;
      cv.notify_all();
    });
    // Now and then compact up to an acknowledged index (already reported).
    if (b % 50 == 49) {
      const uint64_t at = acked_last.load();
      if (at >= wal.FirstIndex().value()) {
        auto t = wal.TermAt(LogIndex(at));
        if (t.ok()) {
          raft::Snapshot snap;
          snap.meta.index = LogIndex(at);
          snap.meta.term = *t;
          snap.data = raft::Payload(kill_test::SnapshotData(at));
          absl::Status s = wal.Compact(std::move(snap));
          if (!s.ok()) {
            std::fprintf(stderr, "compact: %s\n", s.ToString().c_str());
            return 3;
          }
        }
      }
    }
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return inflight == 0; });
  }
  Report(fd, "D\n");
  for (;;) ::pause();  // Until the test kills us.
}

}  // namespace
}  // namespace raftsim::storage

int main(int argc, char** argv) {
  uint64_t seed = 0, round = 0;
  int fd = -1;
  if (argc != 5 || !absl::SimpleAtoi(argv[2], &seed) ||
      !absl::SimpleAtoi(argv[3], &round) || !absl::SimpleAtoi(argv[4], &fd)) {
    std::fprintf(stderr, "usage: wal_kill_writer DIR SEED ROUND FD\n");
    return 1;
  }
  return raftsim::storage::Run(argv[1], seed, round, fd);
}
