#!/bin/bash
# tools/canary_sweep_test.sh — proves every checker can fail: for each
# canary bug in the table below (raft/canary.h), raftsim_canary finds a
# safety violation within seeds 1..1000 of the default swarm — no option
# set per canary — classified by the checker that should catch it (or, for
# the stability checker, the liveness failure it reports); and
# with no canary selected a sweep of the canary build stays clean.
#
# For each canary the test sweeps seeds 1..10, 11..30, 31..70, ... until one
# ends with result=safety (exit 1), asserts that the first such seed is at
# most MAX_SEED, and runs it alone to check that the reported checker is
# the expected one. Seeds that end ok, in a liveness failure or a hang
# (some canaries wedge the cluster) are skipped; CHECK failures inside the
# core are reported and skipped (the checkers never saw them). The first
# failing seeds are recorded in docs/verification.md.
#
# Sharded by canary (shard_count in tools/BUILD.bazel).
#
# Usage: canary_sweep_test.sh RAFTSIM_CANARY_BINARY

set -u
BIN="$1"
MAX_SEED=1000
CLEAN_SEEDS=40

# canary  expected checker(s). No canary gets options of its own: each is
# caught by the default swarm (docs/verification.md lists the first seeds).
TABLE=(
  "vote_twice election_safety|durability"
  "vote_without_log_check leader_completeness"
  "commit_previous_term leader_completeness"
  "truncate_on_match durability|match_index|leader_completeness|committed_stays_committed"
  "skip_prev_check log_matching"
  "ack_before_durable durability"
  "apply_uncommitted durability|committed_stays_committed"
  "match_beyond_ack match_index|match_from_acks|committed_stays_committed"
  "forget_vote_on_restart election_safety"
  "stale_leader_read read_leadership|lease_promise|linearizability"
  "lose_unsynced_acked durability"
  "heartbeat_full_commit state_machine_safety|committed_stays_committed|log_matching"
  "read_before_apply linearizability"
  "heartbeat_keeps_timer stability"
  "persist_ignores_term durability|log_matching"
  "reply_ignores_term durability|linearizability"
  "lease_outlives_timeout lease_promise|read_leadership|linearizability"
  "lease_from_arrival lease_promise|read_leadership|linearizability"
  "lease_forgets_restart lease_promise|read_leadership|linearizability"
  "accept_stale_ack match_from_acks|match_index|committed_stays_committed"
  "drop_held_messages server_contract"
  "learner_counts_for_commit committed_stays_committed|durability|state_machine_safety|linearizability"
  "joint_counts_new_half committed_stays_committed|durability|state_machine_safety|linearizability"
  "auto_leave_by_enterer_only stuck_joint"
)

# Liveness verdicts a canary is expected to cause, by the detail line that
# names the cause: the stability checker (the live cluster lost its
# leader), and a cluster left in a joint configuration after the heal.
liveness_detail() {
  case "$1" in
    stability) echo '^detail: the live cluster lost its leader' ;;
    stuck_joint) echo '^detail: not live .* is in a joint configuration' ;;
  esac
}

shards="${TEST_TOTAL_SHARDS:-1}"
shard="${TEST_SHARD_INDEX:-0}"
[[ -n "${TEST_SHARD_STATUS_FILE:-}" ]] && touch "$TEST_SHARD_STATUS_FILE"

failures=0
i=0
for row in "${TABLE[@]}"; do
  if (( i++ % shards != shard )); then continue; fi
  read -r canary expected <<<"$row"
  found=""
  # Sweeps of 10, 20, 40, ... seeds (one process each, in seed order) until
  # one ends with result=safety; then that seed is run alone for its
  # checker line.
  chunk=10
  for (( lo = 1; lo <= MAX_SEED; lo += chunk, chunk *= 2 )); do
    [[ -n "$found" ]] && break
    hi=$(( lo + chunk - 1 > MAX_SEED ? MAX_SEED : lo + chunk - 1 ))
    sweep="$("$BIN" sweep --canary="$canary" --seeds="$lo..$hi" --jobs=1 \
      --seed_timeout_ms=60000 2>&1)"
    crashes="$(grep -c 'result=crash' <<<"$sweep")"
    (( crashes > 0 )) &&
      echo "note: $canary seeds $lo..$hi: $crashes CHECK failures inside the core, skipped"
    hangs="$(grep -c 'result=hang' <<<"$sweep")"
    (( hangs > 0 )) &&
      echo "note: $canary seeds $lo..$hi: $hangs seeds hung (the canary livelocks), skipped"
    found="$(sed -n 's/^seed=\([0-9]*\) result=safety .*/\1/p' <<<"$sweep" |
      head -1)"
    # The stability checker reports result=liveness (exit 3): the cluster
    # was live, then lost its leader with no fault left.
    pattern="$(liveness_detail "$expected")"
    if [[ -z "$found" && -n "$pattern" ]]; then
      found="$(grep -B0 -A1 '^seed=[0-9]* result=liveness ' <<<"$sweep" |
        grep -B1 "$pattern" |
        sed -n 's/^seed=\([0-9]*\) result=liveness .*/\1/p' | head -1)"
    fi
  done
  if [[ -z "$found" ]]; then
    echo "FAIL: $canary: no safety violation in seeds 1..$MAX_SEED"
    failures=$((failures + 1))
    continue
  fi
  out="$("$BIN" run --canary="$canary" --seed="$found" 2>&1)"
  code=$?
  if [[ -n "$(liveness_detail "$expected")" ]]; then
    if (( code == 3 )) && grep -q "$(liveness_detail "$expected")" <<<"$out"; then
      echo "ok: $canary first caught at seed $found by liveness ($expected)"
    else
      echo "FAIL: $canary seed $found: expected a liveness verdict ($expected, exit 3)"
      failures=$((failures + 1))
    fi
    continue
  fi
  if (( code != 1 )); then
    echo "FAIL: $canary seed $found: a sweep found a violation, a run does not"
    failures=$((failures + 1))
    continue
  fi
  checker="$(echo "$out" | sed -n 's/^checker: \([a-z_]*\) .*/\1/p')"
  sim="$(echo "$out" | sed -n 's/^checker: .* sim_us=\([0-9]*\)$/\1/p')"
  # An expected column "a|b" accepts either checker: a bug that destroys
  # committed entries is caught by whichever of them sees the loss first.
  if [[ "|$expected|" != *"|$checker|"* ]]; then
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
