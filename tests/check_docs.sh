#!/usr/bin/env bash
# The man page and --help name the same options; README's test command is `make test`.
set -u
bin=${1:?usage: check_docs.sh KOMBO_ATTACH_BINARY}
cd "$(dirname "$0")/.."
passed=0; failed=0
help_opts=$({ "$bin" --help; "$bin" mock --help; "$bin" history --help; } 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(sed 's/\\-/-/g' kombo-attach.1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
missing=$(comm -23 <(echo "$help_opts") <(echo "$man_opts"))
extra=$(comm -13 <(echo "$help_opts") <(echo "$man_opts"))
if [ -z "$missing" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "in --help, not in the man page:" $missing; fi
if [ -z "$extra" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "in the man page, not in --help:" $extra; fi
if grep -Eq '^make test( |$)|`make test`' README.md; then passed=$((passed+1)); else failed=$((failed+1)); echo "README does not give make test"; fi
echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
