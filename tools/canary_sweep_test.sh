#!/bin/bash
# tools/canary_sweep_test.sh — proves every checker can fail: for each
# canary bug (raft/canary.h), raftsim_canary finds a safety violation within
# seeds 1..500, classified by the checker that should catch it; and with no
# canary selected a sweep of the canary build stays clean.
#
# For each canary the test runs seeds 1, 2, ... until the first one whose
# run ends with result=safety (exit 1), and asserts that this seed is at
# most MAX_SEED and that the reported checker is the expected one. Seeds
# that end ok (0) or in a liveness failure (3: some canaries wedge the
# cluster) are skipped; a CHECK failure inside the core (4) is reported and
# skipped (the checkers never saw it). The first failing seeds are recorded
# in docs/verification.md; the search costs about that many short runs.
#
# Sharded by canary (shard_count in tools/BUILD.bazel).
#
# Usage: canary_sweep_test.sh RAFTSIM_CANARY_BINARY

set -u
BIN="$1"
MAX_SEED=500
CLEAN_SEEDS=40

# canary  expected checker  extra flags (fault/workload features it needs;
# docs/verification.md says why):
#   forget_vote_on_restart: a voter must crash and restart within the term
#     it voted in and then meet a second candidate of that term: frequent,
#     short crashes, and no PreVote (which suppresses such candidacies).
#   stale_leader_read: a client must keep reading from a deposed leader
#     while others write through the new one: leader isolation only, no
#     CheckQuorum (a leader that steps down serves nothing), ReadIndex
#     reads, a read-heavy workload on one key.
TABLE=(
  "vote_twice election_safety"
  "vote_without_log_check leader_completeness"
  "commit_previous_term leader_completeness"
  "truncate_on_match durability"
  "skip_prev_check log_matching"
  "ack_before_durable durability"
  "apply_uncommitted committed_stays_committed"
  "match_beyond_ack committed_stays_committed"
  "forget_vote_on_restart election_safety --set=crashes=1,crash_ms_max=20,fault_gap_ms_max=30,pre_vote=0"
  "stale_leader_read linearizability --set=partition_isolate=1,partition_split=0,partition_asymmetric=0,partition_bridge=0,partition_links=0,read_through_log=0,check_quorum=0,get_weight=10,put_weight=1,append_weight=1,cas_weight=0,keys=1"
  "lose_unsynced_acked durability"
)

shards="${TEST_TOTAL_SHARDS:-1}"
shard="${TEST_SHARD_INDEX:-0}"
[[ -n "${TEST_SHARD_STATUS_FILE:-}" ]] && touch "$TEST_SHARD_STATUS_FILE"

failures=0
i=0
for row in "${TABLE[@]}"; do
  if (( i++ % shards != shard )); then continue; fi
  read -r canary expected flags <<<"$row"
  found=""
  for (( seed = 1; seed <= MAX_SEED; seed++ )); do
    out="$("$BIN" run --canary="$canary" --seed="$seed" $flags 2>&1)"
    code=$?
    if (( code == 4 )); then
      echo "note: $canary seed $seed: CHECK failure inside the core, skipped"
    fi
    if (( code == 1 )); then
      found="$seed"
      break
    fi
    if (( code != 0 && code != 3 && code != 4 )); then
      echo "FAIL: $canary seed $seed: unexpected exit $code"
      echo "$out" | tail -5
      failures=$((failures + 1))
      continue 2
    fi
  done
  if [[ -z "$found" ]]; then
    echo "FAIL: $canary: no safety violation in seeds 1..$MAX_SEED"
    failures=$((failures + 1))
    continue
  fi
  checker="$(echo "$out" | sed -n 's/^checker: \([a-z_]*\) .*/\1/p')"
  sim="$(echo "$out" | sed -n 's/^checker: .* sim_us=\([0-9]*\)$/\1/p')"
  if [[ "$checker" != "$expected" ]]; then
    echo "FAIL: $canary seed $found: caught by '$checker', expected '$expected'"
    echo "$out" | grep -E '^(detail|replay):'
    failures=$((failures + 1))
    continue
  fi
  echo "ok: $canary first caught at seed $found by $checker (sim_us=$sim)"
done

# No canary: the canary build behaves like production.
if (( shard == 0 )); then
  out="$("$BIN" sweep --canary=none --seeds=1..$CLEAN_SEEDS --jobs=1 2>&1)"
  if (( $? != 0 )); then
    echo "FAIL: clean sweep with no canary:"
    echo "$out" | tail -20
    failures=$((failures + 1))
  else
    echo "ok: clean sweep of seeds 1..$CLEAN_SEEDS with no canary"
  fi
fi

exit $(( failures > 0 ))
