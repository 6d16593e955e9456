// raft/testing/interaction.cc — see interaction.h.

#include "raft/testing/interaction.h"

#include <cstdint>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/check.h"

namespace raftsim::raft::testing {
namespace {

// Indents every line of `text` by two spaces.
std::string Indent(const std::string& text) {
  std::string out;
  for (const absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!out.empty()) out += "\n";
    absl::StrAppend(&out, "  ", line);
  }
  return out;
}

bool ParseU64(const std::string& s, uint64_t* out) {
  return absl::SimpleAtoi(s, out);
}

// A message filter "<from>-><to>" where either side may be `*`.
struct LinkFilter {
  uint64_t from = 0;  // 0 = any.
  uint64_t to = 0;
  bool Matches(const Message& m) const {
    return (from == 0 || m.from.value() == from) &&
           (to == 0 || m.to.value() == to);
  }
};

bool ParseLink(const std::string& s, LinkFilter* f) {
  const size_t arrow = s.find("->");
  if (arrow == std::string::npos) return false;
  const std::string a = s.substr(0, arrow);
  const std::string b = s.substr(arrow + 2);
  if (a != "*" && !ParseU64(a, &f->from)) return false;
  if (b != "*" && !ParseU64(b, &f->to)) return false;
  return true;
}

}  // namespace

Interaction::Interaction() = default;
Interaction::~Interaction() = default;

std::string Interaction::Run(const std::string& line) {
  std::vector<std::string> args =
      absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (args.empty()) return "error: empty command";
  readys_.clear();
  std::string out = RunCommand(args);
  return out.empty() ? "ok" : out;
}

std::vector<NodeId> Interaction::ParseIds(const std::vector<std::string>& args,
                                          size_t from) {
  std::vector<NodeId> ids;
  for (size_t i = from; i < args.size(); ++i) {
    uint64_t id = 0;
    if (args[i] == "all") return cluster_->ids();
    if (!ParseU64(args[i], &id) || id == 0 || id > cluster_->ids().size()) {
      return {};
    }
    ids.push_back(NodeId(id));
  }
  return ids;
}

std::string Interaction::NodeLine(NodeId id) {
  if (cluster_->down(id)) return absl::StrCat(id.Describe(), " down");
  return cluster_->node(id).Describe();
}

std::string Interaction::NewCluster(const std::vector<std::string>& args) {
  Cluster::Options o;
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t eq = args[i].find('=');
    if (eq == std::string::npos) return "error: expected key=value: " + args[i];
    const std::string key = args[i].substr(0, eq);
    const std::string value = args[i].substr(eq + 1);
    uint64_t n = 0;
    const bool is_bool = value == "true" || value == "false";
    const bool b = value == "true";
    if (!is_bool && !ParseU64(value, &n)) return "error: bad value: " + args[i];
    if (key == "voters") {
      o.voters = static_cast<int>(n);
    } else if (key == "pre_vote" && is_bool) {
      o.pre_vote = b;
    } else if (key == "check_quorum" && is_bool) {
      o.check_quorum = b;
    } else if (key == "sync_persist" && is_bool) {
      o.sync_persist = b;
    } else if (key == "election") {
      o.election_timeout_ticks = static_cast<int64_t>(n);
    } else if (key == "heartbeat") {
      o.heartbeat_ticks = static_cast<int64_t>(n);
    } else if (key == "seed") {
      o.seed = n;
    } else if (key == "max_inflight") {
      o.max_inflight_msgs = n;
    } else if (key == "max_msg_bytes") {
      o.max_msg_bytes = n;
    } else {
      return "error: unknown option: " + args[i];
    }
  }
  o.on_ready = [this](NodeId id, const Ready& rd) {
    readys_.push_back(absl::StrCat(id.Describe(), ":\n", Indent(rd.Describe())));
  };
  cluster_ = std::make_unique<Cluster>(std::move(o));
  std::vector<std::string> lines;
  for (const NodeId id : cluster_->ids()) lines.push_back(NodeLine(id));
  return absl::StrJoin(lines, "\n");
}

std::string Interaction::ProcessReady(const std::vector<NodeId>& ids) {
  for (const NodeId id : ids) cluster_->ProcessReady(id);
  std::string out = absl::StrJoin(readys_, "\n");
  readys_.clear();
  return out;
}

std::string Interaction::Persist(NodeId id) {
  const size_t before = cluster_->queued();
  if (cluster_->down(id) || !cluster_->PersistOne(id)) {
    return absl::StrCat(id.Describe(), ": nothing to persist");
  }
  std::vector<std::string> lines = {absl::StrCat(
      id.Describe(), ": durable=", cluster_->node(id).durable_index().Describe())};
  for (size_t i = before; i < cluster_->queued(); ++i) {
    lines.push_back("  release: " + cluster_->queue()[i].Describe());
  }
  return absl::StrJoin(lines, "\n");
}

