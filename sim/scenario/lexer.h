// sim/scenario/lexer.h — internal to //sim/scenario (not part of its API;
// sim/scenario/scenario.h is). The lexical level of the scenario language:
// tokens, one line at a time (the language is line-oriented, so no token spans
// lines); the scalar forms (unsigned integers, probabilities, durations);
// and LineLexer, a cursor over one line's tokens that owns the one error
// format, "file:line:col: expected <what>, found <what>".
//
// Single-threaded use per parse; no shared state.

#ifndef RAFTSIM_SIM_SCENARIO_LEXER_H_
#define RAFTSIM_SIM_SCENARIO_LEXER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace raftsim::sim::scenario_internal {

struct Token {
  enum Kind : uint8_t { kWord, kString, kPunct };
  Kind kind;
  std::string text;  // Strings: the decoded bytes.
  int col;           // 1-based byte column of the first character.
};

// Characters that end a bare word (besides whitespace and `->`).
bool IsSpecial(char c);
// A character a bare word may contain (the printer's IsBare agrees).
bool IsWordChar(char c);

// `text` in double quotes, C-escaped: how error messages show input.
std::string Quote(absl::string_view text);

// Scalar forms. Each returns false (leaving *out untouched) on anything
// but the exact form.
// Decimal digits only, at most `max`.
bool ParseUint(absl::string_view s, uint64_t max, uint64_t* out);
// "0", "1", "0.5", "0.000001": at most 6 decimals, at most 1.
bool ParseProbability(absl::string_view s, int64_t* ppm);
// "150ms", "2s", "1500us", at most kScenarioMaxTimeUs.
bool ParseDuration(absl::string_view s, int64_t* us);

// The tokens of one line and a position in them. Every failure of a parse
// goes through Fail, which builds the one error format. The parser derives
// from it: its statement and action readers move `pos_` directly (rewinding
// it to point an error at an earlier token), so the cursor state is shared
// rather than wrapped.
class LineLexer {
 public:
  explicit LineLexer(absl::string_view filename) : filename_(filename) {}

 protected:
  // Splits `line` (number `line_`) into `tokens_` and resets `pos_`. A
  // trailing '\r' (CRLF) and a `#` comment are not content.
  absl::Status Tokenize(absl::string_view line);

  absl::Status Fail(int col, absl::string_view expected,
                    absl::string_view found) const;
  // Fails at the next token, or at the end of the line if there is none.
  absl::Status FailHere(absl::string_view expected) const;

  const Token* Peek() const {
    return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr;
  }
  bool PeekPunct(absl::string_view p) const;
  absl::Status ExpectPunct(absl::string_view p);
  // A bare word (keywords, numbers, durations).
  absl::Status Word(absl::string_view what, std::string* out);
  // A bare word that `accept` takes; otherwise fails at that word (or at
  // what stands there instead), expecting `what`.
  absl::Status CheckedWord(absl::string_view what,
                           absl::FunctionRef<bool(const std::string&)> accept);

  std::string filename_;
  int line_ = 0;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int eol_col_ = 1;  // Column just past the line's last character.

 private:
  // A "quoted string" starting at line[*i]; advances *i past it.
  absl::Status LexString(absl::string_view line, size_t* i);
};

}  // namespace raftsim::sim::scenario_internal

#endif  // RAFTSIM_SIM_SCENARIO_LEXER_H_
