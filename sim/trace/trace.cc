// sim/trace/trace.cc — see trace.h. Single-threaded.

#include "sim/trace/trace.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "raft/types.h"

namespace raftsim::sim {

std::string_view TraceKindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kTimer:
      return "timer";
    case TraceKind::kPost:
      return "post";
    case TraceKind::kDeliver:
      return "deliver";
    case TraceKind::kDiskSync:
      return "disk-sync";
    case TraceKind::kClientArrive:
      return "client-arrive";
    case TraceKind::kClientReply:
      return "client-reply";
    case TraceKind::kClientTimeout:
      return "client-timeout";
    case TraceKind::kClientNext:
      return "client-next";
    case TraceKind::kFault:
      return "fault";
    case TraceKind::kPhase:
      return "phase";
    case TraceKind::kSend:
      return "send";
    case TraceKind::kDrop:
      return "drop";
    case TraceKind::kDuplicate:
      return "duplicate";
    case TraceKind::kDiskWrite:
      return "disk-write";
    case TraceKind::kDiskLost:
      return "disk-lost";
    case TraceKind::kRole:
      return "role";
    case TraceKind::kApply:
      return "apply";
    case TraceKind::kRestore:
      return "restore";
    case TraceKind::kCrash:
      return "crash";
    case TraceKind::kRestart:
      return "restart";
    case TraceKind::kPause:
      return "pause";
    case TraceKind::kResume:
      return "resume";
    case TraceKind::kClientCall:
      return "client-call";
    case TraceKind::kClientReturn:
      return "client-return";
    case TraceKind::kViolation:
      return "violation";
    case TraceKind::kReadIssue:
      return "read-issue";
    case TraceKind::kReadConfirm:
      return "read-confirm";
    case TraceKind::kCampaign:
      return "campaign";
    case TraceKind::kMetrics:
      return "metrics";
    case TraceKind::kStorage:
      return "storage";
    case TraceKind::kMembership:
      return "membership";
  }
  return "unknown";
}

const char* ClientOutcomeName(int64_t outcome) {
  switch (outcome) {
    case kClientOk:
      return "ok";
    case kClientFailed:
      return "failed";
    default:
      return "unknown";
  }
}

MessageSummary MessageSummary::Of(const raft::Message& m) {
  MessageSummary s;
  s.type = m.type;
  s.reject = m.reject;
  s.from = m.from.value();
  s.to = m.to.value();
  s.term = m.term.value();
  const bool vote = m.type == raft::MessageType::kVote ||
                    m.type == raft::MessageType::kPreVote;
  s.log_index = vote ? m.last_log_index.value() : m.prev_log_index.value();
  s.log_term = vote ? m.last_log_term.value() : m.prev_log_term.value();
  s.first_entry = m.entries.empty() ? 0 : m.entries.front().index.value();
  s.entry_count = m.entries.size();
  s.commit = m.commit.value();
  s.index = m.index.value();
  s.index_term = m.index_term.value();
  s.hint_term = m.hint_term.value();
  s.hint_index = m.hint_index.value();
  if (m.snapshot != nullptr) {
    s.snapshot_index = m.snapshot->meta.index.value();
    s.snapshot_term = m.snapshot->meta.term.value();
  }
  s.context = m.context;
  return s;
}

std::string MessageSummary::Describe() const {
  std::string out =
      absl::StrCat(std::string(raft::MessageTypeName(type)),
                   reject ? "(reject)" : "", " n", from, "->n", to, " t", term);
  if (log_index != 0 || log_term != 0) {
    absl::StrAppend(&out, " log=i", log_index, "@t", log_term);
  }
  if (entry_count != 0) {
    absl::StrAppend(&out, " entries=i", first_entry, "+", entry_count);
  }
  if (index != 0 || index_term != 0) {
    absl::StrAppend(&out, " index=i", index, "@t", index_term);
  }
  if (commit != 0) absl::StrAppend(&out, " commit=i", commit);
  if (snapshot_index != 0) {
    absl::StrAppend(&out, " snap=i", snapshot_index, "@t", snapshot_term);
  }
  if (context != 0) absl::StrAppend(&out, " ctx=", context);
  return out;
}

