// sim/scenario/shrink_record.cc — see shrink_record.h. Single-threaded.

#include "sim/scenario/shrink_record.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "sim/check_adapter.h"
#include "sim/observer.h"

namespace raftsim::sim {
namespace {

// The recorder works on matrices of host positions; actions name NodeIds.
NodeId Id(int index) { return HostIndex(index).id(); }

// Options that a recorded scenario never carries: the cluster size (the
// `nodes` line), the phases (`end`, `heal-phase`), the random fault
// schedule (replaced by explicit actions) and the background workload
// (replaced by explicit client operations).
const std::set<std::string>& NotRecorded() {
  static const std::set<std::string>* names =
      new std::set<std::string>{"nodes",
                                "fault_ms",
                                "heal_ms",
                                "fault_gap_ms_max",
                                "partition_isolate",
                                "partition_split",
                                "partition_asymmetric",
                                "partition_bridge",
                                "partition_links",
                                "partition_ms_max",
                                "crashes",
                                "crash_ms_max",
                                "pauses",
                                "pause_ms_max",
                                "target_leader",
                                "clogs",
                                "clog_ms_max",
                                "bounces",
                                "clients",
                                "keys",
                                "get_weight",
                                "put_weight",
                                "append_weight",
                                "cas_weight"};
  return *names;
}

// name -> value from SimOptions::Describe() ("option name=value").
std::map<std::string, int64_t> OptionValues(const SimOptions& o) {
  std::map<std::string, int64_t> out;
  for (const std::string& line : o.Describe()) {
    std::vector<std::string> kv =
        absl::StrSplit(absl::string_view(line).substr(7), '=');
    int64_t v = 0;
    if (kv.size() == 2 && absl::SimpleAtoi(kv[1], &v)) out[kv[0]] = v;
  }
  return out;
}

// Ordering key of a recorded action: the instant, the event, and the
// order within the event.
using Key = std::tuple<int64_t, uint64_t, int>;

// Watches the world after every event of the fault phase and writes what
// changed as scenario actions (see shrink_record.h).
class ScheduleRecorder final : public Observer {
 public:
  explicit ScheduleRecorder(int nodes)
      : nodes_(nodes),
        cut_(static_cast<size_t>(nodes * nodes), false),
        clog_until_(static_cast<size_t>(nodes * nodes), 0),
        up_(static_cast<size_t>(nodes), true),
        paused_(static_cast<size_t>(nodes), false) {}

  std::string_view name() const override { return "schedule_recorder"; }

  std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) override {
    if (world.phase() != Phase::kFault) return std::nullopt;
    const uint64_t event = world.event_number();
    std::vector<int> campaigns;
    for (const TraceRecord& r : records) {
      if (r.kind == TraceKind::kClientCall) {
        call_events_[static_cast<uint64_t>(r.client_call.op)] = event;
      } else if (r.kind == TraceKind::kCampaign && !r.node.is_world()) {
        campaigns.push_back(static_cast<int>(r.node.slot()));
      }
    }
    sub_ = 0;
    DiffConnectivity(world);
    DiffClogs(world);
    for (int i = 0; i < nodes_; ++i) DiffNode(world, i);
    // After the restart that precedes it in a bounce.
    for (const int i : campaigns) Add(world, Campaign{Id(i)});
    return std::nullopt;
  }

