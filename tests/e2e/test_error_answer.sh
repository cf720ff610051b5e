#!/usr/bin/env bash
# The mock only accepts another key, so the upload gets a non-retryable 401: the result
# screen shows Kombo's code, message and log URL, nothing is retried, and `e` returns to
# the form with the values kept.
. "$(dirname "$0")/lib.sh"
echo "sk_some_other_key_not_ours" >"$T/mock.key"
start_mock --api-key-file "$T/mock.key"
mkdir "$T/files"
echo "hello" >"$T/files/letter.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'letter\.txt'
keys Enter
wait_for '^ Attach letter\.txt'
keys Tab                                 # Candidate ID -> Type
wait_for '^▸ Type'
keys Space                               # CV -> COVER_LETTER
wait_for '\[COVER_LETTER\]'
keys BTab
wait_for '^▸ Candidate ID'
type_candidate_and_send
wait_for 'Not attached' 10
wait_for 'Code +PLATFORM\.AUTHENTICATION_INVALID'
wait_for 'Message +the API key is not valid'
wait_for "Log +${MOCK_URL%/v1}/logs/[0-9]+"
wait_for 'HTTP status +401'
wait_for 'Attempts +1 of'                # a 401 is not retried
[ "$(inbox_count)" -eq 0 ] || fail "a refused upload stored a file"

keys e
wait_for '^ Attach letter\.txt'
wait_for "Candidate ID +$CAND"
wait_for '\[COVER_LETTER\]'
wait_for 'Name +letter\.txt'
ui_alive || fail "program ended"
keys C-c
wait_exit 130
echo ok
