// storage/wal_kill_test.cc — kill -9 on a real process: round after
// round, fork/exec storage/wal_kill_writer on one WAL directory under
// TEST_TMPDIR, let it append and compact for a random while, SIGKILL it,
// then reopen the WAL in this process and check that every batch the
// writer reported acknowledged (synced) is there unchanged, in order, with
// nothing invented; the next round's writer continues on the recovered log.
//
// The kill instant comes from a seeded base/Prng (the seed is printed;
// RAFTSIM_WAL_KILL_SEED overrides it). Where within the writer's work the
// kill lands still depends on the machine's timing, so a failure names the
// seed and the round, and the directory is kept for inspection.
//
// What this catches: acknowledging a batch before its bytes reach the
// file, losing or reordering records across segment rolls and compaction
// checkpoints, recovery that cuts too much or refuses a torn tail. What it
// cannot catch: a missing fdatasync (a process kill leaves the page cache
// intact; that is the simulator's crash model, sim/world/sim_fs.h).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "base/prng.h"
#include "gtest/gtest.h"
#include "raft/storage.h"
#include "storage/executor.h"
#include "storage/posix_file_system.h"
#include "storage/wal_kill_common.h"
#include "storage/wal_storage.h"

namespace raftsim::storage {
namespace {

constexpr int kRounds = 50;

struct Acked {
  uint64_t term;
  uint64_t size;
};

// What the writers have reported acknowledged so far.
struct Model {
  std::map<uint64_t, Acked> entries;  // By index.
  std::optional<raft::HardState> hard_state;
  uint64_t last = 0;  // Last acknowledged index.
};

uint64_t Seed() {
  uint64_t seed = 20261208;
  if (const char* env = std::getenv("RAFTSIM_WAL_KILL_SEED")) {
    EXPECT_TRUE(absl::SimpleAtoi(env, &seed)) << env;
  }
  return seed;
}

struct Child {
  pid_t pid = -1;
  int fd = -1;  // Read end of its report pipe.
};

Child Spawn(const std::string& dir, uint64_t seed, int round) {
  int fds[2];
  CHECK_EQ(::pipe(fds), 0);
  const std::string bin = "storage/wal_kill_writer";
  const std::string seed_s = absl::StrCat(seed);
  const std::string round_s = absl::StrCat(round);
  const std::string fd_s = absl::StrCat(fds[1]);
  const pid_t pid = ::fork();
  CHECK_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    const char* argv[] = {bin.c_str(),     dir.c_str(),  seed_s.c_str(),
                          round_s.c_str(), fd_s.c_str(), nullptr};
    ::execv(bin.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{.pid = pid, .fd = fds[0]};
}

// Reads whatever is available on `fd` (waiting at most `ms`) into `buf`;
// false at EOF.
bool ReadSome(int fd, int ms, std::string* buf) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  const int r = ::poll(&p, 1, ms);
  if (r <= 0) return true;
  char chunk[4096];
  const ssize_t n = ::read(fd, chunk, sizeof chunk);
  if (n <= 0) return false;
  buf->append(chunk, static_cast<size_t>(n));
  return true;
}

// Runs one writer for `run_ms`, kills it, returns its report lines.
std::vector<std::string> RunAndKill(const std::string& dir, uint64_t seed,
                                    int round, int run_ms, int* wait_status) {
  const Child child = Spawn(dir, seed, round);
  std::string buf;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(run_ms);
  bool open = true;
  while (open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    open = ReadSome(child.fd, static_cast<int>(left), &buf);
  }
  ::kill(child.pid, SIGKILL);
  while (ReadSome(child.fd, 1000, &buf)) {
  }
  ::close(child.fd);
  CHECK_EQ(::waitpid(child.pid, wait_status, 0), child.pid);
  std::vector<std::string> lines = absl::StrSplit(buf, '\n');
  // A line is one atomic write, so only a complete line is ever read; the
  // split leaves an empty last piece.
  EXPECT_TRUE(lines.back().empty()) << "a report line was torn";
  lines.pop_back();
  return lines;
}

std::vector<uint64_t> Numbers(const std::string& line) {
  std::vector<uint64_t> out;
  for (absl::string_view word : absl::StrSplit(line.substr(2), ' ')) {
    uint64_t v = 0;
    CHECK(absl::SimpleAtoi(word, &v)) << line;
    out.push_back(v);
  }
  return out;
}

// Folds one round's reports into the model; checks the writer continued
// on the log recovered after the previous round.
void Apply(const std::vector<std::string>& lines, uint64_t recovered_last,
           Model* model) {
  ASSERT_FALSE(lines.empty()) << "the writer never reported its recovery";
  ASSERT_EQ(lines[0][0], 'S') << lines[0];
  const std::vector<uint64_t> start = Numbers(lines[0]);
  ASSERT_EQ(start.size(), 2u);
  EXPECT_EQ(start[1], recovered_last)
      << "the writer did not start on the recovered log";
  uint64_t next = start[1] + 1;
  // Entries past the recovered end were never acknowledged.
  model->entries.erase(model->entries.upper_bound(start[1]),
                       model->entries.end());
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i] == "D") continue;
    ASSERT_EQ(lines[i][0], 'B') << lines[i];
    const std::vector<uint64_t> v = Numbers(lines[i]);
    ASSERT_GE(v.size(), 3u);
    ASSERT_EQ(v.size() % 2, 1u);
    for (size_t k = 3; k < v.size(); k += 2) {
      ASSERT_EQ(v[k], next) << "acknowledged out of order: " << lines[i];
      model->entries[next] = Acked{.term = v[0], .size = v[k + 1]};
      model->last = next;
      ++next;
    }
    model->hard_state = raft::HardState{.term = Term(v[0]),
                                        .voted_for = NodeId(v[1]),
                                        .commit = LogIndex(v[2])};
  }
}

