// raft/snapshot.cc — InstallSnapshot (Raft §7) on both sides. Part of
// raft::Node; see node.h.

#include <algorithm>

#include "base/check.h"
#include "raft/confchange/changer.h"
#include "raft/node.h"

namespace raftsim::raft {

void Node::HandleSnapshot(Message&& m) {
  if (m.snapshot == nullptr) return;  // Malformed; Step validates this.
  const SnapshotMeta& meta = m.snapshot->meta;
  Message reply;
  reply.type = MessageType::kSnapshotReply;
  reply.to = m.from;
  reply.term = term_;
  absl::StatusOr<tracker::Config> conf = confchange::FromConfState(meta.conf);
  if (!conf.ok()) {
    // A membership that breaks the configuration's invariants (input from
    // the network): refuse the snapshot.
    reply.reject = true;
    reply.index = log_.committed();
    Send(std::move(reply), /*after_persist=*/false);
    return;
  }
  if (meta.index <= log_.committed()) {
    // Stale: we already have all of it.
    coverage_.Hit(Situation::kSnapshotStale);
    reply.index = log_.committed();
  } else if (log_.MatchTerm(meta.index, meta.term)) {
    // We hold the snapshot's last entry, hence (Log Matching) everything
    // before it: it is committed, nothing to restore.
    coverage_.Hit(Situation::kSnapshotMatchesLog);
    log_.CommitTo(meta.index);
    reply.index = meta.index;
  } else {
    coverage_.Hit(Situation::kSnapshotInstalled);
    // Up to the snapshot index the leader's terms are at most meta.term,
    // and at meta.index exactly that: an uncommitted entry of ours there
    // with another term (or a later one before it) conflicts.
    const LogIndex probe = std::min(log_.LastIndex(), meta.index);
    if (probe > log_.committed()) {
      const Term t = *log_.TermAt(probe);
      if (probe == meta.index ? t != meta.term : t > meta.term) {
        coverage_.Hit(Situation::kSnapshotOverDivergentLog);
      }
    }
    if (log_.LastIndex() > log_.committed()) {
      coverage_.Hit(Situation::kSnapshotDiscardsUncommitted);
    }
    log_.RestoreSnapshot(meta.index, meta.term);
    // The snapshot's configuration is the one in force at its index; the
    // log after it is gone, and with it any later configuration.
    conf_base_ = {meta.index, meta.term, std::move(*conf)};
    conf_log_.clear();
    ApplyConfigInForce();
    snapshot_ = *m.snapshot;
    pending_snapshot_ = *m.snapshot;
    reply.index = meta.index;
  }
  // The ack claims the snapshot (or the log it stands for) is durable.
  Send(std::move(reply), /*after_persist=*/true);
}

void Node::HandleSnapshotReply(const Message& m) {
  tracker::Progress* pr = tracker_.Get(m.from);
  if (pr == nullptr) return;
  pr->set_recent_active(true);
  if (m.reject) {
    if (pr->state() == tracker::ProgressState::kSnapshot) pr->BecomeProbe();
  } else {
    pr->MaybeUpdate(m.index);
    if (pr->state() == tracker::ProgressState::kSnapshot) pr->BecomeProbe();
    if (MaybeCommit()) {
      BroadcastAppend();
      return;
    }
  }
  MaybeSendAppend(m.from, /*send_if_empty=*/true);
}

}  // namespace raftsim::raft
