#!/usr/bin/env bash
# The API key ($KEY) never appears on screen: picker, form, progress (retrying and
# stalled), result (success, cancelled, retries exhausted, 401 refusal), the too-small
# notice, and the shell screen after exit. Wrapped lines are joined before searching and
# pieces of the key are looked for too (a truncated key is still a leak).
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
head -c 5000 /dev/urandom >"$T/files/doc.pdf"
checked=0

no_key() {   # no_key WHERE
  local txt part
  txt=$(tm capture-pane -p -J -t "$S")
  [ -n "$txt" ] || fail "empty capture at $1"
  for part in "$KEY" "${KEY:0:12}" "${KEY: -12}" "secret_key"; do
    if grep -qF -- "$part" <<<"$txt"; then fail "API key (\"$part\") visible on the $1 screen"; fi
  done
  checked=$((checked + 1))
}

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   doc\.pdf'
wait_for 'Enter pick'
no_key picker
keys Enter
wait_for '^ Attach doc\.pdf'
no_key "empty form"
keys -l "$CAND"
wait_for "Candidate ID +$CAND"
no_key "filled form"

# progress while retrying, then success
fault status "status=503&count=1&retry_after=1"
keys C-s
wait_for 'retrying in' 5
no_key "progress (retrying)"
wait_for "Attached to candidate $CAND" 10
no_key "result (success)"

# progress while stalled, too-small notice, cancelled result
keys p
wait_for '^   doc\.pdf'
fault stall "count=1"
keys Enter
wait_for '^ Attach doc\.pdf'
wait_for "Candidate ID +$CAND"        # the form keeps the last candidate
keys C-s
wait_for 'attached to this candidate before' 10   # the same doc.pdf: it asks first
no_key "form (sending again?)"
keys y
wait_for 'waiting for Kombo.s answer' 10
no_key "progress (stalled)"
resize 30 8
wait_for 'too small'
no_key "too small"
resize 80 24
wait_for 'waiting for Kombo.s answer'
keys Escape
wait_for 'May have been attached' 8
no_key "result (cancelled)"

# retries exhausted: 500 on every attempt
fault status "status=500&count=4&retry_after=0"
keys r                                        # it may be there: first, why sending again could duplicate it
wait_for 'could attach it twice'
no_key "retry question"
keys y
wait_for 'Not attached' 15
wait_for 'HTTP status +500' 15
no_key "result (500, retries exhausted)"
keys q
wait_exit 8                                   # the highest file code: may have been attached
# doc.pdf was cancelled while Kombo's answer was due, then failed: it may still be there
screen_text | grep -q '^kombo-attach: 1 attached, 1 may have been attached (doc\.pdf' ||
  fail "no line saying what was sent"
no_key "shell after exit"
next_ui

# a mock that accepts another key only: 401 result
kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null
echo "sk_a_different_key_for_the_mock" >"$T/other.key"
start_mock --api-key-file "$T/other.key"
start_ui 80x24 xterm-256color "$T/files"
wait_for '^   doc\.pdf'
keys Enter
wait_for '^ Attach doc\.pdf'
type_candidate_and_send
wait_for 'PLATFORM\.AUTHENTICATION_INVALID' 10
no_key "result (401)"
keys e
wait_for '^ Attach doc\.pdf'
no_key "form after 401"
keys C-c
wait_exit 130
no_key "shell after Ctrl-C"
[ "$checked" -eq 15 ] || fail "only $checked screens checked"
echo ok
