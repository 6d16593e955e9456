#include "gtest/gtest.h"
#include "raft/testing/cluster.h"
namespace raftsim::raft::testing {
TEST(Smoke, ElectAndReplicate) {
  Cluster c({});
  ASSERT_TRUE(c.Elect(NodeId(1)));
  std::vector<Payload> batch = {Payload("a"), Payload("b")};
  auto r = c.node(1).Propose(batch);
  ASSERT_TRUE(r.ok()) << r.status();
  c.Stabilize();
  for (NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).commit_index(), LogIndex(3)) << c.node(id).Describe();
  }
  EXPECT_EQ(c.applied(NodeId(1)).size(), 3u);
  c.Stabilize();
  for (NodeId id : c.ids()) EXPECT_EQ(c.applied(id).size(), 3u) << id;
}
}  // namespace raftsim::raft::testing
