// sim/trace/timeline.h — a run as a plain-text timeline: one line per notable
// event, for reading a failing run top to bottom without a trace viewer.
//
// TimelineSink is a TraceSink (sim/trace/trace.h). It keeps the records that
// change the story — phases, faults, role changes, crashes, restarts,
// pauses, disk loss, snapshot restores, client calls and returns, the
// violation — and leaves out the traffic (messages, ticks, disk writes;
// the text trace has those). Finish() renders aligned columns:
//
//   time_ms  event  who       what
//     0.000      1  cluster   phase: start fault phase
//     0.000      1  n1        follower t0
//    11.353    373  cluster   VIOLATION election_safety: n2 voted for ...
//    11.353    373  cluster   end: result=safety events=373
//
// time_ms is simulated time with microseconds; event is the first column
// of the text trace, so a line can be looked up there.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_TRACE_TIMELINE_H_
#define RAFTSIM_SIM_TRACE_TIMELINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "raft/message.h"
#include "sim/trace/run_summary.h"
#include "sim/trace/trace.h"

namespace raftsim::sim {

class TimelineSink final : public TraceSink {
 public:
  void Line(std::string_view) override {}
  void OnRecord(const TraceRecord& r, const raft::Message* m,
                std::string_view text) override;

  // Adds the end of the run (and a violation found only at the end) and
  // renders the timeline, one '\n'-terminated line per row.
  // REQUIRES: called once, after the run.
  std::string Finish(const RunSummary& run);

 private:
  struct Row {
    int64_t time_us = 0;
    uint64_t event = 0;
    std::string who, what;
  };
  std::vector<Row> rows_;
  bool violation_seen_ = false;
  int64_t last_us_ = 0;
  uint64_t last_event_ = 0;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_TRACE_TIMELINE_H_
