// sim/world/wal_model_test.cc — RapidCheck model test of WalStorage on the
// simulated file system: random appends (some truncating), hard states,
// installed snapshots, compactions, partial and full group commits, clean
// restarts and crashes. MemoryStorage is the model: after a clean restart
// the WAL loads exactly the model's state; after a crash it loads the
// model's state after some prefix of the operations that includes every
// acknowledged write — never less, never a mixture. A killed process (queued
// I/O lost, page cache kept) is checked the same way.
//
// Operations are drawn as raw numbers and interpreted against the model's
// current state, so every sequence is valid (misuse would fail a CHECK)
// and shrinking stays meaningful.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/prng.h"
#include "gtest/gtest.h"
#include "raft/memory_storage.h"
#include "raft/storage.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "sim/world/sim_fs.h"
#include "storage/executor.h"
#include "storage/wal_storage.h"

namespace raftsim::sim {
namespace {

using raft::DurableState;
using raft::Entry;
using raft::MemoryStorage;
using raft::WriteBatch;

bool Same(const DurableState& a, const DurableState& b) {
  return a.hard_state == b.hard_state && a.snapshot == b.snapshot &&
         a.entries == b.entries;
}

std::string Describe(const DurableState& s) {
  return absl::StrCat(s.hard_state.Describe(), " ", s.snapshot.meta.Describe(),
                      " entries=", s.entries.size());
}

class Harness {
 public:
  Harness(uint64_t seed, uint64_t segment_bytes)
      : fs_(Prng(seed)), segment_bytes_(segment_bytes) {
    Reopen();
    history_ = {model_->Load()};
  }

  MemoryStorage& model() { return *model_; }

  void Write(WriteBatch batch) {
    model_->Write(batch, nullptr);
    const size_t pos = history_.size();
    history_.push_back(model_->Load());
    wal_->Write(std::move(batch), [this, pos](absl::Status s) {
      RC_ASSERT(s.ok());
      RC_ASSERT(pos > acked_);  // Completions in call order.
      acked_ = pos;
    });
  }

  void Compact(raft::Snapshot snapshot) {
    const absl::Status want = model_->Compact(snapshot);
    RC_ASSERT(wal_->Compact(std::move(snapshot)).code() == want.code());
    if (want.ok()) history_.push_back(model_->Load());
  }

  void RunOne() { io_.RunOne(); }
  void RunAll() { io_.RunAll(); }

  // Everything queued completes, the process exits and starts again.
  void Restart() {
    io_.RunAll();
    Reopen();
    const DurableState got = wal_->Load();
    RC_ASSERT(Same(got, history_.back()));
    ResetTo(got);
  }

  // Queued I/O is lost; with `power_loss` the disk also loses what was
  // not synced (otherwise the page cache survives: the process was killed).
  void Crash(bool power_loss = true) {
    io_.Clear();
    wal_.reset();
    if (power_loss) fs_.Crash();
    Reopen();
    const DurableState got = wal_->Load();
    bool found = false;
    for (size_t k = acked_; k < history_.size() && !found; ++k) {
      found = Same(got, history_[k]);
    }
    if (!found) {
      RC_FAIL(absl::StrCat("after a crash the WAL loaded ", Describe(got),
                           "; acked ", acked_, " of ", history_.size() - 1,
                           " ops; last acked state ",
                           Describe(history_[acked_])));
    }
    ResetTo(got);
  }

  // Reads of the written view match the model.
  void CheckReads() {
    RC_ASSERT(wal_->hard_state() == model_->hard_state());
    RC_ASSERT(wal_->snapshot() == model_->snapshot());
    RC_ASSERT(wal_->LastIndex() == model_->LastIndex());
  }

 private:
  void Reopen() {
    wal_.reset();
    auto w = storage::WalStorage::Open(
        &fs_, &io_, nullptr,
        storage::WalOptions{.dir = "wal", .segment_bytes = segment_bytes_});
    if (!w.ok()) RC_FAIL(w.status().ToString());
    wal_ = std::move(*w);
  }

  void ResetTo(const DurableState& state) {
    model_ = std::make_unique<MemoryStorage>(state);
    history_ = {state};
    acked_ = 0;
  }

