#!/usr/bin/env bash
# tools/format/format_selftest.sh — the format check can fail: it rejects a
# misformatted sample (naming the file), accepts a formatted one, and exits
# 2 on a bad flag.
#
#   format_selftest.sh CHECK_SCRIPT CLANG_FORMAT_CONFIG BAD_SAMPLE GOOD_SAMPLE

set -uo pipefail
check="$1" style="$2" bad="$3" good="$4"
fail() { echo "FAIL: $*" >&2; exit 1; }

out="$("${check}" --style="${style}" "${bad}" 2>&1)"
status=$?
(( status == 1 )) || fail "misformatted sample: exit ${status}, want 1: ${out}"
grep -q "not formatted: ${bad}" <<<"${out}" || fail "no file named: ${out}"
grep -q "1 of 1 C++ files are not clang-formatted" <<<"${out}" ||
  fail "no summary: ${out}"

out="$("${check}" --style="${style}" "${good}" 2>&1)"
status=$?
(( status == 0 )) || fail "formatted sample: exit ${status}, want 0: ${out}"

"${check}" --bogus >/dev/null 2>&1
status=$?
(( status == 2 )) || fail "unknown flag: exit ${status}, want 2"
echo "PASS"
