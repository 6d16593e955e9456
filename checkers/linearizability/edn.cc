// checkers/linearizability/edn.cc — see edn.h.

#include "checkers/linearizability/edn.h"

#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace raftsim::checkers {
namespace {

// Longest token text quoted in a message.
constexpr size_t kMaxQuoted = 40;

struct Pos {
  size_t offset = 0;
  int line = 1;
  int column = 1;
};

bool IsTokenChar(char c) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '.':
    case '*':
    case '+':
    case '!':
    case '-':
    case '_':
    case '?':
    case '$':
    case '%':
    case '&':
    case '=':
    case '<':
    case '>':
    case '/':
    case ':':
    case '#':
      return true;
    default:
      return false;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quoted(absl::string_view token) {
  if (token.size() > kMaxQuoted) {
    return absl::StrCat("'", token.substr(0, kMaxQuoted), "...'");
  }
  return absl::StrCat("'", token, "'");
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool IsScalar(EdnType type) {
  switch (type) {
    case EdnType::kVector:
    case EdnType::kList:
    case EdnType::kMap:
    case EdnType::kSet:
    case EdnType::kTagged:
      return false;
    default:
      return true;
  }
}

class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<EdnValue>> All() {
    std::vector<EdnValue> forms;
    while (true) {
      SkipSpace();
      if (AtEnd()) return forms;
      absl::StatusOr<EdnValue> value = Value(0);
      if (!value.ok()) return value.status();
      forms.push_back(*std::move(value));
    }
  }

 private:
  bool AtEnd() const { return pos_.offset >= text_.size(); }
  char Peek() const { return text_[pos_.offset]; }
  // Consumes one byte, keeping line and column.
  void Bump() {
    if (Peek() == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else {
      ++pos_.column;
    }
    ++pos_.offset;
  }

  // What the text looks like at `at`, for "found ..." in messages.
  std::string Found(const Pos& at) const {
    if (at.offset >= text_.size()) return "end of input";
    const unsigned char c = static_cast<unsigned char>(text_[at.offset]);
    if (c < 0x20 || c >= 0x7f) return absl::StrFormat("byte 0x%02x", c);
    return absl::StrCat("'", absl::string_view(&text_[at.offset], 1), "'");
  }

  static absl::Status Error(const Pos& at, absl::string_view expected,
                            absl::string_view found) {
    return absl::InvalidArgumentError(absl::StrCat(
        at.line, ":", at.column, ": expected ", expected, ", found ", found));
  }
  absl::Status ErrorHere(absl::string_view expected) const {
    return Error(pos_, expected, Found(pos_));
  }

  void SkipSpace() {
    while (!AtEnd()) {
      const char c = Peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
        Bump();
      } else if (c == ';') {
        while (!AtEnd() && Peek() != '\n') Bump();
      } else {
        return;
      }
    }
  }

  absl::StatusOr<EdnValue> Value(int depth);
  absl::StatusOr<EdnValue> Collection(int depth, EdnType type, char close,
                                      absl::string_view name, const Pos& open);
  absl::StatusOr<EdnValue> String();
  absl::Status Escape(std::string& out);
  absl::StatusOr<uint32_t> Hex4();
  absl::StatusOr<EdnValue> Token();
  absl::StatusOr<EdnValue> Number(absl::string_view token, const Pos& start);

  absl::string_view text_;
  Pos pos_;
};

absl::StatusOr<EdnValue> Reader::Value(int depth) {
  if (AtEnd()) return ErrorHere("a value");
  const Pos start = pos_;
  const char c = Peek();
  auto open = [&](EdnType type, char close,
                  absl::string_view name) -> absl::StatusOr<EdnValue> {
    if (depth >= kEdnMaxDepth) {
      return Error(start,
                   absl::StrCat("at most ", kEdnMaxDepth, " nested levels"),
                   absl::StrCat(Found(start), " opening level ", depth + 1));
    }
    return Collection(depth + 1, type, close, name, start);
  };
  switch (c) {
    case '"':
      return String();
    case '[':
      Bump();
      return open(EdnType::kVector, ']', "vector");
    case '(':
      Bump();
      return open(EdnType::kList, ')', "list");
    case '{':
      Bump();
      return open(EdnType::kMap, '}', "map");
    case '#': {
      Bump();
      if (!AtEnd() && Peek() == '{') {
        Bump();
        return open(EdnType::kSet, '}', "set");
      }
      if (AtEnd() || Peek() == '_' ||
          !absl::ascii_isalpha(static_cast<unsigned char>(Peek()))) {
        return ErrorHere("'{' (a set) or a tag symbol after '#'");
      }
      if (depth >= kEdnMaxDepth) {
        return Error(start,
                     absl::StrCat("at most ", kEdnMaxDepth, " nested levels"),
                     absl::StrCat("'#' opening level ", depth + 1));
      }
      absl::StatusOr<EdnValue> tag = Token();
      if (!tag.ok()) return tag.status();
      if (tag->type != EdnType::kSymbol) {
        return Error(start, "a tag symbol after '#'",
                     std::string(EdnTypeName(tag->type)));
      }
      SkipSpace();
      if (AtEnd()) {
        return ErrorHere(absl::StrCat("a value after the tag #", tag->text));
      }
      absl::StatusOr<EdnValue> inner = Value(depth + 1);
      if (!inner.ok()) return inner.status();
      EdnValue tagged;
      tagged.type = EdnType::kTagged;
      tagged.text = std::move(tag->text);
      tagged.items.push_back(*std::move(inner));
      tagged.line = start.line;
      tagged.column = start.column;
      return tagged;
    }
    case ')':
    case ']':
    case '}':
      return ErrorHere("a value");
    case '\\':
      return ErrorHere("a value (character literals are not supported)");
    default:
      if (IsTokenChar(c)) return Token();
      return ErrorHere("a value");
  }
}

// REQUIRES: the opening bracket has been consumed; `open` is where it was.
absl::StatusOr<EdnValue> Reader::Collection(int depth, EdnType type, char close,
                                            absl::string_view name,
                                            const Pos& open) {
  EdnValue result;
  result.type = type;
  result.line = open.line;
  result.column = open.column;
  absl::flat_hash_set<std::string> seen;  // Scalar keys / set elements.
  const bool is_map = type == EdnType::kMap;
  const std::string closing =
      absl::StrCat("'", absl::string_view(&close, 1), "' to close the ", name,
                   " opened at ", open.line, ":", open.column);
  while (true) {
    SkipSpace();
    if (AtEnd()) return ErrorHere(closing);
    const char c = Peek();
    if (c == close) {
      if (is_map && result.items.size() % 2 == 1) {
        return ErrorHere(absl::StrCat("a value for the key ",
                                      DescribeEdn(result.items.back())));
      }
      Bump();
      return result;
    }
    if (c == ')' || c == ']' || c == '}') return ErrorHere(closing);
    absl::StatusOr<EdnValue> item = Value(depth);
    if (!item.ok()) return item.status();
    const bool is_key = is_map && result.items.size() % 2 == 0;
    if ((is_key || type == EdnType::kSet) && IsScalar(item->type)) {
      std::string repr = FormatEdn(*item);
      if (seen.contains(repr)) {
        return Error({0, item->line, item->column},
                     is_key ? "a new key" : "distinct elements",
                     absl::StrCat("a second ", DescribeEdn(*item)));
      }
      seen.insert(std::move(repr));
    }
    result.items.push_back(*std::move(item));
  }
}

absl::StatusOr<uint32_t> Reader::Hex4() {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    if (AtEnd()) return ErrorHere("4 hex digits after \\u");
    const char c = Peek();
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return ErrorHere("4 hex digits after \\u");
    }
    v = v * 16 + d;
    Bump();
  }
  return v;
}

