// sim/world/streams.h — the run's random streams, all derived from one root
// seed.
//
// Each subsystem draws from its own stream, forked from the root seed by a
// fixed id (base/prng.h: Fork depends on the seed and the id only). So
// turning a knob that changes how many numbers one subsystem draws — the
// loss rate, say — never shifts another subsystem's draws: the workload,
// the faults and every node see the same numbers as before.
//
// The stream ids are part of the replay format: changing one changes every
// recorded seed's run. Append new streams; never renumber.
//
// Single-threaded; not thread-safe (each Prng is owned by one subsystem).

#ifndef RAFTSIM_SIM_WORLD_STREAMS_H_
#define RAFTSIM_SIM_WORLD_STREAMS_H_

#include <cstdint>

#include "base/prng.h"
#include "sim/host_index.h"

namespace raftsim::sim {

enum class Stream : uint64_t {
  kSwarm = 1,     // Drawing the run's options (options.h).
  kNetwork = 2,   // Link latencies, jitter, loss, duplication.
  kDisk = 3,      // Parent of the per-node disk streams.
  kWorkload = 4,  // Clients: operations, keys, values, think times.
  kFaults = 5,    // Fault schedule: what, when, whom, how long.
  kNodes = 6,     // Parent of the per-node streams (Raft seeds, drift).
  kApply = 7,     // Parent of the per-node apply-latency streams.
  kPost = 8,      // Parent of the per-node event-loop delay streams.
  // Drawing the membership options (options.h), apart from kSwarm so that
  // seeds without membership keep every earlier draw.
  kMembershipOptions = 9,
  kMembership = 10,  // The membership changes of the fault phase.
  kWal = 11,         // Parent of the per-node WAL streams (node_storage.h).
};

class Streams {
 public:
  explicit Streams(uint64_t root_seed) : root_(root_seed) {}

  uint64_t root_seed() const { return root_.seed(); }
  Prng Get(Stream stream) const {
    return root_.Fork(static_cast<uint64_t>(stream));
  }
  // Per-host streams: host `host` of the node / disk family.
  Prng Node(HostIndex host) const {
    return Get(Stream::kNodes).Fork(host.id().value());
  }
  Prng Disk(HostIndex host) const {
    return Get(Stream::kDisk).Fork(host.id().value());
  }
  Prng Apply(HostIndex host) const {
    return Get(Stream::kApply).Fork(host.id().value());
  }
  Prng Post(HostIndex host) const {
    return Get(Stream::kPost).Fork(host.id().value());
  }
  Prng Wal(HostIndex host) const {
    return Get(Stream::kWal).Fork(host.id().value());
  }

 private:
  Prng root_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORLD_STREAMS_H_
