// sim/coverage.h — what a run reached: the protocol situations of the core
// and the Server (raft/coverage.h), summed over every node and every
// incarnation, followed by situations of the simulated environment (a
// crash that loses unsynced writes, a clogged link, a late storage
// notice...). `raftsim sweep` prints, for each, how many seeds reached it,
// and names those no seed reached (docs/sweeps.md "Coverage").
//
// Counting never changes a run: no counter is hashed into the trace or read
// by the simulator.

#ifndef RAFTSIM_SIM_COVERAGE_H_
#define RAFTSIM_SIM_COVERAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace raftsim::sim {

// X(enumerator, name, description), as RAFTSIM_SITUATIONS.
#define RAFTSIM_ENV_SITUATIONS(X)                                            \
  X(kCrashLosesUnsyncedWrite, "crash_loses_unsynced_write",                  \
    "a crash lost a write that was not yet synced (acknowledged to nobody)") \
  X(kCrashTearsWrite, "crash_tears_write",                                   \
    "a crash kept a torn prefix of an unsynced write")                       \
  X(kFsyncSpike, "fsync_spike", "a storage write took a latency spike")      \
  X(kStorageNoticeLate, "storage_notice_late",                               \
    "a storage completion was delivered late, possibly after later ones")    \
  X(kMessageDuplicated, "message_duplicated",                                \
    "the network delivered a second copy of a message")                      \
  X(kMessageHeldByClog, "message_held_by_clog",                              \
    "a clogged link held a message and released it with the others")         \
  X(kClientTimedOut, "client_timed_out",                                     \
    "a client gave up waiting: the operation's outcome is unknown")          \
  X(kClientMovedOn, "client_moved_on",                                       \
    "a sticky client went on to its next operation at the same node after "  \
    "a timeout")                                                             \
  X(kNodeRestarted, "node_restarted",                                        \
    "a crashed node restarted from its durable state")                       \
  X(kWalTornTailRecovered, "wal_torn_tail_recovered",                        \
    "WAL recovery cut a torn unsynced tail off the last segment")            \
  X(kWalSegmentRolled, "wal_segment_rolled",                                 \
    "a WAL segment filled up and a new one was started")                     \
  X(kWalSegmentDeleted, "wal_segment_deleted",                               \
    "a WAL segment was deleted after a compaction checkpoint")               \
  X(kWalSyncFailed, "wal_sync_failed",                                       \
    "a WAL sync failed: the node stopped and was restarted")                 \
  X(kWalDiskFull, "wal_disk_full",                                           \
    "a WAL write found the disk full: the node stopped and was restarted")   \
  X(kLearnerAdded, "learner_added",                                          \
    "a membership change adding a learner committed")                        \
  X(kLearnerPromoted, "learner_promoted",                                    \
    "a membership change promoting a learner to voter committed")            \
  X(kVoterRemoved, "voter_removed",                                          \
    "a membership change removing a member committed")                       \
  X(kLeaderRemoved, "leader_removed",                                        \
    "a leader's change removing the leader itself committed")                \
  X(kJointEntered, "joint_entered",                                          \
    "a change into a joint configuration committed")                         \
  X(kJointLeft, "joint_left",                                                \
    "a leader's committed configuration went from joint to simple")          \
  X(kTransferCompleted, "transfer_completed",                                \
    "a leadership transfer's target became leader in a later term")

enum class EnvSituation : uint8_t {
#define RAFTSIM_ENV_SITUATION_ENUM(e, name, description) e,
  RAFTSIM_ENV_SITUATIONS(RAFTSIM_ENV_SITUATION_ENUM)
#undef RAFTSIM_ENV_SITUATION_ENUM
};

struct CoverageEntry {
  std::string_view name;
  std::string_view description;
  std::string_view layer;  // "raft" (core and Server) or "sim".
};

// Every situation a run counts: raft::kSituations in order, then the
// environment's. RunResult::coverage is indexed like this.
const std::vector<CoverageEntry>& CoverageCatalogue();
// The catalogue index of an environment situation.
size_t CatalogueIndex(EnvSituation s);

// A run's counts as one line, "coverage " and the counts in catalogue
// order separated by commas (how a sweep's child reports them), and back.
// Parse errors name what is wrong.
std::string FormatCoverageLine(const std::vector<uint64_t>& counts);
absl::StatusOr<std::vector<uint64_t>> ParseCoverageLine(absl::string_view line);

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_COVERAGE_H_
