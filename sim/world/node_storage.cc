// sim/world/node_storage.cc — see node_storage.h. Single-threaded.

#include "sim/world/node_storage.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "sim/coverage.h"

namespace raftsim::sim {
namespace {

constexpr char kWalDir[] = "wal";
constexpr uint64_t kMillion = 1'000'000;

}  // namespace

void MemoryNodeStorage::AddCoverage(std::vector<uint64_t>* counts) const {
  const SimDisk::Counters& d = disk_.counters();
  (*counts)[CatalogueIndex(EnvSituation::kCrashLosesUnsyncedWrite)] +=
      d.lossy_crashes;
  (*counts)[CatalogueIndex(EnvSituation::kCrashTearsWrite)] += d.torn_crashes;
  (*counts)[CatalogueIndex(EnvSituation::kFsyncSpike)] += d.spikes;
  (*counts)[CatalogueIndex(EnvSituation::kStorageNoticeLate)] += d.late_notices;
}

// The WAL's I/O executor: each drain is a disk event of the node, write +
// sync latency after it was submitted and never before the previous one
// (the strand). Crash-scoped: a crash discards queued drains.
class WalNodeStorage::Io final : public storage::IoExecutor {
 public:
  explicit Io(WalNodeStorage* owner) : owner_(owner) {}

  void Submit(absl::AnyInvocable<void()> work) override {
    WalNodeStorage& o = *owner_;
    const int64_t delay_us =
        o.prng_.Range(o.options_.write_us_min, o.options_.write_us_max) +
        o.prng_.Range(o.options_.sync_us_min, o.options_.sync_us_max);
    o.last_drain_us_ =
        std::max(o.queue_->now_us() + delay_us, o.last_drain_us_);
    o.queue_->Schedule(o.last_drain_us_, o.node_, EventKind::kDisk,
                       /*crash_scoped=*/true,
                       [owner = owner_, work = std::move(work)]() mutable {
                         owner->RunDrain(std::move(work));
                       });
  }

 private:
  WalNodeStorage* owner_;
};

// The Server's raft::LogStorage: WalStorage, with the durable view kept
// as writes are acknowledged and failures reported to the host.
class WalNodeStorage::Log final : public raft::LogStorage {
 public:
  explicit Log(WalNodeStorage* owner) : owner_(owner) {}

  void Write(raft::WriteBatch batch, WriteDone done) override {
    pending_.push_back(Item{.batch = batch, .compact = std::nullopt});
    owner_->wal_->Write(std::move(batch),
                        [this, done = std::move(done)](absl::Status s) {
                          if (s.ok()) {
                            Acknowledged();
                          } else {
                            owner_->Failed(s);
                          }
                          done(std::move(s));
                        });
  }
  absl::Status Compact(raft::Snapshot snapshot) override {
    raft::Snapshot copy = snapshot;
    absl::Status s = owner_->wal_->Compact(std::move(snapshot));
    if (s.ok()) {
      pending_.push_back(Item{.batch = std::nullopt, .compact = copy});
    }
    return s;
  }
  raft::HardState hard_state() const override {
    return owner_->wal_->hard_state();
  }
  const raft::Snapshot& snapshot() const override {
    return owner_->wal_->snapshot();
  }
  raft::LogIndex FirstIndex() const override {
    return owner_->wal_->FirstIndex();
  }
  raft::LogIndex LastIndex() const override {
    return owner_->wal_->LastIndex();
  }
  absl::StatusOr<raft::Term> TermAt(raft::LogIndex index) const override {
    return owner_->wal_->TermAt(index);
  }
  absl::Status Entries(raft::LogIndex lo, raft::LogIndex hi, uint64_t max_bytes,
                       std::vector<raft::Entry>* out) const override {
    return owner_->wal_->Entries(lo, hi, max_bytes, out);
  }
  raft::DurableState Load() const override { return owner_->wal_->Load(); }

 public:
  using Item = WalNodeStorage::Pending;
  // The writes and compactions not yet acknowledged, oldest first.
  const std::deque<Item>& pending() const { return pending_; }

 private:
  // The oldest pending write is durable, and with it every compaction
  // queued before it (the WAL completes in call order).
  void Acknowledged() {
    while (!pending_.empty()) {
      Item item = std::move(pending_.front());
      pending_.pop_front();
      if (item.compact) {
        // Covers only entries acknowledged already (applied <= durable).
        (void)owner_->durable_->Compact(std::move(*item.compact));
        continue;
      }
      owner_->durable_->Write(std::move(*item.batch), nullptr);
      return;
    }
    CHECK(false) << owner_->node_.Describe()
                 << " WAL acknowledged a write that was not pending";
  }

