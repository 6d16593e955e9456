// checkers/liveness/liveness.cc — see liveness.h.

#include "checkers/liveness/liveness.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

std::optional<std::string> WhyNotLive(absl::Span<const LivenessNode> nodes,
                                      int64_t pending_operations) {
  const LivenessNode* leader = nullptr;
  size_t leader_id = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const LivenessNode& n = nodes[i];
    if (!n.member) continue;
    if (!n.up) return absl::StrCat("n", i + 1, " is down");
    if (n.paused) return absl::StrCat("n", i + 1, " is paused");
    if (n.role == raft::Role::kLeader &&
        (leader == nullptr || n.term > leader->term)) {
      leader = &n;
      leader_id = i + 1;
    }
  }
  if (leader == nullptr) return std::string("no leader");
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].member) continue;
    if (nodes[i].term > leader->term) {
      return absl::StrCat("leader n", leader_id, " of ",
                          leader->term.Describe(), " is stale: n", i + 1,
                          " is at ", nodes[i].term.Describe());
    }
    // A campaign that began in the fault phase (say, while the leader was
    // paused) may still legitimately depose the leader: not settled yet.
    if (nodes[i].role == raft::Role::kCandidate ||
        nodes[i].role == raft::Role::kPreCandidate) {
      return absl::StrCat("n", i + 1, " campaigns (",
                          nodes[i].role == raft::Role::kCandidate
                              ? "candidate"
                              : "pre-candidate",
                          " at ", nodes[i].term.Describe(), ")");
    }
  }
  if (pending_operations > 0) {
    return absl::StrCat(pending_operations, " client operations pending");
  }
  if (leader->joint) {
    return absl::StrCat("leader n", leader_id,
                        " is in a joint configuration (set by ",
                        leader->config_index.Describe(), ")");
  }
  if (leader->config_index > leader->commit) {
    return absl::StrCat("leader n", leader_id, "'s configuration change at ",
                        leader->config_index.Describe(),
                        " is not committed (commit ", leader->commit.Describe(),
                        ")");
  }
  const LogIndex target = leader->last;
  if (leader->commit != target) {
    return absl::StrCat("leader n", leader_id, " committed ",
                        leader->commit.Describe(), " of ", target.Describe());
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const LivenessNode& n = nodes[i];
    if (!n.member) continue;
    if (n.commit != target) {
      return absl::StrCat("n", i + 1, " committed ", n.commit.Describe(),
                          " of ", target.Describe());
    }
    if (n.applied != target) {
      return absl::StrCat("n", i + 1, " applied ", n.applied.Describe(), " of ",
                          target.Describe());
    }
  }
  return std::nullopt;
}

std::optional<size_t> LeaderOf(absl::Span<const LivenessNode> nodes) {
  std::optional<size_t> leader;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].up && nodes[i].member &&
        nodes[i].role == raft::Role::kLeader &&
        (!leader.has_value() || nodes[i].term > nodes[*leader].term)) {
      leader = i;
    }
  }
  return leader;
}

std::optional<std::string> WhyNotStable(absl::Span<const LivenessNode> nodes,
                                        Term term, size_t leader) {
  const std::string under =
      absl::StrCat(" under the leader n", leader + 1, " of ", term.Describe());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const LivenessNode& n = nodes[i];
    if (!n.member) continue;
    if (!n.up) return absl::StrCat("n", i + 1, " is down", under);
    if (n.role == raft::Role::kCandidate ||
        n.role == raft::Role::kPreCandidate) {
      return absl::StrCat(
          "n", i + 1, " campaigns (",
          n.role == raft::Role::kCandidate ? "candidate" : "pre-candidate",
          " at ", n.term.Describe(), ")", under);
    }
    if (n.term != term) {
      return absl::StrCat("n", i + 1, " moved to ", n.term.Describe(), under);
    }
  }
  if (leader >= nodes.size() || nodes[leader].role != raft::Role::kLeader) {
    return absl::StrCat("n", leader + 1, " stopped leading", under);
  }
  return std::nullopt;
}

}  // namespace raftsim::checkers
