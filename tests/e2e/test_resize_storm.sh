#!/usr/bin/env bash
# A resize storm during a slow upload: 60 resizes in quick succession among sizes from
# 20x6 to 200x60 (the mock reads the body at ~2 MB/s, so the upload lasts ~5 s), then
# back to 80x24. The program is alive, the progress screen is intact (bar and footer in
# place, nothing left over from the storm: same as a fresh layout after one more
# resize), the upload completes once, the stored file is byte-identical, and q exits 0.
. "$(dirname "$0")/lib.sh"
start_mock $(no_restrictions)   # random bytes: any type (restrictions aside)
mkdir "$T/files"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$T/files/storm.pdf"   # 11.2 MB of JSON body

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   storm\.pdf'
fault slow "rate=2200000"
keys Enter
wait_for '^ Attach storm\.pdf'
type_candidate_and_send
wait_for '^  Sending storm\.pdf' 5

pane_size() { tm display-message -p -t "$S" '#{pane_width}x#{pane_height}'; }
footer_at() { screen_line "$1" | grep -q 'Esc cancel'; }
bar_width() { screen_text | grep -E '(█|░)+ +[0-9]+%' | head -1 | sed 's/^ *//; s/ *$//' | wc -m; }
bar_between() { local w; w=$(bar_width); [ "$w" -ge "$1" ] && [ "$w" -le "$2" ]; }
# The screen with what changes from frame to frame masked: numbers, the bar's fill, units,
# the ETA and the one-line state ("sending ..." / "all sent, waiting for ...").
masked() {
  screen_text | sed -E 's/[█░]+/BAR/g; s/[0-9]+([.,][0-9]+)?/N/g; s/\b(B|KiB|MiB|GiB)\b/U/g;
                       s/ETA +[^ ]+/ETA x/; s/^  .*(sent|sending|waiting|retry).*$/  STATE/'
}

# the storm: fixed seed, both extremes included, no pause between most resizes
RANDOM=4242
sizes="20x6 200x60"
for _ in $(seq 1 58); do
  sizes="$sizes $((20 + RANDOM % 181))x$((6 + RANDOM % 55))"
done
n=0
t0=$(date +%s.%N)
for s in $sizes; do
  resize "${s%x*}" "${s#*x}"
  n=$((n + 1))
  [ $((n % 10)) -eq 0 ] && sleep 0.02      # let a few frames be drawn mid-storm
done
t1=$(date +%s.%N)
[ "$n" -eq 60 ] || fail "only $n resizes"
echo "storm: $n resizes in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s"
ui_alive || fail "program died during the resize storm"

resize 80 24
[ "$(pane_size)" = 80x24 ] || fail "tmux did not go back to 80x24 (got $(pane_size))"
wait_gone 'terminal too small' 5
wait_for '^  Sending storm\.pdf' 5
wait_cond 5 "progress bar laid out for 80 columns" bar_between 65 80
wait_cond 5 "footer on line 24" footer_at 24
ui_alive || fail "program died after the storm"
grep -q 'Attached to candidate' <(screen_text) && fail "upload finished before the screen could be checked (make it slower)"
sleep 0.3
after_storm=$(masked)
lines_storm=$(screen_text | grep -c .)

# one more full layout: a fresh screen to compare with
resize 81 24
sleep 0.2
resize 80 24
wait_cond 5 "footer on line 24 after the extra redraw" footer_at 24
sleep 0.3
fresh=$(masked)
lines_fresh=$(screen_text | grep -c .)
if grep -q 'Attached to candidate' <(screen_text); then
  fail "upload finished before the fresh capture (make it slower)"
fi
if [ "$after_storm" != "$fresh" ] || [ "$lines_storm" -ne "$lines_fresh" ]; then
  echo "--- after the storm (masked) ---"; echo "$after_storm"
  echo "--- after one more redraw (masked) ---"; echo "$fresh"
  diff <(echo "$after_storm") <(echo "$fresh")
  fail "the screen after the storm differs from a fresh layout (leftovers)"
fi
# every non-blank line is one the progress screen draws: no fragments left by the storm
stray=$(screen_text | grep -vE '^$|^ kombo-attach │|^  Sending storm\.pdf$|^  to candidate [^ ]+ as CV$|^  [█░]+ +[0-9]+%$|^  [0-9.]+ [KMG]?i?B of [0-9.]+ [KMG]?i?B |^  (sending|all sent|waiting|retry)|^Esc cancel')
[ -z "$stray" ] || fail "stray text on the progress screen after the storm: $stray"
# no header/footer/title copies
[ "$(screen_text | grep -c 'kombo-attach │')" -eq 1 ] || fail "header drawn more than once"
[ "$(screen_text | grep -c 'Esc cancel')" -eq 1 ] || fail "footer drawn more than once"
[ "$(screen_text | grep -c 'Sending storm')" -eq 1 ] || fail "title drawn more than once"

wait_for 'Attached to candidate' 20
stored=$(stored_file storm.pdf)
[ -n "$stored" ] || fail "nothing stored"
cmp -s "$stored" "$T/files/storm.pdf" || fail "the stored file differs from the original"
uploads=$(mock_stats | grep -o '"uploads":[0-9]*' | cut -d: -f2)
[ "$uploads" = 1 ] || fail "the mock saw $uploads upload requests (want 1: resizes must not restart the upload)"
[ "$(inbox_count)" -eq 1 ] || fail "$(inbox_count) files stored"
ui_alive || fail "program died"

keys q
wait_exit 0
echo ok
