// sim/world/partition.cc — see partition.h.

#include "sim/world/partition.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace raftsim::sim {

std::string_view PartitionKindName(PartitionKind kind) {
  switch (kind) {
    case PartitionKind::kIsolate:
      return "isolate";
    case PartitionKind::kSplit:
      return "split";
    case PartitionKind::kAsymmetric:
      return "asymmetric";
    case PartitionKind::kBridge:
      return "bridge";
    case PartitionKind::kLinks:
      return "links";
  }
  return "unknown";
}

bool Connectivity::FullyConnected() const {
  for (bool open : open_) {
    if (!open) return false;
  }
  return true;
}

std::string Connectivity::DescribeCuts() const {
  std::string out;
  for (HostIndex from : Hosts(nodes_)) {
    for (HostIndex to : Hosts(nodes_)) {
      if (from == to || Reaches(from, to)) continue;
      absl::StrAppend(&out, out.empty() ? "" : " ", from.Describe(), "->",
                      to.Describe());
    }
  }
  return out.empty() ? "none" : out;
}

Connectivity MakePartition(PartitionKind kind, int nodes, Prng& prng,
                           std::optional<HostIndex> first) {
  CHECK_GE(nodes, 2);
  Connectivity c(nodes);
  std::vector<int> order(static_cast<size_t>(nodes));
  std::iota(order.begin(), order.end(), 0);
  prng.Shuffle(order.begin(), order.end());
  if (first.has_value()) {
    std::iter_swap(order.begin(), std::find(order.begin(), order.end(),
                                            static_cast<int>(first->slot())));
  }
  // side[i]: which side node i is on (0 or 1); -1 for a bridge.
  std::vector<int> side(static_cast<size_t>(nodes), 0);
  auto cut_sides = [&](bool both_ways) {
    for (int a = 0; a < nodes; ++a) {
      for (int b = 0; b < nodes; ++b) {
        if (side[a] == 1 && side[b] == 0) {
          c.Cut(HostIndex(a), HostIndex(b));
          if (both_ways) c.Cut(HostIndex(b), HostIndex(a));
        }
      }
    }
  };
  switch (kind) {
    case PartitionKind::kIsolate:
      side[order[0]] = 1;
      cut_sides(true);
      break;
    case PartitionKind::kSplit:
      for (int i = 0; i < (nodes - 1) / 2; ++i) side[order[i]] = 1;
      if ((nodes - 1) / 2 == 0) side[order[0]] = 1;
      cut_sides(true);
      break;
    case PartitionKind::kAsymmetric: {
      const int group = static_cast<int>(prng.Range(1, nodes - 1));
      for (int i = 0; i < group; ++i) side[order[i]] = 1;
      cut_sides(false);  // Group -> rest dropped; rest -> group delivered.
      break;
    }
    case PartitionKind::kBridge: {
      side[order[0]] = -1;
      const int rest = nodes - 1;
      const int one = rest >= 2 ? static_cast<int>(prng.Range(1, rest - 1)) : 0;
      for (int i = 1; i <= one; ++i) side[order[i]] = 1;
      cut_sides(true);  // The bridge (-1) is on neither side: never cut.
      break;
    }
    case PartitionKind::kLinks:
      for (int a = 0; a < nodes; ++a) {
        for (int b = a + 1; b < nodes; ++b) {
          if (prng.Ratio(1, 2)) c.CutBoth(HostIndex(a), HostIndex(b));
        }
      }
      break;
  }
  return c;
}

}  // namespace raftsim::sim
