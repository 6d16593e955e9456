// sim/trace/trace.cc — see trace.h. Single-threaded.

#include "sim/trace/trace.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "raft/types.h"

namespace raftsim::sim {

std::string_view TraceKindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kTimer: return "timer";
    case TraceKind::kPost: return "post";
    case TraceKind::kDeliver: return "deliver";
    case TraceKind::kDiskSync: return "disk-sync";
    case TraceKind::kClientArrive: return "client-arrive";
    case TraceKind::kClientReply: return "client-reply";
    case TraceKind::kClientTimeout: return "client-timeout";
    case TraceKind::kClientNext: return "client-next";
    case TraceKind::kFault: return "fault";
    case TraceKind::kPhase: return "phase";
    case TraceKind::kSend: return "send";
    case TraceKind::kDrop: return "drop";
    case TraceKind::kDuplicate: return "duplicate";
    case TraceKind::kDiskWrite: return "disk-write";
    case TraceKind::kDiskLost: return "disk-lost";
    case TraceKind::kRole: return "role";
    case TraceKind::kApply: return "apply";
    case TraceKind::kRestore: return "restore";
    case TraceKind::kCrash: return "crash";
    case TraceKind::kRestart: return "restart";
    case TraceKind::kPause: return "pause";
    case TraceKind::kResume: return "resume";
    case TraceKind::kClientCall: return "client-call";
    case TraceKind::kClientReturn: return "client-return";
    case TraceKind::kViolation: return "violation";
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

void Tracer::BeginEvent(uint64_t number, int64_t time_us) {
  event_ = number;
  time_us_ = time_us;
  records_.clear();
}

void Tracer::Record(int node, TraceKind kind, int64_t a, int64_t b,
                    int64_t c) {
  TraceRecord r;
  r.node = node;
  r.kind = kind;
  r.a = a;
  r.b = b;
  r.c = c;
  Add(r, nullptr, {});
}

void Tracer::RecordMessage(int node, TraceKind kind, const raft::Message& m,
                           int64_t a) {
  TraceRecord r;
  r.node = node;
  r.kind = kind;
  r.a = a;
  r.has_message = true;
  r.message = MessageSummary::Of(m);
  Add(r, &m, {});
}

void Tracer::RecordText(int node, TraceKind kind, std::string_view text,
                        int64_t a, int64_t b, int64_t c) {
  TraceRecord r;
  r.node = node;
  r.kind = kind;
  r.a = a;
  r.b = b;
  r.c = c;
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
  Mix(static_cast<uint64_t>(r.node) << 8 | static_cast<uint64_t>(r.kind));
  Mix(static_cast<uint64_t>(r.a));
  Mix(static_cast<uint64_t>(r.b));
  Mix(static_cast<uint64_t>(r.c));
  if (r.has_message) {
    const MessageSummary& s = r.message;
    Mix(static_cast<uint64_t>(s.type) << 1 | (s.reject ? 1 : 0));
    for (uint64_t w : {s.from, s.to, s.term, s.log_index, s.log_term,
                       s.first_entry, s.entry_count, s.commit, s.index,
                       s.index_term, s.hint_term, s.hint_index, s.snapshot_index,
                       s.snapshot_term, s.context}) {
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

std::string NodeName(int node) {
  return node < 0 ? std::string("-") : absl::StrCat("n", node + 1);
}

std::string Details(const TraceRecord& r, const raft::Message* m,
                    std::string_view text) {
  const std::string message = m != nullptr ? m->Describe() : std::string();
  switch (r.kind) {
    case TraceKind::kDeliver:
    case TraceKind::kSend:
    case TraceKind::kDuplicate:
      return message;
    case TraceKind::kDrop: {
      static constexpr const char* kWhy[] = {"loss", "partition", "down",
                                             "rule"};
      return absl::StrCat(kWhy[r.a < 0 || r.a > 3 ? 0 : r.a], " ", message);
    }
    case TraceKind::kDiskSync:
    case TraceKind::kDiskWrite:
      return absl::StrCat("entries=i", r.a, "..i", r.b, " hard_state=", r.c);
    case TraceKind::kDiskLost:
      return absl::StrCat("writes_lost=", r.a, " torn_entries_kept=", r.b);
    case TraceKind::kRole:
      return absl::StrCat(std::string(raft::RoleName(static_cast<raft::Role>(r.a))),
                          " t",
                          r.b, " leader=n", r.c);
    case TraceKind::kApply:
      return absl::StrFormat("i%d@t%d digest=%016x", r.a, r.b,
                             static_cast<uint64_t>(r.c));
    case TraceKind::kRestore:
      return absl::StrCat("snapshot=i", r.a, "@t", r.b);
    case TraceKind::kClientArrive:
    case TraceKind::kClientReply:
    case TraceKind::kClientTimeout:
      return absl::StrCat("client=", r.a, " op=", r.b);
    case TraceKind::kClientNext:
      return absl::StrCat("client=", r.a);
    case TraceKind::kClientCall:
      return absl::StrCat("client=", r.a, " op=", r.b, " to=n", r.c, " ",
                          std::string(text));
    case TraceKind::kClientReturn: {
      return absl::StrCat("client=", r.a, " op=", r.b, " ",
                          ClientOutcomeName(r.c), " ", std::string(text));
    }
    default:
      return std::string(text);
  }
}

}  // namespace

std::string FormatRecord(const TraceRecord& r, const raft::Message* m,
                         std::string_view text) {
  std::string details = Details(r, m, text);
  std::string line = absl::StrCat(r.event, " ", r.time_us, " ",
                                   NodeName(r.node), " ",
                                   std::string(TraceKindName(r.kind)));
  if (!details.empty()) absl::StrAppend(&line, " ", details);
  // Trailing spaces (e.g. empty text) never reach the line.
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace raftsim::sim
