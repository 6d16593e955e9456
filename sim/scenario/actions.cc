// sim/scenario/actions.cc — the actions of the scenario language (what
// follows `at <time>`) and their operands: node ids, node sets, links,
// durations, probabilities and values. See parser.h; the grammar
// is in scenarios/README.md.
//
// Single-threaded use per call; no shared state.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/scenario/parser.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim::scenario_internal {
namespace {

const char* const kActions =
    "partition, partition-oneway, isolate, bridge, heal, crash, restart, "
    "pause, resume, drop, delay, duplicate, clog, client, propose, campaign, "
    "add-voter, add-learner, promote, demote, remove, joint, enter-joint, "
    "leave-joint, transfer or bootstrap";

// The single membership changes, by their scenario names.
std::optional<MemberOp> MemberOpOf(const std::string& word) {
  for (MemberOp op :
       {MemberOp::kAddVoter, MemberOp::kAddLearner, MemberOp::kPromote,
        MemberOp::kDemote, MemberOp::kRemove}) {
    if (word == MemberOpName(op)) return op;
  }
  return std::nullopt;
}

}  // namespace

absl::Status Parser::ParseAction(Action* out) {
  const std::string what = absl::StrCat("an action (", kActions, ")");
  const size_t at = pos_;
  std::string a;
  SCN_TRY(Word(what, &a));
  std::set<uint64_t> taken;
  if (a == "partition") {
    SCN_TRY(ParsePartition(out));
  } else if (a == "partition-oneway") {
    PartitionOneWay p;
    SCN_TRY(Set(&taken, &p.from));
    SCN_TRY(ExpectPunct("->"));
    SCN_TRY(Set(&taken, &p.to));
    *out = std::move(p);
  } else if (a == "bridge") {
    Bridge b;
    SCN_TRY(Node(&b.bridge));
    taken.insert(b.bridge.value());
    SCN_TRY(Set(&taken, &b.left));
    SCN_TRY(Set(&taken, &b.right));
    SCN_TRY(CoverAll(taken));
    *out = std::move(b);
  } else if (a == "heal") {
    *out = Heal{};
  } else if (a == "isolate" || a == "crash" || a == "restart" ||
             a == "resume" || a == "campaign") {
    NodeId n;
    SCN_TRY(Node(&n));
    if (a == "isolate") *out = Isolate{n};
    if (a == "crash") *out = Crash{n};
    if (a == "restart") *out = Restart{n};
    if (a == "resume") *out = Resume{n};
    if (a == "campaign") *out = Campaign{n};
  } else if (std::optional<MemberOp> op = MemberOpOf(a)) {
    ChangeMembership c;
    c.changes.push_back({*op, NodeId()});
    SCN_TRY(Node(&c.changes[0].node));
    SCN_TRY(Via(&c.via));
    *out = std::move(c);
  } else if (a == "joint" || a == "enter-joint") {
    SCN_TRY(ParseJoint(
        a == "joint" ? ChangeMode::kJoint : ChangeMode::kEnterJoint, out));
  } else if (a == "leave-joint") {
    LeaveJoint l;
    SCN_TRY(Via(&l.via));
    *out = l;
  } else if (a == "transfer") {
    TransferLeader t;
    SCN_TRY(NodeIdWord(
        absl::StrCat("the node to transfer leadership to, in 1..", s_.nodes),
        &t.target));
    SCN_TRY(Via(&t.via));
    *out = t;
  } else if (a == "bootstrap") {
    SCN_TRY(ParseBootstrap(out));
  } else if (a == "pause") {
    SCN_TRY(ParsePause(out));
  } else if (a == "drop" || a == "duplicate") {
    Link link;
    int64_t ppm = 0;
    SCN_TRY(ParseLink(&link));
    SCN_TRY(Probability(&ppm));
    if (a == "drop") *out = Drop{link, ppm};
    if (a == "duplicate") *out = Duplicate{link, ppm};
  } else if (a == "delay") {
    Delay d;
    SCN_TRY(ParseLink(&d.link));
    SCN_TRY(Duration("an extra delay", &d.us));
    *out = d;
  } else if (a == "clog") {
    Clog c;
    SCN_TRY(ParseLink(&c.link));
    SCN_TRY(Duration("how long the link holds its messages", &c.us));
    *out = c;
  } else if (a == "client") {
    ClientOp op;
    SCN_TRY(ParseClientOp(&op));
    *out = std::move(op);
  } else if (a == "propose") {
    Propose p;
    SCN_TRY(Node(&p.node));
    SCN_TRY(Value("the bytes to propose", &p.data));
    *out = std::move(p);
  } else {
    pos_ = at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

absl::Status Parser::ParsePartition(Action* out) {
  std::set<uint64_t> taken;
  Partition p;
  do {
    p.groups.emplace_back();
    SCN_TRY(Set(&taken, &p.groups.back()));
  } while (Peek() != nullptr);
  if (p.groups.size() == 1) {  // "This group against the rest."
    NodeSet rest;
    for (int i = 1; i <= s_.nodes; ++i) {
      if (taken.count(static_cast<uint64_t>(i)) == 0) rest.push_back(NodeId(i));
    }
    for (NodeId id : rest) taken.insert(id.value());
    if (rest.empty()) {
      return FailHere("a second group (the first holds every node)");
    }
    p.groups.push_back(std::move(rest));
  }
  SCN_TRY(CoverAll(taken));
  *out = std::move(p);
  return absl::OkStatus();
}

absl::Status Parser::ParsePause(Action* out) {
  Pause p;
  SCN_TRY(Node(&p.node));
  if (Peek() != nullptr) {
    const size_t d_at = pos_;
    int64_t d = 0;
    SCN_TRY(Duration("a pause length or end of line", &d));
    if (d == 0) {
      pos_ = d_at;
      return FailHere("a pause length above 0");
    }
    p.for_us = d;
  }
  *out = p;
  return absl::OkStatus();
}

absl::Status Parser::ParseClientOp(ClientOp* op) {
  uint64_t id = 0;
  SCN_TRY(CheckedWord(absl::StrCat("a client id in 1..", kScenarioMaxClients),
                      [&](const std::string& w) {
                        return ParseUint(w, kScenarioMaxClients, &id) &&
                               id != 0;
                      }));
  op->client = static_cast<int>(id);
  SCN_TRY(CheckedWord("get, put, append or cas", [&](const std::string& kind) {
    if (kind == "get") {
      op->kind = ClientOpKind::kGet;
    } else if (kind == "put") {
      op->kind = ClientOpKind::kPut;
    } else if (kind == "append") {
      op->kind = ClientOpKind::kAppend;
    } else if (kind == "cas") {
      op->kind = ClientOpKind::kCas;
    } else {
      return false;
    }
    return true;
  }));
  SCN_TRY(Value("a key", &op->key));
  if (op->kind == ClientOpKind::kCas) {
    SCN_TRY(Value("the expected old value", &op->expected));
    SCN_TRY(Value("the new value", &op->value));
  } else if (op->kind != ClientOpKind::kGet) {
    SCN_TRY(Value("a value", &op->value));
  }
  return absl::OkStatus();
}

// `add-voter 4, remove 1, ...` then an optional `via N`: each change is a
// change name and a node, the nodes pairwise different.
absl::Status Parser::ParseJoint(ChangeMode mode, Action* out) {
  ChangeMembership c;
  c.mode = mode;
  std::set<uint64_t> taken;
  for (;;) {
    std::optional<MemberOp> op;
    SCN_TRY(CheckedWord(
        "a membership change (add-voter, add-learner, promote, demote or "
        "remove)",
        [&](const std::string& w) {
          op = MemberOpOf(w);
          return op.has_value();
        }));
    MemberChange change{*op, NodeId()};
    SCN_TRY(Node(&change.node));
    if (!taken.insert(change.node.value()).second) {
      --pos_;
      return FailHere(
          "a node no earlier change of this line names (one change per node)");
    }
    c.changes.push_back(change);
    if (!PeekPunct(",")) break;
    ++pos_;
  }
  SCN_TRY(Via(&c.via));
  *out = std::move(c);
  return absl::OkStatus();
}

// `N {voters} [learners {learners}]`.
absl::Status Parser::ParseBootstrap(Action* out) {
  Bootstrap b;
  SCN_TRY(Node(&b.node));
  std::set<uint64_t> taken;
  SCN_TRY(Set(&taken, &b.voters));
  if (Peek() != nullptr) {
    SCN_TRY(CheckedWord("\"learners\" or end of line",
                        [](const std::string& w) { return w == "learners"; }));
    SCN_TRY(Set(&taken, &b.learners));
  }
  *out = std::move(b);
  return absl::OkStatus();
}

absl::Status Parser::Via(std::optional<NodeId>* out) {
  if (Peek() == nullptr) return absl::OkStatus();
  SCN_TRY(CheckedWord("\"via\" or end of line",
                      [](const std::string& w) { return w == "via"; }));
  NodeId n;
  SCN_TRY(NodeIdWord(
      absl::StrCat("the node to send the request to, in 1..", s_.nodes), &n));
  *out = n;
  return absl::OkStatus();
}

absl::Status Parser::NodeIdWord(absl::string_view what, NodeId* out) {
  return CheckedWord(what, [&](const std::string& w) {
    uint64_t v = 0;
    if (!ParseUint(w, static_cast<uint64_t>(s_.nodes), &v) || v == 0) {
      return false;
    }
    *out = NodeId(v);
    return true;
  });
}

absl::Status Parser::Node(NodeId* out) {
  return NodeIdWord(absl::StrCat("a node id in 1..", s_.nodes), out);
}

// `{1,2}`, `1,2` or `1`. Ids already in `taken` are rejected (so groups
// stay disjoint); the set's ids are added to it.
absl::Status Parser::Set(std::set<uint64_t>* taken, NodeSet* out) {
  const bool braced = PeekPunct("{");
  if (braced) ++pos_;
  out->clear();
  for (;;) {
    NodeId id;
    SCN_TRY(Node(&id));
    if (!taken->insert(id.value()).second) {
      --pos_;
      return FailHere("a node not listed already");
    }
    out->push_back(id);
    if (!PeekPunct(",")) break;
    ++pos_;
  }
  if (braced) SCN_TRY(ExpectPunct("}"));
  std::sort(out->begin(), out->end());
  return absl::OkStatus();
}

absl::Status Parser::CoverAll(const std::set<uint64_t>& taken) {
  for (int i = 1; i <= s_.nodes; ++i) {
    if (taken.count(static_cast<uint64_t>(i)) == 0) {
      return FailHere(absl::StrCat("node ", i, " in a group (groups must ",
                                   "cover every node)"));
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::Endpoint(NodeId* out) {
  if (PeekPunct("*")) {
    ++pos_;
    *out = kNoNode;
    return absl::OkStatus();
  }
  return NodeIdWord(absl::StrCat("a node id in 1..", s_.nodes, " or *"), out);
}

absl::Status Parser::ParseLink(Link* out) {
  SCN_TRY(Endpoint(&out->from));
  SCN_TRY(ExpectPunct("->"));
  SCN_TRY(Endpoint(&out->to));
  if (out->from == out->to && out->from != kNoNode) {
    --pos_;
    return FailHere(absl::StrCat("a node other than ", out->from.value(),
                                 " (a link joins two nodes)"));
  }
  return absl::OkStatus();
}

absl::Status Parser::Duration(absl::string_view what, int64_t* us) {
  return CheckedWord(
      absl::StrCat(what, " (like 150ms, 2s or 1500us, at most ",
                   FormatDuration(kScenarioMaxTimeUs), ")"),
      [&](const std::string& w) { return ParseDuration(w, us); });
}

absl::Status Parser::Probability(int64_t* ppm) {
  return CheckedWord(
      "a probability in 0..1 (at most 6 decimals)",
      [&](const std::string& w) { return ParseProbability(w, ppm); });
}

absl::Status Parser::Value(absl::string_view what, std::string* out) {
  const Token* t = Peek();
  if (t == nullptr || t->kind == Token::kPunct) {
    return FailHere(absl::StrCat(what, " (a word or a \"quoted string\")"));
  }
  *out = t->text;
  ++pos_;
  return absl::OkStatus();
}

}  // namespace raftsim::sim::scenario_internal
