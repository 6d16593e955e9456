// raft/server/metrics.cc — histograms and the one-line descriptions.

#include "raft/server/metrics.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/str_cat.h"

namespace raftsim::raft {

void Histogram::Observe(int64_t value) {
  // First bound >= value; the overflow bucket when none.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  ++counts_[static_cast<size_t>(it - bounds_.begin())];
  ++count_;
  sum_ += value;
}

int64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  const double want = q * static_cast<double>(count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    seen += counts_[i];
    if (static_cast<double>(seen) >= want) return bounds_[i];
  }
  return bounds_.back();
}

absl::Span<const int64_t> LatencyBucketsUs() {
  static constexpr std::array<int64_t, 16> kBounds = {
      100,     250,     500,       1'000,     2'500,   5'000,
      10'000,  25'000,  50'000,    100'000,   250'000, 500'000,
      1000000, 2500000, 5'000'000, 10'000'000};
  return kBounds;
}

absl::Span<const int64_t> SizeBuckets() {
  static constexpr std::array<int64_t, 13> kBounds = {
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
  return kBounds;
}

std::string_view PeerStateName(PeerState state) {
  switch (state) {
    case PeerState::kProbe:
      return "probe";
    case PeerState::kReplicate:
      return "replicate";
    case PeerState::kSnapshot:
      return "snapshot";
  }
  return "?";
}

std::string_view EventKindName(ServerEvent::Kind kind) {
  switch (kind) {
    case ServerEvent::Kind::kRole:
      return "role";
    case ServerEvent::Kind::kLeader:
      return "leader";
    case ServerEvent::Kind::kTerm:
      return "term";
    case ServerEvent::Kind::kMembership:
      return "membership";
    case ServerEvent::Kind::kError:
      return "error";
  }
  return "?";
}

std::string ServerEvent::Describe() const {
  return absl::StrCat(node.Describe(), " ", std::string(EventKindName(kind)),
                      " ", soft.Describe(), ": ", reason);
}

}  // namespace raftsim::raft
