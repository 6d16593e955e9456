// sim/scenario/runner.cc — see runner.h. Single-threaded.

#include "sim/scenario/runner.h"

#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "raft/types.h"
#include "sim/check_adapter.h"
#include "sim/workload/kv_codec.h"

namespace raftsim::sim {
namespace {

HostIndex Index(NodeId id) { return HostIndex::Of(id); }

// Builds the connectivity a connectivity action stands for, or nullopt for
// actions that are not about connectivity.
std::optional<Connectivity> ConnectivityOf(const Action& action, int nodes) {
  Connectivity c(nodes);
  if (const auto* p = std::get_if<Partition>(&action)) {
    std::vector<int> group(static_cast<size_t>(nodes), -1);
    for (size_t g = 0; g < p->groups.size(); ++g) {
      for (NodeId id : p->groups[g]) {
        group[Index(id).slot()] = static_cast<int>(g);
      }
    }
    for (HostIndex a : Hosts(nodes)) {
      for (HostIndex b : Hosts(nodes)) {
        if (group[a.slot()] != group[b.slot()]) c.Cut(a, b);
      }
    }
    return c;
  }
  if (const auto* p = std::get_if<PartitionOneWay>(&action)) {
    for (NodeId from : p->from) {
      for (NodeId to : p->to) c.Cut(Index(from), Index(to));
    }
    return c;
  }
  if (const auto* p = std::get_if<Isolate>(&action)) {
    for (HostIndex b : Hosts(nodes)) {
      if (b != Index(p->node)) c.CutBoth(Index(p->node), b);
    }
    return c;
  }
  if (const auto* p = std::get_if<Bridge>(&action)) {
    for (NodeId l : p->left) {
      for (NodeId r : p->right) c.CutBoth(Index(l), Index(r));
    }
    return c;
  }
  return std::nullopt;
}

// The scenario's schedule, installed into a Simulator.
class ScenarioScript final : public Script {
 public:
  explicit ScenarioScript(const Scenario& scenario) : scenario_(scenario) {}

  void Install(Simulator& sim) override {
    sim_ = &sim;
    pause_generation_.assign(static_cast<size_t>(scenario_.nodes), 0);
    int clients = 0;
    for (const TimedAction& t : scenario_.schedule) {
      if (const auto* op = std::get_if<ClientOp>(&t.action)) {
        clients = std::max(clients, op->client);
      }
    }
    sim.workload().AddClients(clients);
    for (size_t i = 0; i < scenario_.schedule.size(); ++i) {
      const TimedAction& t = scenario_.schedule[i];
      sim.queue().Schedule(t.at_us, OwnerOf(t.action), EventKind::kFault,
                           /*crash_scoped=*/false, [this, i] { Run(i); });
    }
  }

 private:
  // Propose and campaign belong to their node (a paused node runs them
  // when it resumes); everything else to the world.
  static HostIndex OwnerOf(const Action& action) {
    if (const auto* p = std::get_if<Propose>(&action)) return Index(p->node);
    if (const auto* c = std::get_if<Campaign>(&action)) return Index(c->node);
    return kWorld;
  }

  void Note(const std::string& text) {
    sim_->tracer().RecordText(kWorld, TraceKind::kFault, text);
  }

  void Run(size_t i) {
    const Action& action = scenario_.schedule[i].action;
    std::string skipped = Apply(action);
    Note(absl::StrCat("scenario: ", DescribeAction(action),
                      skipped.empty() ? "" : " (skipped: ", skipped,
                      skipped.empty() ? "" : ")"));
  }

