#!/usr/bin/env bash
# The fuzzy filter ("cvfd" finds cv-frank-doe.pdf, "muller" finds Müller, best match first)
# and the search below the folder: f, a name, the file three folders down is listed as a
# relative path, Enter sends it; Esc comes back to the folder.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir -p "$T/files/2024/jobs/acme" "$T/files/.cache/deep"
for n in cover.pdf cv_old.pdf civil-fund-doc.txt 'Résumé_Müller.pdf' notes.txt; do echo "$n" >"$T/files/$n"; done
echo "%PDF-1.4 the CV" >"$T/files/2024/jobs/acme/cv-frank-doe.pdf"
echo hidden >"$T/files/.cache/deep/cv-frank-doe-copy.pdf"
ln -s "$T/files" "$T/files/2024/loop"            # a loop: never followed

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   cover\.pdf'
keys /
keys -l cvfd
wait_for '1 of 6 shown'
wait_for '^   civil-fund-doc\.txt'
keys C-u
keys -l muller                                     # accents folded
wait_for '1 of 6 shown'
wait_for '^   Résumé_Müller\.pdf'
keys C-u
keys -l cv
wait_for '^   cv_old\.pdf'                         # a run at the start ranks first
screen_text | sed -n 3p | grep -q 'cv_old' || fail "cv_old.pdf not first for cv"
keys Escape
wait_gone 'filter:'

keys f
wait_for 'find below:'
keys -l cvfd
wait_for '^   2024/jobs/acme/cv-frank-doe\.pdf'
wait_for 'files below'
screen_text | grep -q 'cv-frank-doe-copy' && fail "a hidden folder was searched"
keys Escape                                        # back to the folder
wait_gone 'find below'
wait_for '^   cover\.pdf'
wait_for ' [1-6]/6 *$'

keys f
keys -l acmecv
wait_for '^   2024/jobs/acme/cv-frank-doe\.pdf'
keys Enter Enter                                   # keep the query, pick the file
wait_for '^ Attach cv-frank-doe\.pdf'
type_candidate_and_send
wait_for "Attached to candidate $CAND" 10
[ -n "$(stored_file cv-frank-doe.pdf)" ] || fail "the mock did not store cv-frank-doe.pdf"
cmp -s "$(stored_file cv-frank-doe.pdf)" "$T/files/2024/jobs/acme/cv-frank-doe.pdf" || fail "stored file differs"
keys q
wait_exit 0
echo ok
