// sim/scenario/shrink.cc — see shrink.h. Single-threaded.

#include "sim/scenario/shrink.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"

namespace raftsim::sim {

std::string FailureClass::Describe() const {
  return checker.empty() ? kind : absl::StrCat(kind, " (", checker, ")");
}

namespace {

// The shortest healed phase shrinking leaves (see Shrink).
constexpr int64_t kMinHealPhaseUs = 1'000'000;

// Removes `node` from a set and renumbers; returns the new set.
NodeSet Remap(const NodeSet& set, int node) {
  NodeSet out;
  for (NodeId id : set) {
    const int v = static_cast<int>(id.value());
    if (v == node) continue;
    out.push_back(NodeId(static_cast<uint64_t>(v > node ? v - 1 : v)));
  }
  return out;
}

// The node id after removing `node`; nullopt if it is `node` (kNoNode, the
// wildcard, stays).
std::optional<NodeId> RemapId(NodeId id, int node) {
  if (id == kNoNode) return id;
  const int v = static_cast<int>(id.value());
  if (v == node) return std::nullopt;
  return NodeId(static_cast<uint64_t>(v > node ? v - 1 : v));
}

// `via` without `node` into *out; false when `via` is `node`.
bool RemapVia(const std::optional<NodeId>& via, int node,
              std::optional<NodeId>* out) {
  out->reset();
  if (!via.has_value()) return true;
  *out = RemapId(*via, node);
  return out->has_value();
}

// `action` in the cluster without `node`, or nullopt to drop it.
std::optional<Action> RemapAction(const Action& action, int node) {
  return std::visit(
      [&](const auto& a) -> std::optional<Action> {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, Partition>) {
          Partition p;
          for (const NodeSet& g : a.groups) {
            NodeSet r = Remap(g, node);
            if (!r.empty()) p.groups.push_back(std::move(r));
          }
          if (p.groups.size() < 2) return std::nullopt;
          return p;
        } else if constexpr (std::is_same_v<T, PartitionOneWay>) {
          PartitionOneWay p{Remap(a.from, node), Remap(a.to, node)};
          if (p.from.empty() || p.to.empty()) return std::nullopt;
          return p;
        } else if constexpr (std::is_same_v<T, Bridge>) {
          NodeSet left = Remap(a.left, node), right = Remap(a.right, node);
          if (left.empty() || right.empty()) return std::nullopt;
          std::optional<NodeId> bridge = RemapId(a.bridge, node);
          if (!bridge.has_value()) {
            return Partition{{std::move(left), std::move(right)}};
          }
          return Bridge{*bridge, std::move(left), std::move(right)};
        } else if constexpr (std::is_same_v<T, Heal> ||
                             std::is_same_v<T, ClientOp>) {
          return a;
        } else if constexpr (std::is_same_v<T, Drop> ||
                             std::is_same_v<T, Delay> ||
                             std::is_same_v<T, Duplicate> ||
                             std::is_same_v<T, Clog>) {
          std::optional<NodeId> from = RemapId(a.link.from, node);
          std::optional<NodeId> to = RemapId(a.link.to, node);
          if (!from.has_value() || !to.has_value()) return std::nullopt;
          T out = a;
          out.link = {*from, *to};
          return out;
        } else if constexpr (std::is_same_v<T, ChangeMembership>) {
          // A change of the removed node goes; the request goes with its
          // last change or its `via`.
          ChangeMembership out = a;
          out.changes.clear();
          for (const MemberChange& c : a.changes) {
            std::optional<NodeId> id = RemapId(c.node, node);
            if (id.has_value()) out.changes.push_back({c.op, *id});
          }
          if (out.changes.empty()) return std::nullopt;
          if (!RemapVia(a.via, node, &out.via)) return std::nullopt;
          return out;
        } else if constexpr (std::is_same_v<T, LeaveJoint>) {
          LeaveJoint out;
          if (!RemapVia(a.via, node, &out.via)) return std::nullopt;
          return out;
        } else if constexpr (std::is_same_v<T, TransferLeader>) {
          TransferLeader out;
          std::optional<NodeId> target = RemapId(a.target, node);
          if (!target.has_value()) return std::nullopt;
          out.target = *target;
          if (!RemapVia(a.via, node, &out.via)) return std::nullopt;
          return out;
        } else if constexpr (std::is_same_v<T, Bootstrap>) {
          std::optional<NodeId> id = RemapId(a.node, node);
          Bootstrap out{id.value_or(kNoNode), Remap(a.voters, node),
                        Remap(a.learners, node)};
          if (!id.has_value() || out.voters.empty()) return std::nullopt;
          return out;
        } else {
          // Every other action names exactly one node in `node`.
          std::optional<NodeId> id = RemapId(a.node, node);
          if (!id.has_value()) return std::nullopt;
          T out = a;
          out.node = *id;
          return out;
        }
      },
      action);
}

// Runs the oracle within the budget.
class Runner {
 public:
  Runner(const FailureClass& target, const ShrinkOracle& oracle,
         const ShrinkSettings& settings)
      : target_(target), oracle_(oracle), settings_(settings) {}

