#!/usr/bin/env bash
# Run each cmocka test binary; print a total line "N passed, N failed" at the end.
# usage: run_tests.sh BUILD_DIR KOMBO_ATTACH_BINARY test_name...
#   (make unit TESTS="test_format test_utf8" names the programs; KA_TEST_FILTER=PATTERN in
#   the environment runs only the tests whose names match, in every program named)
set -u
build=$1; bin=$2; shift 2
export KA_BIN="$bin"
export KA_TESTS_DIR="$(cd "$(dirname "$0")" && pwd)"
[ $# -gt 0 ] || { echo "run_tests.sh: no test program named" >&2; exit 2; }
passed=0; failed=0; failed_names=""
for t in "$@"; do
  prog="$build/tests/$t"
  if [ ! -x "$prog" ]; then
    echo "$t: no test program $prog (is there a tests/$t.c?)"
    failed=$((failed + 1)); failed_names="$failed_names $t"
    continue
  fi
  # The filter is applied by tests/helpers.h; a program that does not include it runs whole.
  if [ -n "${KA_TEST_FILTER:-}" ] && ! grep -q KA_TEST_FILTER "$prog"; then
    echo "$t: does not apply KA_TEST_FILTER (it does not include tests/helpers.h): running all of it"
  fi
  out=$(mktemp)
  # each program gets a cache folder of its own: the candidate index never lands in the
  # real ~/.cache, and no program sees another's
  cache=$(mktemp -d)
  XDG_CACHE_HOME="$cache" "$prog" >"$out" 2>&1
  rc=$?
  rm -rf "$cache"
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
[ -n "${KA_TEST_FILTER:-}" ] && echo "KA_TEST_FILTER=$KA_TEST_FILTER: only the tests whose names match ran (but see any program noted above)"
[ -n "$failed_names" ] && echo "failing test programs:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
