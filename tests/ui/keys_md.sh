#!/bin/sh
# docs/keys.md is generated from the key table: it must be up to date.
set -u
: "${SRCDIR:?}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$(dirname "$SYNFIN")/tests/ui-keys-md" >"$out" || exit 1
if ! cmp -s "$out" "$SRCDIR/docs/keys.md"; then
    diff -u "$SRCDIR/docs/keys.md" "$out"
    echo "docs/keys.md is stale: run tests/update-render.sh"
    exit 1
fi