void Tracer::BeginEvent(uint64_t number, int64_t time_us) {
  event_ = number;
  time_us_ = time_us;
  records_.clear();
}

namespace {

TraceRecord Make(HostIndex node, TraceKind kind) {
  TraceRecord r;
  r.node = node;
  r.kind = kind;
  return r;
}

}  // namespace

const char* MembershipEventName(MembershipEvent event) {
  switch (event) {
    case MembershipEvent::kRequest:
      return "request";
    case MembershipEvent::kDone:
      return "done";
    case MembershipEvent::kFailed:
      return "failed";
    case MembershipEvent::kSkipped:
      return "skipped";
    case MembershipEvent::kInForce:
      return "in-force";
    case MembershipEvent::kTransfer:
      return "transfer";
    case MembershipEvent::kBootstrap:
      return "bootstrap";
    case MembershipEvent::kStartSpare:
      return "start-spare";
    case MembershipEvent::kRetire:
      return "retire";
  }
  return "request";
}

const char* DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kLoss:
      return "loss";
    case DropReason::kPartition:
      return "partition";
    case DropReason::kDown:
      return "down";
    case DropReason::kRule:
      return "rule";
  }
  return "loss";
}

std::array<uint64_t, 3> PayloadWords(const TraceRecord& r) {
  auto u = [](int64_t v) { return static_cast<uint64_t>(v); };
  switch (r.kind) {
    case TraceKind::kDiskSync:
    case TraceKind::kDiskWrite:
      return {r.disk.first.value(), r.disk.last.value(),
              r.disk.hard_state ? 1u : 0u};
    case TraceKind::kDiskLost:
      return {u(r.disk_lost.writes_lost), u(r.disk_lost.torn_entries_kept), 0};
    case TraceKind::kRole:
      return {static_cast<uint64_t>(r.role.role), r.role.term.value(),
              r.role.leader.value()};
    case TraceKind::kApply:
      return {r.apply.index.value(), r.apply.term.value(), r.apply.digest};
    case TraceKind::kRestore:
      return {r.restore.index.value(), r.restore.term.value(), 0};
    case TraceKind::kClientArrive:
    case TraceKind::kClientReply:
    case TraceKind::kClientTimeout:
    case TraceKind::kClientNext:
      return {u(r.client.client), u(r.client.op), 0};
    case TraceKind::kClientCall:
      return {u(r.client_call.client), u(r.client_call.op),
              r.client_call.target.value()};
    case TraceKind::kClientReturn:
      return {u(r.client_return.client), u(r.client_return.op),
              u(r.client_return.outcome)};
    case TraceKind::kDrop:
      return {static_cast<uint64_t>(r.drop.reason), 0, 0};
    case TraceKind::kReadIssue:
    case TraceKind::kReadConfirm:
      return {r.read.context, r.read.term.value(), r.read.index.value()};
    case TraceKind::kMetrics:
      return {r.metrics.commit.value(), r.metrics.applied.value(),
              u(r.metrics.apply_backlog)};
    case TraceKind::kStorage:
      return {(uint64_t{r.storage.storage} << 8) |
                  static_cast<uint64_t>(r.storage.event),
              r.storage.last.value(), r.storage.bytes};
    case TraceKind::kMembership:
      return {static_cast<uint64_t>(r.membership.event),
              r.membership.index.value(),
              (static_cast<uint64_t>(r.membership.learners) << 32) |
                  r.membership.voters};
    default:
      return {0, 0, 0};
  }
}

void Tracer::Record(HostIndex node, TraceKind kind) {
  Add(Make(node, kind), nullptr, {});
}

void Tracer::Record(HostIndex node, TraceKind kind, const DiskPayload& p) {
  TraceRecord r = Make(node, kind);
  r.disk = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, const DiskLostPayload& p) {
  TraceRecord r = Make(node, TraceKind::kDiskLost);
  r.disk_lost = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, const RolePayload& p) {
  TraceRecord r = Make(node, TraceKind::kRole);
  r.role = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, const ApplyPayload& p) {
  TraceRecord r = Make(node, TraceKind::kApply);
  r.apply = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, const RestorePayload& p) {
  TraceRecord r = Make(node, TraceKind::kRestore);
  r.restore = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, TraceKind kind, const ReadPayload& p) {
  TraceRecord r = Make(node, kind);
  r.read = p;
  Add(r, nullptr, {});
}

