// sim/world/event_queue.h — the simulator's clock and its one event queue.
//
// Time is int64 microseconds since the start of the run. Events are ordered
// by (time, sequence number); the sequence number is assigned at Schedule,
// so events at the same instant run in the order they were scheduled and
// ties never depend on anything but the run itself.
//
// Every event has an owner: a node index (0..owners-1) or kWorld. Owners
// give two node-level faults a cheap, exact meaning:
//   - Crash(owner) discards the owner's *crash-scoped* events (its runtime's
//     timers and posts, its disk's completions) by advancing the owner's
//     epoch; events scheduled before the crash are skipped when popped.
//     Events that are not crash-scoped (messages in flight to the node)
//     survive and find the node down when they run.
//   - Pause(owner) defers the owner's events: a popped event of a paused
//     owner is parked, and Resume(owner) reschedules every parked event at
//     the resume instant, in their original order (a GC-like stall).
//
// Cancellation is O(1): an EventId names a slot and its generation; a
// cancelled or stale heap entry is skipped when it reaches the top.
//
// Events due now (Post, delay 0: about half of all events) skip the heap:
// they go to a FIFO, which is already in (time, seq) order because the
// clock never goes back and sequence numbers only grow. Pop takes the
// earlier of the FIFO's front and the heap's top, so the order is exactly
// the (time, seq) order of one heap.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORLD_EVENT_QUEUE_H_
#define RAFTSIM_SIM_WORLD_EVENT_QUEUE_H_

#include <cstdint>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/host_index.h"

namespace raftsim::sim {

// What an event is, for the trace and for statistics. The queue itself
// treats every kind alike.
enum class EventKind : uint8_t {
  kTimer,    // A node runtime's After() timer.
  kPost,     // A node runtime's Post().
  kDeliver,  // A network message arriving at its destination.
  kDisk,     // A disk write becoming durable.
  kClient,   // Client activity (request arrival, reply, timeout, next op).
  kFault,    // Fault injection (partition, crash, restart, pause, ...).
  kPhase,    // Phase changes and deadlines.
};

// 0 is never a valid id.
using EventId = uint64_t;

class EventQueue {
 public:
  using Fn = absl::AnyInvocable<void()>;

  // The event being run (valid inside its callback and until the next Pop).
  struct Current {
    int64_t time_us = 0;
    HostIndex owner = kWorld;
    EventKind kind = EventKind::kPhase;
    EventId id = 0;
  };

  // `owners`: the number of nodes.
  explicit EventQueue(int owners);

  int64_t now_us() const { return now_us_; }

  // Schedules `fn` to run at `time_us` (clamped to now: the past is gone).
  // Crash-scoped events are discarded by Crash(owner).
  // REQUIRES: owner == kWorld or 0 <= owner < owners.
  EventId Schedule(int64_t time_us, HostIndex owner, EventKind kind,
                   bool crash_scoped, Fn fn);
  EventId After(int64_t delay_us, HostIndex owner, EventKind kind,
                bool crash_scoped, Fn fn) {
    return Schedule(now_us_ + delay_us, owner, kind, crash_scoped,
                    std::move(fn));
  }

  // Cancels an event that has not run; no-op for 0, run, or stale ids.
  void Cancel(EventId id);

  // Discards the owner's pending crash-scoped events and ends its pause
  // (parked events go back to the queue at now; they find the node down).
  void Crash(HostIndex owner);
  void Pause(HostIndex owner);
  void Resume(HostIndex owner);
  bool paused(HostIndex owner) const { return owners_[owner.slot()].paused; }

  // Removes the next runnable event, advances the clock to its time and
  // returns its callback with `current()` describing it. Returns an empty
  // Fn when no event is left.
  Fn Pop();
  const Current& current() const { return current_; }

  // Queued entries waiting (parked events excluded; cancelled ones not yet
  // popped included, so this is an upper bound on runnable events).
  size_t pending() const { return heap_.size() + (now_.size() - now_head_); }

 private:
  struct Entry {
    int64_t time_us;
    uint64_t seq;
    uint32_t slot;
    uint32_t generation;
  };
  struct Slot {
    Fn fn;
    uint32_t generation = 0;
    uint32_t epoch = 0;
    int32_t owner = kWorld.value();  // HostIndex::value().
    EventKind kind = EventKind::kPhase;
    bool crash_scoped = false;
    bool live = false;
  };
  struct Owner {
    uint32_t epoch = 0;
    bool paused = false;
    std::vector<Entry> parked;  // In pop order, i.e. (time, seq) order.
  };
  // The heap's comparator: true when `a` runs after `b`.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
    }
  };
  void Push(Entry entry);
  // Removes the earliest entry of the FIFO and the heap.
  // REQUIRES: one of them is not empty.
  Entry Take();
  void FreeSlot(uint32_t slot);
  void Unpark(Owner& owner);

  int64_t now_us_ = 0;
  uint64_t next_seq_ = 0;
  // Min-heap by (time, seq) via Later, 4-ary (children of i: 4i+1..4i+4):
  // half the depth of a binary heap, and the four children share a cache
  // line or two. (time, seq) is unique, so the pop order is that of any
  // correct priority queue.
  std::vector<Entry> heap_;
  // Entries scheduled at the then current time, in (time, seq) order; the
  // FIFO is now_[now_head_..].
  std::vector<Entry> now_;
  size_t now_head_ = 0;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<Owner> owners_;
  Current current_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_EVENT_QUEUE_H_
