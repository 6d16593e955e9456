// raft/confchange/changer.cc — see changer.h.

#include "raft/confchange/changer.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace raftsim::raft::confchange {
namespace {

bool Has(const std::vector<NodeId>& ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void Erase(std::vector<NodeId>& ids, NodeId id) {
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

std::string Refused(const ChangeSingle& c, const std::string& why) {
  return absl::StrCat("conf change ", c.Describe(), ": ", why);
}

// Applies one change to `cfg`'s incoming voters and learners.
absl::Status ApplySingle(tracker::Config& cfg, const ChangeSingle& c) {
  const NodeId id = c.node;
  if (id == kNoNode) return absl::InvalidArgumentError(Refused(c, "node n0"));
  quorum::MajorityConfig& incoming = cfg.voters.incoming;
  const bool voter = incoming.Contains(id);
  const bool learner = Has(cfg.learners, id) || Has(cfg.learners_next, id);
  // A learner that still votes in C_old waits in learners_next until the
  // joint configuration is left (tracker::Config's invariant).
  const auto make_learner = [&cfg, id] {
    if (cfg.voters.outgoing.Contains(id)) {
      cfg.learners_next.push_back(id);
    } else {
      cfg.learners.push_back(id);
    }
  };
  switch (c.type) {
    case ChangeType::kAddVoter:
    case ChangeType::kAddLearner:
      if (voter || learner) {
        return absl::InvalidArgumentError(
            Refused(c, absl::StrCat("already a member (",
                                    voter ? "voter" : "learner", ")")));
      }
      if (c.type == ChangeType::kAddVoter) {
        incoming.Insert(id);
      } else {
        make_learner();
      }
      break;
    case ChangeType::kPromote:
      if (!learner) {
        return absl::InvalidArgumentError(Refused(
            c, voter ? "already a voter" : "unknown node (not a learner)"));
      }
      Erase(cfg.learners, id);
      Erase(cfg.learners_next, id);
      incoming.Insert(id);
      break;
    case ChangeType::kDemote:
      if (!voter) {
        return absl::InvalidArgumentError(Refused(
            c, learner ? "already a learner" : "unknown node (not a voter)"));
      }
      incoming.Erase(id);
      make_learner();
      break;
    case ChangeType::kRemove:
      if (!voter && !learner) {
        return absl::InvalidArgumentError(Refused(c, "unknown node"));
      }
      incoming.Erase(id);
      Erase(cfg.learners, id);
      Erase(cfg.learners_next, id);
      break;
  }
  return absl::OkStatus();
}

// Applies `changes` in order to a copy of `current`; the result has at least
// one incoming voter and is valid.
absl::StatusOr<tracker::Config> ApplyAll(
    const tracker::Config& current, absl::Span<const ChangeSingle> changes) {
  tracker::Config cfg = current;
  for (const ChangeSingle& c : changes) {
    if (absl::Status s = ApplySingle(cfg, c); !s.ok()) return s;
  }
  cfg.Normalize();
  if (cfg.voters.incoming.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "conf change would remove the last voter: ", current.Describe(), " -> ",
        cfg.Describe()));
  }
  if (absl::Status s = cfg.Validate(); !s.ok()) return s;
  return cfg;
}

// How many nodes are voters in exactly one of the two incoming halves.
size_t VotersChanged(const tracker::Config& a, const tracker::Config& b) {
  size_t n = 0;
  for (NodeId id : a.voters.incoming.voters()) {
    if (!b.voters.incoming.Contains(id)) ++n;
  }
  for (NodeId id : b.voters.incoming.voters()) {
    if (!a.voters.incoming.Contains(id)) ++n;
  }
  return n;
}

absl::Status RefuseJoint(const tracker::Config& current, const char* op) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", op, " in the joint configuration ",
                   current.Describe(), ": leave it first"));
}

}  // namespace

absl::StatusOr<tracker::Config> Changer::Apply(const ConfChange& change) const {
  if (change.IsLeaveJoint()) return LeaveJoint();
  switch (change.transition) {
    case Transition::kAuto: {
      if (current_.voters.IsJoint()) {
        return RefuseJoint(current_, "apply a conf change");
      }
      absl::StatusOr<tracker::Config> next = ApplyAll(current_, change.changes);
      if (!next.ok()) return next.status();
      if (VotersChanged(current_, *next) <= 1) return next;
      return EnterJoint(/*auto_leave=*/true, change.changes);
    }
    case Transition::kSimple:
      return Simple(change.changes);
    case Transition::kJointAutoLeave:
      return EnterJoint(/*auto_leave=*/true, change.changes);
    case Transition::kJointExplicit:
      return EnterJoint(/*auto_leave=*/false, change.changes);
    case Transition::kBootstrap:
      return Bootstrap(change.changes);
  }
  return absl::InvalidArgumentError("conf change with an unknown transition");
}

