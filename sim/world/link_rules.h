// sim/world/link_rules.h — per-link fault rules: the scenario actions
// `drop a->b p`, `delay a->b d` and `duplicate a->b p` (scenarios/README.md).
//
// A rule belongs to one ordered link (from, to). Each kind is independent:
// setting a link's drop rule leaves its delay and duplicate rules alone, a
// later value replaces the earlier one, and zero removes it. Wildcards
// (`*->3`) are resolved by the caller into every link they match, so "the
// most recent rule for a link wins". The network consults the rules after
// the partition check (sim/world/network.h); Network::Heal() clears them.
//
// Randomness: a drop or duplicate rule below 1 (1e6 ppm) draws once per
// message from the network stream; a drop rule of exactly 1 drops without a
// draw, so `drop a->b 1` cuts a link exactly like a partition does (the
// shrinker relies on this to write arbitrary cut patterns as scenarios).
//
// Value type; thread-compatible.

#ifndef RAFTSIM_SIM_WORLD_LINK_RULES_H_
#define RAFTSIM_SIM_WORLD_LINK_RULES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/host_index.h"

namespace raftsim::sim {

struct LinkRule {
  int64_t drop_ppm = 0;  // Each message dropped with p = drop_ppm / 1e6.
  int64_t delay_us = 0;  // Added to each message's latency.
  int64_t dup_ppm = 0;   // Each delivered message doubled with this p.
};

class LinkRules {
 public:
  explicit LinkRules(int nodes)
      : nodes_(nodes), rules_(static_cast<size_t>(nodes * nodes)) {}

  // True once any rule was set since the last Clear() (a fast path: the
  // network skips the lookup entirely when false).
  bool any() const { return any_; }
  const LinkRule& Get(HostIndex from, HostIndex to) const {
    return rules_[Index(from, to)];
  }
  // REQUIRES: 0 <= from, to < nodes.
  LinkRule& Mutable(HostIndex from, HostIndex to) {
    any_ = true;
    return rules_[Index(from, to)];
  }
  void Clear() {
    if (!any_) return;
    rules_.assign(rules_.size(), LinkRule{});
    any_ = false;
  }

 private:
  size_t Index(HostIndex from, HostIndex to) const {
    return from.slot() * static_cast<size_t>(nodes_) + to.slot();
  }
  int nodes_;
  std::vector<LinkRule> rules_;  // [from * nodes + to].
  bool any_ = false;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_LINK_RULES_H_