// REQUIRES: the backslash has been consumed.
absl::Status Reader::Escape(std::string& out) {
  if (AtEnd()) return ErrorHere("an escape character after '\\'");
  const char c = Peek();
  char decoded = 0;
  switch (c) {
    case '"':
    case '\\':
      decoded = c;
      break;
    case 'n':
      decoded = '\n';
      break;
    case 't':
      decoded = '\t';
      break;
    case 'r':
      decoded = '\r';
      break;
    case 'b':
      decoded = '\b';
      break;
    case 'f':
      decoded = '\f';
      break;
    case 'u':
      break;
    default:
      return ErrorHere("one of \\\" \\\\ \\n \\t \\r \\b \\f \\u after '\\'");
  }
  Bump();
  if (c != 'u') {
    out += decoded;
    return absl::OkStatus();
  }
  const Pos first = pos_;
  absl::StatusOr<uint32_t> hi = Hex4();
  if (!hi.ok()) return hi.status();
  uint32_t cp = *hi;
  if (cp >= 0xdc00 && cp <= 0xdfff) {
    return Error(first, "a code point that is not a lone low surrogate",
                 absl::StrFormat("\\u%04X", cp));
  }
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (AtEnd() || Peek() != '\\') {
      return ErrorHere("\\u and a low surrogate after a high surrogate");
    }
    Bump();
    if (AtEnd() || Peek() != 'u') {
      return ErrorHere("\\u and a low surrogate after a high surrogate");
    }
    Bump();
    const Pos second = pos_;
    absl::StatusOr<uint32_t> lo = Hex4();
    if (!lo.ok()) return lo.status();
    if (*lo < 0xdc00 || *lo > 0xdfff) {
      return Error(second, "a low surrogate DC00..DFFF",
                   absl::StrFormat("\\u%04X", *lo));
    }
    cp = 0x10000 + ((cp - 0xd800) << 10) + (*lo - 0xdc00);
  }
  AppendUtf8(cp, out);
  return absl::OkStatus();
}

