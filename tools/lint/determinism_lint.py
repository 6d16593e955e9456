#!/usr/bin/env python3
"""tools/lint/determinism_lint.py — rejects sources of nondeterminism in the code
that the simulator runs.

The simulator's promise is "same binary + same seed = same run" (docs/design.md,
"Determinism rules"). Code in raft/, sim/ and checkers/ must therefore never
read a real clock, real randomness, the environment, or run threads. This lint
finds such uses by pattern, after stripping comments, string literals and
character literals (so mentioning `rand()` in a comment is fine), and keeps
line numbers intact.

Usage:
  determinism_lint.py [--root DIR]            lint raft/, sim/, checkers/ under DIR
  determinism_lint.py FILE_OR_DIR...          lint exactly these
  determinism_lint.py --list-rules            print the rule names, one a line

Prints `file:line: forbidden X (reason)` per finding. Exit status: 0 clean,
1 findings, 2 usage error. Single-threaded; reads files only.
"""

import argparse
import os
import re
import sys

SCANNED_DIRS = ("raft", "sim", "checkers")
EXTENSIONS = (".h", ".cc")

WALL_CLOCK = "reads the real clock; use the simulated time passed in"
RANDOMNESS = "nondeterministic or library-specific randomness; use base/prng.h"
THREADS = "threads make runs nondeterministic; the simulator is single-threaded"
ENVIRONMENT = "environment reads make runs machine-dependent; pass options explicitly"

# (what is forbidden, regex over comment- and literal-free code, reason).
PATTERN_RULES = [
    ("_clock::now", re.compile(r"\b\w*_clock\s*::\s*now\b"), WALL_CLOCK),
    ("absl::Now", re.compile(r"\babsl\s*::\s*(Now|GetCurrentTimeNanos)\b"), WALL_CLOCK),
    ("gettimeofday", re.compile(r"\bgettimeofday\b"), WALL_CLOCK),
    ("clock_gettime", re.compile(r"\bclock_gettime\b"), WALL_CLOCK),
    ("std::random_device", re.compile(r"\brandom_device\b"), RANDOMNESS),
    (
        "std::*_distribution",
        re.compile(
            r"\bstd\s*::\s*\w+_distribution\b"
            r"|\b(uniform_int|uniform_real|bernoulli|binomial|negative_binomial|"
            r"geometric|poisson|exponential|gamma|weibull|extreme_value|normal|"
            r"lognormal|chi_squared|cauchy|fisher_f|student_t|discrete|"
            r"piecewise_constant|piecewise_linear)_distribution\b"
        ),
        RANDOMNESS,
    ),
    (
        "std random engine",
        re.compile(r"\b(mt19937(_64)?|default_random_engine|minstd_rand0?|ranlux\w+|knuth_b)\b"),
        RANDOMNESS,
    ),
    ("absl::BitGen", re.compile(r"\b(Insecure)?BitGen(Ref)?\b"), RANDOMNESS),
    ("std::thread", re.compile(r"\bstd\s*::\s*(thread|jthread|this_thread)\b"), THREADS),
    ("std::async", re.compile(r"\bstd\s*::\s*async\b"), THREADS),
    ("getenv", re.compile(r"\b(secure_)?getenv\b"), ENVIRONMENT),
]

# Free functions that are forbidden when *called*: `time(`, `rand(`, `srand(`.
# Member calls (`x.time(`, `p->rand(`), other classes' members (`Foo::time(`),
# longer names (`sim_time(`) and declarations (`Duration time() const`) are
# allowed; `std::time(` and `::time(` are not.
CALL_RULES = [
    ("time(", "time", WALL_CLOCK),
    ("rand(", "rand", RANDOMNESS),
    ("srand(", "srand", RANDOMNESS),
]
# Keywords that may directly precede a call expression.
EXPRESSION_KEYWORDS = {"return", "co_return", "co_yield", "throw", "case", "else", "do"}


