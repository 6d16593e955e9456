// checkers/linearizability/edn.h — a small, strict reader for the subset of
// EDN (extensible data notation) that Jepsen histories are written in.
//
// Accepted:
//   nil, true, false
//   integers     -3, 0, 42, +7, 12N   (64-bit; N, the BigInt suffix, is
//                                      accepted when the value fits)
//   floats       1.5, -2e3, 1.0M      (kept as their literal text, never
//                                      converted: nothing here computes
//                                      with them)
//   strings      "a\"b"  escapes \" \\ \n \t \r \b \f \uXXXX (UTF-8 out)
//   keywords     :invoke :jepsen.x/y  (stored without the colon)
//   symbols      foo  java.net.Error  a/b
//   vectors [..], lists (..), maps {..}, sets #{..}
//   tagged       #inst "..."  #object [...]  (tag symbol plus one value)
//   commas are whitespace; ';' starts a comment to the end of the line.
// Rejected, with a message: characters (\c), ratios (1/2), #_ and other
// dispatch forms, leading zeros (012), numbers out of range, a map with an
// odd number of forms or a repeated scalar key, a set with a repeated scalar,
// nesting deeper than kEdnMaxDepth, bytes outside the grammar.
//
// Every error is "LINE:COL: expected X, found Y", 1-based, the column
// counting bytes. The reader never aborts on bad input: recursion is bounded
// by kEdnMaxDepth, so hostile input cannot overflow the stack.
//
// Single-threaded; not thread-safe.

#ifndef RAFTSIM_CHECKERS_LINEARIZABILITY_EDN_H_
#define RAFTSIM_CHECKERS_LINEARIZABILITY_EDN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace raftsim::checkers {

// Collections may nest this deep; the next opening bracket is an error.
inline constexpr int kEdnMaxDepth = 100;

enum class EdnType {
  kNil,
  kBool,
  kInt,
  kFloat,
  kString,
  kKeyword,
  kSymbol,
  kVector,
  kList,
  kMap,
  kSet,
  kTagged,
};

struct EdnValue {
  EdnType type = EdnType::kNil;
  bool boolean = false;  // kBool.
  int64_t integer = 0;   // kInt.
  // kString: the decoded contents; kKeyword, kSymbol: the name (a keyword
  // without its ':'); kFloat: the literal; kTagged: the tag symbol.
  std::string text;
  // kVector, kList, kSet: the elements; kMap: keys and values alternating
  // (k0, v0, k1, v1, ...); kTagged: the one tagged value.
  std::vector<EdnValue> items;
  int line = 0;  // 1-based position of the value's first byte.
  int column = 0;

  bool is_keyword(absl::string_view name) const {
    return type == EdnType::kKeyword && text == name;
  }
  // kMap only: the value under the keyword key `name`, or nullptr.
  const EdnValue* Find(absl::string_view keyword) const;
};

// Reads every top-level form of `text` in order. Errors: "LINE:COL: ...".
absl::StatusOr<std::vector<EdnValue>> ParseEdn(absl::string_view text);

// "nil", "a boolean", "an integer", "a float", "a string", "a keyword",
// "a symbol", "a vector", "a list", "a map", "a set", "a tagged value".
absl::string_view EdnTypeName(EdnType type);

// `value` printed as EDN on one line (maps keep their order), which
// ParseEdn reads back to the same value. Strings use the escapes above.
std::string FormatEdn(const EdnValue& value);

// FormatEdn cut to at most `max_bytes` (plus "..."), for messages.
std::string DescribeEdn(const EdnValue& value, size_t max_bytes = 40);

}  // namespace raftsim::checkers

#endif  // RAFTSIM_CHECKERS_LINEARIZABILITY_EDN_H_
