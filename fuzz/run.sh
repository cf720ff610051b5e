#!/usr/bin/env bash
# Build the libFuzzer harnesses and run each for SECONDS on a temporary copy of its corpus
# (fuzz/corpus/<harness>/: seeds plus every crash found so far, replayed first), so the
# repository is never modified. Prints the executions per harness and any crash; crashing
# inputs are kept in build-fuzz/crashes/<harness>/. Exit status non-zero on any crash.
# usage: fuzz/run.sh SECONDS [harness...]
set -u
secs=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-build-fuzz}
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_answer fuzz_settings fuzz_base64 fuzz_body fuzz_history fuzz_mock_body
                                   fuzz_inbox_name fuzz_candidates fuzz_listing fuzz_restrict
                                   fuzz_integration fuzz_query fuzz_manifest)

case $secs in ''|*[!0-9]*) echo "usage: fuzz/run.sh SECONDS [harness...]" >&2; exit 2;; esac

make -C "$root" --no-print-directory FUZZ_BUILD="$build" fuzz-build >&2 || { echo "fuzz: build failed" >&2; exit 2; }

max_len() {
  case $1 in
    fuzz_settings) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/ka-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The harnesses make their temporary files under TMPDIR: inside $work, so that even a
# crashed run leaves nothing behind.
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
crashes=0
for h in "${harnesses[@]}"; do
  bin="$root/$build/$h"
  [ -x "$bin" ] || { echo "$h: no binary at $bin" >&2; crashes=$((crashes + 1)); continue; }
  mkdir -p "$work/$h/corpus" "$work/$h/artifacts"
  [ -d "$root/fuzz/corpus/$h" ] && cp -R "$root/fuzz/corpus/$h/." "$work/$h/corpus/"
  log="$work/$h/log"
  ( cd "$work/$h" && \
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$bin" -max_total_time="$secs" -max_len="$(max_len "$h")" -timeout=20 -rss_limit_mb=2048 \
           ${FUZZ_SEED:+-seed="$FUZZ_SEED"} \
           -print_final_stats=1 -artifact_prefix="$work/$h/artifacts/" "$work/$h/corpus" ) >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in .*/\1/p' "$log" | tail -1)
  [ -z "$runs" ] && runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
  corpus_n=$(find "$work/$h/corpus" -type f | wc -l)
  arts=$(find "$work/$h/artifacts" -type f | sort)
  if [ "$rc" -ne 0 ] || [ -n "$arts" ]; then
    crashes=$((crashes + 1))
    keep="$root/$build/crashes/$h"
    mkdir -p "$keep"
    printf '%-14s CRASH after %s runs (exit %d)\n' "$h" "${runs:-?}" "$rc"
    grep -m1 -E '^==[0-9]+==ERROR|runtime error:|^fuzz_[a-z0-9]*: |deadly signal|^SUMMARY:' "$log" | sed 's/^/    /'
    grep -m1 '^SUMMARY:' "$log" | sed 's/^/    /'
    for a in $arts; do
      known=""
      for c in "$root/fuzz/corpus/$h"/*; do
        [ -f "$c" ] && cmp -s "$a" "$c" && { known=$c; break; }
      done
      if [ -n "$known" ]; then
        echo "    input: fuzz/corpus/$h/$(basename "$known")  (a known regression input: still failing)"
      else
        cp "$a" "$keep/"
        echo "    input: $keep/$(basename "$a")  (add it to fuzz/corpus/$h/ once understood)"
      fi
    done
    cp "$log" "$keep/last.log"
    echo "    log:   $keep/last.log"
  else
    printf '%-14s %12s runs in %ss, corpus %d, no crash\n' "$h" "${runs:-?}" "$secs" "$corpus_n"
  fi
done
[ "$crashes" -eq 0 ] && echo "fuzz: no crash" || echo "fuzz: $crashes harness(es) crashed"
echo "fuzz: $(( ${#harnesses[@]} - crashes )) passed, $crashes failed"
[ "$crashes" -eq 0 ]