absl::StatusOr<EdnValue> Reader::String() {
  const Pos open = pos_;
  Bump();  // The opening quote.
  EdnValue result;
  result.type = EdnType::kString;
  result.line = open.line;
  result.column = open.column;
  while (true) {
    if (AtEnd()) {
      return ErrorHere(absl::StrCat("'\"' to close the string opened at ",
                                    open.line, ":", open.column));
    }
    const char c = Peek();
    if (c == '"') {
      Bump();
      return result;
    }
    Bump();
    if (c == '\\') {
      absl::Status s = Escape(result.text);
      if (!s.ok()) return s;
    } else {
      result.text += c;
    }
  }
}

absl::StatusOr<EdnValue> Reader::Token() {
  const Pos start = pos_;
  while (!AtEnd() && IsTokenChar(Peek())) Bump();
  const absl::string_view token =
      text_.substr(start.offset, pos_.offset - start.offset);
  EdnValue result;
  result.line = start.line;
  result.column = start.column;
  const bool signed_digit = token.size() > 1 &&
                            (token[0] == '+' || token[0] == '-') &&
                            IsDigit(token[1]);
  if (IsDigit(token[0]) || signed_digit) return Number(token, start);
  if (token[0] == ':') {
    const absl::string_view name = token.substr(1);
    if (name.empty() || name[0] == ':' || name[0] == '#' ||
        name.back() == '/' || name[0] == '/') {
      return Error(start, "a keyword such as :name", Quoted(token));
    }
    result.type = EdnType::kKeyword;
    result.text = std::string(name);
    return result;
  }
  if (token == "nil") return result;
  if (token == "true" || token == "false") {
    result.type = EdnType::kBool;
    result.boolean = token == "true";
    return result;
  }
  // A symbol: not starting with '#' or ':' (handled above) nor with '.'
  // followed by a digit; '/' alone, or once between a prefix and a name.
  const size_t slash = token.find('/');
  const bool bad_slash =
      token != "/" && slash != absl::string_view::npos &&
      (slash == 0 || slash + 1 == token.size() ||
       token.find('/', slash + 1) != absl::string_view::npos);
  if (token[0] == '#' ||
      (token[0] == '.' && token.size() > 1 && IsDigit(token[1])) || bad_slash) {
    return Error(start, "a symbol", Quoted(token));
  }
  result.type = EdnType::kSymbol;
  result.text = std::string(token);
  return result;
}

