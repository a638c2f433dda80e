#!/bin/sh
# The docs' sequence diagrams, made by the program. For every scenario
# scenarios/NAME.json:
#   docs/diagrams/NAME.svg    synfin --svg (100 columns, English)
#   docs/scenarios.md         synfin --diagram, as a fenced block between
#                               <!-- diagram: NAME -->
#                             and the end marker
#                               <!-- /diagram -->
#                             (a marker with no end marker before the next
#                             marker gets one; nothing else is touched)
# and docs/four-way-close.svg, the picture at the top of the README.
#
# A crowd (tests/crowd.sh) and a run whose diagram is longer than 1,000
# lines (port-exhaustion-plateau's is 1,226, close-wait-leak's 2,904) get
# no diagram: many connections are read by their counts (c in the viewer,
# --counts), and such a ladder would be most of docs/scenarios.md. Their section there has instead, between
#   <!-- summary: NAME -->
# and the same end marker, synfin --summary NAME (how the connections
# ended, each state's peak and when), which this script keeps up to date
# the same way; any scenario may have one.
#
#   sh tests/docs/diagrams.sh          TAP: do they match? (the
#                                      'docs-diagrams' test; fails on drift)
#   sh tests/docs/diagrams.sh update   rewrite them
#
# SYNFIN is the binary (default: build/synfin in the source tree), SRCDIR
# the source tree (default: the one this script is in).
. "$(dirname "$0")/../goldenlib.sh"
. "$SRCDIR/tests/crowd.sh"
export LC_ALL=C
check=$((1 - update))
here=$SRCDIR
synfin=$SYNFIN
md="$here/docs/scenarios.md"

skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
say() { [ "$check" -eq 1 ] || echo "$@"; }

