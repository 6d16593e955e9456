// raft/tracker/inflights.h — Inflights: the bounded window of AppendEntries
// a leader has sent to one follower and not yet seen acknowledged.
//
// Pipelining (docs/design.md, the replication stage) keeps several
// AppendEntries in flight per follower; this window bounds them both by count
// and by payload bytes so one slow follower cannot make the leader buffer
// without limit (docs/design.md, "Bound everything"). Each in-flight message is
// recorded as the index of the last entry it carried and its payload size. An
// acknowledgement of index i frees every message whose last index is <= i (etcd
// raft/tracker inflights.go).
//
// The storage is a ring buffer that grows lazily (doubling) up to
// `max_count` slots and is never shrunk, so the steady state performs no
// heap allocation; Reset() keeps the buffer.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_RAFT_TRACKER_INFLIGHTS_H_
#define RAFTSIM_RAFT_TRACKER_INFLIGHTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/strong_id.h"

namespace raftsim::raft::tracker {

class Inflights {
 public:
  // `max_count`: most messages in flight. `max_bytes`: most payload bytes in
  // flight; 0 means unlimited.
  // REQUIRES: max_count > 0.
  Inflights(size_t max_count, uint64_t max_bytes);

  // Records a message whose last entry is `last` carrying `bytes` of payload.
  // A single message may exceed max_bytes on its own (it is then the only
  // one in flight): the limit throttles, it does not forbid progress.
  // REQUIRES: !Full(); `last` is greater than every index in flight.
  void Add(LogIndex last, uint64_t bytes);

  // Frees every message whose last index is <= `to` (an acknowledgement up
  // to `to` covers all of them). A `to` below the oldest does nothing.
  void FreeLE(LogIndex to);

  // Frees the oldest message, if any. Used to let one more message out when
  // the window is full but no acknowledgement is coming (e.g. after a
  // heartbeat response, etcd v3.4), so a lost window cannot stall replication.
  void FreeFirstOne();

  // Forgets every message; keeps the buffer.
  void Reset();

  // True when no further message may be added: `max_count` messages are in
  // flight, or (max_bytes > 0 and) at least `max_bytes` bytes are.
  bool Full() const {
    return count_ == max_count_ || (max_bytes_ != 0 && bytes_ >= max_bytes_);
  }
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  uint64_t bytes() const { return bytes_; }
  size_t max_count() const { return max_count_; }
  uint64_t max_bytes() const { return max_bytes_; }
  // The last index of the oldest / newest message in flight.
  // REQUIRES: !empty().
  LogIndex oldest() const;
  LogIndex newest() const;

  // "inflight=2/256 bytes=300/0 last=(i5 i9)"; empty: "inflight=0/256".
  std::string Describe() const;

 private:
  struct Message {
    LogIndex last;
    uint64_t bytes;
  };

  // Grows the ring (doubling, capped at max_count_), unwrapping it so the
  // oldest message lands at slot 0.
  void Grow();
  size_t Slot(size_t offset) const {
    const size_t i = start_ + offset;
    return i >= ring_.size() ? i - ring_.size() : i;
  }

  // Invariant: 0 < max_count_.
  size_t max_count_;
  uint64_t max_bytes_;
  // The ring; its size is the current capacity.
  // Invariant: count_ <= ring_.size() <= max_count_.
  std::vector<Message> ring_;
  // Slot of the oldest message. Invariant: start_ < ring_.size() or both 0.
  size_t start_ = 0;
  size_t count_ = 0;
  // Invariant: bytes_ == sum of the bytes of the messages in flight.
  uint64_t bytes_ = 0;
};

}  // namespace raftsim::raft::tracker

#endif  // RAFTSIM_RAFT_TRACKER_INFLIGHTS_H_
