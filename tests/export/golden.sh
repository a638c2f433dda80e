#!/bin/sh
# Golden exports: the pcap (at the sender and at the receiver) and the
# listing (both sides) of two scenarios must equal the files in
# tests/export/golden/ byte for byte, and two runs must give the same bytes.
#
#   sh tests/export/golden.sh          compare (TAP; the 'export-golden' test)
#   sh tests/export/golden.sh update   rewrite tests/export/golden/; then
#                                      review the diff (tcpdump -r FILE -nn
#                                      -tt -v shows a pcap as text)
#
# SYNFIN is the binary (default: build/synfin in the source tree), SRCDIR
# the source tree (default: the one this script is in).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SYNFIN=${SYNFIN:-$SRCDIR/build/synfin}
case "${1:-}" in
'') update=0 ;;
update) update=1 ;;
*)
    echo "usage: sh tests/export/golden.sh [update]" >&2
    exit 2
    ;;
esac
if [ ! -x "$SYNFIN" ]; then
    echo "export/golden.sh: no synfin at $SYNFIN (build it, or set SYNFIN)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }
golden="$SRCDIR/tests/export/golden"

# compare NAME OUTPUT-FILE GOLDEN-FILE (rewriting it first when updating)
compare() {
    if [ "$update" -eq 1 ] && ! cmp -s "$3" "$2"; then
        mkdir -p "$golden"
        cp "$2" "$3"
        ok "$1: golden file updated"
    elif [ ! -f "$3" ]; then
        not_ok "$1: no golden file $3 (run sh tests/export/golden.sh update)"
    elif cmp -s "$3" "$2"; then
        ok "$1 matches the golden file"
    else
        not_ok "$1 differs from the golden file"
        case "$3" in
        *.pcap) cmp "$3" "$2" 2>&1 | sed 's/^/# /' ;;
        *) diff -u "$3" "$2" | head -30 | sed 's/^/# /' ;;
        esac
    fi
}

for name in four-way-close lost-final-ack; do
    scen="$SRCDIR/scenarios/$name.json"
    for at in sender receiver; do
        out="$tmp/$name.$at.pcap"
        if ! "$SYNFIN" --pcap "$out" --pcap-at "$at" "$scen" 2>"$tmp/err"; then
            not_ok "$name: --pcap at the $at failed: $(cat "$tmp/err")"
            continue
        fi
        compare "$name pcap at the $at" "$out" "$golden/$name.$at.pcap"
        "$SYNFIN" --pcap "$tmp/again.pcap" --pcap-at "$at" "$scen"
        if cmp -s "$out" "$tmp/again.pcap"; then
            ok "$name pcap at the $at: two runs give the same bytes"
        else
            not_ok "$name pcap at the $at: two runs differ"
        fi
    done
    for side in client server; do
        out="$tmp/$name.$side.listing"
        if ! "$SYNFIN" --listing "$scen" --listing-side "$side" \
            >"$out" 2>"$tmp/err"; then
            not_ok "$name: --listing for the $side failed: $(cat "$tmp/err")"
            continue
        fi
        compare "$name listing for the $side" "$out" \
            "$golden/$name.$side.listing"
    done
done

echo "1..$n"
[ "$fail" -eq 0 ]
