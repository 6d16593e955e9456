// checkers/linearizability/check_history.h — the `raftsim check-history FILE`
// command.
//
// Reads a history — JSON lines (history.h) or a Jepsen EDN history of the
// register / cas-register model (jepsen_history.h), by the file's extension
// (.edn) or an explicit format — checks it for linearizability against the
// key-value model and reports:
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

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "checkers/linearizability/history.h"
#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {

inline constexpr int kCheckHistoryLinearizable = 0;
inline constexpr int kCheckHistoryNotLinearizable = 1;  // Or undecided.
inline constexpr int kCheckHistoryMalformed = 2;

enum class HistoryFormat {
  kAuto,       // By extension: FILE.edn is EDN, anything else JSON lines.
  kJsonLines,  // history.h.
  kEdn,        // jepsen_history.h.
};

// "auto", "jsonl", "edn"; nullopt for anything else.
std::optional<HistoryFormat> HistoryFormatFromName(absl::string_view name);

// Reads and parses `path` in `format`. Errors: "PATH: cannot read", or the
// parser's "PATH:LINE:COL: ...".
absl::StatusOr<History> ReadHistoryFileAs(const std::string& path,
                                          HistoryFormat format);

int RunCheckHistory(const std::string& path, std::ostream& out,
                    std::ostream& err,
                    const LinearizabilityOptions& options = {},
                    HistoryFormat format = HistoryFormat::kAuto);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_