  WalNodeStorage* owner_;
  std::deque<Item> pending_;
};

WalNodeStorage::WalNodeStorage(HostIndex node, EventQueue* queue,
                               Tracer* tracer, Prng prng,
                               WalNodeOptions options,
                               std::function<void(int64_t)> on_failure)
    : node_(node),
      queue_(queue),
      tracer_(tracer),
      prng_(prng),
      options_(options),
      on_failure_(std::move(on_failure)),
      fs_(prng.Fork(1), SimFsOptions{.torn_writes = options.torn_writes}),
      io_(std::make_unique<Io>(this)) {}

WalNodeStorage::~WalNodeStorage() {
  log_.reset();
  wal_.reset();
}

raft::LogStorage* WalNodeStorage::Open() {
  if (wal_ == nullptr) Recover();
  return log_.get();
}

void WalNodeStorage::Crash() {
  if (wal_ != nullptr) {
    const storage::WalWriterStats io = wal_->stats().io;
    past_io_.rolls += io.rolls;
    past_io_.segments_deleted += io.segments_deleted;
  }
  // What recovery may load: the acknowledged state, then that state with
  // each further unacknowledged write (or compaction) applied in order —
  // the WAL appends one record per write, all or nothing.
  std::optional<raft::DurableState> acked;
  std::deque<Pending> unacked;
  if (log_ != nullptr) {
    acked = durable_->Load();
    unacked = log_->pending();
  }
  log_.reset();
  wal_.reset();
  fs_.Crash();
  // Recover at once: durable() is then what the restart loads.
  Recover();
  if (acked.has_value()) CheckRecovered(*acked, unacked);
}

namespace {

bool SameState(const raft::DurableState& a, const raft::DurableState& b) {
  return a.hard_state == b.hard_state && a.snapshot == b.snapshot &&
         a.entries == b.entries;
}

}  // namespace

void WalNodeStorage::CheckRecovered(const raft::DurableState& acked,
                                    const std::deque<Pending>& unacked) {
  const raft::DurableState got = wal_->Load();
  raft::MemoryStorage candidate(acked);
  if (SameState(got, acked)) return;
  for (const Pending& item : unacked) {
    if (item.compact) {
      (void)candidate.Compact(*item.compact);
    } else {
      candidate.Write(*item.batch, nullptr);
    }
    if (SameState(got, candidate.Load())) return;
  }
  // A storage bug (or a bug in this model): the restart would load a state
  // no prefix of the writes produces — an acknowledged write lost, or a
  // record invented, reordered or corrupted.
  CHECK(false) << node_.Describe()
               << " WAL recovery after a crash loaded a state that is not "
                  "the acknowledged writes plus a prefix of the "
                  "unacknowledged ones: recovered hard state "
               << got.hard_state.Describe() << " snapshot i"
               << got.snapshot.meta.index.value() << " last i"
               << wal_->LastIndex().value() << "; acknowledged hard state "
               << acked.hard_state.Describe() << " snapshot i"
               << acked.snapshot.meta.index.value() << " entries "
               << acked.entries.size() << ", " << unacked.size()
               << " unacknowledged; recovery: " << wal_->recovery().Describe();
}

void WalNodeStorage::Recover() {
  // No injected faults while recovering (see the header).
  fs_.set_sync_fail_ppm(0);
  fs_.set_capacity_bytes(std::numeric_limits<uint64_t>::max());
  auto wal = storage::WalStorage::Open(
      &fs_, io_.get(), nullptr,
      storage::WalOptions{.dir = kWalDir,
                          .segment_bytes = options_.segment_bytes});
  CHECK(wal.ok()) << node_.Describe()
                  << " WAL recovery failed: " << wal.status().ToString();
  wal_ = std::move(*wal);
  failed_ = false;
  last_drain_us_ = 0;
  const storage::RecoveryReport& report = wal_->recovery();
  if (report.truncated_bytes > 0) ++counters_.torn_tails;
  durable_ = std::make_unique<raft::MemoryStorage>(wal_->Load());
  log_ = std::make_unique<Log>(this);
  tracer_->Record(node_, StoragePayload{.storage = static_cast<uint8_t>(kind()),
                                        .event = StorageEvent::kOpen,
                                        .last = wal_->LastIndex(),
                                        .bytes = report.truncated_bytes});
}

void WalNodeStorage::RunDrain(absl::AnyInvocable<void()> work) {
  tracer_->Record(node_, StoragePayload{.storage = static_cast<uint8_t>(kind()),
                                        .event = StorageEvent::kDrain,
                                        .last = raft::LogIndex(0),
                                        .bytes = 0});
  const bool faulty = queue_->now_us() < options_.faults_until_us;
  fs_.set_sync_fail_ppm(faulty ? options_.sync_fail_ppm : 0);
  // Always one draw, so that the knob does not shift later draws.
  const bool full = prng_.Ratio(options_.full_ppm, kMillion) && faulty;
  if (full) fs_.set_capacity_bytes(fs_.used_bytes());
  work();
  fs_.set_capacity_bytes(std::numeric_limits<uint64_t>::max());
}

void WalNodeStorage::Failed(const absl::Status& status) {
  if (failed_) return;
  failed_ = true;
  if (status.code() == absl::StatusCode::kResourceExhausted) {
    ++counters_.disk_full;
  } else {
    ++counters_.sync_failures;
  }
  tracer_->RecordText(node_, std::string(status.message()),
                      StoragePayload{.storage = static_cast<uint8_t>(kind()),
                                     .event = StorageEvent::kFail,
                                     .last = raft::LogIndex(0),
                                     .bytes = 0});
  const int64_t restart_us =
      prng_.Range(1, std::max<int64_t>(1, options_.restart_ms_max)) * 1000;
  on_failure_(restart_us);
}

void WalNodeStorage::AddCoverage(std::vector<uint64_t>* counts) const {
  storage::WalWriterStats io = past_io_;
  if (wal_ != nullptr) {
    io.rolls += wal_->stats().io.rolls;
    io.segments_deleted += wal_->stats().io.segments_deleted;
  }
  (*counts)[CatalogueIndex(EnvSituation::kWalTornTailRecovered)] +=
      counters_.torn_tails;
  (*counts)[CatalogueIndex(EnvSituation::kWalSegmentRolled)] += io.rolls;
  (*counts)[CatalogueIndex(EnvSituation::kWalSegmentDeleted)] +=
      io.segments_deleted;
  (*counts)[CatalogueIndex(EnvSituation::kWalSyncFailed)] +=
      counters_.sync_failures;
  (*counts)[CatalogueIndex(EnvSituation::kWalDiskFull)] += counters_.disk_full;
}

}  // namespace raftsim::sim
