// sim/trace/chrome_trace.h — a run as Chrome trace-event JSON, for Perfetto
// (ui.perfetto.dev) and chrome://tracing.
//
// ChromeTraceSink is a TraceSink (sim/trace/trace.h): attach it to a Simulator
// (alone, or next to other sinks) and it collects the structured records
// of the run; Finish() renders the "JSON Object Format" document
//
//   {"traceEvents":[...], "displayTimeUnit":"ms",
//    "metadata":{"seed":N, "options":{...}, "result":{...}}}
//
// Timestamps are simulated microseconds. One process ("raftsim seed=N")
// with these threads (tracks), in this order:
//   cluster (tid 1000)    phases, faults (partition and heal with scope
//                         "g": a line across every track), the violation
//                         ("VIOLATION <checker>", scope "g").
//   n1..nN (tid 1..N)     the node's state as complete ("X") slices:
//                         "leader t5", "follower t3", "candidate t4",
//                         "precandidate t4", "down" while crashed,
//                         "paused (leader t5)" while paused,
//                         "restarted" until its first role record;
//                         nested in them, one short step slice per event
//                         that sent or received messages at that node
//                         ("recv Append from n1", "timer", ...; its args
//                         hold the event's text-trace lines), with
//                         message flows ("s" at the send step, "f" with
//                         "bp":"e" at the delivery step; the flow's name
//                         is the message type) — dropped messages are
//                         instant events ("drop Append to n3
//                         (partition)"); crash, restart, pause, resume,
//                         disk loss and snapshot restore are instants too.
//   client 1..C           (tid 2001..) one slice per operation, from call
//                         to return: `put("k1", "v") -> ok`.
// Counters ("C") "applied nK" track each node's applied index.
//
// Well-formedness, checked by //tools:chrome_trace_test: slices on one
// track never partially overlap (step slices are at most kStepUs long and
// end before the next step or state change on their node), every flow
// start has exactly one finish with its id (a message still in flight at
// the end of the run gets no flow), events are sorted by timestamp. The
// output is a function of the records only: byte-identical for the same
// seed and options.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_TRACE_CHROME_TRACE_H_
#define RAFTSIM_SIM_TRACE_CHROME_TRACE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "raft/message.h"
#include "sim/trace/run_summary.h"
#include "sim/trace/trace.h"

namespace raftsim::sim {

class ChromeTraceSink final : public TraceSink {
 public:
  // The longest step slice, in simulated microseconds.
  static constexpr int64_t kStepUs = 20;
  // Bound on the message flows kept; later messages are counted in the
  // metadata ("flows_truncated") but not drawn.
  static constexpr uint64_t kMaxFlows = 2'000'000;

  // `nodes`: the cluster size (one track each, even if silent).
  explicit ChromeTraceSink(int nodes);

  void Line(std::string_view) override {}
  void OnRecord(const TraceRecord& r, const raft::Message* m,
                std::string_view text) override;

  // Ends what is still open at the last event (a violation found at the
  // end of the run is marked there) and renders the document.
  // REQUIRES: called once, after the run.
  std::string Finish(const RunSummary& run);

 private:
  // A trace event before rendering. `args` is a rendered JSON object body
  // (without braces), or empty.
  struct Event {
    int64_t ts = 0;
    int64_t dur = -1;  // "X" only.
    char ph = 'i';
    int tid = 0;
    uint64_t seq = 0;  // Insertion order: the tie-breaker.
    uint64_t id = 0;   // Flows only.
    std::string name, cat, scope, args;
    std::vector<std::string> lines;  // Step slices: the trace lines.
  };
  struct Pending {
    TraceRecord r;
    std::string text;
    std::string line;  // FormatRecord().
  };
  struct NodeState {
    std::string role = "starting";
    bool down = false, paused = false;
    std::string label;  // What the open slice says; empty: none yet.
    int64_t since = 0;
    std::vector<int64_t> boundaries;  // Slice starts and ends, sorted.
    int64_t step_ts = -1;             // The last step slice's start...
    size_t step = 0;                  // ...and its index in events_.
  };
  struct Send {
    int tid = 0;
    int64_t ts = 0;
    std::string name;
  };
  struct OpenOp {
    int64_t ts = 0;
    int64_t op = 0;
    raft::NodeId node;  // The node the request went to.
    std::string text;
  };
  // A message as the network sees it: its header. Copies of one message
  // are indistinguishable, so deliveries are matched first-in-first-out.
  struct MessageKey {
    uint64_t words[17] = {};
    auto operator<=>(const MessageKey&) const = default;
  };
  static MessageKey KeyOf(const MessageSummary& s);

  void ProcessEvent();
  void AddSteps(const std::vector<Pending>& records);
  void Apply(const Pending& p);
  void OnMessage(const Pending& p);
  void Relabel(HostIndex node, int64_t ts);
  void CloseState(HostIndex node, int64_t ts);
  Event& Add(char ph, int tid, int64_t ts, std::string name);
  void Instant(int tid, int64_t ts, std::string name, std::string_view cat,
               std::string_view scope, std::string args);
  std::string Render(const Event& e) const;

  std::vector<NodeState> nodes_;
  std::vector<Pending> current_;  // The records of the event in progress.
  std::vector<Event> events_;
  std::map<MessageKey, std::deque<uint64_t>> in_flight_;
  std::map<uint64_t, Send> sends_;  // Flow id -> its send.
  uint64_t next_flow_ = 0;
  uint64_t last_send_ = 0;  // The flow of the current event's last send.
  uint64_t flows_truncated_ = 0;
  std::map<int64_t, OpenOp> open_ops_;  // By client.
  std::set<int64_t> clients_;
  bool violation_seen_ = false;
  int64_t last_ts_ = 0;
};

// `s` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view s);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_TRACE_CHROME_TRACE_H_
