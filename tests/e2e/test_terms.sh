#!/usr/bin/env bash
# The picker draws the file names and `q` exits 0 under several TERM values (tmux is the
# real terminal; TERM only changes what ncurses emits), with colour and with NO_COLOR=1.
# Colour escapes (other than "default colour" 39/49) appear only when allowed.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo a >"$T/files/zebra_notes.txt"
echo b >"$T/files/année_rapport.pdf"
echo c >"$T/files/cv.docx"

ESC=$'\e'
uses_colour() {
  tm capture-pane -e -p -t "$S" | grep -Eq "$ESC\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|m)"
}

run_one() {
  local term=$1 want_colour=$2
  echo "--- TERM=$term NO_COLOR=${NO_COLOR:-}"
  start_ui 80x24 "$term" "$T/files"
  wait_for '^   année_rapport\.pdf'
  wait_for '^   cv\.docx'
  wait_for '^   zebra_notes\.txt'
  wait_for 'Enter pick'
  wait_for ' 1/3 *$'
  if [ "$want_colour" = yes ]; then
    uses_colour || fail "TERM=$term: no colours drawn"
  else
    uses_colour && fail "TERM=$term NO_COLOR=${NO_COLOR:-}: colours drawn"
  fi
  keys j                          # keys still work
  wait_for ' 2/3 *$'
  keys q
  wait_exit 0
  next_ui
}

for term in vt100 screen tmux-256color linux xterm-256color; do
  [ -n "$(infocmp "$term" 2>/dev/null)" ] || fail "no terminfo entry for $term on this machine"
  colour=yes; [ "$term" = vt100 ] && colour=no          # vt100 has no colours
  NO_COLOR= run_one "$term" "$colour"
  NO_COLOR=1 run_one "$term" no
done
echo ok
