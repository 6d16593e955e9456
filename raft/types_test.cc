// raft/types_test.cc — Payload, Role names and HardState::Describe.

#include "raft/types.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace raftsim::raft {
namespace {

TEST(Payload, EmptyByDefault) {
  Payload p;
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.size(), 0u);
  EXPECT_EQ(p.view(), "");
  EXPECT_EQ(Payload(""), Payload());
}

TEST(Payload, CopiesShareBytesAndCompareByValue) {
  Payload a(std::string("hello"));
  Payload b = a;
  EXPECT_EQ(a.view().data(), b.view().data());  // Shared, not copied.
  EXPECT_EQ(a, Payload(std::string("hello")));
  EXPECT_FALSE(a == Payload(std::string("hellO")));
  EXPECT_EQ(b.size(), 5u);
}

TEST(Role, NamesAreDistinctAndStable) {
  EXPECT_EQ(RoleName(Role::kFollower), "follower");
  EXPECT_EQ(RoleName(Role::kPreCandidate), "precandidate");
  EXPECT_EQ(RoleName(Role::kCandidate), "candidate");
  EXPECT_EQ(RoleName(Role::kLeader), "leader");
}

TEST(HardState, Describe) {
  HardState hs{.term = Term(3), .voted_for = NodeId(2), .commit = LogIndex(7)};
  EXPECT_EQ(hs.Describe(), "term=t3 vote=n2 commit=i7");
}

TEST(HardState, DescribeNoVote) {
  EXPECT_EQ(HardState{}.Describe(), "term=t0 vote=none commit=i0");
}

TEST(HardState, Equality) {
  HardState a{.term = Term(3), .voted_for = NodeId(2), .commit = LogIndex(7)};
  HardState b = a;
  EXPECT_EQ(a, b);
  b.commit = LogIndex(8);
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace raftsim::raft
