// checkers/linearizability/check_history.h — the `raftsim check-history FILE`
// command.
//
// Reads a JSON-lines history (format in history.h), checks it for
// linearizability against the key-value model and reports:
//
//   exit 0  "linearizable"
//   exit 1  "NOT linearizable: ..." and a small witness timeline, or
//           "could not decide: search budget exhausted ..." — a history
//           that was not proven linearizable fails, so a CI gate stays
//           closed; the first word tells the two apart.
//   exit 2  "FILE:LINE:COLUMN: expected ..., found ..." on a malformed file
//           (or "FILE: cannot read").
//
// Reports go to `out`, file errors to `err`. Single-threaded.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_

#include <ostream>
#include <string>

#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {

inline constexpr int kCheckHistoryLinearizable = 0;
inline constexpr int kCheckHistoryNotLinearizable = 1;  // Or undecided.
inline constexpr int kCheckHistoryMalformed = 2;

int RunCheckHistory(const std::string& path, std::ostream& out,
                    std::ostream& err,
                    const LinearizabilityOptions& options = {});

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_
