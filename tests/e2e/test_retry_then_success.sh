#!/usr/bin/env bash
# Two 503 answers with Retry-After: 1, then success: the progress screen shows the retry
# (attempt number / "retrying in" line) and the upload ends attached after 3 attempts.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
head -c 4096 /dev/urandom >"$T/files/cv.pdf"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'cv\.pdf'
fault status "status=503&count=2&retry_after=1"
keys Enter
wait_for '^ Attach cv\.pdf'
type_candidate_and_send
wait_for 'retrying in [0-9.]+ s .*503' 5
# the last attempt sent every byte, but it is not done: the bar is empty while it waits
screen_text | grep -q 'retrying in' && screen_text | grep -q '100%' && fail "a full bar during a retry wait"
screen_text | grep -Eq '  0%' || fail "the bar is not empty during the retry wait"
wait_for 'attempt [23] of 4' 5
wait_for 'attempt 3 of 4' 8
wait_for "Attached to candidate $CAND" 10
wait_for 'Time +[0-9.]+ s, 3 attempts'
stored=$(stored_file cv.pdf)
[ -n "$stored" ] || fail "cv.pdf not stored"
cmp "$T/files/cv.pdf" "$stored" || fail "stored file differs"
mock_stats | grep -q '"uploads":3,' || fail "mock did not see 3 uploads: $(mock_stats)"
[ "$(inbox_count)" -eq 1 ] || fail "expected 1 stored file, found $(inbox_count)"
keys q
wait_exit 0
echo ok
