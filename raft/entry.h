// raft/entry.h — a log entry (Raft §5.3) and the snapshot point.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_RAFT_ENTRY_H_
#define RAFTSIM_RAFT_ENTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "raft/types.h"

namespace raftsim::raft {

enum class EntryKind : uint8_t {
  kNormal,  // An application command; `payload` goes to the state machine.
  kNoop,    // Appended by a new leader to commit its term (Raft §8).
  kConfig,  // A membership configuration (thesis §4); payload encodes it.
};
std::string_view EntryKindName(EntryKind kind);

struct Entry {
  Term term;
  LogIndex index;
  EntryKind kind = EntryKind::kNormal;
  Payload payload;

  // Bytes this entry counts against size limits: the payload plus a fixed
  // per-entry overhead, so that empty entries are not free.
  uint64_t ByteSize() const { return payload.size() + kOverheadBytes; }
  static constexpr uint64_t kOverheadBytes = 24;

  friend bool operator==(const Entry&, const Entry&) = default;
  // "i7@t3 normal 16B" — deterministic, no payload bytes.
  std::string Describe() const;
};

// The cluster membership as stored in snapshots (thesis §4): voters and
// learners, sorted. `voters_outgoing`, `learners_next` and `auto_leave` are
// set only during a joint configuration (they mean what tracker::Config's
// fields of the same names mean; raft/confchange converts).
struct ConfState {
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;
  std::vector<NodeId> voters_outgoing;
  std::vector<NodeId> learners_next;
  bool auto_leave = false;

  friend bool operator==(const ConfState&, const ConfState&) = default;
  std::string Describe() const;  // "voters=(n1 n2 n3) learners=()"
};

// The point a snapshot covers: every entry up to `index` (whose term was
// `term`) is folded into the state machine snapshot. Index 0 means no
// snapshot.
struct SnapshotMeta {
  LogIndex index;
  Term term;
  ConfState conf;

  friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
  std::string Describe() const;
};

struct Snapshot {
  SnapshotMeta meta;
  Payload data;  // Opaque state-machine bytes.

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
  std::string Describe() const;
};

// Sum of ByteSize() over `entries`.
uint64_t TotalBytes(const std::vector<Entry>& entries);

}  // namespace raftsim::raft

#endif  // RAFTSIM_RAFT_ENTRY_H_
