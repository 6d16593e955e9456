// sim/trace/timeline.cc — see timeline.h. Single-threaded.

#include "sim/trace/timeline.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "raft/types.h"

namespace raftsim::sim {
namespace {

// What a notable record says; empty for records the timeline leaves out.
std::string What(const TraceRecord& r, std::string_view text) {
  switch (r.kind) {
    case TraceKind::kPhase:
      return absl::StrCat("phase: ", std::string(text));
    case TraceKind::kFault:
      return absl::StrCat("fault: ", std::string(text));
    case TraceKind::kRole: {
      std::string s = absl::StrCat(std::string(raft::RoleName(r.role.role)),
                                   " t", r.role.term.value());
      if (r.role.leader != raft::kNoNode) {
        absl::StrAppend(&s, " leader=n", r.role.leader.value());
      }
      return s;
    }
    case TraceKind::kCrash:
    case TraceKind::kRestart:
    case TraceKind::kPause:
    case TraceKind::kResume:
      return std::string(TraceKindName(r.kind));
    case TraceKind::kDiskLost:
      return absl::StrCat("disk lost: writes_lost=", r.disk_lost.writes_lost,
                          " torn_entries_kept=", r.disk_lost.torn_entries_kept);
    case TraceKind::kRestore:
      return absl::StrCat("restore snapshot i", r.restore.index.value(), "@t",
                          r.restore.term.value());
    case TraceKind::kClientCall:
      return absl::StrCat("call op=", r.client_call.op, " ", std::string(text),
                          " to n", r.client_call.target.value());
    case TraceKind::kClientReturn: {
      std::string s = absl::StrCat("return op=", r.client_return.op, " ",
                                   ClientOutcomeName(r.client_return.outcome));
      if (!text.empty()) absl::StrAppend(&s, " ", std::string(text));
      return s;
    }
    case TraceKind::kViolation:
      return absl::StrCat("VIOLATION ", std::string(text));
    default:
      return "";
  }
}

std::string Who(const TraceRecord& r) {
  if (r.kind == TraceKind::kClientCall) {
    return absl::StrCat("client ", r.client_call.client);
  }
  if (r.kind == TraceKind::kClientReturn) {
    return absl::StrCat("client ", r.client_return.client);
  }
  return r.node.is_world() ? std::string("cluster") : r.node.Describe();
}

std::string Millis(int64_t us) {
  return absl::StrFormat("%d.%03d", us / 1000, us % 1000);
}

}  // namespace

void TimelineSink::OnRecord(const TraceRecord& r, const raft::Message*,
                            std::string_view text) {
  last_us_ = r.time_us;
  last_event_ = r.event;
  std::string what = What(r, text);
  if (what.empty()) return;
  if (r.kind == TraceKind::kViolation) violation_seen_ = true;
  rows_.push_back({r.time_us, r.event, Who(r), std::move(what)});
}

std::string TimelineSink::Finish(const RunSummary& run) {
  if (run.result == "safety" && !violation_seen_) {
    rows_.push_back({last_us_, last_event_, "cluster",
                     absl::StrCat("VIOLATION (end of run) ", run.detail)});
  }
  std::string end =
      absl::StrCat("end: result=", run.result, " events=", run.events);
  if (!run.detail.empty()) absl::StrAppend(&end, " ", run.detail);
  rows_.push_back({last_us_, last_event_, "cluster", std::move(end)});

  size_t time_w = 7, event_w = 5, who_w = 3;  // The header's widths.
  for (const Row& row : rows_) {
    time_w = std::max(time_w, Millis(row.time_us).size());
    event_w = std::max(event_w, absl::StrCat(row.event).size());
    who_w = std::max(who_w, row.who.size());
  }
  const auto line = [&](std::string_view time, std::string_view event,
                        std::string_view who, std::string_view what) {
    std::string s = absl::StrFormat(
        "%*s  %*s  %-*s  %s", static_cast<int>(time_w), std::string(time),
        static_cast<int>(event_w), std::string(event), static_cast<int>(who_w),
        std::string(who), std::string(what));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line("time_ms", "event", "who", "what");
  for (const Row& row : rows_) {
    out +=
        line(Millis(row.time_us), absl::StrCat(row.event), row.who, row.what);
  }
  return out;
}

}  // namespace raftsim::sim