  // The recorded actions, with the drawn commands merged in, in order.
  std::vector<TimedAction> Schedule(
      const std::vector<Workload::DrawnCommand>& drawn) {
    for (const Workload::DrawnCommand& d : drawn) {
      auto it = call_events_.find(d.command.request);
      const uint64_t event = it == call_events_.end() ? 0 : it->second;
      ClientOp op;
      op.client = d.client + 1;
      op.key = d.command.key;
      op.value = d.command.value;
      op.expected = d.command.expected;
      switch (d.command.op) {
        case KvOp::kGet:
          op.kind = ClientOpKind::kGet;
          break;
        case KvOp::kPut:
          op.kind = ClientOpKind::kPut;
          break;
        case KvOp::kAppend:
          op.kind = ClientOpKind::kAppend;
          break;
        case KvOp::kCas:
          op.kind = ClientOpKind::kCas;
          break;
      }
      actions_.push_back({{d.at_us, event, 1000}, op});
    }
    std::stable_sort(
        actions_.begin(), actions_.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<TimedAction> out;
    for (auto& [key, action] : actions_) {
      out.push_back({std::get<0>(key), std::move(action), 0});
    }
    return out;
  }

 private:
  void Add(const WorldView& world, Action action) {
    actions_.push_back(
        {{world.now_us(), world.event_number(), sub_++}, std::move(action)});
  }

  void DiffNode(const WorldView& world, int i) {
    const NodeHost& h = world.host(HostIndex(i));
    const bool up = h.up(), paused = up && h.paused();
    const size_t k = static_cast<size_t>(i);
    if (up != up_[k]) {
      if (up) {
        Add(world, Restart{Id(i)});
      } else {
        Add(world, Crash{Id(i)});
      }
    } else if (up && paused != paused_[k]) {
      if (paused) {
        Add(world, Pause{Id(i), std::nullopt});
      } else {
        Add(world, Resume{Id(i)});
      }
    }
    up_[k] = up;
    paused_[k] = paused;
  }

  // A link's clog set or extended, or lifted before it ran out.
  void DiffClogs(const WorldView& world) {
    const int64_t now = world.now_us();
    for (int a = 0; a < nodes_; ++a) {
      for (int b = 0; b < nodes_; ++b) {
        if (a == b) continue;
        const int64_t until =
            world.network().clogged_until_us(HostIndex(a), HostIndex(b));
        int64_t& seen = clog_until_[Idx(a, b)];
        if (until == seen) continue;
        if (until > now) {
          Add(world, Clog{{Id(a), Id(b)}, until - now});
        } else if (seen > now) {
          Add(world, Clog{{Id(a), Id(b)}, 0});
        }
        seen = until;
      }
    }
  }

  void DiffConnectivity(const WorldView& world) {
    const Connectivity& c = world.network().connectivity();
    bool changed = false;
    for (int a = 0; a < nodes_; ++a) {
      for (int b = 0; b < nodes_; ++b) {
        const bool cut = a != b && !c.Reaches(HostIndex(a), HostIndex(b));
        changed = changed || cut != cut_[Idx(a, b)];
        cut_[Idx(a, b)] = cut;
      }
    }
    if (!changed) return;
    if (c.FullyConnected()) {
      Add(world, Heal{});
      rules_ = false;
      return;
    }
    std::optional<Action> shape = Shape();
    if (shape.has_value()) {
      if (rules_) Add(world, Heal{});  // Clear the previous drop rules.
      rules_ = false;
      Add(world, std::move(*shape));
      return;
    }
    // No single action says this cut pattern: exact drop rules.
    Add(world, Heal{});
    for (int a = 0; a < nodes_; ++a) {
      for (int b = 0; b < nodes_; ++b) {
        if (cut_[Idx(a, b)]) Add(world, Drop{{Id(a), Id(b)}, kPpmPerUnit});
      }
    }
    rules_ = true;
  }

  size_t Idx(int a, int b) const { return static_cast<size_t>(a * nodes_ + b); }
  bool Cut(int a, int b) const { return cut_[Idx(a, b)]; }

  // Symmetric groups among `members`: nodes that reach each other, cut
  // from every other group. nullopt when the cuts among them are not such
  // a grouping.
  std::optional<std::vector<NodeSet>> Groups(const std::vector<int>& members) {
    std::vector<NodeSet> groups;
    std::vector<int> group_of(static_cast<size_t>(nodes_), -1);
    for (int a : members) {
      if (group_of[a] >= 0) continue;
      group_of[a] = static_cast<int>(groups.size());
      groups.push_back({Id(a)});
      for (int b : members) {
        if (b != a && group_of[b] < 0 && !Cut(a, b)) {
          group_of[b] = group_of[a];
          groups.back().push_back(Id(b));
        }
      }
    }
    for (int a : members) {
      for (int b : members) {
        if (a != b && Cut(a, b) != (group_of[a] != group_of[b])) {
          return std::nullopt;
        }
      }
    }
    return groups;
  }

  // The one connectivity action whose cut pattern is exactly cut_, if any.
  std::optional<Action> Shape() {
    std::vector<int> all;
    for (int i = 0; i < nodes_; ++i) all.push_back(i);
    if (std::optional<std::vector<NodeSet>> g = Groups(all)) {
      if (g->size() == 2 && (*g)[0].size() == 1) return Isolate{(*g)[0][0]};
      if (g->size() == 2 && (*g)[1].size() == 1) return Isolate{(*g)[1][0]};
      return Partition{std::move(*g)};
    }
    // Bridge: one node cut from nobody, the rest two cut groups.
    for (int bridge = 0; bridge < nodes_; ++bridge) {
      bool free = true;
      std::vector<int> rest;
      for (int b = 0; b < nodes_; ++b) {
        if (b == bridge) continue;
        free = free && !Cut(bridge, b) && !Cut(b, bridge);
        rest.push_back(b);
      }
      if (!free) continue;
      std::optional<std::vector<NodeSet>> g = Groups(rest);
      if (g.has_value() && g->size() == 2) {
        return Bridge{Id(bridge), (*g)[0], (*g)[1]};
      }
    }
    // One way: the cut links are exactly from x to.
    NodeSet from, to;
    for (int a = 0; a < nodes_; ++a) {
      bool out = false, in = false;
      for (int b = 0; b < nodes_; ++b) {
        out = out || Cut(a, b);
        in = in || Cut(b, a);
      }
      if (out && in) return std::nullopt;
      if (out) from.push_back(Id(a));
      if (in) to.push_back(Id(a));
    }
    for (NodeId f : from) {
      for (NodeId t : to) {
        if (!Cut(HostIndex::Of(f).value(), HostIndex::Of(t).value())) {
          return std::nullopt;
        }
      }
    }
    return PartitionOneWay{std::move(from), std::move(to)};
  }

  int nodes_;
  std::vector<bool> cut_;            // [from * nodes + to], as last seen.
  std::vector<int64_t> clog_until_;  // [from * nodes + to], as last seen.
  std::vector<bool> up_;
  std::vector<bool> paused_;
  bool rules_ = false;  // The current cut is written as drop rules.
  int sub_ = 0;
  std::vector<std::pair<Key, Action>> actions_;
  std::map<uint64_t, uint64_t> call_events_;  // Operation id -> event.
};

}  // namespace

std::optional<FailureClass> FailureOf(const RunResult& result) {
  switch (result.kind) {
    case ResultKind::kOk:
      return std::nullopt;
    case ResultKind::kSafety:
      return FailureClass{"safety", result.checker};
    case ResultKind::kLiveness:
      return FailureClass{"liveness", ""};
    case ResultKind::kHang:
      return FailureClass{"hang", ""};
  }
  return std::nullopt;
}

void ExpectFailure(const FailureClass& failure, Scenario& s) {
  s.expect = Expectations{};
  if (failure.kind == "safety") {
    s.expect.violation = failure.checker;
    s.expect.result = ExpectedResult::kSafety;
  } else if (failure.kind == "liveness") {
    s.expect.result = ExpectedResult::kLiveness;
  } else if (failure.kind == "hang") {
    s.expect.result = ExpectedResult::kHang;
  }
}

namespace {

// The RecordRun in progress, for RecordingSoFar.
struct Recording {
  uint64_t seed;
  const SimOptions* options;
  Simulator* sim;
  ScheduleRecorder* recorder;
};
const Recording* g_recording = nullptr;

// The scenario of `r` so far; `events`: the run's event count, which bounds
// the candidates' events.
Scenario BuildScenario(const Recording& r, uint64_t events) {
  const SimOptions& options = *r.options;
  Scenario s;
  s.nodes = static_cast<int>(options.nodes);
  s.seed = r.seed;
  const std::map<std::string, int64_t> drawn = OptionValues(options);
  const std::map<std::string, int64_t> defaults = OptionValues(SimOptions{});
  for (const auto& [name, value] : drawn) {
    if (NotRecorded().count(name) > 0) continue;
    auto d = defaults.find(name);
    if (d == defaults.end() || d->second != value) s.options[name] = value;
  }
  // Bound the candidates' events near the original's, so that a candidate
  // that livelocks (some canaries make leaders churn forever) ends fast as
  // a hang instead of running to the default bound.
  const int64_t bound =
      std::max<int64_t>(200'000, 4 * static_cast<int64_t>(events));
  if (bound < options.max_events) s.options["max_events"] = bound;
  s.schedule = r.recorder->Schedule(r.sim->workload().drawn());
  s.end_us = options.fault_ms * 1000;
  s.heal_phase_us = options.heal_ms * 1000;
  return s;
}

}  // namespace

std::optional<Scenario> RecordingSoFar() {
  if (g_recording == nullptr) return std::nullopt;
  return BuildScenario(*g_recording, g_recording->sim->event_number());
}

RecordedRun RecordRun(uint64_t seed, const SimOptions& options, bool checkers) {
  Simulator sim(seed, options);
  sim.workload().set_record_drawn(true);
  ScheduleRecorder recorder(static_cast<int>(options.nodes));
  CheckAdapter adapter;
  if (checkers) sim.ClearObservers();
  sim.AddObserver(&recorder);  // First: it must see the violating event.
  if (checkers) sim.AddObserver(&adapter);
  const Recording recording{seed, &options, &sim, &recorder};
  g_recording = &recording;
  RecordedRun out;
  out.result = sim.Run();
  g_recording = nullptr;
  out.scenario = BuildScenario(recording, out.result.events);
  if (std::optional<FailureClass> f = FailureOf(out.result)) {
    ExpectFailure(*f, out.scenario);
  }
  return out;
}

}  // namespace raftsim::sim
