#!/usr/bin/env bash
# tools/format/check_format.sh — is every C++ source formatted?
#
#   check_format.sh [--fix] [--style=FILE] [--root=DIR | FILE...]
#
# With --root (default: the repository this script lives in), checks every
# *.cc and *.h under DIR except bazel-* output links, .git and testdata/
# directories (test inputs may be misformatted on purpose); with FILEs,
# checks just those. Style: the root's .clang-format, or --style=FILE.
# Prints each misformatted file with the first lines clang-format would
# change and exits 1; exits 0 when all are formatted; --fix rewrites them in
# place instead. Exits 2 on a usage error or when clang-format is missing.

set -uo pipefail

fix=0
style=""
root=""
files=()
for arg in "$@"; do
  case "${arg}" in
    --fix) fix=1 ;;
    --style=*) style="${arg#--style=}" ;;
    --root=*) root="${arg#--root=}" ;;
    -*) echo "check_format.sh: unknown flag '${arg}'" >&2; exit 2 ;;
    *) files+=("${arg}") ;;
  esac
done

if ! command -v clang-format >/dev/null 2>&1; then
  echo "check_format.sh: clang-format not found (tools/bootstrap installs it)" >&2
  exit 2
fi

if (( ${#files[@]} == 0 )); then
  if [[ -z "${root}" ]]; then
    root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
  fi
  if [[ ! -f "${root}/WORKSPACE" ]]; then
    echo "check_format.sh: ${root} is not the repository root (no WORKSPACE)" >&2
    exit 2
  fi
  mapfile -t files < <(cd "${root}" && find . \( -name '.git' -o -name 'bazel-*' \
      -o -name testdata \) -prune -o -type f \( -name '*.cc' -o -name '*.h' \) \
      -print | sed 's|^\./||' | LC_ALL=C sort)
  cd "${root}"
fi
if [[ -z "${style}" ]]; then
  style_arg="--style=file"
else
  style_arg="--style=file:${style}"
fi

bad=0
for f in "${files[@]}"; do
  if ! clang-format "${style_arg}" --dry-run --Werror "${f}" >/dev/null 2>&1; then
    if (( fix )); then
      clang-format "${style_arg}" -i "${f}"
      echo "formatted ${f}"
    else
      echo "not formatted: ${f}"
      diff -u "${f}" <(clang-format "${style_arg}" "${f}") | sed -n '3,12p'
      bad=$((bad + 1))
    fi
  fi
done
if (( bad > 0 )); then
  echo "${bad} of ${#files[@]} C++ files are not clang-formatted;" \
       "run tools/format/check_format.sh --fix"
  exit 1
fi
echo "${#files[@]} C++ files formatted"
