#!/usr/bin/env bash
# LANG=C (common over SSH from a Mac) does not break the layout, at 80x24 and at 40x12: the
# header stays on its line (its ellipsis is ASCII), no byte above 0x7f reaches the terminal,
# names outside ASCII are shown escaped (M\u00fcller) and counted by what is shown, long
# names keep their extension, and typing a non-ASCII character (the terminal sends UTF-8)
# neither locks the keyboard nor garbles the field.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo "cv" >"$T/files/Müller Lebenslauf.pdf"
echo "long" >"$T/files/a very long file name that goes on and on and on and on forever and ever.pdf"
echo "notes" >"$T/files/notes.txt"
export UI_BEFORE="export LC_ALL=C LANG=C; "

ascii_only() { # the whole screen is printable ASCII
  screen_text | LC_ALL=C grep -q '[^ -~]' && fail "a byte outside printable ASCII on screen ($1)"
  return 0
}
header_whole() { # COLS: line 1 is the header, line 2 is not its continuation
  screen_line 1 | grep -q '^ kombo-attach |' || fail "no header on line 1"
  [ "$(screen_line 1 | wc -L)" -le "$1" ] || fail "header wider than the screen"
}

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   a very long file name'
header_whole 80
screen_line 2 | grep -q '^ /tmp/' || fail "line 2 is not the path bar: $(screen_line 2)"
ascii_only "picker 80x24"
wait_for '^   M\\u00fcller Lebenslauf\.pdf  '
wait_for '^   a very long file name.*\.\.\..*ever\.pdf '
# the size column lines up with the others: the escape was counted as it is shown
row_m=$(screen_text | grep -E '^   M\\u00fcller' | sed 's/ *$//')
row_n=$(screen_text | grep -E '^   notes\.txt' | sed 's/ *$//')
[ "${#row_m}" -eq "${#row_n}" ] || fail "rows of different widths: '$row_m' / '$row_n'"
keys '?'
wait_for 'this list of keys'
ascii_only "help 80x24"
keys Escape
wait_gone 'this list of keys'

keys j
wait_for ' 2/3( |$)'
keys Enter
wait_for '^ Attach M\\u00fcller Lebenslauf\.pdf'
wait_for '^  Name +M\\u00fcller Lebenslauf\.pdf'
wait_for 'Size +3 B \(~ [0-9]+ B on the wire\)'
ascii_only "form 80x24"
keys -l 'aü'                                    # UTF-8 from the terminal
wait_for '^> Candidate ID +a\\u00fc'
keys -l 'b'                                     # the keyboard still works
wait_for '^> Candidate ID +a\\u00fcb'
keys C-u
type_candidate_and_send
wait_for "^  \+ Attached to candidate $CAND" 10
ascii_only "result 80x24"
stored=$(stored_file 'Müller Lebenslauf.pdf')
[ -n "$stored" ] || fail "the name did not arrive as UTF-8: $(find "$T/inbox" -type f)"

resize 40 12
wait_for 'Attached'
header_whole 40
ascii_only "result 40x12"
keys p
wait_for '^   a very long'
header_whole 40
screen_line 2 | grep -q '^ /tmp/\|^ \.\.\.' || fail "line 2 is not the path bar at 40 columns: $(screen_line 2)"
ascii_only "picker 40x12"
screen_text | grep -Eq '^   a very.*\.\.\..*\.pdf' || fail "the long name lost its extension at 40 columns"
keys '?'
wait_for '^ Files'
wait_for 'Esc close'
ascii_only "help 40x12"
keys Escape
wait_gone 'Esc close'
keys g j Enter
wait_for '^ Attach M\\u00fcller'
ascii_only "form 40x12"
keys Escape
wait_for '^   a very long'
keys q
wait_exit 0
wait_for '^kombo-attach: 1 attached$'
echo ok
