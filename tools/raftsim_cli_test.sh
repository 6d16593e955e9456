#!/usr/bin/env bash
# tools/raftsim_cli_test.sh — checks the raftsim command line's dispatch:
# a missing or unknown subcommand is a usage error (exit 2, usage on stderr),
# every subcommand in the table is listed in the usage, and each one is
# dispatched to its own body. run, replay, sweep and explore drive the
# simulator (short runs here); explore is deterministic whatever --jobs and
# its failures replay; shrink without --out is a usage error (exit 2);
# check-history without its FILE is a usage error; check-history reads
# Jepsen EDN histories (exit 0 / 1 / 2). Bad flags and seed ranges are usage errors (exit 2) with
# a message naming the flag and the value. --help, `help SUBCOMMAND` and
# `SUBCOMMAND --help` print every flag with its default and exit 0;
# --version prints the version and the build; a misspelt subcommand or flag
# gets the closest valid name suggested (exit 2).

set -uo pipefail

raftsim="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-}/tools/cli/raftsim"
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
for subcommand in run sweep explore replay shrink check-history; do
  expect 2 "  ${subcommand} " frobnicate  # Listed in the usage.
done
expect 2 "raftsim shrink: --out=FILE.scn is required" shrink
expect 2 "raftsim check-history: expected exactly one FILE argument" check-history

# expect_out EXIT_CODE STDOUT_REGEX ARGS...
expect_out() {
  local want_code="$1" want_re="$2"
  shift 2
  local code=0
  "${raftsim}" "$@" >"${tmp}/out" 2>"${tmp}/err" </dev/null || code=$?
  if (( code != want_code )); then
    fail "raftsim $* exited ${code}, want ${want_code}"
    sed 's/^/    out: /' "${tmp}/out" | tail -5
  elif ! grep -qE -- "${want_re}" "${tmp}/out"; then
    fail "raftsim $*: stdout lacks /${want_re}/"
    sed 's/^/    out: /' "${tmp}/out" | tail -5
  else
    echo "ok: raftsim $* -> exit ${code}, /${want_re}/"
  fi
}

short=(--fault_ms=200 --heal_ms=2000)
result_re='^seed=7 result=ok events=[0-9]+ sim_ms=[0-9]+ trace_hash=[0-9a-f]{16}$'
expect_out 0 "${result_re}" run --seed=7 "${short[@]}"
expect_out 0 '^option nodes=4$' run --seed=7 "${short[@]}" --nodes=4
expect_out 0 '^option loss_ppm=0$' run --seed=7 "${short[@]}" --set=loss_ppm=0
expect_out 0 ' send ' replay --seed=7 "${short[@]}"
expect_out 0 'sweep seeds=1..6 jobs=2: 6 run, 0 failed' \
  sweep --seeds=1..6 --jobs=2 "${short[@]}"

# A verdict for every seed: a run out of events is a hang (exit 6) with its
# replay command; a sweep whose seeds outlive their wall-clock limit kills
# them, reports each as a hang and still finishes the range.
expect_out 6 '^seed=7 result=hang ' run --seed=7 "${short[@]}" --set=max_events=500
expect_out 6 '^replay: .*--set=max_events=500' run --seed=7 "${short[@]}" --set=max_events=500
expect_out 6 'sweep seeds=1..4 jobs=2: 4 run, 4 failed, worst exit 6' \
  sweep --seeds=1..4 --jobs=2 --seed_timeout_ms=1
expect_out 6 '^seed=3 result=hang ' sweep --seeds=1..4 --jobs=2 --seed_timeout_ms=1
expect 2 "--seed_timeout_ms=-1" sweep --seed_timeout_ms=-1
# --fail_fast: with one job, the first hang is the last seed started.
expect_out 6 'sweep seeds=1..20 jobs=1: 1 run, 1 failed, worst exit 6' \
  sweep --seeds=1..20 --jobs=1 --seed_timeout_ms=1 --fail_fast
expect_out 6 '^fail_fast: stopped at the first failure; 1 of 20 seeds run' \
  sweep --seeds=1..20 --jobs=1 --seed_timeout_ms=1 --fail_fast

# explore: a guided search whose runs depend on --explorer_seed and the
# budget only, not on --jobs; its failures print replay commands that
# reproduce them (here every run hangs: max_events=500 is pinned).
expect_out 0 'explore explorer_seed=1 guided budget=12: 12 run, 0 failed, no failure' \
  explore --budget=12 --jobs=2 "${short[@]}"
expect_out 0 'explore explorer_seed=3 random budget=4: 4 run, 0 failed' \
  explore --budget=4 --guided=off --explorer_seed=3 "${short[@]}"
for j in 1 2; do
  "${raftsim}" explore --budget=24 --jobs=$j --keep_going --set=max_events=500 \
    "${short[@]}" 2>/dev/null | sed 's/; [0-9.]* s, [0-9]* events\/s$//' >"${tmp}/explore$j"
