#!/usr/bin/env bash
# Drive the real kombo-attach UI in an xterm under Xvfb (through tmux, for keys) and save PNG
# screenshots of each screen into screenshots/. A known API key is configured and --sandbox
# given: every screen pictured is checked for that key before its picture is taken.
# usage: scripts/screenshots.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
KA=$(realpath "${1:-./kombo-attach}")
OUT=$PWD/screenshots
COLS=100 LINES_=30
T=$(mktemp -d /tmp/ka-shots-XXXXXX)
SOCK=ka-shots-$$
DISPLAY_NUM=:$((90 + RANDOM % 9))
XVFB_PID=""; XTERM_PID=""
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
  tm kill-server 2>/dev/null || true
  [ -n "$XTERM_PID" ] && kill "$XTERM_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

wait_for() { # REGEX [seconds]
  for _ in $(seq 1 $(( ${2:-10} * 20 ))); do
    tm capture-pane -p -t ui | grep -Eq -- "$1" && return 0
    sleep 0.05
  done
  echo "screenshots: timed out waiting for /$1/; screen:" >&2
  tm capture-pane -p -t ui >&2
  exit 1
}
KEY=sk_live_screenshot_never_shown_0123456789
shot() { # NAME
  sleep 0.4 # let xterm paint what tmux sent
  if tm capture-pane -p -t ui | tr -d '\n' | grep -q "${KEY:8:12}"; then
    echo "screenshots: the API key is on the screen for $1" >&2
    exit 1
  fi
  local id
  id=$(xwininfo -display "$DISPLAY_NUM" -name kombo-attach-shot | awk '/Window id:/ {print $4}')
  import -display "$DISPLAY_NUM" -window "$id" "$OUT/$1.png"
  echo "screenshots: $OUT/$1.png"
}
sandbox_url() { # the embedded mock's port, from the listening sockets of the UI process
  local pid port
  pid=$(pgrep -P "$(tm display-message -p -t ui '#{pane_pid}')" -f "$KA" | head -1)
  port=$(ss -ltnpH 2>/dev/null | grep "pid=$pid," | grep -o '127\.0\.0\.1:[0-9]*' | head -1)
  echo "http://$port"
}

