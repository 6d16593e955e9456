// checkers/safety/configuration_chain.h — membership changes chain
// correctly (thesis §4.1 single-server changes, §4.3 joint consensus;
// docs/membership.md).
//
// Every configuration a node puts in force by appending a configuration
// entry is its predecessor with at most one voter changed, or a joint
// configuration ⟨C_old, C_new⟩ whose outgoing half is its non-joint
// predecessor's voters (a joint configuration is never entered from a
// joint one), or — from a joint configuration — its incoming half. A
// change the Changer refuses is reported too (a leader appended what it
// must not have), with the rule it breaks when the change's shape tells.
// Configurations are derived from the logs (checkers/safety/
// configurations.h), independently of the node's own bookkeeping, and:
// - the configuration a node reports in force (NodeView::
//   reported_membership, what Ready::membership carries) must be the one
//   its log says ("n2 reports X (set by i7) in force, but its log says Y");
// - no two nodes hold different configurations set by one committed index:
//   once an index is committed anywhere, every node whose own commit index
//   covers it holds the committed configuration entry there (or none,
//   where it has none; a lagging node may hold a divergent uncommitted
//   entry until the leader replaces it).
// O(configuration entries appended + touched nodes) per event; every node
// when the commit point advances.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_CONFIGURATION_CHAIN_H_
#define RAFTSIM_CHECKERS_SAFETY_CONFIGURATION_CHAIN_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class ConfigurationChain final : public Checker {
 public:
  static constexpr std::string_view kName = "configuration_chain";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_CONFIGURATION_CHAIN_H_
