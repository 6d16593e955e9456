// raft/server/testing/server_fakes.h — the world a raft::Server test runs in:
// a loopback network between Servers, a LogStorage whose write completions
// the test releases, and a small key-value StateMachine.
//
// All three are deterministic and test-driven: nothing is delivered,
// completed or applied except when the test (or the Server under test)
// says so.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_SERVER_TESTING_SERVER_FAKES_H_
#define RAFTSIM_RAFT_SERVER_TESTING_SERVER_FAKES_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "raft/memory_storage.h"
#include "raft/message.h"
#include "raft/server/server.h"
#include "raft/server/state_machine.h"
#include "raft/server/transport.h"
#include "raft/storage.h"

namespace raftsim::raft::testing {

// Connects Servers through one FIFO queue. Sending only queues (and logs
// to sent()); DeliverAll / DeliverOne hand messages to Server::Receive.
class LoopbackNetwork {
 public:
  LoopbackNetwork();
  ~LoopbackNetwork();

  // The Transport a Server with id `id` sends through (created on demand,
  // owned by the network).
  Transport* transport(NodeId id);
  // Where messages to `id` go; nullptr (a crashed node) drops them.
  void Attach(NodeId id, Server* server);

  // Delivers every message queued when called, oldest first; messages
  // sent meanwhile wait for the next call. Returns how many were handed to
  // a Server.
  int64_t DeliverAll();
  // Delivers the oldest queued message; false when the queue is empty.
  bool DeliverOne();
  // Messages to or from an isolated node are dropped at delivery.
  void Isolate(NodeId id) { isolated_.insert(id); }
  void Heal() { isolated_.clear(); }

  std::deque<Message>& queue() { return queue_; }
  // Every message ever sent, in send order.
  const std::vector<Message>& sent() const { return sent_; }
  // How many messages of `type` from `from` (kNoNode: anyone) were sent.
  int64_t CountSent(MessageType type, NodeId from = kNoNode) const;

 private:
  class Endpoint;
  void Enqueue(Message m);

  std::map<NodeId, std::unique_ptr<Endpoint>> endpoints_;
  std::map<NodeId, Server*> servers_;
  std::set<NodeId> isolated_;
  std::deque<Message> queue_;
  std::vector<Message> sent_;
};

// A LogStorage over MemoryStorage whose Write applies the batch at once but
// holds the completion until the test releases it (when holding is on), in
// order or out of order. With holding off it completes inline, as
// MemoryStorage does.
class HeldStorage final : public LogStorage {
 public:
  explicit HeldStorage(DurableState initial = {})
      : memory_(std::move(initial)) {}

  void set_hold(bool hold) { hold_ = hold; }
  // The next Write completes at once with `status` instead.
  void FailNextWrite(absl::Status status) { fail_next_ = std::move(status); }
  size_t held() const { return held_.size(); }
  // Completes the held write at position `i` (0 = oldest) with OK.
  void Release(size_t i = 0);
  void ReleaseAll();
  int64_t writes() const { return writes_; }
  MemoryStorage& memory() { return memory_; }

  // LogStorage.
  void Write(WriteBatch batch, WriteDone done) override;
  absl::Status Compact(Snapshot snapshot) override {
    return memory_.Compact(std::move(snapshot));
  }
  HardState hard_state() const override { return memory_.hard_state(); }
  const Snapshot& snapshot() const override { return memory_.snapshot(); }
  LogIndex FirstIndex() const override { return memory_.FirstIndex(); }
  LogIndex LastIndex() const override { return memory_.LastIndex(); }
  absl::StatusOr<Term> TermAt(LogIndex index) const override {
    return memory_.TermAt(index);
  }
  absl::Status Entries(LogIndex lo, LogIndex hi, uint64_t max_bytes,
                       std::vector<Entry>* out) const override {
    return memory_.Entries(lo, hi, max_bytes, out);
  }
  DurableState Load() const override { return memory_.Load(); }

 private:
  MemoryStorage memory_;
  bool hold_ = false;
  absl::Status fail_next_;
  std::deque<WriteDone> held_;
  int64_t writes_ = 0;
};

// A key-value state machine. Commands: "set K V" (result V), "incr K"
// (result the new integer value); anything else results in "?". Queries:
// "get K" (the value, "" when unset). Snapshots encode "K=V\n" lines;
// Restore rejects anything else with InvalidArgument.
// With holding on, ApplyAsync keeps each batch (a copy of its entries)
// until the test releases it: a slow, asynchronous state machine.
class KvStateMachine final : public StateMachine {
 public:
  void Apply(absl::Span<const Entry> entries,
             std::vector<std::string>* results) override;
  void ApplyAsync(absl::Span<const Entry> entries, ApplyDone done) override;
  void set_hold_apply(bool hold) { hold_apply_ = hold; }
  size_t held_applies() const { return held_.size(); }
  // Entries in the held batch at position `i` (0 = oldest).
  size_t held_entries(size_t i = 0) const { return held_[i].entries.size(); }
  // Applies the oldest held batch and completes it.
  void ReleaseApply();
  std::string Query(std::string_view query) const override;
  std::string TakeSnapshot() const override;
  absl::Status Restore(std::string_view data) override;

  const std::map<std::string, std::string>& data() const { return data_; }
  int64_t apply_calls() const { return apply_calls_; }
  // Indexes of every entry applied since construction or the last Restore.
  const std::vector<LogIndex>& applied() const { return applied_; }

 private:
  struct HeldApply {
    std::vector<Entry> entries;
    ApplyDone done;
  };
  std::map<std::string, std::string> data_;
  bool hold_apply_ = false;
  std::deque<HeldApply> held_;
  int64_t apply_calls_ = 0;
  std::vector<LogIndex> applied_;
};

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_SERVER_TESTING_SERVER_FAKES_H_
