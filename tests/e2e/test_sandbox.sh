#!/usr/bin/env bash
# No API key configured: the UI runs against the embedded mock (SANDBOX in the header, with
# the inbox folder), and the uploaded file is in the sandbox inbox, byte for byte. Then with a
# key and --sandbox: still the sandbox, and the configured server gets nothing.
. "$(dirname "$0")/lib.sh"
mkdir "$T/files"
{ printf '%%PDF-1.4\n'; head -c 50000 /dev/urandom; } >"$T/files/Resume.pdf"   # a PDF to libmagic: the sandbox accepts PDFs
sandbox="$T/data/kombo-attach/sandbox"

KEY="" start_ui 100x30 xterm-256color "$T/files"
wait_for 'SANDBOX'
wait_for "inbox .*kombo-attach/sandbox"
wait_for 'Resume\.pdf'
keys Enter
wait_for 'Candidate ID'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
stored=$(find "$sandbox" -type f -name Resume.pdf | head -1)
[ -n "$stored" ] || fail "nothing in the sandbox inbox $sandbox: $(find "$T/data" -type f)"
case "$stored" in "$sandbox"/e2e:test/$CAND/Resume.pdf) ;; *) fail "stored at $stored" ;; esac
wait_for 'Stored at +.*/kombo-attach/sandbox/'   # where it landed (the path may wrap)
screen_text | grep -A1 'Stored at' | tr -d ' \n' | grep -q "sandbox/e2e:test/$CAND/Resume\.pdf" ||
  fail "no 'Stored at' with the sandbox's path"
cmp "$T/files/Resume.pdf" "$stored" || fail "sandbox copy differs from the original"
keys q
wait_exit 0

# A key is configured, but --sandbox wins: the mock at KOMBO_BASE_URL must see no upload.
next_ui
start_mock
start_ui 100x30 xterm-256color --sandbox "$T/files"
wait_for 'SANDBOX'
wait_for 'Resume\.pdf'
keys Enter
wait_for 'Candidate ID'
type_candidate_and_send
# the sandbox got this content for this candidate before: the history says so
wait_for 'This file was attached to this candidate before \(the same content\)' 10
wait_for 'Resume\.pdf on [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}'
keys y
wait_for "Attached to candidate $CAND" 10
[ "$(find "$sandbox" -type f -name 'Resume*.pdf' | wc -l)" -eq 2 ] || fail "second sandbox upload missing"
[ "$(inbox_count)" -eq 0 ] || fail "--sandbox sent to the configured server"
keys q
wait_exit 0
echo ok
