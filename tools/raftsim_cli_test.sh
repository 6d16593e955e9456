#!/usr/bin/env bash
# tools/raftsim_cli_test.sh — checks the raftsim command line's dispatch:
# a missing or unknown subcommand is a usage error (exit 2, usage on stderr),
# every subcommand in the table is listed in the usage, and each one is
# dispatched to its own body. Until the simulator lands, each body says so
# and exits 2; update the last check as the real bodies land.

set -uo pipefail

raftsim="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-}/tools/raftsim"
[[ -x "${raftsim}" ]] || raftsim="${1:?usage: raftsim_cli_test.sh PATH_TO_RAFTSIM}"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0

fail() {
  echo "FAIL: $*"
  sed 's/^/    /' "${tmp}/err"
  failures=$((failures + 1))
}

# expect EXIT_CODE STDERR_SUBSTRING ARGS...
expect() {
  local want_code="$1" want_text="$2"
  shift 2
  local code=0
  "${raftsim}" "$@" >"${tmp}/out" 2>"${tmp}/err" </dev/null || code=$?
  if (( code != want_code )); then
    fail "raftsim $* exited ${code}, want ${want_code}"
  elif ! grep -qF -- "${want_text}" "${tmp}/err"; then
    fail "raftsim $*: stderr lacks '${want_text}'"
  else
    echo "ok: raftsim $* -> exit ${code}, '${want_text}'"
  fi
}

expect 2 "no subcommand given"
expect 2 "unknown subcommand 'frobnicate'" frobnicate
expect 2 "Usage: raftsim <subcommand>" frobnicate
for subcommand in run sweep replay shrink check-history; do
  expect 2 "  ${subcommand} " frobnicate  # Listed in the usage.
  expect 2 "raftsim ${subcommand}: not available yet" "${subcommand}"
done

if (( failures )); then
  echo "${failures} problem(s)"
  exit 1
fi
echo "PASS"
