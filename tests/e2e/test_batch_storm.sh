#!/usr/bin/env bash
# A 429 storm and mixed outcomes: the batch asks for 16 at once against a limit of 2, and
# on top of that a run of 429 CONCURRENCY_LIMIT_EXCEEDED answers: it backs off, retries
# without using up attempts, never has more in flight than the limit, and attaches each
# file once. Then a batch with a refused row and a file that vanished mid-way reports each
# row's outcome, exits with the worst code, and a rerun sends only what failed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/batch_lib.sh"
start_mock --concurrency-limit 2 --latency 10 --quiet
make_files 40
{ echo "file,candidate,type"; for i in $(seq 1 40); do echo "files/f$i.txt,$CAND,OTHER"; done; } >"$T/m/storm.csv"
curl -sf -X POST "${MOCK_URL%/v1}/__mock/fault?kind=status&status=429&code=PLATFORM.CONCURRENCY_LIMIT_EXCEEDED&count=12&retry_after_ms=20" >/dev/null \
  || fail "could not set the fault"
batch --concurrency 16 --json "$T/m/storm.csv" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "the storm batch failed"; }
check_once 40
peak=$(stat peak_in_flight)
[ "$peak" -le 2 ] || fail "peak_in_flight $peak is above the limit of 2"
grep -q '"attached":40' "$T/out" || fail "not all 40 attached"
curl -sf "${MOCK_URL%/v1}/__mock/stats" | grep -q '"fault":{"kind":"none"' || fail "the storm's 429s were not all answered"

# Mixed: row 2 is refused by Kombo (an unknown candidate ID: 404), row 3 fine.
mkdir -p "$T/m2"
echo "one" >"$T/m2/a.txt"; echo "two" >"$T/m2/b.txt"; echo "three" >"$T/m2/c.txt"
cat >"$T/m2/mixed.csv" <<CSV
file,candidate,type
a.txt,$CAND,OTHER
b.txt,NoSuchCandidate000000000,OTHER
c.txt,$CAND,OTHER
CSV
batch --report "$T/mixed.jsonl" "$T/m2/mixed.csv" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -eq 4 ] || { cat "$T/err"; fail "expected exit 4 (rejected), got $rc"; }
grep -q "1 failed" "$T/err" || { cat "$T/err"; fail "the summary does not count the failure"; }
grep -q "failed: line 3, b.txt: .*404" "$T/err" || { cat "$T/err"; fail "the failure's reason is not listed"; }
[ "$(grep -c '"status":"attached"' "$T/mixed.jsonl")" -eq 2 ] || fail "the report does not have 2 attached"
[ "$(grep -c '"status":"failed"' "$T/mixed.jsonl")" -eq 1 ] || fail "the report does not have 1 failed"
up=$(stat uploads)
batch "$T/m2/mixed.csv" >"$T/out" 2>"$T/err"
[ "$(( $(stat uploads) - up ))" -eq 1 ] || fail "the rerun did not send only the failed row"
grep -q "0 attached, 2 skipped as already done, 1 failed" "$T/err" || { cat "$T/err"; fail "rerun summary"; }
echo ok
