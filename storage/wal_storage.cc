// storage/wal_storage.cc — the WAL's front (the written view and the job
// queue) and its group-commit drain.

#include "storage/wal_storage.h"

#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "storage/record.h"

namespace raftsim::storage {
namespace {

// One Write (or Compact) as the I/O context sees it.
struct Job {
  std::vector<raft::Entry> entries;
  std::optional<raft::HardState> hard_state;
  // Set for Compact and snapshot-carrying writes: the whole state to
  // checkpoint (entries and hard_state are then unused).
  std::optional<raft::DurableState> checkpoint;
  raft::LogStorage::WriteDone done;  // Unset for Compact.
};

}  // namespace

class WalStorage::Core {
 public:
  Core(IoExecutor* io, Poster post, WalWriter writer)
      : io_(io), post_(std::move(post)), writer_(std::move(writer)) {
    stats_.io = writer_.stats();
  }

  static void Enqueue(const std::shared_ptr<Core>& core, Job job) {
    bool schedule;
    {
      std::lock_guard<std::mutex> lock(core->mu_);
      core->queue_.push_back(std::move(job));
      ++core->stats_.writes;
      schedule = !core->scheduled_;
      core->scheduled_ = true;
    }
    if (schedule) core->io_->Submit([core] { core->Drain(); });
  }

  absl::Status status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_;
  }
  WalStats stats() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  // Writes everything queued, syncs once, then completes each job in
  // order with the drain's status.
  void Drain() {
    std::deque<Job> jobs;
    absl::Status s;
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs.swap(queue_);
      scheduled_ = false;
      s = failed_;
    }
    for (Job& job : jobs) {
      if (!s.ok()) break;
      s = WriteJob(job);
    }
    if (s.ok()) s = writer_.Sync();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (failed_.ok() && !s.ok()) {
        failed_ = absl::Status(s.code(), absl::StrCat("WAL: ", s.message()));
      }
      s = failed_;
      ++stats_.drains;
      stats_.io = writer_.stats();
    }
    for (Job& job : jobs) {
      if (!job.done) continue;
      absl::AnyInvocable<void()> complete = [done = std::move(job.done), s] {
        done(s);
      };
      if (post_) {
        post_(std::move(complete));
      } else {
        complete();
      }
    }
  }

  absl::Status WriteJob(const Job& job) {
    if (job.checkpoint) return writer_.Checkpoint(*job.checkpoint);
    if (job.entries.empty() && !job.hard_state) return absl::OkStatus();
    return writer_.Append(RecordType::kBatch,
                          EncodeBatch(job.hard_state, job.entries));
  }

  IoExecutor* const io_;
  const Poster post_;

  mutable std::mutex mu_;
  std::deque<Job> queue_;   // Guarded by mu_.
  bool scheduled_ = false;  // A drain is submitted. Guarded by mu_.
  absl::Status failed_;     // Sticky. Guarded by mu_.
  WalStats stats_;          // Guarded by mu_.

  WalWriter writer_;  // The I/O context's only.
};

absl::StatusOr<std::unique_ptr<WalStorage>> WalStorage::Open(
    FileSystem* fs, IoExecutor* io, Poster post, WalOptions options) {
  CHECK(fs != nullptr);
  CHECK(io != nullptr);
  if (options.dir.empty()) {
    return absl::InvalidArgumentError("WalOptions.dir is empty");
  }
  if (options.segment_bytes == 0) {
    return absl::InvalidArgumentError("WalOptions.segment_bytes is 0");
  }
  auto recovered = Recover(fs, options.dir);
  if (!recovered.ok()) return recovered.status();
  WalWriter writer(fs, options.dir, options.segment_bytes, recovered->next_seq,
                   std::move(recovered->live));
  if (absl::Status s = writer.StartSegment(); !s.ok()) return s;
  auto core = std::make_shared<Core>(io, std::move(post), std::move(writer));
  return std::unique_ptr<WalStorage>(
      new WalStorage(std::move(core), std::move(recovered->state),
                     std::move(recovered->report)));
}

WalStorage::WalStorage(std::shared_ptr<Core> core, raft::DurableState state,
                       RecoveryReport report)
    : core_(std::move(core)),
      mem_(std::move(state)),
      recovery_(std::move(report)) {}

// Queued drains hold the Core: they finish (and complete their batches)
// after the WalStorage is gone.
WalStorage::~WalStorage() = default;

void WalStorage::Write(raft::WriteBatch batch, WriteDone done) {
  Job job;
  job.done = std::move(done);
  if (batch.snapshot) {
    mem_.Write(std::move(batch), nullptr);
    job.checkpoint = mem_.Load();
  } else {
    job.entries = batch.entries;  // Shares the payloads.
    job.hard_state = batch.hard_state;
    mem_.Write(std::move(batch), nullptr);
  }
  Core::Enqueue(core_, std::move(job));
}

absl::Status WalStorage::Compact(raft::Snapshot snapshot) {
  if (absl::Status s = mem_.Compact(std::move(snapshot)); !s.ok()) return s;
  Job job;
  job.checkpoint = mem_.Load();
  Core::Enqueue(core_, std::move(job));
  return absl::OkStatus();
}

absl::Status WalStorage::io_status() const { return core_->status(); }

WalStats WalStorage::stats() const { return core_->stats(); }

}  // namespace raftsim::storage
