// storage/wal_kill_common.h — what the kill -9 test's writer process and
// the test itself agree on: the WAL options and the payload an entry of a
// given term, index and size must carry.

#ifndef RAFTSIM_STORAGE_WAL_KILL_COMMON_H_
#define RAFTSIM_STORAGE_WAL_KILL_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/prng.h"
#include "raft/types.h"

namespace raftsim::storage::kill_test {

// Small, so segments roll (and large entries get a segment alone).
inline constexpr uint64_t kSegmentBytes = 32 << 10;

// The bytes of entry (term, index) of `size` bytes: a function of all
// three, so a stale, shifted or torn payload never matches.
inline std::string Payload(uint64_t term, uint64_t index, size_t size) {
  Prng prng((term << 40) ^ (index * 0x9e3779b97f4a7c15ULL) ^ size);
  std::string out(size, '\0');
  uint64_t word = 0;
  for (size_t i = 0; i < size; ++i) {
    if (i % 8 == 0) word = prng.Next();
    out[i] = static_cast<char>('a' + (word & 0xff) % 26);
    word >>= 8;
  }
  return out;
}

// The vote a hard state with `commit` carries (so the test can tell a
// hard state the writer produced from garbage).
inline raft::NodeId VoteFor(uint64_t commit) {
  return raft::NodeId(1 + commit % 5);
}

inline std::string SnapshotData(uint64_t index) {
  return "snapshot@" + std::to_string(index);
}

}  // namespace raftsim::storage::kill_test

#endif  // RAFTSIM_STORAGE_WAL_KILL_COMMON_H_