done
if cmp -s "${tmp}/explore1" "${tmp}/explore2" &&
   grep -q 'explore explorer_seed=1 guided budget=24: 24 run, 24 failed, first failure at run 1; worst exit 6' "${tmp}/explore1"; then
  echo "ok: explore --jobs=1 and --jobs=2 make the same 24 runs"
else
  echo "FAIL: explore differs between --jobs=1 and --jobs=2"; failures=$((failures + 1))
  diff "${tmp}/explore1" "${tmp}/explore2" | head -10
fi
# The last failure (a mutant, with --set overrides) replays to the same line.
replay=$(grep '^replay: ' "${tmp}/explore1" | tail -1 | sed 's/^replay: .* -- replay //')
want=$(grep '^seed=' "${tmp}/explore1" | tail -1)
# shellcheck disable=SC2086
got=$("${raftsim}" run ${replay} 2>/dev/null | grep '^seed=')
if [[ -n "${want}" && "${got}" == "${want}" && "${replay}" == *--set=* ]]; then
  echo "ok: explore's failure replays: ${got}"
else
  echo "FAIL: explore replay '${replay}' gave '${got}', want '${want}'"
  failures=$((failures + 1))
fi
expect 2 "--budget=0: must be at least 1" explore --budget=0
expect 2 "--guided=maybe: expected on or off" explore --guided=maybe
expect 2 "unknown option 'bogus'" explore --set=bogus=1

# The same seed twice, in two processes: the same result line.
"${raftsim}" run --seed=11 "${short[@]}" | grep '^seed=' >"${tmp}/a"
"${raftsim}" run --seed=11 "${short[@]}" | grep '^seed=' >"${tmp}/b"
if cmp -s "${tmp}/a" "${tmp}/b" && [[ -s "${tmp}/a" ]]; then
  echo "ok: seed 11 twice -> $(cat "${tmp}/a")"
else
  echo "FAIL: seed 11 differs between processes"; failures=$((failures + 1))
fi

# Files: the trace and the history.
expect_out 0 "${result_re}" run --seed=7 "${short[@]}" \
  --trace_out="${tmp}/trace.txt" --history_out="${tmp}/history.jsonl"
if grep -q '^1 0 - phase start fault phase$' "${tmp}/trace.txt" &&
   grep -q '"kind":"put"' "${tmp}/history.jsonl"; then
  echo "ok: trace and history files written"
else
  echo "FAIL: trace or history file"; failures=$((failures + 1))
fi

# Usage and input errors: exit 2, naming the flag and the value.
expect 2 "unknown flag '--frob=1'" run --frob=1
expect 2 "invalid value 'abc' for flag --seed" run --seed=abc
expect 2 "invalid value '-3' for flag --seed" run --seed=-3
expect 2 "--seeds=5..3: the range is empty (5 > 3)" sweep --seeds=5..3
expect 2 "--seeds=abc: expected A..B" sweep --seeds=abc
expect 2 "--jobs=-1" sweep --jobs=-1
expect 2 "--nodes=12: option nodes=12 is out of range" run --nodes=12
expect 2 "unknown option 'bogus'" run --set=bogus=1
expect 2 "expected name=integer, found 'loss_ppm'" run --set=loss_ppm
expect 2 "flag --seed is missing its value" run --seed

# check-history on Jepsen EDN histories: by extension or --format=edn;
# linearizable exits 0, a stale read 1, a malformed file 2 with
# FILE:LINE:COL; a bad --format is a usage error.
jepsen="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-}/checkers/linearizability/testdata"
[[ -d "${jepsen}" ]] || jepsen="$(dirname "$0")/../checkers/linearizability/testdata"
expect_out 0 '^linearizable$' check-history "${jepsen}/jepsen_cas_ok.edn"
expect_out 1 '^NOT linearizable: on key "0",' \
  check-history "${jepsen}/jepsen_stale_read.edn"
expect_out 1 '^  client 1 \[40, 50\] get\("0"\) -> "1"$' \
  check-history "${jepsen}/jepsen_stale_read.edn"
expect 2 "jepsen_malformed.edn:3:33: expected a :cas value to be [old new], found an integer 3" \
  check-history "${jepsen}/jepsen_malformed.edn"
cp "${jepsen}/jepsen_cas_ok.edn" "${tmp}/jepsen.txt"
expect_out 0 '^linearizable$' check-history --format=edn "${tmp}/jepsen.txt"
expect 2 "jepsen.txt:1:2: expected '\"'" check-history --format=jsonl "${tmp}/jepsen.txt"
expect 2 "jepsen.txt:1:2: expected '\"'" check-history "${tmp}/jepsen.txt"
expect 2 "raftsim check-history: --format=xml: expected edn, jsonl or auto" \
  check-history --format=xml "${tmp}/jepsen.txt"

