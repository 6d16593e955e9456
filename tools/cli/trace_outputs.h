// tools/cli/trace_outputs.h — the files one simulated run writes about itself:
//   --trace_out=FILE      the text trace (docs/simulation.md), or, when FILE
//                         ends in ".json", Chrome trace-event JSON for
//                         Perfetto / chrome://tracing
//                         (sim/trace/chrome_trace.h);
//   --timeline_out=FILE   the plain-text timeline (sim/trace/timeline.h);
//   --timeline            the timeline on stdout, after the run.
// `raftsim replay` without --trace_out writes the text trace to stdout.
//
// TraceOutputs opens the files, gives the Simulator one sink that feeds
// every requested output, and writes the buffered ones (JSON, timeline)
// in Finish(). Finish() is also what the CHECK-failure handler calls, so a
// run that crashes still leaves a trace that ends at the crash.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_TOOLS_CLI_TRACE_OUTPUTS_H_
#define RAFTSIM_TOOLS_CLI_TRACE_OUTPUTS_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/trace/chrome_trace.h"
#include "sim/trace/run_summary.h"
#include "sim/trace/timeline.h"
#include "sim/trace/trace.h"
#include "sim/world/options.h"

namespace raftsim::tools {

struct TraceRequest {
  std::string trace_out;     // Empty: none (or stdout, see text_stdout).
  std::string timeline_out;  // Empty: none.
  bool timeline_stdout = false;
  bool text_stdout = false;  // The text trace to stdout if no trace_out.
};

class TraceOutputs final : public sim::TraceSink {
 public:
  // Opens what `request` names. Errors name the flag and the file.
  static absl::StatusOr<std::unique_ptr<TraceOutputs>> Open(
      const TraceRequest& request, uint64_t seed,
      const sim::SimOptions& options, std::string replay);
  ~TraceOutputs() override;

  // The sink for the Simulator, or null when nothing is requested (the
  // run then only hashes its trace).
  sim::TraceSink* sink() { return active_ ? this : nullptr; }

  // Writes the buffered outputs and closes the files. `result` is "ok",
  // "safety", "liveness" or "crash". Idempotent: later calls do nothing.
  void Finish(std::string_view result, std::string_view detail,
              std::string_view checker, uint64_t events, int64_t sim_us,
              uint64_t trace_hash);

  // sim::TraceSink.
  void Line(std::string_view) override {}
  void OnRecord(const sim::TraceRecord& r, const raft::Message* m,
                std::string_view text) override;

 private:
  TraceOutputs() = default;

  sim::RunSummary summary_;
  bool active_ = false;
  bool finished_ = false;
  std::FILE* text_ = nullptr;  // The text trace; maybe stdout.
  bool text_owned_ = false;
  std::string json_path_, timeline_path_;
  bool timeline_stdout_ = false;
  std::unique_ptr<sim::ChromeTraceSink> json_;
  std::unique_ptr<sim::TimelineSink> timeline_;
};

// True if `path` selects Chrome trace-event JSON (it ends in ".json").
bool IsJsonTracePath(std::string_view path);

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_TRACE_OUTPUTS_H_
