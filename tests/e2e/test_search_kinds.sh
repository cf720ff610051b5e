#!/usr/bin/env bash
# The candidate field finds people by what a recruiter knows: an e-mail, the ATS's ID, the
# URL of their page in the ATS; no match says what was searched and what else to try; many
# matches are listed and walked with the arrows; a Kombo ID typed is confirmed by the
# search (name and applications appear) and works as before.
. "$(dirname "$0")/lib.sh"
start_mock --candidates 400
mkdir "$T/files"
echo "notes" >"$T/files/cv.txt"

start_ui 80x24 xterm-256color "$T/files"
wait_for 'cv\.txt'
to_form
clear_field() { keys C-e C-u; wait_for 'Candidate ID +name, e-mail' 3; }

keys -l 'jane.smith@example.org'
wait_for '1 match for e-mail jane\.smith@example\.org' 5
wait_for 'Jane Smith +<jane\.smith@example\.org>'
clear_field

keys -l 'WvKpLs9a'                                 # the ATS's ID of Frank Doe (Acme)
wait_for 'Frank Doe +<frank\.doe@example\.com>' 5
screen_text | grep -q 'frank@example\.com' && fail "the other Frank Doe matched an ATS ID"
clear_field

keys -l 'https://app.greenhouse.example/people/WvKpLs9a?tab=files'
wait_for 'ATS ID WvKpLs9a' 5
wait_for 'Frank Doe +<frank\.doe@example\.com>' 5
clear_field

keys -l 'nobody@nowhere.example'
wait_for 'No candidate found: searched e-mail nobody@nowhere\.example' 5
wait_for "Try an e-mail address, or the candidate's ID in the ATS"
clear_field

# the most common last name of the data set: many matches
last=$(mock_get '/ats/candidates?page_size=250' | grep -o '"last_name":"[A-Za-z]*"' | sort | uniq -c | sort -rn |
       head -1 | sed 's/.*"last_name":"\([A-Za-z]*\)"/\1/')
count=$(mock_get "/ats/candidates?page_size=250&last_name=$last" | grep -o '"first_name"' | wc -l)
[ "$count" -ge 4 ] || fail "expected many $last in the data set, found $count"
keys -l "$last"
wait_for "[0-9]+\\+? matches for first or last name $last" 5
n=$(screen_text | grep -c " $last ")
[ "$n" -ge 3 ] || fail "only $n rows of $last shown"
keys Down Down Down
wait_for "▸ +[^ ].* $last "
keys Up Up Up Up                                 # past the first: the field again
wait_gone "▸ +[^ ].* $last " 3
wait_for "▸ Candidate ID +$last"
clear_field

keys -l "$CAND"                                   # a Kombo ID: confirmed, then sent as before
wait_for 'Frank Doe <frank\.doe@example\.com>' 5
keys C-s
wait_for "Attached to candidate $CAND\$" 10
keys q
wait_exit 0
echo ok
