// sim/scenario.cc — see scenario.h; the grammar is in scenarios/README.md.
//
// Structure: the text is split into lines; each line is tokenised on its
// own (the language is line-oriented, so no token spans lines) and parsed
// as one statement by a small recursive-descent-free parser: every
// statement is a fixed shape, so each is one function reading tokens left
// to right. Every failure goes through Parser::Fail, which builds the one
// error format. Formatting is in the second half of the file.
//
// Single-threaded use per call; no shared state.

#include "sim/scenario.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace raftsim::sim {

const std::vector<OptionSpec>& ScenarioOptions() {
  using T = OptionType;
  constexpr int64_t kBig = int64_t{1} << 40;
  constexpr int64_t kHour = 3'600'000;
  constexpr int64_t k10s = 10'000'000;
  // Mirrors sim/options.cc (names and ranges) minus `nodes`. The simulator
  // still runs SimOptions::Validate over the result (relations between
  // options, e.g. heartbeat_ticks < election_ticks, are checked there).
  static const auto* const kOptions = new std::vector<OptionSpec>{
      {"pre_vote", "pre_vote", T::kBool, 0, 1},
      {"check_quorum", "check_quorum", T::kBool, 0, 1},
      {"tick_us", "tick_us", T::kInt, 10, 1'000'000},
      {"election_ticks", "election_ticks", T::kInt, 2, 1000},
      {"heartbeat_ticks", "heartbeat_ticks", T::kInt, 1, 999},
      {"snapshot_every", "snapshot_every", T::kInt, 0, kBig},
      {"fault_ms", "fault_ms", T::kInt, 0, kHour},
      {"heal_ms", "heal_ms", T::kInt, 1, kHour},
      {"max_events", "max_events", T::kInt, 1, kBig},
      {"latency_us_min", "latency_us_min", T::kInt, 0, k10s},
      {"latency_us_max", "latency_us_max", T::kInt, 0, k10s},
      {"jitter_us", "jitter_us", T::kInt, 0, k10s},
      {"loss_ppm", "loss_ppm", T::kInt, 0, kPpmPerUnit},
      {"dup_ppm", "dup_ppm", T::kInt, 0, kPpmPerUnit},
      {"disk_write_us_max", "disk_write_us_max", T::kInt, 0, k10s},
      {"disk_sync_us_max", "disk_sync_us_max", T::kInt, 0, k10s},
      {"torn_writes", "torn_writes", T::kBool, 0, 1},
      {"fault_gap_ms_max", "fault_gap_ms_max", T::kInt, 1, kHour},
      {"partition_isolate", "partition_isolate", T::kBool, 0, 1},
      {"partition_split", "partition_split", T::kBool, 0, 1},
      {"partition_asymmetric", "partition_asymmetric", T::kBool, 0, 1},
      {"partition_bridge", "partition_bridge", T::kBool, 0, 1},
      {"partition_links", "partition_links", T::kBool, 0, 1},
      {"partition_ms_max", "partition_ms_max", T::kInt, 1, kHour},
      {"crashes", "crashes", T::kBool, 0, 1},
      {"crash_ms_max", "crash_ms_max", T::kInt, 1, kHour},
      {"pauses", "pauses", T::kBool, 0, 1},
      {"pause_ms_max", "pause_ms_max", T::kInt, 1, kHour},
      {"drift_ppm_max", "drift_ppm_max", T::kInt, 0, 200'000},
      {"clients", "clients", T::kInt, 0, 64},
      {"keys", "keys", T::kInt, 1, 1000},
      {"get_weight", "get_weight", T::kInt, 0, 1000},
      {"put_weight", "put_weight", T::kInt, 0, 1000},
      {"append_weight", "append_weight", T::kInt, 0, 1000},
      {"cas_weight", "cas_weight", T::kInt, 0, 1000},
      {"read_through_log", "read_through_log", T::kBool, 0, 1},
      {"client_timeout_ms", "client_timeout_ms", T::kInt, 1, kHour},
      {"think_us_max", "think_us_max", T::kInt, 0, k10s},
      {"client_latency_us_max", "client_latency_us_max", T::kInt, 0, k10s},
      // Aliases: friendlier spellings, stored under the canonical name.
      {"loss", "loss_ppm", T::kProbability, 0, kPpmPerUnit},
      {"dup", "dup_ppm", T::kProbability, 0, kPpmPerUnit},
      {"election_timeout_ticks", "election_ticks", T::kInt, 2, 1000},
  };
  return *kOptions;
}

namespace {

// ---------------------------------------------------------------- lexing --

struct Token {
  enum Kind : uint8_t { kWord, kString, kPunct };
  Kind kind;
  std::string text;  // Strings: the decoded bytes.
  int col;           // 1-based byte column of the first character.
};

// Characters that end a bare word (besides whitespace and `->`).
bool IsSpecial(char c) {
  return c == '{' || c == '}' || c == ',' || c == '=' || c == '*' ||
         c == '"' || c == '#';
}
bool IsWordChar(char c) { return c > ' ' && c < 0x7f && !IsSpecial(c); }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CEscape(text), "\"");
}

