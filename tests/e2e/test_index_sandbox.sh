#!/usr/bin/env bash
# The sandbox keeps an index of its own (in $T/cache): the first start syncs it and says
# what is stored, a partial name ("fra") lists Frank Doe from it at once; the next start
# finds it fresh: no sync, no notice. With --no-index nothing is searched locally.
. "$(dirname "$0")/lib.sh"
mkdir "$T/files"
echo "notes" >"$T/files/cv.txt"
KEY="" E2E_INDEX=1 start_ui 140x30 xterm-256color "$T/files"
wait_for 'SANDBOX'
wait_for 'index: synced just now' 10
wait_for 'Search index in' 2
to_form
keys -l 'fra'
wait_for 'Frank Doe +<frank' 1
wait_for 'in the local index' 2
keys Escape
wait_for 'Space mark'
keys q
wait_exit 0

next_ui
KEY="" E2E_INDEX=1 start_ui 140x30 xterm-256color "$T/files"
wait_for 'index: synced just now' 5
wait_for 'cv\.txt'
screen_text | grep -q 'Search index in' && fail "the notice came again on the second start"
to_form
keys -l 'fra'
wait_for 'Frank Doe +<frank' 2
keys Escape
wait_for 'Space mark'
keys q
wait_exit 0

next_ui
KEY="" start_ui 140x30 xterm-256color "$T/files"                 # --no-index (lib.sh)
wait_for 'cv\.txt'
screen_text | grep -q 'index:' && fail "the header speaks of an index that is off"
to_form
keys -l 'fra'
wait_for 'No candidate found' 5
keys Escape
wait_for 'Space mark'
keys q
wait_exit 0
echo ok
