#!/usr/bin/env bash
# Exactly once: a 200-file batch killed with SIGKILL at five random moments, run again
# each time until it finishes, leaves each file attached exactly once (none missing, no
# "name (2).ext"), and never more in flight than the integration's limit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/batch_lib.sh"
start_mock --concurrency-limit 4 --latency 20 --quiet
make_files 200
{ echo "file,candidate,type"; for i in $(seq 1 200); do echo "files/f$i.txt,$CAND,OTHER"; done; } >"$T/m/batch.csv"
for k in 1 2 3 4 5; do
  batch_exec --concurrency 8 -q "$T/m/batch.csv" >"$T/out$k" 2>&1 &
  pid=$!
  # somewhere in the first ~0.9 s of a run that takes ~1 s when nothing is done yet
  sleep "0.$(( (RANDOM % 9) + 1 ))$(( RANDOM % 10 ))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # The mock finishes what reached it before the kill (its --latency hold) before the next run
  sleep 0.1
done
done_rc=1
for _ in 1 2 3 4 5 6; do
  if batch --concurrency 8 -q "$T/m/batch.csv" >"$T/final" 2>&1; then done_rc=0; break; fi
done
[ "$done_rc" -eq 0 ] || { cat "$T/final"; fail "the batch did not finish"; }
check_once 200
peak=$(stat peak_in_flight)
[ "$peak" -le 4 ] || fail "peak_in_flight $peak is above the limit of 4"
# The journal: every row's newest line is its outcome, not "started".
lines=$(grep -c '"outcome":"started"' "$T/state/kombo-attach/history.jsonl")
[ "$lines" -ge 200 ] || fail "expected a started line per upload, found $lines"
# Once done, a rerun sends nothing.
up=$(stat uploads)
batch -q "$T/m/batch.csv" || fail "the rerun failed"
[ "$(stat uploads)" -eq "$up" ] || fail "the rerun sent uploads again"
echo ok
