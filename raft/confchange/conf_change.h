// raft/confchange/conf_change.h — a membership change request (thesis §4,
// etcd's ConfChangeV2) and its versioned binary encoding, the payload of an
// EntryKind::kConfig log entry.
//
// A ConfChange is a batch of single changes applied together, and a
// transition that says how: as one single-server change (thesis §4.1) when
// the batch changes at most one voter, or through a joint configuration
// ⟨C_old, C_new⟩ (thesis §4.3) that is left automatically once it commits
// (auto_leave) or by an explicit LeaveJoint change. The empty batch is the
// LeaveJoint change. raft/confchange/changer.h computes the configuration a
// change leads to.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_RAFT_CONFCHANGE_CONF_CHANGE_H_
#define RAFTSIM_RAFT_CONFCHANGE_CONF_CHANGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "base/strong_id.h"

namespace raftsim::raft::confchange {

enum class ChangeType : uint8_t {
  kAddVoter,    // A new member that votes.
  kAddLearner,  // A new member that receives the log but never votes.
  kPromote,     // Learner -> voter.
  kDemote,      // Voter -> learner.
  kRemove,      // Drops a voter or a learner.
};
inline constexpr int kChangeTypeCount = 5;
std::string_view ChangeTypeName(ChangeType type);

struct ChangeSingle {
  ChangeType type = ChangeType::kAddVoter;
  NodeId node;

  friend bool operator==(const ChangeSingle&, const ChangeSingle&) = default;
  std::string Describe() const;  // "add-voter(n4)"
};

// How a batch is applied (etcd ConfChangeTransition, plus kSimple and
// kBootstrap).
enum class Transition : uint8_t {
  // Single-server change when the batch changes at most one voter, else a
  // joint change left automatically (etcd's Auto).
  kAuto,
  // Must be a single-server change: refused if it changes more than one
  // voter, or the configuration is joint.
  kSimple,
  // Enter a joint configuration; the leader leaves it once it commits.
  kJointAutoLeave,
  // Enter a joint configuration; stay until a LeaveJoint change.
  kJointExplicit,
  // The first configuration of a cluster (Node::Bootstrap): only add-voter
  // and add-learner, applied to the empty configuration at once. Never
  // proposed.
  kBootstrap,
};
inline constexpr int kTransitionCount = 5;
std::string_view TransitionName(Transition transition);

struct ConfChange {
  Transition transition = Transition::kAuto;
  // Applied in order. Empty (with kAuto): leave the joint configuration.
  std::vector<ChangeSingle> changes;

  static ConfChange LeaveJoint() { return ConfChange{}; }
  bool IsLeaveJoint() const {
    return changes.empty() && transition == Transition::kAuto;
  }

  friend bool operator==(const ConfChange&, const ConfChange&) = default;
  // "auto [add-voter(n4) remove(n1)]", "leave-joint".
  std::string Describe() const;
};

// The most single changes one ConfChange may carry (clusters are small; the
// bound keeps a decoded entry's size bounded).
inline constexpr size_t kMaxChanges = 64;

// The encoding (version 1, little-endian):
//   u8 version (1) | u8 transition | u16 count | count × (u8 type, u64 node)
// nothing after. Encode REQUIRES changes.size() <= kMaxChanges.
std::string EncodeConfChange(const ConfChange& change);
// InvalidArgument for anything but exactly one well-formed encoding: an
// unknown version, transition or change type, a count above kMaxChanges, a
// node id 0, a short or long buffer, an empty batch with a transition other
// than kAuto.
absl::StatusOr<ConfChange> DecodeConfChange(std::string_view bytes);

inline constexpr uint8_t kEncodingVersion = 1;

}  // namespace raftsim::raft::confchange

#endif  // RAFTSIM_RAFT_CONFCHANGE_CONF_CHANGE_H_
