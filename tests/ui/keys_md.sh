#!/bin/sh
# docs/keys.md is generated from the key table: it must be up to date.
#
#   sh tests/ui/keys_md.sh          compare (the 'ui-keys-md' test)
#   sh tests/ui/keys_md.sh update   rewrite docs/keys.md
#
# SYNFIN is the binary (default: build/synfin in the source tree; the
# generator is tests/ui-keys-md beside it), SRCDIR the source tree
# (default: the one this script is in).
. "$(dirname "$0")/../goldenlib.sh"
"$(dirname "$SYNFIN")/tests/ui-keys-md" >"$tmp/keys.md" || exit 1
golden "docs/keys.md is what the key table says" "$tmp/keys.md" \
    "$SRCDIR/docs/keys.md"
tap_done
