#!/bin/sh
# The pictures (--diagram, --svg): golden text diagrams for two scenarios
# (Unicode and ASCII) and a golden SVG; for every shipped scenario an SVG
# that an XML parser accepts (xmllint, from libxml2-utils), the same bytes
# on a second run, and --ascii output that is pure ASCII; text escaped in
# the SVG; the flags' errors (exit 2) and outputs that cannot be written
# (exit 1, naming the path, leaving nothing behind).
#
#   sh tests/picture/check.sh          check (TAP; the 'picture' test)
#   sh tests/picture/check.sh update   rewrite the goldens in
#                                      tests/picture/golden/ first, then
#                                      check; read the diff: the diagrams
#                                      are the viewer's, so a change here
#                                      is a change on screen too
#
# SYNFIN is the binary (default: build/synfin in the source tree), SRCDIR
# the source tree (default: the one this script is in).
. "$(dirname "$0")/../goldenlib.sh"
. "$SRCDIR/tests/cmdlib.sh"
. "$SRCDIR/tests/crowd.sh"
export LC_ALL=C
golden_dir="$SRCDIR/tests/picture/golden"
F="$SRCDIR/scenarios/four-way-close.json"
L="$SRCDIR/scenarios/lost-final-ack.json"
xmllint=$(command -v xmllint || true)

skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
absent() { [ ! -e "$1" ]; }
same() { # same GOLDEN FILE: equal, or show the difference
    cmp -s "$1" "$2" && return 0
    diff -u "$1" "$2" | head -30 | sed 's/^/# /'
    return 1
}
ascii_only() { ! grep -q '[^ -~]' "$1"; }
xml_ok() { "$xmllint" --noout "$1" 2>"$tmp/err"; }
# The temporary file beside FILE is .FILE.XXXXXX (mkstemp).
no_tmp() { [ -z "$(find "$tmp" -name '.*.??????')" ]; }

run --help
check "--help lists --diagram" out_has "^  --diagram  "
check "--help lists --svg" out_has "--svg FILE"

# Goldens.
run --diagram "$F" --lang en
check "--diagram four-way-close exits 0" rc_is 0
golden "--diagram four-way-close matches its golden" "$tmp/out" "$golden_dir/four-way-close.txt"
run --diagram "$L" --lang en
golden "--diagram lost-final-ack matches its golden" "$tmp/out" "$golden_dir/lost-final-ack.txt"
run --diagram "$L" --ascii
golden "--diagram --ascii lost-final-ack matches its golden" "$tmp/out" "$golden_dir/lost-final-ack-ascii.txt"
# Crossing arrows (simultaneous close and open): no label over a line.
S="$SRCDIR/scenarios/simultaneous-close.json"
O="$SRCDIR/scenarios/simultaneous-open.json"
run --diagram "$S" --size 80x24 --lang en
golden "--diagram simultaneous-close at 80 columns matches its golden" "$tmp/out" "$golden_dir/simultaneous-close-80x24.txt"
run --diagram "$S" --size 200x60 --lang zh
golden "--diagram simultaneous-close at 200 columns, Chinese, matches its golden" "$tmp/out" "$golden_dir/simultaneous-close-200x60-zh.txt"
run --diagram "$O" --size 80x24 --lang en
golden "--diagram simultaneous-open at 80 columns matches its golden" "$tmp/out" "$golden_dir/simultaneous-open-80x24.txt"
run --diagram "$O" --size 80x24 --ascii
golden "--diagram --ascii simultaneous-open at 80 columns matches its golden" "$tmp/out" "$golden_dir/simultaneous-open-80x24-ascii.txt"
run --svg "$tmp/f.svg" "$F" --lang en
check "--svg four-way-close exits 0 and prints nothing" rc_is 0
golden "--svg four-way-close matches its golden" "$tmp/f.svg" "$golden_dir/four-way-close.svg"

# A crowd (eight connections or more): the state counts over the run.
P="$SRCDIR/scenarios/time-wait-pileup.json"
run --svg "$tmp/p.svg" "$P" --lang en
check "--svg time-wait-pileup exits 0 and prints nothing" \
    sh -c "[ $rc -eq 0 ] && [ ! -s '$tmp/out' ] && [ ! -s '$tmp/err' ]"
golden "--svg time-wait-pileup (the state counts) matches its golden" "$tmp/p.svg" "$golden_dir/time-wait-pileup.svg"
check "the crowd: 30 connections, the chart's heading" \
    grep -q '>Connections in each state: 30 in all<' "$tmp/p.svg"
check "the client's TIME-WAIT peaks at 30, first at 3.240 s" \
    grep -q '>peak 30 at 3.240 s<' "$tmp/p.svg"
check "no ladder: no arrowheads" sh -c "! grep -q '<polygon' '$tmp/p.svg'"
run --svg "$tmp/p20.svg" "$P" --lang en --set client.count=7
check "seven connections: the ladder" grep -q '<polygon' "$tmp/p20.svg"
run --svg "$tmp/pzh.svg" "$P" --lang zh
check "--lang zh: the chart in Chinese" grep -q '>峰值 30，于 3.240 s<' \
    "$tmp/pzh.svg"

# What the diagram must show.
run --diagram "$L" --lang en
check "lifelines are named" out_has "client .* server"
check "labels count from the ISNs" out_has "FIN seq=201 ack=102"
check "a drop has its cross and cause" out_has "✗"
check "the cause is written" out_has "lost: the final ACK is lost"
check "a retransmission is marked" out_has "↻"
check "state names where they change" out_has "TIME-WAIT"
check "idle gaps are folded" out_has "⋮ 4.0 s"
check "no cursor in a whole-run diagram" sh -c "! grep -q '◂' '$tmp/out'"
run --diagram "$F" --size 140x10 --ascii
check "--size sets the width" \
    sh -c "awk 'length > 140 { bad = 1 } END { exit bad }' '$tmp/out' &&
           awk 'length > 100 { w = 1 } END { exit !w }' '$tmp/out'"
