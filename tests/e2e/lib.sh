# Helpers for end-to-end tests that drive the real UI in tmux against the mock server.
# Sourced by each test_*.sh; the test runs in its own temp folder $T and tmux server.
set -u
KA=${KA_BIN:?KA_BIN must name the kombo-attach binary}
T=$(mktemp -d /tmp/ka-e2e-XXXXXX)
SOCK="ka-e2e-$$"
S=ui
MOCK_PID=""
MOCK_URL=""
KEY="sk_e2e_secret_key_0123456789abcdef"

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

cleanup() {
  tm kill-server 2>/dev/null
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "--- screen ---"; screen_text; echo "--------------"; exit 1; }

# start_mock [extra mock flags...]: a mock on a free port; sets MOCK_URL.
start_mock() {
  mkdir -p "$T/inbox"
  "$KA" mock --port 0 --inbox "$T/inbox" "$@" >"$T/mock.log" 2>&1 &
  MOCK_PID=$!
  for _ in $(seq 1 100); do
    MOCK_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/v1' "$T/mock.log" | head -1)
    [ -n "$MOCK_URL" ] && return 0
    sleep 0.05
  done
  echo "mock did not start:"; cat "$T/mock.log"; exit 1
}

# start_ui COLSxLINES TERM args...: run kombo-attach in a detached tmux session.
start_ui() {
  local size=$1 term=$2; shift 2
  local cols=${size%x*} lines=${size#*x}
  tm new-session -d -s "$S" -x "$cols" -y "$lines" \
    "env TERM=$term NO_COLOR=${NO_COLOR:-} KOMBO_API_KEY=$KEY KOMBO_INTEGRATION_ID=e2e:test \
     KOMBO_BASE_URL=$MOCK_URL XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state \
     XDG_DATA_HOME=$T/data $KA $*; echo \"[exit \$?]\"; sleep 30"
  tm set-option -t "$S" status off >/dev/null
}

keys() { tm send-keys -t "$S" "$@"; }
screen_text() { tm capture-pane -p -t "$S" 2>/dev/null; }

# wait_for REGEX [seconds]: until the screen matches.
wait_for() {
  local re=$1 t=${2:-5} i
  for i in $(seq 1 $((t * 20))); do
    screen_text | grep -Eq -- "$re" && return 0
    sleep 0.05
  done
  fail "timed out waiting for /$re/"
}

# wait_gone REGEX [seconds]: until the screen no longer matches.
wait_gone() {
  local re=$1 t=${2:-5} i
  for i in $(seq 1 $((t * 20))); do
    screen_text | grep -Eq -- "$re" || return 0
    sleep 0.05
  done
  fail "still showing /$re/"
}

resize() { tm resize-window -t "$S" -x "$1" -y "$2" 2>/dev/null || tm resize-pane -t "$S" -x "$1" -y "$2"; }

stored_file() { find "$T/inbox" -type f -name "$1" | head -1; }
