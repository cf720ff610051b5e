#!/usr/bin/env bash
# A file whose name holds a bidi override (cv<U+202E>fdp.txt, which a terminal would show as
# "cvtxt.pdf") is listed and shown in the form with the override escaped as \u202e, never
# raw. The form marks the name with a warning, and Ctrl-S stops once to say so (nothing
# sent); a second Ctrl-S sends it as it is. Then a picked file swapped for a symlink to a
# secret before Ctrl-S is refused on the result screen, and nothing of the secret is sent.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
odd=$(printf 'cv\xe2\x80\xaefdp.txt')
echo "Frank Doe's CV" >"$T/files/$odd"
echo "plain CV" >"$T/files/plain.txt"
echo "ks_live_secret_of_the_user" >"$T/secret"
chmod 600 "$T/secret"

start_ui 100x24 xterm-256color "$T/files"
wait_for '^   cv\\u202efdp\.txt '
screen_text | grep -q $'\xe2\x80\xae' && fail "raw U+202E on screen (picker)"
keys Enter
wait_for '^ Attach cv\\u202efdp\.txt'
wait_for 'Name +cv\\u202efdp\.txt'
wait_for 'invisible or direction-changing character \(\\u202e\)'
screen_text | grep -q $'\xe2\x80\xae' && fail "raw U+202E on screen (form)"
keys -l "$CAND"
keys C-s
wait_for 'the name \(.\): \^S again sends it'
sleep 0.3
[ "$(inbox_count)" -eq 0 ] || fail "sent at the first Ctrl-S"
keys C-s
wait_for "Attached to candidate $CAND" 10
[ "$(inbox_count)" -eq 1 ] || fail "expected 1 stored file, found $(inbox_count)"
stored=$(stored_file "$odd")
[ -n "$stored" ] || fail "not stored under its own name: $(find "$T/inbox" -type f)"
cmp "$T/files/$odd" "$stored" || fail "stored content differs"

# the file sent is the file picked
keys p
wait_for '^   plain\.txt'
keys j
wait_for ' 2/2( |$)'
keys Enter
wait_for '^ Attach plain\.txt'
rm "$T/files/plain.txt"
ln -s "$T/secret" "$T/files/plain.txt"
keys C-s
wait_for 'plain\.txt was replaced by another file since it was picked' 10
sleep 0.3
[ "$(inbox_count)" -eq 1 ] || fail "something more was stored: $(find "$T/inbox" -type f)"
grep -rq ks_live_secret_of_the_user "$T/inbox" && fail "the secret reached the mock"
keys q
wait_exit 3   # a session with a file refused ends with exit 3
echo ok
