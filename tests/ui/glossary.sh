#!/bin/sh
# One Chinese term per concept: docs/glossary.md lists, in its column "not",
# the Chinese forms rejected in favour of the chosen term (each in
# backquotes). None may appear in the UI's sources (src/ui, src/quiz), the
# scenarios or the docs; docs/glossary.md itself and docs/myths.md (which
# quotes its sources word for word) are exempt.
#
#   sh tests/ui/glossary.sh
#
# SRCDIR is the source tree (default: the one this script is in). TAP: one
# test per rejected form, each hit reported as file:line.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
glossary=$SRCDIR/docs/glossary.md
if [ ! -f "$glossary" ]; then
    echo "1..1"
    echo "not ok 1 - no docs/glossary.md"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The rejected forms: the backquoted words of the third column of the table
# whose header names a column "not", one per line.
awk -F'|' '
    /^\|/ && !incol { for (i = 2; i < NF; i++) if ($i ~ /^ *not *$/) col = i }
    /^\|/ && col { incol = 1 }
    !/^\|/ { incol = 0; col = 0 }
    incol && $col ~ /`/ {
        s = $col
        while (match(s, /`[^`]+`/)) {
            print substr(s, RSTART + 1, RLENGTH - 2)
            s = substr(s, RSTART + RLENGTH)
        }
    }' "$glossary" >"$tmp/not"

(
    cd "$SRCDIR" || exit 1
    find src/ui src/quiz -type f \( -name '*.c' -o -name '*.h' \)
    find scenarios -type f -name '*.json'
    find docs -type f \( -name '*.md' -o -name '*.txt' -o -name '*.svg' \
        -o -name '*.1' \) ! -path docs/glossary.md ! -path docs/myths.md
) | LC_ALL=C sort >"$tmp/files"

total=$(wc -l <"$tmp/not" | tr -d ' ')
echo "1..$((total + 1))"
n=1 fail=0
if [ "$total" -gt 0 ] && [ -s "$tmp/files" ]; then
    echo "ok 1 - docs/glossary.md rejects $total forms; $(wc -l <"$tmp/files" | tr -d ' ') files to check"
else
    echo "not ok 1 - no rejected forms in docs/glossary.md, or no files"
    fail=1
fi
while IFS= read -r word; do
    n=$((n + 1))
    (cd "$SRCDIR" && xargs grep -nF -e "$word" -- /dev/null <"$tmp/files") \
        >"$tmp/hits" 2>/dev/null
    if [ -s "$tmp/hits" ]; then
        fail=$((fail + 1))
        echo "not ok $n - $word appears (see docs/glossary.md for the term to use)"
        sed 's/^/# /' "$tmp/hits"
    else
        echo "ok $n - no $word"
    fi
done <"$tmp/not"
[ "$fail" -eq 0 ]