# A folder that looks like a recruiter's downloads.
demo=$T/Candidates
mkdir -p "$demo/Archive" "$demo/Interview notes" "$demo/2024/jobs/acme"
cp samples/* "$demo/"
# a CV three folders down, for the tree search
cp "samples/Frank Doe Cover Letter.pdf" "$demo/2024/jobs/acme/cv-frank-doe.pdf"
# under the sandbox integration's 10 MiB limit (bigger would be refused in the form)
head -c 9000000 /dev/urandom > "$T/portfolio.raw"
{ printf '%%PDF-1.7\n'; cat "$T/portfolio.raw"; } > "$demo/Frank Doe Portfolio.pdf"
printf 'Name,Email\nFrank Doe,frank.doe@example.com\n' > "$demo/referrals.csv"
printf 'Reference letter for Frank Doe.\n' > "$demo/Reference — Anna Müller.txt"
touch -d '2026-11-20 09:14' "$demo/referrals.csv"
touch -d '2026-11-25 16:02' "$demo/Reference — Anna Müller.txt"
# A folder of CVs for the several-files screens: big enough that the slowed sandbox shows
# them on their way (the socket buffers swallow small ones at once).
refs=$T/Referrals
mkdir -p "$refs"
for n in "Ada Lovelace" "Grace Hopper" "Alan Turing" "Edsger Dijkstra" "Barbara Liskov" \
         "Donald Knuth" "Frances Allen" "Ken Thompson"; do
  { printf "%%PDF-1.7\n"; head -c $((7000000 + RANDOM * 30)) /dev/urandom; } > "$refs/$n CV.pdf"
done

mkdir -p "$OUT"
Xvfb "$DISPLAY_NUM" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1
tm new-session -d -s ui -x "$COLS" -y "$LINES_" \
  "cd '$demo' && env KOMBO_API_KEY=$KEY TERM=xterm-256color XDG_CONFIG_HOME=$T/config \
   XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data HOME=$T $KA --sandbox --no-history .; sleep 60"
tm set-option -t ui status off >/dev/null
DISPLAY=$DISPLAY_NUM xterm -T kombo-attach-shot -geometry ${COLS}x${LINES_}+0+0 \
  -fa 'DejaVu Sans Mono' -fs 11 -bg '#1d1f21' -fg '#d8d8d8' -bw 0 +sb \
  -xrm 'XTerm*termName: xterm-256color' -e tmux -L "$SOCK" attach -t ui &
XTERM_PID=$!
wait_for 'Frank Doe CV'
sleep 0.5

# 1. The picker, cursor on the CV (the preview pane beside the list from 100 columns).
tm send-keys -t ui Down Down Down Down
wait_for 'text/plain'
shot 01-picker

# 1b. The preview of a PDF: libmagic's description.
tm send-keys -t ui Up
wait_for 'PDF document, version'
shot 06-preview

# 1c. Finding a file in every folder below.
tm send-keys -t ui f
wait_for 'find below'
tm send-keys -t ui -l cvfd
wait_for '2024/jobs/acme/cv-frank-doe\.pdf'
wait_for 'files below'
shot 07-find-below
tm send-keys -t ui Escape
wait_for 'Frank Doe CV'
tm send-keys -t ui Down
wait_for 'text/plain'

# 2. The form, filled in.
tm send-keys -t ui Enter
wait_for 'Candidate ID'
tm send-keys -t ui '4B9bJBkJ6jEGfpdpcCJ7JKJ9'
wait_for '4B9bJBkJ6jEGfpdpcCJ7JKJ9'
shot 02-form

# 3. A success, with the sandbox's warning list if any.
tm send-keys -t ui C-s
wait_for 'Attached|attached'
shot 04-success

# 4. An upload in progress: the sandbox server reads at 1 MiB/s for this one request.
base=$(sandbox_url)
# the sandbox's mock wants its per-run key, which it leaves in the (private) inbox
AUTH="Authorization: Bearer $(cat "$T/data/kombo-attach/sandbox/.mock-key")"
curl -s -H "$AUTH" -X POST "$base/__mock/fault?kind=slow&rate=1048576&count=1" >/dev/null
tm send-keys -t ui p
wait_for 'sort:'
tm send-keys -t ui Home
tm send-keys -t ui /
tm send-keys -t ui 'portfolio'
tm send-keys -t ui Enter
wait_for 'Portfolio'
tm send-keys -t ui Enter
wait_for 'Candidate ID'
tm send-keys -t ui C-s
wait_for '[0-9]+%' 15
sleep 5
shot 03-progress
tm send-keys -t ui Escape
wait_for 'Not attached' 15

# 5. An error from Kombo, in full.
curl -s -H "$AUTH" -X POST "$base/__mock/fault?kind=status&status=403&code=INTEGRATION.PERMISSION_MISSING&message=The%20integration%20is%20missing%20the%20permission%20to%20write%20attachments.%20Ask%20the%20customer%20to%20grant%20it%20in%20Greenhouse%2C%20then%20retry.&count=1" >/dev/null
tm send-keys -t ui p
wait_for 'sort:'
tm send-keys -t ui / C-u
tm send-keys -t ui 'cover'
tm send-keys -t ui Enter
wait_for 'Cover Letter'
tm send-keys -t ui Enter
wait_for 'Candidate ID'
tm send-keys -t ui C-s
wait_for 'PERMISSION_MISSING' 10
shot 05-error

# 6. The search: a name typed, the matches under the field, the second one highlighted.
tm send-keys -t ui e
wait_for 'Candidate ID'
tm send-keys -t ui C-e C-u
wait_for 'Recent candidates|name, e-mail'
tm send-keys -t ui -l 'Frank Doe'
wait_for '2 matches for (name )?"?Frank Doe'
# the order depends on whether the index or Kombo answered first: go down to the one wanted
for _ in 1 2 3; do
  tm send-keys -t ui Down
  sleep 0.3
  tm capture-pane -p -t ui | grep -Eq '▸ +Frank Doe +<frank@example' && break
done
wait_for '▸ +Frank Doe +<frank@example'
shot 08-search

# 7. The candidate picked: their applications, the open one chosen, and their files.
tm send-keys -t ui Enter
wait_for '\(•\)'
wait_for 'Files there +CV'
shot 09-application
tm send-keys -t ui Escape
sleep 0.3
tm send-keys -t ui q
sleep 0.5

# 8. Several files at once, on the batch engine: eight marked, the sandbox reading each
# upload at 1 MB/s, four in flight; then all of them attached.
tm respawn-pane -k -t ui \
  "cd '$refs' && env KOMBO_API_KEY=$KEY TERM=xterm-256color XDG_CONFIG_HOME=$T/config \
   XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data HOME=$T $KA --sandbox --no-history .; sleep 60"
wait_for 'Ada Lovelace CV'
for _ in 1 2 3 4 5 6 7 8; do tm send-keys -t ui Space; done
wait_for '8 marked'
tm send-keys -t ui Enter
wait_for 'Attach 8 files'
tm send-keys -t ui '4B9bJBkJ6jEGfpdpcCJ7JKJ9'
wait_for 'Frank Doe <frank'
base=$(sandbox_url)
AUTH="Authorization: Bearer $(cat "$T/data/kombo-attach/sandbox/.mock-key")"
curl -s -H "$AUTH" -X POST "$base/__mock/fault?kind=slow&rate=1000000&count=all" >/dev/null
tm send-keys -t ui C-s
wait_for '[0-9]+ in flight' 15
sleep 3
shot 10-batch
wait_for '8 of 8 files attached' 90
shot 11-batch-done
tm send-keys -t ui q
echo "screenshots: done"
