// sim/basic_observers.h — the simulator's built-in safety observations,
// so that a run can fail with result=safety before the full checkers
// (checkers/, issue 5) plug in:
//   ElectionSafety: at most one leader per term (Raft §5.2, Figure 3).
//   ApplyAgreement: no two nodes apply different entries at one index
//     (State Machine Safety, Raft §5.4.3), and each node applies in index
//     order without gaps or repeats within one incarnation (a snapshot
//     restore moves its position to the snapshot index).
// Both read only trace records (role changes, applies, restores,
// crashes), so each costs O(records) per event.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_SIM_BASIC_OBSERVERS_H_
#define RAFTSIM_SIM_BASIC_OBSERVERS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/observer.h"

namespace raftsim::sim {

class ElectionSafety final : public Observer {
 public:
  std::string_view name() const override { return "election_safety"; }
  std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) override;

 private:
  std::map<int64_t, int> leader_of_term_;  // term -> node index.
};

class ApplyAgreement final : public Observer {
 public:
  std::string_view name() const override { return "apply_agreement"; }
  std::optional<Violation> AfterEvent(
      const WorldView& world, absl::Span<const TraceRecord> records) override;

 private:
  struct Applied {
    int64_t term = 0;  // 0: nothing recorded at this index yet.
    int64_t digest = 0;
    int node = -1;
  };
  std::vector<Applied> by_index_;  // [index].
  // Per node: last index applied in this incarnation, -1 when unknown
  // (after a crash, until the first apply or restore).
  std::vector<int64_t> last_applied_;
};

}  // namespace raftsim::sim

#endif  // RAFTSIM_SIM_BASIC_OBSERVERS_H_
