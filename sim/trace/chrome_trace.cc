// sim/trace/chrome_trace.cc — see chrome_trace.h. Single-threaded.

#include "sim/trace/chrome_trace.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"
#include "raft/types.h"

namespace raftsim::sim {
namespace {

constexpr int kPid = 1;
constexpr int kClusterTid = 1000;
constexpr int kClientTidBase = 2000;

// A host's thread id is its NodeId value.
int NodeTid(HostIndex node) { return node.value() + 1; }
int ClientTid(int64_t client) {
  return kClientTidBase + static_cast<int>(client);
}

std::string TypeName(const MessageSummary& s) {
  return std::string(raft::MessageTypeName(s.type));
}

bool IsMessage(TraceKind kind) {
  return kind == TraceKind::kSend || kind == TraceKind::kDeliver ||
         kind == TraceKind::kDrop || kind == TraceKind::kDuplicate;
}

// The name of a node's step slice: what the event was, if it happened at
// this node, else the first message record.
std::string StepName(const TraceRecord& head, const TraceRecord& first,
                     HostIndex node) {
  const TraceRecord& r = head.node == node ? head : first;
  switch (r.kind) {
    case TraceKind::kDeliver:
      return absl::StrCat("recv ", TypeName(r.message), " from n",
                          r.message.from);
    case TraceKind::kDrop:
      return absl::StrCat("drop ", TypeName(r.message));
    case TraceKind::kSend:
    case TraceKind::kDuplicate:
      return absl::StrCat("send ", TypeName(r.message));
    case TraceKind::kClientArrive:
      return absl::StrCat("client ", r.client.client, " request");
    default:
      return std::string(TraceKindName(r.kind));
  }
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (ch == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += absl::StrFormat("\\u%04x", u);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

ChromeTraceSink::ChromeTraceSink(int nodes)
    : nodes_(static_cast<size_t>(std::max(nodes, 0))) {}

ChromeTraceSink::MessageKey ChromeTraceSink::KeyOf(const MessageSummary& s) {
  return {{static_cast<uint64_t>(s.type), s.reject ? 1u : 0u, s.from, s.to,
           s.term, s.log_index, s.log_term, s.first_entry, s.entry_count,
           s.commit, s.index, s.index_term, s.hint_term, s.hint_index,
           s.snapshot_index, s.snapshot_term, s.context}};
}

void ChromeTraceSink::OnRecord(const TraceRecord& r, const raft::Message* m,
                               std::string_view text) {
  if (!current_.empty() && current_.front().r.event != r.event) {
    ProcessEvent();
  }
  if (!r.node.is_world() && r.node.slot() >= nodes_.size()) {
    nodes_.resize(r.node.slot() + 1);
  }
  current_.push_back({r, std::string(text), FormatRecord(r, m, text)});
}

ChromeTraceSink::Event& ChromeTraceSink::Add(char ph, int tid, int64_t ts,
                                             std::string name) {
  Event& e = events_.emplace_back();
  e.ph = ph;
  e.tid = tid;
  e.ts = ts;
  e.seq = events_.size();
  e.name = std::move(name);
  return e;
}

void ChromeTraceSink::Instant(int tid, int64_t ts, std::string name,
                              std::string_view cat, std::string_view scope,
                              std::string args) {
  Event& e = Add('i', tid, ts, std::move(name));
  e.cat = std::string(cat);
  e.scope = std::string(scope);
  e.args = std::move(args);
}

void ChromeTraceSink::ProcessEvent() {
  if (current_.empty()) return;
  last_ts_ = current_.front().r.time_us;
  AddSteps(current_);
  last_send_ = 0;
  std::map<HostIndex, int64_t> applied;  // Host -> last index applied.
  for (const Pending& p : current_) {
    Apply(p);
    if (p.r.kind == TraceKind::kApply)
      applied[p.r.node] = static_cast<int64_t>(p.r.apply.index.value());
  }
  for (const auto& [node, index] : applied) {
    Event& e = Add('C', NodeTid(node), last_ts_,
                   absl::StrCat("applied ", node.Describe()));
    e.args = absl::StrCat("\"index\":", index);
  }
  current_.clear();
}

// One step slice per node that sent or received messages in this event;
// a step at the same time as the node's previous one joins it.
void ChromeTraceSink::AddSteps(const std::vector<Pending>& records) {
  const TraceRecord& head = records.front().r;
  const int64_t ts = head.time_us;
  std::map<HostIndex, size_t> step_of;  // Host -> index in events_.
  for (const Pending& p : records) {
    const HostIndex node = p.r.node;
    if (node.is_world() || !IsMessage(p.r.kind) || step_of.count(node) > 0) {
      continue;
    }
    NodeState& n = nodes_[node.slot()];
    if (n.step_ts != ts) {
      Event& e = Add('X', NodeTid(node), ts, StepName(head, p.r, node));
      e.cat = "step";
      e.args = absl::StrCat("\"event\":", head.event);
      n.step_ts = ts;
      n.step = events_.size() - 1;
      n.boundaries.push_back(ts);
    }
    step_of[node] = n.step;
  }
  for (const Pending& p : records) {
    auto it = step_of.find(p.r.node);
    if (it != step_of.end()) events_[it->second].lines.push_back(p.line);
  }
}

void ChromeTraceSink::OnMessage(const Pending& p) {
  const TraceRecord& r = p.r;
  const MessageSummary& s = r.message;
  const int64_t ts = r.time_us;
  const std::string type = TypeName(s);
  const bool at_sender =
      r.kind == TraceKind::kSend || r.kind == TraceKind::kDuplicate ||
      (r.kind == TraceKind::kDrop && r.drop.reason != DropReason::kDown);
  if (at_sender && r.kind != TraceKind::kDrop) {
    if (next_flow_ >= kMaxFlows) {
      ++flows_truncated_;
      last_send_ = 0;
      return;
    }
    const uint64_t id = ++next_flow_;
    in_flight_[KeyOf(s)].push_back(id);
    sends_[id] = {NodeTid(r.node), ts,
                  r.kind == TraceKind::kDuplicate
                      ? absl::StrCat(type, " (duplicate)")
                      : type};
    last_send_ = id;
    return;
  }
  if (r.kind == TraceKind::kDrop && r.drop.reason != DropReason::kDown) {
    // Dropped as it was sent: the send just recorded never arrives.
    if (last_send_ != 0) {
      std::deque<uint64_t>& q = in_flight_[KeyOf(s)];
      if (!q.empty() && q.back() == last_send_) q.pop_back();
      sends_.erase(last_send_);
    }
    Instant(NodeTid(r.node), ts,
            absl::StrCat("drop ", type, " to n", s.to, " (",
                         DropReasonName(r.drop.reason), ")"),
            "drop", "t", absl::StrCat("\"record\":", JsonQuote(p.line)));
    return;
  }
  // Arrival (delivery, or a drop because the destination is down).
  auto q = in_flight_.find(KeyOf(s));
  if (r.kind == TraceKind::kDrop) {
    Instant(NodeTid(r.node), ts,
            absl::StrCat("drop ", type, " from n", s.from, " (down)"), "drop",
            "t", absl::StrCat("\"record\":", JsonQuote(p.line)));
  }
  if (q == in_flight_.end() || q->second.empty()) return;  // Truncated.
  const uint64_t id = q->second.front();
  q->second.pop_front();
  if (q->second.empty()) in_flight_.erase(q);
  const Send send = sends_[id];
  sends_.erase(id);
  const std::string name = r.kind == TraceKind::kDrop
                               ? absl::StrCat(send.name, " (lost)")
                               : send.name;
  Event& start = Add('s', send.tid, send.ts, name);
  start.cat = "msg";
  start.id = id;
  Event& finish = Add('f', NodeTid(r.node), ts, name);
  finish.cat = "msg";
  finish.id = id;
}

void ChromeTraceSink::Apply(const Pending& p) {
  const TraceRecord& r = p.r;
  const int64_t ts = r.time_us;
  if (IsMessage(r.kind)) return OnMessage(p);
  NodeState* n = r.node.is_world() ? nullptr : &nodes_[r.node.slot()];
  switch (r.kind) {
    case TraceKind::kRole:
    case TraceKind::kCrash:
    case TraceKind::kRestart:
    case TraceKind::kPause:
    case TraceKind::kResume:
    case TraceKind::kDiskLost:
    case TraceKind::kRestore:
      if (n == nullptr) return;  // Node records always name a node.
      break;
    default:
      break;
  }
  switch (r.kind) {
    case TraceKind::kRole:
      n->role = absl::StrCat(std::string(raft::RoleName(r.role.role)), " t",
                             r.role.term.value());
      return Relabel(r.node, ts);
    case TraceKind::kCrash:
    case TraceKind::kRestart:
    case TraceKind::kPause:
    case TraceKind::kResume:
      n->down = r.kind == TraceKind::kCrash;
      n->paused = r.kind == TraceKind::kPause;
      if (r.kind == TraceKind::kRestart) n->role = "restarted";
      Instant(NodeTid(r.node), ts, std::string(TraceKindName(r.kind)), "fault",
              "t", "");
      return Relabel(r.node, ts);
    case TraceKind::kDiskLost:
      return Instant(
          NodeTid(r.node), ts,
          absl::StrCat("disk lost: writes_lost=", r.disk_lost.writes_lost,
                       " torn_entries_kept=", r.disk_lost.torn_entries_kept),
          "fault", "t", "");
    case TraceKind::kRestore:
      return Instant(NodeTid(r.node), ts,
                     absl::StrCat("restore snapshot i", r.restore.index.value(),
                                  "@t", r.restore.term.value()),
                     "snapshot", "t", "");
    case TraceKind::kFault: {
      const bool cluster_wide = p.text.rfind("partition", 0) == 0;
      return Instant(kClusterTid, ts, p.text, "fault", cluster_wide ? "g" : "t",
                     "");
    }
    case TraceKind::kPhase:
      return Instant(kClusterTid, ts, absl::StrCat("phase: ", p.text), "phase",
                     "g", "");
    case TraceKind::kViolation: {
      violation_seen_ = true;
      const size_t colon = p.text.find(": ");
      const std::string checker = p.text.substr(0, colon);
      return Instant(
          kClusterTid, ts, absl::StrCat("VIOLATION ", checker), "violation",
          "g",
          absl::StrCat(
              "\"checker\":", JsonQuote(checker), ",\"detail\":",
              JsonQuote(colon == std::string::npos ? p.text
                                                   : p.text.substr(colon + 2)),
              ",\"event\":", r.event));
    }
    case TraceKind::kMetrics: {
      // The metrics pump as counter tracks: commit and applied on one, the
      // apply backlog on another (Perfetto plots each "C" series).
      if (r.node.is_world()) return;
      Event& progress = Add('C', NodeTid(r.node), ts,
                            absl::StrCat("log ", r.node.Describe()));
      progress.args = absl::StrCat("\"commit\":", r.metrics.commit.value(),
                                   ",\"applied\":", r.metrics.applied.value());
      Event& backlog = Add('C', NodeTid(r.node), ts,
                           absl::StrCat("apply backlog ", r.node.Describe()));
      backlog.args = absl::StrCat("\"entries\":", r.metrics.apply_backlog);
      return;
    }
    case TraceKind::kClientCall:
      clients_.insert(r.client_call.client);
      open_ops_[r.client_call.client] = {ts, r.client_call.op,
                                         r.client_call.target, p.text};
      return;
    case TraceKind::kClientReturn: {
      auto it = open_ops_.find(r.client_return.client);
      if (it == open_ops_.end() || it->second.op != r.client_return.op) return;
      const OpenOp& op = it->second;
      std::string name = absl::StrCat(
          op.text, " -> ", ClientOutcomeName(r.client_return.outcome));
      if (!p.text.empty()) absl::StrAppend(&name, " ", p.text);
      Event& e =
          Add('X', ClientTid(r.client_return.client), op.ts, std::move(name));
      e.dur = ts - op.ts;
      e.cat = "client";
      e.args = absl::StrCat("\"op\":", op.op,
                            ",\"node\":", JsonQuote(op.node.Describe()));
      open_ops_.erase(it);
      return;
    }
    default:
      return;
  }
}

// Closes the node's state slice and opens the one its state now calls
// for, if that differs.
void ChromeTraceSink::Relabel(HostIndex node, int64_t ts) {
  NodeState& n = nodes_[node.slot()];
  const std::string label = n.down     ? std::string("down")
                            : n.paused ? absl::StrCat("paused (", n.role, ")")
                                       : n.role;
  if (label == n.label) return;
  CloseState(node, ts);
  n.label = label;
}

// Draws the node's open state slice as ending at `ts`. Zero-length states
// (several changes within one microsecond) are not drawn; the timeline
// (sim/trace/timeline.h) lists them.
void ChromeTraceSink::CloseState(HostIndex node, int64_t ts) {
  NodeState& n = nodes_[node.slot()];
  if (!n.label.empty() && ts > n.since) {
    Event& e = Add('X', NodeTid(node), n.since, n.label);
    e.dur = ts - n.since;
    e.cat = "state";
  }
  n.label.clear();
  n.since = ts;
  n.boundaries.push_back(ts);
}

std::string ChromeTraceSink::Render(const Event& e) const {
  std::string out = absl::StrCat("{\"name\":", JsonQuote(e.name));
  if (!e.cat.empty()) absl::StrAppend(&out, ",\"cat\":", JsonQuote(e.cat));
  absl::StrAppend(&out, ",\"ph\":\"", std::string(1, e.ph), "\"");
  if (e.ph == 's' || e.ph == 'f') absl::StrAppend(&out, ",\"id\":", e.id);
  if (e.ph == 'f') absl::StrAppend(&out, ",\"bp\":\"e\"");
  absl::StrAppend(&out, ",\"pid\":", kPid, ",\"tid\":", e.tid);
  if (e.ph != 'M') absl::StrAppend(&out, ",\"ts\":", e.ts);
  if (e.ph == 'X') absl::StrAppend(&out, ",\"dur\":", e.dur);
  if (!e.scope.empty()) absl::StrAppend(&out, ",\"s\":\"", e.scope, "\"");
  if (!e.args.empty() || !e.lines.empty()) {
    absl::StrAppend(&out, ",\"args\":{", e.args);
    if (!e.lines.empty()) {
      absl::StrAppend(&out, e.args.empty() ? "" : ",", "\"records\":[");
      for (size_t i = 0; i < e.lines.size(); ++i) {
        absl::StrAppend(&out, i == 0 ? "" : ",", JsonQuote(e.lines[i]));
      }
      absl::StrAppend(&out, "]");
    }
    absl::StrAppend(&out, "}");
  }
  absl::StrAppend(&out, "}");
  return out;
}

std::string ChromeTraceSink::Finish(const RunSummary& run) {
  ProcessEvent();
  // Mark what the records did not: a violation found at the end of the
  // run (linearizability), a CHECK failure.
  if (run.result == "safety" && !violation_seen_) {
    Instant(kClusterTid, last_ts_,
            absl::StrCat("VIOLATION ",
                         run.checker.empty() ? std::string("?") : run.checker),
            "violation", "g",
            absl::StrCat("\"checker\":", JsonQuote(run.checker),
                         ",\"detail\":", JsonQuote(run.detail)));
  } else if (run.result == "crash") {
    Instant(kClusterTid, last_ts_, "CRASH (a CHECK failed)", "violation", "g",
            absl::StrCat("\"detail\":", JsonQuote(run.detail)));
  }
  // Everything open ends just after the last step could.
  const int64_t end = last_ts_ + kStepUs;
  for (HostIndex h : Hosts(static_cast<int>(nodes_.size()))) {
    NodeState& n = nodes_[h.slot()];
    CloseState(h, end);
    std::sort(n.boundaries.begin(), n.boundaries.end());
  }
  for (const auto& [client, op] : open_ops_) {
    Event& e = Add('X', ClientTid(client), op.ts,
                   absl::StrCat(op.text, " -> (outstanding)"));
    e.dur = end - op.ts;
    e.cat = "client";
  }
  // Steps end at kStepUs or at the node's next boundary, whichever is
  // first, so they nest inside the state slices.
  for (Event& e : events_) {
    if (e.cat != "step") continue;
    const std::vector<int64_t>& b =
        nodes_[static_cast<size_t>(e.tid - 1)].boundaries;
    auto next = std::upper_bound(b.begin(), b.end(), e.ts);
    e.dur =
        std::min<int64_t>(kStepUs, next == b.end() ? kStepUs : *next - e.ts);
    CHECK_GT(e.dur, 0);
  }
  std::vector<const Event*> order;
  order.reserve(events_.size());
  for (const Event& e : events_) order.push_back(&e);
  // Time order; at equal times, enclosing slices before enclosed ones.
  std::sort(order.begin(), order.end(), [](const Event* x, const Event* y) {
    if (x->ts != y->ts) return x->ts < y->ts;
    if (x->dur != y->dur) return x->dur > y->dur;
    return x->seq < y->seq;
  });

  std::string out = "{\"traceEvents\":[\n";
  auto meta = [&](std::string_view what, int tid, std::string args) {
    Event e;
    e.ph = 'M';
    e.tid = tid;
    e.name = std::string(what);
    e.args = std::move(args);
    absl::StrAppend(&out, Render(e), ",\n");
  };
  auto thread = [&](int tid, std::string_view name, int sort) {
    meta("thread_name", tid, absl::StrCat("\"name\":", JsonQuote(name)));
    meta("thread_sort_index", tid, absl::StrCat("\"sort_index\":", sort));
  };
  meta("process_name", 0,
       absl::StrCat("\"name\":",
                    JsonQuote(absl::StrCat("raftsim seed=", run.seed))));
  thread(kClusterTid, "cluster", 0);
  for (HostIndex h : Hosts(static_cast<int>(nodes_.size()))) {
    thread(NodeTid(h), h.Describe(), h.value() + 1);
  }
  for (int64_t c : clients_) {
    thread(ClientTid(c), absl::StrCat("client ", c),
           static_cast<int>(1000 + c));
  }
  for (size_t i = 0; i < order.size(); ++i) {
    absl::StrAppend(&out, Render(*order[i]),
                    i + 1 < order.size() ? ",\n" : "\n");
  }
  if (order.empty()) {  // Drop the last metadata event's comma.
    out.resize(out.size() - 2);
    out += "\n";
  }
  absl::StrAppend(&out, "],\n\"displayTimeUnit\":\"ms\",\n\"metadata\":{");
  absl::StrAppend(&out, "\"seed\":", run.seed, ",\"options\":{");
  for (size_t i = 0; i < run.options.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", JsonQuote(run.options[i].first),
                    ":", run.options[i].second);
  }
  absl::StrAppend(
      &out, "},\"result\":{\"kind\":", JsonQuote(run.result),
      ",\"detail\":", JsonQuote(run.detail),
      ",\"checker\":", JsonQuote(run.checker), ",\"events\":", run.events,
      ",\"sim_us\":", run.sim_us,
      ",\"trace_hash\":", JsonQuote(absl::StrFormat("%016x", run.trace_hash)),
      ",\"replay\":", JsonQuote(run.replay),
      "},\"flows_truncated\":", flows_truncated_, "}}\n");
  return out;
}

}  // namespace raftsim::sim