  SimFileSystem fs_;
  storage::ManualExecutor io_;
  uint64_t segment_bytes_;
  std::unique_ptr<storage::WalStorage> wal_;
  std::unique_ptr<MemoryStorage> model_ = std::make_unique<MemoryStorage>();
  // history_[k]: the model after the k-th write or compaction since the
  // last restart; acked_: the position of the last acknowledged write.
  std::vector<DurableState> history_;
  size_t acked_ = 0;
};

using Op = std::tuple<int, uint32_t, uint32_t, uint32_t>;

Term TermBefore(MemoryStorage& m, LogIndex index) {
  auto t = m.TermAt(index - 1);
  return t.ok() ? *t : m.snapshot().meta.term;
}

RC_GTEST_PROP(WalModel, LoadsTheSyncedStateAfterRestartsAndCrashes, ()) {
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const uint64_t segment_bytes = *rc::gen::inRange<uint64_t>(64, 4096);
  const std::vector<Op> ops =
      *rc::gen::container<std::vector<Op>>(rc::gen::tuple(
          rc::gen::inRange(0, 16), rc::gen::arbitrary<uint32_t>(),
          rc::gen::arbitrary<uint32_t>(), rc::gen::arbitrary<uint32_t>()));
  Harness h(seed, segment_bytes);
  uint64_t term = 1;
  for (const auto& [kind, a, b, c] : ops) {
    MemoryStorage& m = h.model();
    const LogIndex first = m.FirstIndex();
    const LogIndex last = m.LastIndex();
    if (kind <= 5) {  // Entries from a random start, maybe a hard state.
      const LogIndex start = first + a % (last - first + 2);
      term =
          std::max(term + (b % 5 == 0 ? 1 : 0), TermBefore(m, start).value());
      WriteBatch batch;
      const uint32_t n = 1 + b % 6;
      for (uint32_t i = 0; i < n; ++i) {
        batch.entries.push_back(Entry{
            .term = Term(term),
            .index = start + i,
            .kind = raft::EntryKind::kNormal,
            .payload = raft::Payload(std::string(c % 300, 'a' + i % 26)),
        });
      }
      if (c % 2 == 0) {
        batch.hard_state =
            raft::HardState{.term = Term(term),
                            .voted_for = NodeId(c % 4),
                            .commit = first - 1 + a % (start - first + 1)};
      }
      h.Write(std::move(batch));
    } else if (kind == 6) {  // Hard state alone.
      WriteBatch batch;
      batch.hard_state = raft::HardState{.term = Term(term),
                                         .voted_for = NodeId(a % 4),
                                         .commit = m.hard_state().commit};
      h.Write(std::move(batch));
    } else if (kind == 7) {  // An installed snapshot, maybe conflicting.
      const LogIndex at = first + a % (last - first + 4);
      raft::Snapshot s;
      s.meta.index = at;
      if (at <= last && b % 2 == 0) {
        s.meta.term = *m.TermAt(at);  // Matching: the suffix survives.
      } else {
        term = std::max(term, TermBefore(m, at + 1).value()) + 1;
        s.meta.term = Term(term);
      }
      s.meta.conf.voters = {NodeId(1 + b % 3)};
      s.data = raft::Payload(absl::StrCat("sm@", at.value()));
      WriteBatch batch;
      batch.snapshot = s;
      h.Write(std::move(batch));
    } else if (kind == 8 && last >= first) {  // Compaction.
      const LogIndex at = first + a % (last - first + 1);
      raft::Snapshot s;
      s.meta.index = at;
      s.meta.term = *m.TermAt(at);
      s.data = raft::Payload(absl::StrCat("compact@", at.value()));
      h.Compact(std::move(s));
    } else if (kind <= 11) {
      h.RunOne();
    } else if (kind <= 13) {
      h.RunAll();
    } else if (kind == 14) {
      h.Restart();
    } else if (kind == 15) {
      h.Crash(/*power_loss=*/false);
    } else {
      h.Crash();
    }
    h.CheckReads();
  }
  h.Crash();
}

}  // namespace
}  // namespace raftsim::sim
