// sim/world/event_queue.cc — see event_queue.h. Single-threaded.

#include "sim/world/event_queue.h"

#include <algorithm>
#include <utility>

#include "base/check.h"

namespace raftsim::sim {

EventQueue::EventQueue(int owners) : owners_(owners) {
  CHECK_GE(owners, 0);
  heap_.reserve(1024);
  now_.reserve(256);
  slots_.reserve(1024);
}

void EventQueue::Push(Entry entry) {
  if (entry.time_us == now_us_) {
    now_.push_back(entry);
    return;
  }
  // Sift up in the 4-ary heap.
  size_t i = heap_.size();
  heap_.push_back(entry);
  while (i > 0) {
    const size_t parent = (i - 1) / 4;
    if (!Later()(heap_[parent], entry)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = entry;
}

EventQueue::Entry EventQueue::Take() {
  if (now_head_ < now_.size() &&
      (heap_.empty() || Later()(heap_.front(), now_[now_head_]))) {
    const Entry e = now_[now_head_++];
    if (now_head_ == now_.size()) {
      now_.clear();
      now_head_ = 0;
    }
    return e;
  }
  // Take the root of the 4-ary heap; sift the last entry down from it.
  const Entry top = heap_.front();
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t n = heap_.size();
  if (n == 0) return top;
  size_t i = 0;
  while (true) {
    const size_t first = 4 * i + 1;
    if (first >= n) break;
    const size_t end = std::min(first + 4, n);
    size_t least = first;
    for (size_t c = first + 1; c < end; ++c) {
      if (Later()(heap_[least], heap_[c])) least = c;
    }
    if (!Later()(last, heap_[least])) break;
    heap_[i] = heap_[least];
    i = least;
  }
  heap_[i] = last;
  return top;
}

EventId EventQueue::Schedule(int64_t time_us, HostIndex owner, EventKind kind,
                             bool crash_scoped, Fn fn) {
  CHECK(owner == kWorld ||
        (owner.value() >= 0 && owner.slot() < owners_.size()));
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.fn = std::move(fn);
  s.owner = owner.value();
  s.kind = kind;
  s.crash_scoped = crash_scoped;
  s.epoch = owner == kWorld ? 0 : owners_[owner.slot()].epoch;
  s.live = true;
  Push({std::max(time_us, now_us_), next_seq_++, slot, s.generation});
  return (static_cast<uint64_t>(s.generation) << 32 | slot) + 1;
}

void EventQueue::FreeSlot(uint32_t slot) {
  Slot& s = slots_[slot];
  s.fn = nullptr;
  s.live = false;
  ++s.generation;
  free_slots_.push_back(slot);
}

void EventQueue::Cancel(EventId id) {
  if (id == 0) return;
  const uint64_t raw = id - 1;
  const uint32_t slot = static_cast<uint32_t>(raw);
  const uint32_t generation = static_cast<uint32_t>(raw >> 32);
  if (slot >= slots_.size()) return;
  Slot& s = slots_[slot];
  if (!s.live || s.generation != generation) return;
  FreeSlot(slot);  // The heap entry is now stale and will be skipped.
}

void EventQueue::Unpark(Owner& owner) {
  owner.paused = false;
  // Re-queued at now, in their original order (fresh sequence numbers keep
  // that order among themselves and put them after what is already due).
  for (const Entry& e : owner.parked) {
    Push({now_us_, next_seq_++, e.slot, e.generation});
  }
  owner.parked.clear();
}

void EventQueue::Crash(HostIndex owner) {
  Owner& o = owners_[owner.slot()];
  ++o.epoch;
  Unpark(o);
}

void EventQueue::Pause(HostIndex owner) { owners_[owner.slot()].paused = true; }

void EventQueue::Resume(HostIndex owner) {
  Owner& o = owners_[owner.slot()];
  if (o.paused) Unpark(o);
}

EventQueue::Fn EventQueue::Pop() {
  while (!heap_.empty() || now_head_ < now_.size()) {
    const Entry e = Take();
    Slot& s = slots_[e.slot];
    if (!s.live || s.generation != e.generation) continue;  // Cancelled.
    if (s.owner != kWorld.value()) {
      Owner& o = owners_[static_cast<size_t>(s.owner)];
      if (s.crash_scoped && s.epoch != o.epoch) {  // Its node crashed.
        FreeSlot(e.slot);
        continue;
      }
      if (o.paused) {
        o.parked.push_back(e);
        continue;
      }
    }
    CHECK_GE(e.time_us, now_us_);
    now_us_ = e.time_us;
    current_ = {e.time_us, HostIndex(s.owner), s.kind,
                (static_cast<uint64_t>(e.generation) << 32 | e.slot) + 1};
    Fn fn = std::move(s.fn);
    FreeSlot(e.slot);
    return fn;
  }
  return nullptr;
}

}  // namespace raftsim::sim
