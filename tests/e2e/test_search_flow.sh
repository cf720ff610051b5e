#!/usr/bin/env bash
# Find by name -> pick the candidate -> their one open application is chosen -> send: the
# upload goes to the application endpoint, the mock stores it, the result names the
# candidate and the job and turns "verified" once the listing shows it; the history
# records the application; c copies the ATS page's link (OSC 52, into tmux's buffer).
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
echo "notes" >"$T/files/frank_cv.txt"

start_ui 100x30 xterm-256color "$T/files"
wait_for 'frank_cv\.txt'
tm set-option -g set-clipboard on
to_form
wait_for 'Recent|name, e-mail' 3
keys -l 'Frank Doe'
wait_for '2 matches for name Frank Doe' 5
wait_for 'Frank Doe +<frank\.doe@example\.com>'
wait_for 'Backend Engineer at Acme GmbH; Backend Engineer \(open\)'
wait_for 'Frank Doe +<frank@example\.com>'
keys Down
wait_for '▸ +Frank Doe +<frank\.doe'
keys Enter
wait_for "Candidate ID +$CAND"
wait_for 'Frank Doe <frank\.doe@example\.com>'
wait_for '\(•\) Backend Engineer · Application Review · open'     # the one open: chosen
wait_for '\( \) the candidate \(no application\)'
wait_for 'Files there +none yet'
keys C-s
wait_for "Attached to candidate $CAND\$" 10
wait_for 'Frank Doe, application for Backend Engineer - verified' 10
wait_for 'Application +Backend Engineer, Application Review \(A1pp2Bq3Cr4Ds5Et6Fu7Gv8H\)'
wait_for 'Verified +✓ verified'
wait_for 'ATS page +https://app\.greenhouse\.example/people/WvKpLs9a'

mock_requests | grep -q '"method":"POST","path":"/v1/ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments"' ||
  mock_requests | grep -q 'POST.*ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments' ||
  fail "no upload to the application: $(mock_requests | head -c 2000)"
stored=$(stored_file frank_cv.txt)
case "$stored" in */e2e:test/$CAND/frank_cv.txt) ;; *) fail "stored at unexpected path '$stored'" ;; esac
mock_get "/ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments" | grep -q '"file_name":"frank_cv.txt"' ||
  fail "the application's listing does not have the file"
grep -q '"application":"A1pp2Bq3Cr4Ds5Et6Fu7Gv8H","job":"Backend Engineer"' "$T/state/kombo-attach/history.jsonl" ||
  fail "history without the application: $(cat "$T/state/kombo-attach/history.jsonl")"

keys c
wait_for 'ATS page copied to the clipboard'
buf=$(tm show-buffer 2>/dev/null)
[ "$buf" = "https://app.greenhouse.example/people/WvKpLs9a" ] || fail "clipboard (tmux buffer) holds '$buf'"
keys Tab c                                       # the next link: the application's page
wait_for 'App page copied'
buf=$(tm show-buffer 2>/dev/null)
[ "$buf" = "https://app.greenhouse.example/applications/7000000" ] || fail "clipboard holds '$buf'"

# the next file for the same person: the form knows them, and the file now there
keys e
wait_for "Candidate ID +$CAND"
wait_for 'Files there +CV .*frank_cv\.txt'
wait_for 'a file of this name is already there'
keys Escape
wait_gone '^ Attach'
keys q
wait_exit 0
echo ok
