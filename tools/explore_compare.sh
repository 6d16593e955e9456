#!/bin/bash
# tools/explore_compare.sh — runs to first detection for each canary,
# coverage-guided exploration against random search on the same budget
# (docs/verification.md, "Guided exploration").
#
#   bazel build -c opt //tools:raftsim_canary
#   tools/explore_compare.sh [BUDGET] [TRIALS] [CANARY...]
#
# RAFTSIM_CANARY names another binary (a copy, so that builds meanwhile
# cannot change it).
#
# For each canary and each explorer seed 1..TRIALS, runs
# `raftsim_canary explore --canary=C --budget=BUDGET --explorer_seed=S`
# with --guided=on and with --guided=off (fresh random seeds), and prints
# the run at which the first failure came (">BUDGET": none), then the
# median of each mode and their ratio (random / guided; above 1: guided
# finds it sooner). A trial without a detection counts as BUDGET+1 in the
# median. Not part of CI: it takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${RAFTSIM_CANARY:-bazel-bin/tools/cli/raftsim_canary}
[[ -x $BIN ]] || { echo "build it first: bazel build -c opt //tools:raftsim_canary" >&2; exit 2; }
BUDGET=${1:-1000}
TRIALS=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
if (( $# > 0 )); then CANARIES=("$@"); else
  mapfile -t CANARIES < <("$BIN" run --canary=list | cut -d' ' -f1)
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
printf '%-24s %-7s %-40s %s\n' canary mode "first detection per trial" median
for c in "${CANARIES[@]}"; do
  declare -A med=()
  for mode in on off; do
    runs=()
    for s in $(seq 1 "$TRIALS"); do
      line=$("$BIN" explore --canary="$c" --budget="$BUDGET" --guided=$mode \
             --explorer_seed="$s" 2>/dev/null | tail -1 || true)
      r=$(grep -o 'first failure at run [0-9]*' <<<"$line" | grep -o '[0-9]*$' || true)
      runs+=("${r:-$((BUDGET + 1))}")
    done
    med[$mode]=$(printf '%s\n' "${runs[@]}" | median)
    shown=$(printf '%s ' "${runs[@]}" | sed "s/\b$((BUDGET + 1))\b/>$BUDGET/g")
    printf '%-24s %-7s %-40s %s\n' "$c" "$([[ $mode == on ]] && echo guided || echo random)" "$shown" "${med[$mode]}"
  done
  awk -v g="${med[on]}" -v r="${med[off]}" -v c="$c" \
    'BEGIN {printf "%-24s ratio random/guided = %.2f\n", c, r / g}'
done