  // Performs `action`; returns why it was skipped, or "".
  std::string Apply(const Action& action) {
    const int nodes = scenario_.nodes;
    Network& net = sim_->mutable_network();
    if (std::optional<Connectivity> c = ConnectivityOf(action, nodes)) {
      net.SetConnectivity(std::move(*c));
      return "";
    }
    return std::visit(
        [&](const auto& a) -> std::string {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, Heal>) {
            net.Heal();
          } else if constexpr (std::is_same_v<T, Crash>) {
            NodeHost& h = sim_->mutable_host(Index(a.node));
            if (!h.up()) return "already down";
            h.Crash();
          } else if constexpr (std::is_same_v<T, Restart>) {
            NodeHost& h = sim_->mutable_host(Index(a.node));
            if (h.up()) return "already up";
            h.Start();
          } else if constexpr (std::is_same_v<T, Pause>) {
            return PauseNode(Index(a.node), a.for_us);
          } else if constexpr (std::is_same_v<T, Resume>) {
            NodeHost& h = sim_->mutable_host(Index(a.node));
            if (!h.paused()) return "not paused";
            h.Resume();
          } else if constexpr (std::is_same_v<T, Drop>) {
            ForLinks(a.link, [&](LinkRule& r) { r.drop_ppm = a.ppm; });
          } else if constexpr (std::is_same_v<T, Delay>) {
            ForLinks(a.link, [&](LinkRule& r) { r.delay_us = a.us; });
          } else if constexpr (std::is_same_v<T, Duplicate>) {
            ForLinks(a.link, [&](LinkRule& r) { r.dup_ppm = a.ppm; });
          } else if constexpr (std::is_same_v<T, Clog>) {
            const int64_t until = a.us == 0 ? 0 : sim_->queue().now_us() + a.us;
            ForEachLink(a.link, [&](HostIndex from, HostIndex to) {
              net.SetClog(from, to, until);
            });
          } else if constexpr (std::is_same_v<T, ClientOp>) {
            sim_->workload().Script(a.client - 1, Command(a));
          } else if constexpr (std::is_same_v<T, Propose>) {
            NodeHost& h = sim_->mutable_host(Index(a.node));
            if (!h.up()) return "node down";
            h.Submit(a.data, [](absl::StatusOr<std::string>) {});
          } else if constexpr (std::is_same_v<T, Campaign>) {
            NodeHost& h = sim_->mutable_host(Index(a.node));
            if (!h.up()) return "node down";
            h.Campaign();
          } else if constexpr (std::is_same_v<T, ChangeMembership>) {
            return Change(a);
          } else if constexpr (std::is_same_v<T, LeaveJoint>) {
            return sim_->ChangeMembership(
                Via(a.via), raft::confchange::ConfChange::LeaveJoint());
          } else if constexpr (std::is_same_v<T, TransferLeader>) {
            return sim_->TransferLeadership(Via(a.via), Index(a.target));
          } else if constexpr (std::is_same_v<T, Bootstrap>) {
            const HostIndex h = Index(a.node);
            if (!sim_->host(h).ever_started()) sim_->StartSpare(h);
            raft::ConfState conf;
            conf.voters = a.voters;
            conf.learners = a.learners;
            return sim_->Bootstrap(h, conf);
          }
          return "";
        },
        action);
  }

  static std::optional<HostIndex> Via(const std::optional<NodeId>& via) {
    if (!via.has_value()) return std::nullopt;
    return Index(*via);
  }

  // A membership change; a node it adds that never ran (a spare host)
  // starts first, empty.
  std::string Change(const ChangeMembership& a) {
    using raft::confchange::ChangeType;
    using raft::confchange::Transition;
    raft::confchange::ConfChange c;
    switch (a.mode) {
      case ChangeMode::kSingle:
        c.transition = Transition::kSimple;
        break;
      case ChangeMode::kJoint:
        c.transition = Transition::kJointAutoLeave;
        break;
      case ChangeMode::kEnterJoint:
        c.transition = Transition::kJointExplicit;
        break;
    }
    for (const MemberChange& m : a.changes) {
      ChangeType type = ChangeType::kAddVoter;
      switch (m.op) {
        case MemberOp::kAddVoter:
          type = ChangeType::kAddVoter;
          break;
        case MemberOp::kAddLearner:
          type = ChangeType::kAddLearner;
          break;
        case MemberOp::kPromote:
          type = ChangeType::kPromote;
          break;
        case MemberOp::kDemote:
          type = ChangeType::kDemote;
          break;
        case MemberOp::kRemove:
          type = ChangeType::kRemove;
          break;
      }
      const HostIndex h = Index(m.node);
      if ((type == ChangeType::kAddVoter || type == ChangeType::kAddLearner) &&
          !sim_->host(h).ever_started()) {
        sim_->StartSpare(h);
      }
      c.changes.push_back({type, m.node});
    }
    return sim_->ChangeMembership(Via(a.via), std::move(c));
  }

