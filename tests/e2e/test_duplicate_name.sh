#!/usr/bin/env bash
# A file of the same name as one the candidate already has is flagged before sending (the
# listing is read in the background), and "Files there" lists it; sending it anyway works.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files" "$T/other"
echo "first" >"$T/files/cv.txt"
echo "second, other content" >"$T/other/cv.txt"
# one cv.txt is in the candidate's listing already (sent by someone else)
curl -sf -X POST -H "Authorization: Bearer $KEY" -H "X-Integration-Id: e2e:test" -H 'Content-Type: application/json' \
  -d '{"attachment":{"name":"cv.txt","type":"CV","content_type":"text/plain","data":"Zmlyc3QK"}}' \
  "$MOCK_URL/ats/candidates/$CAND/attachments" >/dev/null || fail "could not seed the listing"

start_ui 100x30 xterm-256color "$T/other"
wait_for 'cv\.txt'
to_form
keys -l "$CAND"
wait_for 'Frank Doe <frank\.doe@example\.com>' 5
wait_for 'Files there +CV .*cv\.txt' 5
wait_for 'Name +cv\.txt'
wait_for '! a file of this name is already there'
keys C-s
wait_for "Attached to candidate $CAND\$" 10
[ "$(inbox_count)" -eq 2 ] || fail "expected 2 stored files, found $(inbox_count)"
keys q
wait_exit 0
echo ok
