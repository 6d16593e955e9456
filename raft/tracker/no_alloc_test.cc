// raft/tracker/no_alloc_test.cc — the leader's hot path performs no heap
// allocation: recomputing the commit index, CheckQuorum, vote tallies, and
// the steady-state window bookkeeping of Progress (no allocation
// per entry on the steady path). Counts calls to the global operator new,
// which this test binary replaces.

#include <cstddef>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "raft/quorum/joint.h"
#include "raft/quorum/majority.h"
#include "raft/tracker/tracker.h"

namespace {
size_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace raftsim::raft::tracker {
namespace {

NodeId N(uint64_t id) { return NodeId(id); }

Config Voters(std::initializer_list<uint64_t> in,
              std::initializer_list<uint64_t> out = {}) {
  Config c;
  for (uint64_t v : in) c.voters.incoming.Insert(N(v));
  for (uint64_t v : out) c.voters.outgoing.Insert(N(v));
  return c;
}

TEST(NoAlloc, CommittedQuorumActiveAndVotes) {
  for (const Config& config : {Voters({1, 2, 3}), Voters({1, 2, 3, 4, 5, 6, 7}),
                               Voters({1, 2, 3}, {2, 3, 4, 5, 6})}) {
    ProgressTracker t(8, 0);
    t.ApplyConfig(config, LogIndex(0));
    t.RecordVote(N(1), true);
    const size_t before = g_allocations;
    uint64_t sink = 0;
    for (uint64_t round = 1; round <= 100; ++round) {
      t.VisitSorted([&](NodeId id, Progress& pr) {
        pr.MaybeUpdate(LogIndex(round * 10 + id.value()));
      });
      sink += t.Committed().value();
      sink += t.QuorumActive() ? 1 : 0;
      sink += t.TallyVotes().granted;
    }
    EXPECT_EQ(g_allocations, before) << config.Describe();
    EXPECT_GT(sink, 0u);
  }
}

TEST(NoAlloc, SteadyStateReplication) {
  Progress pr(LogIndex(0), LogIndex(1), 16, 1 << 20);
  pr.BecomeReplicate();
  // Warm up: the window's ring grows to its full size once.
  for (int i = 0; i < 16; ++i) pr.SentEntries(100, 1600);
  pr.MaybeUpdate(pr.next() - 1);
  const size_t before = g_allocations;
  for (int round = 0; round < 10000; ++round) {
    pr.SentEntries(100, 1600);
    pr.SentCommit(pr.match());
    if (round % 4 == 3) pr.MaybeUpdate(pr.next() - 1);
  }
  EXPECT_EQ(g_allocations, before);
}

}  // namespace
}  // namespace raftsim::raft::tracker
