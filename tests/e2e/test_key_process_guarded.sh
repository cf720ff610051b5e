#!/usr/bin/env bash
# While the command line waits for its key (here: --api-key-file on a FIFO nobody has
# written yet), the process is already guarded: no core file (limit 0 in /proc/PID/limits).
# Then the key arrives and the run goes on as usual (a dry run: nothing sent).
. "$(dirname "$0")/lib.sh"
mkfifo "$T/key"
echo "a CV" >"$T/cv.txt"
"$KA_BIN" --api-key-file "$T/key" --integration-id e2e:test --dry-run \
  --candidate 4B7z5qJ8dXcR2mTnWvKpLs9a "$T/cv.txt" >"$T/out" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -r "/proc/$pid/limits" ] && break; sleep 0.05; done
sleep 0.2
grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits" ||
  { kill "$pid"; fail "core files allowed: $(grep core "/proc/$pid/limits")"; }
echo "ks_live_fifo_key_0123456789" >"$T/key"
wait "$pid" || fail "dry run failed: $(cat "$T/out")"
grep -q 'ks_live_fifo_key_0123456789' "$T/out" && fail "key in the output"
grep -q 'POST' "$T/out" || fail "no dry-run request shown: $(cat "$T/out")"
echo ok
