# Helpers for the batch tests (sourced after lib.sh): run `kombo-attach batch` against the
# mock with this test's own history, and read the mock's stats.
batch() {
  env KOMBO_API_KEY=$KEY KOMBO_INTEGRATION_ID=e2e:test KOMBO_BASE_URL=$MOCK_URL \
    XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data "$KA" batch "$@"
}
# batch_exec ARGS: the same, replacing the shell: for `batch_exec ... &`, so that $! is
# kombo-attach itself and kill -9 hits it, not a subshell around it.
batch_exec() {
  exec env KOMBO_API_KEY=$KEY KOMBO_INTEGRATION_ID=e2e:test KOMBO_BASE_URL=$MOCK_URL \
    XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data "$KA" batch "$@"
}
# stat NAME: one number from GET /__mock/stats.
stat() { curl -sf "${MOCK_URL%/v1}/__mock/stats" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
# make_files N: files f1.txt .. fN.txt of distinct content under $T/m/files.
make_files() {
  mkdir -p "$T/m/files"
  for i in $(seq 1 "$1"); do printf 'file %s %s\n' "$i" "$RANDOM$RANDOM" >"$T/m/files/f$i.txt"; done
}
# check_once N: the inbox holds f1..fN exactly once each, and no "name (2).ext".
check_once() {
  local n=$1 got
  got=$(inbox_count)
  [ "$got" -eq "$n" ] || fail "expected $n stored files, found $got"
  if find "$T/inbox" -type f -name '* (*)*' | grep -q .; then
    fail "a duplicate was stored: $(find "$T/inbox" -type f -name '* (*)*' | head -3)"
  fi
  for i in $(seq 1 "$n"); do
    [ "$(find "$T/inbox" -type f -name "f$i.txt" | wc -l)" -eq 1 ] || fail "f$i.txt is not stored exactly once"
  done
}