// Reopens the WAL and checks it against the model; returns LastIndex.
uint64_t Verify(PosixFileSystem* fs, const std::string& dir, int round,
                Model* model, uint64_t* compacted) {
  InlineExecutor io;
  auto wal = WalStorage::Open(
      fs, &io, nullptr,
      WalOptions{.dir = dir, .segment_bytes = kill_test::kSegmentBytes});
  EXPECT_TRUE(wal.ok()) << "round " << round << ": " << wal.status();
  if (!wal.ok()) return 0;
  const raft::DurableState got = (*wal)->Load();
  const uint64_t snap = got.snapshot.meta.index.value();
  *compacted = snap;
  if (snap > 0) {
    EXPECT_LE(snap, model->last) << "compacted past what was acknowledged";
    EXPECT_EQ(got.snapshot.data.view(), kill_test::SnapshotData(snap));
    if (auto it = model->entries.find(snap); it != model->entries.end()) {
      EXPECT_EQ(got.snapshot.meta.term.value(), it->second.term);
    }
  }
  // Every entry present is one a writer wrote, contiguous, terms ascending.
  uint64_t expect_index = snap + 1;
  uint64_t prev_term = got.snapshot.meta.term.value();
  for (const raft::Entry& e : got.entries) {
    EXPECT_EQ(e.index.value(), expect_index) << "round " << round;
    ++expect_index;
    EXPECT_GE(e.term.value(), prev_term) << "round " << round;
    prev_term = e.term.value();
    EXPECT_EQ(
        e.payload.view(),
        kill_test::Payload(e.term.value(), e.index.value(), e.payload.size()))
        << "round " << round << ": entry " << e.index << " is not as written";
    if (auto it = model->entries.find(e.index.value());
        it != model->entries.end()) {
      EXPECT_EQ(e.term.value(), it->second.term) << "entry " << e.index;
      EXPECT_EQ(e.payload.size(), it->second.size) << "entry " << e.index;
    }
  }
  // Every acknowledged entry after the snapshot is present.
  const uint64_t last = (*wal)->LastIndex().value();
  EXPECT_GE(last, model->last) << "round " << round << ": acknowledged entries "
                               << last + 1 << ".." << model->last << " lost";
  // The hard state is the last acknowledged one or a later one written.
  const raft::HardState hs = got.hard_state;
  if (model->hard_state) {
    const raft::HardState& want = *model->hard_state;
    EXPECT_GE(hs.term, want.term)
        << "round " << round << ": hard state " << hs.Describe()
        << " older than acked " << want.Describe();
    if (hs.term == want.term) {
      EXPECT_GE(hs.commit, want.commit)
          << "round " << round << ": hard state " << hs.Describe()
          << " older than acked " << want.Describe();
    }
    EXPECT_EQ(hs.voted_for, kill_test::VoteFor(hs.commit.value()))
        << hs.Describe();
    EXPECT_LE(hs.term.value(), static_cast<uint64_t>(round) + 1);
  }
  // Compacted entries leave the model.
  model->entries.erase(model->entries.begin(),
                       model->entries.upper_bound(snap));
  return last;
}

TEST(WalKill, AcknowledgedWritesSurviveSigkill) {
  const uint64_t seed = Seed();
  std::printf("wal_kill_test seed=%llu (RAFTSIM_WAL_KILL_SEED overrides)\n",
              static_cast<unsigned long long>(seed));
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/walkill-", ::getpid());
  PosixFileSystem fs;
  Prng prng(seed);
  Model model;
  uint64_t recovered_last = 0;
  uint64_t acked_batches = 0;
  uint64_t compacted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds && !HasFailure(); ++round) {
    // Mostly short runs (the kill lands during recovery or the first
    // batches), some long ones (segment rolls, compactions).
    const int run_ms = prng.Uniform(3) == 0
                           ? static_cast<int>(prng.Range(100, 600))
                           : static_cast<int>(prng.Range(0, 60));
    int status = 0;
    const std::vector<std::string> lines =
        RunAndKill(dir, prng.Fork(round).Next(), round, run_ms, &status);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": the writer exited by itself, status "
        << status;
    if (lines.empty()) {
      // Killed before it reported its recovery: nothing new was written.
      continue;
    }
    acked_batches += lines.size() - 1;
    Apply(lines, recovered_last, &model);
    recovered_last = Verify(&fs, dir, round, &model, &compacted);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf(
      "%d rounds, %llu acknowledged batches, last index %llu, compacted "
      "through %llu, %.1fs\n",
      kRounds, static_cast<unsigned long long>(acked_batches),
      static_cast<unsigned long long>(recovered_last),
      static_cast<unsigned long long>(compacted), secs);
  EXPECT_GT(acked_batches, 0u);
  if (HasFailure()) {
    std::printf("seed=%llu: WAL kept in %s\n",
                static_cast<unsigned long long>(seed), dir.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace raftsim::storage
