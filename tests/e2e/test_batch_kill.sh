#!/usr/bin/env bash
# Exactly once: a 200-file batch killed with SIGKILL at five random moments (and a sixth
# time while the mock still holds some of its uploads), run again each time at once until
# it finishes, leaves each file attached exactly once (none
# missing, no "name (2).ext"), and never more in flight than the integration's limit.
# The mock takes 1.2 s to store an upload (and 20 ms to list), and stores one whose client
# was killed when it is due, as Kombo would: each kill leaves uploads it is still storing
# when the next run starts and lists, and those rows must wait to show, not be sent again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/batch_lib.sh"
start_mock --concurrency-limit 16 --latency 20 --upload-latency 1200 --quiet
make_files 200
{ echo "file,candidate,type"; for i in $(seq 1 200); do echo "files/f$i.txt,$CAND,OTHER"; done; } >"$T/m/batch.csv"
for k in 1 2 3 4 5 6; do
  # --timeout 3: a row whose upload never lands is sent again 8 s after its "sent" line.
  # The last run sends 4 at a time: its held uploads must leave slots free, or the next
  # run's listing waits (429) until they are stored, as with Kombo, and finds them at once.
  conc=16; [ "$k" -eq 6 ] && conc=4
  batch_exec --concurrency "$conc" --timeout 3 "$T/m/batch.csv" >"$T/out$k" 2>&1 &
  pid=$!
  if [ "$k" -lt 6 ]; then
    # somewhere in the first ~2.9 s of a run that takes ~16 s when nothing is done yet
    sleep "$(( RANDOM % 3 )).$(( (RANDOM % 9) + 1 ))$(( RANDOM % 10 ))"
  else
    # the last one the moment the mock holds some of its uploads: the rerun, at once,
    # lists while they are still being stored (1.2 s), whatever a slow build costs
    up0=$(stat uploads)
    for _ in $(seq 1 300); do
      up=$(stat uploads); st=$(stat stored)
      [ "$up" -gt "$up0" ] && [ $((up - st)) -ge 2 ] && break
      sleep 0.01
    done
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
done_rc=1
for _ in 1 2 3 4 5 6; do
  if batch --concurrency 16 --timeout 3 "$T/m/batch.csv" >"$T/final" 2>&1; then done_rc=0; break; fi
done
[ "$done_rc" -eq 0 ] || { cat "$T/final"; fail "the batch did not finish"; }
check_once 200
peak=$(stat peak_in_flight)
[ "$peak" -le 16 ] || fail "peak_in_flight $peak is above the limit of 16"
# The journal: a started and a sent line per upload.
h=$T/state/kombo-attach/history.jsonl
lines=$(grep -c '"outcome":"started"' "$h")
[ "$lines" -ge 200 ] || fail "expected a started line per upload, found $lines"
lines=$(grep -c '"outcome":"sent"' "$h")
[ "$lines" -ge 200 ] || fail "expected a sent line per upload, found $lines"
# The kills left rows the next run found (else the test proved little), and the last one's
# only after waiting for them to show.
found=$(grep -c "interrupted run" "$h" || true)
[ "$found" -ge 1 ] || fail "no kill left an upload in flight: the test proved nothing"
grep -q 'not in the target.s attachments yet' "$T/final" ||
  { cat "$T/final"; fail "no row had to wait for an interrupted run's upload to show"; }
# Once done, a rerun sends nothing.
up=$(stat uploads)
batch -q "$T/m/batch.csv" || fail "the rerun failed"
[ "$(stat uploads)" -eq "$up" ] || fail "the rerun sent uploads again"
echo ok
