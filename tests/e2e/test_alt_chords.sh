#!/usr/bin/env bash
# Alt (Meta) chords arrive as Esc and a key at once: they are never taken for Esc. Option-
# Backspace in the file list neither clears the filter nor goes up a folder; Alt-B in the
# candidate field moves a word left instead of going back to the files; Alt-Backspace
# deletes a word; Ctrl-B/Ctrl-F move the cursor; Ctrl-D/Ctrl-U page the list. Esc alone still
# goes back.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir -p "$T/files/sub"
for i in $(seq -w 1 60); do echo "$i" >"$T/files/sub/f$i.txt"; done

start_ui 80x24 xterm-256color "$T/files/sub"
wait_for '^   f01\.txt'
wait_for ' 1/60 *$'
keys C-d                                        # a page down
wait_for ' 20/60 *$'
keys C-u
wait_for ' 1/60 *$'

keys /
wait_for 'filter:'
keys -l f0
wait_for '9 of 60 shown'
keys Enter                                      # keep the filter
wait_for 'filter "f0"'
keys M-BSpace                                   # Option-Backspace: nothing here
sleep 0.3
screen_text | grep -q 'filter "f0"' || fail "Option-Backspace cleared the filter"
screen_line 2 | grep -q '/sub ' || fail "Option-Backspace went up a folder"
keys M-b
sleep 0.3
screen_line 2 | grep -q '/sub ' || fail "Alt-B acted in the list"
wait_for '9 of 60 shown'

keys Enter
wait_for '^ Attach f01\.txt'
keys -l 'abc def'
wait_for 'Candidate ID +abc def'
keys M-b                                        # a word left: still in the form
keys -l X
wait_for 'Candidate ID +abc Xdef'
keys M-BSpace                                   # the word before the cursor: X
wait_for 'Candidate ID +abc def'
keys C-b C-b
keys -l Y
wait_for 'Candidate ID +abYc def'
keys C-f
keys -l Z
wait_for 'Candidate ID +abYcZ def'
screen_text | grep -q '^ Attach f01\.txt' || fail "left the form"

keys Escape                                     # Esc alone: back to the files
wait_for '^ . f01\.txt'
ui_alive || fail "program ended"
keys q
wait_exit 0
echo ok