  std::string PauseNode(HostIndex node, std::optional<int64_t> for_us) {
    NodeHost& h = sim_->mutable_host(node);
    if (!h.up()) return "node down";
    if (h.paused()) return "already paused";
    h.Pause();
    const uint64_t generation = ++pause_generation_[node.slot()];
    if (for_us.has_value()) {
      sim_->queue().After(
          *for_us, kWorld, EventKind::kFault, false, [this, node, generation] {
            NodeHost& host = sim_->mutable_host(node);
            if (generation != pause_generation_[node.slot()] ||
                !host.paused()) {
              return;
            }
            Note(absl::StrCat("scenario: resume ", node.id().value(),
                              " (pause over)"));
            host.Resume();
          });
    }
    return "";
  }

  // Calls fn(from, to) for every directed link `link` names.
  template <typename Fn>
  void ForEachLink(const Link& link, Fn fn) {
    for (HostIndex from : Hosts(scenario_.nodes)) {
      if (link.from != kNoNode && Index(link.from) != from) continue;
      for (HostIndex to : Hosts(scenario_.nodes)) {
        if (to == from || (link.to != kNoNode && Index(link.to) != to)) {
          continue;
        }
        fn(from, to);
      }
    }
  }
  template <typename Fn>
  void ForLinks(const Link& link, Fn set) {
    LinkRules& rules = sim_->mutable_network().mutable_link_rules();
    ForEachLink(link, [&](HostIndex from, HostIndex to) {
      set(rules.Mutable(from, to));
    });
  }

  static KvCommand Command(const ClientOp& op) {
    KvCommand c;
    switch (op.kind) {
      case ClientOpKind::kGet:
        c.op = KvOp::kGet;
        break;
      case ClientOpKind::kPut:
        c.op = KvOp::kPut;
        break;
      case ClientOpKind::kAppend:
        c.op = KvOp::kAppend;
        break;
      case ClientOpKind::kCas:
        c.op = KvOp::kCas;
        break;
    }
    c.key = op.key;
    c.value = op.value;
    c.expected = op.expected;
    return c;
  }

  const Scenario& scenario_;
  Simulator* sim_ = nullptr;
  std::vector<uint64_t> pause_generation_;
};

// Notes when some node first becomes leader (for `expect leader by`).
class LeaderWatch final : public Observer {
 public:
  std::string_view name() const override { return "leader_watch"; }
  std::optional<Violation> AfterEvent(
      const WorldView&, absl::Span<const TraceRecord> records) override {
    if (first_.has_value()) return std::nullopt;
    for (const TraceRecord& r : records) {
      if (r.kind == TraceKind::kRole && r.role.role == raft::Role::kLeader) {
        first_ = r.time_us;
        break;
      }
    }
    return std::nullopt;
  }
  const std::optional<int64_t>& first() const { return first_; }

 private:
  std::optional<int64_t> first_;
};

ResultKind KindOf(ExpectedResult r) {
  switch (r) {
    case ExpectedResult::kOk:
      return ResultKind::kOk;
    case ExpectedResult::kSafety:
      return ResultKind::kSafety;
    case ExpectedResult::kLiveness:
      return ResultKind::kLiveness;
    case ExpectedResult::kHang:
      return ResultKind::kHang;
  }
  return ResultKind::kOk;
}

std::string Happened(const RunResult& r) {
  if (r.kind == ResultKind::kOk) return "the run was ok";
  if (r.kind == ResultKind::kSafety) {
    return absl::StrCat("checker ", r.checker, " fired");
  }
  return absl::StrCat("result=", std::string(ResultKindName(r.kind)), ": ",
                      r.detail);
}

void Judge(const Scenario& s, ScenarioOutcome& out) {
  const Expectations& e = s.expect;
  const RunResult& r = out.result;
  auto add = [&](std::string what, bool held, std::string detail) {
    out.expectations.push_back({std::move(what), held, std::move(detail)});
    out.passed = out.passed && held;
  };
  if (e.no_violation) {
    add("expect no-violation", r.kind != ResultKind::kSafety, Happened(r));
  }
  if (e.violation.has_value()) {
    add(absl::StrCat("expect violation ", *e.violation),
        r.kind == ResultKind::kSafety && r.checker == *e.violation,
        r.kind == ResultKind::kSafety ? Happened(r) : "no checker fired");
  }
  if (e.leader_by_us.has_value()) {
    const bool held = out.first_leader_us.has_value() &&
                      *out.first_leader_us <= *e.leader_by_us;
    add(absl::StrCat("expect leader by ", FormatDuration(*e.leader_by_us)),
        held,
        out.first_leader_us.has_value()
            ? absl::StrCat("first leader at ",
                           FormatDuration(*out.first_leader_us))
            : "no node ever became leader");
  }
  const bool any = e.no_violation || e.violation.has_value() ||
                   e.leader_by_us.has_value() || e.result.has_value();
  if (!any) return;
  const ResultKind want = e.result.has_value()      ? KindOf(*e.result)
                          : e.violation.has_value() ? ResultKind::kSafety
                                                    : ResultKind::kOk;
  add(absl::StrCat("expect result ", std::string(ResultKindName(want)),
                   e.result.has_value() ? "" : " (implied)"),
      r.kind == want, Happened(r));
}

}  // namespace

