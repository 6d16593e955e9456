// storage/wal_posix_test.cc — WalStorage on the real file system under
// TEST_TMPDIR: write through the I/O thread, close, reopen; a torn tail
// and a corrupt record on a real file.

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "raft/storage.h"
#include "storage/executor.h"
#include "storage/posix_file_system.h"
#include "storage/thread_executor.h"
#include "storage/wal_storage.h"
#include "storage/wal_writer.h"

namespace raftsim::storage {
namespace {

std::string TestDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name, "-",
                      ::getpid());
}

raft::WriteBatch Batch(uint64_t lo, uint64_t hi, uint64_t term) {
  raft::WriteBatch b;
  for (uint64_t i = lo; i <= hi; ++i) {
    b.entries.push_back(
        raft::Entry{.term = Term(term),
                    .index = LogIndex(i),
                    .kind = raft::EntryKind::kNormal,
                    .payload = raft::Payload(std::string(100 + i, 'p'))});
  }
  b.hard_state = raft::HardState{
      .term = Term(term), .voted_for = NodeId(1), .commit = LogIndex(lo)};
  return b;
}

TEST(WalPosix, WritesThroughTheIoThreadCloseAndReopen) {
  const std::string dir = TestDir("reopen");
  PosixFileSystem fs;
  raft::DurableState written;
  {
    ThreadExecutor io;
    auto wal = WalStorage::Open(&fs, &io, nullptr,
                                WalOptions{.dir = dir, .segment_bytes = 4096});
    ASSERT_TRUE(wal.ok()) << wal.status();
    std::vector<std::promise<absl::Status>> done(50);
    for (uint64_t i = 0; i < done.size(); ++i) {
      (*wal)->Write(Batch(i + 1, i + 1, 1),
                    [&done, i](absl::Status s) { done[i].set_value(s); });
    }
    for (auto& d : done) ASSERT_TRUE(d.get_future().get().ok());
    const WalStats stats = (*wal)->stats();
    EXPECT_LE(stats.drains, 50u) << "writes queued during a sync share it";
    EXPECT_GT(stats.io.rolls, 0u);
    written = (*wal)->Load();
  }
  InlineExecutor io;
  auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir});
  ASSERT_TRUE(wal.ok()) << wal.status();
  const raft::DurableState got = (*wal)->Load();
  EXPECT_EQ(got.hard_state, written.hard_state);
  EXPECT_EQ(got.entries, written.entries);
  EXPECT_EQ((*wal)->LastIndex(), LogIndex(50));
}

TEST(WalPosix, ATornTailIsCutAndCorruptionRefused) {
  const std::string dir = TestDir("torn");
  PosixFileSystem fs;
  InlineExecutor io;
  uint64_t end_of_first = 0;
  {
    auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir});
    ASSERT_TRUE(wal.ok()) << wal.status();
    absl::Status s = absl::UnknownError("pending");
    (*wal)->Write(Batch(1, 3, 1), [&s](absl::Status got) { s = got; });
    ASSERT_TRUE(s.ok()) << s;
    end_of_first =
        *(*fs.Open(JoinPath(dir, SegmentName(1)), OpenMode::kOpenExisting))
             ->Size();
    (*wal)->Write(Batch(4, 4, 1), [&s](absl::Status got) { s = got; });
    ASSERT_TRUE(s.ok()) << s;
  }
  const std::string seg = JoinPath(dir, SegmentName(1));
  {
    auto f = fs.Open(seg, OpenMode::kOpenExisting);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Truncate(end_of_first + 5).ok());  // Into batch 2.
  }
  {
    auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir});
    ASSERT_TRUE(wal.ok()) << wal.status();
    EXPECT_EQ((*wal)->LastIndex(), LogIndex(3));
    EXPECT_EQ((*wal)->recovery().truncated_at, end_of_first);
  }
  {
    auto f = fs.Open(seg, OpenMode::kOpenExisting);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Write(40, "X").ok());  // Inside the first batch.
  }
  auto wal = WalStorage::Open(&fs, &io, nullptr, WalOptions{.dir = dir});
  EXPECT_EQ(wal.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(wal.status().message().find(seg), absl::string_view::npos)
      << wal.status();
}

}  // namespace
}  // namespace raftsim::storage
