// tools/cli/flags.h — the raftsim command line's flags as tables: each
// subcommand declares its flags once (name, value placeholder, help, and
// the option-struct field it sets), and that one table is what parses the
// command line, what `raftsim help SUBCOMMAND` prints (with each flag's
// default, read from a default-constructed option struct, so help and
// behaviour cannot disagree) and what an unknown flag's suggestion is
// drawn from.
//
// Header-only: Flag<Options> is a template over the struct the flags fill
// (CliOptions in raftsim_main.cc).
//
// Strings are absl::string_view, not std::string_view: Debian's Abseil is
// built with its own string_view type, which absl::StrCat requires.
//
// Value types; thread-compatible.

#ifndef RAFTSIM_TOOLS_CLI_FLAGS_H_
#define RAFTSIM_TOOLS_CLI_FLAGS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace raftsim::tools {

// One flag of a subcommand. `parse` returns an error (what is wrong with
// the value; the caller names the flag) or nullopt; `show` renders the
// flag's current value (the default, in help).
template <typename Options>
struct Flag {
  absl::string_view name;
  absl::string_view value;  // Placeholder in help: "N", "FILE", "on|off".
  absl::string_view help;
  bool boolean = false;  // --name alone means true; --noname false.
  std::function<std::optional<std::string>(absl::string_view, Options&)> parse;
  std::function<std::string(const Options&)> show;
};

// --- Value parsing -----------------------------------------------------------

inline std::optional<std::string> ParseFlagValue(absl::string_view text,
                                                 uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+' ||
      !absl::SimpleAtoi(text, out)) {
    return "expected an unsigned integer";
  }
  return std::nullopt;
}
inline std::optional<std::string> ParseFlagValue(absl::string_view text,
                                                 int64_t* out) {
  if (text.empty() || !absl::SimpleAtoi(text, out)) {
    return "expected an integer";
  }
  return std::nullopt;
}
inline std::optional<std::string> ParseFlagValue(absl::string_view text,
                                                 int* out) {
  if (text.empty() || !absl::SimpleAtoi(text, out)) {
    return "expected a 32-bit integer";
  }
  return std::nullopt;
}
inline std::optional<std::string> ParseFlagValue(absl::string_view text,
                                                 std::string* out) {
  *out = std::string(text);
  return std::nullopt;
}
// As absl's bool flags: true/t/yes/y/1 and false/f/no/n/0.
inline std::optional<std::string> ParseFlagValue(absl::string_view text,
                                                 bool* out) {
  for (absl::string_view yes : {"true", "t", "yes", "y", "1"}) {
    if (text == yes) {
      *out = true;
      return std::nullopt;
    }
  }
  for (absl::string_view no : {"false", "f", "no", "n", "0"}) {
    if (text == no) {
      *out = false;
      return std::nullopt;
    }
  }
  return "expected true or false";
}

inline std::string ShowFlagValue(uint64_t v) { return absl::StrCat(v); }
inline std::string ShowFlagValue(int64_t v) { return absl::StrCat(v); }
inline std::string ShowFlagValue(int v) { return absl::StrCat(v); }
inline std::string ShowFlagValue(const std::string& v) {
  return v.empty() ? "\"\"" : v;
}
inline std::string ShowFlagValue(bool v) { return v ? "true" : "false"; }

// --- Flag builders -----------------------------------------------------------

// A flag that sets the field `get` returns: `get` is a lambda
// [](Options& o) -> auto& { return o.some.field; }. The field's type
// (uint64_t, int64_t, int, std::string or bool) chooses the parser.
template <typename Options, typename Get>
Flag<Options> FieldFlag(absl::string_view name, absl::string_view value,
                        absl::string_view help, Get get) {
  using T = std::remove_reference_t<decltype(get(std::declval<Options&>()))>;
  Flag<Options> f;
  f.name = name;
  f.value = value;
  f.help = help;
  f.boolean = std::is_same_v<T, bool>;
  f.parse = [get](absl::string_view text,
                  Options& o) -> std::optional<std::string> {
    return ParseFlagValue(text, &get(o));
  };
  f.show = [get](const Options& o) {
    Options copy = o;
    return ShowFlagValue(get(copy));
  };
  return f;
}

// A flag spelled on|off that sets a bool field.
template <typename Options, typename Get>
Flag<Options> OnOffFlag(absl::string_view name, absl::string_view help,
                        Get get) {
  Flag<Options> f;
  f.name = name;
  f.value = "on|off";
  f.help = help;
  f.parse = [get](absl::string_view text,
                  Options& o) -> std::optional<std::string> {
    if (text != "on" && text != "off") return "expected on or off";
    get(o) = text == "on";
    return std::nullopt;
  };
  f.show = [get](const Options& o) {
    Options copy = o;
    return std::string(get(copy) ? "on" : "off");
  };
  return f;
}

// --- Help --------------------------------------------------------------------

// `text` wrapped at `width` columns, every line but the first indented by
// `indent` spaces (the first continues a line already `indent` wide).
inline std::string WrapText(absl::string_view text, size_t indent,
                            size_t width = 79) {
  std::string out;
  size_t column = indent;
  bool first = true;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const absl::string_view word =
        space == absl::string_view::npos ? text : text.substr(0, space);
    text = space == absl::string_view::npos ? absl::string_view()
                                            : text.substr(space + 1);
    if (word.empty()) continue;
    if (!first && column + 1 + word.size() > width) {
      absl::StrAppend(&out, "\n", std::string(indent, ' '));
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    absl::StrAppend(&out, word);
    column += word.size();
    first = false;
  }
  return out;
}

// The help lines of `flags`: "  --name=VALUE   help", wrapped, then
// "default: D" on a line of its own, each default shown from `defaults`.
template <typename Options>
std::string FlagHelp(const std::vector<Flag<Options>>& flags,
                     const Options& defaults) {
  constexpr size_t kHelpColumn = 28;
  std::string out;
  for (const Flag<Options>& f : flags) {
    std::string head = absl::StrCat("  --", f.name);
    if (!f.boolean) absl::StrAppend(&head, "=", f.value);
    if (head.size() + 2 > kHelpColumn) {
      absl::StrAppend(&out, head, "\n", std::string(kHelpColumn, ' '));
    } else {
      absl::StrAppend(&out, head, std::string(kHelpColumn - head.size(), ' '));
    }
    absl::StrAppend(&out, WrapText(f.help, kHelpColumn), "\n",
                    std::string(kHelpColumn, ' '),
                    "default: ", f.show(defaults), "\n");
  }
  return out;
}

}  // namespace raftsim::tools

#endif  // RAFTSIM_TOOLS_CLI_FLAGS_H_