absl::StatusOr<tracker::Config> Changer::Simple(
    absl::Span<const ChangeSingle> changes) const {
  if (current_.voters.IsJoint()) {
    return RefuseJoint(current_, "apply a simple conf change");
  }
  absl::StatusOr<tracker::Config> next = ApplyAll(current_, changes);
  if (!next.ok()) return next.status();
  if (const size_t n = VotersChanged(current_, *next); n > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("a simple conf change may change at most one voter; ",
                     current_.Describe(), " -> ", next->Describe(), " changes ",
                     n, ": use a joint change"));
  }
  return next;
}

absl::StatusOr<tracker::Config> Changer::EnterJoint(
    bool auto_leave, absl::Span<const ChangeSingle> changes) const {
  if (current_.voters.IsJoint()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "already in a joint configuration: ", current_.Describe()));
  }
  if (current_.voters.incoming.empty()) {
    return absl::FailedPreconditionError(
        "cannot enter a joint configuration from one with no voters");
  }
  tracker::Config start = current_;
  start.voters.outgoing = start.voters.incoming;
  absl::StatusOr<tracker::Config> next = ApplyAll(start, changes);
  if (!next.ok()) return next.status();
  next->auto_leave = auto_leave;
  return next;
}

absl::StatusOr<tracker::Config> Changer::LeaveJoint() const {
  if (!current_.voters.IsJoint()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot leave a joint configuration: not joint: ",
                     current_.Describe()));
  }
  // Built field by field: the outgoing half stays default-constructed
  // (empty). (Assigning an empty MajorityConfig trips GCC 12's
  // -Wmaybe-uninitialized inside absl::InlinedVector at -O2.)
  tracker::Config next;
  next.voters.incoming = current_.voters.incoming;
  next.learners = current_.learners;
  next.learners.insert(next.learners.end(), current_.learners_next.begin(),
                       current_.learners_next.end());
  next.auto_leave = false;
  next.Normalize();
  if (absl::Status s = next.Validate(); !s.ok()) return s;
  return next;
}

absl::StatusOr<tracker::Config> Changer::Bootstrap(
    absl::Span<const ChangeSingle> changes) const {
  if (!current_.voters.IDs().empty() || !current_.learners.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot bootstrap: already initialised with ", current_.Describe()));
  }
  for (const ChangeSingle& c : changes) {
    if (c.type != ChangeType::kAddVoter && c.type != ChangeType::kAddLearner) {
      return absl::InvalidArgumentError(
          Refused(c, "a bootstrap only adds voters and learners"));
    }
  }
  return ApplyAll(current_, changes);
}

ConfState ToConfState(const tracker::Config& config) {
  ConfState conf;
  const auto incoming = config.voters.incoming.voters();
  const auto outgoing = config.voters.outgoing.voters();
  conf.voters.assign(incoming.begin(), incoming.end());
  conf.voters_outgoing.assign(outgoing.begin(), outgoing.end());
  conf.learners = config.learners;
  conf.learners_next = config.learners_next;
  conf.auto_leave = config.auto_leave;
  return conf;
}

absl::StatusOr<tracker::Config> FromConfState(const ConfState& conf) {
  for (const auto* ids : {&conf.voters, &conf.voters_outgoing}) {
    if (Has(*ids, kNoNode)) {
      return absl::InvalidArgumentError("conf state names voter n0: " +
                                        conf.Describe());
    }
  }
  tracker::Config cfg;
  cfg.voters.incoming =
      quorum::MajorityConfig(absl::MakeConstSpan(conf.voters));
  cfg.voters.outgoing =
      quorum::MajorityConfig(absl::MakeConstSpan(conf.voters_outgoing));
  cfg.learners = conf.learners;
  cfg.learners_next = conf.learners_next;
  cfg.auto_leave = conf.auto_leave;
  cfg.Normalize();
  if (absl::Status s = cfg.Validate(); !s.ok()) return s;
  if (cfg.voters.incoming.empty() && cfg.voters.IsJoint()) {
    return absl::InvalidArgumentError(
        "conf state has outgoing voters but no incoming ones: " +
        conf.Describe());
  }
  return cfg;
}

}  // namespace raftsim::raft::confchange
