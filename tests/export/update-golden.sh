#!/bin/sh
# Rewrite tests/export/golden/ from the current build. Review the diff
# before committing: read the pcaps with tcpdump -r FILE -nn -tt -v.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
out="$here/tests/export/golden"
mkdir -p "$out"
for name in four-way-close lost-final-ack; do
    scen="$here/scenarios/$name.json"
    for at in sender receiver; do
        "$build/synfin" --pcap "$out/$name.$at.pcap" --pcap-at "$at" "$scen"
    done
    for side in client server; do
        "$build/synfin" --listing "$scen" --listing-side "$side" \
            >"$out/$name.$side.listing"
    done
    echo "updated tests/export/golden/$name.*"
done