std::string Interaction::Stabilize() {
  std::vector<std::string> lines;
  for (int round = 0; round < 1000; ++round) {
    bool progress = false;
    for (const NodeId id : cluster_->ids()) {
      if (cluster_->ProcessReady(id)) progress = true;
    }
    for (const std::string& r : readys_) lines.push_back("> " + r);
    readys_.clear();
    for (const NodeId id : cluster_->ids()) {
      while (!cluster_->down(id) && cluster_->pending_persists(id) > 0) {
        lines.push_back(Persist(id));
        progress = true;
      }
    }
    if (cluster_->queued() > 0) {
      lines.push_back("> deliver:");
      for (const Message& m :
           cluster_->Deliver([](const Message&) { return true; })) {
        lines.push_back("  " + m.Describe());
      }
      progress = true;
    }
    if (!progress) return absl::StrJoin(lines, "\n");
  }
  return "error: did not stabilize";
}

std::string Interaction::RunCommand(const std::vector<std::string>& args) {
  const std::string& cmd = args[0];
  if (cmd == "cluster") return NewCluster(args);
  if (cluster_ == nullptr) return "error: no cluster (start with `cluster`)";
  Cluster& c = *cluster_;
  auto node_arg = [&](size_t i, NodeId* id) {
    uint64_t n = 0;
    if (i >= args.size() || !ParseU64(args[i], &n) || n == 0 ||
        n > c.ids().size()) {
      return false;
    }
    *id = NodeId(n);
    return true;
  };
  NodeId id;
  if (cmd == "campaign") {
    if (!node_arg(1, &id) || c.down(id)) return "error: campaign <live id>";
    c.node(id).Campaign();
    return NodeLine(id);
  }
  if (cmd == "propose") {
    if (!node_arg(1, &id) || args.size() < 3 || c.down(id)) {
      return "error: propose <live id> <value>...";
    }
    std::vector<Payload> batch;
    for (size_t i = 2; i < args.size(); ++i) batch.push_back(Payload(args[i]));
    const auto r = c.node(id).Propose(batch);
    if (!r.ok()) return absl::StrCat("refused: ", r.status().ToString());
    return absl::StrCat("proposed ", r->first.Describe(), "..",
                        r->last.Describe(), "@", r->term.Describe());
  }
  if (cmd == "tick") {
    std::vector<NodeId> ids = ParseIds(args, 1);
    uint64_t n = 1;
    if (args.size() == 3 && args[1] != "all") {
      ids = ParseIds({args[0], args[1]}, 1);
      if (!ParseU64(args[2], &n)) ids.clear();
    } else if (args.size() == 3) {
      if (!ParseU64(args[2], &n)) ids.clear();
    }
    if (args.size() < 2 || ids.empty()) return "error: tick <id|all> [n]";
    std::vector<std::string> lines;
    for (uint64_t k = 0; k < n; ++k) {
      for (const NodeId t : ids) c.Tick(t);
    }
    for (const NodeId t : ids) lines.push_back(NodeLine(t));
    return absl::StrJoin(lines, "\n");
  }
  if (cmd == "process-ready") {
    std::vector<NodeId> ids =
        args.size() == 1 ? c.ids() : ParseIds(args, 1);
    if (ids.empty()) return "error: process-ready [id...]";
    return ProcessReady(ids);
  }
  if (cmd == "deliver" || cmd == "drop") {
    LinkFilter f;
    if (args.size() > 2 || (args.size() == 2 && !ParseLink(args[1], &f))) {
      return "error: " + cmd + " [<from>-><to>]";
    }
    auto pred = [&f](const Message& m) { return f.Matches(m); };
    const std::vector<Message> ms =
        cmd == "deliver" ? c.Deliver(pred) : c.Drop(pred);
    std::vector<std::string> lines;
    for (const Message& m : ms) {
      lines.push_back(cmd == "drop" ? "dropped: " + m.Describe()
                                    : m.Describe());
    }
    // Readys are not taken by delivery; nothing else to show.
    return absl::StrJoin(lines, "\n");
  }
  if (cmd == "queue") {
    std::vector<std::string> lines;
    for (const Message& m : c.queue()) lines.push_back(m.Describe());
    return lines.empty() ? "(empty)" : absl::StrJoin(lines, "\n");
  }
  if (cmd == "persist") {
    std::vector<NodeId> ids = ParseIds(args, 1);
    if (args.size() != 2 || ids.empty()) return "error: persist <id|all>";
    if (args[1] != "all") return Persist(ids[0]);
    std::vector<std::string> lines;
    for (const NodeId p : ids) {
      while (!c.down(p) && c.pending_persists(p) > 0) lines.push_back(Persist(p));
    }
    return absl::StrJoin(lines, "\n");
  }
  if (cmd == "stabilize") return Stabilize();
  if (cmd == "isolate") {
    if (!node_arg(1, &id)) return "error: isolate <id>";
    c.Isolate(id);
    return "";
  }
  if (cmd == "cut") {
    LinkFilter f;
    if (args.size() != 2 || !ParseLink(args[1], &f) || f.from == 0 ||
        f.to == 0) {
      return "error: cut <from>-><to>";
    }
    c.Cut(NodeId(f.from), NodeId(f.to));
    return "";
  }
  if (cmd == "heal") {
    c.Heal();
    return "";
  }
  if (cmd == "crash") {
    if (!node_arg(1, &id) || c.down(id)) return "error: crash <live id>";
    c.Crash(id);
    return NodeLine(id);
  }
  if (cmd == "restart") {
    if (!node_arg(1, &id) || !c.down(id)) return "error: restart <down id>";
    c.Restart(id);
    return NodeLine(id);
  }
  if (cmd == "compact") {
    uint64_t keep = 0;
    if (!node_arg(1, &id) || c.down(id) ||
        (args.size() == 3 && !ParseU64(args[2], &keep))) {
      return "error: compact <live id> [keep]";
    }
    if (!c.Compact(id, keep)) return "refused: nothing new applied";
    return NodeLine(id);
  }
  if (cmd == "read-index") {
    uint64_t context = 0;
    if (!node_arg(1, &id) || c.down(id) || args.size() != 3 ||
        !ParseU64(args[2], &context)) {
      return "error: read-index <live id> <context>";
    }
    const absl::Status s = c.node(id).ReadIndex(context);
    return s.ok() ? "" : absl::StrCat("refused: ", s.ToString());
  }
  if (cmd == "status") {
    std::vector<std::string> lines;
    for (const NodeId n : c.ids()) lines.push_back(NodeLine(n));
    return absl::StrJoin(lines, "\n");
  }
  if (cmd == "log") {
    if (!node_arg(1, &id) || c.down(id)) return "error: log <live id>";
    const Node& n = c.node(id);
    const RaftLog& log = n.log();
    std::vector<std::string> lines = {log.Describe()};
    for (LogIndex i = log.FirstIndex(); i <= log.LastIndex(); ++i) {
      const Entry& e = log.At(i);
      lines.push_back(absl::StrCat(
          "  ", e.Describe(),
          e.payload.empty() ? "" : absl::StrCat(" ", std::string(e.payload.view())),
          i <= n.commit_index() ? "" : " (uncommitted)"));
    }
    std::vector<std::string> applied;
    for (const Entry& e : c.applied(id)) {
      applied.push_back(e.payload.empty() ? e.index.Describe()
                                          : absl::StrCat(e.index.Describe(), ":",
                                                         std::string(e.payload.view())));
    }
    lines.push_back("applied: [" + absl::StrJoin(applied, " ") + "]");
    return absl::StrJoin(lines, "\n");
  }
  return "error: unknown command: " + cmd;
}

