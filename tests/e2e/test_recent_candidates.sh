#!/usr/bin/env bash
# The form offers candidate IDs from the upload history, also after a restart: only those
# used with this integration, with the candidate's name when the history has one. An ID
# pasted with spaces around it is sent (and remembered) without them.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo one >"$T/files/one.txt"
echo two >"$T/files/two.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'one\.txt'
keys Enter
wait_for 'Candidate ID'
keys -l "   $CAND  "                             # a paste, with its spaces
wait_for "Candidate ID +$CAND"
keys C-s
wait_for "Attached to candidate $CAND\$" 10
keys q
wait_exit 0
grep -q "\"candidate\":\"$CAND\"" "$T/state/kombo-attach/history.jsonl" || fail "no history line for $CAND (trimmed)"

# another integration's candidate, and a named one of this integration, sent earlier
line() { # CANDIDATE INTEGRATION NAME-JSON
  printf '{"time":"2026-11-20T09:00:00Z","path":"/x/cv.pdf","size":3,"sha256":null,"candidate":"%s","type":"CV","name":"cv.pdf","content_type":"application/pdf","server":"e2e","integration":"%s","sandbox":false,"candidate_name":%s,"outcome":"ok","http_status":200,"attempts":1,"warnings":[],"error_code":null,"error_message":null,"log_url":null}\n' "$1" "$2" "$3"
}
OTHER="7ZaPLLpz5rBdxYbF1gHDmWqv"; NAMED="9kQwErTyUiPaSdFgHjKzXcVb"
{ line "$NAMED" "e2e:test" '"Anna M\u00fcller"'; line "$OTHER" "other:integration" null; } \
  >>"$T/state/kombo-attach/history.jsonl"

next_ui
start_ui 80x24 xterm-256color "$T/files"
wait_for 'two\.txt'
keys j
keys Enter
wait_for 'Candidate ID'
screen_text | grep -Eq "Candidate ID +$CAND" && fail "the field should start empty"
# before anything is typed the recent candidates of this integration are offered, named
wait_for 'Recent candidates'
wait_for "Anna Müller +$NAMED"
wait_for "\(name not known\) +$CAND"
screen_text | grep -q "$OTHER" && fail "a candidate of another integration was offered"
keys C-p                                        # the newest of this integration
wait_for "Candidate ID +$NAMED" 3
wait_for 'Anna Müller \(from earlier uploads\)'
keys C-p
wait_for "Candidate ID +$CAND" 3
keys C-p                                        # the oldest: it stays
sleep 0.3
screen_text | grep -q "$OTHER" && fail "a candidate of another integration was offered"
wait_for "Candidate ID +$CAND"
keys C-s
wait_for "Attached to candidate $CAND" 10
[ "$(inbox_count)" -eq 2 ] || fail "expected 2 stored files, found $(inbox_count)"
keys q
wait_exit 0
echo ok
