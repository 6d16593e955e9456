// checkers/linearizability/check_history.cc — see check_history.h.

#include "checkers/linearizability/check_history.h"

#include "checkers/linearizability/history.h"

namespace raftsim::checkers {

int RunCheckHistory(const std::string& path, std::ostream& out,
                    std::ostream& err, const LinearizabilityOptions& options) {
  absl::StatusOr<History> history = ReadHistoryFile(path);
  if (!history.ok()) {
    err << history.status().message() << "\n";
    return kCheckHistoryMalformed;
  }
  const LinearizabilityResult result = CheckLinearizability(*history, options);
  out << result.Describe();
  return result.linearizable() ? kCheckHistoryLinearizable
                               : kCheckHistoryNotLinearizable;
}

}  // namespace raftsim::checkers
