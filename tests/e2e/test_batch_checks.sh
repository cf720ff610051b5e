#!/usr/bin/env bash
# A manifest with every kind of bad row: all problems listed at once with their line
# numbers, exit 2, nothing sent. Then --dry-run sends nothing; e-mails resolve as `find`
# does (exactly one match); and the report file has one line per row.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/batch_lib.sh"
start_mock --quiet
make_files 3
mkdir "$T/m/dir"
printf 'MZ\x90\x00binary' >"$T/m/files/prog.exe"
cat >"$T/m/bad.csv" <<CSV
file,candidate,application,email,type,name,content_type
files/f1.txt,$CAND,,,CV,,
files/missing.txt,$CAND,,,CV,,
,$CAND,,,CV,,
files/f2.txt,,,,CV,,
files/f2.txt,$CAND,,frank@example.com,CV,,
files/f3.txt,$CAND,,,RESUME,,
files/f3.txt,$CAND,,,CV,,text/plain; charset=utf-8
files/f3.txt,,,nobody@example.com,CV,,
files/f3.txt,,,frank@example.com,CV,"bad
name",
dir,$CAND,,,CV,,
files/prog.exe,$CAND,,,CV,,
files/f1.txt,$CAND,,,OTHER,,
CSV
batch "$T/m/bad.csv" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -eq 2 ] || { cat "$T/err"; fail "expected exit 2, got $rc"; }
for l in 3 4 5 6 7 8 9 10 12 13 14; do
  grep -q "bad.csv line $l:" "$T/err" || { cat "$T/err"; fail "no problem listed for line $l"; }
done
grep -q "bad.csv line 2:" "$T/err" && fail "line 2 is fine but was listed"
grep -q "bad.csv line 11:" "$T/err" && fail "line 11 is inside line 10's quoted name"
grep -q "line 10: name: the name contains control characters" "$T/err" || fail "the bad name is not named"
grep -q "line 7: .*CV, COVER_LETTER, OTHER" "$T/err" || fail "the unknown type is not named"
grep -q "line 9: .*no candidate has this e-mail" "$T/err" || fail "the unknown e-mail is not named"
grep -q "line 14: the same file and target as line 2" "$T/err" || fail "the repeated row is not named"
grep -q "11 problems in .*nothing was sent" "$T/err" || { cat "$T/err"; fail "no closing line"; }
[ "$(stat uploads)" -eq 0 ] || fail "a bad manifest sent uploads"
grep -q "$KEY" "$T/err" "$T/out" && fail "the API key was printed"

# A broken CSV and an unknown column are problems of the manifest itself.
printf 'file,candidate,colour\nfiles/f1.txt,%s,red\n' "$CAND" >"$T/m/col.csv"
batch "$T/m/col.csv" 2>"$T/err"; [ $? -eq 2 ] || fail "an unknown column was not refused"
grep -q 'line 1: unknown column "colour"' "$T/err" || { cat "$T/err"; fail "the unknown column is not named"; }
printf 'file,candidate\n"files/f1.txt,%s\n' "$CAND" >"$T/m/quote.csv"
batch "$T/m/quote.csv" 2>"$T/err"; [ $? -eq 2 ] || fail "an unclosed quote was not refused"
batch "$T/m/nope.csv" 2>"$T/err"; [ $? -eq 3 ] || fail "a missing manifest is not exit 3"
grep -q "cannot read the manifest" "$T/err" || fail "the missing manifest is not named"

# JSON lines with e-mails: frank@example.com is exactly one candidate (4B9b...).
cat >"$T/m/good.jsonl" <<JSONL
{"file": "files/f1.txt", "email": "frank@example.com", "type": "CV"}
{"file": "files/f2.txt", "candidate": "$CAND", "type": "COVER_LETTER", "name": "letter.txt"}
{"file": "$T/m/files/f3.txt", "application": "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H", "type": "OTHER"}
JSONL
batch --dry-run --json "$T/m/good.jsonl" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "the dry run failed"; }
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "the dry run did not show 3 rows"
grep -q '"candidate":"4B9bJBkJ6jEGfpdpcCJ7JKJ9"' "$T/out" || fail "the e-mail did not resolve to 4B9b..."
grep -q '"name":"letter.txt"' "$T/out" || fail "the name column was not used"
[ "$(stat uploads)" -eq 0 ] || fail "--dry-run sent uploads"
[ "$(inbox_count)" -eq 0 ] || fail "--dry-run stored files"
grep -q "$KEY" "$T/out" "$T/err" && fail "the API key was in the dry run"

batch --json --report "$T/report.csv" "$T/m/good.jsonl" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "the batch failed"; }
[ "$(inbox_count)" -eq 3 ] || fail "expected 3 stored files"
[ -n "$(find "$T/inbox" -path '*4B9bJBkJ6jEGfpdpcCJ7JKJ9*' -name f1.txt)" ] || fail "f1.txt did not go to frank@example.com"
grep -q '"summary":{"rows":3,"attached":3' "$T/out" || { cat "$T/out"; fail "no JSON summary"; }
[ "$(wc -l <"$T/report.csv")" -eq 4 ] || fail "the report is not a header and 3 rows"
head -1 "$T/report.csv" | grep -q '^line,file,target' || fail "the report has no header"
grep -q '^2,files/f2.txt,candidate,.*,attached,ok,' "$T/report.csv" || { cat "$T/report.csv"; fail "row 2 not in the report"; }
# A rerun skips all three; the JSON lines report says so.
batch --report "$T/report.jsonl" "$T/m/good.jsonl" 2>"$T/err" || fail "the rerun failed"
[ "$(inbox_count)" -eq 3 ] || fail "the rerun stored files again"
[ "$(grep -c '"status":"already done"' "$T/report.jsonl")" -eq 3 ] || { cat "$T/report.jsonl"; fail "the rerun did not skip"; }
grep -q "0 attached, 3 skipped as already done" "$T/err" || { cat "$T/err"; fail "no summary of the rerun"; }
echo ok
