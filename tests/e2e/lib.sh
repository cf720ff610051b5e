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
# The tests look for UTF-8 drawing (│ ✓ ▸, accented names): make sure the tmux server and
# the program get a UTF-8 locale even when the caller's environment has none.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac

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
# Optional UI_BEFORE / UI_AFTER: shell text run before the program / after "[exit N]"
# (each must end in "; ").
# The candidate index is off (--no-index) unless E2E_INDEX=1: a background sync racing the
# keys would make the other tests' screens (lists, row counts, the first sync's notice)
# depend on timing; test_index_*.sh turn it on and wait for the sync. Either way it lives
# in $T/cache, never in the real ~/.cache.
start_ui() {
  local size=$1 term=$2; shift 2
  [ "${E2E_INDEX:-0}" = 1 ] || set -- --no-index "$@"
  local cols=${size%x*} lines=${size#*x}
  tm new-session -d -s "$S" -x "$cols" -y "$lines" \
    "${UI_BEFORE:-}env TERM=$term NO_COLOR=${NO_COLOR:-} KOMBO_API_KEY=$KEY KOMBO_INTEGRATION_ID=e2e:test \
     KOMBO_BASE_URL=$MOCK_URL XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state \
     XDG_DATA_HOME=$T/data XDG_CACHE_HOME=$T/cache $KA $*; echo \"[exit \$?]\"; ${UI_AFTER:-}sleep 30"
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

# ---- helpers added for the test_*.sh scripts ----
# A valid Kombo candidate ID (24 base58 characters) seeded in the mock.
CAND="4B7z5qJ8dXcR2mTnWvKpLs9a"

# mock_ctl PATH?QUERY: POST to the mock's control endpoint (no /v1 prefix).
mock_ctl() { curl -sf -X POST "${MOCK_URL%/v1}$1" >/dev/null || fail "mock control $1 failed"; }
# fault KIND [extra query, e.g. "status=503&count=2"]: inject a fault for the next uploads.
fault() { mock_ctl "/__mock/fault?kind=$1${2:+&$2}"; }
# mock_stats: the mock's counters as JSON.
mock_stats() { curl -sf "${MOCK_URL%/v1}/__mock/stats"; }

# inbox_count: number of files stored by the mock (spool/temp files excluded).
inbox_count() { find "$T/inbox" -type f ! -name '.*' 2>/dev/null | wc -l; }

# wait_exit CODE [seconds]: until the pane shows "[exit CODE]" (the program has ended).
wait_exit() { wait_for "^\[exit $1\]" "${2:-5}"; }

# ui_alive: the kombo-attach process inside the pane is still running.
ui_alive() { ! screen_text | grep -Eq '^\[exit [0-9]+\]'; }

# type_candidate_and_send [ID]: on the form (focus on Candidate ID), type the ID
# (default $CAND), wait until it shows, then Ctrl-S.
type_candidate_and_send() {
  keys -l "${1:-$CAND}"
  wait_for "Candidate ID +${1:-$CAND}"
  keys C-s
}

# wait_cond SECONDS DESCRIPTION CMD...: until CMD succeeds (polled every 50 ms).
wait_cond() {
  local t=$1 what=$2 i; shift 2
  for i in $(seq 1 $((t * 20))); do
    "$@" && return 0
    sleep 0.05
  done
  fail "timed out waiting for: $what"
}

# screen_line N: line N (1-based) of the pane.
screen_line() { screen_text | sed -n "${1}p"; }

# next_ui: end the current tmux server and switch to a fresh socket for the next start_ui
# (starting on the same socket right after kill-server can reach the dying server:
# "server exited unexpectedly").
UI_RUN=0
SOCK_DIR="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)"
next_ui() {
  tm kill-server 2>/dev/null
  rm -f "$SOCK_DIR/$SOCK"
  UI_RUN=$((UI_RUN + 1))
  SOCK="ka-e2e-$$-$UI_RUN"
}

# cleanup_all: cleanup, plus removing the tmux socket files (tmux leaves them behind).
cleanup_all() {
  local sock=$SOCK
  cleanup
  rm -f "$SOCK_DIR/$sock"
}
trap cleanup_all EXIT

# ---- the search and the reading layer ----
# mock_requests: the mock's recent requests (method, raw path, status) as JSON.
mock_requests() { curl -sf "${MOCK_URL%/v1}/__mock/requests"; }
# mock_get PATH?QUERY: GET a /v1 endpoint of the mock with the test's key and integration.
mock_get() { curl -sf -H "Authorization: Bearer $KEY" -H "X-Integration-Id: e2e:test" "$MOCK_URL$1"; }
# to_form [FILE-ROW-KEYS...]: from the picker, open the form on the highlighted file.
to_form() { keys "$@" Enter; wait_for 'Candidate ID'; }
# no_restrictions: mock flags for an integration that says nothing about what it accepts
# (attachment_restrictions null), for tests of the upload itself whose random-byte files
# libmagic may take for any type: start_mock $(no_restrictions).
no_restrictions() { echo null >"$T/no-restrictions.json"; echo "--restrictions $T/no-restrictions.json"; }
