#!/usr/bin/env bash
# The preview pane: shown by itself at 100 columns (a text file's first line, a PDF's
# libmagic description), not at 80 until p toggles it, gone at 40 columns; escape sequences
# in a file are shown as escapes, never sent to the terminal.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
printf 'Frank Doe, first line\nsecond \033]0;owned\007 \033[31mred\n' >"$T/files/a-cv.txt"
cp "$(dirname "$0")/../../samples/Frank Doe Cover Letter.pdf" "$T/files/b-letter.pdf"
mkfifo "$T/files/c-fifo"

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   a-cv\.txt'
sleep 0.3
screen_text | grep -q 'first line' && fail "preview shown at 80 columns by default"
keys p                                            # the toggle works below 100 columns
wait_for '│ Frank Doe, first line'
resize 40 12
wait_gone 'first line'                            # no room: gone
wait_for '^   a-cv\.txt'
resize 80 24
wait_for '│ Frank Doe, first line'
keys q
wait_exit 0
tm kill-session -t "$S"

start_ui 100x30 xterm-256color "$T/files"
wait_for '^   a-cv\.txt'
wait_for '│ Frank Doe, first line'                 # on by default at 100 columns
wait_for '│ second \\x1b\]0;owned\\x07 \\x1b\[31mred'  # escapes shown, not obeyed
keys j
wait_for '│ PDF document, version 1\.4, 1 pages'
keys j
wait_for '│ named pipe \(FIFO\): not read'         # a FIFO never blocks the list
keys k k
wait_for '│ Frank Doe, first line'
keys p                                            # off
wait_gone 'first line'
keys p
wait_for '│ Frank Doe, first line'
keys q
wait_exit 0
echo ok
