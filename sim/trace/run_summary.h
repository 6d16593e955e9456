// sim/trace/run_summary.h — what the trace exporters (sim/trace/chrome_trace.h,
// sim/trace/timeline.h) say about a run as a whole: the seed, the options, the
// result. Filled in by the caller (tools/) after Simulator::Run().
//
// A plain value; single-threaded.

#ifndef RAFTSIM_SIM_TRACE_RUN_SUMMARY_H_
#define RAFTSIM_SIM_TRACE_RUN_SUMMARY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace raftsim::sim {

struct RunSummary {
  uint64_t seed = 0;
  // The run's options as (name, value), in SimOptions::Describe() order.
  std::vector<std::pair<std::string, int64_t>> options;
  std::string result;   // "ok", "safety", "liveness" or "crash".
  std::string detail;   // Empty for ok.
  std::string checker;  // The checker that fired (safety), else empty.
  uint64_t events = 0;
  int64_t sim_us = 0;  // The time of the last event.
  uint64_t trace_hash = 0;
  std::string replay;  // The replay command, empty if not known.
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_TRACE_RUN_SUMMARY_H_
