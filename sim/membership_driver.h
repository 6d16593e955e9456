// sim/membership_driver.h — MembershipDriver: the membership changes of a
// swarm run's fault phase (SimOptions::membership), drawn from the seed's
// kMembership stream (sim/world/streams.h), so that they never shift the
// draws of the faults or the workload.
//
// Every membership_gap_ms_max (at most) until the heal it looks at the
// leader's configuration in force and, when that is committed, draws one
// of: add a fresh spare host as a learner (StartSpare, add-learner);
// promote a learner once it has caught up (its log reaches the leader's
// commit index); remove a voter — the leader itself in a third of the
// removals — or a learner; replace a voter (a joint change adding a
// learner or a fresh host as a voter and removing the voter); a joint
// change of several nodes at once, left automatically or, in a quarter
// of them, by an explicit leave-joint later; a leadership transfer to
// another voter. Voters stay between 1 and 7. A change that cannot be
// made now (no leader, nothing to add or remove) is skipped and noted.
// After the heal it draws nothing new, but keeps leaving a joint
// configuration that waits for an explicit leave-joint, so that the
// healed cluster can finish every change (liveness requires it).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_MEMBERSHIP_DRIVER_H_
#define RAFTSIM_SIM_MEMBERSHIP_DRIVER_H_

#include <cstdint>
#include <vector>

#include "base/prng.h"
#include "raft/entry.h"
#include "sim/host_index.h"

namespace raftsim::sim {

class Simulator;

class MembershipDriver {
 public:
  MembershipDriver(Simulator* sim, Prng prng) : sim_(sim), prng_(prng) {}

  // Schedules the first draw. REQUIRES: called once, at the start.
  void Start();

 private:
  void Step();
  void ScheduleNext();
  // After the heal: leaves an explicit joint configuration, if any.
  void LeaveJointWhenHealed();
  // Hosts never members, not retired (spare hosts).
  std::vector<HostIndex> Fresh(const raft::ConfState& conf) const;

  Simulator* sim_;
  Prng prng_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_MEMBERSHIP_DRIVER_H_
