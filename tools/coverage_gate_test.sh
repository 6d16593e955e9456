#!/usr/bin/env bash
# tools/coverage_gate_test.sh — the safety gate's seeds reach every
# catalogued situation (docs/sweeps.md "Coverage"): `raftsim sweep` over
# the gate's range and fault phase, with the checkers off (coverage is a
# function of the seed alone; the checkers only watch), must end its
# coverage table with "not reached: none". On failure it prints the
# situations no seed reached and the rarest ones, so that whoever widened
# or narrowed the swarm sees what they lost.
#
# Usage: coverage_gate_test.sh RAFTSIM [--seeds=A..B] [--fault_ms=MS]
#        [--jobs=J]

set -uo pipefail

BIN="${1:?usage: coverage_gate_test.sh RAFTSIM [--seeds=A..B] [--fault_ms=MS]}"
shift
seeds="1..2000"
fault_ms=200
jobs=2
for arg in "$@"; do
  case "${arg}" in
    --seeds=*) seeds="${arg#--seeds=}" ;;
    --fault_ms=*) fault_ms="${arg#--fault_ms=}" ;;
    --jobs=*) jobs="${arg#--jobs=}" ;;
    *) echo "coverage_gate_test: unknown argument ${arg}"; exit 2 ;;
  esac
done

out="$("${BIN}" sweep --seeds="${seeds}" --fault_ms="${fault_ms}" \
  --jobs="${jobs}" --checkers=off --coverage=on 2>/dev/null)"
code=$?
verdict="$(grep '^coverage: ' <<<"${out}")"
echo "${verdict}"
grep '^sweep seeds=' <<<"${out}"
if (( code != 0 )) || [[ -z "${verdict}" ]]; then
  echo "FAIL: raftsim sweep exited ${code} or printed no coverage verdict"
  exit 1
fi
if ! grep -q 'not reached: none$' <<<"${verdict}"; then
  echo "FAIL: the gate's seeds do not reach every catalogued situation."
  echo "The rarest situations (seeds reaching, times, layer, name):"
  awk '/^coverage over/ { on = 1; next } on && NF == 4 { print }' \
    <<<"${out}" | sort -n | head -12 | sed 's/^/  /'
  exit 1
fi
# The table has one row per situation, at least forty of them.
rows="$(awk '/^coverage over/ { on = 1; next } on && NF == 4 { n++ }
  END { print n + 0 }' <<<"${out}")"
if (( rows < 40 )); then
  echo "FAIL: the coverage table has ${rows} rows, expected at least 40"
  exit 1
fi
echo "PASS: ${rows} situations, every one reached"
