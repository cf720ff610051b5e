#!/usr/bin/env bash
# The form refuses to send what the backend would refuse, and says why: Ctrl-S without a
# candidate ID turns "required" into an error with a notice; "." is refused; a short ID is
# only a warning; a file over --max-size cannot even be picked (the picker says why); nothing
# reaches the mock until the values are fine.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
head -c 3000 /dev/urandom >"$T/files/big.bin"
echo "hello" >"$T/files/small.txt"

start_ui 100x30 xterm-256color --max-size 2K "$T/files"
wait_for 'small\.txt'
wait_for '2\.93 KiB: over the limit of 2\.00 KiB \(--max-size\)'   # big.bin, highlighted
keys Enter                                  # cannot be picked
sleep 0.3
screen_text | grep -q '^ Attach' && fail "a file over --max-size opened the form"
keys j Enter
wait_for '^ Attach small\.txt'
wait_for 'Candidate ID .*required'
keys C-s
wait_for '✗ required'
wait_for 'fix the fields marked ✗ first'
keys -l '.'
wait_for '✗ the candidate ID cannot be'
keys C-s
wait_for 'fix the fields marked ✗ first'
keys BSpace
keys -l 'abc'
wait_for '! not a Kombo ID'
[ "$(mock_stats | grep -o '"uploads":[0-9]*')" = '"uploads":0' ] || fail "something was sent: $(mock_stats)"

keys Escape                                 # back to the files; the ID stays for the next one
wait_for 'small\.txt'
keys Enter
wait_for '^ Attach small\.txt'
wait_for 'Candidate ID +abc'
keys C-s
wait_for 'Not attached|Attached to candidate abc' 10
ui_alive || fail "program ended"
keys q
wait_for '^\[exit [0-9]+\]'
echo ok
