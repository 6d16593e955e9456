// checkers/safety/state_machine_safety.h — State Machine Safety: if a server
// has applied a log entry at a given index to its state machine, no other
// server will ever apply a different log entry for the same index (Raft
// §5.4.3, Figure 3).
//
// Three rules, all per applied entry (O(applies) per event):
//   - global: the first (term, digest) applied at an index is the only one
//     any node, in any incarnation, may apply there; a snapshot restore at
//     (index, term) must agree with the term applied there;
//   - order: within one incarnation a node applies index after index with
//     no gap or repeat; a snapshot restore counts as applying its whole
//     range (its index must not go backwards);
//   - only committed entries are applied (Figure 2, "Rules for all servers":
//     apply while commitIndex > lastApplied): an applied index never
//     exceeds the node's commit index.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_STATE_MACHINE_SAFETY_H_
#define RAFTSIM_CHECKERS_SAFETY_STATE_MACHINE_SAFETY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class StateMachineSafety final : public Checker {
 public:
  static constexpr std::string_view kName = "state_machine_safety";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;

  // The (term, digest) first applied at `index`, if any node applied it.
  struct Applied {
    Term term;
    uint64_t digest = 0;
    bool set = false;
  };
  const Applied* AppliedAt(LogIndex index) const;

 private:
  struct PerNode {
    uint64_t incarnation = 0;
    bool known = false;  // last_applied is meaningful.
    LogIndex last_applied;
  };
  void ObserveNode(const ClusterView& view, int n, std::vector<Violation>* out);
  void ObserveRestore(const ClusterView& view, const std::string& who,
                      const SnapshotRestore& r, PerNode* me,
                      std::vector<Violation>* out);
  void ObserveApply(const ClusterView& view, const std::string& who,
                    const NodeView& node, const AppliedEntry& e, PerNode* me,
                    std::vector<Violation>* out);

  // Dense by index (indexes are small and contiguous).
  std::vector<Applied> applied_;
  std::vector<PerNode> nodes_;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_STATE_MACHINE_SAFETY_H_
