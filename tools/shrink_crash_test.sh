#!/usr/bin/env bash
# tools/shrink_crash_test.sh — a run that ends in a CHECK failure inside a
# node (exit 4) is shrunk like any other failure: the recording child
# reports the schedule so far, the candidates' CHECK failures classify as
# "crash", and the written scenario still ends in that CHECK.
#
# The crash: the truncate_on_match canary, seed 690 without busy event
# loops (--set=post_us_max=0: the seed as drawn before that option
# existed), where a follower's write would overwrite its snapshot
# (raft/memory_storage.cc's CHECK).
#
# Usage: shrink_crash_test.sh RAFTSIM_CANARY_BINARY

set -uo pipefail
bin="$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
seed=690
set="--set=post_us_max=0"
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

out="$("${bin}" run --canary=truncate_on_match --seed=${seed} "${set}" 2>&1)"
code=$?
(( code == 4 )) || fail "seed ${seed} should end in a CHECK failure (exit 4), got ${code}"

out="$(timeout 300 "${bin}" shrink --canary=truncate_on_match --seed=${seed} "${set}" \
  --max_runs=40 --out="${tmp}/crash.scn" 2>&1)"
code=$?
echo "${out}" | tail -4
(( code == 0 )) || fail "shrink exited ${code}"
grep -q "^shrink: seed ${seed} fails: crash; recorded [0-9]* actions" <<<"${out}" ||
  fail "shrink did not record the crashing run"
grep -q "^# seed: ${seed}  canary: truncate_on_match  failure: crash" \
  "${tmp}/crash.scn" || fail "the scenario header does not name the crash"

out="$(timeout 60 "${bin}" run --canary=truncate_on_match \
  --scenario="${tmp}/crash.scn" 2>&1)"
code=$?
(( code == 4 )) || fail "the shrunk scenario should end in the CHECK (exit 4), got ${code}"
grep -q "result=crash .*write would overwrite the snapshot" <<<"${out}" ||
  fail "the shrunk scenario ends in another failure: ${out}"

if (( failures )); then exit 1; fi
echo PASS