absl::StatusOr<EdnValue> Reader::Number(absl::string_view token,
                                        const Pos& start) {
  EdnValue result;
  result.line = start.line;
  result.column = start.column;
  size_t i = 0;
  const bool negative = token[0] == '-';
  if (token[0] == '+' || token[0] == '-') ++i;
  const size_t digits_start = i;
  while (i < token.size() && IsDigit(token[i])) ++i;
  const absl::string_view digits = token.substr(digits_start, i - digits_start);
  if (digits.size() > 1 && digits[0] == '0') {
    return Error(start, "a number without leading zeros", Quoted(token));
  }
  if (i == token.size() || (token[i] == 'N' && i + 1 == token.size())) {
    // An integer. Accumulate as a negative number so INT64_MIN fits.
    int64_t v = 0;
    for (const char ch : digits) {
      const int d = ch - '0';
      if (v < (std::numeric_limits<int64_t>::min() + d) / 10) {
        return Error(start, "an integer that fits in 64 bits", Quoted(token));
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == std::numeric_limits<int64_t>::min()) {
        return Error(start, "an integer that fits in 64 bits", Quoted(token));
      }
      v = -v;
    }
    result.type = EdnType::kInt;
    result.integer = v;
    return result;
  }
  // A float: digits, then .digits*, [eE][+-]digits+, M — at least one.
  bool is_float = false;
  if (token[i] == '.') {
    ++i;
    while (i < token.size() && IsDigit(token[i])) ++i;
    is_float = true;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    const size_t exp_start = i;
    while (i < token.size() && IsDigit(token[i])) ++i;
    if (i == exp_start) return Error(start, "a number", Quoted(token));
    is_float = true;
  }
  if (i < token.size() && token[i] == 'M') {
    ++i;
    is_float = true;
  }
  if (!is_float || i != token.size()) {
    return Error(start, "a number", Quoted(token));
  }
  result.type = EdnType::kFloat;
  result.text = std::string(token);
  return result;
}

void AppendEdn(const EdnValue& value, std::string& out) {
  auto items = [&](const char* open, const char* close) {
    out += open;
    for (size_t i = 0; i < value.items.size(); ++i) {
      if (i > 0) out += ' ';
      AppendEdn(value.items[i], out);
    }
    out += close;
  };
  switch (value.type) {
    case EdnType::kNil:
      out += "nil";
      return;
    case EdnType::kBool:
      out += value.boolean ? "true" : "false";
      return;
    case EdnType::kInt:
      absl::StrAppend(&out, value.integer);
      return;
    case EdnType::kFloat:
    case EdnType::kSymbol:
      out += value.text;
      return;
    case EdnType::kKeyword:
      absl::StrAppend(&out, ":", value.text);
      return;
    case EdnType::kString:
      out += '"';
      for (const char ch : value.text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\t':
            out += "\\t";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\b':
            out += "\\b";
            break;
          case '\f':
            out += "\\f";
            break;
          default:
            if (c < 0x20 || c == 0x7f) {
              absl::StrAppendFormat(&out, "\\u%04x", c);
            } else {
              out += ch;
            }
        }
      }
      out += '"';
      return;
    case EdnType::kVector:
      items("[", "]");
      return;
    case EdnType::kList:
      items("(", ")");
      return;
    case EdnType::kMap:
      items("{", "}");
      return;
    case EdnType::kSet:
      items("#{", "}");
      return;
    case EdnType::kTagged:
      absl::StrAppend(&out, "#", value.text, " ");
      if (!value.items.empty()) AppendEdn(value.items[0], out);
      return;
  }
}

}  // namespace

const EdnValue* EdnValue::Find(absl::string_view keyword) const {
  if (type != EdnType::kMap) return nullptr;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].is_keyword(keyword)) return &items[i + 1];
  }
  return nullptr;
}

absl::StatusOr<std::vector<EdnValue>> ParseEdn(absl::string_view text) {
  return Reader(text).All();
}

absl::string_view EdnTypeName(EdnType type) {
  switch (type) {
    case EdnType::kNil:
      return "nil";
    case EdnType::kBool:
      return "a boolean";
    case EdnType::kInt:
      return "an integer";
    case EdnType::kFloat:
      return "a float";
    case EdnType::kString:
      return "a string";
    case EdnType::kKeyword:
      return "a keyword";
    case EdnType::kSymbol:
      return "a symbol";
    case EdnType::kVector:
      return "a vector";
    case EdnType::kList:
      return "a list";
    case EdnType::kMap:
      return "a map";
    case EdnType::kSet:
      return "a set";
    case EdnType::kTagged:
      return "a tagged value";
  }
  return "?";
}

std::string FormatEdn(const EdnValue& value) {
  std::string out;
  AppendEdn(value, out);
  return out;
}

std::string DescribeEdn(const EdnValue& value, size_t max_bytes) {
  std::string out = FormatEdn(value);
  if (out.size() > max_bytes) {
    out.resize(max_bytes);
    out += "...";
  }
  return out;
}

}  // namespace raftsim::checkers
