#!/usr/bin/env bash
# Three marked files. One is rejected (400; the three go at once, so whichever reaches the
# mock first): the result says 2 of 3 and opens on the failure with Kombo's advice; a retry
# would be refused the same way, so none is offered; `e` goes back to the form with only the
# file not attached (no duplicate of the others), which is sent from there. Then a server
# error (503, no retries left): `r` is offered and sends only that file again. `p` goes back
# to the picker with the marks of the batch cleared.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
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
wait_for '✗ [abc]\.bin +rejected by Kombo'
bad=$(screen_text | sed -n 's/^ *✗ \([abc]\)\.bin  *rejected by Kombo.*/\1/p' | head -1)
[ -n "$bad" ] || fail "no rejected file named"
[ "$(screen_text | grep -Ec '✓ [abc]\.bin +attached')" -eq 2 ] || fail "the other two are not shown attached"
wait_for 'Code +PLATFORM\.INPUT_INVALID'       # the details are the failure's
wait_for 'What to do +fix what the message says'
wait_for 'Retry +would fail the same way'
screen_text | grep -q '^r retry' && fail "retry offered for a refusal that would repeat"
[ "$(inbox_count)" -eq 2 ] || fail "expected 2 stored files, found $(inbox_count)"

keys e                                          # the form, with the rejected file alone
wait_for "^ Attach $bad\\.bin"
wait_for "▸ Candidate ID +$CAND"
keys C-s
wait_for "Attached to candidate $CAND" 10
mock_stats | grep -q '"uploads":4,' || fail "editing sent more than the failed file: $(mock_stats)"
[ "$(inbox_count)" -eq 3 ] || fail "expected 3 stored files, found $(inbox_count)"
for n in a b c; do
  s=$(stored_file "$n.bin"); [ -n "$s" ] || fail "$n.bin not stored"
  cmp "$T/files/$n.bin" "$s" || fail "$n.bin stored differently"
done

# a server error: a retry can help, and sends that file alone
keys p
wait_for '^   a\.bin'
screen_text | grep -q 'marked' && fail "marks of the sent batch still shown"
head -c 3000 /dev/urandom >"$T/files/d.bin"
head -c 3000 /dev/urandom >"$T/files/e.bin"
keys .                                          # read the folder again (d, e are new)
keys .
wait_for '^   e\.bin'
keys G Space
keys k Space
wait_for '2 marked'
keys Enter
wait_for '^ Attach 2 files'
fault status "status=503&count=1&retry_after=0"
keys C-s
wait_for "1 of 2 files attached to candidate $CAND" 10
wait_for '^r retry'
keys r
wait_for "2 of 2 files attached to candidate $CAND" 10
screen_text | grep -q '^r retry' && fail "retry offered with everything attached"
mock_stats | grep -q '"uploads":7,' || fail "the retry sent more than the failed file: $(mock_stats)"
ui_alive || fail "program ended"
keys q
wait_exit 0
echo ok