  bool exhausted() const { return runs_ >= settings_.max_runs; }
  int runs() const { return runs_; }

  // True when `candidate` fails like the target (false when out of budget).
  bool Fails(const Scenario& candidate, const char* pass, size_t best) {
    if (exhausted()) return false;
    ++runs_;
    const std::optional<FailureClass> f = oracle_(candidate);
    if (settings_.progress) {
      settings_.progress({runs_, settings_.max_runs, best, pass});
    }
    return f.has_value() && *f == target_;
  }

 private:
  const FailureClass& target_;
  const ShrinkOracle& oracle_;
  const ShrinkSettings& settings_;
  int runs_ = 0;
};

Scenario WithSchedule(const Scenario& s, std::vector<TimedAction> schedule) {
  Scenario out = s;
  out.schedule = std::move(schedule);
  return out;
}

// ddmin over s.schedule; returns the smallest failing scenario found.
Scenario DeltaDebug(Scenario s, Runner& runner) {
  size_t n = 2;
  while (s.schedule.size() >= 1 && !runner.exhausted()) {
    const std::vector<TimedAction>& cur = s.schedule;
    const size_t size = cur.size();
    n = std::min(n, size);
    bool reduced = false;
    // Chunk i is [i * size / n, (i + 1) * size / n).
    auto chunk = [&](size_t i) {
      return std::pair<size_t, size_t>{i * size / n, (i + 1) * size / n};
    };
    // Complements first (they remove the least); with n == 2 the two
    // complements are the two halves, so subsets need no separate test.
    for (size_t i = 0; i < n && !reduced; ++i) {
      const auto [lo, hi] = chunk(i);
      std::vector<TimedAction> rest(cur.begin(), cur.begin() + lo);
      rest.insert(rest.end(), cur.begin() + hi, cur.end());
      Scenario candidate = WithSchedule(s, std::move(rest));
      if (runner.Fails(candidate, "ddmin", size)) {
        s = std::move(candidate);
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n >= size) break;  // Single actions tried: 1-minimal.
    n = std::min(size, n * 2);
  }
  return s;
}

}  // namespace

std::optional<Scenario> WithoutNode(const Scenario& s, int node) {
  if (s.nodes <= 1 || node < 1 || node > s.nodes) return std::nullopt;
  Scenario out = s;
  out.nodes = s.nodes - 1;
  out.schedule.clear();
  for (const TimedAction& t : s.schedule) {
    std::optional<Action> a = RemapAction(t.action, node);
    if (a.has_value()) out.schedule.push_back({t.at_us, std::move(*a), 0});
  }
  return out;
}

ShrinkResult Shrink(const Scenario& start, const FailureClass& target,
                    const ShrinkOracle& oracle,
                    const ShrinkSettings& settings) {
  Runner runner(target, oracle, settings);
  Scenario best = DeltaDebug(start, runner);
  bool changed = false;

  // Fewer nodes, highest id first (ids in the schedule stay readable).
  for (int node = best.nodes; node >= 1 && !runner.exhausted(); --node) {
    std::optional<Scenario> candidate = WithoutNode(best, node);
    if (!candidate.has_value()) continue;
    if (runner.Fails(*candidate, "nodes", best.schedule.size())) {
      best = std::move(*candidate);
      changed = true;
    }
  }

  // Time: the fault phase ends at the last action; a shorter healed phase.
  const int64_t last = best.schedule.empty() ? 0 : best.schedule.back().at_us;
  if (!best.end_us.has_value() || *best.end_us > last) {
    Scenario candidate = best;
    candidate.end_us = last;
    if (runner.Fails(candidate, "time", best.schedule.size())) {
      best = std::move(candidate);
      changed = true;
    }
  }
  // Not below kMinHealPhaseUs: the scenario becomes a regression test that
  // the production core must pass, and a correct cluster needs a few
  // client timeouts and elections to recover from whatever the last
  // action left (a request lost with a crashed node is learnt only by its
  // timeout). A live cluster ends the phase early, so the floor costs
  // nothing when the run passes.
  while (best.heal_phase_us.has_value() &&
         *best.heal_phase_us / 2 >= kMinHealPhaseUs && !runner.exhausted()) {
    Scenario candidate = best;
    // Halve, in whole milliseconds.
    candidate.heal_phase_us = *best.heal_phase_us / 2000 * 1000;
    if (!runner.Fails(candidate, "time", best.schedule.size())) break;
    best = std::move(candidate);
    changed = true;
  }

  // Options back to their defaults, one at a time (sorted by name).
  std::vector<std::string> names;
  for (const auto& [name, value] : best.options) names.push_back(name);
  for (const std::string& name : names) {
    if (runner.exhausted()) break;
    Scenario candidate = best;
    candidate.options.erase(name);
    if (runner.Fails(candidate, "options", best.schedule.size())) {
      best = std::move(candidate);
      changed = true;
    }
  }

  if (changed) best = DeltaDebug(std::move(best), runner);
  return {std::move(best), runner.runs(), runner.exhausted()};
}

}  // namespace raftsim::sim
