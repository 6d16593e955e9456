// checkers/linearizability/history.h — the client history of a key-value store.
//
// A history is what clients observed: for each operation, when it was called,
// when (if ever) it returned, and what it returned. The linearizability
// checker (linearizability.h) decides whether some sequential execution of
// the key-value model explains it.
//
// File format (JSON lines, one operation per line, blank lines ignored):
//   {"client":int,"kind":"get|put|append|cas","key":str,"value":str|null,
//    "expected":str|null,"output":str|bool|null,"call":int,"return":int|null}
// All eight keys are required, in any order; times are nanoseconds.
// See docs/linearizability.md for the semantics and the validity rules.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace raftsim::checkers {

enum class OpKind { kGet, kPut, kAppend, kCas };

// "get", "put", "append", "cas".
absl::string_view OpKindName(OpKind kind);

// What an operation returned: nothing, a string (get), a boolean (cas).
using OpOutput = std::variant<std::monostate, std::string, bool>;

struct Operation {
  int64_t client = 0;
  OpKind kind = OpKind::kGet;
  std::string key;
  // put / append: the argument; cas: the new value. Absent for get.
  std::optional<std::string> value;
  // cas only: the value compared against.
  std::optional<std::string> expected;
  // get: the value read; cas: whether it swapped; put / append: none.
  // Always none when the outcome is unknown.
  OpOutput output;
  int64_t call_ns = 0;
  // nullopt: the outcome is unknown (the client gave up or crashed); the
  // operation may have taken effect at any instant after call_ns, or never.
  // Invariant (see ValidateOperation): return_ns >= call_ns.
  std::optional<int64_t> return_ns;

  bool completed() const { return return_ns.has_value(); }

  // One line, deterministic, e.g.
  //   client 3 [100, 250] cas("k", "a" -> "b") -> true
  //   client 4 [120, ?] append("k", "x") -> ?
  std::string Describe() const;

  friend bool operator==(const Operation&, const Operation&) = default;
};

using History = std::vector<Operation>;

// Checks the shape rules for one operation: which of value / expected /
// output each kind requires, output none when the outcome is unknown,
// return >= call. Messages say what was expected and what was found.
absl::Status ValidateOperation(const Operation& op);

// One line of the file format, without the newline.
std::string FormatOperationJson(const Operation& op);

// The whole history in the file format, one line per operation.
std::string FormatHistoryJsonLines(const History& history);

// Parses the file format. `filename` prefixes errors:
// "FILE:LINE:COLUMN: expected ..., found ..." (the column is omitted for
// errors about a whole line, such as a missing key).
absl::StatusOr<History> ParseHistoryJsonLines(absl::string_view text,
                                              absl::string_view filename);

// Reads and parses `path`. A file that cannot be read is "PATH: cannot read".
absl::StatusOr<History> ReadHistoryFile(const std::string& path);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_HISTORY_H_