def strip_comments_and_literals(text):
    """Returns `text` with comments and string/char literal contents replaced
    by spaces. Newlines are kept, so line numbers do not move."""
    out = []
    i = 0
    n = len(text)

    def blank(segment):
        return "".join("\n" if c == "\n" else " " for c in segment)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(blank(text[i:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append(blank(text[i:end]))
            i = end
        elif c == '"' or c == "'":
            # A quote after a digit run is a digit separator (1'000'000).
            j = i
            while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):
                j -= 1
            if c == "'" and j < i and text[j].isdigit():
                out.append(c)
                i += 1
                continue
            # Raw string: R"delim( ... )delim", possibly with a prefix.
            if c == '"' and i > 0 and text[i - 1] == "R":
                paren = text.find("(", i)
                delim = text[i + 1 : paren] if paren != -1 else ""
                close = text.find(")" + delim + '"', paren + 1) if paren != -1 else -1
                end = n if close == -1 else close + len(delim) + 2
                out.append('"' + blank(text[i + 1 : end - 1]) + '"')
                i = end
                continue
            # Ordinary literal: up to the matching unescaped quote, or the end
            # of the line if it is unterminated.
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j, n)
            closed = j < n and text[j] == c
            out.append(c + blank(text[i + 1 : j]) + (c if closed else ""))
            i = j + 1 if closed else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def is_forbidden_call(code, start):
    """Decides whether the identifier starting at `start` is a call of the
    global/std function rather than a member, another class's function or a
    declaration."""
    before = code[:start].rstrip()
    if before.endswith(".") or before.endswith("->"):
        return False
    if before.endswith("::"):
        qualifier = re.search(r"(\w*)\s*::$", before)
        return qualifier is not None and qualifier.group(1) in ("", "std")
    previous = re.search(r"(\w+)$", before)
    if previous and previous.group(1) not in EXPRESSION_KEYWORDS:
        return False  # `Type time(...)`: a declaration, not a call.
    return True


def lint_text(text):
    """Yields (line, what, reason) for every finding in `text`."""
    code = strip_comments_and_literals(text)
    findings = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", code)]

    def line_of(offset):
        lo, hi = 0, len(line_starts)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    for what, pattern, reason in PATTERN_RULES:
        for m in pattern.finditer(code):
            findings.append((line_of(m.start()), what, reason))
    for what, name, reason in CALL_RULES:
        for m in re.finditer(r"\b%s\s*\(" % name, code):
            if is_forbidden_call(code, m.start()):
                findings.append((line_of(m.start()), what, reason))
    return sorted(findings)


def files_under(path):
    if os.path.isfile(path):
        return [path]
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(EXTENSIONS):
                found.append(os.path.join(dirpath, name))
    return found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".", help="workspace root (default: .)")
    parser.add_argument("--list-rules", action="store_true", help="print the rule names and exit")
    parser.add_argument("paths", nargs="*", help="files or directories to lint")
    args = parser.parse_args(argv)

    if args.list_rules:
        for what, _, _ in PATTERN_RULES + CALL_RULES:
            print(what)
        return 0

    if args.paths:
        for path in args.paths:
            if not os.path.exists(path):
                print("determinism_lint: no such file or directory: %s" % path, file=sys.stderr)
                return 2
        targets = args.paths
        display_root = None
    else:
        if not os.path.isdir(args.root):
            print("determinism_lint: no such directory: %s" % args.root, file=sys.stderr)
            return 2
        targets = [os.path.join(args.root, d) for d in SCANNED_DIRS]
        targets = [t for t in targets if os.path.isdir(t)]
        display_root = args.root

    files = [f for target in targets for f in files_under(target)]
    count = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        shown = os.path.relpath(path, display_root) if display_root else path
        for line, what, reason in lint_text(text):
            print("%s:%d: forbidden %s (%s)" % (shown, line, what, reason))
            count += 1
    if count:
        print("determinism_lint: %d finding(s) in %d file(s) scanned" % (count, len(files)), file=sys.stderr)
        return 1
    print("determinism_lint: %d file(s) clean" % len(files), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
