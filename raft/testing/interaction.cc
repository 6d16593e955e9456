// raft/testing/interaction.cc — see interaction.h.

#include "raft/testing/interaction.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "raft/node.h"
#include "raft/testing/cluster.h"

namespace raftsim::raft::testing {

struct Interaction::State {
  std::unique_ptr<Cluster> cluster;
  // Readys taken since the last command, as printed (filled by on_ready).
  std::vector<std::string> readys;
};

namespace {

using State = Interaction::State;
using Args = std::vector<std::string>;
using Result = absl::StatusOr<std::string>;

// One entry of the command table.
struct Command {
  const char* name;
  // Arguments as they follow the name ("" for none).
  const char* usage;
  // False only for `cluster`, which makes the cluster the others need.
  bool needs_cluster;
  Result (*run)(State&, const Args&);
};

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(what);
}

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

absl::StatusOr<uint64_t> Count(const std::string& s) {
  uint64_t n = 0;
  if (!ParseU64(s, &n)) return Bad(absl::StrCat("`", s, "` is not a number"));
  return n;
}

enum class Want { kAny, kLive, kDown };

// Parses node id `s` of the cluster; `want` says whether it must be up or
// down.
absl::StatusOr<NodeId> ParseNode(const State& st, const std::string& s,
                                 Want want) {
  uint64_t n = 0;
  const size_t size = st.cluster->ids().size();
  if (!ParseU64(s, &n) || n == 0 || n > size) {
    return Bad(absl::StrCat("`", s, "` is not a node id (1..", size, ")"));
  }
  const NodeId id(n);
  if (want == Want::kLive && st.cluster->down(id)) {
    return Bad(absl::StrCat(id.Describe(), " is down"));
  }
  if (want == Want::kDown && !st.cluster->down(id)) {
    return Bad(absl::StrCat(id.Describe(), " is not down"));
  }
  return id;
}

absl::Status ArgCount(const Args& args, size_t min, size_t max) {
  const size_t n = args.size() - 1;
  if (n < min) return Bad("missing argument");
  if (n > max)
    return Bad(absl::StrCat("unexpected argument `", args[max + 1], "`"));
  return absl::OkStatus();
}

// Node ids, or `all` for every node.
absl::StatusOr<std::vector<NodeId>> ParseIds(const State& st, const Args& args,
                                             size_t from, size_t to) {
  std::vector<NodeId> ids;
  for (size_t i = from; i < to; ++i) {
    if (args[i] == "all") return st.cluster->ids();
    absl::StatusOr<NodeId> id = ParseNode(st, args[i], Want::kAny);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  return ids;
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

absl::StatusOr<LinkFilter> ParseLink(const State& st, const std::string& s,
                                     bool wildcards) {
  const absl::Status bad =
      Bad(absl::StrCat("`", s, "` is not a link <from>-><to>"));
  const size_t arrow = s.find("->");
  if (arrow == std::string::npos) return bad;
  LinkFilter f;
  const std::string ends[2] = {s.substr(0, arrow), s.substr(arrow + 2)};
  uint64_t* out[2] = {&f.from, &f.to};
  for (int k = 0; k < 2; ++k) {
    if (ends[k] == "*" && wildcards) continue;
    absl::StatusOr<NodeId> id = ParseNode(st, ends[k], Want::kAny);
    if (!id.ok()) return bad;
    *out[k] = id->value();
  }
  return f;
}

std::string NodeLine(const State& st, NodeId id) {
  if (st.cluster->down(id)) return absl::StrCat(id.Describe(), " down");
  return st.cluster->node(id).Describe();
}

std::string AllNodes(const State& st) {
  std::vector<std::string> lines;
  for (const NodeId id : st.cluster->ids()) lines.push_back(NodeLine(st, id));
  return absl::StrJoin(lines, "\n");
}

// Ready::Describe, plus the read states it leaves out.
std::string DescribeReady(const Ready& rd) {
  std::string out = rd.Describe();
  if (rd.read_states.empty()) return out;
  std::vector<std::string> reads;
  for (const ReadState& r : rd.read_states) {
    reads.push_back(
        absl::StrCat("read: ctx=", r.context, " index=", r.index.Describe()));
  }
  if (out == "(empty)") out.clear();
  if (!out.empty()) out += "\n";
  return out + absl::StrJoin(reads, "\n");
}

// Reports one pending write of `id` durable; prints what it releases.
std::string PersistOne(State& st, NodeId id) {
  Cluster& c = *st.cluster;
  const size_t before = c.queued();
  if (c.down(id) || !c.PersistOne(id)) {
    return absl::StrCat(id.Describe(), ": nothing to persist");
  }
  std::vector<std::string> lines = {absl::StrCat(
      id.Describe(), ": durable=", c.node(id).durable_index().Describe())};
  for (size_t i = before; i < c.queued(); ++i) {
    lines.push_back("  release: " + c.queue()[i].Describe());
  }
  return absl::StrJoin(lines, "\n");
}

// Process-ready / persist / deliver until nothing is left.
Result StabilizeAll(State& st) {
  Cluster& c = *st.cluster;
  std::vector<std::string> lines;
  for (int round = 0; round < 1000; ++round) {
    bool progress = false;
    for (const NodeId id : c.ids()) {
      if (c.ProcessReady(id)) progress = true;
    }
    for (const std::string& r : st.readys) lines.push_back("> " + r);
    st.readys.clear();
    for (const NodeId id : c.ids()) {
      while (!c.down(id) && c.pending_persists(id) > 0) {
        lines.push_back(PersistOne(st, id));
        progress = true;
      }
    }
    if (c.queued() > 0) {
      lines.push_back("> deliver:");
      for (const Message& m : c.Deliver([](const Message&) { return true; })) {
        lines.push_back("  " + m.Describe());
      }
      progress = true;
    }
    if (!progress) return absl::StrJoin(lines, "\n");
  }
  return absl::InternalError("did not stabilize in 1000 rounds");
}

// --- Handlers, in table order. ---

Result CmdCluster(State& st, const Args& args) {
  Cluster::Options o;
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t eq = args[i].find('=');
    if (eq == std::string::npos) {
      return Bad(absl::StrCat("`", args[i], "` is not key=value"));
    }
    const std::string key = args[i].substr(0, eq);
    const std::string value = args[i].substr(eq + 1);
    uint64_t n = 0;
    const bool is_bool = value == "true" || value == "false";
    const bool b = value == "true";
    const bool is_num = ParseU64(value, &n);
    const absl::Status bad_value =
        Bad(absl::StrCat("bad value in `", args[i], "`"));
    if (key == "pre_vote" || key == "check_quorum" || key == "sync_persist") {
      if (!is_bool) return bad_value;
      (key == "pre_vote"       ? o.pre_vote
       : key == "check_quorum" ? o.check_quorum
                               : o.sync_persist) = b;
      continue;
    }
    if (!is_num) return bad_value;
    if (key == "voters") {
      if (n == 0 || n > 9) return bad_value;
      o.voters = static_cast<int>(n);
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
      return Bad(absl::StrCat("unknown option `", key, "`"));
    }
  }
  o.on_ready = [&st](NodeId id, const Ready& rd) {
    st.readys.push_back(
        absl::StrCat(id.Describe(), ":\n", Indent(DescribeReady(rd))));
  };
  st.cluster = std::make_unique<Cluster>(std::move(o));
  return AllNodes(st);
}

Result CmdCampaign(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  st.cluster->node(*id).Campaign();
  return NodeLine(st, *id);
}

Result CmdElect(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  st.cluster->node(*id).Campaign();
  Result r = StabilizeAll(st);
  if (!r.ok()) return r;
  return AllNodes(st);
}

Result CmdPropose(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 2, args.size()); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  std::vector<Payload> batch;
  for (size_t i = 2; i < args.size(); ++i) batch.push_back(Payload(args[i]));
  const auto r = st.cluster->node(*id).Propose(batch);
  if (!r.ok()) return absl::StrCat("refused: ", r.status().ToString());
  return absl::StrCat("proposed ", r->first.Describe(), "..",
                      r->last.Describe(), "@", r->term.Describe());
}

Result CmdTick(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 2); !s.ok()) return s;
  absl::StatusOr<std::vector<NodeId>> ids = ParseIds(st, args, 1, 2);
  if (!ids.ok()) return ids.status();
  uint64_t n = 1;
  if (args.size() == 3) {
    absl::StatusOr<uint64_t> c = Count(args[2]);
    if (!c.ok()) return c.status();
    n = *c;
  }
  for (uint64_t k = 0; k < n; ++k) {
    for (const NodeId t : *ids) st.cluster->Tick(t);
  }
  std::vector<std::string> lines;
  for (const NodeId t : *ids) lines.push_back(NodeLine(st, t));
  return absl::StrJoin(lines, "\n");
}

