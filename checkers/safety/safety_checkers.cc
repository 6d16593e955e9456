// checkers/safety/safety_checkers.cc — see safety_checkers.h.

#include "checkers/safety/safety_checkers.h"

#include "checkers/safety/committed_stays_committed.h"
#include "checkers/safety/configuration_chain.h"
#include "checkers/safety/durability.h"
#include "checkers/safety/election_safety.h"
#include "checkers/safety/leader_completeness.h"
#include "checkers/safety/lease_promise.h"
#include "checkers/safety/log_matching.h"
#include "checkers/safety/match_from_acks.h"
#include "checkers/safety/match_index.h"
#include "checkers/safety/read_leadership.h"
#include "checkers/safety/state_machine_safety.h"

namespace raftsim::checkers {

SafetyCheckers::SafetyCheckers() {
  checkers_.push_back(std::make_unique<ElectionSafety>());
  checkers_.push_back(std::make_unique<LogMatching>());
  checkers_.push_back(std::make_unique<ConfigurationChain>());
  checkers_.push_back(std::make_unique<LeaderCompleteness>());
  checkers_.push_back(std::make_unique<StateMachineSafety>());
  checkers_.push_back(std::make_unique<Durability>());
  checkers_.push_back(std::make_unique<CommittedStaysCommitted>());
  checkers_.push_back(std::make_unique<MatchIndex>());
  checkers_.push_back(std::make_unique<MatchFromAcks>());
  checkers_.push_back(std::make_unique<ReadLeadership>());
  checkers_.push_back(std::make_unique<LeasePromise>());
}

const std::vector<Violation>& SafetyCheckers::Observe(const ClusterView& view) {
  violations_.clear();
  context_.Update(view);
  for (const auto& checker : checkers_) {
    checker->Observe(view, context_, &violations_);
  }
  return violations_;
}

std::vector<std::string_view> SafetyCheckers::names() const {
  std::vector<std::string_view> out;
  for (const auto& checker : checkers_) out.push_back(checker->name());
  return out;
}

}  // namespace raftsim::checkers