# 1. Generate everything into $tmp: NAME.sum, the summary, for every
# scenario; NAME.txt and NAME.svg for those with a diagram (names).
names=""
for scen in "$here"/scenarios/*.json; do
    [ -e "$scen" ] || continue
    name=$(basename "$scen" .json)
    "$synfin" --summary "$scen" >"$tmp/$name.sum" 2>/dev/null ||
        rm -f "$tmp/$name.sum"
    if crowd "$scen" ||
        { "$synfin" --diagram "$scen" --lang en >"$tmp/$name.txt" \
            2>"$tmp/err" && [ "$(wc -l <"$tmp/$name.txt")" -gt 1000 ]; }; then
        # A summary, and the chart --svg draws for a run of many
        # connections (the state counts over the run), if it is one.
        rm -f "$tmp/$name.txt"
        if "$synfin" --svg "$tmp/$name.svg" "$scen" --lang en 2>/dev/null &&
            grep -q '^<desc>Connections in each state' "$tmp/$name.svg"; then
            names="$names $name"
        else
            rm -f "$tmp/$name.svg"
        fi
        continue
    fi
    if [ -s "$tmp/err" ] || [ ! -s "$tmp/$name.txt" ] ||
        ! "$synfin" --svg "$tmp/$name.svg" "$scen" --lang en 2>>"$tmp/err"; then
        if [ "$check" -eq 1 ]; then
            not_ok "$name: synfin failed: $(head -1 "$tmp/err")"
        else
            echo "docs/diagrams.sh: $name: $(head -1 "$tmp/err")" >&2
            fail=$((fail + 1))
        fi
        rm -f "$tmp/$name.txt" "$tmp/$name.svg"
        continue
    fi
    names="$names $name"
done

# 2. docs/scenarios.md with every block between markers regenerated.
# Blocks of unknown scenarios are kept as they are.
expand_md() { # expand_md IN OUT
    awk -v dir="$tmp" '
    { line[++nl] = $0 }
    function start(s) {
        return s ~ /^<!-- (diagram|summary): [A-Za-z0-9_.-]+ -->$/
    }
    function stop(s) { return s == "<!-- /diagram -->" }
    # The file a marker is made from: NAME.txt (a diagram), NAME.sum.
    function file(s,   name) {
        name = s
        sub(/^<!-- [a-z]+: /, "", name)
        sub(/ -->$/, "", name)
        return dir "/" name (s ~ /^<!-- diagram/ ? ".txt" : ".sum")
    }
    function emit(s,   f, l, name) {
        f = file(s)
        print "```text"
        while ((getline l < f) > 0)
            print l
        close(f)
        print "```"
        name = s
        sub(/^<!-- [a-z]+: /, "", name)
        sub(/ -->$/, "", name)
        # The SVG of a crowd is the state-count chart, not a ladder; a
        # summary has one only then.
        crowd = 0
        f = dir "/" name ".svg"
        while ((getline l < f) > 0)
            if (l ~ /^<desc>Connections in each state/)
                crowd = 1
        close(f)
        if (s ~ /^<!-- summary/ && !crowd)
            return
        print ""
        if (crowd)
            print "The number of connections in each state over the run, as SVG: [diagrams/" name ".svg](diagrams/" name ".svg)"
        else
            print "As SVG: [diagrams/" name ".svg](diagrams/" name ".svg)"
    }
    END {
        for (i = 1; i <= nl; i++) {
            print line[i]
            if (!start(line[i]))
                continue
            end = 0
            for (j = i + 1; j <= nl && !start(line[j]); j++)
                if (stop(line[j])) {
                    end = j
                    break
                }
            f = file(line[i])
            known = (getline l < f) > 0
            close(f)
            if (!known)
                continue
            emit(line[i])
            if (end) {
                i = end - 1
            } else {
                print "<!-- /diagram -->"
            }
        }
    }' "$1" >"$2"
}

has_marker() { grep -qxE "<!-- (diagram|summary): $1 -->" "$md" 2>/dev/null; }

if [ "$check" -eq 0 ]; then
    mkdir -p "$here/docs/diagrams"
    for name in $names; do
        if ! cmp -s "$tmp/$name.svg" "$here/docs/diagrams/$name.svg"; then
            cp "$tmp/$name.svg" "$here/docs/diagrams/$name.svg"
            echo "updated docs/diagrams/$name.svg"
        fi
        [ -f "$md" ] && ! has_marker "$name" &&
            echo "note: docs/scenarios.md has no <!-- diagram: $name --> yet"
    done
    if [ -f "$tmp/four-way-close.svg" ] &&
        ! cmp -s "$tmp/four-way-close.svg" "$here/docs/four-way-close.svg"; then
        cp "$tmp/four-way-close.svg" "$here/docs/four-way-close.svg"
        echo "updated docs/four-way-close.svg"
    fi
    for svg in "$here"/docs/diagrams/*.svg; do
        [ -e "$svg" ] || continue
        name=$(basename "$svg" .svg)
        [ -f "$here/scenarios/$name.json" ] || {
            rm -f "$svg"
            echo "removed docs/diagrams/$name.svg (no scenarios/$name.json)"
        }
    done
    if [ -f "$md" ]; then
        expand_md "$md" "$tmp/scenarios.md"
        if ! cmp -s "$tmp/scenarios.md" "$md"; then
            cat "$tmp/scenarios.md" >"$md"
            echo "updated docs/scenarios.md"
        fi
    else
        echo "note: there is no docs/scenarios.md yet"
    fi
    [ "$fail" -eq 0 ]
    exit
fi

# 3. Check: compare, one line per file and per scenario.
for name in $names; do
    if cmp -s "$tmp/$name.svg" "$here/docs/diagrams/$name.svg"; then
        ok "$name: docs/diagrams/$name.svg is up to date"
    elif [ -f "$here/docs/diagrams/$name.svg" ]; then
        not_ok "$name: docs/diagrams/$name.svg drifted (run sh tests/docs/diagrams.sh update)"
    else
        not_ok "$name: docs/diagrams/$name.svg is missing (run sh tests/docs/diagrams.sh update)"
    fi
    if has_marker "$name"; then
        ok "$name: docs/scenarios.md has its diagram marker"
    else
        skip "$name: docs/scenarios.md has its diagram marker" \
            "no <!-- diagram: $name --> in docs/scenarios.md yet"
    fi
done
if cmp -s "$tmp/four-way-close.svg" "$here/docs/four-way-close.svg"; then
    ok "docs/four-way-close.svg (the README's picture) is up to date"
else
    not_ok "docs/four-way-close.svg drifted (run sh tests/docs/diagrams.sh update)"
fi
for svg in "$here"/docs/diagrams/*.svg; do
    [ -e "$svg" ] || continue
    name=$(basename "$svg" .svg)
    if [ -f "$here/scenarios/$name.json" ]; then
        ok "docs/diagrams/$name.svg has its scenario"
    else
        not_ok "docs/diagrams/$name.svg is stale: no scenarios/$name.json"
    fi
done
if [ -f "$md" ]; then
    expand_md "$md" "$tmp/scenarios.md"
    if cmp -s "$tmp/scenarios.md" "$md"; then
        ok "docs/scenarios.md: every diagram is up to date"
    else
        not_ok "docs/scenarios.md: diagrams drifted (run sh tests/docs/diagrams.sh update)"
        diff -u "$md" "$tmp/scenarios.md" | head -40 | sed 's/^/# /'
    fi
    for name in $(sed -n 's/^<!-- [a-z]*: \([A-Za-z0-9_.-]*\) -->$/\1/p' "$md"); do
        if [ -f "$here/scenarios/$name.json" ]; then
            ok "marker $name names a scenario"
        else
            not_ok "docs/scenarios.md: the marker of $name names no scenario"
        fi
    done
else
    skip "docs/scenarios.md: every diagram is up to date" \
        "there is no docs/scenarios.md yet"
fi
tap_done
