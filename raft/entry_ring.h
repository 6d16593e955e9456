// raft/entry_ring.h — a growable ring buffer of log entries.
//
// The in-memory log appends at the back and compacts from the front; a ring
// does both without allocating in steady state (std::deque allocates and
// frees a block every few entries). Capacity is a power of two and only
// grows.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_ENTRY_RING_H_
#define RAFTSIM_RAFT_ENTRY_RING_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "base/check.h"
#include "raft/entry.h"

namespace raftsim::raft {

class EntryRing {
 public:
  EntryRing() = default;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  Entry& operator[](size_t i) { return slots_[Slot(i)]; }
  const Entry& operator[](size_t i) const { return slots_[Slot(i)]; }
  const Entry& front() const { return (*this)[0]; }
  const Entry& back() const { return (*this)[size_ - 1]; }

  void push_back(Entry&& e) {
    if (size_ == slots_.size()) Grow();
    slots_[Slot(size_)] = std::move(e);
    ++size_;
  }

  // Removes the first `n` entries. REQUIRES: n <= size().
  void pop_front(size_t n) {
    CHECK_LE(n, size_);
    for (size_t i = 0; i < n; ++i) slots_[Slot(i)] = Entry();  // Free payloads.
    head_ = (head_ + n) & mask_;
    size_ -= n;
  }

  // Keeps the first `n` entries. REQUIRES: n <= size().
  void truncate(size_t n) {
    CHECK_LE(n, size_);
    for (size_t i = n; i < size_; ++i) slots_[Slot(i)] = Entry();
    size_ = n;
  }

  void clear() { truncate(0); }

 private:
  size_t Slot(size_t i) const { return (head_ + i) & mask_; }

  void Grow() {
    std::vector<Entry> bigger(slots_.empty() ? 64 : slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) bigger[i] = std::move((*this)[i]);
    slots_ = std::move(bigger);
    mask_ = slots_.size() - 1;
    head_ = 0;
  }

  // Invariant: slots_.size() is 0 or a power of two; size_ <= slots_.size();
  // mask_ == max(slots_.size(), 1) - 1.
  std::vector<Entry> slots_;
  size_t mask_ = 0;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_ENTRY_RING_H_
