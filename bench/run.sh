#!/usr/bin/env bash
# kombo-attach benchmarks (run by `make bench`).
# usage: bench/run.sh /path/to/kombo-attach BENCH_BIN_DIR
#   BENCH_BIN_DIR holds sink, bench_base64, bench_filelist, bench_startup, bench_index_search
#   (built by make).
# Every figure is a median of several runs measured side by side in this one run; temp files
# live in one folder under /tmp (at most ~1.1 GiB at a time) and are removed at the end.
# RUNS=N (default 5) and BIG_RUNS=N (default 3) change the number of runs; BIG_RUNS is also
# the number of 100,000-candidate index syncs (each with its curl baseline, ~10 s apiece).
# KA_BASELINE=/path/to/an/older/kombo-attach also times that binary's uploads in the same
# loop, for before/after figures of a change on the upload path.
set -euo pipefail

KA=${1:?usage: run.sh KOMBO_ATTACH BENCH_BIN_DIR}
BIN=${2:?usage: run.sh KOMBO_ATTACH BENCH_BIN_DIR}
RUNS=${RUNS:-5}
BIG_RUNS=${BIG_RUNS:-3}
MIB=$((1024 * 1024))
CAND=4B9bJBkJ6jEGfpdpcCJ7JKJ9

for tool in /usr/bin/time curl base64 df; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done
for b in sink bench_base64 bench_filelist bench_startup bench_index_search; do
    [ -x "$BIN/$b" ] || { echo "bench: $BIN/$b is missing (use make bench)" >&2; exit 1; }
done
[ -x "$KA" ] || { echo "bench: $KA is missing" >&2; exit 1; }

# Disk: the biggest moment is the 1 GiB file (the 256 MiB file and its body are gone by then).
avail_kb=$(df -Pk /tmp | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt $((1600 * 1024)) ]; then
    echo "bench: need ~1.6 GiB free in /tmp, have $((avail_kb / 1024)) MiB" >&2
    exit 1
fi

