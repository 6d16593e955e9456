// raft/quorum/quorum_property_test.cc — RapidCheck differential tests: the
// fast sort-based quorum arithmetic against naive references that follow the
// definitions literally (docs/design.md, "Tests").
//
//   * committed index: the largest x such that a majority of each non-empty
//     half has acknowledged >= x (Raft Figure 2, Rules for Leaders);
//   * votes: won iff every way the missing voters could still vote wins, lost
//     iff none does, pending otherwise (exhaustive over the missing voters).

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "raft/quorum/joint.h"
#include "raft/quorum/majority.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace raftsim::raft::quorum {
namespace {

// Ids are drawn from [1, kMaxId]; small enough to enumerate vote outcomes.
constexpr uint64_t kMaxId = 12;

// Per-id facts, indexed by id value; index 0 is unused.
using AckTable = std::vector<int64_t>;  // -1: no ack.
using VoteTable = std::vector<int>;     // -1: not voted, 0: no, 1: yes.

std::vector<NodeId> GenVoters() {
  const size_t n = *rc::gen::inRange<size_t>(0, 10);
  const auto raw = *rc::gen::container<std::vector<uint64_t>>(
      n, rc::gen::inRange<uint64_t>(1, kMaxId + 1));
  std::vector<NodeId> ids;
  for (uint64_t id : raw) ids.push_back(NodeId(id));
  return ids;  // May contain duplicates: the config must deduplicate.
}

AckTable GenAcks() {
  // A narrow range of values makes ties (the interesting case) common.
  const int64_t max = *rc::gen::element<int64_t>(3, 20, 1000000);
  return *rc::gen::container<AckTable>(kMaxId + 1,
                                       rc::gen::inRange<int64_t>(-1, max + 1));
}

VoteTable GenVotes() {
  return *rc::gen::container<VoteTable>(kMaxId + 1,
                                        rc::gen::inRange<int>(-1, 2));
}

std::optional<LogIndex> Lookup(const AckTable& acks, NodeId id) {
  const int64_t v = acks[id.value()];
  if (v < 0) return std::nullopt;
  return LogIndex(static_cast<uint64_t>(v));
}

std::set<uint64_t> Unique(const std::vector<NodeId>& ids) {
  std::set<uint64_t> out;
  for (NodeId id : ids) out.insert(id.value());
  return out;
}

// True if a strict majority of `half` acknowledged at least `x`; an empty
// half places no constraint.
bool MajorityHas(const std::set<uint64_t>& half, const AckTable& acks,
                 uint64_t x) {
  if (half.empty()) return true;
  size_t count = 0;
  for (uint64_t id : half) {
    const uint64_t v = acks[id] < 0 ? 0 : static_cast<uint64_t>(acks[id]);
    if (v >= x) ++count;
  }
  return 2 * count > half.size();
}

// The naive definition: the largest candidate acknowledged by a majority of
// both halves. Both halves empty: "everything".
uint64_t NaiveCommitted(const std::set<uint64_t>& in,
                        const std::set<uint64_t>& out, const AckTable& acks) {
  if (in.empty() && out.empty()) return UINT64_MAX;
  std::vector<uint64_t> candidates = {0};
  for (uint64_t id = 1; id <= kMaxId; ++id) {
    if (acks[id] >= 0) candidates.push_back(static_cast<uint64_t>(acks[id]));
  }
  uint64_t best = 0;
  for (uint64_t x : candidates) {
    if (MajorityHas(in, acks, x) && MajorityHas(out, acks, x)) {
      best = std::max(best, x);
    }
  }
  return best;
}

bool HalfWins(const std::set<uint64_t>& half, const VoteTable& votes) {
  if (half.empty()) return true;
  size_t yes = 0;
  for (uint64_t id : half) yes += votes[id] == 1 ? 1 : 0;
  return 2 * yes > half.size();
}

// Enumerates every completion of the missing votes among the voters.
VoteResult NaiveTally(const std::set<uint64_t>& in,
                      const std::set<uint64_t>& out, const VoteTable& votes) {
  std::vector<uint64_t> missing;
  std::set<uint64_t> all = in;
  all.insert(out.begin(), out.end());
  for (uint64_t id : all) {
    if (votes[id] < 0) missing.push_back(id);
  }
  size_t wins = 0;
  const size_t completions = size_t{1} << missing.size();
  for (size_t mask = 0; mask < completions; ++mask) {
    VoteTable filled = votes;
    for (size_t b = 0; b < missing.size(); ++b) {
      filled[missing[b]] = (mask >> b) & 1;
    }
    if (HalfWins(in, filled) && HalfWins(out, filled)) ++wins;
  }
  if (wins == completions) return VoteResult::kWon;
  if (wins == 0) return VoteResult::kLost;
  return VoteResult::kPending;
}

RC_GTEST_PROP(MajorityConfig, VotersAreSortedAndUnique, ()) {
  const std::vector<NodeId> ids = GenVoters();
  const MajorityConfig cfg(ids);
  const std::set<uint64_t> expected = Unique(ids);
  RC_ASSERT(cfg.size() == expected.size());
  RC_ASSERT(std::is_sorted(cfg.voters().begin(), cfg.voters().end()));
  for (uint64_t id : expected) RC_ASSERT(cfg.Contains(NodeId(id)));
}

RC_GTEST_PROP(MajorityConfig, CommittedIndexMatchesNaive, ()) {
  const std::vector<NodeId> ids = GenVoters();
  const AckTable acks = GenAcks();
  const MajorityConfig cfg(ids);
  const LogIndex got =
      cfg.CommittedIndex([&](NodeId id) { return Lookup(acks, id); });
  RC_ASSERT(got.value() == NaiveCommitted(Unique(ids), {}, acks));
}

RC_GTEST_PROP(JointConfig, CommittedIndexMatchesNaive, ()) {
  const std::vector<NodeId> in = GenVoters();
  const std::vector<NodeId> out = GenVoters();
  const AckTable acks = GenAcks();
  const JointConfig cfg{MajorityConfig(in), MajorityConfig(out)};
  const LogIndex got =
      cfg.CommittedIndex([&](NodeId id) { return Lookup(acks, id); });
  RC_ASSERT(got.value() == NaiveCommitted(Unique(in), Unique(out), acks));
}

RC_GTEST_PROP(MajorityConfig, TallyVotesMatchesNaive, ()) {
  const std::vector<NodeId> ids = GenVoters();
  const VoteTable votes = GenVotes();
  const MajorityConfig cfg(ids);
  const VoteResult got = cfg.TallyVotes([&](NodeId id) -> std::optional<bool> {
    if (votes[id.value()] < 0) return std::nullopt;
    return votes[id.value()] == 1;
  });
  RC_ASSERT(got == NaiveTally(Unique(ids), {}, votes));
}

RC_GTEST_PROP(JointConfig, TallyVotesMatchesNaive, ()) {
  const std::vector<NodeId> in = GenVoters();
  const std::vector<NodeId> out = GenVoters();
  const VoteTable votes = GenVotes();
  const JointConfig cfg{MajorityConfig(in), MajorityConfig(out)};
  const VoteResult got = cfg.TallyVotes([&](NodeId id) -> std::optional<bool> {
    if (votes[id.value()] < 0) return std::nullopt;
    return votes[id.value()] == 1;
  });
  RC_ASSERT(got == NaiveTally(Unique(in), Unique(out), votes));
}

RC_GTEST_PROP(JointConfig, IdsIsTheSortedUnion, ()) {
  const std::vector<NodeId> in = GenVoters();
  const std::vector<NodeId> out = GenVoters();
  const JointConfig cfg{MajorityConfig(in), MajorityConfig(out)};
  std::set<uint64_t> expected = Unique(in);
  const std::set<uint64_t> o = Unique(out);
  expected.insert(o.begin(), o.end());
  std::vector<NodeId> want;
  for (uint64_t id : expected) want.push_back(NodeId(id));
  RC_ASSERT(cfg.IDs() == want);
}

}  // namespace
}  // namespace raftsim::raft::quorum
