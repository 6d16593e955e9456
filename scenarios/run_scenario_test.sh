#!/bin/bash
# scenarios/run_scenario_test.sh — runs one hand-written hazard scenario
# under a few seeds; every run must meet the file's `expect` lines (exit 0).
# The seed decides only what the file leaves open (latencies, jitter, disk
# timings, election jitter), so the expectations must hold for each.
#
# With --want_violation=CHECKER (a canary build), the file's expectations
# are ignored instead and every run must end in a safety violation found by
# CHECKER: the hazard the file sets up really is what the canary breaks.
#
# Usage: run_scenario_test.sh RAFTSIM FILE.scn [--seeds=A,B,...]
#        [--want_violation=NAME] [FLAGS...]
# (default seeds 0,1,2,3; FLAGS, e.g. --canary=NAME, go to every run.)

set -u
BIN="$1"
FILE="$2"
shift 2
want=""
SEEDS=(0 1 2 3)
if [[ "${1:-}" == --seeds=* ]]; then
  IFS=, read -r -a SEEDS <<<"${1#--seeds=}"
  shift
fi
if [[ "${1:-}" == --want_violation=* ]]; then
  want="${1#--want_violation=}"
  shift
  set -- "$@" --ignore_expectations
fi

status=0
for seed in "${SEEDS[@]}"; do
  out="$("$BIN" run --scenario="$FILE" --seed="$seed" "$@" 2>&1)"
  code=$?
  if [[ -n "$want" ]]; then
    if (( code != 1 )) || ! grep -q "^checker: $want\$" <<<"$out"; then
      echo "FAIL: $FILE --seed=$seed $* exited $code, wanted a violation of $want:"
      echo "$out" | grep -v '^option '
      status=1
    else
      echo "ok: $FILE --seed=$seed $* : $want fired"
    fi
    continue
  fi
  if (( code != 0 )); then
    echo "FAIL: $FILE --seed=$seed $* exited $code:"
    echo "$out" | grep -v '^option '
    status=1
  else
    echo "ok: $FILE --seed=$seed $* : $(echo "$out" | grep '^seed=')"
  fi
done
exit $status