grep -q '<text[^>]*>SYN seq=0</text>' "$tmp/f.svg"
check "the SVG writes labels as text" [ $? -eq 0 ]
grep -q '<polygon' "$tmp/f.svg"
check "the SVG has arrowheads" [ $? -eq 0 ]

# Every shipped scenario but a crowd (tests/crowd.sh): time-wait-pileup-10k's
# SVG would be hundreds of MB for xmllint, of the arrows and labels
# time-wait-pileup has.
for scen in "$SRCDIR"/scenarios/*.json; do
    name=$(basename "$scen" .json)
    if crowd "$scen"; then
        skip "$name: --svg and --diagram --ascii" "a crowd, drawn like time-wait-pileup"
        continue
    fi
    run --svg "$tmp/$name.svg" "$scen"
    check "$name: --svg exits 0 and prints nothing" \
        sh -c "[ $rc -eq 0 ] && [ ! -s '$tmp/out' ] && [ ! -s '$tmp/err' ]"
    if [ -n "$xmllint" ]; then
        check "$name: the SVG is well-formed XML" xml_ok "$tmp/$name.svg"
    else
        skip "$name: the SVG is well-formed XML" "xmllint not installed"
    fi
    "$SYNFIN" --svg "$tmp/$name.again.svg" "$scen" 2>/dev/null
    check "$name: a second run gives the same SVG" \
        cmp -s "$tmp/$name.svg" "$tmp/$name.again.svg"
    run --diagram "$scen" --ascii
    check "$name: --diagram --ascii exits 0" rc_is 0
    check "$name: --diagram --ascii is pure ASCII" ascii_only "$tmp/out"
done
check "no temporary file is left behind" no_tmp

# Text from the scenario is escaped; Chinese titles pass through.
run --svg "$tmp/esc.svg" "$F" --set 'title.en=A <b> & "c"' --lang en
check "a title with <, & and \" exits 0" rc_is 0
check "the title is escaped" grep -q 'A &lt;b&gt; &amp; &quot;c&quot;' \
    "$tmp/esc.svg"
run --svg "$tmp/zh.svg" "$F" --lang zh
check "--lang zh exits 0" rc_is 0
check "--lang zh: the title is in Chinese" \
    sh -c "! grep -q '<title id=\"title\">Handshake' '$tmp/zh.svg'"
if [ -n "$xmllint" ]; then
    check "the escaped title is well-formed XML" xml_ok "$tmp/esc.svg"
    check "the Chinese title is well-formed XML" xml_ok "$tmp/zh.svg"
else
    skip "the escaped SVGs are well-formed XML" "xmllint not installed"
fi

# --svg beside --diagram: both.
run --diagram "$F" -o "$tmp/d.txt" --svg "$tmp/d.svg" --lang en
check "--diagram -o with --svg exits 0" rc_is 0
check "the diagram went to -o" same "$golden_dir/four-way-close.txt" "$tmp/d.txt"
check "the SVG went to --svg" same "$golden_dir/four-way-close.svg" "$tmp/d.svg"

# Bad flags: exit 2, naming the flag.
run --svg
check "--svg with no file exits 2" rc_is 2
check "... naming --svg" err_has "--svg"
run --svg "$tmp/x.svg"
check "--svg with no scenario exits 2" rc_is 2
run --svg "$tmp/x.svg" --trace "$F"
check "--svg beside --trace exits 2" rc_is 2
run --svg "$tmp/x.svg" -o "$tmp/x.txt" "$F"
check "--svg with -o and no --diagram exits 2" rc_is 2
run --diagram
check "--diagram with no scenario exits 2" rc_is 2
run --diagram "$F" --size 59x20
check "--diagram narrower than 60 exits 2" rc_is 2
check "... naming --size" err_has "--size"
run --diagram "$F" --trace "$F"
check "--diagram beside another mode exits 2" rc_is 2
check "nothing was written by the bad flags" absent "$tmp/x.svg"

# Outputs that cannot be written: exit 1, naming the path.
run --svg "$tmp/no/such/dir/a.svg" "$F"
check "--svg into a missing directory exits 1" rc_is 1
check "... naming the path" err_has "$tmp/no/such/dir/a.svg"
mkdir "$tmp/adir"
run --svg "$tmp/adir" "$F"
check "--svg onto a directory exits 1" rc_is 1
check "... naming the path" err_has "$tmp/adir"
if [ -w /dev/full ]; then
    run --svg /dev/full "$F"
    check "--svg to a full device exits 1" rc_is 1
    check "... naming it" err_has "/dev/full"
    run --diagram "$F" -o /dev/full
    check "--diagram -o to a full device exits 1" rc_is 1
else
    skip "--svg to a full device exits 1" "no /dev/full"
fi
run --diagram "$F" -o "$tmp/no/such/dir/d.txt"
check "--diagram -o into a missing directory exits 1" rc_is 1
check "... naming the path" err_has "$tmp/no/such/dir/d.txt"
echo old >"$tmp/keep.svg"
run --svg "$tmp/keep.svg" "$SRCDIR/scenarios/no-such-scenario.json"
check "a scenario that does not load exits 2" rc_is 2
check "... and leaves an older SVG as it was" grep -qx old "$tmp/keep.svg"
check "no temporary file is left behind after errors" no_tmp

tap_done
