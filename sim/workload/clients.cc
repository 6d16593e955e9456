// sim/workload/clients.cc — see clients.h. Single-threaded.

#include "sim/workload/clients.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "raft/node.h"

namespace raftsim::sim {
namespace {

// The longest timeout a client grows to in the heal phase (see Timeout).
constexpr int64_t kMaxHealTimeoutUs = 1'000'000;

checkers::OpKind KindOf(KvOp op) {
  switch (op) {
    case KvOp::kGet:
      return checkers::OpKind::kGet;
    case KvOp::kPut:
      return checkers::OpKind::kPut;
    case KvOp::kAppend:
      return checkers::OpKind::kAppend;
    case KvOp::kCas:
      return checkers::OpKind::kCas;
  }
  return checkers::OpKind::kGet;
}

// `put("k0", "c1.4")` — the trace text of a command.
std::string Text(const KvCommand& c) {
  switch (c.op) {
    case KvOp::kGet:
      return absl::StrCat("get(\"", c.key, "\")");
    case KvOp::kPut:
      return absl::StrCat("put(\"", c.key, "\", \"", c.value, "\")");
    case KvOp::kAppend:
      return absl::StrCat("append(\"", c.key, "\", \"", c.value, "\")");
    case KvOp::kCas:
      return absl::StrCat("cas(\"", c.key, "\", \"", c.expected, "\" -> \"",
                          c.value, "\")");
  }
  return "?";
}

// The operation definitely did not take effect: refused (not the leader,
// too many uncommitted bytes) or not applied (another leader's entry was
// committed at its index).
bool DefinitelyFailed(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) || absl::IsResourceExhausted(s) ||
         absl::IsAborted(s);
}

}  // namespace

Workload::Workload(EventQueue* queue, Tracer* tracer, Prng prng,
                   const SimOptions& options, std::vector<NodeHost*> hosts)
    : queue_(queue),
      tracer_(tracer),
      prng_(prng),
      options_(options),
      hosts_(std::move(hosts)) {
  CHECK(!hosts_.empty());
  for (int64_t i = 0; i < options.clients; ++i) AddClient();
}

// Fork() does not advance prng_, so creating the clients one at a time
// draws the same streams and targets as creating them all at once.
void Workload::AddClient() {
  const uint64_t i = clients_.size();
  clients_.emplace_back(prng_.Fork(2 * i + 1), prng_.Fork(2 * i + 2));
  Client& c = clients_.back();
  c.index = static_cast<int>(i);
  c.target = HostIndex(
      static_cast<int>(prng_.Uniform(static_cast<uint64_t>(hosts_.size()))));
  c.seen.assign(static_cast<size_t>(options_.keys), "");
  c.background = static_cast<int64_t>(i) < options_.clients;
}

void Workload::AddClients(int count) {
  while (static_cast<int>(clients_.size()) < count) AddClient();
}

void Workload::Script(int index, KvCommand command) {
  CHECK(index >= 0 && index < static_cast<int>(clients_.size()));
  Client& c = clients_[static_cast<size_t>(index)];
  command.client = static_cast<uint64_t>(index) + 1;
  c.scripted.push_back(std::move(command));
  Next(c);
}

void Workload::Start() {
  for (Client& c : clients_) {
    const int index = c.index;
    queue_->After(c.timing.Range(0, options_.think_us_max), kWorld,
                  EventKind::kClient, false, [this, index] {
                    tracer_->Record(kWorld, TraceKind::kClientNext,
                                    ClientPayload{index + 1, 0});
                    Next(clients_[index]);
                  });
  }
}

int Workload::outstanding() const {
  int n = 0;
  for (const Client& c : clients_) {
    n += c.busy || !c.scripted.empty() ? 1 : 0;
  }
  return n;
}

KvCommand Workload::Draw(Client& c) {
  const int64_t w[] = {options_.get_weight, options_.put_weight,
                       options_.append_weight, options_.cas_weight};
  int64_t pick = c.ops.Range(0, w[0] + w[1] + w[2] + w[3] - 1);
  int kind = 0;
  while (pick >= w[kind]) pick -= w[kind++];
  // A reader draws like any client (the streams stay aligned), then reads.
  if (c.index < options_.reader_clients) kind = 0;
  KvCommand cmd;
  cmd.op = static_cast<KvOp>(kind);
  cmd.client = static_cast<uint64_t>(c.index) + 1;
  const uint64_t key = c.ops.Uniform(static_cast<uint64_t>(options_.keys));
  cmd.key = absl::StrCat("k", key);
  c.key = static_cast<size_t>(key);
  // Values are unique per command ("c<client>.<n>": the client's n-th
  // command), so the history shows which write a read saw.
  const std::string token = absl::StrCat("c", c.index + 1, ".", ++c.drawn);
  if (cmd.op == KvOp::kPut || cmd.op == KvOp::kCas) cmd.value = token;
  if (cmd.op == KvOp::kAppend) cmd.value = token + ";";
  if (cmd.op == KvOp::kCas) cmd.expected = c.seen[key];
  return cmd;
}

