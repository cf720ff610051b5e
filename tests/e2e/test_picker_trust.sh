#!/usr/bin/env bash
# The picker tells what cannot be sent before the form: empty, over --max-size, a FIFO, a file
# this user may not read (their own: chmod; someone else's: ask its owner, never a chmod they
# cannot run) are dimmed and flagged "!", the status line says why, and they can be neither
# picked nor marked. `a` marks every file shown and, again, none. Marks survive changing
# folders. The filter folds case beyond ASCII (MÜLLER finds Müller). A long name is cut in
# the middle, its extension in view, with one ellipsis.
# Run as root, the UI runs as nobody (root may read everything).
. "$(dirname "$0")/lib.sh"
start_mock
F=$T/files
mkdir -p "$F/sub" "$T/state" "$T/config" "$T/data"
echo "ok" >"$F/ok.txt"
echo "cv" >"$F/Müller Lebenslauf.pdf"
: >"$F/empty.txt"
head -c 2000000 /dev/zero >"$F/big.bin"
mkfifo "$F/pipe"
echo "inner" >"$F/sub/inner.txt"
long="a very long file name that goes on and on and on and on forever and ever.pdf"
echo "long" >"$F/$long"
if [ "$(id -u)" = 0 ]; then
  echo "mine" >"$F/mine.txt"; chown nobody "$F/mine.txt"; chmod 000 "$F/mine.txt"
  echo "theirs" >"$F/theirs.txt"; chmod 600 "$F/theirs.txt"
  chmod 755 "$T" "$F" "$F/sub"
  chown -R nobody "$T/state" "$T/config" "$T/data"
  export UI_BEFORE="setpriv --reuid=65534 --regid=65534 --clear-groups "
  owner=root
else
  echo "mine" >"$F/mine.txt"; chmod 000 "$F/mine.txt"
  owner=""
fi

start_ui 80x24 xterm-256color --max-size 1M "$F"
wait_for '^   ok\.txt'
for n in empty\\.txt big\\.bin pipe mine\\.txt; do
  wait_for "^ ! $n "
done
[ -n "$owner" ] && wait_for '^ ! theirs\.txt '
screen_text | grep -q '^ ! ok\.txt' && fail "ok.txt flagged"

# each one's reason, as the cursor passes it
row() { screen_text | grep -n -- "$1" | head -1 | cut -d: -f1; }
select_row() { # NAME-REGEX: move the cursor onto the row showing NAME
  keys g; local want; want=$(( $(row "$1") - 2 ))
  local i; for i in $(seq 2 "$want"); do keys j; done
  wait_for " $want/[0-9]+( |$)"
}
select_row ' empty\.txt'
wait_for 'empty \(0 bytes\): nothing to attach'
keys Space                                      # cannot be marked
wait_for 'empty \(0 bytes\)'
screen_text | grep -q 'marked' && fail "empty.txt was marked"
select_row ' big\.bin'
wait_for '1\.91 MiB: over the limit of 1\.00 MiB \(--max-size\)'
select_row ' pipe'
wait_for 'named pipe \(FIFO\), not a file'
keys Enter                                      # cannot be picked
sleep 0.3
screen_text | grep -q '^ Attach' && fail "a FIFO opened the form"
select_row ' mine\.txt'
wait_for 'unreadable \(permission denied\): chmod u\+r it'
if [ -n "$owner" ]; then
  select_row ' theirs\.txt'
  wait_for "root's file, unreadable: ask its owner or copy it somewhere you can read"
  screen_text | grep -q 'chmod' && fail "advised a chmod on someone else's file"
  keys Enter
  sleep 0.3
  screen_text | grep -q '^ Attach' && fail "an unreadable file opened the form"
  wait_for "root's file, unreadable"
fi

# the long name: cut in the middle, the extension in view, one ellipsis
wait_for '^   a very long file.*….*ever\.pdf '
screen_text | sed 1d | grep -q '….*…' && fail "a line with two ellipses"

# a: every file that can be sent, and again: none
keys a
wait_for 'files marked; the dimmed ones cannot be sent'
wait_for '^ ✓ ok\.txt'
wait_for '^ ✓ Müller Lebenslauf\.pdf'
screen_text | grep -Eq '^ ✓ (empty\.txt|big\.bin|pipe|mine\.txt)' && fail "a file that cannot be sent was marked"
keys a
wait_for 'files unmarked'
wait_gone '^ ✓ '

# marks survive changing folders
select_row ' ok\.txt'
keys Space
wait_for '1 marked'
select_row ' sub/'
keys Enter
wait_for '^   inner\.txt'
wait_for '1 marked, 0 here'
keys Space
wait_for '2 marked, 1 here'
keys BSpace
wait_for '^ ✓ ok\.txt'
wait_for '2 marked, 1 here'
select_row ' ok\.txt'                          # Enter on a file: the marked ones
keys Enter
wait_for '^ Attach 2 files'
wait_for 'ok\.txt'
wait_for 'inner\.txt'
keys Escape
wait_for '2 marked'
keys Escape                                     # unmark all, in every folder
wait_gone 'marked'

# the filter folds beyond ASCII
keys /
keys -l 'MÜLLER'
wait_for 'of [0-9]+ shown'
wait_for 'Müller Lebenslauf\.pdf'
screen_text | grep -q 'ok\.txt' && fail "ok.txt shown under filter MÜLLER"

resize 40 12
wait_for 'Müller'
screen_text | sed 1d | grep -q '….*…' && fail "a line with two ellipses at 40 columns"
keys Escape
wait_for 'a very'
screen_text | grep -Eq '^   a very.*….*\.pdf' || fail "long name lost its extension at 40 columns"
keys q
wait_exit 0
echo ok
