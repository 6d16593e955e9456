// base/strong_id_test.cc — tests for base/strong_id.h: the arithmetic that is
// allowed, ordering, the Describe() format and hashing. What must *not*
// compile is pinned by base/compile_fail_test.sh.

#include "base/strong_id.h"

#include <cstdint>
#include <functional>
#include <sstream>
#include <unordered_set>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "gtest/gtest.h"

namespace raftsim {
namespace {

TEST(StrongId, DefaultsToZero) {
  EXPECT_EQ(Term().value(), 0u);
  EXPECT_EQ(LogIndex().value(), 0u);
  EXPECT_EQ(NodeId().value(), 0u);
  EXPECT_EQ(NodeId(), kNoNode);
}

TEST(StrongId, NextTermIsOneMore) {
  EXPECT_EQ(Next(Term(0)), Term(1));
  EXPECT_EQ(Next(Term(7)), Term(8));
  static_assert(Next(Term(3)) == Term(4), "Next is constexpr");
}

TEST(StrongId, IndexPlusAndMinusCount) {
  EXPECT_EQ(LogIndex(5) + 3, LogIndex(8));
  EXPECT_EQ(LogIndex(5) - 2, LogIndex(3));
  EXPECT_EQ(LogIndex(0) + 0, LogIndex(0));
  static_assert(LogIndex(1) + 1 == LogIndex(2), "operator+ is constexpr");
}

TEST(StrongId, IndexDifferenceIsACount) {
  const uint64_t count = LogIndex(10) - LogIndex(4);
  EXPECT_EQ(count, 6u);
  EXPECT_EQ(LogIndex(4) - LogIndex(4), 0u);
}

TEST(StrongId, IndexIncrementInPlace) {
  LogIndex i(1);
  i += 4;
  EXPECT_EQ(i, LogIndex(5));
  EXPECT_EQ(++i, LogIndex(6));
  EXPECT_EQ(i, LogIndex(6));
}

TEST(StrongId, ComparesByValue) {
  EXPECT_LT(Term(1), Term(2));
  EXPECT_LE(Term(2), Term(2));
  EXPECT_GT(LogIndex(9), LogIndex(3));
  EXPECT_GE(NodeId(3), NodeId(3));
  EXPECT_NE(NodeId(1), NodeId(2));
  EXPECT_EQ(Term(4), Term(4));
  EXPECT_TRUE((Term(1) <=> Term(2)) < 0);
}

TEST(StrongId, DescribeUsesTagPrefix) {
  EXPECT_EQ(Term(7).Describe(), "t7");
  EXPECT_EQ(LogIndex(42).Describe(), "i42");
  EXPECT_EQ(NodeId(3).Describe(), "n3");
  EXPECT_EQ(Term(0).Describe(), "t0");
  EXPECT_EQ(LogIndex(UINT64_MAX).Describe(), "i18446744073709551615");
}

TEST(StrongId, StreamsLikeDescribe) {
  std::ostringstream os;
  os << Term(7) << " " << LogIndex(42) << " " << NodeId(3);
  EXPECT_EQ(os.str(), "t7 i42 n3");
}

TEST(StrongId, AbslHashDistinguishesValues) {
  absl::flat_hash_set<NodeId> nodes = {NodeId(1), NodeId(2), NodeId(1)};
  EXPECT_EQ(nodes.size(), 2u);
  EXPECT_TRUE(nodes.contains(NodeId(2)));
  EXPECT_FALSE(nodes.contains(NodeId(3)));
  EXPECT_EQ(absl::Hash<Term>()(Term(5)), absl::Hash<Term>()(Term(5)));
  EXPECT_NE(absl::Hash<Term>()(Term(5)), absl::Hash<Term>()(Term(6)));
}

TEST(StrongId, StdHashMatchesUnderlyingValue) {
  std::unordered_set<LogIndex> indexes = {LogIndex(1), LogIndex(1),
                                          LogIndex(2)};
  EXPECT_EQ(indexes.size(), 2u);
  EXPECT_EQ(std::hash<LogIndex>()(LogIndex(9)), std::hash<uint64_t>()(9));
}

}  // namespace
}  // namespace raftsim
