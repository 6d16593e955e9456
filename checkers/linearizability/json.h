// checkers/linearizability/json.h — a small, strict parser for one flat JSON
// object per line.
//
// Only what history files need: an object whose values are strings, 64-bit
// integers, true, false or null. Nested objects, arrays and non-integer
// numbers are rejected. Strings accept every JSON escape, including \uXXXX
// surrogate pairs, and are returned as UTF-8. Duplicate keys are an error.
//
// Errors carry the 1-based column and say what was expected and what was
// found, e.g. "column 12: expected ':', found '}'".
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_JSON_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_JSON_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace raftsim::checkers {

// std::monostate is JSON null.
using JsonValue = std::variant<std::monostate, bool, int64_t, std::string>;

struct JsonMember {
  std::string key;
  JsonValue value;
  int key_column = 0;  // 1-based column where the key's quote starts.
  int column = 0;      // 1-based column where the value starts.
};

// Parses `line` as one JSON object (surrounding whitespace allowed).
absl::StatusOr<std::vector<JsonMember>> ParseJsonObject(absl::string_view line);

// Describes the type of a value for error messages: "string", "integer",
// "boolean", "null".
std::string JsonTypeName(const JsonValue& value);

// `s` as a JSON string literal, quotes included. Control characters are
// escaped; other bytes (UTF-8 included) pass through, so any byte string
// round-trips through ParseJsonObject.
std::string JsonQuote(absl::string_view s);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_JSON_H_
