#!/usr/bin/env bash
# sim/sweep_test.sh — a sweep of 200 short seeds runs clean: every seed ok,
# exit 0, and the summary reports the count. Run by //tools:raftsim_sweep_test
# (the binary lives in tools/). Seeds are short (--fault_ms=300) to keep the
# test within CI's budget; the default-length sweep is the README command.

set -uo pipefail

raftsim="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-}/tools/cli/raftsim"
[[ -x "${raftsim}" ]] || raftsim="${1:?usage: sweep_test.sh PATH_TO_RAFTSIM}"

out="$("${raftsim}" sweep --seeds=1..200 --jobs=2 --fault_ms=300 2>/dev/null)"
code=$?
echo "${out}"
if (( code != 0 )); then
  echo "FAIL: sweep exited ${code}"
  exit 1
fi
if ! grep -q "^sweep seeds=1..200 jobs=2: 200 run, 0 failed, worst exit 0;" <<<"${out}"; then
  echo "FAIL: summary line missing or not clean"
  exit 1
fi
echo "PASS"
