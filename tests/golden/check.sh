#!/bin/sh
# Golden traces: every shipped scenario's text trace must equal
# tests/golden/NAME.trace byte for byte. Also checks that a run is
# deterministic and that the seed really changes a lossy run.
#
#   sh tests/golden/check.sh          compare (TAP; the 'golden' test)
#   sh tests/golden/check.sh update   rewrite the golden traces; then read
#                                     the diff: a changed line is a change
#                                     in behaviour
#
# SYNFIN is the binary (default: build/synfin in the source tree), SRCDIR
# the source tree (default: the one this script is in).
. "$(dirname "$0")/../goldenlib.sh"

for scen in "$SRCDIR"/scenarios/*.json; do
    name=$(basename "$scen" .json)
    golden="$SRCDIR/tests/golden/$name.trace"
    if ! "$SYNFIN" --trace "$scen" >"$tmp/$name.trace" 2>"$tmp/err"; then
        not_ok "$name: synfin --trace failed: $(cat "$tmp/err")"
        continue
    fi
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

for golden in "$SRCDIR"/tests/golden/*.trace; do
    [ -e "$golden" ] || continue
    name=$(basename "$golden" .trace)
    if [ -f "$SRCDIR/scenarios/$name.json" ]; then
        ok "$name.trace has its scenario"
    else
        not_ok "$name.trace is stale: scenarios/$name.json is gone"
    fi
done

tap_done
