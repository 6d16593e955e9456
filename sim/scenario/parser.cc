// sim/scenario/parser.cc — the statements of the scenario language (nodes,
// seed, option, at, end, heal-phase, expect) and the public entry points
// ParseScenario and ReadScenarioFile. See parser.h; the grammar is
// in scenarios/README.md.
//
// Single-threaded use per call; no shared state.

#include "sim/scenario/parser.h"

#include <algorithm>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sim/scenario/scenario.h"
#include "sim/world/options.h"

namespace raftsim::sim {
namespace scenario_internal {
namespace {

const char* const kStatements =
    "nodes, seed, option, at, end, heal-phase or expect";

// Lowercase letters, digits, - or _, starting with a letter; at most 64.
bool IsCheckerName(const std::string& name) {
  return name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

}  // namespace

absl::StatusOr<Scenario> Parser::Run(absl::string_view text) {
  line_ = 1;
  if (text.size() > kScenarioMaxBytes) {
    return Fail(1,
                absl::StrCat("a file of at most ", kScenarioMaxBytes, " bytes"),
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
  uint64_t n = 0;
  SCN_TRY(CheckedWord(absl::StrCat("a node count in 1..", kScenarioMaxNodes),
                      [&](const std::string& w) {
                        return ParseUint(w, kScenarioMaxNodes, &n) && n != 0;
                      }));
  s_.nodes = static_cast<int>(n);
  have_nodes_ = true;
  return absl::OkStatus();
}

absl::Status Parser::SeedLine() {
  if (!seen_.insert("seed").second) return FailHere("one \"seed\" line");
  ++pos_;
  uint64_t v = 0;
  SCN_TRY(CheckedWord(
      "a seed (an unsigned 64-bit integer)",
      [&](const std::string& w) { return ParseUint(w, UINT64_MAX, &v); }));
  s_.seed = v;
  return absl::OkStatus();
}

absl::Status Parser::OptionLine() {
  ++pos_;
  std::vector<std::string> names;
  for (const OptionSpec& o : ScenarioOptions()) names.push_back(o.name);
  const size_t name_at = pos_;
  const OptionSpec* spec = nullptr;
  absl::Status known = CheckedWord(
      absl::StrCat("an option name (one of ", absl::StrJoin(names, ", "), ")"),
      [&](const std::string& name) {
        for (const OptionSpec& o : ScenarioOptions()) {
          if (name == o.name) spec = &o;
        }
        return spec != nullptr;
      });
  if (!known.ok()) {
    const Token* t = Peek();
    if (t == nullptr || t->kind != Token::kWord) return known;
    const std::vector<std::string_view> candidates(names.begin(), names.end());
    const std::string_view near = ClosestName(t->text, candidates);
    if (near.empty()) return known;
    return absl::InvalidArgumentError(absl::StrCat(
        known.message(), " (did you mean ", std::string(near), "?)"));
  }
  if (s_.options.count(spec->canonical) != 0) {
    pos_ = name_at;
    return FailHere(
        absl::StrCat("option ", spec->canonical, " to be set only once"));
  }
  SCN_TRY(ExpectPunct("="));
  int64_t value = 0;
  SCN_TRY(OptionValue(*spec, &value));
  s_.options[spec->canonical] = value;
  return absl::OkStatus();
}

absl::Status Parser::OptionValue(const OptionSpec& spec, int64_t* value) {
  switch (spec.type) {
    case OptionType::kBool:
      return CheckedWord("on or off", [&](const std::string& text) {
        if (text == "on" || text == "true" || text == "1") {
          *value = 1;
        } else if (text == "off" || text == "false" || text == "0") {
          *value = 0;
        } else {
          return false;
        }
        return true;
      });
    case OptionType::kInt:
      return CheckedWord(
          absl::StrCat("an integer in ", spec.min, "..", spec.max),
          [&](const std::string& text) {
            uint64_t v = 0;
            const bool ok =
                ParseUint(text, static_cast<uint64_t>(spec.max), &v) &&
                static_cast<int64_t>(v) >= spec.min;
            *value = static_cast<int64_t>(v);
            return ok;
          });
    case OptionType::kProbability:
      return CheckedWord("a probability in 0..1 (at most 6 decimals)",
                         [&](const std::string& text) {
                           return ParseProbability(text, value);
                         });
  }
  return FailHere("a known option type");  // Unreachable: every type above.
}

absl::Status Parser::TimeNotBeforeLast(absl::string_view what,
                                       absl::string_view why, int64_t* t) {
  const size_t at = pos_;
  SCN_TRY(Duration(what, t));
  const int64_t last = s_.schedule.empty() ? 0 : s_.schedule.back().at_us;
  if (*t < last) {
    pos_ = at;
    return FailHere(
        absl::StrCat(what, " >= ", FormatDuration(last), " (", why, ")"));
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
  SCN_TRY(TimeNotBeforeLast("a time", "times must not decrease", &t));
  if (s_.end_us.has_value() && t > *s_.end_us) {
    pos_ = at;
    return FailHere(
        absl::StrCat("a time <= ", FormatDuration(*s_.end_us), " (the end)"));
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
  int64_t t = 0;
  SCN_TRY(TimeNotBeforeLast("an end time", "the last action's time", &t));
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

absl::Status Parser::Conflict(size_t kind_at, absl::string_view other) {
  pos_ = kind_at;
  return FailHere(absl::StrCat("an expectation consistent with ", other));
}

absl::Status Parser::ExpectLine() {
  ++pos_;
  Expectations& e = s_.expect;
  const char* what = "no-violation, violation, leader or result";
  std::string kind;
  const size_t kind_at = pos_;
  SCN_TRY(Word(what, &kind));
  if (kind == "no-violation") {
    if (e.no_violation) {
      return Conflict(kind_at, "the earlier \"expect no-violation\"");
    }
    if (e.violation) return Conflict(kind_at, "\"expect violation\"");
    if (e.result.has_value() && *e.result == ExpectedResult::kSafety) {
      return Conflict(kind_at, "\"expect result safety\"");
    }
    e.no_violation = true;
  } else if (kind == "violation") {
    return ExpectViolation(kind_at);
  } else if (kind == "leader") {
    if (e.leader_by_us) {
      return Conflict(kind_at, "the earlier \"expect leader\"");
    }
    SCN_TRY(CheckedWord("\"by\"",
                        [](const std::string& by) { return by == "by"; }));
    int64_t t = 0;
    SCN_TRY(Duration("a time", &t));
    e.leader_by_us = t;
  } else if (kind == "result") {
    return ExpectResult(kind_at);
  } else {
    pos_ = kind_at;
    return FailHere(what);
  }
  return absl::OkStatus();
}

absl::Status Parser::ExpectViolation(size_t kind_at) {
  Expectations& e = s_.expect;
  if (e.violation) return Conflict(kind_at, "the earlier \"expect violation\"");
  if (e.no_violation) return Conflict(kind_at, "\"expect no-violation\"");
  if (e.result.has_value() && *e.result == ExpectedResult::kOk) {
    return Conflict(kind_at, "\"expect result ok\"");
  }
  std::string name;
  SCN_TRY(CheckedWord("a checker name (lowercase letters, digits, - or _)",
                      [&](const std::string& w) {
                        name = w;
                        return IsCheckerName(w);
                      }));
  e.violation = name;
  return absl::OkStatus();
}

absl::Status Parser::ExpectResult(size_t kind_at) {
  Expectations& e = s_.expect;
  if (e.result) return Conflict(kind_at, "the earlier \"expect result\"");
  ExpectedResult result = ExpectedResult::kOk;
  SCN_TRY(
      CheckedWord("ok, safety, liveness or hang", [&](const std::string& r) {
        if (r == "ok") {
          result = ExpectedResult::kOk;
        } else if (r == "safety") {
          result = ExpectedResult::kSafety;
        } else if (r == "liveness") {
          result = ExpectedResult::kLiveness;
        } else if (r == "hang") {
          result = ExpectedResult::kHang;
        } else {
          return false;
        }
        return true;
      }));
  if (result == ExpectedResult::kOk && e.violation) {
    return Conflict(kind_at, "\"expect violation\"");
  }
  if (result == ExpectedResult::kSafety && e.no_violation) {
    return Conflict(kind_at, "\"expect no-violation\"");
  }
  e.result = result;
  return absl::OkStatus();
}

}  // namespace scenario_internal

absl::StatusOr<Scenario> ParseScenario(absl::string_view text,
                                       absl::string_view filename) {
  return scenario_internal::Parser(filename).Run(text);
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

}  // namespace raftsim::sim