void Tracer::Record(HostIndex node, TraceKind kind, const ClientPayload& p) {
  TraceRecord r = Make(node, kind);
  r.client = p;
  Add(r, nullptr, {});
}

void Tracer::RecordMessage(HostIndex node, TraceKind kind,
                           const raft::Message& m) {
  TraceRecord r = Make(node, kind);
  r.has_message = true;
  r.message = MessageSummary::Of(m);
  Add(r, &m, {});
}

void Tracer::RecordDrop(HostIndex node, const raft::Message& m,
                        DropReason reason) {
  TraceRecord r = Make(node, TraceKind::kDrop);
  r.drop = {reason};
  r.has_message = true;
  r.message = MessageSummary::Of(m);
  Add(r, &m, {});
}

void Tracer::RecordText(HostIndex node, TraceKind kind, std::string_view text) {
  Add(Make(node, kind), nullptr, text);
}

void Tracer::RecordText(HostIndex node, std::string_view text,
                        const ClientCallPayload& p) {
  TraceRecord r = Make(node, TraceKind::kClientCall);
  r.client_call = p;
  Add(r, nullptr, text);
}

void Tracer::RecordText(HostIndex node, std::string_view text,
                        const ClientReturnPayload& p) {
  TraceRecord r = Make(node, TraceKind::kClientReturn);
  r.client_return = p;
  Add(r, nullptr, text);
}

void Tracer::RecordText(HostIndex node, std::string_view text,
                        const MetricsPayload& p) {
  TraceRecord r = Make(node, TraceKind::kMetrics);
  r.metrics = p;
  Add(r, nullptr, text);
}

void Tracer::Record(HostIndex node, const StoragePayload& p) {
  TraceRecord r = Make(node, TraceKind::kStorage);
  r.storage = p;
  Add(r, nullptr, {});
}

void Tracer::RecordText(HostIndex node, std::string_view text,
                        const StoragePayload& p) {
  TraceRecord r = Make(node, TraceKind::kStorage);
  r.storage = p;
  Add(r, nullptr, text);
}

void Tracer::RecordText(HostIndex node, std::string_view text,
                        const MembershipPayload& p) {
  TraceRecord r = Make(node, TraceKind::kMembership);
  r.membership = p;
  Add(r, nullptr, text);
}

void Tracer::Add(const TraceRecord& in, const raft::Message* m,
                 std::string_view text) {
  TraceRecord& r = records_.emplace_back(in);
  r.event = event_;
  r.time_us = time_us_;
  ++records_total_;
  Mix(r.event);
  Mix(static_cast<uint64_t>(r.time_us));
  Mix(static_cast<uint64_t>(r.node.value()) << 8 |
      static_cast<uint64_t>(r.kind));
  for (uint64_t w : PayloadWords(r)) Mix(w);
  if (r.has_message) {
    const MessageSummary& s = r.message;
    Mix(static_cast<uint64_t>(s.type) << 1 | (s.reject ? 1 : 0));
    for (uint64_t w :
         {s.from, s.to, s.term, s.log_index, s.log_term, s.first_entry,
          s.entry_count, s.commit, s.index, s.index_term, s.hint_term,
          s.hint_index, s.snapshot_index, s.snapshot_term, s.context}) {
      Mix(w);
    }
  }
  if (!text.empty()) {
    Mix(text.size());
    for (unsigned char ch : text) Mix(ch);
  }
  if (sink_ != nullptr) sink_->OnRecord(r, m, text);
}

void TraceSink::OnRecord(const TraceRecord& r, const raft::Message* m,
                         std::string_view text) {
  Line(FormatRecord(r, m, text));
}

