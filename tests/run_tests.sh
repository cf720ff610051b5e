#!/usr/bin/env bash
# Run each cmocka test binary; print a total line "N passed, N failed" at the end.
# usage: run_tests.sh BUILD_DIR KOMBO_ATTACH_BINARY test_name...
set -u
build=$1; bin=$2; shift 2
export KA_BIN="$bin"
export KA_TESTS_DIR="$(cd "$(dirname "$0")" && pwd)"
passed=0; failed=0; failed_names=""
for t in "$@"; do
  out=$(mktemp)
  "$build/tests/$t" >"$out" 2>&1
  rc=$?
  cat "$out"
  p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -1)
  f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -1)
  passed=$((passed + ${p:-0}))
  if [ "$rc" -ne 0 ]; then
    failed=$((failed + ${f:-1})); failed_names="$failed_names $t"
  fi
  rm -f "$out"
done
echo
[ -n "$failed_names" ] && echo "failing test programs:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
