#!/usr/bin/env bash
# tools/format/format_test.sh — fails when any C++ source of the repository
# is not clang-formatted (.clang-format at the root: Google style).
#
# Like the determinism lint, it reads the source tree itself rather than
# declared runfiles: glob() stops at package boundaries, so no single glob
# lists every package's sources, and a per-package list would silently miss
# a new package. It follows this script's runfiles link back to the tree;
# tagged `local` and `external` so its result always reflects the tree.

set -euo pipefail

if [[ -n "${TEST_SRCDIR:-}" ]]; then
  self="${TEST_SRCDIR}/${TEST_WORKSPACE}/tools/format/check_format.sh"
else
  self="$(dirname "${BASH_SOURCE[0]}")/check_format.sh"
fi
script="$(readlink -f "${self}")"
root="$(cd "$(dirname "${script}")/../.." && pwd)"
exec "${script}" --root="${root}"
