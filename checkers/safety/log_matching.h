// checkers/safety/log_matching.h — Log Matching: if two logs contain an entry
// with the same index and term, the logs are identical in all entries up
// through that index (Raft §5.3, Figure 3).
//
// Checked across nodes *and across time*: every (index, term) ever held by
// any log is registered with the chain hash of its prefix (chain_logs.h),
// so a node holding the pair with different content or a different
// prefix — now, or long after the first holder truncated it — is caught
// when the entry first appears, in O(new entries).
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_SAFETY_LOG_MATCHING_H_
#define RAFTSIM_CHECKERS_SAFETY_LOG_MATCHING_H_

#include <string_view>
#include <vector>

#include "checkers/safety/checker.h"
#include "checkers/safety/context.h"

namespace raftsim::checkers {

class LogMatching final : public Checker {
 public:
  static constexpr std::string_view kName = "log_matching";
  std::string_view name() const override { return kName; }
  void Observe(const ClusterView& view, const CheckerContext& context,
               std::vector<Violation>* out) override;
};

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_SAFETY_LOG_MATCHING_H_