Result CmdProcessReady(State& st, const Args& args) {
  absl::StatusOr<std::vector<NodeId>> ids =
      args.size() == 1 ? st.cluster->ids() : ParseIds(st, args, 1, args.size());
  if (!ids.ok()) return ids.status();
  for (const NodeId id : *ids) st.cluster->ProcessReady(id);
  std::string out = absl::StrJoin(st.readys, "\n");
  st.readys.clear();
  return out;
}

// deliver / drop.
Result DeliverOrDrop(State& st, const Args& args, bool deliver) {
  if (absl::Status s = ArgCount(args, 0, 1); !s.ok()) return s;
  LinkFilter f;
  if (args.size() == 2) {
    absl::StatusOr<LinkFilter> parsed = ParseLink(st, args[1], true);
    if (!parsed.ok()) return parsed.status();
    f = *parsed;
  }
  auto pred = [&f](const Message& m) { return f.Matches(m); };
  const std::vector<Message> ms =
      deliver ? st.cluster->Deliver(pred) : st.cluster->Drop(pred);
  std::vector<std::string> lines;
  for (const Message& m : ms) {
    lines.push_back(deliver ? m.Describe() : "dropped: " + m.Describe());
  }
  // Readys are not taken by delivery; nothing else to show.
  return absl::StrJoin(lines, "\n");
}

