#!/usr/bin/env bash
# Mark 3 of 5 files with Space (skipping one), Enter, candidate, send -> 3 stored files,
# each identical to its original; the unmarked ones are not sent.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
for n in a b c d e; do head -c $((3000 + RANDOM)) /dev/urandom >"$T/files/$n.bin"; done

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   a\.bin'
wait_for '^   e\.bin'
keys Space                                  # mark a (cursor moves on to b)
wait_for '^ ✓ a\.bin'
wait_for '1 marked'
keys Escape                                 # unmark all
wait_gone 'marked'
wait_for '^   a\.bin'
keys g
wait_for ' 1/5( |$)'
keys Space                                  # a
wait_for '^ ✓ a\.bin'
keys j                                      # skip b
wait_for ' 3/5( |$)'
keys Space                                  # c
wait_for '^ ✓ c\.bin'
keys Space                                  # d
wait_for '^ ✓ d\.bin'
wait_for '3 marked'
screen_text | grep -Eq '^ ✓ (b|e)\.bin' && fail "an unmarked file shows as marked"
keys Enter
wait_for '^ Attach 3 files'
type_candidate_and_send
wait_for "3 of 3 files attached to candidate $CAND" 10
wait_for '✓ a\.bin +attached'
wait_for '✓ c\.bin +attached'
wait_for '✓ d\.bin +attached'

[ "$(inbox_count)" -eq 3 ] || fail "expected 3 stored files, found: $(find "$T/inbox" -type f)"
for n in a c d; do
  s=$(stored_file "$n.bin"); [ -n "$s" ] || fail "$n.bin not stored"
  cmp "$T/files/$n.bin" "$s" || fail "$n.bin stored differently"
done
[ -z "$(stored_file b.bin)$(stored_file e.bin)" ] || fail "an unmarked file was sent"
keys q
wait_exit 0
echo ok