absl::StatusOr<SimOptions> ScenarioSimOptions(const Scenario& scenario) {
  SimOptions o;
  o.nodes = scenario.nodes;
  o.clients = 0;
  for (const auto& [name, value] : scenario.options) {
    if (absl::Status st = o.Set(name, value); !st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("option ", name, "=", value, ": ", st.message()));
    }
  }
  // `nodes` counts every host; the last spare_hosts of them are spare.
  if (o.spare_hosts >= scenario.nodes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "option spare_hosts=", o.spare_hosts, " leaves no node of the ",
        scenario.nodes, " in the initial cluster"));
  }
  o.nodes = scenario.nodes - o.spare_hosts;
  if (scenario.heal_phase_us.has_value()) {
    o.heal_ms = std::max<int64_t>(1, (*scenario.heal_phase_us + 999) / 1000);
  }
  if (absl::Status st = o.Validate(); !st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the scenario's options: ", st.message()));
  }
  return o;
}

int64_t ScenarioFaultEndUs(const Scenario& scenario) {
  if (scenario.end_us.has_value()) return *scenario.end_us;
  int64_t end = scenario.schedule.empty() ? 0 : scenario.schedule.back().at_us;
  if (auto it = scenario.options.find("fault_ms");
      it != scenario.options.end()) {
    end = std::max(end, it->second * 1000);
  }
  return end;
}

absl::Status CheckSupported(const Scenario& scenario,
                            absl::string_view filename) {
  auto it = scenario.options.find("spare_hosts");
  if (it != scenario.options.end() && it->second >= scenario.nodes) {
    return absl::InvalidArgumentError(absl::StrCat(
        filename, ": option spare_hosts=", it->second,
        " leaves no node of the ", scenario.nodes, " in the initial cluster"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ScenarioOutcome> RunScenario(
    const Scenario& scenario, uint64_t seed,
    const ScenarioRunSettings& settings) {
  if (absl::Status st = CheckSupported(scenario, "scenario"); !st.ok()) {
    return st;
  }
  absl::StatusOr<SimOptions> options = ScenarioSimOptions(scenario);
  if (!options.ok()) return options.status();
  Simulator sim(seed, *options, settings.sink);
  ScenarioScript script(scenario);
  sim.SetScript(&script, ScenarioFaultEndUs(scenario));
  LeaderWatch leaders;
  CheckAdapter checkers;
  // The checkers subsume the built-in observers. The leader watch goes
  // first: it must see the event a checker stops the run at.
  if (settings.checkers) sim.ClearObservers();
  sim.AddObserver(&leaders);
  if (settings.checkers) sim.AddObserver(&checkers);
  for (Observer* o : settings.observers) sim.AddObserver(o);
  ScenarioOutcome out;
  out.seed = seed;
  out.result = sim.Run();
  out.first_leader_us = leaders.first();
  Judge(scenario, out);
  return out;
}

uint64_t ScenarioSeed(const Scenario& scenario,
                      std::optional<uint64_t> flag_seed) {
  if (flag_seed.has_value()) return *flag_seed;
  return scenario.seed.value_or(0);
}

int ScenarioExitCode(const ScenarioOutcome& outcome) {
  if (outcome.passed && !outcome.expectations.empty()) return kExitOk;
  if (outcome.expectations.empty() || outcome.result.kind != ResultKind::kOk) {
    return ExitCode(outcome.result.kind);
  }
  return kExitExpectation;
}

}  // namespace raftsim::sim
