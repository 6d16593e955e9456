// checkers/safety/durability.h — Durability: no vote and no append
// acknowledgement leaves a node before the state it depends on is durable on
// that node's disk, and an acknowledged client write is never lost.
//
// (a) Messages, checked against the sender's durable state (observation.h
//     explains why end-of-event durable state is the send-time state):
//     - a granted RequestVote reply for term T to candidate C: the durable
//       hard state has term T and voted_for C, or a later term (Raft
//       Figure 2: currentTerm and votedFor are persisted "before responding
//       to RPCs"; a node at a later durable term never votes in T again);
//     - a successful AppendEntries reply at term T covering index i names
//       the entry it acknowledges (i and its term, Message::index_term);
//       while the node is still in T its log holds that entry, and when
//       the reply leaves the durable state holds it too (log or snapshot)
//       — unless the node has since moved past T and a later term's
//       entries have durably replaced the log from some index <= i: the
//       reply was built in T and waited for its write, which is correct
//       (Raft §5.3 / Figure 2; the leader of T counts the follower in i's
//       quorum, and the node accepted the entry while in T);
//     - a successful InstallSnapshot reply at i: i is durable (snapshot or
//       log) (Raft §7).
// (b) Client writes (thesis §6.3 and Raft §8: a client is answered once its
//     entry is committed and applied): when a client receives "ok", its
//     entry (found by digest among applied entries) must have been applied,
//     be durable on a quorum, and from then on no node may apply a
//     different entry at its index, and the newest acknowledged entry stays
//     durable on a quorum (by Log Matching, so do the ones before it).
//     The quorum is a majority of every node with the static membership;
//     once it changed, a majority of the configuration the highest commit
//     was counted in (each half when joint; learners never count;
//     checkers/safety/configurations.h).
//
// O(messages + applies + nodes) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_DURABILITY_H_
#define RAFTSIM_CHECKERS_SAFETY_DURABILITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class Durability final : public Checker {
 public:
  static constexpr std::string_view kName = "durability";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

 private:
  void CheckSent(const ClusterView& view, const SentMessage& m,
                 std::vector<Violation>* out) const;
  void CheckAck(const ClusterView& view, const CheckerContext& context,
                const AckedWrite& ack, std::vector<Violation>* out);
  int DurableHolders(const ClusterView& view, LogIndex index, Term term) const;
  // Nullopt when index@term is durable on a quorum: of every node with the
  // static membership, else of the configuration the highest commit was
  // counted in (which holds every committed entry below it); otherwise
  // how far short it is ("1 of 3 nodes").
  std::optional<std::string> ShortOfQuorum(const ClusterView& view,
                                           const CheckerContext& context,
                                           LogIndex index, Term term) const;

  // digest -> (index, term) where an entry with that digest was applied.
  // Lookups only; never iterated. Payloads are unique per client request.
  absl::flat_hash_map<uint64_t, std::pair<LogIndex, Term>> applied_at_;
  // index -> digest of the acknowledged write there (0: none). Dense.
  std::vector<uint64_t> acked_;
  // The highest acknowledged entry (index 0: none yet).
  LogIndex max_acked_;
  Term max_acked_term_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_DURABILITY_H_
