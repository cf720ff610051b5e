#!/usr/bin/env bash
# 30 files with varied names: "/" + text shows only the matching rows (ASCII case folded,
# UTF-8 text works), Backspace widens again, Esc clears the filter, Enter keeps it.
. "$(dirname "$0")/lib.sh"
start_mock
mkdir "$T/files"
for n in alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi \
         omicron pi rho sigma tau upsilon phi chi psi omega; do
  echo "$n" >"$T/files/$n.txt"
done
for n in report_2024 report_2025 invoice_07 Résumé_Müller cv_final CV_old; do
  echo "$n" >"$T/files/$n.pdf"
done
[ "$(ls "$T/files" | wc -l)" -eq 30 ] || fail "setup: expected 30 files"

start_ui 80x24 xterm-256color "$T/files"
wait_for '^   alpha\.txt'
wait_for ' 1/30 *$'

keys /
wait_for 'filter:'
keys -l rep
wait_for 'filter: rep .* 2 of 30 shown'
wait_for '^   report_2024\.pdf'
wait_for '^   report_2025\.pdf'
screen_text | grep -q 'alpha\.txt' && fail "alpha.txt still shown under filter 'rep'"
screen_text | grep -q 'invoice_07' && fail "invoice_07.pdf still shown under filter 'rep'"
keys BSpace BSpace BSpace
wait_for 'filter: +[0-9]+/30 *$'              # empty filter: everything again
wait_gone 'of 30 shown'
keys -l CV
wait_for 'filter: CV .* 2 of 30 shown'        # case-insensitive
wait_for '^   cv_final\.pdf'
wait_for '^   CV_old\.pdf'
screen_text | grep -q 'beta\.txt' && fail "beta.txt shown under filter 'CV'"

keys Escape                                   # clears the filter
wait_gone 'filter:'
wait_for ' [0-9]+/30 *$'
wait_for '^   delta\.txt'                      # non-matching names are back
wait_for '^   beta\.txt'

keys /
keys -l 'Mül'
wait_for '1 of 30 shown'
wait_for '^   Résumé_Müller\.pdf'
screen_text | grep -q 'report_2024' && fail "report_2024.pdf shown under filter 'Mül'"
keys Enter                                    # keep the filter, back to the list
wait_for 'Enter pick'
screen_text | grep -q 'alpha\.txt' && fail "kept filter lost"
keys Enter                                    # pick the only match
wait_for '^ Attach Résumé_Müller\.pdf'
keys C-c
wait_exit 130
echo ok
