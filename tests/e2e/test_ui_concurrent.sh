#!/usr/bin/env bash
# The UI's marked files go through the batch engine, several at once inside Kombo's limit:
# a mock that holds each answer 400 ms and allows 3 at a time; 7 files marked and sent. While
# they go the progress screen says how many are in flight; at the end each file is in the
# inbox exactly once, the mock never had more than 3 (and did have more than one), and the
# command line with the same history (`--candidate ID FILE...`, the same engine) finds them
# all already done and sends nothing.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions) --latency 400 --concurrency-limit 3
mkdir "$T/files"
for n in a b c d e f g; do head -c $((20000 + RANDOM)) /dev/urandom >"$T/files/$n.bin"; done

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   g\.bin'
keys Space Space Space Space Space Space Space
wait_for '7 marked'
keys Enter
wait_for '^ Attach 7 files'
type_candidate_and_send
wait_for '^  Sending 7 files to candidate' 5
wait_for "[0-9] of 7 done"
wait_for '^  [23] in flight' 5                  # several at once, as Kombo allows
wait_for '▸ [a-g]\.bin .*(sending|waiting for Kombo.s answer)'
wait_for "7 of 7 files attached to candidate $CAND" 20
for n in a b c d e f g; do wait_for "✓ $n\.bin +attached"; done

[ "$(inbox_count)" -eq 7 ] || fail "expected 7 stored files, found: $(find "$T/inbox" -type f)"
for n in a b c d e f g; do
  [ "$(find "$T/inbox" -type f -name "$n.bin" | wc -l)" -eq 1 ] || fail "$n.bin not stored exactly once"
  cmp "$T/files/$n.bin" "$(stored_file "$n.bin")" || fail "$n.bin stored differently"
done
find "$T/inbox" -type f -name '* (*)*' | grep -q . && fail "a duplicate was stored"
peak=$(mock_stats | grep -o '"peak_in_flight":[0-9]*' | cut -d: -f2)
[ "$peak" -ge 2 ] && [ "$peak" -le 3 ] || fail "peak_in_flight $peak, want 2..3: $(mock_stats)"
keys q
wait_exit 0
wait_for '^kombo-attach: 7 attached$'

# The command line, the same history: every file already done, nothing sent.
uploads=$(mock_stats | grep -o '"uploads":[0-9]*')
out=$(env KOMBO_API_KEY=$KEY KOMBO_INTEGRATION_ID=e2e:test KOMBO_BASE_URL=$MOCK_URL \
  XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data \
  "$KA" --candidate "$CAND" "$T"/files/?.bin 2>&1)
rc=$?
[ "$rc" -eq 0 ] || fail "the command line exited $rc: $out"
[ "$(printf '%s\n' "$out" | grep -c 'already attached to candidate')" -eq 7 ] ||
  fail "the command line did not skip all 7 as already done: $out"
[ "$(mock_stats | grep -o '"uploads":[0-9]*')" = "$uploads" ] || fail "the command line sent again: $(mock_stats)"
[ "$(inbox_count)" -eq 7 ] || fail "the command line stored more files"
echo ok
