// raft/node_property_test.cc — property tests of the Raft core (docs/design.md,
// rule 17):
//   * the vote up-to-date comparison (Raft §5.4.1) is lexicographic on
//     (last term, last index), against a naive reference, both on RaftLog
//     and through a real vote request;
//   * random interleavings of Tick / deliver (in or out of order) / drop /
//     duplicate / Propose / process Ready / persist / crash + restart /
//     partition / compaction across an in-process 3- and 5-node cluster
//     keep every node invariant (the nodes CHECK their own), Election
//     Safety (at most one leader per term, over everything ever seen),
//     agreement of committed entries (Log Matching on the committed prefix),
//     Leader Completeness for the newest leader, and State Machine Safety
//     (no two nodes apply different entries at one index) — Raft §5.2,
//     §5.3, §5.4, Figure 3. After the faults, a healed cluster must elect a
//     leader and commit again (liveness).
//
// RapidCheck drives short runs (and shrinks failures); a deterministic
// sweep over base/prng seeds adds longer runs. Both keep to about a second.

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/prng.h"
#include "gtest/gtest.h"
#include "raft/node.h"
#include "raft/raft_log.h"
#include "raft/testing/cluster.h"
#include "raft/testing/node_util.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft::testing {
namespace {

// --- (a) The up-to-date rule ----------------------------------------------

// The naive reference: compare (last term, last index) as a pair.
bool NaiveUpToDate(uint64_t cand_index, uint64_t cand_term, uint64_t our_index,
                   uint64_t our_term) {
  return std::make_pair(cand_term, cand_index) >=
         std::make_pair(our_term, our_index);
}

// Raft §5.4.1: "If the logs have last entries with different terms, then the
// log with the later term is more up-to-date. If the logs end with the same
// term, then whichever log is longer is more up-to-date."
RC_GTEST_PROP(UpToDate, IsLexicographicOnLastTermThenLastIndex, ()) {
  // A random log with non-decreasing terms.
  const auto steps =
      *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 3));
  std::vector<Entry> entries;
  uint64_t term = 1;
  for (size_t k = 0; k < steps.size(); ++k) {
    term += static_cast<uint64_t>(steps[k] == 0);
    entries.push_back(E(k + 1, term));
  }
  const uint64_t our_index = entries.size();
  const uint64_t our_term = entries.empty() ? 0 : entries.back().term.value();
  const uint64_t cand_index = *rc::gen::inRange<uint64_t>(0, our_index + 4);
  const uint64_t cand_term = *rc::gen::inRange<uint64_t>(0, term + 3);
  const bool expect = NaiveUpToDate(cand_index, cand_term, our_index, our_term);

  const RaftLog log(I(0), T(0), entries);
  RC_ASSERT(log.IsUpToDate(I(cand_index), T(cand_term)) == expect);

  // Through a real vote request at a newer term: granted iff up to date.
  auto n = NewNode(TestConfig(1), {T(term + 3), kNoNode, I(0)}, entries);
  StepOk(*n, VoteMsg(2, 1, term + 4, cand_index, cand_term));
  bool granted = false;
  for (const Message& m : AllMessages(Drain(*n))) {
    if (m.type == MessageType::kVoteReply && !m.reject) granted = true;
  }
  RC_ASSERT(granted == expect);
}

// --- (b) Random interleavings ----------------------------------------------

// Records everything the cluster has ever shown and checks Raft's safety
// properties against it after every operation.
class SafetyObserver {
 public:
  // Returns "" when every property holds, else a description.
  std::string Check(Cluster& c) {
    NodeId newest_leader;
    Term newest_term;
    for (const NodeId id : c.ids()) {
      if (c.down(id)) continue;
      const Node& n = c.node(id);
      // Election Safety (Raft §5.2): at most one leader per term, ever.
      if (n.role() == Role::kLeader) {
        auto [it, inserted] = leaders_.emplace(n.term(), id);
        if (!inserted && it->second != id) {
          return "two leaders in " + n.term().Describe() + ": " +
                 it->second.Describe() + " and " + id.Describe();
        }
        if (newest_leader == kNoNode || n.term() > newest_term) {
          newest_leader = id;
          newest_term = n.term();
        }
      }
      // Committed entries agree across nodes (Log Matching on the
      // committed prefix, Raft §5.3 / §5.4.3).
      const RaftLog& log = n.log();
      const LogIndex hi = std::min(n.commit_index(), log.LastIndex());
      for (LogIndex i = std::max(log.FirstIndex(), checked_[id] + 1); i <= hi;
           ++i) {
        if (std::string err = Record(i, log.At(i), id, "committed");
            !err.empty()) {
          return err;
        }
      }
      checked_[id] = std::max(checked_[id], hi);
      // State Machine Safety (Raft §5.4.3): applied entries agree.
      const std::vector<Entry>& applied = c.applied(id);
      for (size_t k = applied_seen_[id]; k < applied.size(); ++k) {
        if (std::string err =
                Record(applied[k].index, applied[k], id, "applied");
            !err.empty()) {
          return err;
        }
      }
      applied_seen_[id] = applied.size();
    }
    // Leader Completeness (Raft §5.4): the newest leader holds every entry
    // committed so far (those it has not compacted).
    if (newest_leader != kNoNode) {
      const RaftLog& log = c.node(newest_leader).log();
      for (const auto& [index, e] : committed_) {
        if (index < log.FirstIndex()) continue;
        if (index > log.LastIndex() || !(log.At(index) == e)) {
          return "leader " + newest_leader.Describe() + " of " +
                 newest_term.Describe() + " lacks committed " + e.Describe();
        }
      }
    }
    return "";
  }

