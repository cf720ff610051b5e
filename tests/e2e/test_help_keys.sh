#!/usr/bin/env bash
# `?` shows every key of the screen (from the footer's own tables) and a key closes it
# without acting; at 40 columns the footer ends in "? more" instead of losing bindings
# silently; in a text field `?` is typed and F1 is the help; Tab wraps from [Send] to the
# first field; after a result, Enter picks another file and the form opens on the candidate
# ID, never on [Send]; Esc on the result goes back to the files; quitting prints one line.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo "first" >"$T/files/a.txt"
echo "second" >"$T/files/b.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   a\.txt'
footer=$(screen_line 24)
echo "$footer" | grep -q '? keys' || fail "no '? keys' in the footer: $footer"
echo "$footer" | grep -q 'q quit' || fail "no 'q quit' in the footer: $footer"
keys '?'
wait_for '^ Files'
wait_for 'this list of keys'
wait_for 'PgDn \^D \^F +a page down'
wait_for 'Esc close'
keys q                                          # closes the help, does not quit
wait_gone 'this list of keys'
wait_for '^   a\.txt'
ui_alive || fail "q in the help quit the program"

resize 40 12
wait_for 'Enter pick'
screen_line 12 | grep -Eq '\? more *$' || fail "footer at 40 columns cut without '? more': $(screen_line 12)"
resize 80 24
wait_for 'q quit'

keys Enter
wait_for '^ Attach a\.txt'
keys '?'                                        # a candidate ID has no '?': the help
wait_for '^ Editing a field'
wait_for 'Alt-B .*cursor a word left'
keys Escape
wait_gone 'Editing a field'
wait_for '^ Attach a\.txt'
keys Tab Tab                                    # Type, Name
wait_for '▸ Name'
keys End
keys -l '?'                                     # in the name a '?' is text
wait_for 'Name +a\.txt\?'
screen_text | grep -q 'Editing a field' && fail "'?' in the name opened the help"
keys F1
wait_for '^ Editing a field'
keys Escape
wait_gone 'Editing a field'
keys BSpace
wait_for 'Name +a\.txt *$'
keys Tab Tab                                    # Content type, [Send]
wait_for '▸ +\[ Send \]'
keys Tab                                        # wraps to the first field
wait_for '▸ Candidate ID'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
keys Enter                                      # all attached: pick another file
wait_for '^   b\.txt'
keys j Enter
wait_for '^ Attach b\.txt'
wait_for "▸ Candidate ID +$CAND"                # on the ID, not on [Send]
keys Enter Enter                                # two Enters move on, they do not send
sleep 0.3
screen_text | grep -q '^ Attach b\.txt' || fail "two Enters left the form"
[ "$(inbox_count)" -eq 1 ] || fail "two Enters sent the file"
keys C-s
wait_for "Attached to candidate $CAND" 10
keys Escape                                     # Esc: back to the files
wait_for '^   a\.txt'
keys q
wait_exit 0
wait_for '^kombo-attach: 2 attached$'
echo ok
