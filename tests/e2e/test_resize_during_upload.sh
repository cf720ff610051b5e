#!/usr/bin/env bash
# While an upload waits on a stalled answer the window goes through 100x30, 40x12, 30x8
# ("too small" notice) and back to 80x24: the progress screen is laid out again each time,
# the program stays alive, and it can still be cancelled.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
head -c 200000 /dev/urandom >"$T/files/portfolio.bin"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'portfolio\.bin'
fault stall "count=1"
keys Enter
wait_for '^ Attach portfolio\.bin'
type_candidate_and_send
wait_for '^  Sending portfolio\.bin'
wait_for 'waiting for Kombo.s answer' 10

pane_size() { tm display-message -p -t "$S" '#{pane_width}x#{pane_height}'; }
# width in characters of the progress bar line (bar + percentage), 0 if not shown
bar_width() { screen_text | grep -E '(█|░)+ +[0-9]+%' | head -1 | sed 's/^ *//; s/ *$//' | wc -m; }
bar_between() { local w; w=$(bar_width); [ "$w" -ge "$1" ] && [ "$w" -le "$2" ]; }
footer_at() { screen_line "$1" | grep -q 'Esc cancel'; }

resize 100 30
[ "$(pane_size)" = 100x30 ] || fail "tmux did not resize to 100x30 (got $(pane_size))"
wait_cond 5 "progress bar re-laid out for 100 columns" bar_between 85 100
wait_cond 5 "footer on line 30" footer_at 30
wait_for '^  Sending portfolio\.bin'
ui_alive || fail "program died at 100x30"

resize 40 12
wait_cond 5 "progress bar re-laid out for 40 columns" bar_between 20 41
wait_cond 5 "footer on line 12" footer_at 12
wait_for '^  Sending portfolio\.bin'
wait_for 'waiting for Kombo.s answer'
ui_alive || fail "program died at 40x12"

resize 30 8
wait_for 'terminal too small' 5
wait_for 'still( |$)'                   # "- still sending", wrapped
ui_alive || fail "program died at 30x8"
keys c                                   # ignored while too small
sleep 0.3
screen_text | grep -q 'terminal too small' || fail "a key changed the too-small screen"

resize 80 24
wait_gone 'terminal too small'
wait_cond 5 "progress bar re-laid out for 80 columns" bar_between 65 80
wait_cond 5 "footer on line 24" footer_at 24
wait_for '^  Sending portfolio\.bin'
wait_for 'waiting for Kombo.s answer'
ui_alive || fail "program died"
[ "$(inbox_count)" -eq 0 ] || fail "stalled upload stored a file"

keys Escape
wait_for 'May have been attached' 8
[ "$(inbox_count)" -eq 0 ] || fail "a cancelled upload left a file"
keys q
wait_exit 8                                   # may have been attached
echo ok
