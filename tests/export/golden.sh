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
. "$(dirname "$0")/../goldenlib.sh"
golden_dir="$SRCDIR/tests/export/golden"

for name in four-way-close lost-final-ack; do
    scen="$SRCDIR/scenarios/$name.json"
    for at in sender receiver; do
        out="$tmp/$name.$at.pcap"
        if ! "$SYNFIN" --pcap "$out" --pcap-at "$at" "$scen" 2>"$tmp/err"; then
            not_ok "$name: --pcap at the $at failed: $(cat "$tmp/err")"
            continue
        fi
        golden "$name pcap at the $at" "$out" "$golden_dir/$name.$at.pcap"
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
        golden "$name listing for the $side" "$out" \
            "$golden_dir/$name.$side.listing"
    done
done

tap_done
