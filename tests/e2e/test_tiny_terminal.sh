#!/usr/bin/env bash
# Starting at 30x8 shows the "terminal too small" notice (keys ignored); at 40x12, the
# minimum, the picker is drawn and usable.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo one >"$T/files/notes.txt"
echo two >"$T/files/photo.jpg"

start_ui 30x8 xterm-256color "$T/files"
wait_for 'terminal too small'
wait_for '40x12'
screen_text | grep -q 'notes\.txt' && fail "picker drawn in a 30x8 terminal"
keys Enter                       # ignored while too small
sleep 0.2
screen_text | grep -q 'terminal too small' || fail "notice gone before the resize"
ui_alive || fail "program ended at 30x8"

resize 40 12
wait_gone 'terminal too small'
wait_for '^   notes\.txt'
wait_for '^   photo\.jpg'
wait_for ' 1/2 *$'
keys j
wait_for ' 2/2 *$'
keys Enter
wait_for '^ Attach photo\.jpg'
keys Escape
wait_for '^   notes\.txt'
keys q
wait_exit 0
echo ok
