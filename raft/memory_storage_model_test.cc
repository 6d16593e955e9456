// raft/memory_storage_model_test.cc — RapidCheck state-machine test: random
// sequences of writes (entries, snapshots, hard state), compactions and
// reloads applied to MemoryStorage and to a naive model (a std::map from
// index to entry plus a snapshot point), with every read compared after
// every operation (docs/design.md, "Tests").
//
// Operations are drawn as raw numbers and interpreted against the model's
// current state, so every generated sequence is valid (misuse would fail a
// CHECK, by design) and shrinking stays meaningful.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "raft/memory_storage.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft {
namespace {

// The naive reference: what the LogStorage contract says, literally.
struct Model {
  HardState hard_state;
  Snapshot snapshot;
  std::map<uint64_t, Entry> log;  // Every key > snapshot index.

  uint64_t SnapIndex() const { return snapshot.meta.index.value(); }
  uint64_t First() const { return SnapIndex() + 1; }
  uint64_t Last() const {
    return log.empty() ? SnapIndex() : log.rbegin()->first;
  }
  // REQUIRES: SnapIndex() <= index <= Last().
  Term TermAt(uint64_t index) const {
    return index == SnapIndex() ? snapshot.meta.term : log.at(index).term;
  }
  uint64_t Bytes() const {
    uint64_t total = 0;
    for (const auto& [index, e] : log) total += e.ByteSize();
    return total;
  }

