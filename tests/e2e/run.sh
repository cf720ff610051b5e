#!/usr/bin/env bash
# Run every tests/e2e/test_*.sh with the binary given; print "N passed, N failed".
set -u
export KA_BIN=${1:?usage: run.sh KOMBO_ATTACH_BINARY}
dir=$(cd "$(dirname "$0")" && pwd)
passed=0; failed=0
for t in "$dir"/test_*.sh; do
  name=$(basename "$t" .sh)
  start=$(date +%s.%N)
  if out=$(bash "$t" 2>&1); then
    passed=$((passed + 1)); printf '[       OK ] e2e %s (%ss)\n' "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
  else
    failed=$((failed + 1)); printf '[  FAILED  ] e2e %s\n%s\n' "$name" "$out"
  fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
