// raft/tracker/tracker.cc — configuration, progress map, votes.

#include "raft/tracker/tracker.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::tracker {
namespace {

bool SortedUnique(absl::Span<const NodeId> ids) {
  return std::adjacent_find(ids.begin(), ids.end(), [](NodeId a, NodeId b) {
           return a >= b;
         }) == ids.end();
}

void SortUnique(std::vector<NodeId>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

std::string DescribeIds(absl::Span<const NodeId> ids) {
  std::string out = "(";
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : " ", ids[i].Describe());
  }
  out += ")";
  return out;
}

}  // namespace

absl::Status Config::Validate() const {
  for (NodeId id : voters.IDs()) {
    if (id == kNoNode) return absl::InvalidArgumentError("voter n0");
  }
  if (!SortedUnique(learners) || !SortedUnique(learners_next)) {
    return absl::InvalidArgumentError("learners must be sorted and unique: " +
                                      Describe());
  }
  for (NodeId id : learners) {
    if (id == kNoNode) return absl::InvalidArgumentError("learner n0");
    if (voters.Contains(id)) {
      return absl::InvalidArgumentError(absl::StrCat(
          id.Describe(), " is both voter and learner: ", Describe()));
    }
  }
  if (!voters.IsJoint() && !learners_next.empty()) {
    return absl::InvalidArgumentError("learners_next outside a joint config: " +
                                      Describe());
  }
  for (NodeId id : learners_next) {
    if (!voters.outgoing.Contains(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("learners_next ", id.Describe(),
                       " is not an outgoing voter: ", Describe()));
    }
  }
  if (!voters.IsJoint() && auto_leave) {
    return absl::InvalidArgumentError("auto_leave outside a joint config: " +
                                      Describe());
  }
  return absl::OkStatus();
}

void Config::Normalize() {
  SortUnique(learners);
  SortUnique(learners_next);
}

std::string Config::Describe() const {
  std::string out = "voters=" + voters.Describe();
  if (!learners.empty())
    absl::StrAppend(&out, " learners=", DescribeIds(learners));
  if (!learners_next.empty()) {
    absl::StrAppend(&out, " learners_next=", DescribeIds(learners_next));
  }
  if (auto_leave) out += " autoleave";
  return out;
}

std::string VoteTally::Describe() const {
  return absl::StrCat("granted=", granted, " rejected=", rejected, " ",
                      std::string(quorum::Describe(result)));
}

ProgressTracker::ProgressTracker(size_t max_inflight,
                                 uint64_t max_inflight_bytes)
    : max_inflight_(max_inflight), max_inflight_bytes_(max_inflight_bytes) {
  CHECK_GT(max_inflight, 0u);
}

void ProgressTracker::ApplyConfig(const Config& config, LogIndex last_index) {
  const absl::Status valid = config.Validate();
  CHECK(valid.ok()) << valid.ToString();
  // Members: the sorted union of voters and learners (disjoint).
  std::vector<NodeId> members = config.voters.IDs();
  members.insert(members.end(), config.learners.begin(), config.learners.end());
  std::sort(members.begin(), members.end());

  std::vector<std::pair<NodeId, Progress>> next;
  next.reserve(members.size());
  for (NodeId id : members) {
    const bool learner =
        std::binary_search(config.learners.begin(), config.learners.end(), id);
    if (Progress* existing = Get(id)) {
      next.emplace_back(id, std::move(*existing));
      next.back().second.set_is_learner(learner);
    } else {
      Progress fresh(LogIndex(0), last_index + 1, max_inflight_,
                     max_inflight_bytes_, learner);
      fresh.set_recent_active(true);
      next.emplace_back(id, std::move(fresh));
    }
  }
  progress_ = std::move(next);
  config_ = config;
  CheckInvariants();
}

void ProgressTracker::ResetProgress(LogIndex last_index) {
  for (auto& [id, pr] : progress_) {
    pr.Reset(last_index + 1);
  }
}

Progress* ProgressTracker::Get(NodeId id) {
  // A forward scan: clusters are small (a handful of members), where it
  // beats binary search's unpredictable branches; sorted, so stop early.
  for (auto& [member, pr] : progress_) {
    if (member == id) return &pr;
    if (member > id) break;
  }
  return nullptr;
}

const Progress* ProgressTracker::Get(NodeId id) const {
  return const_cast<ProgressTracker*>(this)->Get(id);
}

void ProgressTracker::VisitSorted(
    absl::FunctionRef<void(NodeId, Progress&)> fn) {
  for (auto& [id, pr] : progress_) fn(id, pr);
}

void ProgressTracker::VisitSorted(
    absl::FunctionRef<void(NodeId, const Progress&)> fn) const {
  for (const auto& [id, pr] : progress_) fn(id, pr);
}

LogIndex ProgressTracker::Committed() const {
  return config_.voters.CommittedIndex(
      [this](NodeId id) -> std::optional<LogIndex> {
        const Progress* pr = Get(id);
        if (pr == nullptr) return std::nullopt;
        return pr->match();
      });
}

bool ProgressTracker::QuorumActive() const {
  const quorum::VoteResult result =
      config_.voters.TallyVotes([this](NodeId id) -> std::optional<bool> {
        const Progress* pr = Get(id);
        if (pr == nullptr) return std::nullopt;
        return pr->recent_active();
      });
  return result == quorum::VoteResult::kWon;
}

void ProgressTracker::RecordVote(NodeId id, bool granted) {
  auto it = std::lower_bound(
      votes_.begin(), votes_.end(), id,
      [](const std::pair<NodeId, bool>& e, NodeId k) { return e.first < k; });
  if (it != votes_.end() && it->first == id) return;
  votes_.insert(it, {id, granted});
}

void ProgressTracker::ResetVotes() { votes_.clear(); }

VoteTally ProgressTracker::TallyVotes() const {
  auto vote = [this](NodeId id) -> std::optional<bool> {
    auto it = std::lower_bound(
        votes_.begin(), votes_.end(), id,
        [](const std::pair<NodeId, bool>& e, NodeId k) { return e.first < k; });
    if (it == votes_.end() || it->first != id) return std::nullopt;
    return it->second;
  };
  VoteTally tally;
  // Votes from members no longer voting (or never) are informational noise;
  // count only current voters.
  for (const auto& [id, granted] : votes_) {
    if (!config_.voters.Contains(id)) continue;
    if (granted) {
      ++tally.granted;
    } else {
      ++tally.rejected;
    }
  }
  tally.result = config_.voters.TallyVotes(vote);
  return tally;
}

bool ProgressTracker::IsSingleton() const {
  return config_.voters.incoming.size() == 1 && !config_.voters.IsJoint();
}

void ProgressTracker::CheckInvariants() const {
  std::vector<NodeId> members = config_.voters.IDs();
  members.insert(members.end(), config_.learners.begin(),
                 config_.learners.end());
  std::sort(members.begin(), members.end());
  CHECK_EQ(members.size(), progress_.size()) << Describe();
  for (size_t i = 0; i < members.size(); ++i) {
    const auto& [id, pr] = progress_[i];
    CHECK_EQ(id, members[i]) << Describe();
    const bool learner = std::binary_search(config_.learners.begin(),
                                            config_.learners.end(), id);
    CHECK_EQ(pr.is_learner(), learner) << id;
    pr.CheckInvariants();
  }
}

std::string ProgressTracker::Describe() const {
  std::string out = config_.Describe();
  for (const auto& [id, pr] : progress_) {
    absl::StrAppend(&out, " ", id.Describe(), ":[", pr.Describe(), "]");
  }
  return out;
}

}  // namespace raftsim::raft::tracker
