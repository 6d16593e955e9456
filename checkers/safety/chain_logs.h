// checkers/safety/chain_logs.h — per-entry chain hashes of every node's log,
// maintained incrementally, and the global registry that makes Log
// Matching an O(new entries) check.
//
// The chain hash of entry i in a log is H(chain(i-1), i, term, digest), so
// two logs have equal chain hashes at i iff they hold the same entries at
// 1..i (up to hash collisions, 2^-64). Every (index, term) ever seen in any
// node's log is registered with its chain hash; Raft §5.3 Log Matching says
// the pair determines the entry and its whole prefix, so a second chain
// hash for a registered pair is a violation — found when the entry is
// first mirrored, whichever node and whenever.
//
// A log that starts at a compaction point (after a snapshot restore or a
// restart from one) is anchored at the registered chain hash of (base
// index, base term) (the snapshot was taken from a log that registered it).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_CHAIN_LOGS_H_
#define RAFTSIM_CHECKERS_SAFETY_CHAIN_LOGS_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "checkers/safety/observation.h"

namespace raftsim::checkers {

class ChainLogs {
 public:
  // A registered (index, term) met with a different chain hash.
  struct Mismatch {
    int node = 0;
    LogIndex index;
    Term term;
  };

  // Brings every up node's mirror up to date with `view`; appends a
  // Mismatch for each newly mirrored entry that contradicts the registry.
  // Cost: O(entries changed since the last call), plus O(log) on restart.
  void Update(const ClusterView& view, std::vector<Mismatch>* mismatches);

  // Chain hash of `node`'s in-memory entry at `index` (as of the last
  // Update), or nullopt if the node is down or the log does not hold it
  // (compacted below the base, or beyond the end). The base counts.
  std::optional<uint64_t> ChainAt(int node, LogIndex index) const;
  std::optional<uint64_t> Registered(LogIndex index, Term term) const;

  static uint64_t Chain(uint64_t previous, LogIndex index, Term term,
                        uint64_t digest);
  // The chain hash of the empty prefix (index 0, term 0).
  static constexpr uint64_t kGenesis = 0x9e3779b97f4a7c15ULL;

 private:
  struct Slot {
    Term term;
    uint64_t chain = 0;
  };
  // Entries [base, base + slots.size()) of one node's log; slots[0] is the
  // base (compaction point).
  struct Mirror {
    bool valid = false;
    uint64_t incarnation = 0;
    LogIndex base;
    std::vector<Slot> slots;
    LogIndex last() const { return base + (slots.size() - 1); }
  };

  void Rebuild(int node, const NodeView& view, std::vector<Mismatch>* out);
  void UpdateNode(int node, const NodeView& view, std::vector<Mismatch>* out);
  void AppendFrom(int node, const NodeView& view, LogIndex from,
                  std::vector<Mismatch>* out);
  uint64_t Anchor(LogIndex index, Term term);

  struct Registration {
    uint64_t chain = 0;
    int first = -1;       // The node whose log held the pair first.
    bool shared = false;  // Another node's log has held it since.
  };
  // Pairs `node` registered first, held by no other log, of a term its
  // disk did not record yet (see ForgetUnrecorded).
  using Pairs = std::vector<std::pair<uint64_t, uint64_t>>;

  // A node that restarts with durable term T has lost everything it held
  // only in memory. Entries of a term > T that it created itself (it
  // registered them first) and no other log ever held were seen by nobody
  // — a single voter elects itself without a vote request, so its term
  // need not be durable before it appends — and after the restart it may
  // win that term again and append different entries there (as etcd's raft
  // does). That reuse is invisible, so the registry forgets those pairs.
  // Any pair another log has held stays: reusing it is a violation.
  void ForgetUnrecorded(int node, Term durable_term);

  std::vector<Mirror> mirrors_;
  std::vector<Pairs> unrecorded_;  // Per node.
  // (index, term) -> registration. Lookups only; never iterated.
  absl::flat_hash_map<std::pair<uint64_t, uint64_t>, Registration> registry_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_CHAIN_LOGS_H_
