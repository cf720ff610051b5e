#!/usr/bin/env bash
# Who am I talking to: the header names the integration's tool and organisation; a key
# Kombo refuses is said at start, above the file list, with the fix, before any form is
# filled (a custom base URL: no other region to try); an integration that is not active
# is a warning there too.
. "$(dirname "$0")/lib.sh"
mkdir "$T/files"
echo "notes" >"$T/files/cv.txt"
echo "sk_the_right_key_0123456789" >"$T/mock.key"
start_mock --api-key-file "$T/mock.key"
start_ui 80x24 xterm-256color "$T/files"
wait_for 'cv\.txt'
wait_for '✗ Kombo refused the API key' 5
wait_for 'Fix: make a key on the Secrets page'
screen_text | grep -q 'asking the' && fail "a custom base URL has no other region to ask"
keys q
wait_exit 0

kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null; MOCK_PID=""
next_ui
start_mock --integration-status INACTIVE
start_ui 80x24 xterm-256color "$T/files"
wait_for 'E2e · Acme GmbH' 5                        # the tool and the organisation
wait_for '! The integration is not ready \(status INACTIVE\)' 5
keys q
wait_exit 0
echo ok
