# Shared by the golden checks (tests/*/check.sh, golden.sh, diagrams.sh,
# keys_md.sh): each compares what synfin makes now with files kept in the
# tree, and with the argument `update` rewrites them instead (libxkbcommon's
# convention). Sourced by a script two folders down, with its arguments.
# Sets SRCDIR and SYNFIN (defaults: this tree and its build/synfin), update
# (0 or 1), tmp (a directory, removed at exit), n and fail; gives ok,
# not_ok, golden and tap_done.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SYNFIN=${SYNFIN:-$SRCDIR/build/synfin}
me=tests/${0#*tests/}
case "${1:-}" in
'') update=0 ;;
update) update=1 ;;
*)
    echo "usage: sh $me [update]" >&2
    exit 2
    ;;
esac
if [ ! -x "$SYNFIN" ]; then
    echo "$me: no synfin at $SYNFIN (build it, or set SYNFIN)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# golden NAME GOT WANT: GOT against the kept file WANT; with update, GOT
# replaces WANT when they differ. A binary file's difference is shown by
# cmp, a text file's by diff.
golden() {
    if [ "$update" -eq 1 ] && ! cmp -s "$2" "$3"; then
        mkdir -p "$(dirname "$3")"
        cp "$2" "$3"
        ok "$1 (updated)"
    elif [ ! -f "$3" ]; then
        not_ok "$1: no file ${3#"$SRCDIR"/} (run sh $me update)"
    elif cmp -s "$2" "$3"; then
        ok "$1"
    else
        not_ok "$1: differs from ${3#"$SRCDIR"/} (sh $me update rewrites it)"
        case "$3" in
        *.pcap) cmp "$3" "$2" 2>&1 | sed 's/^/# /' ;;
        *) diff -u "$3" "$2" | head -40 | sed 's/^/# /' ;;
        esac
    fi
}

tap_done() {
    echo "1..$n"
    [ "$fail" -eq 0 ]
}