TMP=$(mktemp -d /tmp/kombo-bench.XXXXXX)
SINK_PID=
MOCK_PID=
cleanup() {
    if [ -n "$SINK_PID" ]; then kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; fi
    if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Keep the user's config, history and sandbox out of it.
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config XDG_DATA_HOME=$TMP/home/.local/share \
       XDG_STATE_HOME=$TMP/home/.local/state XDG_CACHE_HOME=$TMP/home/.cache
unset KOMBO_API_KEY KOMBO_INTEGRATION_ID KOMBO_BASE_URL KOMBO_SERVER KOMBO_PROFILE KOMBO_CONFIG
mkdir -p "$HOME"

say() { printf '%s\n' "$*" >&2; }

# ---- helpers --------------------------------------------------------------------------

median() { # numbers on stdin -> median (mean of the middle two for an even count)
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rawratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.6f", a / b; else print 1e9 }'; } # for verdicts: no rounding
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
verdict() { if "$@"; then echo met; else echo MISSED; fi; }

# run KEY CMD...: run CMD under /usr/bin/time -v, stdout to /dev/null; append the wall time
# in seconds (bash's clock around it) to $TMP/KEY.t and the max RSS in KiB to $TMP/KEY.m.
run() {
    local key=$1 t0 t1 rc=0
    shift
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$TMP/time.out" "$@" >/dev/null 2>"$TMP/err.out" || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" != 0 ]; then
        say "bench: failed (exit $rc): $*"
        cat "$TMP/err.out" >&2
        exit 1
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$TMP/$key.t"
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.out" >>"$TMP/$key.m"
}
med_t() { median <"$TMP/$1.t"; }           # seconds
med_m() { median <"$TMP/$1.m"; }           # KiB
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

ROWS=()
row() { ROWS+=("$(printf '%s\t' "$@")"); } # measure, median, baseline, ratio, target, verdict

# ---- machine ---------------------------------------------------------------------------
say "== machine"
{
    lscpu | awk -F': +' '/^Model name/ { print "cpu: " $2 } /^CPU\(s\)/ { print "cpus: " $2 }'
    awk '/MemTotal/ { printf "memory: %.1f GiB\n", $2 / 1048576 }' /proc/meminfo
    echo "kernel: $(uname -sr)"
    echo "compiler: $(${CC:-cc} --version | head -1)"
    echo "curl: $(curl --version | head -1 | cut -d' ' -f1-2)"
    echo "coreutils: $(base64 --version | head -1)"
    echo "kombo-attach: $("$KA" --version 2>&1 | head -1)"
    echo "base64 kernels: avx2 $(grep -qw avx2 /proc/cpuinfo && echo available || echo absent), avx512vbmi $(grep -qw avx512vbmi /proc/cpuinfo && echo available || echo absent); kombo-attach uses: $("$KA" --version | sed -n 's/.*encoder: \([a-z0-9]*\).*/\1/p')"
} | tee "$TMP/machine" >&2

# ---- 1. base64 of 256 MiB to /dev/null -------------------------------------------------
say "== 1. base64 of a 256 MiB random file to /dev/null (9+ runs each, interleaved)"
F256=$TMP/f256
head -c $((256 * MIB)) /dev/urandom >"$F256"
HAVE_AVX2=$(grep -qw avx2 /proc/cpuinfo && echo 1 || echo 0)
HAVE_AVX512=$(grep -qw avx512vbmi /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && echo 1 || echo 0)
for k in scalar avx2 avx512; do # same bytes as coreutils, or the comparison means nothing
    if [ $k = avx2 ] && [ "$HAVE_AVX2" = 0 ]; then continue; fi
    if [ $k = avx512 ] && [ "$HAVE_AVX512" = 0 ]; then continue; fi
    if ! cmp -s <("$BIN/bench_base64" --stream $k "$F256") <(base64 -w0 "$F256"); then
        say "bench: the $k kernel's output differs from base64 -w0"; exit 1
    fi
done
B64_RUNS=$((RUNS > 9 ? RUNS : 9)) # cheap (0.05-0.2 s each): more runs, steadier medians
for ((r = 0; r < B64_RUNS; r++)); do
    run b64_read "$BIN/bench_base64" --stream read "$F256"
    run b64_coreutils base64 -w0 "$F256"
    run b64_scalar "$BIN/bench_base64" --stream scalar "$F256"
    if [ "$HAVE_AVX2" = 1 ]; then run b64_avx2 "$BIN/bench_base64" --stream avx2 "$F256"; fi
    if [ "$HAVE_AVX512" = 1 ]; then run b64_avx512 "$BIN/bench_base64" --stream avx512 "$F256"; fi
done
cu=$(med_t b64_coreutils)
row "base64 256 MiB -> /dev/null: coreutils base64 -w0" "$(ms "$cu") ms" "" "1.00" "" ""
sc=$(med_t b64_scalar)
row "base64 256 MiB -> /dev/null: portable 64-bit (scalar)" "$(ms "$sc") ms" "coreutils" \
    "$(awk -v a="$sc" -v b="$cu" 'BEGIN { printf "%.3f", a / b }')" "<= 0.50x" "$(verdict le "$(rawratio "$sc" "$cu")" 0.5)"
rd=$(med_t b64_read)
row "  floor: only read() the file in 192 KiB chunks" "$(ms "$rd") ms" "coreutils" \
    "$(ratio "$rd" "$cu")" "" ""
if [ "$HAVE_AVX2" = 1 ]; then
    av=$(med_t b64_avx2)
    row "base64 256 MiB -> /dev/null: AVX2" "$(ms "$av") ms" "coreutils" \
        "$(awk -v a="$av" -v b="$cu" 'BEGIN { printf "%.3f", a / b }')" "<= 0.25x" "$(verdict le "$(rawratio "$av" "$cu")" 0.25)"
fi
if [ "$HAVE_AVX512" = 1 ]; then
    # The kernel b64_select picks on this CPU (kombo-attach --version names it).
    a5=$(med_t b64_avx512)
    row "base64 256 MiB -> /dev/null: AVX-512 VBMI (chosen here)" "$(ms "$a5") ms" "coreutils" \
        "$(awk -v a="$a5" -v b="$cu" 'BEGIN { printf "%.3f", a / b }')" "<= 0.25x" "$(verdict le "$(rawratio "$a5" "$cu")" 0.25)"
fi
"$BIN/bench_base64" "$F256" "$RUNS" | tee "$TMP/kernels" >&2
while read -r _ name _ rate _ _; do
    row "kernel in-memory throughput: $name" "$rate MB/s" "" "" "" ""
done < <(awk '/^kernel/ { print $1, $2, $3, $4, $5, $6 }' "$TMP/kernels")
while read -r name secs; do
    row "kernel file->/dev/null in-process: $name" "$(ms "$secs") ms" "" "" "" ""
done < <(awk '/^kernel/ { print $2, $(NF - 1) }' "$TMP/kernels")

# ---- 2. end to end: upload 256 MiB to the sink -----------------------------------------
say "== 2. upload of 256 MiB to bench/sink ($RUNS runs each, interleaved)"
"$BIN/sink" >"$TMP/port" &
SINK_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port")
URL=http://127.0.0.1:$PORT/v1
BODY=$TMP/body.json
{
    printf '{"attachment":{"name":"f256","type":"CV","content_type":"application/pdf","data":"'
    base64 -w0 "$F256"
    printf '"}}'
} >"$BODY"
export KOMBO_API_KEY=k KOMBO_INTEGRATION_ID=x:y KOMBO_BASE_URL=$URL
# the body kombo-attach sends must be exactly this one
want=$("$KA" --dry-run --max-size 4G -c $CAND --content-type application/pdf "$F256" | awk '/^Content-Length:/ { print $2 }' | tr -d '\r')
[ "$want" = "$(stat -c %s "$BODY")" ] || { say "bench: body.json is $(stat -c %s "$BODY") bytes, kombo-attach sends $want"; exit 1; }
KA_ARGS=(-q --max-size 4G -c $CAND --content-type application/pdf)
# Every run sends the same file: --force past the duplicate check, or after the first run the
# "upload" would be a skip (hash and history only). The baseline may not know the flag.
FORCE=(--force)
"$KA" --help | grep -q -- '--force' || FORCE=()
# the same for the baseline: without it, its runs after the first are skips (hash only)
BASE_FORCE=(--force)
[ -n "${KA_BASELINE:-}" ] && { "$KA_BASELINE" --help | grep -q -- '--force' || BASE_FORCE=(); }
CURL_H=(-H 'Content-Type: application/json' -H 'Accept: application/json'
        -H 'Authorization: Bearer k' -H 'X-Integration-Id: x:y')
CURL_URL=$URL/ats/candidates/$CAND/attachments
for ((r = 0; r < RUNS; r++)); do
    run up_nohist "$KA" "${KA_ARGS[@]}" --no-history "$F256"
    run up_hist "$KA" "${KA_ARGS[@]}" "${FORCE[@]}" "$F256"
    run up_curl_T curl -sS -f -o /dev/null -X POST -T "$BODY" "${CURL_H[@]}" "$CURL_URL"
    run up_curl_data curl -sS -f -o /dev/null --data-binary @"$BODY" "${CURL_H[@]}" "$CURL_URL"
    if [ -n "${KA_BASELINE:-}" ]; then
        run up_base_nohist "$KA_BASELINE" "${KA_ARGS[@]}" --no-history "$F256"
        run up_base_hist "$KA_BASELINE" "${KA_ARGS[@]}" "${BASE_FORCE[@]}" "$F256"
    fi
done
ct=$(med_t up_curl_T)
row "upload 256 MiB: curl -X POST -T body.json" "$(ms "$ct") ms" "" "1.00" "" "" 
for v in up_nohist:"kombo-attach --no-history" up_hist:"kombo-attach (with history, default)"; do
    key=${v%%:*} label=${v#*:}
    t=$(med_t "$key")
    row "upload 256 MiB: $label" "$(ms "$t") ms" "curl -T" "$(ratio "$t" "$ct")" "<= 1.10x" \
        "$(verdict le "$(rawratio "$t" "$ct")" 1.1)"
done
if [ -n "${KA_BASELINE:-}" ]; then
    for v in nohist:"--no-history" hist:"with history"; do
        key=${v%%:*} label=${v#*:}
        t=$(med_t "up_$key") b=$(med_t "up_base_$key")
        row "upload 256 MiB $label: before (KA_BASELINE) / now" "$(ms "$b") / $(ms "$t") ms" \
            "before" "$(ratio "$t" "$b")" "<= 1.05x" "$(verdict le "$(rawratio "$t" "$b")" 1.05)"
    done
fi
cd_t=$(med_t up_curl_data)
row "upload 256 MiB: curl --data-binary @body.json (info)" "$(ms "$cd_t") ms" "curl -T" \
    "$(ratio "$cd_t" "$ct")" "" ""
row "  peak RSS: curl --data-binary" "$(mib "$(med_m up_curl_data)") MiB" "" "" "" ""
row "  peak RSS: curl -T" "$(mib "$(med_m up_curl_T)") MiB" "" "" "" ""
row "  peak RSS: kombo-attach --no-history / with history" \
    "$(mib "$(med_m up_nohist)") / $(mib "$(med_m up_hist)") MiB" "" "" "" ""
rm -f "$BODY" "$F256"

# ---- 3. peak memory by file size -------------------------------------------------------
say "== 3. peak RSS of the CLI upload by file size"
rss_all=()
for size in 1 64 512 1024; do
    f=$TMP/f$size
    head -c $((size * MIB)) /dev/urandom >"$f"
    n=$RUNS
    [ $size -ge 512 ] && n=$BIG_RUNS
    for ((r = 0; r < n; r++)); do
        run "rss_nohist_$size" "$KA" "${KA_ARGS[@]}" --no-history "$f"
        run "rss_hist_$size" "$KA" "${KA_ARGS[@]}" "${FORCE[@]}" "$f"
    done
    rm -f "$f"
    a=$(med_m "rss_nohist_$size") b=$(med_m "rss_hist_$size")
    rss_all+=("$a" "$b")
    label="$size MiB"
    [ $size = 1024 ] && label="1 GiB"
    row "peak RSS, upload $label: --no-history / with history" "$(mib "$a") / $(mib "$b") MiB" \
        "time $(ms "$(med_t "rss_nohist_$size")") / $(ms "$(med_t "rss_hist_$size")") ms" "" \
        "< 16 MiB" "$(verdict lt "$(printf '%s\n' "$a" "$b" | sort -g | tail -1)" $((16 * 1024)))"
done
lo=$(printf '%s\n' "${rss_all[@]}" | sort -g | head -1)
hi=$(printf '%s\n' "${rss_all[@]}" | sort -g | tail -1)
# flat: 1 MiB -> 1 GiB (1024x the data) moves the peak by less than 1 MiB
row "peak RSS spread over 1 MiB..1 GiB" "$(mib $((hi - lo))) MiB" "" "" "flat (< 1 MiB)" \
    "$(verdict lt $((hi - lo)) 1024)"
kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null || true
SINK_PID=
unset KOMBO_API_KEY KOMBO_INTEGRATION_ID KOMBO_BASE_URL

# ---- 4. picker model on 100,000 files --------------------------------------------------
say "== 4. picker model on 100,000 empty files"
"$BIN/bench_filelist" --make "$TMP/many" 100000
"$BIN/bench_filelist" "$TMP/many" "$RUNS" | tee "$TMP/fl" >&2
fl() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/fl"; }
row "picker: fl_open + sort by name (100,000)" "$(fl open_sort_ms) ms" "" "" "< 100 ms" \
    "$(verdict lt "$(fl open_sort_ms)" 100)"
row "picker: first 50 rows stat-ed (after open)" "$(fl visible_ms) ms" \
    "open+rows $(fl first_frame_ms) ms" "" "at once" "$(verdict lt "$(fl visible_ms)" 16)"
row "picker: stat everything (fl_stat_step loop)" "$(fl stat_all_ms) ms" "" "" "< 300 ms" \
    "$(verdict lt "$(fl stat_all_ms)" 300)"
k1=$(fl key_first_ms) k2=$(fl key_next_ms) kb=$(fl key_back_ms)
kmax=$(printf '%s\n' "$k1" "$k2" "$kb" | sort -g | tail -1)
row "picker: filter key \"\"->\"1\" / \"1\"->\"12\" / back" "$k1 / $k2 / $kb ms" "" "" "< 16 ms" \
    "$(verdict lt "$kmax" 16)"
row "picker: memory for the list" "$(mib "$(($(fl bytes_total) / 1024))") MiB" \
    "$(fl bytes_per_entry) B/entry" "" "< 10 MiB" "$(verdict lt "$(fl bytes_total)" $((10 * MIB)))"

# ---- 5. start-up -----------------------------------------------------------------------
say "== 5. start-up (80x24 pty, TERM=xterm-256color)"
mkdir -p "$TMP/dir"
printf 'hello\n' >"$TMP/dir/cv.txt"
export TERM=xterm-256color
UI_RUNS=$((RUNS > 7 ? RUNS : 7))
startup() { # label env... -- dir
    local label=$1 dir=$2
    shift 2
    env "$@" "$BIN/bench_startup" ui "$UI_RUNS" "$KA" --no-history "$dir" 2>/dev/null >"$TMP/su"
    local m q
    m=$(awk '$1 == "median_ms" { print $2 }' "$TMP/su")
    q=$(awk '$1 == "quiet_median_ms" { print $2 }' "$TMP/su")
    if [ "${INFO:-}" = 1 ]; then
        row "first frame: $label" "$m ms" "output quiet after $q ms" "" "" ""
    else
        row "first frame: $label" "$m ms" "output quiet after $q ms" "" "< 50 ms" "$(verdict lt "$m" 50)"
    fi
}
KEYENV=(KOMBO_API_KEY=k KOMBO_INTEGRATION_ID=x:y KOMBO_BASE_URL=http://127.0.0.1:9/v1)
startup "with a key, small folder" "$TMP/dir" "${KEYENV[@]}"
startup "sandbox (no key: mock server), small folder" "$TMP/dir"
INFO=1 startup "with a key, 100,000 files (info)" "$TMP/many" "${KEYENV[@]}"
"$BIN/bench_startup" exec 20 "$KA" --version 2>/dev/null >"$TMP/su"
row "kombo-attach --version (20 runs)" "$(awk '$1 == "median_ms" { print $2 }' "$TMP/su") ms" \
    "" "" "" ""
rm -rf "$TMP/many"

# ---- 6. candidate index: 100,000 candidates from the mock --------------------------------
say "== 6. candidate index: sync of 100,000 candidates from the mock ($BIG_RUNS runs, interleaved with curl)"
IDX_N=100000
"$KA" mock --port 0 --quiet --inbox "$TMP/mock-inbox" --candidates $IDX_N >"$TMP/mock.log" 2>&1 &
MOCK_PID=$!
MOCK_URL=
for _ in $(seq 200); do
    MOCK_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/v1' "$TMP/mock.log" | head -1 || true)
    [ -n "$MOCK_URL" ] && break
    sleep 0.05
done
[ -n "$MOCK_URL" ] || { say "bench: the mock did not start"; cat "$TMP/mock.log" >&2; exit 1; }
IDX_ENV=(env KOMBO_API_KEY=k KOMBO_INTEGRATION_ID=x:y KOMBO_BASE_URL="$MOCK_URL")
# The baseline: curl fetching the same pages one after another (the cursor makes them
# sequential), each page with its own curl process, as a shell script would.
curl_pages() {
    local cur= n=0 f=$TMP/page.json
    while :; do
        curl -sS -f -G -o "$f" -H 'Authorization: Bearer k' -H 'X-Integration-Id: x:y' \
            -d page_size=250 -d include_deleted=true ${cur:+--data-urlencode "cursor=$cur"} \
            "$MOCK_URL/ats/candidates"
        n=$((n + 1))
        cur=$(head -c 160 "$f" | LC_ALL=C sed -n 's/^{"status":"success","data":{"next":"\([^"]*\)".*/\1/p')
        [ -n "$cur" ] || break
    done
    grep -q '"status":"success"' "$f" || { say "bench: curl_pages: page $n is not a success"; exit 1; }
    echo "$n" >"$TMP/curl_pages.n"
}
for ((r = 0; r < BIG_RUNS; r++)); do
    t0=$EPOCHREALTIME
    curl_pages
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$TMP/idx_curl.t"
    rm -rf "$XDG_CACHE_HOME/kombo-attach"
    run idx_sync "${IDX_ENV[@]}" "$KA" index sync -q
done
"${IDX_ENV[@]}" "$KA" index status --json >"$TMP/idx_status.json"
idx_count=$(sed -n 's/.*"candidates":\([0-9]*\).*/\1/p' "$TMP/idx_status.json")
idx_bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$TMP/idx_status.json")
[ "${idx_count:-0}" -gt 0 ] || { say "bench: the index holds no candidates"; exit 1; }
ic=$(med_t idx_curl) is=$(med_t idx_sync)
row "index: curl, the same $(cat "$TMP/curl_pages.n") pages one after another" "$(ms "$ic") ms" "" "1.00" "" ""
row "index: kombo-attach index sync, 100,000 candidates" "$(ms "$is") ms" "curl" "$(ratio "$is" "$ic")" \
    "<= 1.20x" "$(verdict le "$(rawratio "$is" "$ic")" 1.2)"
row "  peak RSS of the sync" "$(mib "$(med_m idx_sync)") MiB" "" "" "< 32 MiB" \
    "$(verdict lt "$(med_m idx_sync)" $((32 * 1024)))"
row "  database size" "$(awk -v b="$idx_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB" \
    "$idx_count kept" "" "" ""
row "  database size per candidate" "$(awk -v b="$idx_bytes" -v n="$idx_count" 'BEGIN { printf "%.0f", b / n }') B" \
    "" "" "reported" ""
# Incremental: 100 changed and 10 deleted upstream, then a sync (updated_after).
for ((r = 0; r < RUNS; r++)); do
    curl -sS -f -o /dev/null -X POST "${MOCK_URL%/v1}/__mock/candidates/change?count=100"
    curl -sS -f -o /dev/null -X POST "${MOCK_URL%/v1}/__mock/candidates/delete?count=10"
    run idx_incr "${IDX_ENV[@]}" "$KA" index sync -q
done
ii=$(med_t idx_incr)
row "index: incremental sync after 100 changes + 10 deletions" "$(ms "$ii") ms" "" "" "< 500 ms" \
    "$(verdict lt "$ii" 0.5)"
# Search per keystroke: 20 queries typed letter by letter, three rounds (bench_index_search).
"$BIN/bench_index_search" "$MOCK_URL" x:y | tee "$TMP/search" >&2
p50=$(awk '{ for (i = 1; i < NF; i++) if ($i == "p50_ms") print $(i + 1) }' "$TMP/search")
p99=$(awk '{ for (i = 1; i < NF; i++) if ($i == "p99_ms") print $(i + 1) }' "$TMP/search")
keys=$(awk '{ print $2 }' "$TMP/search")
row "index: search per keystroke, p50 ($keys keystrokes)" "$p50 ms" "" "" "< 5 ms" "$(verdict lt "$p50" 5)"
row "index: search per keystroke, p99" "$p99 ms" "" "" "< 16 ms" "$(verdict lt "$p99" 16)"
kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null || true
MOCK_PID=
rm -rf "$XDG_CACHE_HOME/kombo-attach" "$TMP/mock-inbox"

# ---- 7. find against the mock -----------------------------------------------------------
# `find` by e-mail: wall time from start to the printed result, against a local mock. Then a
# one-word name (three filter sets: remote_ids, first_name, last_name) against a single
# filter (e-mail), on a mock that delays every answer by 50 ms as a distant API would: run at
# once, the three cost about one round trip; one after the other they would cost three.
say "find: mock on loopback"
free_port() { for p in $(shuf -i 20000-60000 -n 20); do (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
P1=$(free_port); P2=$(free_port)
"$KA" mock --port "$P1" --inbox "$TMP/minbox1" --quiet >/dev/null 2>&1 & M1=$!
"$KA" mock --port "$P2" --inbox "$TMP/minbox2" --quiet --latency 50 >/dev/null 2>&1 & M2=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$P1/__mock/stats" >/dev/null && curl -sf "http://127.0.0.1:$P2/__mock/stats" >/dev/null && break; sleep 0.1; done
FENV=(KOMBO_API_KEY=k KOMBO_INTEGRATION_ID=x:y)
for i in $(seq "$RUNS"); do
    run find_email env "${FENV[@]}" KOMBO_BASE_URL="http://127.0.0.1:$P1/v1" "$KA" find frank@example.com
    run find_one env "${FENV[@]}" KOMBO_BASE_URL="http://127.0.0.1:$P2/v1" "$KA" find frank@example.com
    run find_three env "${FENV[@]}" KOMBO_BASE_URL="http://127.0.0.1:$P2/v1" "$KA" find Lovelace
done
kill "$M1" "$M2" 2>/dev/null; wait "$M1" "$M2" 2>/dev/null
fe=$(med_t find_email); f1=$(med_t find_one); f3=$(med_t find_three)
row "find by e-mail, start to printed result (mock)" "$(ms "$fe") ms" "" "" "< 30 ms" \
    "$(verdict lt "$fe" 0.030)"
row "find, one filter (e-mail), 50 ms latency" "$(ms "$f1") ms" "" "1.00" "" ""
row "find, three filters (one-word name), 50 ms latency" "$(ms "$f3") ms" "one filter" "$(ratio "$f3" "$f1")" \
    "< 1.3x" "$(verdict lt "$(rawratio "$f3" "$f1")" 1.3)"

# ---- 8. batch: 1,000 files of 64 KiB inside Kombo's concurrency limit --------------------
# The mock answers every /v1 request after 50 ms and takes at most 8 attachment actions in
# flight per integration (429 PLATFORM.CONCURRENCY_LIMIT_EXCEEDED beyond). The ideal is
# 1000 / 8 x 50 ms = 6.25 s. Each run uses an integration of its own, so its history has
# nothing to skip; the mock's counters are read around each run.
BATCH_RUNS=${BATCH_RUNS:-3}
say "== 8. batch: 1,000 files of 64 KiB, --latency 50 --concurrency-limit 8 ($BATCH_RUNS runs each)"
mkdir -p "$TMP/batch/files"
# 48 KiB of random bytes as base64 on one line: 64 KiB of text exactly (and no SIGPIPE)
for i in $(seq 1 1000); do head -c 49152 /dev/urandom | base64 -w 0 >"$TMP/batch/files/f$i.txt"; done
{ echo "file,candidate,type,content_type"; for i in $(seq 1 1000); do echo "files/f$i.txt,$CAND,OTHER,text/plain"; done; } >"$TMP/batch/m.csv"
P3=$(free_port)
"$KA" mock --port "$P3" --inbox "$TMP/binbox" --quiet --latency 50 --concurrency-limit 8 >/dev/null 2>&1 & MOCK_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$P3/__mock/stats" >/dev/null && break; sleep 0.1; done
bstat() { curl -sf "http://127.0.0.1:$P3/__mock/stats" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
for ((r = 0; r < BATCH_RUNS; r++)); do
    for conc in 8 32; do
        rej0=$(bstat concurrency_rejected)
        run "batch$conc" env KOMBO_API_KEY=k KOMBO_INTEGRATION_ID="bench:c${conc}r$r" \
            KOMBO_BASE_URL="http://127.0.0.1:$P3/v1" "$KA" batch -q --concurrency "$conc" "$TMP/batch/m.csv"
        echo $(( $(bstat concurrency_rejected) - rej0 )) >>"$TMP/batch$conc.rej"
        rm -rf "$TMP/binbox/bench:c${conc}r$r"
    done
    if [ -n "${KA_BASELINE:-}" ]; then
        run batch_base env KOMBO_API_KEY=k KOMBO_INTEGRATION_ID="bench:baser$r" \
            KOMBO_BASE_URL="http://127.0.0.1:$P3/v1" "$KA_BASELINE" batch -q --concurrency 8 "$TMP/batch/m.csv"
        rm -rf "$TMP/binbox/bench:baser$r"
    fi
done
peak=$(bstat peak_in_flight)
kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null || true
MOCK_PID=
b8=$(med_t batch8); b32=$(med_t batch32); ideal=6.25
rej32=$(sort -n "$TMP/batch32.rej" | tail -1); rej8=$(sort -n "$TMP/batch8.rej" | tail -1)
row "batch: ideal, 1000 / 8 x 50 ms" "$(ms "$ideal") ms" "" "1.00" "" ""
row "batch --concurrency 8, limit 8" "$(ms "$b8") ms" "ideal" "$(ratio "$b8" "$ideal")" "<= 1.15x" \
    "$(verdict le "$(rawratio "$b8" "$ideal")" 1.15)"
row "batch --concurrency 32, limit 8" "$(ms "$b32") ms" "ideal" "$(ratio "$b32" "$ideal")" "<= 1.30x" \
    "$(verdict le "$(rawratio "$b32" "$ideal")" 1.3)"
if [ -n "${KA_BASELINE:-}" ]; then
    bb=$(med_t batch_base)
    row "batch --concurrency 8: before (KA_BASELINE) / now" "$(ms "$bb") / $(ms "$b8") ms" \
        "before" "$(ratio "$b8" "$bb")" "" ""
fi
row "  peak_in_flight at the mock (all runs)" "$peak" "" "" "<= 8" "$(verdict le "$peak" 8)"
row "  429 CONCURRENCY_LIMIT_EXCEEDED, most in a run" "$rej8 / $rej32" "8 / 32" "" "<= 5" \
    "$(verdict le "$rej32" 5)"
row "  peak RSS, --concurrency 8 / 32" "$(mib "$(med_m batch8)") / $(mib "$(med_m batch32)") MiB" "" "" \
    "< 32 MiB" "$(verdict lt "$(med_m batch32)" $((32 * 1024)))"
rm -rf "$TMP/batch" "$TMP/binbox"

# ---- table -----------------------------------------------------------------------------
echo
echo "kombo-attach benchmarks - medians of $RUNS runs ($B64_RUNS for base64, $BIG_RUNS for 512 MiB and 1 GiB and the 100,000-candidate index sync, $UI_RUNS for start-up, 20 for --version)"
sed 's/^/  /' "$TMP/machine"
echo
{
    printf 'measure\tmedian\tagainst\tratio\ttarget\tresult\n'
    printf '%s\n' "${ROWS[@]}"
} | awk -F'\t' '
    { for (i = 1; i <= 6; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
    END { for (r = 1; r <= NR; r++) {
            line = ""
            for (i = 1; i <= 6; i++) line = line sprintf("%-" w[i] "s  ", c[r, i])
            sub(/ +$/, "", line); print line
            if (r == 1) { line = ""; for (i = 1; i <= 6; i++) { s = ""; for (j = 0; j < w[i]; j++) s = s "-"; line = line s "  " } sub(/ +$/, "", line); print line }
          } }'
missed=$(printf '%s\n' "${ROWS[@]}" | grep -c 'MISSED' || true)
echo
echo "targets missed: $missed"
