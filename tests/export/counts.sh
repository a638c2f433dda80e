#!/bin/sh
# --counts: the CSV of connections per state over time. Its rows follow
# the trace, and its largest numbers are --summary's peaks (which the
# engine counts as it runs) for every shipped scenario.
. "${SRCDIR:?}/tests/cmdlib.sh"
P="$SRCDIR/scenarios/time-wait-pileup.json"

run --counts - "$P"
check "--counts - alone writes the CSV to standard output" rc_is 0
check "... a header of time and side-state columns" \
    out_has "^time_s,client LISTEN,client SYN-SENT,.*,server TIME-WAIT$"
check "... 20 counts a row (CLOSED is not counted)" \
    awk -F, 'NF != 21 { bad = 1 } END { exit bad }' "$tmp/out"
check "... times only go forward, one row per instant" \
    awk -F, 'NR > 2 && $1 <= prev { bad = 1 } { prev = $1 } END { exit bad }' \
    "$tmp/out"
# Column 11 is client TIME-WAIT (LISTEN is column 2).
check "... TIME-WAIT climbs to 30 at 3.24 s" \
    grep -q "^3.240000,0,0,0,0,0,0,0,0,0,30," "$tmp/out"
check "... and falls back to 0 at the end" \
    sh -c "tail -1 '$tmp/out' | grep -q '^63.240000,0,0,0,0,0,0,0,0,0,0,1,'"

run --counts "$tmp/c.csv" "$P"
check "--counts FILE alone: exit 0, nothing on standard output" \
    sh -c "[ $rc -eq 0 ] && [ ! -s '$tmp/out' ]"
run --counts - "$P"
check "... the same CSV as on standard output" cmp -s "$tmp/c.csv" "$tmp/out"

run --trace --counts "$tmp/d.csv" "$P"
check "--counts beside --trace: the trace on standard output" \
    out_has "TIME-WAIT -> CLOSED"
check "... and the CSV in its file" cmp -s "$tmp/c.csv" "$tmp/d.csv"

run --trace --counts - "$P"
check "--counts - beside a mode: exit 2" rc_is 2
check "... naming the flag" err_has "^synfin: --counts: standard output"
check "... nothing on standard output" out_empty
run --counts x.csv --quiz "$P"
check "--counts with --quiz: exit 2, named" \
    sh -c "[ $rc -eq 2 ] && grep -q '^synfin: --counts: goes alone' '$tmp/err'"
run --counts
check "--counts without a file: exit 2" rc_is 2

# Every shipped scenario: the CSV's largest count in each column is at
# most the peak --summary prints (from the engine's own count, which also
# sees a state entered and left within one instant: the CSV has each
# instant's end), and TIME-WAIT, which never lasts less, is exactly it.
for f in "$SRCDIR"/scenarios/*.json; do
    name=$(basename "$f" .json)
    "$SYNFIN" --counts - "$f" >"$tmp/s.csv" 2>/dev/null
    "$SYNFIN" --summary "$f" >"$tmp/s.txt" 2>/dev/null
    awk -F, 'NR == 1 { for (i = 2; i <= NF; i++) col[i] = $i; next }
        { for (i = 2; i <= NF; i++) if ($i > max[i]) max[i] = $i }
        END { for (i = 2; i <= NF; i++) if (max[i] > 0) {
            split(col[i], p, " "); print p[1], p[2], max[i] } }' \
        "$tmp/s.csv" | sort >"$tmp/csv.peaks"
    awk '/^(client|server) peak:/ { side = $1; sub(/^[a-z]+ peak: /, "")
        n = split($0, items, ", ")
        for (i = 1; i <= n; i++) { split(items[i], kv, "[= ]"); print side,
            kv[1], kv[2] } }' "$tmp/s.txt" | sort >"$tmp/sum.peaks"
    check "$name: the CSV's peaks are at most --summary's, TIME-WAIT's equal" \
        awk 'NR == FNR { peak[$1 " " $2] = $3; next }
            { p = peak[$1 " " $2] + 0
              if ($3 > p || ($2 == "TIME-WAIT" && $3 != p)) bad = 1 }
            END { exit bad }' "$tmp/sum.peaks" "$tmp/csv.peaks"
    check "$name: every state in the CSV is in --summary" \
        awk 'NR == FNR { seen[$1 " " $2] = 1; next }
            !(($1 " " $2) in seen) { bad = 1 } END { exit bad }' \
        "$tmp/sum.peaks" "$tmp/csv.peaks"
done
tap_done
