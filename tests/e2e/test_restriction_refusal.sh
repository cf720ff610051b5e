#!/usr/bin/env bash
# The integration's restrictions (mock --restrictions FILE) appear by the type, and a file
# they refuse cannot be sent: the form says why, nothing reaches the mock; another type the
# integration takes sends it.
. "$(dirname "$0")/lib.sh"
cat >"$T/restr.json" <<'JSON'
{"types": {"CV": {"is_supported": true, "max_file_size_bytes": 10485760,
                  "accepted_mime_types": ["application/pdf"]},
           "COVER_LETTER": {"is_supported": false},
           "OTHER": {"is_supported": true, "max_file_size_bytes": null, "accepted_mime_types": null}}}
JSON
start_mock --restrictions "$T/restr.json"
mkdir "$T/files"
echo "notes" >"$T/files/notes.txt"

start_ui 100x30 xterm-256color "$T/files"
wait_for 'notes\.txt'
to_form
keys -l "$CAND"
wait_for 'Frank Doe <frank\.doe@example\.com>' 5
wait_for 'CV: PDF, up to 10 MiB' 5
wait_for '✗ this integration accepts CV files .*application/pdf'
keys C-s
wait_for 'fix the fields marked ✗ first'
wait_for '▸ Type'
sleep 0.3
[ "$(mock_stats | grep -o '"uploads":[0-9]*')" = '"uploads":0' ] || fail "something was sent: $(mock_stats)"
keys Space                                        # COVER_LETTER: not supported at all
wait_for 'COVER_LETTER: not supported'
wait_for '✗ this integration does not accept COVER_LETTER'
keys Space                                        # OTHER: anything
wait_for 'OTHER: any type, any size'
wait_gone '✗ this integration'
keys C-s
wait_for "Attached to candidate $CAND\$" 10
[ "$(inbox_count)" -eq 1 ] || fail "expected 1 stored file, found $(inbox_count)"
keys q
wait_exit 0
echo ok
