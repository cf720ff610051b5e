#!/usr/bin/env bash
# A file whose name holds an invalid UTF-8 byte (bad\xffname.txt) is listed with the byte
# escaped as \xff (row still aligned), can be picked and uploaded; the name sent is valid
# UTF-8 and the stored content is byte-identical.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
bad=$(printf 'bad\xffname.txt')
echo "plain" >"$T/files/aaa.txt"
head -c 3000 /dev/urandom >"$T/files/$bad"
echo "last" >"$T/files/zzz.txt"
[ -f "$T/files/$bad" ] || fail "setup: cannot create the file"

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   aaa\.txt'
wait_for '^   bad\\xffname\.txt '
wait_for '^   zzz\.txt'
screen_text | grep -q $'\xff' && fail "raw 0xff byte on screen"
screen_text | grep -q '�' && fail "replacement character shown instead of the \\xff escape"
# the size/date columns line up with the other rows
row_bad=$(screen_text | grep -E '^   bad\\xffname' | sed 's/ *$//')
row_a=$(screen_text | grep -E '^   aaa\.txt' | sed 's/ *$//')
[ "${#row_bad}" -eq "${#row_a}" ] || fail "row widths differ: '${row_bad}' vs '${row_a}'"

keys j
wait_for ' 2/3( |$)'
keys Enter
wait_for '^ Attach bad\\xffname\.txt'
wait_for 'File +.*/bad\\xffname\.txt'
name=$(screen_text | sed -n 's/^  Name  *//p' | sed 's/ *$//')
[ -n "$name" ] || fail "no Name field"
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10

[ "$(inbox_count)" -eq 1 ] || fail "expected 1 stored file, found $(inbox_count)"
stored=$(find "$T/inbox" -type f ! -name '.*')
base=$(basename "$stored")
printf '%s' "$base" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || fail "stored name is not valid UTF-8"
[ "$base" = "$name" ] || fail "stored as '$base' but the form said '$name'"
case "$base" in bad*name.txt) ;; *) fail "stored name '$base' lost its parts" ;; esac
cmp "$T/files/$bad" "$stored" || fail "stored content differs"
keys q
wait_exit 0
echo ok
