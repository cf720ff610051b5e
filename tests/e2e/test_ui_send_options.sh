#!/usr/bin/env bash
# The send options reach the request in UI mode as on the command line: --name and
# --content-type prefill the form and are what the mock stores, --remote-fields go out as
# given, and --connect-timeout limits connecting (a port that never completes a connection
# must fail after 1 s, not after libcurl's default of minutes).
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo "plain text" >"$T/files/notes.txt"

RF='{"workable":{"on_behalf_of_user_remote_id":"u-42"}}'
start_ui 100x30 xterm-256color --name "'Renamed CV.pdf'" --content-type application/pdf \
  --remote-fields "'$RF'" "$T/files"
wait_for 'notes\.txt'
keys Enter
wait_for 'Name +Renamed CV\.pdf'
wait_for 'Content type +application/pdf'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
stored=$(stored_file 'Renamed CV.pdf')
[ -n "$stored" ] || fail "no 'Renamed CV.pdf' in the inbox: $(find "$T/inbox" -type f)"
cmp "$T/files/notes.txt" "$stored" || fail "stored file differs"
listing=$(curl -sf -H "Authorization: Bearer $KEY" -H "X-Integration-Id: e2e:test" \
  "$MOCK_URL/ats/candidates/$CAND/attachments")
echo "$listing" | grep -q '"content_type":"application/pdf"' || fail "content type not sent: $listing"
requests=$(curl -sf "${MOCK_URL%/v1}/__mock/requests")
echo "$requests" | grep -q 'on_behalf_of_user_remote_id' || fail "remote fields not sent: $requests"
keys q
wait_exit 0

# --connect-timeout in the UI: a listener whose backlog is full never completes a connect.
next_ui
cc -o "$T/blackhole" "$(dirname "$0")/blackhole.c" || fail "cannot build blackhole.c"
"$T/blackhole" >"$T/bh.port" &
BH=$!
trap 'kill $BH 2>/dev/null; cleanup_all' EXIT
wait_cond 5 "blackhole port" test -s "$T/bh.port"
start_ui 100x30 xterm-256color --base-url "http://127.0.0.1:$(cat "$T/bh.port")/v1" \
  --connect-timeout 1 --retries 0 "$T/files"
wait_for 'notes\.txt'
keys Enter
wait_for 'Candidate ID'
type_candidate_and_send
wait_for 'Not attached' 8                          # the key check's banner says it too: the result first
wait_for 'timed out after [0-9]+ s connecting' 8
keys q
wait_exit 5
wait_for '^kombo-attach: 0 attached, 1 failed \(notes\.txt: network error\)'
echo ok
