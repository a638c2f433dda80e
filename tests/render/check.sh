#!/bin/sh
# Every case of cases.txt rendered with --render must equal its golden file.
# With "update" as the first argument, rewrite the golden files instead.
set -u
: "${SYNFIN:?}" "${SRCDIR:?}"
dir="$SRCDIR/tests/render"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
n=0 fail=0
while read -r scen step size flag; do
    case "$scen" in '' | '#'*) continue ;; esac
    name="$scen@$step-$size${flag:+-$flag}"
    opt="" lang=en file="$SRCDIR/scenarios/$scen.json"
    [ "${flag:-}" = ascii ] && opt="--ascii"
    [ "${flag:-}" = zh ] && lang=zh
    # No scenario: the picker, with entry STEP chosen.
    [ "$scen" = picker ] && file=""
    n=$((n + 1))
    if ! "$SYNFIN" --render "$step" --size "$size" $opt --lang "$lang" \
        ${file:+"$file"} >"$tmp"; then
        echo "not ok $n - $name: synfin failed"
        fail=$((fail + 1))
        continue
    fi
    if [ "${1:-}" = update ]; then
        cp "$tmp" "$dir/$name.txt"
        echo "ok $n - $name (updated)"
    elif cmp -s "$tmp" "$dir/$name.txt"; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        diff -u "$dir/$name.txt" "$tmp" | head -40 | sed 's/^/# /'
        fail=$((fail + 1))
    fi
done <"$dir/cases.txt"
echo "1..$n"
[ "$fail" -eq 0 ]
