// raft/testing/builders.h — terse builders of the core's value types for
// tests: entries, snapshots and message headers. Value types only (no
// Node), so the tests of raft:types use them too.
//
// Arguments go index first, then term, as an entry reads ("i7@t3").
//
// Test-only; single-threaded.

#ifndef RAFTSIM_RAFT_TESTING_BUILDERS_H_
#define RAFTSIM_RAFT_TESTING_BUILDERS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "raft/entry.h"
#include "raft/message.h"
#include "raft/types.h"

namespace raftsim::raft::testing {

// The entry i`index`@t`term`.
inline Entry E(uint64_t index, uint64_t term, std::string payload = "",
               EntryKind kind = EntryKind::kNormal) {
  return Entry{.term = Term(term),
               .index = LogIndex(index),
               .kind = kind,
               .payload = Payload(std::move(payload))};
}

// A snapshot at i`index`@t`term` of a cluster of `voters`.
inline Snapshot Snap(uint64_t index, uint64_t term, std::string data = "",
                     std::initializer_list<uint64_t> voters = {1}) {
  Snapshot s;
  s.meta.index = LogIndex(index);
  s.meta.term = Term(term);
  for (const uint64_t v : voters) s.meta.conf.voters.push_back(NodeId(v));
  s.data = Payload(std::move(data));
  return s;
}

// A message header: type, sender, receiver, term; every other field zero.
inline Message Msg(MessageType type, uint64_t from, uint64_t to,
                   uint64_t term) {
  Message m;
  m.type = type;
  m.from = NodeId(from);
  m.to = NodeId(to);
  m.term = Term(term);
  return m;
}

}  // namespace raftsim::raft::testing

#endif  // RAFTSIM_RAFT_TESTING_BUILDERS_H_
