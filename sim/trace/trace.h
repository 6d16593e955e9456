// sim/trace/trace.h — the run's trace: every event as one deterministic line,
// and a running 64-bit hash of the trace.
//
// Each simulator event produces one or more records, all carrying the
// event's number and time: the first says what the event was (a timer, a
// message delivery, a disk sync, ...), the following ones what it did (sent
// messages, writes, applies, role changes, client results). A record is a
// small value (kind + a typed payload + a message summary), so recording is
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

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "raft/message.h"
#include "raft/types.h"
#include "sim/host_index.h"

namespace raftsim::sim {

// What a record says. The payload each kind carries is named after the
// kind (TraceRecord below); the names are the `kind` column of the trace.
enum class TraceKind : uint8_t {
  // Heads: what the event was.
  kTimer,          // A runtime After() timer firing.
  kPost,           // A runtime Post() running.
  kDeliver,        // msg: a message arriving at `node`.
  kDiskSync,       // disk: the batch made durable.
  kClientArrive,   // client: a request reaching `node`.
  kClientReply,    // client: a reply reaching the client.
  kClientTimeout,  // client.
  kClientNext,     // client (op 0): a client's think time is over.
  kFault,          // text: the fault (partition, crash, ...).
  kPhase,          // text: the phase change or deadline.
  // Effects: what the event did.
  kSend,       // msg: handed to the network by `node`.
  kDrop,       // msg, drop.
  kDuplicate,  // msg: the network will deliver a second copy.
  kDiskWrite,  // disk: the batch written (not yet durable).
  kDiskLost,   // disk_lost.
  kRole,       // role.
  kApply,      // apply.
  kRestore,    // restore.
  kCrash,
  kRestart,
  kPause,
  kResume,
  kClientCall,    // client_call; text: the operation.
  kClientReturn,  // client_return.
  kViolation,     // text: the checker and what it saw.
  kReadIssue,     // read (context, term): a read batch the leader took up.
  kReadConfirm,   // read (context, index): the core confirmed it.
  kCampaign,      // The node was told to campaign now (a scenario, a fault).
  kMetrics,       // metrics; text: the Server's metrics pump snapshot.
  kStorage,       // storage: a WAL node's storage opened, drained, failed.
  kMembership,    // membership; text: the change or configuration.
};
std::string_view TraceKindName(TraceKind kind);

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
  friend bool operator==(const MessageSummary&,
                         const MessageSummary&) = default;
  // "Append n1->n2 t3 log=i7@t2 entries=i8+2 commit=i6": the header fields
  // that are set.
  std::string Describe() const;
};

// What a client learned of its operation (kClientReturn's outcome).
enum ClientOutcome : int64_t {
  kClientOk = 0,       // Answered: it took effect with the recorded output.
  kClientUnknown = 1,  // Timed out or leadership lost: it may or may not have.
  kClientFailed = 2,   // Definitely did not happen (e.g. not the leader).
};
// "ok", "unknown" or "failed" ("unknown" for an out-of-range code).
const char* ClientOutcomeName(int64_t outcome);

// Why the network dropped a message (kDrop).
enum class DropReason : uint8_t {
  kLoss = 0,       // Random loss.
  kPartition = 1,  // The link is cut.
  kDown = 2,       // The destination is down (crashed).
  kRule = 3,       // A per-link drop rule.
};
// "loss", "partition", "down" or "rule".
const char* DropReasonName(DropReason reason);

// The payloads, one per kind (or family of kinds). Trivially copyable.
struct DiskPayload {  // kDiskSync, kDiskWrite; first = last = 0: no entries.
  raft::LogIndex first;
  raft::LogIndex last;
  bool hard_state;  // The batch held a hard state.
};
struct DiskLostPayload {  // kDiskLost.
  int64_t writes_lost;
  int64_t torn_entries_kept;  // Entries of a torn write kept.
};
struct RolePayload {  // kRole.
  raft::Role role;
  raft::Term term;
  raft::NodeId leader;  // kNoNode: none known.
};
struct ApplyPayload {  // kApply.
  raft::LogIndex index;
  raft::Term term;
  uint64_t digest;  // Of the entry's payload.
};
struct RestorePayload {  // kRestore: the snapshot restored.
  raft::LogIndex index;
  raft::Term term;
};
struct ClientPayload {  // kClientArrive/Reply/Timeout/Next.
  int64_t client;       // 1-based.
  int64_t op;           // Per-client op id; 0 for kClientNext.
};
struct ClientCallPayload {  // kClientCall.
  int64_t client;
  int64_t op;
  raft::NodeId target;
};
struct ClientReturnPayload {  // kClientReturn.
  int64_t client;
  int64_t op;
  ClientOutcome outcome;
};
struct DropPayload {  // kDrop.
  DropReason reason;
};
struct MetricsPayload {  // kMetrics: what a plot of the run needs most.
  raft::LogIndex commit;
  raft::LogIndex applied;  // By the state machine.
  int64_t apply_backlog;   // Committed entries not yet applied.
};
// What a kStorage record says (sim/world/node_storage.h). Only nodes on
// the WAL record them (a node with none ran on the memory disk), so runs
// without WAL nodes trace as before.
enum class StorageEvent : uint8_t {
  kOpen = 0,   // Recovered (at the first start and after each crash).
  kDrain = 1,  // A group commit ran (the head of a WAL disk event).
  kFail = 2,   // A write failed (text: the error); the node fail-stops.
};
struct StoragePayload {  // kStorage.
  uint8_t storage;       // sim::StorageKind: 1 = WAL.
  StorageEvent event;
  raft::LogIndex last;  // kOpen: the last index recovered; else 0.
  uint64_t bytes;       // kOpen: torn-tail bytes recovery cut; else 0.
};
struct ReadPayload {  // kReadIssue (index 0), kReadConfirm (term 0).
  uint64_t context;
  raft::Term term;
  raft::LogIndex index;
};

