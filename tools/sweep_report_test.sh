#!/bin/bash
# tools/sweep_report_test.sh — the sweep's HTML report (tools/cli/report.h)
# renders in a real browser: a production sweep and a canary sweep of every
# canary each write DIR/index.html, which headless Chromium (Debian's
# `chromium`, installed by tools/bootstrap) loads from the file system with
# no network. The page's own script counts the plots that laid out with a
# non-empty box; every plot must have. Every link in the report must name
# a file the sweep wrote, and the page must fetch nothing.
#
# Usage: sweep_report_test.sh RAFTSIM RAFTSIM_CANARY

set -u
RAFTSIM="$1"
CANARY="$2"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" ]]; then
  echo "FAIL: chromium not found; run tools/bootstrap (Debian package chromium)"
  exit 1
fi
export HOME="$TEST_TMPDIR/home"
mkdir -p "$HOME"

# render DIR WANT_PLOTS — loads DIR/index.html in Chromium, checks that it
# laid out WANT_PLOTS plots, then checks its links and takes a screenshot.
render() {
  local dir="$1" want="$2"
  local dom
  dom="$(timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$TEST_TMPDIR/chromium-profile" \
    --virtual-time-budget=5000 --dump-dom "file://$dir/index.html" 2>/dev/null)"
  local body
  body="$(grep -o '<body[^>]*>' <<<"$dom" | head -1)"
  local plots rendered
  plots="$(sed -n 's/.*data-plots="\([0-9]*\)".*/\1/p' <<<"$body")"
  rendered="$(sed -n 's/.*data-rendered="\([0-9]*\)".*/\1/p' <<<"$body")"
  if [[ "$plots" != "$want" || "$rendered" != "$want" ]]; then
    fail "$dir: Chromium laid out ${rendered:-?} of ${plots:-?} plots, want $want ($body)"
  else
    echo "ok: $dir: Chromium laid out $rendered of $plots plots"
  fi
  # Every href is a file in the report's directory; nothing is fetched.
  while read -r href; do
    [[ -z "$href" ]] && continue
    [[ -s "$dir/$href" ]] || fail "$dir: link $href names no file"
  done < <(grep -o 'href="[^"]*"' "$dir/index.html" | sed 's/href="\(.*\)"/\1/')
  if grep -Eq '(src|href)="(https?:)?//' "$dir/index.html"; then
    fail "$dir: the report fetches something from the network"
  fi
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --hide-scrollbars \
    --user-data-dir="$TEST_TMPDIR/chromium-profile" --window-size=1200,2400 \
    --screenshot="$dir/screenshot.png" "file://$dir/index.html" >/dev/null 2>&1
  [[ -s "$dir/screenshot.png" ]] || fail "$dir: no screenshot"
  [[ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]] &&
    cp "$dir/screenshot.png" "$TEST_UNDECLARED_OUTPUTS_DIR/$(basename "$dir").png"
}

# A production sweep: clean, no canary curves (9 plots).
prod="$TEST_TMPDIR/production"
out="$("$RAFTSIM" sweep --seeds=1..12 --jobs=2 --report="$prod" 2>&1)"
code=$?
(( code == 0 )) || fail "production sweep exited $code: $out"
grep -q "^report: $prod/index.html$" <<<"$out" || fail "no report line: $out"
[[ -s "$prod/index.html" ]] || fail "no $prod/index.html"
grep -q '12 runs, 0 failed' "$prod/index.html" || fail "production summary"
render "$prod" 9

# Every canary over a few seeds: curves (10 plots), failures with traces.
can="$TEST_TMPDIR/canaries"
out="$("$CANARY" sweep --canary=all --seeds=1..3 --jobs=2 --report="$can" 2>&1)"
code=$?
# 0: every canary caught; 1: some were not (three seeds are few).
(( code == 0 || code == 1 )) || fail "canary sweep exited $code: $out"
grep -q '^canary vote_twice: caught in' <<<"$out" || fail "vote_twice line: $out"
grep -q 'Canary detection curves' "$can/index.html" || fail "no curves"
ls "$can"/traces/*.json >/dev/null 2>&1 || fail "no failing seed was traced"
render "$can" 10

# A report directory that cannot be created is a usage error (exit 2).
touch "$TEST_TMPDIR/file"
"$RAFTSIM" sweep --seeds=1..1 --report="$TEST_TMPDIR/file/sub" >/dev/null 2>"$TEST_TMPDIR/err"
code=$?
(( code == 2 )) || fail "--report under a file exited $code, want 2"
grep -q -- "--report=$TEST_TMPDIR/file/sub: cannot create" "$TEST_TMPDIR/err" ||
  fail "the error does not name --report: $(cat "$TEST_TMPDIR/err")"
# --canary=all belongs to sweep alone.
"$CANARY" run --seed=1 --canary=all >/dev/null 2>&1
code=$?
(( code == 2 )) || fail "run --canary=all exited $code, want 2"

if (( failures > 0 )); then
  echo "$failures failure(s)"
  exit 1
fi
echo "PASS"
