// checkers/linearizability/json.cc — see json.h.

#include "checkers/linearizability/json.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace raftsim::checkers {
namespace {

// What the text looks like at `pos`, for "found ..." in messages.
std::string Found(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return "end of line";
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c < 0x20 || c >= 0x7f) return absl::StrFormat("byte 0x%02x", c);
  return absl::StrCat("'", absl::string_view(&text[pos], 1), "'");
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<JsonMember>> Object();

 private:
  absl::Status Error(absl::string_view expected) const {
    return absl::InvalidArgumentError(
        absl::StrCat("column ", pos_ + 1, ": expected ", expected, ", found ",
                     Found(text_, pos_)));
  }
  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' ||
            text_[pos_] == '\n')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  absl::StatusOr<JsonValue> Value();
  absl::StatusOr<std::string> String();
  absl::StatusOr<int64_t> Integer();
  absl::StatusOr<uint32_t> Hex4();
  absl::Status Escape(std::string& out);

  absl::string_view text_;
  size_t pos_ = 0;
};

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

absl::StatusOr<uint32_t> Parser::Hex4() {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    if (pos_ >= text_.size()) return Error("4 hex digits after \\u");
    const char c = text_[pos_];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return Error("4 hex digits after \\u");
    }
    v = v * 16 + d;
    ++pos_;
  }
  return v;
}

// REQUIRES: the backslash has been consumed.
absl::Status Parser::Escape(std::string& out) {
  if (pos_ >= text_.size()) return Error("an escape character");
  const char c = text_[pos_];
  switch (c) {
    case '"':
    case '\\':
    case '/':
      out += c;
      ++pos_;
      return absl::OkStatus();
    case 'b':
      out += '\b';
      ++pos_;
      return absl::OkStatus();
    case 'f':
      out += '\f';
      ++pos_;
      return absl::OkStatus();
    case 'n':
      out += '\n';
      ++pos_;
      return absl::OkStatus();
    case 'r':
      out += '\r';
      ++pos_;
      return absl::OkStatus();
    case 't':
      out += '\t';
      ++pos_;
      return absl::OkStatus();
    case 'u':
      break;
    default:
      return Error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
  }
  ++pos_;
  absl::StatusOr<uint32_t> hi = Hex4();
  if (!hi.ok()) return hi.status();
  uint32_t cp = *hi;
  if (cp >= 0xdc00 && cp <= 0xdfff) {
    pos_ -= 6;
    return Error("a high surrogate before a low surrogate");
  }
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (!Consume('\\') || !Consume('u')) {
      return Error("\\u low surrogate after a high surrogate");
    }
    absl::StatusOr<uint32_t> lo = Hex4();
    if (!lo.ok()) return lo.status();
    if (*lo < 0xdc00 || *lo > 0xdfff) {
      pos_ -= 6;
      return Error("\\u low surrogate after a high surrogate");
    }
    cp = 0x10000 + ((cp - 0xd800) << 10) + (*lo - 0xdc00);
  }
  AppendUtf8(cp, out);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Parser::String() {
  if (!Consume('"')) return Error("'\"'");
  std::string out;
  while (true) {
    if (pos_ >= text_.size()) return Error("closing '\"'");
    const char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return out;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      return Error("an escaped control character");
    }
    if (c == '\\') {
      ++pos_;
      absl::Status s = Escape(out);
      if (!s.ok()) return s;
      continue;
    }
    out += c;
    ++pos_;
  }
}

absl::StatusOr<int64_t> Parser::Integer() {
  const size_t start = pos_;
  const bool negative = Consume('-');
  if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
    return Error("a digit");
  }
  if (text_[pos_] == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' &&
      text_[pos_ + 1] <= '9') {
    ++pos_;
    return Error("no leading zeros");
  }
  // Accumulate as a negative number so INT64_MIN fits.
  int64_t v = 0;
  while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
    const int d = text_[pos_] - '0';
    if (v < (std::numeric_limits<int64_t>::min() + d) / 10) {
      pos_ = start;
      return Error("an integer that fits in 64 bits");
    }
    v = v * 10 - d;
    ++pos_;
  }
  if (pos_ < text_.size() &&
      (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
    return Error("an integer (no fraction or exponent)");
  }
  if (!negative) {
    if (v == std::numeric_limits<int64_t>::min()) {
      pos_ = start;
      return Error("an integer that fits in 64 bits");
    }
    v = -v;
  }
  return v;
}

absl::StatusOr<JsonValue> Parser::Value() {
  if (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '"') {
      absl::StatusOr<std::string> s = String();
      if (!s.ok()) return s.status();
      return JsonValue(*std::move(s));
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      absl::StatusOr<int64_t> i = Integer();
      if (!i.ok()) return i.status();
      return JsonValue(*i);
    }
    for (absl::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        if (word == "null") return JsonValue(std::monostate());
        return JsonValue(word == "true");
      }
    }
  }
  return Error("a string, integer, true, false or null");
}

absl::StatusOr<std::vector<JsonMember>> Parser::Object() {
  std::vector<JsonMember> members;
  SkipSpace();
  if (!Consume('{')) return Error("'{'");
  SkipSpace();
  if (!Consume('}')) {
    while (true) {
      SkipSpace();
      const size_t key_pos = pos_;
      absl::StatusOr<std::string> key = String();
      if (!key.ok()) return key.status();
      for (const JsonMember& m : members) {
        if (m.key == *key) {
          pos_ = key_pos;
          return Error(absl::StrCat("a new key, not a second \"", *key, "\""));
        }
      }
      SkipSpace();
      if (!Consume(':')) return Error("':'");
      SkipSpace();
      const int column = static_cast<int>(pos_) + 1;
      absl::StatusOr<JsonValue> value = Value();
      if (!value.ok()) return value.status();
      members.push_back({*std::move(key), *std::move(value),
                         static_cast<int>(key_pos) + 1, column});
      SkipSpace();
      if (Consume('}')) break;
      if (!Consume(',')) return Error("',' or '}'");
    }
  }
  SkipSpace();
  if (pos_ != text_.size()) return Error("end of line after the object");
  return members;
}

}  // namespace

absl::StatusOr<std::vector<JsonMember>> ParseJsonObject(
    absl::string_view line) {
  return Parser(line).Object();
}

std::string JsonTypeName(const JsonValue& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return "boolean";
    case 2:
      return "integer";
    default:
      return "string";
  }
}

std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += ch;  // UTF-8 passes through unchanged.
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace raftsim::checkers
