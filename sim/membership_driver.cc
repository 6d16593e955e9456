// sim/membership_driver.cc — see membership_driver.h. Single-threaded.

#include "sim/membership_driver.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "raft/confchange/conf_change.h"
#include "sim/simulator.h"

namespace raftsim::sim {
namespace {

using raft::confchange::ChangeSingle;
using raft::confchange::ChangeType;
using raft::confchange::ConfChange;
using raft::confchange::Transition;

constexpr size_t kMaxVoters = 7;
constexpr int64_t kHealCheckUs = 20'000;

bool Contains(const std::vector<NodeId>& ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void MembershipDriver::Start() { ScheduleNext(); }

void MembershipDriver::ScheduleNext() {
  const int64_t gap_us =
      prng_.Range(1, sim_->options().membership_gap_ms_max) * 1000;
  sim_->queue().After(gap_us, kWorld, EventKind::kFault, false, [this] {
    if (sim_->phase() != Phase::kFault) return LeaveJointWhenHealed();
    Step();
    ScheduleNext();
  });
}

void MembershipDriver::LeaveJointWhenHealed() {
  const std::optional<HostIndex> leader = sim_->LeaderHost();
  if (leader.has_value()) {
    const raft::Node& node = *sim_->host(*leader).node();
    const raft::ConfState conf = node.membership().conf;
    if (!conf.voters_outgoing.empty() && !conf.auto_leave &&
        node.configuration_index() <= node.commit_index()) {
      sim_->ChangeMembership(*leader, ConfChange::LeaveJoint());
    }
  }
  sim_->queue().After(kHealCheckUs, kWorld, EventKind::kFault, false,
                      [this] { LeaveJointWhenHealed(); });
}

std::vector<HostIndex> MembershipDriver::Fresh(
    const raft::ConfState& conf) const {
  std::vector<HostIndex> out;
  for (HostIndex h : Hosts(sim_->host_count())) {
    const NodeHost& host = sim_->host(h);
    if (sim_->was_member(h) || host.retired()) continue;
    if (Contains(conf.voters, h.id()) || Contains(conf.learners, h.id())) {
      continue;
    }
    out.push_back(h);
  }
  return out;
}

void MembershipDriver::Step() {
  const uint64_t kind = prng_.Uniform(8);
  auto note = [this](std::string text) {
    sim_->tracer().RecordText(kWorld, TraceKind::kFault,
                              absl::StrCat("membership: ", text));
  };
  const std::optional<HostIndex> leader = sim_->LeaderHost();
  if (!leader.has_value()) return note("skipped (no leader)");
  const raft::Node& node = *sim_->host(*leader).node();
  if (node.configuration_index() > node.commit_index()) {
    return note("skipped (a change is in progress)");
  }
  const raft::ConfState conf = node.membership().conf;
  if (!conf.voters_outgoing.empty()) {
    if (!conf.auto_leave && prng_.Ratio(1, 2)) {
      sim_->ChangeMembership(*leader, ConfChange::LeaveJoint());
      return;
    }
    return note("skipped (joint)");
  }
  const std::vector<NodeId>& voters = conf.voters;
  const std::vector<NodeId>& learners = conf.learners;
  std::vector<HostIndex> fresh = Fresh(conf);
  // A fresh host of a bootstrapped cluster is uninitialised, and an
  // uninitialised node grants no vote until a leader's log reaches it
  // (docs/membership.md, "Initialisation"): added directly as a voter it
  // can leave the cluster with no electable candidate — the nodes with the
  // newest log count on its vote for the configuration that adds it, and
  // no leader of that configuration can form to initialise it. So it joins
  // as a learner and is promoted once caught up. (A fresh host of a static
  // cluster is built with the initial voters and votes as a non-member.)
  const bool fresh_voters = sim_->options().bootstrap == 0;
  // Learners that have caught up: their log reaches the leader's commit.
  std::vector<NodeId> ready;
  for (NodeId id : learners) {
    const raft::Node* n = sim_->host(HostIndex::Of(id)).node();
    if (n != nullptr && n->last_index() >= node.commit_index()) {
      ready.push_back(id);
    }
  }
  auto pick = [this](const auto& v) { return v[prng_.Uniform(v.size())]; };
  auto propose = [&](ConfChange c) {
    for (const ChangeSingle& s : c.changes) {
      const HostIndex h = HostIndex::Of(s.node);
      if (s.type != ChangeType::kRemove && !sim_->host(h).ever_started()) {
        sim_->StartSpare(h);
      }
    }
    sim_->ChangeMembership(*leader, std::move(c));
  };
  auto single = [](ChangeType type, NodeId id) {
    ConfChange c;
    c.changes.push_back(ChangeSingle{type, id});
    return c;
  };
  switch (kind) {
    case 0:
    case 1:  // Add a fresh host as a learner.
      if (fresh.empty()) return note("skipped (no spare host to add)");
      return propose(single(ChangeType::kAddLearner, pick(fresh).id()));
    case 2:  // Promote a learner that has caught up.
      if (ready.empty() || voters.size() >= kMaxVoters) {
        return note("skipped (no learner ready to promote)");
      }
      return propose(single(ChangeType::kPromote, pick(ready)));
    case 3: {  // Remove a voter, the leader in a third of the removals.
      if (voters.size() <= 1) return note("skipped (one voter left)");
      const NodeId victim = prng_.Ratio(1, 3) && Contains(voters, node.id())
                                ? node.id()
                                : pick(voters);
      return propose(single(ChangeType::kRemove, victim));
    }
    case 4: {  // Replace a voter: add one, remove another, jointly.
      if (voters.empty()) return note("skipped (no voter)");
      std::optional<ChangeSingle> add;
      if (!ready.empty()) {
        add = ChangeSingle{ChangeType::kPromote, pick(ready)};
      } else if (!fresh.empty() && fresh_voters) {
        add = ChangeSingle{ChangeType::kAddVoter, pick(fresh).id()};
      }
      if (!add.has_value()) return note("skipped (nobody to replace with)");
      ConfChange c;
      c.transition = prng_.Ratio(1, 4) ? Transition::kJointExplicit
                                       : Transition::kJointAutoLeave;
      c.changes = {*add, ChangeSingle{ChangeType::kRemove, pick(voters)}};
      return propose(std::move(c));
    }
    case 5: {  // Transfer leadership to another voter.
      std::vector<NodeId> others;
      for (NodeId id : voters) {
        if (id != node.id()) others.push_back(id);
      }
      if (others.empty()) return note("skipped (no other voter)");
      sim_->TransferLeadership(*leader, HostIndex::Of(pick(others)));
      return;
    }
    case 6: {  // A joint change of several nodes at once.
      const int64_t want = prng_.Range(2, 3);
      ConfChange c;
      c.transition = prng_.Ratio(1, 4) ? Transition::kJointExplicit
                                       : Transition::kJointAutoLeave;
      size_t after = voters.size();
      std::vector<NodeId> used;
      for (int64_t i = 0; i < want; ++i) {
        const uint64_t what = prng_.Uniform(3);
        if (what == 0 && after < kMaxVoters && !fresh.empty() && fresh_voters) {
          const size_t k = prng_.Uniform(fresh.size());
          c.changes.push_back({ChangeType::kAddVoter, fresh[k].id()});
          fresh.erase(fresh.begin() + static_cast<std::ptrdiff_t>(k));
          ++after;
        } else if (what == 1 && after < kMaxVoters && !ready.empty()) {
          const NodeId id = pick(ready);
          if (Contains(used, id)) continue;
          used.push_back(id);
          c.changes.push_back({ChangeType::kPromote, id});
          ++after;
        } else if (after > 1) {
          const NodeId id = pick(voters);
          if (Contains(used, id)) continue;
          used.push_back(id);
          c.changes.push_back({ChangeType::kRemove, id});
          --after;
        }
      }
      if (c.changes.empty()) return note("skipped (no joint change)");
      return propose(std::move(c));
    }
    default: {  // Remove a learner.
      if (learners.empty()) return note("skipped (no learner to remove)");
      return propose(single(ChangeType::kRemove, pick(learners)));
    }
  }
}

}  // namespace raftsim::sim
