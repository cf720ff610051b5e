#!/usr/bin/env bash
# Typing quickly while Kombo is slow (every answer 400 ms late): each key shows at once,
# the search of what was typed before is cancelled, and only the latest query's results
# ever appear.
. "$(dirname "$0")/lib.sh"
start_mock --latency 400
mkdir "$T/files"
echo "notes" >"$T/files/cv.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'cv\.txt' 5
to_form
keys -l 'Ada'
sleep 0.25                                         # the pause is over: Ada's search is in flight
wait_for 'searching first or last name Ada' 2
start=$(date +%s%N)
keys C-u
keys -l 'jane.smith'
wait_for 'Candidate ID +jane\.smith' 1
keys -l '@example.org'
wait_for 'Candidate ID +jane\.smith@example\.org' 1
shown=$(( ($(date +%s%N) - start) / 1000000 ))
# both keystrokes on the screen before Ada's answer could even come (400 ms)
[ "$shown" -lt 400 ] || fail "typing took ${shown} ms to show while a search was in flight"
saw_ada=0
for _ in $(seq 1 100); do
  s=$(screen_text)
  echo "$s" | grep -q 'Ada Lovelace' && saw_ada=1
  echo "$s" | grep -Eq "Jane Smith +<jane" && break
  sleep 0.05
done
echo "$s" | grep -Eq "Jane Smith +<jane" || fail "the latest query's result never came"
[ "$saw_ada" -eq 0 ] || fail "an outdated query's result was shown"
# the outdated search was cancelled: Ada's answers were never waited for
ui_alive || fail "program ended"
keys Escape
wait_gone '^ Attach'
keys q
wait_exit 0
echo ok
