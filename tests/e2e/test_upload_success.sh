#!/usr/bin/env bash
# Picker at 80x24 -> move to a file -> Enter -> candidate ID -> Ctrl-S -> success screen;
# the mock stored a byte-identical copy.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
echo "first file" >"$T/files/a_first.txt"
head -c 70000 /dev/urandom >"$T/files/b_second.bin"
printf '%%PDF-1.4\n%s\n' "not really a pdf" >"$T/files/c_third.pdf"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'a_first\.txt'
wait_for 'c_third\.pdf'
wait_for ' 1/3 *$'
keys j                                   # cursor to the second row
wait_for ' 2/3 *$'
keys Enter
wait_for '^ Attach b_second\.bin'
wait_for 'Candidate ID'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
screen_text | grep -Eq 'Name +b_second\.bin' || fail "success screen does not name the file"

stored=$(stored_file b_second.bin)
[ -n "$stored" ] || fail "no b_second.bin in the mock inbox: $(find "$T/inbox" -type f)"
case "$stored" in */e2e:test/$CAND/b_second.bin) ;; *) fail "stored at unexpected path $stored" ;; esac
cmp "$T/files/b_second.bin" "$stored" || fail "stored file differs from the original"
[ "$(inbox_count)" -eq 1 ] || fail "expected exactly 1 stored file, found $(inbox_count)"

keys q
wait_exit 0
echo "ok"
