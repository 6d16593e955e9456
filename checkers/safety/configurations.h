// checkers/safety/configurations.h — the membership configuration in force
// on every node, derived from what the checkers see of its log, and the
// quorum rules that depend on it (thesis §4.1, §4.3; docs/membership.md).
//
// A node's configuration in force is the latest configuration entry in its
// log, committed or not (raft::EntryKind::kConfig, a confchange::ConfChange
// payload), else the configuration in force at its log's base (its
// snapshot point), else the base membership (Config.voters of the hosts,
// ClusterView::base_membership). Configurations mirrors, per node, the
// configuration entries of its in-memory log and the configuration each
// one leads to — decoded with confchange's codec and applied with its
// Changer from the predecessor, independently of the node's own
// bookkeeping — so a truncation reverts and a snapshot replaces, exactly as
// the log does. The configuration at a snapshot point is taken from the
// committed history (a snapshot covers only committed entries, which every
// log agrees on): the configuration entries at committed indexes, recorded
// from the log of the node that first reported each commit.
//
// What the update finds is kept for the configuration_chain checker: every
// configuration a node puts in force by appending an entry (with its
// predecessor), entries that do not decode or that the Changer refuses,
// nodes whose reported configuration (NodeView::reported_membership)
// differs from what their log says, and nodes whose configuration set by a
// committed index differs from the committed one.
//
// Quorums: IsQuorum counts a majority of the voters and, in a joint
// configuration ⟨C_old, C_new⟩, a majority of each half; learners never
// count.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_CONFIGURATIONS_H_
#define RAFTSIM_CHECKERS_SAFETY_CONFIGURATIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "checkers/safety/observation.h"
#include "raft/entry.h"
#include "raft/tracker/tracker.h"

namespace raftsim::checkers {

struct CommitPoint;

// A configuration and the entry that set it.
struct ConfPoint {
  // The configuration entry that set it; 0 for the base membership.
  LogIndex index;
  Term term;
  raft::ConfState conf;          // Sorted.
  raft::tracker::Config config;  // The same, for the Changer.
};

// "(n1 n2 n3)", "(n1 n2 n3)&&(n1 n2 n4)", then " learners=(n5)" when any.
std::string DescribeConf(const raft::ConfState& conf);

// True when `has(id)` holds for a majority of conf.voters and, when joint,
// of conf.voters_outgoing. An empty half is no quorum (there is nobody to
// count). Learners never count.
template <typename Has>
bool IsQuorum(const raft::ConfState& conf, Has has) {
  const auto majority = [&](const std::vector<NodeId>& voters) {
    size_t n = 0;
    for (const NodeId id : voters) n += has(id) ? 1 : 0;
    return !voters.empty() && n > voters.size() / 2;
  };
  return majority(conf.voters) &&
         (conf.voters_outgoing.empty() || majority(conf.voters_outgoing));
}

// How many of `voters` satisfy `has`, as "2 of (n1 n2 n3)".
template <typename Has>
std::string DescribeCount(const std::vector<NodeId>& voters, Has has) {
  size_t n = 0;
  for (const NodeId id : voters) n += has(id) ? 1 : 0;
  raft::ConfState only;
  only.voters = voters;
  return std::to_string(n) + " of " + DescribeConf(only);
}

// True when `conf` is the static membership of a `nodes`-node cluster:
// voters n1..nN, not joint, no learners (the checkers' quorum of every node,
// ClusterView::quorum(), is then the configuration's).
bool IsEveryNode(const raft::ConfState& conf, size_t nodes);

// Why `after` cannot follow `before` (nullopt when it can): a configuration
// is its predecessor with at most one voter changed (a single-server
// change, thesis §4.1), or a joint configuration whose outgoing half is its
// non-joint predecessor's voters (thesis §4.3), or — from a joint
// configuration — its incoming half. Learners may change freely.
std::optional<std::string> WhyNotChained(const raft::ConfState& before,
                                         const raft::ConfState& after);

class Configurations {
 public:
  // A configuration a node put in force by appending a configuration entry
  // during the event (the entry at `after.index`).
  struct Transition {
    int node = 0;
    ConfPoint before;
    ConfPoint after;
    // The entry as decoded ("auto [add-voter(n4)]").
    std::string change;
    // Set when the Changer refused the change; `after` is then what the
    // entry asked for, as far as it can be told (the node keeps `before`).
    std::optional<std::string> refused;
  };
  // Something wrong found by the update (one line, names node and index).
  struct Finding {
    int node = 0;
    std::string description;
  };

  // Updates the mirrors of the touched nodes and the committed history.
  // `highest` is the context's highest commit point (after its update),
  // `advanced` whether it advanced during the event.
  void Update(const ClusterView& view, const CommitPoint* highest,
              bool advanced);

  // The base membership (ClusterView::base_membership, or every node).
  const ConfPoint& base() const { return base_; }
  // The configuration in force on node `n` (as of the last update that saw
  // it up).
  const ConfPoint& InForce(int n) const;
  // The configuration in force on node `n` at `index` (the latest of its
  // configuration entries at or below it, else its base).
  const ConfPoint& InForceAt(int n, LogIndex index) const;
  // The configuration in force at committed index `index`.
  const ConfPoint& CommittedAt(LogIndex index) const;
  // The configuration in force on the node that reported the highest commit
  // point, when it reported it: the one its quorum was counted in.
  const ConfPoint& highest_commit_conf() const { return commit_conf_; }

  // What this event's update found.
  const std::vector<Transition>& transitions() const { return transitions_; }
  const std::vector<Finding>& findings() const { return findings_; }

 private:
  struct Mirror {
    bool known = false;
    uint64_t incarnation = 0;
    LogIndex base_index;
    ConfPoint base;  // In force at base_index.
    // The configuration entries in (base_index, last], each with the
    // configuration it leads to.
    std::map<LogIndex, ConfPoint> entries;
    // Committed agreement checked up to here.
    LogIndex agreed;
  };

  void Init(const ClusterView& view);
  void UpdateNode(const ClusterView& view, int n, const NodeView& node);
  // Scans the node's log from `from` for configuration entries.
  // Transitions are reported only when `report` (not for a log loaded at a
  // restart, whose entries were appended in an earlier incarnation).
  void Scan(int n, const NodeView& node, LogIndex from, Mirror& m, bool report);
  void CrossCheckReported(int n, const NodeView& node, const Mirror& m);
  void CheckCommitted(int n, const NodeView& node, Mirror& m);
  void ExtendCommitted(const CommitPoint& highest);

  bool initialised_ = false;
  ConfPoint base_;
  std::vector<Mirror> mirrors_;
  // Configuration entries at committed indexes (and the configuration at
  // a snapshot point whose entry no mirror saw).
  std::map<LogIndex, ConfPoint> committed_;
  LogIndex committed_scanned_;
  // committed_ holds every configuration entry from this index on.
  LogIndex complete_from_ = LogIndex(1);
  ConfPoint commit_conf_;
  std::vector<Transition> transitions_;
  std::vector<Finding> findings_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_CONFIGURATIONS_H_