void Workload::Next(Client& c) {
  if (c.busy) return;
  if (!c.scripted.empty()) {
    KvCommand command = std::move(c.scripted.front());
    c.scripted.pop_front();
    c.key = c.seen.size();  // Not a drawn key: no "last seen" to update.
    return Issue(c, std::move(command));
  }
  if (!issuing_ || !c.background) return;
  Issue(c, Draw(c));
  if (record_drawn_) drawn_.push_back({queue_->now_us(), c.index, c.command});
}

void Workload::Issue(Client& c, KvCommand command) {
  c.target = Serving(c.target);
  c.busy = true;
  c.op = ++next_op_;
  command.request = c.op;
  c.command = std::move(command);
  const KvCommand& cmd = c.command;

  checkers::Operation op;
  op.client = c.index + 1;
  op.kind = KindOf(cmd.op);
  op.key = cmd.key;
  if (cmd.op != KvOp::kGet) op.value = cmd.value;
  if (cmd.op == KvOp::kCas) op.expected = cmd.expected;
  op.call_ns = queue_->now_us() * 1000;
  c.history_index = history_.size();
  history_.push_back(std::move(op));
  dropped_.push_back(false);
  tracer_->RecordText(kWorld, Text(cmd),
                      ClientCallPayload{c.index + 1, static_cast<int64_t>(c.op),
                                        c.target.id()});

  const bool read = cmd.op == KvOp::kGet && options_.read_through_log == 0;
  const int client = c.index;
  const uint64_t id = c.op;
  const HostIndex node = c.target;
  queue_->After(
      c.timing.Range(0, options_.client_latency_us_max), node,
      EventKind::kClient, /*crash_scoped=*/false,
      [this, client, id, node, bytes = EncodeCommand(cmd), read]() mutable {
        Arrive(client, id, node, std::move(bytes), read);
      });
  const int64_t timeout_us =
      c.timeout_us != 0 ? c.timeout_us : options_.client_timeout_ms * 1000;
  c.timeout = queue_->After(timeout_us, kWorld, EventKind::kClient, false,
                            [this, client, id] { Timeout(client, id); });
}

void Workload::Arrive(int client, uint64_t op, HostIndex node,
                      std::string bytes, bool read) {
  tracer_->Record(node, TraceKind::kClientArrive,
                  ClientPayload{client + 1, static_cast<int64_t>(op)});
  NodeHost* host = hosts_[node.slot()];
  if (!host->up()) return;  // Lost with the node; the client times out.
  auto done = [this, client, op](absl::StatusOr<std::string> result) {
    Prng& timing = clients_[static_cast<size_t>(client)].timing;
    queue_->After(timing.Range(0, options_.client_latency_us_max), kWorld,
                  EventKind::kClient, false,
                  [this, client, op, result = std::move(result)]() mutable {
                    Reply(client, op, std::move(result));
                  });
  };
  if (read) {
    host->Read(std::move(bytes), std::move(done));
  } else {
    host->Submit(std::move(bytes), std::move(done));
  }
}

void Workload::Reply(int client, uint64_t op,
                     absl::StatusOr<std::string> result) {
  tracer_->Record(kWorld, TraceKind::kClientReply,
                  ClientPayload{client + 1, static_cast<int64_t>(op)});
  Client& c = clients_[static_cast<size_t>(client)];
  if (!c.busy || c.op != op) return;  // A reply to an abandoned operation.
  queue_->Cancel(c.timeout);
  if (result.ok()) {
    c.timeout_us = 0;
    Finish(c, false, &*result);
    const int index = c.index;
    queue_->After(c.timing.Range(0, options_.think_us_max), kWorld,
                  EventKind::kClient, false, [this, index] {
                    tracer_->Record(kWorld, TraceKind::kClientNext,
                                    ClientPayload{index + 1, 0});
                    Next(clients_[index]);
                  });
    return;
  }
  const absl::Status& s = result.status();
  const bool failed = DefinitelyFailed(s);
  if (!failed && !absl::IsUnavailable(s) && !contract_violation_.has_value()) {
    contract_violation_ = absl::StrCat(
        "client ", client + 1, " op ", op,
        c.command.op == KvOp::kGet ? " (read)" : " (write)",
        " got an error outside the Server's contract: ", s.ToString());
  }
  const bool definite = failed || c.command.op == KvOp::kGet;
  Finish(c, definite, nullptr);
  const raft::NodeId hint = raft::LeaderHint(s);
  const bool use_hint = hint != raft::kNoNode && hint.value() <= hosts_.size();
  const HostIndex hinted = use_hint ? HostIndex::Of(hint) : c.target;
  if (!use_hint && Sticky(c) && absl::IsUnavailable(s)) return MoveOn(c);
  Retry(c, use_hint ? hinted : OtherNode(c.target));
}

