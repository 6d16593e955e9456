// checkers/linearizability/history.cc — see history.h.

#include "checkers/linearizability/history.h"

#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "checkers/linearizability/json.h"

namespace raftsim::checkers {
namespace {

std::string DescribeOutput(const OpOutput& output) {
  if (const std::string* s = std::get_if<std::string>(&output)) {
    return JsonQuote(*s);
  }
  if (const bool* b = std::get_if<bool>(&output)) return *b ? "true" : "false";
  return "null";
}

std::string OutputTypeName(const OpOutput& output) {
  switch (output.index()) {
    case 0:
      return "null";
    case 1:
      return "a string";
    default:
      return "a boolean";
  }
}

constexpr std::array<absl::string_view, 8> kKeys = {
    "client", "kind", "key", "value", "expected", "output", "call", "return"};

// Where each field of the line was found; -1 when absent.
struct Columns {
  std::array<int, kKeys.size()> column;
  Columns() { column.fill(-1); }
};

absl::Status FieldError(int column, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(column, ": ", what));
}

// Fills one field of `op` from `m`. Returns an error prefixed "COLUMN: ".
absl::Status SetField(size_t index, const JsonMember& m, Operation& op) {
  const JsonValue& v = m.value;
  auto type_error = [&](absl::string_view want) {
    return FieldError(
        m.column, absl::StrCat("expected \"", kKeys[index], "\" to be ", want,
                               ", found ", JsonTypeName(v)));
  };
  const int64_t* i = std::get_if<int64_t>(&v);
  const std::string* s = std::get_if<std::string>(&v);
  const bool is_null = std::holds_alternative<std::monostate>(v);
  switch (index) {
    case 0:
      if (i == nullptr) return type_error("an integer");
      op.client = *i;
      return absl::OkStatus();
    case 1: {
      if (s == nullptr) return type_error("a string");
      for (OpKind k :
           {OpKind::kGet, OpKind::kPut, OpKind::kAppend, OpKind::kCas}) {
        if (*s == OpKindName(k)) {
          op.kind = k;
          return absl::OkStatus();
        }
      }
      return FieldError(
          m.column, absl::StrCat("expected kind \"get\", \"put\", \"append\" "
                                 "or \"cas\", found ",
                                 JsonQuote(*s)));
    }
    case 2:
      if (s == nullptr) return type_error("a string");
      op.key = *s;
      return absl::OkStatus();
    case 3:
    case 4:
      if (s == nullptr && !is_null) return type_error("a string or null");
      (index == 3 ? op.value : op.expected) =
          s ? std::optional<std::string>(*s) : std::nullopt;
      return absl::OkStatus();
    case 5:
      if (s != nullptr) {
        op.output = *s;
      } else if (const bool* b = std::get_if<bool>(&v)) {
        op.output = *b;
      } else if (!is_null) {
        return type_error("a string, a boolean or null");
      }
      return absl::OkStatus();
    case 6:
      if (i == nullptr) return type_error("an integer");
      op.call_ns = *i;
      return absl::OkStatus();
    default:
      if (i == nullptr && !is_null) return type_error("an integer or null");
      op.return_ns = i ? std::optional<int64_t>(*i) : std::nullopt;
      return absl::OkStatus();
  }
}

// Parses one non-blank line. Errors are "COLUMN: ..." or, for whole-line
// problems, just the message.
absl::StatusOr<Operation> ParseLine(absl::string_view line) {
  absl::StatusOr<std::vector<JsonMember>> members = ParseJsonObject(line);
  if (!members.ok()) {
    absl::string_view msg = members.status().message();
    if (absl::ConsumePrefix(&msg, "column ")) {
      return absl::InvalidArgumentError(msg);
    }
    return members.status();
  }
  Operation op;
  Columns seen;
  for (const JsonMember& m : *members) {
    size_t index = 0;
    while (index < kKeys.size() && kKeys[index] != m.key) ++index;
    if (index == kKeys.size()) {
      return FieldError(
          m.key_column,
          absl::StrCat("expected one of client, kind, key, value, expected, "
                       "output, call, return; found key ",
                       JsonQuote(m.key)));
    }
    seen.column[index] = m.column;
    absl::Status s = SetField(index, m, op);
    if (!s.ok()) return s;
  }
  for (size_t index = 0; index < kKeys.size(); ++index) {
    if (seen.column[index] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expected key \"", kKeys[index], "\", found an object without it"));
    }
  }
  absl::Status valid = ValidateOperation(op);
  if (!valid.ok()) return valid;
  return op;
}

}  // namespace