  // A node restarted: its apply log starts over.
  void OnRestart(NodeId id) {
    applied_seen_[id] = 0;
    checked_[id] = LogIndex(0);
  }

  size_t committed() const { return committed_.size(); }

 private:
  std::string Record(LogIndex index, const Entry& e, NodeId id,
                     const char* what) {
    auto [it, inserted] = committed_.emplace(index, e);
    if (!inserted && !(it->second == e)) {
      return std::string(what) + " entry mismatch at " + index.Describe() +
             " on " + id.Describe() + ": " + e.Describe() + " vs " +
             it->second.Describe();
    }
    return "";
  }

  std::map<Term, NodeId> leaders_;
  std::map<LogIndex, Entry> committed_;
  std::map<NodeId, LogIndex> checked_;
  std::map<NodeId, size_t> applied_seen_;
};

// One random operation on the cluster. `pick(n)` returns a number in
// [0, n). The weights (out of 200) favour the steps that make progress
// (processing Readys, persisting, delivering) over those that disturb it
// (ticks start elections; crashes, partitions, drops), so that runs both
// commit entries and see plenty of leader changes. Returns a short description
// (for failure traces).
template <typename Pick>
std::string RandomOp(Cluster& c, SafetyObserver& obs, Pick& pick,
                     int& proposals) {
  const auto& ids = c.ids();
  const NodeId id = ids[pick(ids.size())];
  const int op = static_cast<int>(pick(200));
  if (op < 16) {
    c.Tick(id);
    return "tick " + id.Describe();
  }
  if (op < 56) {
    c.ProcessReady(id);
    return "process-ready " + id.Describe();
  }
  if (op < 120) {
    if (c.queued() == 0) return "deliver (none)";
    // Mostly FIFO, sometimes out of order (reordering).
    const size_t i = pick(3) == 0 ? pick(c.queued()) : 0;
    return "deliver " + c.DeliverAt(i).Describe();
  }
  if (op < 124) {
    if (c.queued() == 0) return "drop (none)";
    const size_t i = pick(c.queued());
    const Message m = c.queue()[i];
    c.queue().erase(c.queue().begin() + static_cast<std::ptrdiff_t>(i));
    return "drop " + m.Describe();
  }
  if (op < 127) {
    if (c.queued() == 0) return "duplicate (none)";
    const size_t i = pick(c.queued());
    c.DuplicateAt(i);
    return "duplicate " + c.queue()[i].Describe();
  }
  if (op < 167) {
    c.PersistOne(id);
    return "persist " + id.Describe();
  }
  if (op < 187) {
    if (c.down(id) || c.node(id).role() != Role::kLeader) return "propose (no)";
    const std::string v = "v" + std::to_string(++proposals);
    (void)c.node(id).Propose(std::vector<Payload>{Payload(v)});
    return "propose " + id.Describe() + " " + v;
  }
  if (op < 188) {
    // At most a minority down at once, so that progress stays possible.
    size_t down = 0;
    for (const NodeId other : ids) down += c.down(other) ? 1 : 0;
    if (c.down(id) || 2 * (down + 1) >= ids.size() + 1) {
      for (const NodeId other : ids) {
        if (c.down(other)) {
          c.Restart(other);
          obs.OnRestart(other);
          return "restart " + other.Describe();
        }
      }
      return "restart (none)";
    }
    c.Crash(id);
    return "crash " + id.Describe();
  }
  if (op < 190) {
    if (!c.down(id)) c.node(id).Campaign();
    return "campaign " + id.Describe();
  }
  if (op < 194) {
    if (c.down(id)) return "compact (down)";
    const uint64_t keep = pick(3);
    return c.Compact(id, keep) ? "compact " + id.Describe() : "compact (no)";
  }
  if (op < 195) {
    // One node cut off from the rest (a partition of one).
    c.Heal();
    c.Isolate(id);
    return "isolate " + id.Describe();
  }
  c.Heal();
  return "heal";
}

