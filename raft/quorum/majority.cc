// raft/quorum/majority.cc — MajorityConfig arithmetic.

#include "raft/quorum/majority.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::raft::quorum {
namespace {

// Above this many voters insertion sort stops paying off.
constexpr size_t kInsertionSortMax = 16;

// Sorts ascending. Clusters are tiny (3, 5, 7 voters), where insertion sort
// beats std::sort's dispatch; larger sets fall back to std::sort.
void SortSmall(absl::Span<LogIndex> v) {
  if (v.size() > kInsertionSortMax) {
    std::sort(v.begin(), v.end());
    return;
  }
  for (size_t i = 1; i < v.size(); ++i) {
    const LogIndex x = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

}  // namespace

MajorityConfig::MajorityConfig(absl::Span<const NodeId> voters)
    : voters_(voters.begin(), voters.end()) {
  for (NodeId id : voters_) CHECK_NE(id, kNoNode);
  std::sort(voters_.begin(), voters_.end());
  voters_.erase(std::unique(voters_.begin(), voters_.end()), voters_.end());
}

MajorityConfig::MajorityConfig(std::initializer_list<NodeId> voters)
    : MajorityConfig(absl::MakeConstSpan(voters.begin(), voters.size())) {}

bool MajorityConfig::Contains(NodeId id) const {
  return std::binary_search(voters_.begin(), voters_.end(), id);
}

bool MajorityConfig::Insert(NodeId id) {
  CHECK_NE(id, kNoNode);
  auto it = std::lower_bound(voters_.begin(), voters_.end(), id);
  if (it != voters_.end() && *it == id) return false;
  voters_.insert(it, id);
  return true;
}

bool MajorityConfig::Erase(NodeId id) {
  auto it = std::lower_bound(voters_.begin(), voters_.end(), id);
  if (it == voters_.end() || *it != id) return false;
  voters_.erase(it);
  return true;
}

LogIndex MajorityConfig::CommittedIndex(AckedIndexFn acked) const {
  const size_t n = voters_.size();
  if (n == 0) return kInfiniteIndex;
  // On the stack for n <= kInlineVoters: this runs after every append ack.
  absl::InlinedVector<LogIndex, kInlineVoters> indexes(n);
  for (size_t i = 0; i < n; ++i) {
    indexes[i] = acked(voters_[i]).value_or(LogIndex(0));
  }
  SortSmall(absl::MakeSpan(indexes));
  // Ascending order: the majority quorum q = n/2 + 1 voters at positions
  // [n - q, n) all acknowledged at least indexes[n - q], and no index above
  // it is acknowledged by q voters.
  const size_t quorum = n / 2 + 1;
  return indexes[n - quorum];
}

VoteResult MajorityConfig::TallyVotes(VoteFn votes) const {
  const size_t n = voters_.size();
  if (n == 0) return VoteResult::kWon;
  size_t granted = 0;
  size_t missing = 0;
  for (NodeId id : voters_) {
    const std::optional<bool> vote = votes(id);
    if (!vote.has_value()) {
      ++missing;
    } else if (*vote) {
      ++granted;
    }
  }
  const size_t quorum = n / 2 + 1;
  if (granted >= quorum) return VoteResult::kWon;
  if (granted + missing >= quorum) return VoteResult::kPending;
  return VoteResult::kLost;
}

std::string MajorityConfig::Describe() const {
  std::string out = "(";
  for (size_t i = 0; i < voters_.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : " ", voters_[i].Describe());
  }
  out += ")";
  return out;
}

}  // namespace raftsim::raft::quorum
