#!/usr/bin/env bash
# Three marked files, the first one rejected (400): the result says 2 of 3 and opens on the
# failure; `r` sends only that one again (no duplicate of the two attached), and the result
# then has no retry left. `p` goes back to the picker with the marks of the batch cleared.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
for n in a b c; do head -c $((2000 + RANDOM)) /dev/urandom >"$T/files/$n.bin"; done

start_ui 80x24 xterm-256color --retries 0 "$T/files"
wait_for '^   c\.bin'
keys Space Space Space
wait_for '3 marked'
keys Enter
wait_for '^ Attach 3 files'
fault status "status=400&count=1"
type_candidate_and_send
wait_for "2 of 3 files attached to candidate $CAND" 10
wait_for '✗ a\.bin +rejected by Kombo'
wait_for 'Code +PLATFORM\.INPUT_INVALID'       # the details are the failure's
wait_for '^r retry'
[ "$(inbox_count)" -eq 2 ] || fail "expected 2 stored files, found $(inbox_count)"

keys r
wait_for "3 of 3 files attached to candidate $CAND" 10
screen_text | grep -q '^r retry' && fail "retry offered with everything attached"
mock_stats | grep -q '"uploads":4,' || fail "the retry sent more than the failed file: $(mock_stats)"
[ "$(inbox_count)" -eq 3 ] || fail "expected 3 stored files, found $(inbox_count)"
for n in a b c; do
  s=$(stored_file "$n.bin"); [ -n "$s" ] || fail "$n.bin not stored"
  cmp "$T/files/$n.bin" "$s" || fail "$n.bin stored differently"
done

keys p
wait_for '^   a\.bin'
screen_text | grep -q 'marked' && fail "marks of the sent batch still shown"
ui_alive || fail "program ended"
keys q
wait_exit 0
echo ok