// Heals everything and runs the cluster for a while: a leader must emerge
// and commit a fresh proposal on every node.
template <typename Pick>
std::string CheckLiveness(Cluster& c, SafetyObserver& obs, Pick& pick) {
  c.Heal();
  for (const NodeId id : c.ids()) {
    if (c.down(id)) {
      c.Restart(id);
      obs.OnRestart(id);
    }
  }
  auto settle = [&c] {
    for (int k = 0; k < 20; ++k) {
      c.ProcessReadys();
      c.PersistAll();
      if (c.queued() == 0) break;
      c.Deliver([](const Message&) { return true; });
    }
  };
  bool proposed = false;
  LogIndex target;
  for (int round = 0; round < 400; ++round) {
    c.TickAll();
    settle();
    if (std::string err = obs.Check(c); !err.empty()) return err;
    const NodeId leader = c.Leader();
    if (leader == kNoNode) continue;
    if (!proposed) {
      const auto r =
          c.node(leader).Propose(std::vector<Payload>{Payload("final")});
      if (r.ok()) {
        proposed = true;
        target = r->last;
      }
      continue;
    }
    bool all = true;
    for (const NodeId id : c.ids()) {
      if (c.node(id).commit_index() < target) all = false;
    }
    if (all) return "";
  }
  (void)pick;
  std::string state;
  for (const NodeId id : c.ids()) state += "\n  " + c.node(id).Describe();
  return "no progress after heal:" + state;
}

Cluster::Options RandomOptions(int voters, uint64_t seed, bool pre_vote,
                               bool check_quorum) {
  Cluster::Options o;
  o.voters = voters;
  o.seed = seed;
  o.pre_vote = pre_vote;
  o.check_quorum = check_quorum;
  o.sync_persist = false;
  o.election_timeout_ticks = 5;  // Elections happen often in short runs.
  o.max_inflight_msgs = 4;
  return o;
}

// A full random run; returns "" or the failure with its operation trace.
template <typename Pick>
std::string RunRandom(Cluster& c, Pick& pick, int steps,
                      size_t* committed_out = nullptr) {
  SafetyObserver obs;
  std::vector<std::string> trace;
  int proposals = 0;
  for (int s = 0; s < steps; ++s) {
    trace.push_back(RandomOp(c, obs, pick, proposals));
    if (std::string err = obs.Check(c); !err.empty()) {
      std::string out = err + "\nafter:";
      const size_t from = trace.size() > 30 ? trace.size() - 30 : 0;
      for (size_t k = from; k < trace.size(); ++k) out += "\n  " + trace[k];
      return out;
    }
  }
  if (committed_out != nullptr) *committed_out = obs.committed();
  if (std::string err = CheckLiveness(c, obs, pick); !err.empty()) return err;
  return "";
}

// RapidCheck: short random runs on 3 and 5 voters with every combination of
// PreVote and CheckQuorum; failures shrink to a short operation sequence.
RC_GTEST_PROP(RandomInterleavings, KeepSafetyAndLiveness, ()) {
  const int voters = *rc::gen::element(3, 5);
  const bool pre_vote = *rc::gen::arbitrary<bool>();
  const bool check_quorum = *rc::gen::arbitrary<bool>();
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000);
  const int steps = *rc::gen::inRange(1, 400);
  Cluster c(RandomOptions(voters, seed, pre_vote, check_quorum));
  auto pick = [](uint64_t n) -> uint64_t {
    return *rc::gen::inRange<uint64_t>(0, n);
  };
  const std::string err = RunRandom(c, pick, steps);
  RC_ASSERT(err == "");
}

// A deterministic sweep with longer runs (base/prng streams; a failing seed
// is reported and replays exactly).
TEST(RandomInterleavings, DeterministicSweep) {
  size_t committed_total = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Prng prng(seed);
    const int voters = seed % 2 == 0 ? 3 : 5;
    Cluster c(RandomOptions(voters, seed, seed % 3 != 0, seed % 4 != 0));
    auto pick = [&prng](uint64_t n) -> uint64_t { return prng.Uniform(n); };
    size_t committed = 0;
    const std::string err = RunRandom(c, pick, 2500, &committed);
    ASSERT_EQ(err, "") << "seed " << seed;
    committed_total += committed;
  }
  // The runs do real work under the faults (not just failed elections).
  EXPECT_GT(committed_total, 60u * 10) << committed_total;
  std::cout << "committed entries over the sweep: " << committed_total << "\n";
}

}  // namespace
}  // namespace raftsim::raft::testing
