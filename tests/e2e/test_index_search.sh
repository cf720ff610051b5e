#!/usr/bin/env bash
# The local candidate index in the UI, against a mock of 3,000 people that answers slowly:
# the first sync runs in the background (the header counts, the notice says what is stored
# and where, keys are answered meanwhile); typing part of a name ("mül") lists Müllers from
# the index at once, before Kombo answers; a candidate picked from the index is confirmed
# with Kombo, then sent to; one deleted upstream after the sync is reported and not sent to.
# Everything stays in $T/cache.
. "$(dirname "$0")/lib.sh"
start_mock --candidates 3000 --seed 14 --latency 300
mkdir "$T/files"
echo "notes" >"$T/files/cv.txt"
E2E_INDEX=1 start_ui 140x36 xterm-256color "$T/files"
wait_for 'cv\.txt'
wait_for 'indexing [0-9,]+(/[0-9,]+| candidates)' 5           # the header, while it runs
wait_for 'Search index in .*cache/kombo-attach/index-' 5        # what and where, once
screen_text | grep -q 'No phone numbers, no custom fields' || fail "the notice does not say what is left out"
keys Down                                                      # keys are answered meanwhile
wait_for 'index: synced just now' 30
ls "$T/cache/kombo-attach/"index-*.sqlite >/dev/null 2>&1 || fail "no index in $T/cache"
[ "$(stat -c %a "$T/cache/kombo-attach")" = 700 ] || fail "index folder not 0700"

# part of a name, with its accent: the index's hits at once, Kombo (300 ms away) after
to_form
keys -l 'mül'
wait_for '[0-9]+\+? in the local index .* asking Kombo too' 1
wait_for 'Müller +<' 1
wait_for 'matches for "mül" \([0-9]+ in the local index\)' 5

# picked from the index: confirmed with Kombo (ids=), then sent to
keys Down
wait_for '▸ +[^ ]+ Müller'
keys Enter
wait_for 'confirming with Kombo' 2
wait_gone 'confirming with Kombo' 5
id=$(screen_text | sed -n 's/.*Candidate ID  *\([1-9A-HJ-NP-Za-km-z]\{24\}\).*/\1/p' | head -1)
[ -n "$id" ] || fail "no Kombo ID in the field"
mock_requests | grep -q "ats/candidates?ids=$id&include_deleted=true" ||
  mock_requests | grep -q "ids=$id" || fail "no ids= request for $id: $(mock_requests | head -c 1500)"
keys C-s
wait_for "Attached to candidate $id|Attached to .*Müller" 10
stored=$(stored_file cv.txt)
case "$stored" in */e2e:test/$id/cv.txt) ;; *) fail "stored at '$stored', not for $id" ;; esac

# deleted upstream after the sync: the index still has them, Kombo says they are gone
since=$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%S.000Z)
mock_ctl "/__mock/candidates/delete?count=1"
gone=$(mock_get "/ats/candidates?include_deleted=true&updated_after=$since" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$gone" ] || fail "no candidate deleted by the mock"
keys e
wait_for 'Candidate ID'
keys C-u
keys -l "$gone"
wait_for 'this candidate was deleted in the ATS' 5
keys C-s
wait_for 'fix the fields marked' 2
sleep 0.5
mock_requests | grep -q "POST[^}]*$gone" && fail "something was sent to the deleted candidate $gone"
[ -z "$(find "$T/inbox" -path "*/$gone/*" -type f)" ] || fail "a file landed for $gone"
keys Escape
wait_for 'Space mark'
keys q
wait_exit 0
echo ok
