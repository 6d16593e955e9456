// sim/trace/trace.h — the run's trace: every event as one deterministic line,
// and a running 64-bit hash of the trace.
//
// Each simulator event produces one or more records, all carrying the
// event's number and time: the first says what the event was (a timer, a
// message delivery, a disk sync, ...), the following ones what it did (sent
// messages, writes, applies, role changes, client results). A record is a
// small value (kind + integer fields + a message summary), so recording is
// cheap enough to do always; the text line is rendered only when a sink is
// attached (replay, --trace_out).
//
// The trace hash folds in every field of every record (and every field a
// record's message carries, payload bytes excepted), so two runs with equal
// hashes produced equal text lines. It is computed whether or not a sink
// is attached. docs/simulation.md documents the line format column by
// column.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_TRACE_TRACE_H_
#define RAFTSIM_SIM_TRACE_TRACE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "raft/message.h"

namespace raftsim::sim {

// What a record says. Fields a/b/c and text are documented per kind; the
// names are the `kind` column of the trace.
enum class TraceKind : uint8_t {
  // Heads: what the event was.
  kTimer,         // A runtime After() timer firing.
  kPost,          // A runtime Post() running.
  kDeliver,       // msg: a message arriving at `node`.
  kDiskSync,      // a=first index b=last index c=1 if it held a hard state.
  kClientArrive,  // a=client b=op id: a request reaching `node`.
  kClientReply,   // a=client b=op id: a reply reaching the client.
  kClientTimeout, // a=client b=op id.
  kClientNext,    // a=client: a client's think time is over.
  kFault,         // text: the fault (partition, crash, ...).
  kPhase,         // text: the phase change or deadline.
  // Effects: what the event did.
  kSend,          // msg: handed to the network by `node`.
  kDrop,          // msg, a=0 loss 1 partition 2 destination down 3 rule.
  kDuplicate,     // msg: the network will deliver a second copy.
  kDiskWrite,     // a=first index b=last index (0 0: none) c=1 hard state.
  kDiskLost,      // a=writes lost b=entries of a torn write kept.
  kRole,          // a=role b=term c=leader (0 none).
  kApply,         // a=index b=term c=payload digest.
  kRestore,       // a=snapshot index b=snapshot term.
  kCrash,
  kRestart,
  kPause,
  kResume,
  kClientCall,    // a=client b=op id c=target node; text: the operation.
  kClientReturn,  // a=client b=op id c=ClientOutcome.
  kViolation,     // text: the checker and what it saw.
};
std::string_view TraceKindName(TraceKind kind);

// What a client learned of its operation (kClientReturn's field c).
enum ClientOutcome : int64_t {
  kClientOk = 0,       // Answered: it took effect with the recorded output.
  kClientUnknown = 1,  // Timed out or leadership lost: it may or may not have.
  kClientFailed = 2,   // Definitely did not happen (e.g. not the leader).
};
// "ok", "unknown" or "failed" ("unknown" for an out-of-range code).
const char* ClientOutcomeName(int64_t outcome);

// The header of a message, as a record keeps it (no payload bytes).
struct MessageSummary {
  raft::MessageType type = raft::MessageType::kAppend;
  bool reject = false;
  uint64_t from = 0, to = 0, term = 0;
  uint64_t log_index = 0, log_term = 0;  // last_log_* or prev_log_*.
  uint64_t first_entry = 0, entry_count = 0, commit = 0;
  uint64_t index = 0, index_term = 0, hint_term = 0, hint_index = 0;
  uint64_t snapshot_index = 0, snapshot_term = 0, context = 0;
  static MessageSummary Of(const raft::Message& m);
};

struct TraceRecord {
  uint64_t event = 0;
  int64_t time_us = 0;
  int node = -1;  // Node index, or -1 for the world.
  TraceKind kind = TraceKind::kPhase;
  int64_t a = 0, b = 0, c = 0;
  bool has_message = false;
  MessageSummary message;
};

// Receives rendered lines (no newline). Implemented in tools/ (files,
// stdout) and tests.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void Line(std::string_view line) = 0;
  // Every record as it is made, with its message (null if none) and text;
  // valid only during the call. The default renders the text line and
  // passes it to Line(); structured exporters (sim/trace/chrome_trace.h,
  // sim/trace/timeline.h) override it instead.
  virtual void OnRecord(const TraceRecord& r, const raft::Message* m,
                        std::string_view text);
};

class Tracer {
 public:
  // `sink` may be null (hash only).
  void set_sink(TraceSink* sink) { sink_ = sink; }
  bool rendering() const { return sink_ != nullptr; }

  // Starts event `number` at `time_us`; clears the per-event records.
  void BeginEvent(uint64_t number, int64_t time_us);

  void Record(int node, TraceKind kind, int64_t a = 0, int64_t b = 0,
              int64_t c = 0);
  void RecordMessage(int node, TraceKind kind, const raft::Message& m,
                     int64_t a = 0);
  // `text` is part of the line and of the hash.
  void RecordText(int node, TraceKind kind, std::string_view text,
                  int64_t a = 0, int64_t b = 0, int64_t c = 0);

  // The records of the current event, in order.
  absl::Span<const TraceRecord> records() const { return records_; }
  uint64_t hash() const { return hash_; }
  uint64_t records_total() const { return records_total_; }

 private:
  void Add(const TraceRecord& r, const raft::Message* m,
           std::string_view text);
  void Mix(uint64_t word) {
    hash_ = (hash_ ^ word) * 0x100000001b3ULL;  // FNV-1a, 64-bit words.
    hash_ ^= hash_ >> 29;
  }

  TraceSink* sink_ = nullptr;
  uint64_t event_ = 0;
  int64_t time_us_ = 0;
  uint64_t hash_ = 0xcbf29ce484222325ULL;  // FNV-1a offset basis.
  uint64_t records_total_ = 0;
  std::vector<TraceRecord> records_;
};

// The text line of a record (what the sink receives). `m` and `text` as
// given to the Tracer.
std::string FormatRecord(const TraceRecord& r, const raft::Message* m,
                         std::string_view text);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_TRACE_TRACE_H_
