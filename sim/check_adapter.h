// sim/check_adapter.h — CheckAdapter: the simulator Observer that runs the
// checkers of checkers/ on a simulated run.
//
// After every event it presents the world as a checkers::ClusterView —
// each NodeHost's Raft core (role, term, vote, in-memory log, commit), its
// disk's durable state, and, from the event's trace records, the entries
// applied and snapshots restored, the messages sent and the client writes
// acknowledged; each node's configuration entries, the configuration it
// reports in force (raft::Node::membership, what Ready::membership carries)
// and the base membership (the hosts' Config.voters / learners) — and runs
// checkers::SafetyCheckers. The first violation
// ends the run with result=safety, named by its checker. At the end of the
// run it checks the client history for linearizability
// (checkers::CheckLinearizability). Before the safety checkers, each
// host's Server is held to the Ready contract (server_contract: every
// message a Ready hands over sent, in order, nothing else; no message from
// the network refused as malformed).
//
// Acknowledged writes are matched to log entries by decoding the entries
// each leader appends (sim/workload/kv_codec.h: every command carries its
// client and request id); the acknowledged entry's digest is then found among
// applied entries by the durability checker.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_CHECK_ADAPTER_H_
#define RAFTSIM_SIM_CHECK_ADAPTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkers/linearizability/linearizability.h"
#include "checkers/safety/safety_checkers.h"
#include "sim/observer.h"

namespace raftsim::sim {

// The check of each host's Server against the Ready contract and of the
// messages the network delivers (NodeHost::contract_violation).
inline constexpr std::string_view kServerContractChecker = "server_contract";

class CheckAdapter final : public Observer {
 public:
  explicit CheckAdapter(checkers::LinearizabilityOptions linearizability = {});
  ~CheckAdapter() override;

  std::string_view name() const override { return "checkers"; }
  std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) override;
  std::optional<Violation> AtEnd(const WorldView& world,
                                 const checkers::History& history) override;

  // The violation that ended the run (checker, description, event, time).
  const std::optional<checkers::Violation>& violation() const {
    return violation_;
  }
  // Client writes acknowledged so far whose log entry was found (reads
  // and acknowledgements of commands never seen in a leader's log are not
  // counted; the durability checker sees only the matched ones).
  uint64_t acks_matched() const { return acks_matched_; }

 private:
  class HostView;
  void Collect(const WorldView& world, absl::Span<const TraceRecord> records);
  void DecodeLeaderEntries(const WorldView& world);

  checkers::LinearizabilityOptions linearizability_;
  checkers::SafetyCheckers safety_;
  std::vector<std::unique_ptr<HostView>> views_;
  std::vector<const checkers::NodeView*> pointers_;
  std::vector<checkers::SentMessage> sent_;
  std::vector<checkers::SentMessage> delivered_;
  std::vector<checkers::AckedWrite> acked_;
  raft::ConfState base_membership_;
  // Per node: the last index whose entry was decoded (or skipped).
  std::vector<LogIndex> decoded_last_;
  // (client, request) -> entry digest, for put/append/cas commands.
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> write_digests_;
  bool durable_changed_ = true;
  bool first_event_ = true;
  // Node indexes touched by this event / the previous one (sorted).
  std::vector<int> touched_;
  std::vector<int> previously_touched_;
  std::optional<checkers::Violation> violation_;
  uint64_t acks_matched_ = 0;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_CHECK_ADAPTER_H_