ScriptResult RunScript(const std::string& name, const std::string& text) {
  ScriptResult result;
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  // A trailing newline yields one empty last element; drop it.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  Interaction interaction;
  std::string out;
  size_t i = 0;
  while (i < lines.size()) {
    const std::string& line = lines[i];
    if (line.empty() || line[0] == '#') {
      out += line + "\n";
      ++i;
      continue;
    }
    ScriptCase c;
    c.line = static_cast<int>(i + 1);
    c.command = line;
    if (i + 1 >= lines.size() || lines[i + 1] != "----") {
      result.failures.push_back(absl::StrCat(name, ":", c.line, ": command `",
                                             line, "` is not followed by ----"));
      out += line + "\n";
      ++i;
      continue;
    }
    i += 2;
    std::vector<std::string> expected;
    while (i < lines.size() && !lines[i].empty()) expected.push_back(lines[i++]);
    c.expected = absl::StrJoin(expected, "\n");
    const std::string actual = interaction.Run(c.command);
    if (actual != c.expected) {
      result.failures.push_back(absl::StrCat(
          name, ":", c.line, ": command `", c.command, "`\nexpected:\n",
          c.expected, "\nactual:\n", actual));
    }
    absl::StrAppend(&out, c.command, "\n----\n", actual, "\n");
  }
  result.rewritten = out;
  return result;
}

}  // namespace raftsim::raft::testing
