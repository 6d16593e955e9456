// checkers/safety/log_matching.cc — see log_matching.h. The work is done by
// ChainLogs inside CheckerContext::Update; this reports what it found.

#include "checkers/safety/log_matching.h"

#include "absl/strings/str_cat.h"

namespace raftsim::checkers {

void LogMatching::Observe(const ClusterView& view,
                          const CheckerContext& context,
                          std::vector<Violation>* out) {
  for (const ChainLogs::Mismatch& m : context.mismatches()) {
    out->push_back(Make(
        view, absl::StrCat("n", m.node + 1, " holds ", m.index.Describe(), "@",
                           m.term.Describe(),
                           " with a different entry or prefix than another "
                           "log that held it")));
  }
}

}  // namespace raftsim::checkers
