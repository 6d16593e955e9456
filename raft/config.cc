// raft/config.cc — Config::Validate() and Describe().

#include "raft/config.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace raftsim::raft {
namespace {

// The randomized election timeout is drawn from
// [election_timeout_ticks, 2 * election_timeout_ticks): the upper bound must
// not overflow.
constexpr int64_t kMaxElectionTimeoutTicks =
    std::numeric_limits<int64_t>::max() / 2;

std::string IdList(const std::vector<NodeId>& ids) {
  return absl::StrCat("(",
                      absl::StrJoin(ids, " ",
                                    [](std::string* out, NodeId id) {
                                      absl::StrAppend(out, id.Describe());
                                    }),
                      ")");
}

// Rejects node id 0 and duplicates in one membership list.
absl::Status ValidateIdList(const char* field, const std::vector<NodeId>& ids) {
  std::set<NodeId> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == kNoNode) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Config.", field, "[", i, "] (n0) must be a non-zero node id"));
    }
    if (!seen.insert(ids[i]).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Config.", field, " lists ", ids[i].Describe(), " more than once"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Config::Validate() const {
  if (id == kNoNode) {
    return absl::InvalidArgumentError(
        "Config.id (n0) must be a non-zero node id");
  }
  if (absl::Status s = ValidateIdList("voters", voters); !s.ok()) return s;
  if (absl::Status s = ValidateIdList("learners", learners); !s.ok()) return s;
  // Empty voters means the membership comes from a snapshot (a restarted or
  // joining node); learners alone would be a cluster that can elect no one.
  if (voters.empty() && !learners.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Config.learners ", IdList(learners),
                     " must be empty when Config.voters is empty"));
  }
  const std::set<NodeId> voter_set(voters.begin(), voters.end());
  for (NodeId learner : learners) {
    if (voter_set.count(learner) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Config: ", learner.Describe(),
                       " is listed in both voters and learners"));
    }
  }
  if (election_timeout_ticks < 1 ||
      election_timeout_ticks > kMaxElectionTimeoutTicks) {
    return absl::InvalidArgumentError(
        absl::StrCat("Config.election_timeout_ticks (", election_timeout_ticks,
                     ") must be in [1, ", kMaxElectionTimeoutTicks, "]"));
  }
  if (heartbeat_ticks < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Config.heartbeat_ticks (", heartbeat_ticks, ") must be at least 1"));
  }
  // Raft §5.2: followers must hear heartbeats well within the timeout.
  if (heartbeat_ticks >= election_timeout_ticks) {
    return absl::InvalidArgumentError(
        absl::StrCat("Config.heartbeat_ticks (", heartbeat_ticks,
                     ") must be less than election_timeout_ticks (",
                     election_timeout_ticks, ")"));
  }
  if (max_inflight_msgs == 0) {
    return absl::InvalidArgumentError(
        "Config.max_inflight_msgs (0) must be at least 1");
  }
  if (max_msg_bytes == 0) {
    return absl::InvalidArgumentError(
        "Config.max_msg_bytes (0) must be at least 1");
  }
  // A full-size AppendEntries must fit the inflight byte window, or a
  // follower could never be sent one (etcd checks the same).
  if (max_inflight_bytes != 0 && max_inflight_bytes < max_msg_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("Config.max_inflight_bytes (", max_inflight_bytes,
                     ") must be 0 (unlimited) or at least max_msg_bytes (",
                     max_msg_bytes, ")"));
  }
  if (max_committed_bytes_per_ready == 0) {
    return absl::InvalidArgumentError(
        "Config.max_committed_bytes_per_ready (0) must be at least 1");
  }
  if (max_clock_drift_ppm < 0 || max_clock_drift_ppm >= 1'000'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("Config.max_clock_drift_ppm (", max_clock_drift_ppm,
                     ") must be in [0, 1000000)"));
  }
  if (lease_read && !check_quorum) {
    return absl::InvalidArgumentError(
        "Config.lease_read needs Config.check_quorum: without it followers "
        "vote for a new leader while the old one's lease runs");
  }
  if (lease_read && LeaseTicks() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Config.lease_read: election_timeout_ticks (", election_timeout_ticks,
        ") and max_clock_drift_ppm (", max_clock_drift_ppm,
        ") leave a lease of 0 ticks; raise the timeout or lower the bound"));
  }
  return absl::OkStatus();
}

std::string Config::Describe() const {
  return absl::StrCat("id=", id.Describe(), " voters=", IdList(voters),
                      " learners=", IdList(learners),
                      " election_timeout_ticks=", election_timeout_ticks,
                      " heartbeat_ticks=", heartbeat_ticks,
                      " pre_vote=", pre_vote ? "true" : "false",
                      " check_quorum=", check_quorum ? "true" : "false",
                      " lease_read=", lease_read ? "true" : "false",
                      " max_clock_drift_ppm=", max_clock_drift_ppm,
                      " max_inflight_msgs=", max_inflight_msgs,
                      " max_inflight_bytes=", max_inflight_bytes,
                      " max_msg_bytes=", max_msg_bytes,
                      " max_uncommitted_bytes=", max_uncommitted_bytes,
                      " max_committed_bytes_per_ready=",
                      max_committed_bytes_per_ready, " seed=", seed);
}

int64_t Config::LeaseTicks() const {
  // A follower refuses votes until E of its ticks have passed since it
  // heard the heartbeat (the first may come at once: E - 1 full ticks),
  // on a clock up to d fast; the leader's ticks may be d slow, and a read
  // at tick N may happen just before tick N + 1. 128-bit: no overflow.
  if (election_timeout_ticks < 2 || max_clock_drift_ppm < 0 ||
      max_clock_drift_ppm >= 1'000'000) {
    return 0;
  }
  const __int128 e = election_timeout_ticks - 1;
  const __int128 d = max_clock_drift_ppm;
  return static_cast<int64_t>(e * (1'000'000 - d) / (1'000'000 + d));
}

}  // namespace raftsim::raft