namespace {

std::string NodeName(HostIndex node) {
  return node.is_world() ? std::string("-") : node.Describe();
}

// "{1,2,3}" for bits 0, 1 and 2.
std::string NodeBits(uint32_t bits) {
  std::string out = "{";
  bool first = true;
  for (uint32_t i = 0; i < 32; ++i) {
    if ((bits & (uint32_t{1} << i)) == 0) continue;
    absl::StrAppend(&out, first ? "" : ",", i + 1);
    first = false;
  }
  return out + "}";
}

std::string Details(const TraceRecord& r, const raft::Message* m,
                    std::string_view text) {
  const std::string message = m != nullptr ? m->Describe() : std::string();
  switch (r.kind) {
    case TraceKind::kDeliver:
    case TraceKind::kSend:
    case TraceKind::kDuplicate:
      return message;
    case TraceKind::kDrop:
      return absl::StrCat(DropReasonName(r.drop.reason), " ", message);
    case TraceKind::kDiskSync:
    case TraceKind::kDiskWrite:
      return absl::StrCat("entries=i", r.disk.first.value(), "..i",
                          r.disk.last.value(),
                          " hard_state=", r.disk.hard_state ? 1 : 0);
    case TraceKind::kDiskLost:
      return absl::StrCat("writes_lost=", r.disk_lost.writes_lost,
                          " torn_entries_kept=", r.disk_lost.torn_entries_kept);
    case TraceKind::kRole:
      return absl::StrCat(std::string(raft::RoleName(r.role.role)), " t",
                          r.role.term.value(), " leader=n",
                          r.role.leader.value());
    case TraceKind::kApply:
      return absl::StrFormat("i%d@t%d digest=%016x", r.apply.index.value(),
                             r.apply.term.value(), r.apply.digest);
    case TraceKind::kRestore:
      return absl::StrCat("snapshot=i", r.restore.index.value(), "@t",
                          r.restore.term.value());
    case TraceKind::kReadIssue:
      return absl::StrCat("ctx=", r.read.context, " t", r.read.term.value());
    case TraceKind::kReadConfirm:
      return absl::StrCat("ctx=", r.read.context, " index=i",
                          r.read.index.value());
    case TraceKind::kClientArrive:
    case TraceKind::kClientReply:
    case TraceKind::kClientTimeout:
      return absl::StrCat("client=", r.client.client, " op=", r.client.op);
    case TraceKind::kClientNext:
      return absl::StrCat("client=", r.client.client);
    case TraceKind::kClientCall:
      return absl::StrCat("client=", r.client_call.client,
                          " op=", r.client_call.op, " to=n",
                          r.client_call.target.value(), " ", std::string(text));
    case TraceKind::kClientReturn: {
      return absl::StrCat(
          "client=", r.client_return.client, " op=", r.client_return.op, " ",
          ClientOutcomeName(r.client_return.outcome), " ", std::string(text));
    }
    case TraceKind::kStorage: {
      const char* storage = r.storage.storage == 1 ? "wal" : "memory";
      switch (r.storage.event) {
        case StorageEvent::kOpen:
          return absl::StrCat(storage, " open last=i", r.storage.last.value(),
                              " torn_bytes_cut=", r.storage.bytes);
        case StorageEvent::kDrain:
          return absl::StrCat(storage, " drain");
        case StorageEvent::kFail:
          return absl::StrCat(storage, " fail ", std::string(text));
      }
      return std::string(text);
    }
    case TraceKind::kMembership: {
      std::string line = MembershipEventName(r.membership.event);
      if (r.membership.index.value() != 0) {
        absl::StrAppend(&line, " index=i", r.membership.index.value());
      }
      if (r.membership.voters != 0 || r.membership.learners != 0) {
        absl::StrAppend(&line, " voters=", NodeBits(r.membership.voters),
                        " learners=", NodeBits(r.membership.learners));
      }
      if (!text.empty()) absl::StrAppend(&line, " ", std::string(text));
      return line;
    }
    case TraceKind::kMetrics:
      return absl::StrCat("commit=i", r.metrics.commit.value(), " applied=i",
                          r.metrics.applied.value(),
                          " apply_backlog=", r.metrics.apply_backlog, " ",
                          std::string(text));
    default:
      return std::string(text);
  }
}

}  // namespace

std::string FormatRecord(const TraceRecord& r, const raft::Message* m,
                         std::string_view text) {
  std::string details = Details(r, m, text);
  std::string line =
      absl::StrCat(r.event, " ", r.time_us, " ", NodeName(r.node), " ",
                   std::string(TraceKindName(r.kind)));
  if (!details.empty()) absl::StrAppend(&line, " ", details);
  // Trailing spaces (e.g. empty text) never reach the line.
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace raftsim::sim
