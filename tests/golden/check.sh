#!/bin/sh
# Golden traces: every shipped scenario's text trace must equal
# tests/golden/NAME.trace byte for byte (a crowd's, the compact
# tests/golden/NAME.summary below). Also checks that a run is
# deterministic and that the seed really changes a lossy run.
#
#   sh tests/golden/check.sh          compare (TAP; the 'golden' test)
#   sh tests/golden/check.sh update   rewrite the golden traces; then read
#                                     the diff: a changed line is a change
#                                     in behaviour
#
# SYNFIN is the binary (default: build/synfin in the source tree), SRCDIR
# the source tree (default: the one this script is in).
#
# A crowd's trace is not kept (tests/crowd.sh: time-wait-pileup-10k's
# is 50 MB, more than all the other goldens together a hundred times over).
# Its golden is tests/golden/NAME.summary instead, compact but still exact:
# its --summary (how every connection ended, each state's peak and when),
# the --counts CSV's first row in each 10 s of the run (the curve a reader
# of a diff can follow; --counts writes a row only where a count changes,
# so a plateau has none), and the SHA-256 of the whole text trace and of
# the whole --counts CSV, so that a change of any byte of either fails. To
# see what changed, run --trace on both builds and diff the traces. Its
# second run is compared by digest, and its JSON Lines (480 MB, written
# from the same trace as the text) not twice.
. "$(dirname "$0")/../goldenlib.sh"
. "$SRCDIR/tests/crowd.sh"

# The compact golden of scenario $1 (its text trace is in $2) on stdout.
compact() {
    "$SYNFIN" --summary "$1" &&
        "$SYNFIN" --counts "$tmp/counts.csv" "$1" &&
        echo "--counts, the first row in each 10 s:" &&
        awk -F, 'NR == 1 { print; next }
            { w = int($1 / 10) } NR == 2 || w != last { print; last = w }' \
            "$tmp/counts.csv" &&
        echo "sha256 of --trace: $(sha256sum <"$2" | cut -d' ' -f1)" &&
        echo "sha256 of --counts: $(sha256sum <"$tmp/counts.csv" | cut -d' ' -f1)"
}

# stale NAME FILE: FILE is a golden of the other form for scenario NAME,
# which must not be there (update removes it).
stale() {
    if [ -f "$2" ]; then
        if [ "$update" -eq 1 ]; then
            rm -f "$2"
            ok "$1: ${2#"$SRCDIR"/} removed (updated)"
        else
            not_ok "$1: ${2#"$SRCDIR"/} is stale (sh $me update removes it)"
        fi
    fi
}

for scen in "$SRCDIR"/scenarios/*.json; do
    name=$(basename "$scen" .json)
    golden="$SRCDIR/tests/golden/$name.trace"
    summary="$SRCDIR/tests/golden/$name.summary"
    if ! "$SYNFIN" --trace "$scen" >"$tmp/$name.trace" 2>"$tmp/err"; then
        not_ok "$name: synfin --trace failed: $(cat "$tmp/err")"
        continue
    fi
    if crowd "$scen"; then
        stale "$name" "$golden"
        if ! compact "$scen" "$tmp/$name.trace" >"$tmp/$name.summary" \
            2>"$tmp/err"; then
            not_ok "$name: the compact golden failed: $(cat "$tmp/err")"
            continue
        fi
        golden "$name: the summary, counts and digests are the golden ones" \
            "$tmp/$name.summary" "$summary"
        d1=$(sha256sum <"$tmp/$name.trace")
        rm -f "$tmp/$name.trace" "$tmp/counts.csv"
        if [ "$("$SYNFIN" --trace "$scen" 2>/dev/null | sha256sum)" = "$d1" ]; then
            ok "$name: two runs give identical traces"
        else
            not_ok "$name: two runs differ: the engine is not deterministic"
        fi
        continue
    fi
    stale "$name" "$summary"
    golden "$name: the trace is the golden one" "$tmp/$name.trace" "$golden"
    "$SYNFIN" --trace "$scen" >"$tmp/$name.again" 2>/dev/null
    if cmp -s "$tmp/$name.trace" "$tmp/$name.again"; then
        ok "$name: two runs give identical traces"
    else
        not_ok "$name: two runs differ: the engine is not deterministic"
    fi
    "$SYNFIN" --trace-json "$scen" >"$tmp/$name.j1" 2>/dev/null
    "$SYNFIN" --trace-json "$scen" >"$tmp/$name.j2" 2>/dev/null
    if cmp -s "$tmp/$name.j1" "$tmp/$name.j2" && [ -s "$tmp/$name.j1" ]; then
        ok "$name: JSON traces identical too"
    else
        not_ok "$name: JSON traces differ or are empty"
    fi
done

# The seed must matter when the network is random: 20% loss and jitter.
base="$SRCDIR/scenarios/four-way-close.json"
distinct=$(for s in 1 2 3 4 5 6 7 8; do
    "$SYNFIN" --trace "$base" --seed "$s" --set network.loss=0.2 \
        --set network.jitter_ms=20 | cksum
done | sort -u | wc -l)
if [ "$distinct" -ge 6 ]; then
    ok "8 seeds at 20% loss give $distinct different traces"
else
    not_ok "8 seeds at 20% loss give only $distinct different traces"
fi

for golden in "$SRCDIR"/tests/golden/*.trace "$SRCDIR"/tests/golden/*.summary; do
    [ -e "$golden" ] || continue
    name=$(basename "$(basename "$golden" .trace)" .summary)
    if [ -f "$SRCDIR/scenarios/$name.json" ]; then
        ok "${golden##*/} has its scenario"
    else
        not_ok "${golden##*/} is stale: scenarios/$name.json is gone"
    fi
done

tap_done
