// checkers/safety/configurations.cc — see configurations.h.

#include "checkers/safety/configurations.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "checkers/safety/context.h"
#include "raft/confchange/changer.h"
#include "raft/confchange/conf_change.h"

namespace raftsim::checkers {
namespace {

using raft::ConfState;
using raft::confchange::ChangeType;
using raft::confchange::ConfChange;
using raft::confchange::Transition;

std::string Ids(const std::vector<NodeId>& ids) {
  std::string out = "(";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += " ";
    out += ids[i].Describe();
  }
  return out + ")";
}

std::vector<NodeId> Sorted(std::vector<NodeId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

ConfState Normalized(ConfState conf) {
  conf.voters = Sorted(std::move(conf.voters));
  conf.voters_outgoing = Sorted(std::move(conf.voters_outgoing));
  conf.learners = Sorted(std::move(conf.learners));
  conf.learners_next = Sorted(std::move(conf.learners_next));
  return conf;
}

ConfPoint PointOf(LogIndex index, Term term, raft::tracker::Config config) {
  ConfPoint p;
  p.index = index;
  p.term = term;
  p.conf = Normalized(raft::confchange::ToConfState(config));
  p.config = std::move(config);
  return p;
}

// What `change` asks for from `before`, without the Changer's refusals: the
// changes applied in order to the incoming voters and the learners, as one
// step, or — for a joint transition, or kAuto changing more than one voter
// — a joint configuration over `before`'s voters. Used only to describe a
// change the Changer refused.
ConfState Requested(const ConfState& before, const ConfChange& change) {
  ConfState after;
  if (change.IsLeaveJoint()) {
    after.voters = before.voters;
    after.learners = before.learners;
    after.learners.insert(after.learners.end(), before.learners_next.begin(),
                          before.learners_next.end());
    return Normalized(after);
  }
  const bool bootstrap = change.transition == Transition::kBootstrap;
  std::set<NodeId> voters, learners;
  if (!bootstrap) {
    voters.insert(before.voters.begin(), before.voters.end());
    learners.insert(before.learners.begin(), before.learners.end());
  }
  for (const auto& c : change.changes) {
    switch (c.type) {
      case ChangeType::kAddVoter:
      case ChangeType::kPromote:
        voters.insert(c.node);
        learners.erase(c.node);
        break;
      case ChangeType::kAddLearner:
      case ChangeType::kDemote:
        voters.erase(c.node);
        learners.insert(c.node);
        break;
      case ChangeType::kRemove:
        voters.erase(c.node);
        learners.erase(c.node);
        break;
    }
  }
  after.voters.assign(voters.begin(), voters.end());
  std::vector<NodeId> changed;
  std::set_symmetric_difference(before.voters.begin(), before.voters.end(),
                                after.voters.begin(), after.voters.end(),
                                std::back_inserter(changed));
  const bool joint =
      change.transition == Transition::kJointAutoLeave ||
      change.transition == Transition::kJointExplicit ||
      (change.transition == Transition::kAuto && changed.size() > 1);
  if (joint) {
    after.voters_outgoing = before.voters;
    after.auto_leave = change.transition != Transition::kJointExplicit;
    for (const NodeId id : learners) {
      if (std::binary_search(before.voters.begin(), before.voters.end(), id)) {
        after.learners_next.push_back(id);
      } else {
        after.learners.push_back(id);
      }
    }
  } else {
    after.learners.assign(learners.begin(), learners.end());
  }
  return Normalized(after);
}

}  // namespace

std::string DescribeConf(const ConfState& conf) {
  std::string out = Ids(conf.voters);
  if (!conf.voters_outgoing.empty()) {
    absl::StrAppend(&out, "&&", Ids(conf.voters_outgoing));
  }
  if (!conf.learners.empty())
    absl::StrAppend(&out, " learners=", Ids(conf.learners));
  if (!conf.learners_next.empty()) {
    absl::StrAppend(&out, " learners_next=", Ids(conf.learners_next));
  }
  return out;
}

bool IsEveryNode(const ConfState& conf, size_t nodes) {
  if (!conf.voters_outgoing.empty() || !conf.learners.empty() ||
      conf.voters.size() != nodes) {
    return false;
  }
  for (size_t i = 0; i < nodes; ++i) {
    if (conf.voters[i] != NodeId(i + 1)) return false;
  }
  return true;
}

std::optional<std::string> WhyNotChained(const ConfState& b,
                                         const ConfState& a) {
  const ConfState before = Normalized(b);
  const ConfState after = Normalized(a);
  if (!after.voters_outgoing.empty()) {
    if (!before.voters_outgoing.empty()) {
      return absl::StrCat("enters the joint configuration ",
                          DescribeConf(after), " from the joint one ",
                          DescribeConf(before));
    }
    if (after.voters_outgoing != before.voters) {
      return absl::StrCat(
          "enters the joint configuration ", DescribeConf(after),
          " whose outgoing half ", Ids(after.voters_outgoing),
          " is not its predecessor's voters ", Ids(before.voters));
    }
    return std::nullopt;
  }
  if (!before.voters_outgoing.empty()) {
    if (after.voters != before.voters) {
      return absl::StrCat("leaves the joint configuration ",
                          DescribeConf(before), " for ", Ids(after.voters),
                          ", not for its incoming half ", Ids(before.voters));
    }
    return std::nullopt;
  }
  // The first configuration (a bootstrap, from nothing) may name any voters.
  if (before.voters.empty()) return std::nullopt;
  std::vector<NodeId> added, removed;
  std::set_difference(after.voters.begin(), after.voters.end(),
                      before.voters.begin(), before.voters.end(),
                      std::back_inserter(added));
  std::set_difference(before.voters.begin(), before.voters.end(),
                      after.voters.begin(), after.voters.end(),
                      std::back_inserter(removed));
  if (added.size() + removed.size() <= 1) return std::nullopt;
  std::string what;
  for (const NodeId id : added) absl::StrAppend(&what, " +", id.Describe());
  for (const NodeId id : removed) absl::StrAppend(&what, " -", id.Describe());
  return absl::StrCat("changes ", added.size() + removed.size(),
                      " voters in one single-server step (",
                      DescribeConf(before), " -> ", DescribeConf(after), ":",
                      what, ")");
}

void Configurations::Init(const ClusterView& view) {
  initialised_ = true;
  ConfState conf;
  if (view.base_membership != nullptr) {
    conf = *view.base_membership;
  } else {
    for (size_t i = 0; i < view.nodes.size(); ++i) {
      conf.voters.push_back(NodeId(i + 1));
    }
  }
  absl::StatusOr<raft::tracker::Config> config =
      raft::confchange::FromConfState(Normalized(conf));
  base_ = PointOf(LogIndex(0), Term(0),
                  config.ok() ? *std::move(config) : raft::tracker::Config{});
  base_.conf = Normalized(conf);
  commit_conf_ = base_;
  mirrors_.assign(view.nodes.size(), Mirror{});
}

const ConfPoint& Configurations::InForce(int n) const {
  const Mirror& m = mirrors_[static_cast<size_t>(n)];
  if (!m.known) return base_;
  return m.entries.empty() ? m.base : m.entries.rbegin()->second;
}

const ConfPoint& Configurations::InForceAt(int n, LogIndex index) const {
  const Mirror& m = mirrors_[static_cast<size_t>(n)];
  if (!m.known) return base_;
  auto it = m.entries.upper_bound(index);
  if (it == m.entries.begin()) return m.base;
  return std::prev(it)->second;
}

const ConfPoint& Configurations::CommittedAt(LogIndex index) const {
  auto it = committed_.upper_bound(index);
  if (it == committed_.begin()) return base_;
  return std::prev(it)->second;
}

void Configurations::Update(const ClusterView& view, const CommitPoint* highest,
                            bool advanced) {
  if (!initialised_) Init(view);
  transitions_.clear();
  findings_.clear();
  view.ForEachTouched([&](const int n) {
    if (static_cast<size_t>(n) < mirrors_.size()) {
      UpdateNode(view, n, *view.nodes[n]);
    }
  });
  if (advanced && highest != nullptr) ExtendCommitted(*highest);
  const auto committed = [&](const int n) {
    const NodeView& node = *view.nodes[n];
    if (node.up()) CheckCommitted(n, node, mirrors_[static_cast<size_t>(n)]);
  };
  if (advanced) {
    for (size_t n = 0; n < mirrors_.size(); ++n) committed(static_cast<int>(n));
  } else {
    view.ForEachTouched(committed);
  }
}

void Configurations::UpdateNode(const ClusterView&, int n,
                                const NodeView& node) {
  Mirror& m = mirrors_[static_cast<size_t>(n)];
  if (!node.up()) return;
  const LogIndex base = node.log_base_index();
  const LogIndex last = node.log_last_index();
  LogIndex from = std::max(node.log_changed_from(), LogIndex(1));
  bool changed = false;
  bool report = true;
  if (!m.known || m.incarnation != node.incarnation() || base < m.base_index) {
    // (Re)started: the log was loaded from the disk, its entries appended
    // in an earlier incarnation (their transitions were seen then). A node
    // seen for the first time shows entries new to the checkers.
    report = !m.known;
    m.known = true;
    m.incarnation = node.incarnation();
    m.entries.clear();
    m.base_index = base;
    m.base = CommittedAt(base);
    m.agreed = base;
    from = base + 1;
    changed = true;
  } else if (base > m.base_index) {
    // Compacted, or a snapshot installed: the configuration at the new
    // base is the committed one there, once the history reaches it (a
    // snapshot covers only committed entries; the mirror may hold a
    // divergent uncommitted one below it). Until then the node's own
    // entries are its committed prefix (it compacted what it applied).
    m.base =
        committed_scanned_ >= base ? CommittedAt(base) : InForceAt(n, base);
    m.entries.erase(m.entries.begin(), m.entries.upper_bound(base));
    m.base_index = base;
    m.agreed = std::max(m.agreed, base);
    changed = true;
  }
  // Entries replaced or cut off: a kept entry has the same term (Log
  // Matching: the same entry, after the same prefix).
  for (auto it = m.entries.lower_bound(std::min(from, last + 1));
       it != m.entries.end(); ++it) {
    if (it->first > last || node.LogTermAt(it->first) != it->second.term) {
      m.entries.erase(it, m.entries.end());
      changed = true;
      break;
    }
  }
  if (from <= last) {
    changed = true;
    m.agreed = std::min(m.agreed, std::max(base, from - 1));
    Scan(n, node, std::max(from, base + 1), m, report);
  }
  if (changed) CrossCheckReported(n, node, m);
}

void Configurations::Scan(int n, const NodeView& node, LogIndex from, Mirror& m,
                          bool report) {
  const LogIndex last = node.log_last_index();
  for (LogIndex i = from; i <= last; ++i) {
    if (m.entries.contains(i)) continue;
    const std::optional<std::string_view> payload = node.LogConfigAt(i);
    if (!payload.has_value()) continue;
    const ConfPoint& before = InForceAt(n, i);
    absl::StatusOr<ConfChange> change =
        raft::confchange::DecodeConfChange(*payload);
    if (!change.ok()) {
      findings_.push_back(
          {n, absl::StrCat(
                  "n", n + 1, " holds a configuration entry at ", i.Describe(),
                  " that does not decode: ", change.status().message())});
      continue;
    }
    absl::StatusOr<raft::tracker::Config> next =
        raft::confchange::Changer(before.config).Apply(*change);
    if (!next.ok()) {
      // The node keeps its configuration (raft/membership.cc); what the
      // entry asked for is still a change somebody proposed.
      if (report) {
        Transition t{n, before, before, change->Describe(),
                     std::string(next.status().message())};
        t.after.index = i;
        t.after.term = node.LogTermAt(i);
        t.after.conf = Requested(before.conf, *change);
        transitions_.push_back(std::move(t));
      }
      continue;
    }
    ConfPoint point = PointOf(i, node.LogTermAt(i), *std::move(next));
    if (report) {
      transitions_.push_back(
          {n, before, point, change->Describe(), std::nullopt});
    }
    m.entries.emplace(i, std::move(point));
  }
}

void Configurations::CrossCheckReported(int n, const NodeView& node,
                                        const Mirror& m) {
  const std::optional<raft::Membership> reported = node.reported_membership();
  if (!reported.has_value()) return;
  const ConfPoint& derived = InForce(n);
  const ConfState conf = Normalized(reported->conf);
  // A configuration set by an entry of the log names that entry; one from
  // the log's base names the entry that set it or the snapshot point.
  const bool from_entry = !m.entries.empty();
  const bool index_ok = from_entry ? reported->index == derived.index
                                   : reported->index <= m.base_index;
  if (conf == derived.conf && index_ok) return;
  std::string text = absl::StrCat(
      "n", n + 1, " reports ", DescribeConf(conf), " (set by ",
      reported->index.Describe(), ") in force, but its log says ",
      DescribeConf(derived.conf), " (set by ",
      derived.index == LogIndex(0) ? std::string("the base membership")
                                   : derived.index.Describe(),
      ")");
  if (from_entry && reported->index == derived.index) {
    const ConfPoint& before = InForceAt(n, derived.index - 1);
    if (std::optional<std::string> why = WhyNotChained(before.conf, conf)) {
      absl::StrAppend(&text, "; the reported one ", *why);
    }
  }
  findings_.push_back({n, std::move(text)});
}

void Configurations::ExtendCommitted(const CommitPoint& highest) {
  if (highest.index <= committed_scanned_) return;
  if (static_cast<size_t>(highest.reporter) >= mirrors_.size()) return;
  const Mirror& m = mirrors_[static_cast<size_t>(highest.reporter)];
  if (m.known) {
    if (m.base_index > committed_scanned_ &&
        m.base.index > committed_scanned_ && m.base.index != LogIndex(0)) {
      committed_.emplace(m.base.index, m.base);
    }
    for (auto it = m.entries.upper_bound(committed_scanned_);
         it != m.entries.end() && it->first <= highest.index; ++it) {
      committed_.emplace(it->first, it->second);
    }
    if (m.base_index > committed_scanned_) {
      // Entries below the reporter's base were never seen in a log.
      complete_from_ = std::max(complete_from_, m.base_index + 1);
    }
  }
  committed_scanned_ = highest.index;
  commit_conf_ = InForce(highest.reporter);
}

void Configurations::CheckCommitted(int n, const NodeView& node, Mirror& m) {
  if (!m.known) return;
  // Only what the node itself knows committed: a lagging node may still
  // hold a divergent uncommitted entry at an index committed elsewhere,
  // until the leader's log replaces it.
  const LogIndex upto = std::min(
      {node.log_last_index(), node.commit_index(), committed_scanned_});
  const LogIndex from = std::max({m.agreed, m.base_index, complete_from_ - 1});
  if (upto <= from) return;
  // Both maps over (from, upto], merged by index.
  auto a = m.entries.upper_bound(from);
  auto c = committed_.upper_bound(from);
  while (true) {
    const bool a_in = a != m.entries.end() && a->first <= upto;
    const bool c_in = c != committed_.end() && c->first <= upto;
    if (!a_in && !c_in) break;
    if (a_in && c_in && a->first == c->first) {
      if (a->second.conf != c->second.conf) {
        findings_.push_back(
            {n, absl::StrCat("n", n + 1, "'s configuration set by committed ",
                             a->first.Describe(), " is ",
                             DescribeConf(a->second.conf),
                             ", but the committed one there is ",
                             DescribeConf(c->second.conf))});
      }
      ++a;
      ++c;
    } else if (a_in && (!c_in || a->first < c->first)) {
      findings_.push_back(
          {n, absl::StrCat("n", n + 1, " holds a configuration entry (",
                           DescribeConf(a->second.conf), ") at committed ",
                           a->first.Describe(),
                           ", where the committed log has none")});
      ++a;
    } else {
      findings_.push_back(
          {n, absl::StrCat(
                  "n", n + 1, " holds no configuration entry at committed ",
                  c->first.Describe(), ", where the committed log sets ",
                  DescribeConf(c->second.conf))});
      ++c;
    }
  }
  m.agreed = upto;
}

}  // namespace raftsim::checkers