// How an error message names a token.
std::string Found(const Token& t) {
  if (t.kind == Token::kString) return "the string " + Quote(t.text);
  return Quote(t.text);
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

// "0", "1", "0.5", "0.000001": at most 6 decimals, at most 1.
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
  const int64_t v = static_cast<int64_t>(w) * kPpmPerUnit +
                    static_cast<int64_t>(f);
  if (v > kPpmPerUnit) return false;
  *ppm = v;
  return true;
}

// "150ms", "2s", "1500us", at most kScenarioMaxTimeUs.
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

std::string FormatProbability(int64_t ppm) {
  if (ppm % kPpmPerUnit == 0) return absl::StrCat(ppm / kPpmPerUnit);
  std::string frac = absl::StrCat(ppm % kPpmPerUnit + kPpmPerUnit).substr(1);
  while (frac.back() == '0') frac.pop_back();
  return absl::StrCat(ppm / kPpmPerUnit, ".", frac);
}

const char* const kActions =
    "partition, partition-oneway, isolate, bridge, heal, crash, restart, "
    "pause, resume, drop, delay, duplicate, client, propose, campaign, "
    "add-voter or remove";
const char* const kStatements =
    "nodes, seed, option, at, end, heal-phase or expect";

// --------------------------------------------------------------- parsing --

#define SCN_TRY(expr)                   \
  do {                                  \
    absl::Status scn_status = (expr);   \
    if (!scn_status.ok()) return scn_status; \
  } while (0)

class Parser {
 public:
  explicit Parser(absl::string_view filename) : filename_(filename) {}

  absl::StatusOr<Scenario> Run(absl::string_view text);

 private:
  absl::Status Fail(int col, absl::string_view expected,
                    absl::string_view found) const {
    return absl::InvalidArgumentError(absl::StrCat(
        filename_, ":", line_, ":", col, ": expected ", expected, ", found ",
        found));
  }
  // Fails at the next token, or at the end of the line if there is none.
  absl::Status FailHere(absl::string_view expected) const {
    if (pos_ >= tokens_.size()) return Fail(eol_col_, expected, "end of line");
    return Fail(tokens_[pos_].col, expected, Found(tokens_[pos_]));
  }
  const Token* Peek() const {
    return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr;
  }
  bool PeekPunct(absl::string_view p) const {
    const Token* t = Peek();
    return t != nullptr && t->kind == Token::kPunct && t->text == p;
  }
  absl::Status ExpectPunct(absl::string_view p) {
    if (!PeekPunct(p)) return FailHere(Quote(p));
    ++pos_;
    return absl::OkStatus();
  }
  // A bare word (keywords, numbers, durations).
  absl::Status Word(absl::string_view what, std::string* out) {
    const Token* t = Peek();
    if (t == nullptr || t->kind != Token::kWord) return FailHere(what);
    *out = t->text;
    ++pos_;
    return absl::OkStatus();
  }

  absl::Status Tokenize(absl::string_view line);
  absl::Status Statement();
  absl::Status NodesLine();
  absl::Status SeedLine();
  absl::Status OptionLine();
  absl::Status AtLine();
  absl::Status EndLine();
  absl::Status HealPhaseLine();
  absl::Status ExpectLine();
  absl::Status ParseAction(Action* out);
  absl::Status ParseClientOp(ClientOp* op);

  absl::Status Node(NodeId* out);
  absl::Status Set(std::set<uint64_t>* taken, NodeSet* out);
  absl::Status Endpoint(NodeId* out);
  absl::Status ParseLink(Link* out);
  absl::Status Duration(absl::string_view what, int64_t* us);
  absl::Status Probability(int64_t* ppm);
  absl::Status Value(absl::string_view what, std::string* out);
  absl::Status CoverAll(const std::set<uint64_t>& taken);

  std::string filename_;
  int line_ = 0;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int eol_col_ = 1;  // Column just past the line's last character.

  Scenario s_;
  bool have_nodes_ = false;
  std::set<std::string> seen_;  // Statements allowed once ("seed", ...).
};

