#!/usr/bin/env bash
# Memory errors and leaks under valgrind: a command-line upload of a ~2 MiB file to
# `kombo-attach mock` on a free port, a --dry-run of it, and --help.
# usage: tests/valgrind.sh KOMBO_ATTACH_BINARY
# Prints one summary line per run (valgrind's own error and leak counts) and exits
# non-zero on any error or definite/indirect leak. "Still reachable" and "possibly lost"
# blocks (libcurl, OpenSSL, libmagic keep some for the process lifetime) do not count.
set -u
KA=${1:?usage: valgrind.sh KOMBO_ATTACH_BINARY}
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 2; }
T=$(mktemp -d /tmp/ka-valgrind-XXXXXX)
MOCK_PID=""
cleanup() {
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# the mock runs natively (it is not what is measured here)
"$KA" mock --port 0 --inbox "$T/inbox" --quiet >"$T/mock.log" 2>&1 &
MOCK_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/v1' "$T/mock.log" | head -1)
  [ -n "$URL" ] && break
  sleep 0.05
done
[ -n "$URL" ] || { echo "mock did not start:"; cat "$T/mock.log"; exit 2; }

head -c $((2 * 1024 * 1024 + 12345)) /dev/urandom >"$T/cv.pdf"
export KOMBO_API_KEY=sk_valgrind_0123456789abcdef KOMBO_INTEGRATION_ID=valgrind:test \
       KOMBO_BASE_URL="$URL" XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state" \
       XDG_DATA_HOME="$T/data" XDG_CACHE_HOME="$T/cache" NO_COLOR=1
unset KOMBO_SERVER KOMBO_PROFILE KOMBO_CONFIG
CAND=4B9bJBkJ6jEGfpdpcCJ7JKJ9

failed=0
# vg NAME WANT_EXIT args...: run under valgrind, summarise, judge.
vg() {
  local name=$1 want=$2; shift 2
  local log="$T/vg-$name.log"
  valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
           --show-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no \
           --log-file="$log" "$KA" "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$?
  local errors definite indirect reachable
  errors=$(grep -oE 'ERROR SUMMARY: [0-9,]+ errors' "$log" | tail -1 | grep -oE '[0-9,]+' | tr -d ,)
  definite=$(grep -oE 'definitely lost: [0-9,]+ bytes in [0-9,]+ blocks' "$log" | tail -1 |
             sed -E 's/definitely lost: //; s/,//g')
  indirect=$(grep -oE 'indirectly lost: [0-9,]+ bytes in [0-9,]+ blocks' "$log" | tail -1 |
             sed -E 's/indirectly lost: //; s/,//g')
  reachable=$(grep -oE 'still reachable: [0-9,]+ bytes in [0-9,]+ blocks' "$log" | tail -1 |
              sed -E 's/still reachable: //; s/,//g')
  # "All heap blocks were freed" means no leak lines at all
  grep -q 'All heap blocks were freed' "$log" && { definite="0 bytes in 0 blocks"; indirect=$definite; reachable=$definite; }
  printf 'valgrind %-8s exit %-3s errors %s, definitely lost %s, indirectly lost %s, still reachable %s\n' \
         "$name" "$rc" "${errors:-?}" "${definite:-?}" "${indirect:-?}" "${reachable:-?}"
  local bad=0
  [ "$rc" = 99 ] && bad=1
  [ "${errors:-x}" = 0 ] || bad=1
  case "$definite" in "0 bytes"*|"") ;; *) bad=1 ;; esac
  case "$indirect" in "0 bytes"*|"") ;; *) bad=1 ;; esac
  if [ "$rc" != 99 ] && [ "$rc" != "$want" ]; then
    echo "  $name: exit $rc, want $want"; sed 's/^/  | /' "$T/$name.out" "$T/$name.err" | head -20; bad=1
  fi
  if [ "$bad" = 1 ]; then
    failed=$((failed + 1))
    echo "  --- valgrind log of $name ---"
    grep -vE '^==[0-9]+== *$' "$log" | sed 's/^/  | /' | head -150
  fi
  if grep -qF "$KOMBO_API_KEY" "$T/$name.out" "$T/$name.err"; then
    echo "  $name: the API key appears in the output"; failed=$((failed + 1))
  fi
}

vg upload 0 -q --candidate "$CAND" --type CV "$T/cv.pdf"
stored=$(find "$T/inbox" -type f -name cv.pdf | head -1)
if [ -z "$stored" ] || ! cmp -s "$stored" "$T/cv.pdf"; then
  echo "  upload: the file was not stored byte for byte"; failed=$((failed + 1))
fi
vg dry-run 0 --dry-run --candidate "$CAND" "$T/cv.pdf"
vg help 0 --help

if [ "$failed" -ne 0 ]; then
  echo "valgrind: $failed problem(s)"
  exit 1
fi
echo "valgrind: 3 runs clean"
