// checkers/safety/lease_promise.h — with lease reads, a follower keeps the
// promise a leader's lease rests on: after a leader's heartbeat reaches it,
// it grants no vote in a later term for an election timeout (less the
// drift of its clock), across restarts.
//
// A lease read (thesis §6.4.1) is served without a round of messages
// because the leader knows that no other leader can exist yet: a quorum
// acknowledged one of its heartbeats recently, and each of them refuses
// votes for an election timeout after hearing it. The leader's lease is
// shorter than that timeout by the drift bound, so the promise is what
// makes the lease safe — and a node that forgets it (a restart that
// votes at once, a term bump that forgets the leader it heard) breaks
// every lease that counted it, whether or not a stale read follows. The
// read_leadership checker sees the stale read when it happens; this sees
// the broken promise, which is far more frequent. After every event:
//
//   a heartbeat of term t reached node F (running, not paused) at time s,
//   and F granted a vote in a term u > t at time v  =>
//   v - s >= F.lease_promise_us()
//
// where lease_promise_us() is (election timeout - 1 tick) of F's clock, in
// simulated time (0 when F does not run lease reads: nothing is promised
// then). Why it holds: the heartbeat resets F's election clock; F refuses
// votes while fewer than an election timeout of ticks have passed since
// (raft::Node::InLease), and for its first election timeout after every
// start; and E ticks take more than E - 1 tick periods. The time of the
// grant is when the reply leaves (after the vote is durable), later than
// the decision, so the check may miss a grant, never blame a good one.
//
// And the other side of the same bargain, the premise of the lease itself:
//
//   leader L of term t serves a read from its lease at time T  =>
//   L and enough nodes for a quorum F had a heartbeat of L's term t reach
//   them at a time s with T - s < F.lease_promise_us()
//
// (a quorum of every node with the static membership; once it changed, of
// the voters of L's configuration in force, each half when joint, learners
// never counted: checkers/safety/configurations.h)
//
// A lease read is one the leader confirmed in the event that took it up (a
// ReadIndex round needs replies, which arrive in later events). Why it
// holds: the lease runs from the send time of a heartbeat a quorum
// acknowledged, which reached each of them no earlier, for (E - 1) ticks
// scaled down by the drift bound — never past the earliest end of their
// refusals. A lease computed too long, dated from the reply's arrival, or
// kept past an election timeout is reported at the first read it serves
// beyond the promises, whether or not another leader was elected then.
//
// A leader that hands leadership over (TimeoutNow) voids its lease when it
// sends it: the promises its heartbeats of that term earned back nothing
// from then on, and a vote granted against them is no breach.
//
// O(heartbeats delivered + votes granted + lease reads × nodes) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_LEASE_PROMISE_H_
#define RAFTSIM_CHECKERS_SAFETY_LEASE_PROMISE_H_

#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class LeasePromise final : public Checker {
 public:
  static constexpr std::string_view kName = "lease_promise";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  // The last heartbeat that reached a node in each of the two latest terms
  // it heard one in (a grant in term u is checked against the newest
  // heartbeat of a term below u).
  struct Heard {
    Term term;
    NodeId leader;
    uint64_t event = 0;
    int64_t time_us = -1;  // -1: none.
  };
  struct PerNode {
    Heard latest;    // The newest heartbeat heard.
    Heard previous;  // The newest heartbeat of a term below latest.term.
  };
  // The second clause: a lease read served while fewer than a quorum's
  // promises hold. True when it reported.
  bool CheckLeaseReads(const ClusterView& view, const CheckerContext& context,
                       std::vector<Violation>* out) const;

  std::vector<PerNode> nodes_;
  // (leader, term) of every leader that sent TimeoutNow: it voided its
  // lease then (docs/membership.md, "The lease rule"), so the promises its
  // heartbeats of that term earned no longer back any lease read, and the
  // transfer's target may collect them at once.
  std::set<std::pair<uint64_t, uint64_t>> voided_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_LEASE_PROMISE_H_
