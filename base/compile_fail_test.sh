#!/usr/bin/env bash
# base/compile_fail_test.sh — proves that misuse of base/strong_id.h does not
# compile, and fails for the right reason.
#
# Each snippet in base/testdata/compile_fail/ is compiled with
# `${CXX:-g++} -std=c++20 -fsyntax-only`. A snippet marked
# `// EXPECT-ERROR: text` (one or more lines) must fail to compile and the
# compiler's output must contain every such text; a snippet marked
# `// EXPECT-COMPILES` must compile (the control: it proves the include path
# and flags work, so the other failures are meaningful). The expected texts
# are GCC's diagnostics, printed with LC_ALL=C so quotes are ASCII.
#
# Then the same snippets are compiled against
# base/testdata/weak_strong_id/base/strong_id.h, where the ids are plain
# integers: every EXPECT-ERROR snippet must now be reported, which shows this
# test fails when its subject is broken.
#
# Runs under `bazel test //base:compile_fail_test` (reads the runfiles tree)
# or directly from the workspace root.

set -euo pipefail
export LC_ALL=C

if [[ -n "${TEST_SRCDIR:-}" ]]; then
  root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
else
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi
cxx="${CXX:-g++}"
snippet_dir="${root}/base/testdata/compile_fail"
weak_include="${root}/base/testdata/weak_strong_id"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

shopt -s nullglob
snippets=("${snippet_dir}"/*.cc)
if (( ${#snippets[@]} == 0 )); then
  echo "FAIL: no snippets found in ${snippet_dir}" >&2
  exit 1
fi

# check_snippets INCLUDE_DIR...: compiles every snippet with the given include
# directories first on the path, prints one line per snippet, and sets
# `problems` to the number of snippets that did not behave as marked.
check_snippets() {
  problems=0
  local snippet name log expected
  for snippet in "${snippets[@]}"; do
    name="${snippet#"${root}"/}"
    log="${tmp}/$(basename "${snippet}").log"
    local includes=()
    for dir in "$@"; do includes+=("-I${dir}"); done
    local compiled=1
    "${cxx}" -std=c++20 -fsyntax-only "${includes[@]}" "-I${root}" \
      "${snippet}" >"${log}" 2>&1 || compiled=0

    if grep -q '^// EXPECT-COMPILES' "${snippet}"; then
      if (( compiled )); then
        echo "  ok: ${name} compiles"
      else
        echo "  ${label}: ${name} must compile but does not:"
        sed 's/^/      /' "${log}" | head -20
        problems=$((problems + 1))
      fi
      continue
    fi

    mapfile -t expectations < <(sed -n 's|^// EXPECT-ERROR: \(.*\)$|\1|p' "${snippet}")
    if (( ${#expectations[@]} == 0 )); then
      echo "  ${label}: ${name} has neither EXPECT-ERROR nor EXPECT-COMPILES"
      problems=$((problems + 1))
      continue
    fi
    if (( compiled )); then
      echo "  ${label}: ${name} compiled, but must not"
      problems=$((problems + 1))
      continue
    fi
    local missing=0
    for expected in "${expectations[@]}"; do
      if ! grep -qF -- "${expected}" "${log}"; then
        echo "  ${label}: ${name} failed, but not with: ${expected}"
        missing=1
      fi
    done
    if (( missing )); then
      sed 's/^/      /' "${log}" | grep -i 'error' | head -5
      problems=$((problems + 1))
    else
      echo "  ok: ${name} fails: ${expectations[0]}"
    fi
  done
}

negative=0
for snippet in "${snippets[@]}"; do
  grep -q '^// EXPECT-ERROR:' "${snippet}" && negative=$((negative + 1))
done

echo "Against base/strong_id.h (every snippet must behave as marked):"
label="PROBLEM"
check_snippets
real_problems=${problems}

echo "Against the weak stand-in (every EXPECT-ERROR snippet must be caught):"
label="caught, as intended"
check_snippets "${weak_include}"
weak_problems=${problems}

status=0
if (( real_problems != 0 )); then
  echo "FAIL: ${real_problems} snippet(s) did not behave as marked against base/strong_id.h"
  status=1
fi
if (( weak_problems != negative )); then
  echo "FAIL: with plain-integer ids, expected all ${negative} negative snippets to be caught, got ${weak_problems}"
  status=1
fi
if (( status == 0 )); then
  echo "PASS: ${negative} misuses rejected for the right reason; the weak stand-in is caught ${weak_problems}/${negative}."
fi
exit "${status}"
