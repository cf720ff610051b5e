#!/usr/bin/env bash
# A bracketed paste of a path (as dragging a file into the terminal does) goes to the file:
# quoted, as a file:// URL, with a line end; a path that does not exist is reported; while
# typing a filter a paste is filter text. Bracketed paste is off again after the program.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir -p "$T/files/here" "$T/files/elsewhere/deeper"
echo a >"$T/files/here/a.txt"
for i in 1 2 3 4 5; do echo "$i" >"$T/files/elsewhere/deeper/f$i.txt"; done
echo cv >"$T/files/elsewhere/deeper/My CV.pdf"
paste() { tm send-keys -t "$S" -l $'\e[200~'"$1"$'\e[201~'; }

start_ui 80x24 xterm-256color "$T/files/here"
wait_for '^   a\.txt'
paste "'$T/files/elsewhere/deeper/My CV.pdf'"$'\n'
wait_for "deeper *sort"
wait_for 'My CV\.pdf'
keys Enter
wait_for '^ Attach My CV\.pdf'
keys Escape
wait_for '^   f1\.txt'
paste "file://$T/files/elsewhere/deeper/f4.txt"
wait_for ' 4/6 *$'
paste "$T/files/nope.txt"
wait_for 'no such file: .*nope\.txt'
keys /
paste "f5"
wait_for 'filter: f5'
wait_for '1 of 6 shown'
keys Escape
wait_gone 'filter:'
keys q
wait_exit 0
printf "%s" "$(screen_text)" >/dev/null
echo ok