Result CmdDeliver(State& st, const Args& args) {
  return DeliverOrDrop(st, args, true);
}

Result CmdDrop(State& st, const Args& args) {
  return DeliverOrDrop(st, args, false);
}

Result CmdQueue(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 0, 0); !s.ok()) return s;
  std::vector<std::string> lines;
  for (const Message& m : st.cluster->queue()) lines.push_back(m.Describe());
  return lines.empty() ? "(empty)" : absl::StrJoin(lines, "\n");
}

Result CmdPersist(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<std::vector<NodeId>> ids = ParseIds(st, args, 1, 2);
  if (!ids.ok()) return ids.status();
  if (args[1] != "all") return PersistOne(st, ids->front());
  std::vector<std::string> lines;
  for (const NodeId p : *ids) {
    while (!st.cluster->down(p) && st.cluster->pending_persists(p) > 0) {
      lines.push_back(PersistOne(st, p));
    }
  }
  return absl::StrJoin(lines, "\n");
}

Result CmdStabilize(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 0, 0); !s.ok()) return s;
  return StabilizeAll(st);
}

Result CmdIsolate(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kAny);
  if (!id.ok()) return id.status();
  st.cluster->Isolate(*id);
  return "";
}

Result CmdCut(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<LinkFilter> f = ParseLink(st, args[1], false);
  if (!f.ok()) return f.status();
  st.cluster->Cut(NodeId(f->from), NodeId(f->to));
  return "";
}

Result CmdHeal(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 0, 0); !s.ok()) return s;
  st.cluster->Heal();
  return "";
}

Result CmdCrash(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  st.cluster->Crash(*id);
  return NodeLine(st, *id);
}

Result CmdRestart(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kDown);
  if (!id.ok()) return id.status();
  st.cluster->Restart(*id);
  return NodeLine(st, *id);
}

Result CmdCompact(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 2); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  uint64_t keep = 0;
  if (args.size() == 3) {
    absl::StatusOr<uint64_t> k = Count(args[2]);
    if (!k.ok()) return k.status();
    keep = *k;
  }
  if (!st.cluster->Compact(*id, keep)) return "refused: nothing new applied";
  return NodeLine(st, *id);
}

Result CmdReadIndex(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 2, 2); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  absl::StatusOr<uint64_t> context = Count(args[2]);
  if (!context.ok()) return context.status();
  const absl::Status s = st.cluster->node(*id).ReadIndex(*context);
  return s.ok() ? "" : absl::StrCat("refused: ", s.ToString());
}

Result CmdStatus(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 0, 0); !s.ok()) return s;
  return AllNodes(st);
}

Result CmdLog(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  const Node& n = st.cluster->node(*id);
  const RaftLog& log = n.log();
  std::vector<std::string> lines = {log.Describe()};
  for (LogIndex i = log.FirstIndex(); i <= log.LastIndex(); ++i) {
    const Entry& e = log.At(i);
    lines.push_back(absl::StrCat(
        "  ", e.Describe(),
        e.payload.empty() ? ""
                          : absl::StrCat(" ", std::string(e.payload.view())),
        i <= n.commit_index() ? "" : " (uncommitted)"));
  }
  std::vector<std::string> applied;
  for (const Entry& e : st.cluster->applied(*id)) {
    applied.push_back(e.payload.empty()
                          ? e.index.Describe()
                          : absl::StrCat(e.index.Describe(), ":",
                                         std::string(e.payload.view())));
  }
  lines.push_back("applied: [" + absl::StrJoin(applied, " ") + "]");
  return absl::StrJoin(lines, "\n");
}

Result CmdProgress(State& st, const Args& args) {
  if (absl::Status s = ArgCount(args, 1, 1); !s.ok()) return s;
  absl::StatusOr<NodeId> id = ParseNode(st, args[1], Want::kLive);
  if (!id.ok()) return id.status();
  const Node& n = st.cluster->node(*id);
  if (n.role() != Role::kLeader) {
    return absl::StrCat(id->Describe(), " is not the leader");
  }
  std::vector<std::string> lines;
  for (const NodeId peer : st.cluster->ids()) {
    if (peer == *id) continue;
    const tracker::Progress* pr = n.tracker().Get(peer);
    if (pr == nullptr) continue;
    lines.push_back(absl::StrCat(peer.Describe(), ": ", pr->Describe()));
  }
  return absl::StrJoin(lines, "\n");
}