// What a kMembership record says (sim/simulator.h, "Membership").
enum class MembershipEvent : uint8_t {
  kRequest = 0,     // A change handed to `node` (text: the change).
  kDone = 1,        // Its callback: committed and applied (index, members).
  kFailed = 2,      // Its callback or the call refused it (text: why).
  kSkipped = 3,     // Nobody could take it (no leader, `via` down).
  kInForce = 4,     // `node`'s configuration in force changed (on append).
  kTransfer = 5,    // A leadership transfer asked of `node` (text: target).
  kBootstrap = 6,   // `node` bootstrapped with `voters`/`learners`.
  kStartSpare = 7,  // A spare host started, empty.
  kRetire = 8,      // A removed node retired (stopped unless keep_removed).
};
// "request", "done", ...
const char* MembershipEventName(MembershipEvent event);
struct MembershipPayload {  // kMembership.
  MembershipEvent event;
  raft::LogIndex index;  // The configuration's entry; 0 when none.
  // Bit i set: n(i+1) is a voter (of either half, when joint) / learner.
  uint32_t voters;
  uint32_t learners;
};

struct TraceRecord {
  TraceRecord() : none() {}

  uint64_t event = 0;
  int64_t time_us = 0;
  HostIndex node = kWorld;  // The host, or kWorld.
  TraceKind kind = TraceKind::kPhase;
  // The member `kind` names (see TraceKind); none for the other kinds.
  union {
    struct {
    } none;
    DiskPayload disk;
    DiskLostPayload disk_lost;
    RolePayload role;
    ApplyPayload apply;
    RestorePayload restore;
    ClientPayload client;
    ClientCallPayload client_call;
    ClientReturnPayload client_return;
    DropPayload drop;
    ReadPayload read;
    MetricsPayload metrics;
    StoragePayload storage;
    MembershipPayload membership;
  };
  bool has_message = false;
  MessageSummary message;
};

// The three payload words of `r` that the trace hash mixes, in order (0
// for a word a kind does not use).
std::array<uint64_t, 3> PayloadWords(const TraceRecord& r);

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

  // A record without payload.
  void Record(HostIndex node, TraceKind kind);
  // kDiskSync or kDiskWrite.
  void Record(HostIndex node, TraceKind kind, const DiskPayload& p);
  void Record(HostIndex node, const DiskLostPayload& p);
  void Record(HostIndex node, const RolePayload& p);
  void Record(HostIndex node, const ApplyPayload& p);
  void Record(HostIndex node, const RestorePayload& p);
  // kReadIssue or kReadConfirm.
  void Record(HostIndex node, TraceKind kind, const ReadPayload& p);
  // kClientArrive, kClientReply, kClientTimeout or kClientNext.
  void Record(HostIndex node, TraceKind kind, const ClientPayload& p);
  void RecordMessage(HostIndex node, TraceKind kind, const raft::Message& m);
  void RecordDrop(HostIndex node, const raft::Message& m, DropReason reason);
  // `text` is part of the line and of the hash.
  void RecordText(HostIndex node, TraceKind kind, std::string_view text);
  void RecordText(HostIndex node, std::string_view text,
                  const ClientCallPayload& p);
  void RecordText(HostIndex node, std::string_view text,
                  const ClientReturnPayload& p);
  // kStorage; the text form carries a failure's error.
  void Record(HostIndex node, const StoragePayload& p);
  void RecordText(HostIndex node, std::string_view text,
                  const StoragePayload& p);
  // kMembership; `text` describes the change, target or reason.
  void RecordText(HostIndex node, std::string_view text,
                  const MembershipPayload& p);
  // kMetrics; `text` carries the rest of the snapshot.
  void RecordText(HostIndex node, std::string_view text,
                  const MetricsPayload& p);

  // The records of the current event, in order.
  absl::Span<const TraceRecord> records() const { return records_; }
  uint64_t hash() const { return hash_; }
  uint64_t records_total() const { return records_total_; }

 private:
  void Add(const TraceRecord& r, const raft::Message* m, std::string_view text);
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
