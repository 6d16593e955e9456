// sim/host_index.h — HostIndex: the simulator's 0-based position of a
// node host, kept apart from the core's raft::NodeId.
//
// The simulator keeps its hosts, their disks, PRNG streams and links in
// arrays indexed from 0; the Raft core names servers by NodeId, from n1 (n0
// is "none"). Host i runs NodeId i + 1. The two never meet as bare ints:
// every crossing goes through HostIndex::Of(NodeId) or HostIndex::id(), so
// an off-by-one between them cannot compile silently.
//
// kWorld stands where a host is expected for what no host owns: events of
// the world (faults, phases, clients between requests) in the event queue
// and the trace.
//
// Value type; thread-compatible.

#ifndef RAFTSIM_SIM_HOST_INDEX_H_
#define RAFTSIM_SIM_HOST_INDEX_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/strong_id.h"

namespace raftsim::sim {

class HostIndex {
 public:
  constexpr HostIndex() = default;
  constexpr explicit HostIndex(int value) : value_(value) {}

  // The host that runs `id`. REQUIRES: id != kNoNode.
  static constexpr HostIndex Of(NodeId id) {
    return HostIndex(static_cast<int>(id.value()) - 1);
  }

  // 0-based position.
  constexpr int value() const { return value_; }
  // The position as an array subscript.
  constexpr size_t slot() const { return static_cast<size_t>(value_); }
  // The NodeId the host runs.
  constexpr NodeId id() const {
    return NodeId(static_cast<uint64_t>(value_) + 1);
  }
  // Hosts are named by the node they run ("n3"), never by position.
  std::string Describe() const { return id().Describe(); }
  // True for kWorld.
  constexpr bool is_world() const { return value_ < 0; }

  friend constexpr bool operator==(HostIndex, HostIndex) = default;
  friend constexpr auto operator<=>(HostIndex, HostIndex) = default;

 private:
  int value_ = 0;
};

inline constexpr HostIndex kWorld{-1};

// The hosts 0..count-1, in order: `for (HostIndex h : Hosts(n))`.
class Hosts {
 public:
  class Iterator {
   public:
    constexpr explicit Iterator(int value) : value_(value) {}
    constexpr HostIndex operator*() const { return HostIndex(value_); }
    constexpr Iterator& operator++() {
      ++value_;
      return *this;
    }
    friend constexpr bool operator==(Iterator, Iterator) = default;

   private:
    int value_;
  };

  constexpr explicit Hosts(int count) : count_(count) {}
  constexpr Iterator begin() const { return Iterator(0); }
  constexpr Iterator end() const { return Iterator(count_); }

 private:
  int count_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_HOST_INDEX_H_
