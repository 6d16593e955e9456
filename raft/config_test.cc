// raft/config_test.cc — Config::Validate names each bad field; Describe.

#include "raft/config.h"

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace raftsim::raft {
namespace {

Config Good() {
  Config c;
  c.id = NodeId(1);
  c.voters = {NodeId(1), NodeId(2), NodeId(3)};
  return c;
}

// Applies `mutate` to a good config and expects Validate to fail with
// InvalidArgument whose message contains `expected`.
void ExpectInvalid(const std::function<void(Config&)>& mutate,
                   const std::string& expected) {
  Config c = Good();
  mutate(c);
  absl::Status s = c.Validate();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(std::string(s.message()), expected);
}

TEST(Config, DefaultWithIdAndVotersIsValid) {
  EXPECT_TRUE(Good().Validate().ok()) << Good().Validate();
}

TEST(Config, EmptyVotersIsValidForRestartFromSnapshot) {
  Config c = Good();
  c.voters.clear();
  EXPECT_TRUE(c.Validate().ok());
}

TEST(Config, LearnersAndIdOutsideMembershipAreValid) {
  Config c = Good();
  c.learners = {NodeId(4), NodeId(5)};
  EXPECT_TRUE(c.Validate().ok());
  c.id = NodeId(9);  // A node about to be added.
  EXPECT_TRUE(c.Validate().ok());
}

TEST(Config, RejectsZeroId) {
  ExpectInvalid([](Config& c) { c.id = kNoNode; },
                "Config.id (n0) must be a non-zero node id");
}

TEST(Config, RejectsZeroInLists) {
  ExpectInvalid(
      [](Config& c) {
        c.voters = {NodeId(1), kNoNode};
      },
      "Config.voters[1] (n0) must be a non-zero node id");
  ExpectInvalid([](Config& c) { c.learners = {kNoNode}; },
                "Config.learners[0] (n0) must be a non-zero node id");
}

TEST(Config, RejectsDuplicates) {
  ExpectInvalid(
      [](Config& c) {
        c.voters = {NodeId(1), NodeId(2), NodeId(1)};
      },
      "Config.voters lists n1 more than once");
  ExpectInvalid(
      [](Config& c) {
        c.learners = {NodeId(4), NodeId(4)};
      },
      "Config.learners lists n4 more than once");
}

TEST(Config, RejectsVoterThatIsAlsoLearner) {
  ExpectInvalid(
      [](Config& c) {
        c.learners = {NodeId(4), NodeId(2)};
      },
      "Config: n2 is listed in both voters and learners");
}

TEST(Config, RejectsLearnersWithoutVoters) {
  ExpectInvalid(
      [](Config& c) {
        c.voters.clear();
        c.learners = {NodeId(4)};
      },
      "Config.learners (n4) must be empty when Config.voters is empty");
}

TEST(Config, RejectsBadElectionTimeout) {
  ExpectInvalid([](Config& c) { c.election_timeout_ticks = 0; },
                "Config.election_timeout_ticks (0) must be in [1, "
                "4611686018427387903]");
  ExpectInvalid([](Config& c) { c.election_timeout_ticks = -5; },
                "Config.election_timeout_ticks (-5) must be in [1, "
                "4611686018427387903]");
  // 2 * election_timeout_ticks must not overflow.
  ExpectInvalid(
      [](Config& c) { c.election_timeout_ticks = 4611686018427387904; },
      "Config.election_timeout_ticks (4611686018427387904) must be in [1, "
      "4611686018427387903]");
}

TEST(Config, RejectsBadHeartbeat) {
  ExpectInvalid([](Config& c) { c.heartbeat_ticks = 0; },
                "Config.heartbeat_ticks (0) must be at least 1");
  ExpectInvalid([](Config& c) { c.heartbeat_ticks = 10; },
                "Config.heartbeat_ticks (10) must be less than "
                "election_timeout_ticks (10)");
  ExpectInvalid(
      [](Config& c) {
        c.election_timeout_ticks = 3;
        c.heartbeat_ticks = 7;
      },
      "Config.heartbeat_ticks (7) must be less than election_timeout_ticks "
      "(3)");
}

TEST(Config, RejectsZeroLimits) {
  ExpectInvalid([](Config& c) { c.max_inflight_msgs = 0; },
                "Config.max_inflight_msgs (0) must be at least 1");
  ExpectInvalid([](Config& c) { c.max_msg_bytes = 0; },
                "Config.max_msg_bytes (0) must be at least 1");
  ExpectInvalid([](Config& c) { c.max_committed_bytes_per_ready = 0; },
                "Config.max_committed_bytes_per_ready (0) must be at least 1");
}

TEST(Config, InflightBytesMustHoldOneMessage) {
  ExpectInvalid(
      [](Config& c) {
        c.max_msg_bytes = 1000;
        c.max_inflight_bytes = 999;
      },
      "Config.max_inflight_bytes (999) must be 0 (unlimited) or at least "
      "max_msg_bytes (1000)");
  Config c = Good();
  c.max_msg_bytes = 1000;
  c.max_inflight_bytes = 1000;
  EXPECT_TRUE(c.Validate().ok());
}

TEST(Config, LeaseReads) {
  Config c = Good();
  c.lease_read = true;
  EXPECT_TRUE(c.Validate().ok());
  // E = 10, d = 1%: floor(9 * 0.99 / 1.01) = 8 ticks; no drift: 9.
  EXPECT_EQ(c.LeaseTicks(), 8);
  c.max_clock_drift_ppm = 0;
  EXPECT_EQ(c.LeaseTicks(), 9);
  c.max_clock_drift_ppm = 500'000;  // 9 * 0.5 / 1.5 = 3.
  EXPECT_EQ(c.LeaseTicks(), 3);
  c.max_clock_drift_ppm = 1'000'000;
  EXPECT_NE(c.Validate().message().find("max_clock_drift_ppm"),
            std::string::npos);
  c.max_clock_drift_ppm = 900'000;  // 9 * 0.1 / 1.9 = 0: no lease.
  EXPECT_NE(c.Validate().message().find("lease of 0 ticks"), std::string::npos);
  c.max_clock_drift_ppm = 10'000;
  c.check_quorum = false;
  EXPECT_NE(c.Validate().message().find("needs Config.check_quorum"),
            std::string::npos);
  c.lease_read = false;
  EXPECT_TRUE(c.Validate().ok());
}

TEST(Config, Describe) {
  Config c = Good();
  c.learners = {NodeId(4)};
  c.seed = 42;
  EXPECT_EQ(c.Describe(),
            "id=n1 voters=(n1 n2 n3) learners=(n4) election_timeout_ticks=10 "
            "heartbeat_ticks=1 pre_vote=true check_quorum=true "
            "lease_read=false max_clock_drift_ppm=10000 "
            "max_inflight_msgs=256 max_inflight_bytes=0 max_msg_bytes=1048576 "
            "max_uncommitted_bytes=0 max_committed_bytes_per_ready=8388608 "
            "seed=42");
}

}  // namespace
}  // namespace raftsim::raft
