#!/usr/bin/env bash
# A file whose name holds an invalid UTF-8 byte (bad\xffname.txt) is listed with the byte
# escaped as \xff (row still aligned) and can be picked. The form opens on its Name, marked
# to fix (the byte shows as U+FFFD; never the command line's "pass --name"), refuses to send
# until it is fixed, and then sends the name typed with the content byte for byte. With
# several files, the bad one's row is where the form opens, and it is fixed there.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
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
wait_for '^▸ Name +bad�name\.txt'                  # focused, marked to fix
wait_for "✗ the file's name is not all text"
screen_text | grep -q -- '--name' && fail "command-line advice in the UI"
keys C-s                                        # the first field to fix: the empty ID
wait_for 'fix the fields marked ✗ first'
wait_for '^▸ Candidate ID'
keys -l "$CAND"
keys C-s                                        # then the name
wait_for 'fix the fields marked ✗ first'
wait_for '^▸ Name +bad�name\.txt'
[ "$(inbox_count)" -eq 0 ] || fail "sent with a name that is not text"
keys C-u
keys -l 'bad name.txt'
wait_for '^▸ Name +bad name\.txt *$'
wait_gone "not all text"
keys C-s
wait_for "Attached to candidate $CAND" 10

[ "$(inbox_count)" -eq 1 ] || fail "expected 1 stored file, found $(inbox_count)"
stored=$(stored_file 'bad name.txt')
[ -n "$stored" ] || fail "not stored as 'bad name.txt': $(find "$T/inbox" -type f)"
cmp "$T/files/$bad" "$stored" || fail "stored content differs"

# several files: the bad one's row
keys p
wait_for '^   aaa\.txt'
keys g Space Space
wait_for '2 marked'
keys Enter
wait_for '^ Attach 2 files'
wait_for '^▸ CV +bad�name\.txt'
wait_for '^  CV +aaa\.txt'
keys C-u
keys -l 'second.txt'
wait_for '^▸ CV +second\.txt( |$)'
keys C-t                                        # this file's type alone
wait_for '^▸ COVER_LETTER +second\.txt'
wait_for '^  CV +aaa\.txt'
keys C-s
# the same content went to this candidate a moment ago (as "bad name.txt"): it asks
wait_for 'One file was attached to this candidate before \(the same content\)'
wait_for 'y send anyway +s skip those +n back'
keys y
wait_for "2 of 2 files attached to candidate $CAND" 10
s=$(stored_file second.txt); [ -n "$s" ] || fail "second.txt not stored"
cmp "$T/files/$bad" "$s" || fail "second.txt differs"
listing=$(curl -sf -H "Authorization: Bearer $KEY" -H "X-Integration-Id: e2e:test" \
  "$MOCK_URL/ats/candidates/$CAND/attachments")
echo "$listing" | grep -q '"second.txt"' || fail "listing: $listing"
echo "$listing" | grep -Eq '"type":"COVER_LETTER"[^}]*"file_name":"second.txt"' ||
  fail "second.txt not sent as COVER_LETTER: $listing"
keys q
wait_exit 0
echo ok
