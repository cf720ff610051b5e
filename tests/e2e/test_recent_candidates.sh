#!/usr/bin/env bash
# The form offers candidate IDs from the upload history, also after a restart.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo one >"$T/files/one.txt"
echo two >"$T/files/two.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'one\.txt'
keys Enter
wait_for 'Candidate ID'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
keys q
wait_exit 0
grep -q "\"candidate\":\"$CAND\"" "$T/state/kombo-attach/history.jsonl" || fail "no history line for $CAND"

next_ui
start_ui 80x24 xterm-256color "$T/files"
wait_for 'two\.txt'
keys j
keys Enter
wait_for 'Candidate ID'
screen_text | grep -q "$CAND" && fail "the field should start empty"
keys C-p
wait_for "Candidate ID +$CAND" 3
keys C-s
wait_for "Attached to candidate $CAND" 10
[ "$(inbox_count)" -eq 2 ] || fail "expected 2 stored files, found $(inbox_count)"
keys q
wait_exit 0
echo ok
