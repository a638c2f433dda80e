#!/bin/sh
# docs/keys.md is generated from the key table: it must be up to date.
#
#   sh tests/ui/keys_md.sh          compare (the 'ui-keys-md' test)
#   sh tests/ui/keys_md.sh update   rewrite docs/keys.md
#
# SYNFIN is the binary (default: build/synfin in the source tree; the
# generator is tests/ui-keys-md beside it), SRCDIR the source tree
# (default: the one this script is in).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SYNFIN=${SYNFIN:-$SRCDIR/build/synfin}
case "${1:-}" in
'') update=0 ;;
update) update=1 ;;
*)
    echo "usage: sh tests/ui/keys_md.sh [update]" >&2
    exit 2
    ;;
esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$(dirname "$SYNFIN")/tests/ui-keys-md" >"$out" || exit 1
if cmp -s "$out" "$SRCDIR/docs/keys.md"; then
    exit 0
fi
if [ "$update" -eq 1 ]; then
    cp "$out" "$SRCDIR/docs/keys.md"
    echo "updated docs/keys.md"
    exit 0
fi
diff -u "$SRCDIR/docs/keys.md" "$out"
echo "docs/keys.md is stale: run sh tests/ui/keys_md.sh update"
exit 1