void Workload::Timeout(int client, uint64_t op) {
  Client& c = clients_[static_cast<size_t>(client)];
  tracer_->Record(kWorld, TraceKind::kClientTimeout,
                  ClientPayload{client + 1, static_cast<int64_t>(op)});
  if (!c.busy || c.op != op) return;
  ++timeouts_;
  // In the heal phase a client that timed out doubles its timeout (up to
  // kMaxHealTimeoutUs): a timeout drawn below the commit latency of a
  // loaded cluster would otherwise retry forever and never finish.
  if (!issuing_) {
    const int64_t base = options_.client_timeout_ms * 1000;
    const int64_t now = c.timeout_us != 0 ? c.timeout_us : base;
    c.timeout_us = std::max(base, std::min(2 * now, kMaxHealTimeoutUs));
  }
  Finish(c, c.command.op == KvOp::kGet, nullptr);
  if (Sticky(c)) return MoveOn(c);
  Retry(c, OtherNode(c.target));
}

void Workload::Finish(Client& c, bool drop, const std::string* result) {
  checkers::Operation& op = history_[c.history_index];
  c.busy = false;
  ClientOutcome outcome = kClientUnknown;
  std::string text;
  if (result != nullptr) {
    outcome = kClientOk;
    ++completed_;
    op.return_ns = queue_->now_us() * 1000;
    text = *result;
    // A scripted command has no drawn key (c.key == seen.size()): nothing
    // to remember for later cas draws.
    std::string scratch;
    std::string& seen = c.key < c.seen.size() ? c.seen[c.key] : scratch;
    switch (c.command.op) {
      case KvOp::kGet:
        op.output = *result;
        seen = *result;
        break;
      case KvOp::kCas:
        op.output = *result == "true";
        if (*result == "true") seen = c.command.value;
        break;
      case KvOp::kPut:
        seen = c.command.value;
        break;
      case KvOp::kAppend:
        break;
    }
  } else if (drop) {
    outcome = kClientFailed;
    dropped_[c.history_index] = true;
  }
  tracer_->RecordText(
      kWorld, text,
      ClientReturnPayload{c.index + 1, static_cast<int64_t>(c.op), outcome});
}

bool Workload::Sticky(const Client& c) const {
  return options_.sticky_clients >= 2 ||
         (options_.sticky_clients == 1 && c.index % 2 == 0);
}

void Workload::MoveOn(Client& c) {
  // Jepsen's workers do this: the operation stays indeterminate, and the
  // worker goes on with its next one at the same node. In the heal phase
  // (no new operations) the command is retried there instead, so that
  // liveness still waits for it.
  if (!issuing_ || !c.background || !c.scripted.empty()) {
    return Retry(c, c.target);
  }
  ++moved_on_;
  const int index = c.index;
  queue_->After(c.timing.Range(100, 2000), kWorld, EventKind::kClient, false,
                [this, index] {
                  tracer_->Record(kWorld, TraceKind::kClientNext,
                                  ClientPayload{index + 1, 0});
                  Next(clients_[index]);
                });
}

void Workload::Retry(Client& c, HostIndex node) {
  c.target = node;
  // A short backoff so that a cluster without a leader is not hammered.
  const int index = c.index;
  c.busy = true;  // Still outstanding from the liveness point of view.
  c.op = 0;
  queue_->After(c.timing.Range(100, 2000), kWorld, EventKind::kClient, false,
                [this, index] {
                  tracer_->Record(kWorld, TraceKind::kClientNext,
                                  ClientPayload{index + 1, 0});
                  Client& c = clients_[index];
                  Issue(c, c.command);
                });
}

HostIndex Workload::Serving(HostIndex node) const {
  const int n = static_cast<int>(hosts_.size());
  for (int step = 0; step < n; ++step) {
    const HostIndex h((node.value() + step) % n);
    if (hosts_[h.slot()]->serving()) return h;
  }
  return node;
}

HostIndex Workload::OtherNode(HostIndex node) {
  const int n = static_cast<int>(hosts_.size());
  if (n == 1) return node;
  const int step = static_cast<int>(prng_.Range(1, n - 1));
  return HostIndex((node.value() + step) % n);
}

checkers::History Workload::History() const {
  checkers::History out;
  out.reserve(history_.size());
  for (size_t i = 0; i < history_.size(); ++i) {
    if (!dropped_[i]) out.push_back(history_[i]);
  }
  return out;
}

}  // namespace raftsim::sim