# Scenario files: a bad file gets file:line:col, spare hosts that leave no
# initial cluster the file's name, a missing file its name; all exit 2.
printf 'nodes 3\nat 1ms crash 7\n' >"${tmp}/bad.scn"
expect 2 "bad.scn:2:14: expected a node id in 1..3" run --scenario="${tmp}/bad.scn"
printf 'nodes 3\noption spare_hosts=3\nat 2ms add-voter 2\n' >"${tmp}/member.scn"
expect 2 "member.scn: option spare_hosts=3 leaves no node" \
  run --scenario="${tmp}/member.scn"
expect 2 "nope.scn" run --scenario="${tmp}/nope.scn"
# A scenario whose expectation does not hold on an ok run: exit 5.
printf 'nodes 3\nat 0ms campaign 1\nend 10ms\nexpect violation election_safety\n' \
  >"${tmp}/want.scn"
code=0
"${raftsim}" run --scenario="${tmp}/want.scn" >"${tmp}/out" 2>"${tmp}/err" || code=$?
if (( code == 5 )) && grep -q "expect violation election_safety: FAILED" "${tmp}/out"; then
  echo "ok: an unmet expectation on an ok run exits 5"
else
  echo "FAIL: unmet expectation: exit ${code}"; cat "${tmp}/out"; failures=$((failures + 1))
fi

# Help and version: exit 0 on stdout. Every subcommand's help lists every
# flag of its table with its default; `help X` and `X --help` agree.
expect_out 0 '^Usage: raftsim <subcommand>' --help
expect_out 0 '^  check-history ' help
expect_out 0 '^raftsim [0-9]+\.[0-9]+\.[0-9]+$' --version
expect_out 0 '^build: (opt|dbg|fastbuild), production core' --version
for subcommand in run sweep explore replay shrink check-history help; do
  expect_out 0 "^Usage: raftsim ${subcommand}" help "${subcommand}"
  "${raftsim}" help "${subcommand}" >"${tmp}/help1" 2>&1
  "${raftsim}" "${subcommand}" --help >"${tmp}/help2" 2>&1
  if cmp -s "${tmp}/help1" "${tmp}/help2"; then
    echo "ok: help ${subcommand} == ${subcommand} --help"
  else
    echo "FAIL: help ${subcommand} differs from ${subcommand} --help"
    failures=$((failures + 1))
  fi
done
# flag_default SUBCOMMAND FLAG DEFAULT: the help of SUBCOMMAND lists
# --FLAG and, before the next flag, "default: DEFAULT".
flag_default() {
  local got
  got="$("${raftsim}" help "$1" | awk -v f="  --$2" '
    index($0, f "=") == 1 || $0 == f || index($0, f " ") == 1 { on = 1; next }
    on && /^  --/ { exit }
    on && /default: / { sub(/^ *default: /, ""); print; exit }')"
  if [[ "${got}" == "$3" ]]; then
    echo "ok: help $1: --$2 default: $3"
  else
    echo "FAIL: help $1: --$2 default '${got}', want '$3'"
    failures=$((failures + 1))
  fi
}
flag_default sweep seeds 1..1000
flag_default sweep jobs 0
flag_default sweep seed_timeout_ms 120000
flag_default sweep fail_fast false
flag_default sweep coverage auto
flag_default sweep nodes 0
flag_default sweep checkers on
flag_default run seed 1
flag_default run scenario '""'
flag_default shrink max_runs 400
flag_default check-history format auto
flag_default explore budget 1000
flag_default explore guided on
expect_out 0 '^  --budget=N ' explore --help
# Every flag the help of run lists is accepted by run (one table).
for flag in $("${raftsim}" help run | sed -n 's/^  --\([a-z_]*\).*/\1/p'); do
  if "${raftsim}" help run | grep -q "^  --${flag}="; then continue; fi
  "${raftsim}" run --seed=7 "${short[@]}" "--${flag}" --set=max_events=1 \
    >/dev/null 2>"${tmp}/err"
  if grep -q "unknown flag\|does not apply" "${tmp}/err"; then
    fail "run rejects its own switch --${flag}"
  fi
done
# Suggestions: the closest subcommand or flag, exit 2.
expect 2 "unknown subcommand 'sweeep' (did you mean sweep?)" sweeep
expect 2 "unknown flag '--sed=3' (did you mean --seed?)" run --sed=3
expect 2 "unknown flag '--seds=1..3' (did you mean --seeds?)" sweep --seds=1..3
expect 2 "help: unknown subcommand 'replya' (did you mean replay?)" help replya
expect 2 "flag --seed does not apply to sweep" sweep --seed=3
expect 2 "run takes no arguments, found 'extra'" run extra
expect 2 "--checkers=maybe: expected on or off" run --checkers=maybe

if (( failures )); then
  echo "${failures} problem(s)"
  exit 1
fi
echo "PASS"
