#!/bin/bash
# scenarios/regression_test.sh — every scenario in scenarios/regression/
# (the shrunk scenario of every bug ever found) still shows its bug and
# stays fixed:
#   - under the canary binary with the canary its header names
#     ("# seed: N  canary: NAME ..."), the file's expectations hold (the
#     violation it expects fires): exit 0;
#   - under the production binary the same schedule runs clean
#     (--ignore_expectations: exit 0 means result=ok).
# A file whose header names no canary (a real bug, fixed) only gets the
# production run, with its expectations ignored likewise.
#
# Usage: regression_test.sh RAFTSIM RAFTSIM_CANARY FILE.scn...

set -u
BIN="$1"
CANARY_BIN="$2"
shift 2

status=0
for file in "$@"; do
  canary="$(sed -n 's/^# seed: [0-9]*  canary: \([a-z_0-9]*\).*/\1/p' "$file" | head -1)"
  if [[ -n "$canary" && "$canary" != "none" ]]; then
    out="$("$CANARY_BIN" run --canary="$canary" --scenario="$file" 2>&1)"
    code=$?
    if (( code != 0 )); then
      echo "FAIL: $file under --canary=$canary exited $code (expected the violation):"
      echo "$out" | grep -v '^option '
      status=1
    else
      echo "ok: $file catches $canary: $(echo "$out" | grep '^checker:')"
    fi
  fi
  out="$("$BIN" run --scenario="$file" --ignore_expectations 2>&1)"
  code=$?
  if (( code != 0 )); then
    echo "FAIL: $file under the production core exited $code (expected ok):"
    echo "$out" | grep -v '^option '
    status=1
  else
    echo "ok: $file is clean in production: $(echo "$out" | grep '^seed=')"
  fi
done
exit $status
