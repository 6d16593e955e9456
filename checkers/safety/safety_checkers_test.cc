// SafetyCheckers runs every checker in order and keeps going cheaply over
// a long, clean, growing log.

#include "checkers/safety/safety_checkers.h"

#include "checkers/safety/testing/fake_cluster.h"
#include "gtest/gtest.h"

namespace raftsim::checkers {
namespace {

using ::raftsim::checkers::testing::FakeCluster;

TEST(SafetyCheckers, NamesInOrder) {
  SafetyCheckers checkers;
  const std::vector<std::string_view> names = checkers.names();
  EXPECT_EQ(names, (std::vector<std::string_view>{
                       "election_safety", "log_matching", "configuration_chain",
                       "leader_completeness", "state_machine_safety",
                       "durability", "committed_stays_committed", "match_index",
                       "match_from_acks", "read_leadership", "lease_promise"}));
}

TEST(SafetyCheckers, LongCleanRunAndTheFirstViolationWins) {
  FakeCluster c(3);
  SafetyCheckers checkers;
  for (int id = 1; id <= 3; ++id) c.n(id).term_ = Term(1);
  c.n(1).role_ = raft::Role::kLeader;
  for (uint64_t i = 1; i <= 2000; ++i) {
    for (int id = 1; id <= 3; ++id) {
      c.n(id).Append(1, 1000 + i);
      c.n(id).changed_from = LogIndex(i);
      c.n(id).SyncAll();
      c.n(id).commit = LogIndex(i);
      c.n(id).applies = {{LogIndex(i), Term(1), 1000 + i}};
    }
    c.acked = {{1, i, 1000 + i}};
    ASSERT_TRUE(checkers.Observe(c.View()).empty()) << i;
    c.EndEvent();
  }
  // Two leaders of t1 and a lost entry at once: both reported, election
  // safety first.
  c.n(2).role_ = raft::Role::kLeader;
  c.n(3).durable_log.clear();
  c.n(2).durable_log.clear();
  const std::vector<Violation>& v = checkers.Observe(c.View());
  ASSERT_GE(v.size(), 2u);
  EXPECT_EQ(v.front().checker, "election_safety");
  EXPECT_EQ(v.back().checker, "committed_stays_committed");
}

}  // namespace
}  // namespace raftsim::checkers