absl::string_view OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kGet:
      return "get";
    case OpKind::kPut:
      return "put";
    case OpKind::kAppend:
      return "append";
    case OpKind::kCas:
      return "cas";
  }
  return "?";
}

std::string Operation::Describe() const {
  std::string out = absl::StrCat("client ", client, " [", call_ns, ", ");
  if (return_ns.has_value()) {
    absl::StrAppend(&out, *return_ns, "] ");
  } else {
    absl::StrAppend(&out, "?] ");
  }
  absl::StrAppend(&out, OpKindName(kind), "(", JsonQuote(key));
  if (kind == OpKind::kCas) {
    absl::StrAppend(&out, ", ", expected ? JsonQuote(*expected) : "null",
                    " -> ", value ? JsonQuote(*value) : "null");
  } else if (kind != OpKind::kGet) {
    absl::StrAppend(&out, ", ", value ? JsonQuote(*value) : "null");
  }
  absl::StrAppend(&out, ")");
  if (!completed()) {
    absl::StrAppend(&out, " -> ? (outcome unknown)");
  } else if (kind == OpKind::kGet || kind == OpKind::kCas) {
    absl::StrAppend(&out, " -> ", DescribeOutput(output));
  }
  return out;
}

absl::Status ValidateOperation(const Operation& op) {
  const absl::string_view kind = OpKindName(op.kind);
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(kind, ": ", what));
  };
  if (op.return_ns.has_value() && *op.return_ns < op.call_ns) {
    return error(absl::StrCat("expected return >= call (", op.call_ns,
                              "), found ", *op.return_ns));
  }
  const bool needs_value = op.kind != OpKind::kGet;
  if (needs_value != op.value.has_value()) {
    return error(absl::StrCat("expected value to be ",
                              needs_value ? "a string" : "null", ", found ",
                              op.value ? "a string" : "null"));
  }
  const bool needs_expected = op.kind == OpKind::kCas;
  if (needs_expected != op.expected.has_value()) {
    return error(absl::StrCat("expected expected to be ",
                              needs_expected ? "a string" : "null", ", found ",
                              op.expected ? "a string" : "null"));
  }
  // The output type each kind must have when it completed.
  size_t want = 0;
  if (op.completed() && op.kind == OpKind::kGet) want = 1;
  if (op.completed() && op.kind == OpKind::kCas) want = 2;
  if (op.output.index() != want) {
    const OpOutput want_example = want == 0   ? OpOutput()
                                  : want == 1 ? OpOutput(std::string())
                                              : OpOutput(false);
    return error(absl::StrCat(
        "expected output to be ", OutputTypeName(want_example),
        op.completed() ? "" : " (the outcome is unknown: return is null)",
        ", found ", OutputTypeName(op.output)));
  }
  return absl::OkStatus();
}

std::string FormatOperationJson(const Operation& op) {
  auto opt = [](const std::optional<std::string>& s) {
    return s ? JsonQuote(*s) : std::string("null");
  };
  return absl::StrCat(
      "{\"client\":", op.client, ",\"kind\":\"", OpKindName(op.kind),
      "\",\"key\":", JsonQuote(op.key), ",\"value\":", opt(op.value),
      ",\"expected\":", opt(op.expected),
      ",\"output\":", DescribeOutput(op.output), ",\"call\":", op.call_ns,
      ",\"return\":", op.return_ns ? absl::StrCat(*op.return_ns) : "null", "}");
}

std::string FormatHistoryJsonLines(const History& history) {
  std::string out;
  for (const Operation& op : history) {
    absl::StrAppend(&out, FormatOperationJson(op), "\n");
  }
  return out;
}

absl::StatusOr<History> ParseHistoryJsonLines(absl::string_view text,
                                              absl::string_view filename) {
  History history;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == absl::string_view::npos) continue;
    absl::StatusOr<Operation> op = ParseLine(line);
    if (!op.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          filename, ":", line_number, ":",
          std::isdigit(static_cast<unsigned char>(op.status().message()[0]))
              ? ""
              : " ",
          op.status().message()));
    }
    history.push_back(*std::move(op));
  }
  return history;
}

absl::StatusOr<History> ReadHistoryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseHistoryJsonLines(buffer.str(), path);
}

}  // namespace raftsim::checkers
