// sim/workload/kv_state_machine.h — the key-value store the simulated clients
// use: a raft::StateMachine over string keys and values.
//
// Commands (sim/workload/kv_codec.h) and their results, as a client receives
// them:
//   get(k)          -> the value ("" when absent)
//   put(k, v)       -> "ok"
//   append(k, v)    -> "ok"                  (value = value + v)
//   cas(k, e, v)    -> "true" (swapped) / "false"
// A payload that does not decode gets "error: <reason>" and changes
// nothing; no-op and configuration entries get "". Query answers a get
// command's bytes with the value (anything else: "error: ...").
// Snapshots use the deterministic encoding of kv_codec.h.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_WORKLOAD_KV_STATE_MACHINE_H_
#define RAFTSIM_SIM_WORKLOAD_KV_STATE_MACHINE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "raft/server/state_machine.h"
#include "sim/workload/kv_codec.h"

namespace raftsim::sim {

class KvStateMachine final : public raft::StateMachine {
 public:
  void Apply(absl::Span<const raft::Entry> entries,
             std::vector<std::string>* results) override;
  std::string Query(std::string_view query) const override;
  std::string TakeSnapshot() const override { return EncodeSnapshot(state_); }
  absl::Status Restore(std::string_view data) override;

  // The result of one command against the current state (and its effect).
  std::string Execute(const KvCommand& command);

  const KvMap& state() const { return state_; }

 private:
  KvMap state_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_WORKLOAD_KV_STATE_MACHINE_H_
