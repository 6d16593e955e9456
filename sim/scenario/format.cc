// sim/scenario/format.cc — the canonical printer of the scenario language
// (FormatScenario, DescribeAction, Scenario::Describe, FormatDuration): the
// inverse of the parser, ParseScenario(FormatScenario(s)) == s. A value is
// printed bare exactly when the lexer would read it back as one word.
//
// Pure functions; thread-compatible.

#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/scenario/lexer.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim {
namespace {

using scenario_internal::IsWordChar;

std::string FormatProbability(int64_t ppm) {
  if (ppm % kPpmPerUnit == 0) return absl::StrCat(ppm / kPpmPerUnit);
  std::string frac = absl::StrCat(ppm % kPpmPerUnit + kPpmPerUnit).substr(1);
  while (frac.back() == '0') frac.pop_back();
  return absl::StrCat(ppm / kPpmPerUnit, ".", frac);
}

bool IsBare(absl::string_view v) {
  if (v.empty()) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!IsWordChar(v[i])) return false;
    if (v[i] == '-' && i + 1 < v.size() && v[i + 1] == '>') return false;
  }
  return true;
}

std::string FormatValue(absl::string_view v) {
  if (IsBare(v)) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u >= 0x7f) {
      const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FormatSet(const NodeSet& set) {
  std::vector<uint64_t> ids;
  for (NodeId id : set) ids.push_back(id.value());
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

std::string FormatEndpoint(NodeId id) {
  return id == kNoNode ? "*" : absl::StrCat(id.value());
}
std::string FormatLink(const Link& l) {
  return absl::StrCat(FormatEndpoint(l.from), "->", FormatEndpoint(l.to));
}

const char* ClientOpName(ClientOpKind k) {
  switch (k) {
    case ClientOpKind::kGet:
      return "get";
    case ClientOpKind::kPut:
      return "put";
    case ClientOpKind::kAppend:
      return "append";
    case ClientOpKind::kCas:
      return "cas";
  }
  return "?";
}

const char* ResultName(ExpectedResult r) {
  switch (r) {
    case ExpectedResult::kOk:
      return "ok";
    case ExpectedResult::kSafety:
      return "safety";
    case ExpectedResult::kLiveness:
      return "liveness";
    case ExpectedResult::kHang:
      return "hang";
  }
  return "?";
}

struct ActionPrinter {
  std::string operator()(const Partition& p) const {
    std::vector<std::string> groups;
    for (const NodeSet& g : p.groups) groups.push_back(FormatSet(g));
    return absl::StrCat("partition ", absl::StrJoin(groups, " "));
  }
  std::string operator()(const PartitionOneWay& p) const {
    return absl::StrCat("partition-oneway ", FormatSet(p.from), " -> ",
                        FormatSet(p.to));
  }
  std::string operator()(const Isolate& a) const {
    return absl::StrCat("isolate ", a.node.value());
  }
  std::string operator()(const Bridge& b) const {
    return absl::StrCat("bridge ", b.bridge.value(), " ", FormatSet(b.left),
                        " ", FormatSet(b.right));
  }
  std::string operator()(const Heal&) const { return "heal"; }
  std::string operator()(const Crash& a) const {
    return absl::StrCat("crash ", a.node.value());
  }
  std::string operator()(const Restart& a) const {
    return absl::StrCat("restart ", a.node.value());
  }
  std::string operator()(const Pause& a) const {
    std::string s = absl::StrCat("pause ", a.node.value());
    if (a.for_us) absl::StrAppend(&s, " ", FormatDuration(*a.for_us));
    return s;
  }
  std::string operator()(const Resume& a) const {
    return absl::StrCat("resume ", a.node.value());
  }
  std::string operator()(const Drop& a) const {
    return absl::StrCat("drop ", FormatLink(a.link), " ",
                        FormatProbability(a.ppm));
  }
  std::string operator()(const Delay& a) const {
    return absl::StrCat("delay ", FormatLink(a.link), " ",
                        FormatDuration(a.us));
  }
  std::string operator()(const Clog& a) const {
    return absl::StrCat("clog ", FormatLink(a.link), " ", FormatDuration(a.us));
  }
  std::string operator()(const Duplicate& a) const {
    return absl::StrCat("duplicate ", FormatLink(a.link), " ",
                        FormatProbability(a.ppm));
  }
  std::string operator()(const ClientOp& op) const {
    std::string s =
        absl::StrCat("client ", op.client, " ", ClientOpName(op.kind), " ",
                     FormatValue(op.key));
    if (op.kind == ClientOpKind::kCas) {
      absl::StrAppend(&s, " ", FormatValue(op.expected));
    }
    if (op.kind != ClientOpKind::kGet) {
      absl::StrAppend(&s, " ", FormatValue(op.value));
    }
    return s;
  }
  std::string operator()(const Propose& a) const {
    return absl::StrCat("propose ", a.node.value(), " ", FormatValue(a.data));
  }
  std::string operator()(const Campaign& a) const {
    return absl::StrCat("campaign ", a.node.value());
  }
  std::string operator()(const ChangeMembership& a) const {
    std::vector<std::string> changes;
    for (const MemberChange& c : a.changes) {
      changes.push_back(absl::StrCat(MemberOpName(c.op), " ", c.node.value()));
    }
    std::string s;
    if (a.mode == ChangeMode::kJoint) s = "joint ";
    if (a.mode == ChangeMode::kEnterJoint) s = "enter-joint ";
    absl::StrAppend(&s, absl::StrJoin(changes, ", "), Via(a.via));
    return s;
  }
  std::string operator()(const LeaveJoint& a) const {
    return absl::StrCat("leave-joint", Via(a.via));
  }
  std::string operator()(const TransferLeader& a) const {
    return absl::StrCat("transfer ", a.target.value(), Via(a.via));
  }
  std::string operator()(const Bootstrap& a) const {
    std::string s =
        absl::StrCat("bootstrap ", a.node.value(), " ", FormatSet(a.voters));
    if (!a.learners.empty()) {
      absl::StrAppend(&s, " learners ", FormatSet(a.learners));
    }
    return s;
  }

  static std::string Via(const std::optional<NodeId>& via) {
    return via.has_value() ? absl::StrCat(" via ", via->value()) : "";
  }
};

std::string FormatOptionValue(const std::string& name, int64_t value) {
  for (const OptionSpec& o : ScenarioOptions()) {
    if (name == o.name && o.type == OptionType::kBool) {
      return value != 0 ? "on" : "off";
    }
  }
  return absl::StrCat(value);
}

}  // namespace

const char* MemberOpName(MemberOp op) {
  switch (op) {
    case MemberOp::kAddVoter:
      return "add-voter";
    case MemberOp::kAddLearner:
      return "add-learner";
    case MemberOp::kPromote:
      return "promote";
    case MemberOp::kDemote:
      return "demote";
    case MemberOp::kRemove:
      return "remove";
  }
  return "?";
}

std::string DescribeAction(const Action& action) {
  return std::visit(ActionPrinter{}, action);
}

std::string FormatDuration(int64_t us) {
  if (us % 1'000'000 == 0) return absl::StrCat(us / 1'000'000, "s");
  if (us % 1000 == 0) return absl::StrCat(us / 1000, "ms");
  return absl::StrCat(us, "us");
}

std::string FormatScenario(const Scenario& s) {
  std::string out = absl::StrCat("nodes ", s.nodes, "\n");
  if (s.seed) absl::StrAppend(&out, "seed ", *s.seed, "\n");
  for (const auto& [name, value] : s.options) {
    absl::StrAppend(&out, "option ", name, "=", FormatOptionValue(name, value),
                    "\n");
  }
  for (const TimedAction& ta : s.schedule) {
    absl::StrAppend(&out, "at ", FormatDuration(ta.at_us), " ",
                    DescribeAction(ta.action), "\n");
  }
  if (s.end_us) absl::StrAppend(&out, "end ", FormatDuration(*s.end_us), "\n");
  if (s.heal_phase_us) {
    absl::StrAppend(&out, "heal-phase ", FormatDuration(*s.heal_phase_us),
                    "\n");
  }
  const Expectations& e = s.expect;
  if (e.no_violation) out += "expect no-violation\n";
  if (e.violation)
    absl::StrAppend(&out, "expect violation ", *e.violation, "\n");
  if (e.leader_by_us) {
    absl::StrAppend(&out, "expect leader by ", FormatDuration(*e.leader_by_us),
                    "\n");
  }
  if (e.result)
    absl::StrAppend(&out, "expect result ", ResultName(*e.result), "\n");
  return out;
}

std::string Scenario::Describe() const {
  std::string out = absl::StrCat(nodes, " nodes");
  if (seed) absl::StrAppend(&out, ", seed ", *seed);
  absl::StrAppend(&out, ", ", options.size(), " options, ", schedule.size(),
                  " actions");
  if (!schedule.empty()) {
    absl::StrAppend(&out, " over ", FormatDuration(schedule.front().at_us),
                    "..", FormatDuration(schedule.back().at_us));
  }
  if (end_us) absl::StrAppend(&out, ", end ", FormatDuration(*end_us));
  if (heal_phase_us) {
    absl::StrAppend(&out, ", heal-phase ", FormatDuration(*heal_phase_us));
  }
  std::vector<std::string> expects;
  if (expect.no_violation) expects.push_back("no-violation");
  if (expect.violation) expects.push_back("violation " + *expect.violation);
  if (expect.leader_by_us) {
    expects.push_back("leader by " + FormatDuration(*expect.leader_by_us));
  }
  if (expect.result)
    expects.push_back(std::string("result ") + ResultName(*expect.result));
  if (!expects.empty()) {
    absl::StrAppend(&out, ", expect ", absl::StrJoin(expects, ", "));
  }
  return out;
}

}  // namespace raftsim::sim
