#!/usr/bin/env bash
# tools/chrome_trace_test.sh — the trace of a real failing run opens in
# Perfetto: raftsim_canary runs a planted bug (vote_twice) until a seed
# fails with an election_safety violation, writes that run as Chrome
# trace-event JSON (--trace_out=FILE.json) and as a timeline, and
#   - tools/chrome_trace_check.py parses the JSON and validates its
#     structure (fields per phase, sorted timestamps, thread names,
#     nesting slices, every flow start matched by one finish, the
#     violation instant, metadata);
#   - the same seed twice gives byte-identical JSON and timeline;
#   - the timeline has the violation and aligned columns;
#   - --trace_out without .json still writes the text trace, and a
#     non-failing run's JSON validates too.
#
# Usage: chrome_trace_test.sh RAFTSIM_CANARY CHECKER_PY

set -uo pipefail
BIN="${1:?usage: chrome_trace_test.sh RAFTSIM_CANARY CHECKER_PY}"
CHECK="${2:?usage: chrome_trace_test.sh RAFTSIM_CANARY CHECKER_PY}"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The first failing seed of the canary (a handful of short runs).
seed=""
for s in $(seq 1 30); do
  "${BIN}" run --canary=vote_twice --seed="${s}" >"${tmp}/out" 2>&1
  if (( $? == 1 )) && grep -q "^checker: election_safety" "${tmp}/out"; then
    seed="${s}"
    break
  fi
done
if [[ -z "${seed}" ]]; then
  echo "FAIL: vote_twice found no election_safety violation in seeds 1..30"
  exit 1
fi
echo "vote_twice fails at seed ${seed}"

run() {  # run NAME: the failing run with JSON and timeline outputs.
  "${BIN}" run --canary=vote_twice --seed="${seed}" \
    --trace_out="${tmp}/$1.json" --timeline_out="${tmp}/$1.txt" \
    >"${tmp}/$1.out" 2>&1
  local code=$?
  (( code == 1 )) || fail "run $1 exited ${code}, want 1"
}
run a
run b

if python3 "${CHECK}" "${tmp}/a.json" --expect_violation=election_safety; then
  echo "ok: the JSON of the failing run validates"
else
  fail "the JSON of the failing run does not validate"
fi
cmp -s "${tmp}/a.json" "${tmp}/b.json" && echo "ok: JSON is deterministic" ||
  fail "two runs of seed ${seed} wrote different JSON"
cmp -s "${tmp}/a.txt" "${tmp}/b.txt" && echo "ok: timeline is deterministic" ||
  fail "two runs of seed ${seed} wrote different timelines"

# The validator fires: a flow without its finish, a slice that partially
# overlaps another, a missing thread name, a missing violation.
mutate() {  # mutate NAME PYTHON_EXPR_ON_events
  python3 - "${tmp}/a.json" "${tmp}/$1.json" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
events = doc["traceEvents"]
exec(sys.argv[3])
json.dump(doc, open(sys.argv[2], "w"))
PY
  if python3 "${CHECK}" "${tmp}/$1.json" --expect_violation=election_safety \
      >"${tmp}/$1.check"; then
    fail "the validator accepts $1"
  else
    echo "ok: the validator rejects $1: $(head -1 "${tmp}/$1.check")"
  fi
}
mutate lost_finish 'events.remove(next(e for e in events if e["ph"] == "f"))'
mutate overlap 'x = next(e for e in events if e.get("cat") == "state"); x["dur"] += 1'
mutate no_thread_name 'events.remove(next(e for e in events if e["name"] == "thread_name" and e["args"]["name"] == "n2"))'
mutate no_violation 'events.remove(next(e for e in events if e.get("cat") == "violation"))'
mutate unsorted 'x = next(e for e in events if e["ph"] == "i"); x["ts"] += 10**9'

# The timeline: a header, the violation, the end, aligned columns (the
# "who" column starts at the same offset on every line).
grep -q "VIOLATION election_safety: " "${tmp}/a.txt" ||
  fail "timeline lacks the violation"
grep -q "end: result=safety" "${tmp}/a.txt" || fail "timeline lacks the end"
head -1 "${tmp}/a.txt" | grep -q "^ *time_ms  event  who  *what$" ||
  fail "timeline header: $(head -1 "${tmp}/a.txt")"
offsets="$(awk '{ line = $0; sub(/^ *[^ ]+ +[^ ]+  /, "", line);
                  print length($0) - length(line) }' "${tmp}/a.txt" | sort -u)"
[[ "$(wc -l <<<"${offsets}")" == 1 ]] ||
  fail "timeline columns are not aligned (offsets: ${offsets//$'\n'/ })"

# Without .json, --trace_out is the text trace; --timeline prints it.
"${BIN}" run --canary=vote_twice --seed="${seed}" --trace_out="${tmp}/t.trace" \
  --timeline >"${tmp}/t.out" 2>&1
grep -q "^1 0 - phase start fault phase$" "${tmp}/t.trace" ||
  fail "--trace_out=FILE without .json is not the text trace"
grep -q "VIOLATION election_safety" "${tmp}/t.out" ||
  fail "--timeline did not print the timeline"

# A run that ends ok (no canary selected) validates too.
"${BIN}" run --seed=3 --fault_ms=200 --trace_out="${tmp}/ok.json" \
  >"${tmp}/ok.out" 2>&1 || fail "seed 3 did not end ok: $(tail -3 "${tmp}/ok.out")"
python3 "${CHECK}" "${tmp}/ok.json" || fail "the JSON of an ok run"

# A bad path is a usage error before the run.
"${BIN}" run --seed=1 --trace_out=/nonexistent/dir/x.json >/dev/null 2>"${tmp}/err"
code=$?
(( code == 2 )) && grep -q "trace_out=/nonexistent/dir/x.json" "${tmp}/err" ||
  fail "bad --trace_out path: exit ${code}, $(cat "${tmp}/err")"

if (( failures > 0 )); then
  echo "${failures} failure(s)"
  exit 1
fi
echo "PASS"
