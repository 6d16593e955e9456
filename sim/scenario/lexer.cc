// sim/scenario/lexer.cc — see lexer.h; the grammar is in
// scenarios/README.md.

#include "sim/scenario/lexer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "sim/scenario/scenario.h"

namespace raftsim::sim::scenario_internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// How an error message names a token.
std::string Found(const Token& t) {
  if (t.kind == Token::kString) return "the string " + Quote(t.text);
  return Quote(t.text);
}

int Col(size_t at) { return static_cast<int>(at) + 1; }

bool IsArrowAt(absl::string_view line, size_t i) {
  return line[i] == '-' && i + 1 < line.size() && line[i + 1] == '>';
}

}  // namespace

bool IsSpecial(char c) {
  return c == '{' || c == '}' || c == ',' || c == '=' || c == '*' || c == '"' ||
         c == '#';
}
bool IsWordChar(char c) { return c > ' ' && c < 0x7f && !IsSpecial(c); }

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CEscape(text), "\"");
}

bool ParseUint(absl::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

bool ParseProbability(absl::string_view s, int64_t* ppm) {
  const size_t dot = s.find('.');
  const absl::string_view whole = s.substr(0, dot);
  const absl::string_view frac =
      dot == absl::string_view::npos ? absl::string_view() : s.substr(dot + 1);
  uint64_t w = 0;
  uint64_t f = 0;
  if (!ParseUint(whole, 1, &w)) return false;
  if (dot != absl::string_view::npos) {
    if (frac.empty() || frac.size() > 6 || !ParseUint(frac, 999'999, &f)) {
      return false;
    }
    for (size_t i = frac.size(); i < 6; ++i) f *= 10;
  }
  const int64_t v =
      static_cast<int64_t>(w) * kPpmPerUnit + static_cast<int64_t>(f);
  if (v > kPpmPerUnit) return false;
  *ppm = v;
  return true;
}

bool ParseDuration(absl::string_view s, int64_t* us) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  const absl::string_view unit = s.substr(digits);
  int64_t scale = 0;
  if (unit == "us") scale = 1;
  if (unit == "ms") scale = 1000;
  if (unit == "s") scale = 1'000'000;
  uint64_t n = 0;
  if (scale == 0 ||
      !ParseUint(s.substr(0, digits),
                 static_cast<uint64_t>(kScenarioMaxTimeUs / scale), &n)) {
    return false;
  }
  *us = static_cast<int64_t>(n) * scale;
  return true;
}

absl::Status LineLexer::Tokenize(absl::string_view line) {
  tokens_.clear();
  pos_ = 0;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF.
  eol_col_ = static_cast<int>(line.size()) + 1;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '#') {
      eol_col_ = Col(i);  // A comment ends the line's content.
      return absl::OkStatus();
    } else if (IsArrowAt(line, i)) {
      tokens_.push_back({Token::kPunct, "->", Col(i)});
      i += 2;
    } else if (IsSpecial(c) && c != '"') {
      tokens_.push_back({Token::kPunct, std::string(1, c), Col(i)});
      ++i;
    } else if (IsWordChar(c)) {
      const size_t start = i;
      while (i < line.size() && IsWordChar(line[i]) && !IsArrowAt(line, i)) {
        ++i;
      }
      tokens_.push_back({Token::kWord,
                         std::string(line.substr(start, i - start)),
                         Col(start)});
    } else if (c == '"') {
      if (absl::Status s = LexString(line, &i); !s.ok()) return s;
    } else {
      return Fail(Col(i), "a printable ASCII character",
                  Quote(line.substr(i, 1)));
    }
  }
  return absl::OkStatus();
}

absl::Status LineLexer::LexString(absl::string_view line, size_t* at) {
  size_t i = *at;
  Token t{Token::kString, "", Col(i)};
  ++i;
  for (;;) {
    if (i >= line.size()) {
      return Fail(eol_col_, "a closing '\"'", "end of line");
    }
    const char d = line[i];
    if (d == '"') break;
    if (d == '\\') {
      const char e = i + 1 < line.size() ? line[i + 1] : '\0';
      if (e == '"' || e == '\\') {
        t.text += e;
        i += 2;
      } else if (e == 'n' || e == 't') {
        t.text += e == 'n' ? '\n' : '\t';
        i += 2;
      } else if (e == 'x' && i + 3 < line.size() &&
                 HexDigit(line[i + 2]) >= 0 && HexDigit(line[i + 3]) >= 0) {
        t.text += static_cast<char>(HexDigit(line[i + 2]) * 16 +
                                    HexDigit(line[i + 3]));
        i += 4;
      } else {
        return Fail(
            Col(i), "an escape \\\" \\\\ \\n \\t or \\xHH",
            Quote(line.substr(i, std::min<size_t>(2, line.size() - i))));
      }
    } else if ((static_cast<unsigned char>(d) < ' ' && d != '\t') ||
               d == 0x7f) {
      return Fail(Col(i), "a printable character or an escape",
                  Quote(line.substr(i, 1)));
    } else {
      t.text += d;
      ++i;
    }
    if (t.text.size() > kScenarioMaxValueBytes) {
      return Fail(t.col,
                  absl::StrCat("a string of at most ", kScenarioMaxValueBytes,
                               " bytes"),
                  "a longer one");
    }
  }
  *at = i + 1;  // Past the closing quote.
  tokens_.push_back(std::move(t));
  return absl::OkStatus();
}

absl::Status LineLexer::Fail(int col, absl::string_view expected,
                             absl::string_view found) const {
  return absl::InvalidArgumentError(absl::StrCat(filename_, ":", line_, ":",
                                                 col, ": expected ", expected,
                                                 ", found ", found));
}

absl::Status LineLexer::FailHere(absl::string_view expected) const {
  if (pos_ >= tokens_.size()) return Fail(eol_col_, expected, "end of line");
  return Fail(tokens_[pos_].col, expected, Found(tokens_[pos_]));
}

bool LineLexer::PeekPunct(absl::string_view p) const {
  const Token* t = Peek();
  return t != nullptr && t->kind == Token::kPunct && t->text == p;
}

absl::Status LineLexer::ExpectPunct(absl::string_view p) {
  if (!PeekPunct(p)) return FailHere(Quote(p));
  ++pos_;
  return absl::OkStatus();
}

absl::Status LineLexer::Word(absl::string_view what, std::string* out) {
  const Token* t = Peek();
  if (t == nullptr || t->kind != Token::kWord) return FailHere(what);
  *out = t->text;
  ++pos_;
  return absl::OkStatus();
}

absl::Status LineLexer::CheckedWord(
    absl::string_view what,
    absl::FunctionRef<bool(const std::string&)> accept) {
  const size_t at = pos_;
  std::string w;
  if (absl::Status s = Word(what, &w); !s.ok()) return s;
  if (!accept(w)) {
    pos_ = at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

}  // namespace raftsim::sim::scenario_internal
