#!/usr/bin/env bash
# Ctrl-C leaves the program with status 130 and gives the terminal back: the alternate
# screen is left (the shell's text before the UI is visible again, the UI is gone), the
# cursor is visible, keypad mode is off and the tty is back in cooked mode.
# Run 1: in the picker. Run 2: during an upload stalled on the server.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo hello >"$T/files/memo.txt"

flags() { tm display-message -p -t "$S" 'alt=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} kcursor=#{keypad_cursor_flag} mouse=#{mouse_any_flag}'; }
export UI_BEFORE='echo "shell text before the UI"; '
export UI_AFTER='echo "tty: $(stty -a | tr " ;" "\n\n" | grep -xE -e "-?(echo|icanon|isig)" | tr "\n" " ")"; '

check_restored() {
  wait_exit 130
  wait_for '^tty: '
  wait_for '^shell text before the UI'
  screen_text | grep -q 'kombo-attach │' && fail "UI header still on screen after exit"
  # the one line the UI leaves on purpose says what came of memo.txt; nothing else may
  screen_text | grep -v '^kombo-attach: ' | grep -q 'memo\.txt' && fail "UI text still on screen after exit"
  screen_text | grep -Eq '^tty: .*\becho\b' || fail "echo not restored"
  screen_text | grep -Eq '^tty: .*-echo\b' && fail "echo still off"
  screen_text | grep -Eq '^tty: .*-icanon' && fail "still in raw/cbreak mode"
  [ "$(flags)" = "alt=0 cursor=1 keypad=0 kcursor=0 mouse=0" ] || fail "terminal modes not restored: $(flags)"
}

# --- run 1: Ctrl-C in the picker
start_ui 80x24 xterm-256color "$T/files"
wait_for '^   memo\.txt'
wait_for 'Enter pick'
[ "$(tm display-message -p -t "$S" '#{alternate_on}')" = 1 ] || fail "UI not on the alternate screen"
screen_text | grep -q 'shell text before' && fail "shell text visible while the UI runs"
keys C-c
check_restored
next_ui

# --- run 2: Ctrl-C while an upload waits on a stalled server
fault stall "count=1"
start_ui 80x24 xterm-256color "$T/files"
wait_for '^   memo\.txt'
keys Enter
wait_for '^ Attach memo\.txt'
type_candidate_and_send
wait_for 'waiting for Kombo.s answer' 10
keys C-c
check_restored
[ "$(inbox_count)" -eq 0 ] || fail "a file was stored"
echo ok