absl::Status Parser::Tokenize(absl::string_view line) {
  tokens_.clear();
  pos_ = 0;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF.
  eol_col_ = static_cast<int>(line.size()) + 1;
  size_t i = 0;
  auto col = [](size_t at) { return static_cast<int>(at) + 1; };
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '#') {
      eol_col_ = col(i);  // A comment ends the line's content.
      return absl::OkStatus();
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '>') {
      tokens_.push_back({Token::kPunct, "->", col(i)});
      i += 2;
    } else if (IsSpecial(c) && c != '"') {
      tokens_.push_back({Token::kPunct, std::string(1, c), col(i)});
      ++i;
    } else if (IsWordChar(c)) {
      const size_t start = i;
      while (i < line.size() && IsWordChar(line[i]) &&
             !(line[i] == '-' && i + 1 < line.size() && line[i + 1] == '>')) {
        ++i;
      }
      tokens_.push_back(
          {Token::kWord, std::string(line.substr(start, i - start)), col(start)});
    } else if (c == '"') {
      Token t{Token::kString, "", col(i)};
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
            return Fail(col(i), "an escape \\\" \\\\ \\n \\t or \\xHH",
                        Quote(line.substr(i, std::min<size_t>(2, line.size() - i))));
          }
        } else if (static_cast<unsigned char>(d) < ' ' && d != '\t') {
          return Fail(col(i), "a printable character or an escape",
                      Quote(line.substr(i, 1)));
        } else if (d == 0x7f) {
          return Fail(col(i), "a printable character or an escape",
                      Quote(line.substr(i, 1)));
        } else {
          t.text += d;
          ++i;
        }
        if (t.text.size() > kScenarioMaxValueBytes) {
          return Fail(t.col,
                      absl::StrCat("a string of at most ",
                                   kScenarioMaxValueBytes, " bytes"),
                      "a longer one");
        }
      }
      ++i;  // The closing quote.
      tokens_.push_back(std::move(t));
    } else {
      return Fail(col(i), "a printable ASCII character", Quote(line.substr(i, 1)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Scenario> Parser::Run(absl::string_view text) {
  line_ = 1;
  if (text.size() > kScenarioMaxBytes) {
    return Fail(1, absl::StrCat("a file of at most ", kScenarioMaxBytes,
                                " bytes"),
                absl::StrCat(text.size(), " bytes"));
  }
  int eof_col = 1;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    SCN_TRY(Tokenize(line));
    eof_col = static_cast<int>(line.size()) + 1;
    if (!tokens_.empty()) {
      SCN_TRY(Statement());
      if (pos_ < tokens_.size()) SCN_TRY(FailHere("end of line"));
    }
    ++line_;
  }
  --line_;
  if (!have_nodes_) {
    return Fail(eof_col, "\"nodes <count>\"", "end of file");
  }
  return std::move(s_);
}

absl::Status Parser::Statement() {
  const Token& first = tokens_[0];
  if (first.kind != Token::kWord) {
    return FailHere(absl::StrCat("a statement (", kStatements, ")"));
  }
  if (!have_nodes_ && first.text != "nodes") {
    return FailHere("\"nodes <count>\" before anything else");
  }
  const std::string& k = first.text;
  if (k == "nodes") return NodesLine();
  if (k == "seed") return SeedLine();
  if (k == "option") return OptionLine();
  if (k == "at") return AtLine();
  if (k == "end") return EndLine();
  if (k == "heal-phase") return HealPhaseLine();
  if (k == "expect") return ExpectLine();
  return FailHere(absl::StrCat("a statement (", kStatements, ")"));
}

absl::Status Parser::NodesLine() {
  if (have_nodes_) return FailHere("one \"nodes\" line");
  ++pos_;
  std::string w;
  uint64_t n = 0;
  const std::string what = absl::StrCat("a node count in 1..", kScenarioMaxNodes);
  const size_t at = pos_;
  SCN_TRY(Word(what, &w));
  if (!ParseUint(w, kScenarioMaxNodes, &n) || n == 0) {
    pos_ = at;
    return FailHere(what);
  }
  s_.nodes = static_cast<int>(n);
  have_nodes_ = true;
  return absl::OkStatus();
}

absl::Status Parser::SeedLine() {
  if (!seen_.insert("seed").second) return FailHere("one \"seed\" line");
  ++pos_;
  const char* what = "a seed (an unsigned 64-bit integer)";
  const size_t at = pos_;
  std::string w;
  uint64_t v = 0;
  SCN_TRY(Word(what, &w));
  if (!ParseUint(w, UINT64_MAX, &v)) {
    pos_ = at;
    return FailHere(what);
  }
  s_.seed = v;
  return absl::OkStatus();
}

absl::Status Parser::OptionLine() {
  ++pos_;
  std::vector<std::string> names;
  for (const OptionSpec& o : ScenarioOptions()) names.push_back(o.name);
  const std::string what =
      absl::StrCat("an option name (one of ", absl::StrJoin(names, ", "), ")");
  const size_t name_at = pos_;
  std::string name;
  SCN_TRY(Word(what, &name));
  const OptionSpec* spec = nullptr;
  for (const OptionSpec& o : ScenarioOptions()) {
    if (name == o.name) spec = &o;
  }
  if (spec == nullptr) {
    pos_ = name_at;
    return FailHere(what);
  }
  if (s_.options.count(spec->canonical) != 0) {
    pos_ = name_at;
    return FailHere(absl::StrCat("option ", spec->canonical,
                                 " to be set only once"));
  }
  SCN_TRY(ExpectPunct("="));
  const size_t value_at = pos_;
  std::string text;
  int64_t value = 0;
  bool ok = false;
  std::string expected;
  switch (spec->type) {
    case OptionType::kBool:
      expected = "on or off";
      SCN_TRY(Word(expected, &text));
      ok = true;
      if (text == "on" || text == "true" || text == "1") {
        value = 1;
      } else if (text == "off" || text == "false" || text == "0") {
        value = 0;
      } else {
        ok = false;
      }
      break;
    case OptionType::kInt: {
      expected = absl::StrCat("an integer in ", spec->min, "..", spec->max);
      SCN_TRY(Word(expected, &text));
      uint64_t v = 0;
      ok = ParseUint(text, static_cast<uint64_t>(spec->max), &v) &&
           static_cast<int64_t>(v) >= spec->min;
      value = static_cast<int64_t>(v);
      break;
    }
    case OptionType::kProbability:
      expected = "a probability in 0..1 (at most 6 decimals)";
      SCN_TRY(Word(expected, &text));
      ok = ParseProbability(text, &value);
      break;
  }
  if (!ok) {
    pos_ = value_at;
    return FailHere(expected);
  }
  s_.options[spec->canonical] = value;
  return absl::OkStatus();
}

absl::Status Parser::Duration(absl::string_view what, int64_t* us) {
  const std::string expected =
      absl::StrCat(what, " (like 150ms, 2s or 1500us, at most ",
                   FormatDuration(kScenarioMaxTimeUs), ")");
  const size_t at = pos_;
  std::string w;
  SCN_TRY(Word(expected, &w));
  if (!ParseDuration(w, us)) {
    pos_ = at;
    return FailHere(expected);
  }
  return absl::OkStatus();
}

absl::Status Parser::AtLine() {
  ++pos_;
  if (s_.schedule.size() >= kScenarioMaxActions) {
    return FailHere(absl::StrCat("at most ", kScenarioMaxActions, " actions"));
  }
  const size_t at = pos_;
  int64_t t = 0;
  SCN_TRY(Duration("a time", &t));
  const int64_t last = s_.schedule.empty() ? 0 : s_.schedule.back().at_us;
  if (t < last) {
    pos_ = at;
    return FailHere(absl::StrCat("a time >= ", FormatDuration(last),
                                 " (times must not decrease)"));
  }
  if (s_.end_us.has_value() && t > *s_.end_us) {
    pos_ = at;
    return FailHere(absl::StrCat("a time <= ", FormatDuration(*s_.end_us),
                                 " (the end)"));
  }
  TimedAction ta;
  ta.at_us = t;
  ta.line = line_;
  SCN_TRY(ParseAction(&ta.action));
  s_.schedule.push_back(std::move(ta));
  return absl::OkStatus();
}

absl::Status Parser::EndLine() {
  if (!seen_.insert("end").second) return FailHere("one \"end\" line");
  ++pos_;
  const size_t at = pos_;
  int64_t t = 0;
  SCN_TRY(Duration("an end time", &t));
  const int64_t last = s_.schedule.empty() ? 0 : s_.schedule.back().at_us;
  if (t < last) {
    pos_ = at;
    return FailHere(absl::StrCat("an end time >= ", FormatDuration(last),
                                 " (the last action's time)"));
  }
  s_.end_us = t;
  return absl::OkStatus();
}

absl::Status Parser::HealPhaseLine() {
  if (!seen_.insert("heal-phase").second) {
    return FailHere("one \"heal-phase\" line");
  }
  ++pos_;
  int64_t d = 0;
  SCN_TRY(Duration("a heal-phase length", &d));
  s_.heal_phase_us = d;
  return absl::OkStatus();
}

absl::Status Parser::ExpectLine() {
  ++pos_;
  Expectations& e = s_.expect;
  const char* what = "no-violation, violation, leader or result";
  std::string kind;
  const size_t kind_at = pos_;
  SCN_TRY(Word(what, &kind));
  auto conflict = [&](absl::string_view other) {
    pos_ = kind_at;
    return FailHere(absl::StrCat("an expectation consistent with ", other));
  };
  if (kind == "no-violation") {
    if (e.no_violation) return conflict("the earlier \"expect no-violation\"");
    if (e.violation) return conflict("\"expect violation\"");
    if (e.result.has_value() && *e.result == ExpectedResult::kSafety) {
      return conflict("\"expect result safety\"");
    }
    e.no_violation = true;
  } else if (kind == "violation") {
    if (e.violation) return conflict("the earlier \"expect violation\"");
    if (e.no_violation) return conflict("\"expect no-violation\"");
    if (e.result.has_value() && *e.result == ExpectedResult::kOk) {
      return conflict("\"expect result ok\"");
    }
    const char* name_what = "a checker name (lowercase letters, digits, - or _)";
    std::string name;
    const size_t name_at = pos_;
    SCN_TRY(Word(name_what, &name));
    const bool good =
        name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
        std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        });
    if (!good) {
      pos_ = name_at;
      return FailHere(name_what);
    }
    e.violation = name;
  } else if (kind == "leader") {
    if (e.leader_by_us) return conflict("the earlier \"expect leader\"");
    const size_t by_at = pos_;
    std::string by;
    SCN_TRY(Word("\"by\"", &by));
    if (by != "by") {
      pos_ = by_at;
      return FailHere("\"by\"");
    }
    int64_t t = 0;
    SCN_TRY(Duration("a time", &t));
    e.leader_by_us = t;
  } else if (kind == "result") {
    if (e.result) return conflict("the earlier \"expect result\"");
    const char* r_what = "ok, safety or liveness";
    std::string r;
    const size_t r_at = pos_;
    SCN_TRY(Word(r_what, &r));
    ExpectedResult result = ExpectedResult::kOk;
    if (r == "ok") {
      if (e.violation) return conflict("\"expect violation\"");
    } else if (r == "safety") {
      if (e.no_violation) return conflict("\"expect no-violation\"");
      result = ExpectedResult::kSafety;
    } else if (r == "liveness") {
      result = ExpectedResult::kLiveness;
    } else {
      pos_ = r_at;
      return FailHere(r_what);
    }
    e.result = result;
  } else {
    pos_ = kind_at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

absl::Status Parser::Node(NodeId* out) {
  const std::string what = absl::StrCat("a node id in 1..", s_.nodes);
  const Token* t = Peek();
  uint64_t v = 0;
  if (t == nullptr || t->kind != Token::kWord ||
      !ParseUint(t->text, static_cast<uint64_t>(s_.nodes), &v) || v == 0) {
    return FailHere(what);
  }
  ++pos_;
  *out = NodeId(v);
  return absl::OkStatus();
}

// `{1,2}`, `1,2` or `1`. Ids already in `taken` are rejected (so groups
// stay disjoint); the set's ids are added to it.
absl::Status Parser::Set(std::set<uint64_t>* taken, NodeSet* out) {
  const bool braced = PeekPunct("{");
  if (braced) ++pos_;
  out->clear();
  for (;;) {
    NodeId id;
    SCN_TRY(Node(&id));
    if (!taken->insert(id.value()).second) {
      --pos_;
      return FailHere("a node not listed already");
    }
    out->push_back(id);
    if (!PeekPunct(",")) break;
    ++pos_;
  }
  if (braced) SCN_TRY(ExpectPunct("}"));
  std::sort(out->begin(), out->end());
  return absl::OkStatus();
}

absl::Status Parser::CoverAll(const std::set<uint64_t>& taken) {
  for (int i = 1; i <= s_.nodes; ++i) {
    if (taken.count(static_cast<uint64_t>(i)) == 0) {
      return FailHere(absl::StrCat("node ", i, " in a group (groups must ",
                                   "cover every node)"));
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::Endpoint(NodeId* out) {
  if (PeekPunct("*")) {
    ++pos_;
    *out = kNoNode;
    return absl::OkStatus();
  }
  const std::string what = absl::StrCat("a node id in 1..", s_.nodes, " or *");
  const Token* t = Peek();
  uint64_t v = 0;
  if (t == nullptr || t->kind != Token::kWord ||
      !ParseUint(t->text, static_cast<uint64_t>(s_.nodes), &v) || v == 0) {
    return FailHere(what);
  }
  ++pos_;
  *out = NodeId(v);
  return absl::OkStatus();
}

absl::Status Parser::ParseLink(Link* out) {
  SCN_TRY(Endpoint(&out->from));
  SCN_TRY(ExpectPunct("->"));
  SCN_TRY(Endpoint(&out->to));
  if (out->from == out->to && out->from != kNoNode) {
    --pos_;
    return FailHere(absl::StrCat("a node other than ", out->from.value(),
                                 " (a link joins two nodes)"));
  }
  return absl::OkStatus();
}

absl::Status Parser::Probability(int64_t* ppm) {
  const char* what = "a probability in 0..1 (at most 6 decimals)";
  const size_t at = pos_;
  std::string w;
  SCN_TRY(Word(what, &w));
  if (!ParseProbability(w, ppm)) {
    pos_ = at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

absl::Status Parser::Value(absl::string_view what, std::string* out) {
  const Token* t = Peek();
  if (t == nullptr || t->kind == Token::kPunct) {
    return FailHere(absl::StrCat(what, " (a word or a \"quoted string\")"));
  }
  *out = t->text;
  ++pos_;
  return absl::OkStatus();
}

absl::Status Parser::ParseClientOp(ClientOp* op) {
  const std::string id_what =
      absl::StrCat("a client id in 1..", kScenarioMaxClients);
  const size_t id_at = pos_;
  std::string w;
  uint64_t id = 0;
  SCN_TRY(Word(id_what, &w));
  if (!ParseUint(w, kScenarioMaxClients, &id) || id == 0) {
    pos_ = id_at;
    return FailHere(id_what);
  }
  op->client = static_cast<int>(id);
  const char* kind_what = "get, put, append or cas";
  const size_t kind_at = pos_;
  std::string kind;
  SCN_TRY(Word(kind_what, &kind));
  if (kind == "get") {
    op->kind = ClientOpKind::kGet;
  } else if (kind == "put") {
    op->kind = ClientOpKind::kPut;
  } else if (kind == "append") {
    op->kind = ClientOpKind::kAppend;
  } else if (kind == "cas") {
    op->kind = ClientOpKind::kCas;
  } else {
    pos_ = kind_at;
    return FailHere(kind_what);
  }
  SCN_TRY(Value("a key", &op->key));
  if (op->kind == ClientOpKind::kCas) {
    SCN_TRY(Value("the expected old value", &op->expected));
    SCN_TRY(Value("the new value", &op->value));
  } else if (op->kind != ClientOpKind::kGet) {
    SCN_TRY(Value("a value", &op->value));
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseAction(Action* out) {
  const std::string what = absl::StrCat("an action (", kActions, ")");
  const size_t at = pos_;
  std::string a;
  SCN_TRY(Word(what, &a));
  std::set<uint64_t> taken;
  if (a == "partition") {
    Partition p;
    do {
      p.groups.emplace_back();
      SCN_TRY(Set(&taken, &p.groups.back()));
    } while (Peek() != nullptr);
    if (p.groups.size() == 1) {  // "This group against the rest."
      NodeSet rest;
      for (int i = 1; i <= s_.nodes; ++i) {
        if (taken.count(static_cast<uint64_t>(i)) == 0) rest.push_back(NodeId(i));
      }
      for (NodeId id : rest) taken.insert(id.value());
      if (rest.empty()) {
        return FailHere("a second group (the first holds every node)");
      }
      p.groups.push_back(std::move(rest));
    }
    SCN_TRY(CoverAll(taken));
    *out = std::move(p);
  } else if (a == "partition-oneway") {
    PartitionOneWay p;
    SCN_TRY(Set(&taken, &p.from));
    SCN_TRY(ExpectPunct("->"));
    SCN_TRY(Set(&taken, &p.to));
    *out = std::move(p);
  } else if (a == "bridge") {
    Bridge b;
    SCN_TRY(Node(&b.bridge));
    taken.insert(b.bridge.value());
    SCN_TRY(Set(&taken, &b.left));
    SCN_TRY(Set(&taken, &b.right));
    SCN_TRY(CoverAll(taken));
    *out = std::move(b);
  } else if (a == "heal") {
    *out = Heal{};
  } else if (a == "isolate" || a == "crash" || a == "restart" ||
             a == "resume" || a == "campaign" || a == "add-voter" ||
             a == "remove") {
    NodeId n;
    SCN_TRY(Node(&n));
    if (a == "isolate") *out = Isolate{n};
    if (a == "crash") *out = Crash{n};
    if (a == "restart") *out = Restart{n};
    if (a == "resume") *out = Resume{n};
    if (a == "campaign") *out = Campaign{n};
    if (a == "add-voter") *out = AddVoter{n};
    if (a == "remove") *out = RemoveNode{n};
  } else if (a == "pause") {
    Pause p;
    SCN_TRY(Node(&p.node));
    if (Peek() != nullptr) {
      const size_t d_at = pos_;
      int64_t d = 0;
      SCN_TRY(Duration("a pause length or end of line", &d));
      if (d == 0) {
        pos_ = d_at;
        return FailHere("a pause length above 0");
      }
      p.for_us = d;
    }
    *out = p;
  } else if (a == "drop" || a == "duplicate") {
    Link link;
    int64_t ppm = 0;
    SCN_TRY(ParseLink(&link));
    SCN_TRY(Probability(&ppm));
    if (a == "drop") *out = Drop{link, ppm};
    if (a == "duplicate") *out = Duplicate{link, ppm};
  } else if (a == "delay") {
    Delay d;
    SCN_TRY(ParseLink(&d.link));
    SCN_TRY(Duration("an extra delay", &d.us));
    *out = d;
  } else if (a == "client") {
    ClientOp op;
    SCN_TRY(ParseClientOp(&op));
    *out = std::move(op);
  } else if (a == "propose") {
    Propose p;
    SCN_TRY(Node(&p.node));
    SCN_TRY(Value("the bytes to propose", &p.data));
    *out = std::move(p);
  } else {
    pos_ = at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

#undef SCN_TRY

// ------------------------------------------------------------ formatting --

bool IsBare(absl::string_view v) {
  if (v.empty()) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!IsWordChar(v[i])) return false;
    if (v[i] == '-' && i + 1 < v.size() && v[i + 1] == '>') return false;
  }
  return true;
}

std::string FormatValue(absl::string_view v) {
  if (IsBare(v)) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u >= 0x7f) {
      const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FormatSet(const NodeSet& set) {
  std::vector<uint64_t> ids;
  for (NodeId id : set) ids.push_back(id.value());
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

std::string FormatEndpoint(NodeId id) {
  return id == kNoNode ? "*" : absl::StrCat(id.value());
}
std::string FormatLink(const Link& l) {
  return absl::StrCat(FormatEndpoint(l.from), "->", FormatEndpoint(l.to));
}

const char* ClientOpName(ClientOpKind k) {
  switch (k) {
    case ClientOpKind::kGet: return "get";
    case ClientOpKind::kPut: return "put";
    case ClientOpKind::kAppend: return "append";
    case ClientOpKind::kCas: return "cas";
  }
  return "?";
}

const char* ResultName(ExpectedResult r) {
  switch (r) {
    case ExpectedResult::kOk: return "ok";
    case ExpectedResult::kSafety: return "safety";
    case ExpectedResult::kLiveness: return "liveness";
  }
  return "?";
}

struct ActionPrinter {
  std::string operator()(const Partition& p) const {
    std::vector<std::string> groups;
    for (const NodeSet& g : p.groups) groups.push_back(FormatSet(g));
    return absl::StrCat("partition ", absl::StrJoin(groups, " "));
  }
  std::string operator()(const PartitionOneWay& p) const {
    return absl::StrCat("partition-oneway ", FormatSet(p.from), " -> ",
                        FormatSet(p.to));
  }
  std::string operator()(const Isolate& a) const {
    return absl::StrCat("isolate ", a.node.value());
  }
  std::string operator()(const Bridge& b) const {
    return absl::StrCat("bridge ", b.bridge.value(), " ", FormatSet(b.left),
                        " ", FormatSet(b.right));
  }
  std::string operator()(const Heal&) const { return "heal"; }
  std::string operator()(const Crash& a) const {
    return absl::StrCat("crash ", a.node.value());
  }
  std::string operator()(const Restart& a) const {
    return absl::StrCat("restart ", a.node.value());
  }
  std::string operator()(const Pause& a) const {
    std::string s = absl::StrCat("pause ", a.node.value());
    if (a.for_us) absl::StrAppend(&s, " ", FormatDuration(*a.for_us));
    return s;
  }
  std::string operator()(const Resume& a) const {
    return absl::StrCat("resume ", a.node.value());
  }
  std::string operator()(const Drop& a) const {
    return absl::StrCat("drop ", FormatLink(a.link), " ",
                        FormatProbability(a.ppm));
  }
  std::string operator()(const Delay& a) const {
    return absl::StrCat("delay ", FormatLink(a.link), " ",
                        FormatDuration(a.us));
  }
  std::string operator()(const Duplicate& a) const {
    return absl::StrCat("duplicate ", FormatLink(a.link), " ",
                        FormatProbability(a.ppm));
  }
  std::string operator()(const ClientOp& op) const {
    std::string s = absl::StrCat("client ", op.client, " ",
                                 ClientOpName(op.kind), " ", FormatValue(op.key));
    if (op.kind == ClientOpKind::kCas) {
      absl::StrAppend(&s, " ", FormatValue(op.expected));
    }
    if (op.kind != ClientOpKind::kGet) {
      absl::StrAppend(&s, " ", FormatValue(op.value));
    }
    return s;
  }
  std::string operator()(const Propose& a) const {
    return absl::StrCat("propose ", a.node.value(), " ", FormatValue(a.data));
  }
  std::string operator()(const Campaign& a) const {
    return absl::StrCat("campaign ", a.node.value());
  }
  std::string operator()(const AddVoter& a) const {
    return absl::StrCat("add-voter ", a.node.value());
  }
  std::string operator()(const RemoveNode& a) const {
    return absl::StrCat("remove ", a.node.value());
  }
};

std::string FormatOptionValue(const std::string& name, int64_t value) {
  for (const OptionSpec& o : ScenarioOptions()) {
    if (name == o.name && o.type == OptionType::kBool) {
      return value != 0 ? "on" : "off";
    }
  }
  return absl::StrCat(value);
}

}  // namespace

absl::StatusOr<Scenario> ParseScenario(absl::string_view text,
                                       absl::string_view filename) {
  return Parser(filename).Run(text);
}

absl::StatusOr<Scenario> ReadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::string text;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    // One byte past the limit is enough for the parser to report it.
    if (text.size() > kScenarioMaxBytes) break;
  }
  if (in.bad()) return absl::NotFoundError(absl::StrCat(path, ": read error"));
  return ParseScenario(text, path);
}

std::string DescribeAction(const Action& action) {
  return std::visit(ActionPrinter{}, action);
}

std::string FormatDuration(int64_t us) {
  if (us % 1'000'000 == 0) return absl::StrCat(us / 1'000'000, "s");
  if (us % 1000 == 0) return absl::StrCat(us / 1000, "ms");
  return absl::StrCat(us, "us");
}

std::string FormatScenario(const Scenario& s) {
  std::string out = absl::StrCat("nodes ", s.nodes, "\n");
  if (s.seed) absl::StrAppend(&out, "seed ", *s.seed, "\n");
  for (const auto& [name, value] : s.options) {
    absl::StrAppend(&out, "option ", name, "=", FormatOptionValue(name, value),
                    "\n");
  }
  for (const TimedAction& ta : s.schedule) {
    absl::StrAppend(&out, "at ", FormatDuration(ta.at_us), " ",
                    DescribeAction(ta.action), "\n");
  }
  if (s.end_us) absl::StrAppend(&out, "end ", FormatDuration(*s.end_us), "\n");
  if (s.heal_phase_us) {
    absl::StrAppend(&out, "heal-phase ", FormatDuration(*s.heal_phase_us),
                    "\n");
  }
  const Expectations& e = s.expect;
  if (e.no_violation) out += "expect no-violation\n";
  if (e.violation) absl::StrAppend(&out, "expect violation ", *e.violation, "\n");
  if (e.leader_by_us) {
    absl::StrAppend(&out, "expect leader by ", FormatDuration(*e.leader_by_us),
                    "\n");
  }
  if (e.result) absl::StrAppend(&out, "expect result ", ResultName(*e.result), "\n");
  return out;
}

std::string Scenario::Describe() const {
  std::string out = absl::StrCat(nodes, " nodes");
  if (seed) absl::StrAppend(&out, ", seed ", *seed);
  absl::StrAppend(&out, ", ", options.size(), " options, ", schedule.size(),
                  " actions");
  if (!schedule.empty()) {
    absl::StrAppend(&out, " over ", FormatDuration(schedule.front().at_us),
                    "..", FormatDuration(schedule.back().at_us));
  }
  if (end_us) absl::StrAppend(&out, ", end ", FormatDuration(*end_us));
  if (heal_phase_us) {
    absl::StrAppend(&out, ", heal-phase ", FormatDuration(*heal_phase_us));
  }
  std::vector<std::string> expects;
  if (expect.no_violation) expects.push_back("no-violation");
  if (expect.violation) expects.push_back("violation " + *expect.violation);
  if (expect.leader_by_us) {
    expects.push_back("leader by " + FormatDuration(*expect.leader_by_us));
  }
  if (expect.result) expects.push_back(std::string("result ") +
                                       ResultName(*expect.result));
  if (!expects.empty()) {
    absl::StrAppend(&out, ", expect ", absl::StrJoin(expects, ", "));
  }
  return out;
}

}  // namespace raftsim::sim
