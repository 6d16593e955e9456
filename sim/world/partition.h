// sim/world/partition.h — the shapes a network partition can take.
//
// A Connectivity says, for every ordered pair of nodes, whether messages
// from one reach the other. Partition shapes (all drawn from a Prng):
//   isolate     one node cut off from everyone, both directions;
//   split       a majority and a minority, cut both ways;
//   asymmetric  a random non-empty group whose messages to the rest are
//               dropped while the rest's messages still reach it;
//   bridge      two sides cut from each other, plus one bridge node that
//               talks to both (so it sees two "leaders");
//   links       every link independently cut (both directions) with
//               probability 1/2.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_SIM_WORLD_PARTITION_H_
#define RAFTSIM_SIM_WORLD_PARTITION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/prng.h"
#include "sim/host_index.h"

namespace raftsim::sim {

enum class PartitionKind : uint8_t {
  kIsolate,
  kSplit,
  kAsymmetric,
  kBridge,
  kLinks
};
inline constexpr int kPartitionKindCount = 5;
std::string_view PartitionKindName(PartitionKind kind);

class Connectivity {
 public:
  // Everyone reaches everyone.
  explicit Connectivity(int nodes)
      : nodes_(nodes), open_(static_cast<size_t>(nodes * nodes), true) {}

  int nodes() const { return nodes_; }
  bool Reaches(HostIndex from, HostIndex to) const {
    return open_[Index(from, to)];
  }
  void Cut(HostIndex from, HostIndex to) { open_[Index(from, to)] = false; }
  void CutBoth(HostIndex a, HostIndex b) {
    Cut(a, b);
    Cut(b, a);
  }
  bool FullyConnected() const;

  // "n1->n2 n2->n1 ..." listing the cut links, or "none".
  std::string DescribeCuts() const;

 private:
  size_t Index(HostIndex from, HostIndex to) const {
    return from.slot() * static_cast<size_t>(nodes_) + to.slot();
  }
  int nodes_;
  std::vector<bool> open_;
};

// A partition of `nodes` (>= 2) nodes of the given shape.
// `first`, when set, takes the place of the first node drawn: the isolated
// node, on the minority side of a split, in the cut-off group of an
// asymmetric partition, or the bridge.
Connectivity MakePartition(PartitionKind kind, int nodes, Prng& prng,
                           std::optional<HostIndex> first = std::nullopt);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_PARTITION_H_
