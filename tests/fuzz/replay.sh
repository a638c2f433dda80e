#!/bin/sh
# Replay a fuzz target on its seeds and regressions, without libFuzzer:
#   replay.sh REPLAY-BINARY TARGET
# The scenario target gets every shipped scenario and template, every
# bad-scenario test file, the authoring tests' files and
# tests/fuzz/regress/scenario-*; the set target the lines of
# tests/fuzz/set.seeds (one input each) and tests/fuzz/regress/set-*.
set -u
: "${SRCDIR:?}"
bin=$1 target=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $target in
scenario)
    set -- "$SRCDIR"/scenarios/*.json "$SRCDIR"/tests/scenario/bad/*.json \
        "$SRCDIR"/tests/hostile/*.json "$SRCDIR"/tests/authoring/*.json \
        "$SRCDIR"/scenarios/templates/*.json
    for f in "$SRCDIR"/tests/fuzz/regress/scenario-*; do
        [ -e "$f" ] && set -- "$@" "$f"
    done
    ;;
set)
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        printf '%s' "$line" | sed 's/\\n/\n/g' >"$tmp/seed-$i"
    done <"$SRCDIR/tests/fuzz/set.seeds"
    set -- "$tmp"/seed-*
    for f in "$SRCDIR"/tests/fuzz/regress/set-*; do
        [ -e "$f" ] && set -- "$@" "$f"
    done
    ;;
*)
    echo "replay.sh: unknown target $target" >&2
    exit 99
    ;;
esac
exec "$bin" "$@"