  void ApplySnapshot(const Snapshot& s) {
    const uint64_t index = s.meta.index.value();
    auto it = log.find(index);
    const bool keep = index == SnapIndex() ||
                      (it != log.end() && it->second.term == s.meta.term);
    if (keep) {
      log.erase(log.begin(), log.upper_bound(index));
    } else {
      log.clear();
    }
    snapshot = s;
  }
  void Append(const std::vector<Entry>& entries) {
    log.erase(log.lower_bound(entries.front().index.value()), log.end());
    for (const Entry& e : entries) log[e.index.value()] = e;
  }
  std::vector<Entry> Entries(uint64_t lo, uint64_t hi,
                             uint64_t max_bytes) const {
    std::vector<Entry> out;
    uint64_t total = 0;
    for (uint64_t i = lo; i < hi; ++i) {
      total += log.at(i).ByteSize();
      if (!out.empty() && total > max_bytes) break;
      out.push_back(log.at(i));
    }
    return out;
  }
};

// Valid entries for the model's current log from raw numbers: they start
// anywhere in [First, Last + 1] and have non-decreasing terms not below the
// term of the entry before them.
std::vector<Entry> GenEntries(const Model& m, uint32_t a, uint32_t b,
                              uint32_t c) {
  const uint64_t start = m.First() + a % (m.Last() + 2 - m.First());
  const uint64_t count = 1 + b % 6;
  uint64_t term = m.TermAt(start - 1).value() + c % 3;
  std::vector<Entry> entries;
  for (uint64_t k = 0; k < count; ++k) {
    term += (c >> (2 + k)) & 1;
    const size_t size = ((b >> (3 + 3 * k)) & 7) * 5;
    entries.push_back(Entry{
        .term = Term(term),
        .index = LogIndex(start + k),
        .kind = static_cast<EntryKind>((c >> (10 + k)) % 3),
        .payload = Payload(std::string(size, static_cast<char>('a' + k)))});
  }
  return entries;
}

// A snapshot past the model's snapshot point: at an index the log holds
// with the same term (suffix kept), with a different term (log discarded),
// or past the end of the log.
Snapshot GenSnapshot(const Model& m, uint32_t a, uint32_t c) {
  const uint64_t index = m.SnapIndex() + 1 + a % (m.Last() - m.SnapIndex() + 3);
  uint64_t term;
  if (index <= m.Last() && (c & 1) != 0) {
    term = m.TermAt(index).value();
  } else {
    term = m.TermAt(std::min(index, m.Last())).value() + 1 + (c >> 1) % 2;
  }
  Snapshot s;
  s.meta.index = LogIndex(index);
  s.meta.term = Term(term);
  s.meta.conf.voters = {NodeId(1 + c % 3)};
  s.data = Payload(std::string((c >> 2) % 5, 's'));
  return s;
}

// Compares every read of `s` with the model.
void CheckSame(const MemoryStorage& s, const Model& m, uint32_t d) {
  RC_ASSERT(s.hard_state() == m.hard_state);
  RC_ASSERT(s.snapshot() == m.snapshot);
  RC_ASSERT(s.FirstIndex() == LogIndex(m.First()));
  RC_ASSERT(s.LastIndex() == LogIndex(m.Last()));
  RC_ASSERT(s.entry_count() == m.log.size());
  RC_ASSERT(s.bytes() == m.Bytes());

  for (uint64_t i = 0; i <= m.Last() + 2; ++i) {
    absl::StatusOr<Term> t = s.TermAt(LogIndex(i));
    if (i < m.SnapIndex() || i > m.Last()) {
      RC_ASSERT(t.status().code() == absl::StatusCode::kOutOfRange);
    } else {
      RC_ASSERT(t.ok());
      RC_ASSERT(*t == m.TermAt(i));
    }
  }

  const uint64_t first = m.First();
  const uint64_t end = m.Last() + 1;
  auto check = [&](uint64_t lo, uint64_t hi, uint64_t max_bytes) {
    std::vector<Entry> out = {Entry{}};  // Entries appends: keep a sentinel.
    absl::Status st = s.Entries(LogIndex(lo), LogIndex(hi), max_bytes, &out);
    if (lo > hi) {
      RC_ASSERT(st.code() == absl::StatusCode::kInvalidArgument);
    } else if (lo < first || hi > end) {
      RC_ASSERT(st.code() == absl::StatusCode::kOutOfRange);
    } else {
      RC_ASSERT(st.ok());
      std::vector<Entry> expected = {Entry{}};
      for (Entry& e : m.Entries(lo, hi, max_bytes)) expected.push_back(e);
      RC_ASSERT(out == expected);
    }
  };
  // Linear in the log per bound: the whole log, every suffix and prefix
  // under tight byte limits, the errors at the edges, one random range.
  check(first, end, UINT64_MAX);
  for (uint64_t i = first; i <= end; ++i) {
    for (uint64_t max_bytes : {uint64_t{0}, uint64_t{80}}) {
      check(i, end, max_bytes);
      check(first, i, max_bytes);
    }
    // Exactly two entries' worth, and one byte less: the boundary.
    if (i + 1 < end) {
      const uint64_t two = m.log.at(i).ByteSize() + m.log.at(i + 1).ByteSize();
      check(i, end, two);
      check(i, end, two - 1);
    }
  }
  check(first - 1, end, UINT64_MAX);
  check(first, end + 1, UINT64_MAX);
  check(end, end - 1, UINT64_MAX);
  const uint64_t lo = first - 1 + d % (end - first + 3);
  const uint64_t hi = lo + (d >> 8) % (end - first + 3);
  check(lo, hi, (d >> 16) % 200);

  DurableState loaded = s.Load();
  RC_ASSERT(loaded.hard_state == m.hard_state);
  RC_ASSERT(loaded.snapshot == m.snapshot);
  RC_ASSERT(loaded.entries.size() == m.log.size());
  size_t k = 0;
  for (const auto& [index, e] : m.log) RC_ASSERT(loaded.entries[k++] == e);
}

using Op = std::tuple<int, uint32_t, uint32_t, uint32_t, uint32_t>;

RC_GTEST_PROP(MemoryStorageModel, EveryReadMatchesTheModelAfterEveryOp, ()) {
  const std::vector<Op> ops =
      *rc::gen::container<std::vector<Op>>(rc::gen::tuple(
          rc::gen::inRange(0, 10), rc::gen::arbitrary<uint32_t>(),
          rc::gen::arbitrary<uint32_t>(), rc::gen::arbitrary<uint32_t>(),
          rc::gen::arbitrary<uint32_t>()));
  auto storage = std::make_unique<MemoryStorage>();
  Model model;
  for (const auto& [kind, a, b, c, d] : ops) {
    if (kind <= 4) {  // Entries, sometimes with a hard state.
      WriteBatch batch;
      batch.entries = GenEntries(model, a, b, c);
      model.Append(batch.entries);
      if ((d & 1) != 0) {
        batch.hard_state = HardState{.term = Term(d % 7),
                                     .voted_for = NodeId(b % 4),
                                     .commit = LogIndex(a % 20)};
        model.hard_state = *batch.hard_state;
      }
      bool done = false;
      storage->Write(std::move(batch),
                     [&](absl::Status st) { done = st.ok(); });
      RC_ASSERT(done);
    } else if (kind == 5) {  // Snapshot, sometimes followed by entries.
      WriteBatch batch;
      batch.snapshot = GenSnapshot(model, a, c);
      model.ApplySnapshot(*batch.snapshot);
      if ((d & 1) != 0) {
        batch.entries = GenEntries(model, b, d >> 1, c >> 8);
        model.Append(batch.entries);
      }
      storage->Write(std::move(batch), nullptr);
    } else if (kind <= 7) {  // Compaction, possibly of a compacted index.
      const uint64_t index =
          std::min<uint64_t>(a % (model.Last() + 2), model.Last());
      Snapshot snap;
      snap.meta.index = LogIndex(index);
      snap.data = Payload(std::string(b % 4, 'c'));
      absl::Status st;
      if (index <= model.SnapIndex()) {
        snap.meta.term = model.snapshot.meta.term;
        st = storage->Compact(snap);
        RC_ASSERT(st.code() == absl::StatusCode::kFailedPrecondition);
      } else {
        snap.meta.term = model.TermAt(index);
        st = storage->Compact(snap);
        RC_ASSERT(st.ok());
        model.ApplySnapshot(snap);
      }
    } else if (kind == 8) {  // Hard state only.
      HardState hs{.term = Term(a % 9),
                   .voted_for = NodeId(b % 4),
                   .commit = LogIndex(c % 30)};
      WriteBatch batch;
      batch.hard_state = hs;
      storage->Write(std::move(batch), nullptr);
      model.hard_state = hs;
    } else {  // Restart: rebuild from what Load() returned.
      storage = std::make_unique<MemoryStorage>(storage->Load());
    }
    CheckSame(*storage, model, d);
  }
}

}  // namespace
}  // namespace raftsim::raft
