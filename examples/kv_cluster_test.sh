#!/usr/bin/env bash
# examples/kv_cluster_test.sh — runs the kv_cluster example (plain and with
# --trace) and checks its narrative: a leader, puts, a linearizable read, the
# leader killed, a new leader, more puts and reads, agreeing replicas, exit 0.

set -euo pipefail

bin="${1:?usage: kv_cluster_test.sh path/to/kv_cluster}"
out="${TEST_TMPDIR:-/tmp}/kv_cluster.out"

expect() {
  if ! grep -qE -- "$1" "${out}"; then
    echo "FAIL: expected a line matching: $1" >&2
    echo "---- output ----" >&2
    cat "${out}" >&2
    exit 1
  fi
}

check_story() {
  expect 'leader elected: n[123] \(term t[0-9]+\)'
  expect '^put x=1 -> ok$'
  expect '^put y=2 -> ok$'
  expect '^read x -> 1$'
  expect 'killing leader n[123] \(Stop \+ delete\)'
  expect 'new leader: n[123] \(term t[0-9]+\)'
  expect '^put x=3 -> ok$'
  expect '^read x -> 3$'
  expect '^read y -> 2$'
  expect '^replicas agree: 3 keys on 2 live servers$'
  expect 'apply_batches=[1-9]'
  expect 'done$'
}

echo "== kv_cluster"
start=$(date +%s)
"${bin}" >"${out}" 2>&1 || { echo "FAIL: exit $?" >&2; cat "${out}" >&2; exit 1; }
check_story
elapsed=$(( $(date +%s) - start ))
if (( elapsed > 5 )); then
  echo "FAIL: took ${elapsed}s (budget 5s)" >&2
  exit 1
fi
# The new leader is not the old one.
old=$(sed -nE 's/.*killing leader (n[0-9]+).*/\1/p' "${out}")
new=$(sed -nE 's/.*new leader: (n[0-9]+).*/\1/p' "${out}")
if [[ "${old}" == "${new}" ]]; then
  echo "FAIL: new leader ${new} is the killed one" >&2
  exit 1
fi

echo "== kv_cluster --trace --delay_us=0"
"${bin}" --trace --delay_us=0 >"${out}" 2>&1 || { echo "FAIL: exit $?" >&2; tail -50 "${out}" >&2; exit 1; }
check_story
expect 'trace +[0-9.]+ms n[123] send Vote'
expect 'trace +[0-9.]+ms n[123] recv Append'
expect 'trace +[0-9.]+ms n[123] apply i[0-9]+\.\.i[0-9]+'
expect 'trace +[0-9.]+ms n[123] state leader'

echo "== bad flag"
if "${bin}" --bogus >"${out}" 2>&1; then
  echo "FAIL: --bogus accepted" >&2
  exit 1
fi
expect 'unknown flag'

echo "PASS"
