#!/usr/bin/env bash
# tools/lint/determinism_lint_test.sh — runs determinism_lint.py over the
# real raft/, sim/ and checkers/ trees and fails on any finding.
#
# Why it reads the source tree instead of declared runfiles: Bazel's glob()
# stops at package boundaries, and raft/, sim/, checkers/ (and their
# subdirectories) are packages of their own, so no single glob can list their
# files, and a per-package list would silently miss a new package. Instead
# the test follows the runfiles symlink of this script back to the source
# tree and scans everything under those directories. It is tagged `local`
# (runs outside the sandbox) and `external` (never cached), so its result
# always reflects the tree as it is.

set -euo pipefail

if [[ -n "${TEST_SRCDIR:-}" ]]; then
  self="${TEST_SRCDIR}/${TEST_WORKSPACE}/tools/lint/determinism_lint_test.sh"
else
  self="${BASH_SOURCE[0]}"
fi
source_root="$(cd "$(dirname "$(readlink -f "${self}")")/../.." && pwd)"
if [[ ! -f "${source_root}/WORKSPACE" ]]; then
  echo "FAIL: could not find the source tree (looked at ${source_root})" >&2
  exit 1
fi

# The lint skips a missing directory; here each one must be there.
for dir in raft sim checkers; do
  if [[ ! -d "${source_root}/${dir}" ]]; then
    echo "FAIL: ${source_root}/${dir} is missing" >&2
    exit 1
  fi
done

echo "Linting raft/, sim/, checkers/ under ${source_root}"
exec python3 "${source_root}/tools/lint/determinism_lint.py" --root "${source_root}"
