// raft/confchange/changer.h — the Changer: the configuration a ConfChange
// leads to from the current one, or why it is refused (etcd
// confchange.Changer; thesis §4.1 single-server changes, §4.3 joint
// consensus), and the conversions between a tracker::Config and the
// ConfState that snapshots carry.
//
// Pure functions of their arguments; the Changer holds a copy of the current
// configuration. Thread-compatible.

#ifndef RAFTSIM_RAFT_CONFCHANGE_CHANGER_H_
#define RAFTSIM_RAFT_CONFCHANGE_CHANGER_H_

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "raft/confchange/conf_change.h"
#include "raft/entry.h"
#include "raft/tracker/tracker.h"

namespace raftsim::raft::confchange {

class Changer {
 public:
  // `current` must satisfy tracker::Config::Validate() (it is a
  // configuration a Changer produced, or one read from a snapshot through
  // FromConfState).
  explicit Changer(const tracker::Config& current) : current_(current) {}

  // Dispatches on the change: LeaveJoint for the empty batch, Bootstrap,
  // Simple or EnterJoint by the transition. kAuto is Simple when the batch
  // changes at most one voter of the incoming configuration, else
  // EnterJoint with auto_leave.
  absl::StatusOr<tracker::Config> Apply(const ConfChange& change) const;

  // A single-server change (thesis §4.1). Refused in a joint configuration
  // and when it would change more than one voter (adding or removing two
  // voters at once can give two disjoint majorities, thesis §4.1 Figure
  // 4.3); a learner added, promoted or demoted counts as is.
  absl::StatusOr<tracker::Config> Simple(
      absl::Span<const ChangeSingle> changes) const;
  // Enters ⟨C_old, C_new⟩ (thesis §4.3): outgoing = the current voters,
  // incoming = them with `changes` applied. Refused when already joint or
  // when the current configuration has no voters. A demoted voter, or a
  // learner added that still votes in C_old, becomes a learner only on
  // leaving (learners_next).
  absl::StatusOr<tracker::Config> EnterJoint(
      bool auto_leave, absl::Span<const ChangeSingle> changes) const;
  // ⟨C_old, C_new⟩ -> C_new: drops the outgoing half, makes learners_next
  // learners. Refused when not joint.
  absl::StatusOr<tracker::Config> LeaveJoint() const;
  // The first configuration, from the empty one: only add-voter and
  // add-learner; at least one voter. Refused when the current configuration
  // has any member.
  absl::StatusOr<tracker::Config> Bootstrap(
      absl::Span<const ChangeSingle> changes) const;

 private:
  tracker::Config current_;
};

// The ConfState a snapshot records for `config` (voters sorted).
ConfState ToConfState(const tracker::Config& config);
// The tracker::Config `conf` describes, sorted; InvalidArgument when it
// breaks tracker::Config's invariants (a node both voter and learner,
// learners_next outside a joint configuration, node 0, ...). A ConfState
// with no voters gives the empty configuration.
absl::StatusOr<tracker::Config> FromConfState(const ConfState& conf);

}  // namespace raftsim::raft::confchange

#endif  // RAFTSIM_RAFT_CONFCHANGE_CHANGER_H_
