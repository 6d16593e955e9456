#!/usr/bin/env bash
# tools/sweep_gate_test.sh — the safety gate: a seed sweep of the default
# (non-canary) build, sharded by Bazel. docs/sweeps.md explains it and how
# to scale it to a million seeds on a build farm.
#
# Usage: sweep_gate_test.sh RAFTSIM [--seeds=A..B] [--fault_ms=MS] [--canary=C]
#        [--set=...] [--jobs=J]
# Later flags win, so `bazel test --test_arg=--seeds=1..1000000` widens the
# gate without touching BUILD.
#
# Bazel runs shard_count copies of this test, each with TEST_SHARD_INDEX
# (0-based) and TEST_TOTAL_SHARDS; the seed range is cut into that many
# contiguous slices and this shard sweeps its own slice with `raftsim
# sweep` (one child process per seed). Any seed that does not end ok
# (safety, liveness, a CHECK failure) fails the shard, and the shard
# prints that seed's result and its replay command. Touching
# TEST_SHARD_STATUS_FILE tells Bazel this test understands sharding.
# Without Bazel (no TEST_* variables) it sweeps the whole range.

set -uo pipefail

BIN="${1:?usage: sweep_gate_test.sh RAFTSIM [--seeds=A..B] [--fault_ms=MS]}"
shift
seeds="1..2000"
fault_ms=200
jobs=1
extra=()
for arg in "$@"; do
  case "${arg}" in
    --seeds=*) seeds="${arg#--seeds=}" ;;
    --fault_ms=*) fault_ms="${arg#--fault_ms=}" ;;
    --jobs=*) jobs="${arg#--jobs=}" ;;
    --set=*|--canary=*) extra+=("${arg}") ;;
    *) echo "sweep_gate_test: unknown argument ${arg}"; exit 2 ;;
  esac
done
if [[ ! "${seeds}" =~ ^([0-9]+)\.\.([0-9]+)$ ]]; then
  echo "sweep_gate_test: --seeds=${seeds}: expected A..B"
  exit 2
fi
first="${BASH_REMATCH[1]}"
last="${BASH_REMATCH[2]}"

shards="${TEST_TOTAL_SHARDS:-1}"
index="${TEST_SHARD_INDEX:-0}"
[[ -n "${TEST_SHARD_STATUS_FILE:-}" ]] && touch "${TEST_SHARD_STATUS_FILE}"

# This shard's slice: seeds first+lo .. first+hi-1 with lo = total*i/n.
total=$((last - first + 1))
lo=$((first + total * index / shards))
hi=$((first + total * (index + 1) / shards - 1))
if (( hi < lo )); then
  echo "shard ${index}/${shards}: no seeds (range ${seeds} is smaller)"
  exit 0
fi
echo "shard ${index}/${shards}: seeds ${lo}..${hi} of ${seeds}," \
  "--fault_ms=${fault_ms} ${extra[*]:-}"

out="$("${BIN}" sweep --seeds="${lo}..${hi}" --jobs="${jobs}" \
  --fault_ms="${fault_ms}" "${extra[@]}" 2>/dev/null)"
code=$?
summary="$(grep '^sweep seeds=' <<<"${out}")"
echo "${summary}"
if (( code != 0 )) || ! grep -q " 0 failed, worst exit 0;" <<<"${summary}"; then
  echo
  echo "FAIL: the gate found failing seeds (exit ${code}). Each one, with"
  echo "the command that replays it bit for bit:"
  grep -E '^(seed=|detail: |checker: |replay: )' <<<"${out}" | sed 's/^/  /'
  exit 1
fi
echo "PASS"