const std::vector<Command>& Commands() {
  static const std::vector<Command>* const kCommands = new std::vector<Command>{
      {"cluster",
       "[voters=3] [pre_vote=true] [check_quorum=true] [sync_persist=true] "
       "[election=10] [heartbeat=1] [seed=1] [max_inflight=256] "
       "[max_msg_bytes=1048576]",
       false, CmdCluster},
      {"campaign", "<id>", true, CmdCampaign},
      {"elect", "<id>", true, CmdElect},
      {"propose", "<id> <value>...", true, CmdPropose},
      {"tick", "<id|all> [n]", true, CmdTick},
      {"process-ready", "[id|all...]", true, CmdProcessReady},
      {"deliver", "[<from>-><to>]", true, CmdDeliver},
      {"drop", "[<from>-><to>]", true, CmdDrop},
      {"queue", "", true, CmdQueue},
      {"persist", "<id|all>", true, CmdPersist},
      {"stabilize", "", true, CmdStabilize},
      {"isolate", "<id>", true, CmdIsolate},
      {"cut", "<from>-><to>", true, CmdCut},
      {"heal", "", true, CmdHeal},
      {"crash", "<live id>", true, CmdCrash},
      {"restart", "<down id>", true, CmdRestart},
      {"compact", "<live id> [keep]", true, CmdCompact},
      {"read-index", "<live id> <context>", true, CmdReadIndex},
      {"status", "", true, CmdStatus},
      {"log", "<live id>", true, CmdLog},
      {"progress", "<leader id>", true, CmdProgress},
  };
  return *kCommands;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string UsageLine(const Command& c) {
  return *c.usage == '\0' ? std::string(c.name)
                          : absl::StrCat(c.name, " ", c.usage);
}

// Levenshtein distance.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

constexpr char kErrorPrefix[] = "error: ";

}  // namespace

std::string ClosestCommand(const std::string& name) {
  const Command* best = nullptr;
  size_t best_distance = 0;
  for (const Command& c : Commands()) {
    const size_t d = EditDistance(name, c.name);
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  return best->name;
}

Interaction::Interaction() : state_(std::make_unique<State>()) {}
Interaction::~Interaction() = default;

std::vector<std::string> Interaction::Usage() {
  std::vector<std::string> lines;
  for (const Command& c : Commands()) lines.push_back(UsageLine(c));
  return lines;
}

std::string Interaction::Run(const std::string& line) {
  const Args args = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (args.empty()) return absl::StrCat(kErrorPrefix, "empty command");
  const Command* cmd = FindCommand(args[0]);
  if (cmd == nullptr) {
    return absl::StrCat(kErrorPrefix, "unknown command `", args[0],
                        "`; did you mean `", ClosestCommand(args[0]), "`?");
  }
  if (cmd->needs_cluster && state_->cluster == nullptr) {
    return absl::StrCat(kErrorPrefix, cmd->name,
                        ": no cluster yet (start with `cluster`)");
  }
  state_->readys.clear();
  const Result r = cmd->run(*state_, args);
  if (!r.ok()) {
    return absl::StrCat(kErrorPrefix, cmd->name, ": ", r.status().message(),
                        "; usage: ", UsageLine(*cmd));
  }
  return r->empty() ? "ok" : *r;
}

ScriptResult RunScript(const std::string& name, const std::string& text) {
  ScriptResult result;
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  // A trailing newline yields one empty last element; drop it.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  Interaction interaction;
  std::string out;
  auto error = [&](int line, const std::string& what) {
    const std::string e = absl::StrCat(name, ":", line, ": ", what);
    result.errors.push_back(e);
    result.failures.push_back(e);
  };
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
      error(c.line,
            absl::StrCat("command `", line, "` is not followed by ----"));
      out += line + "\n";
      ++i;
      continue;
    }
    i += 2;
    std::vector<std::string> expected;
    while (i < lines.size() && !lines[i].empty())
      expected.push_back(lines[i++]);
    c.expected = absl::StrJoin(expected, "\n");
    const std::string actual = interaction.Run(c.command);
    if (actual.rfind(kErrorPrefix, 0) == 0) {
      error(c.line, actual.substr(sizeof(kErrorPrefix) - 1));
    } else if (actual != c.expected) {
      result.failures.push_back(
          absl::StrCat(name, ":", c.line, ": command `", c.command,
                       "`\nexpected:\n", c.expected, "\nactual:\n", actual));
    }
    absl::StrAppend(&out, c.command, "\n----\n", actual, "\n");
  }
  result.rewritten = out;
  return result;
}

}  // namespace raftsim::raft::testing
