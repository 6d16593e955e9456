#!/usr/bin/env bash
# tools/lint/determinism_lint_selftest.sh — shows that determinism_lint.py
# catches what it must and nothing else.
#
# - On testdata/bad_sample.cc it must exit 1 and report exactly the
#   findings marked `// LINT: <rule>` there, each on its own line number, and
#   nothing more.
# - Every rule the lint has (--list-rules) must be exercised by the bad sample,
#   so a new rule cannot be added untested.
# - On testdata/good_sample.cc (look-alikes, comments, strings) it
#   must exit 0 and report nothing.

set -euo pipefail

if [[ -n "${TEST_SRCDIR:-}" ]]; then
  root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
else
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
cd "${root}"
lint=(python3 tools/lint/determinism_lint.py)
bad=tools/lint/testdata/bad_sample.cc
good=tools/lint/testdata/good_sample.cc
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Expected "line<TAB>rule", from the markers.
awk '{ if (match($0, /\/\/ LINT: .*$/)) print NR "\t" substr($0, RSTART + 9, RLENGTH - 9) }' \
  "${bad}" | sort >"${tmp}/expected"

status=0
"${lint[@]}" "${bad}" >"${tmp}/bad.out" 2>"${tmp}/bad.err" || status=$?
if (( status != 1 )); then
  fail "lint on ${bad} exited ${status}, want 1"
  cat "${tmp}/bad.err"
fi
sed -n "s|^${bad}:\([0-9]*\): forbidden \(.*\) (.*)\$|\1\t\2|p" "${tmp}/bad.out" \
  | sort >"${tmp}/actual"
if [[ $(wc -l <"${tmp}/bad.out") -ne $(wc -l <"${tmp}/actual") ]]; then
  fail "lint printed lines not of the form 'file:line: forbidden X (reason)':"
  cat "${tmp}/bad.out"
fi
if ! diff -u "${tmp}/expected" "${tmp}/actual" >"${tmp}/diff"; then
  fail "findings on ${bad} differ from its '// LINT:' markers (- expected, + reported):"
  cat "${tmp}/diff"
fi
expected_count=$(wc -l <"${tmp}/expected")
if (( expected_count < 19 )); then
  fail "bad sample has only ${expected_count} markers; did the markers get lost?"
fi

while IFS= read -r rule; do
  if ! cut -f2 "${tmp}/expected" | grep -qxF -- "${rule}"; then
    fail "rule '${rule}' is not exercised by ${bad}"
  fi
done < <("${lint[@]}" --list-rules)

status=0
"${lint[@]}" "${good}" >"${tmp}/good.out" 2>&1 || status=$?
if (( status != 0 )) || grep -q forbidden "${tmp}/good.out"; then
  fail "lint on ${good} exited ${status}, want 0 and no findings:"
  cat "${tmp}/good.out"
fi

if (( failures )); then
  echo "${failures} problem(s)"
  exit 1
fi
echo "PASS: ${expected_count} forbidden uses reported on the right lines; good sample clean."
