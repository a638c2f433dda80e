#!/bin/sh
# Rewrite the pictures' goldens (tests/picture/golden/) from the current
# build. Review the diff before committing: the diagrams are the viewer's,
# so a change here is a change on screen too.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
g="$here/tests/picture/golden"
mkdir -p "$g"
"$build/synfin" --diagram "$here/scenarios/four-way-close.json" --lang en \
    >"$g/four-way-close.txt"
"$build/synfin" --diagram "$here/scenarios/lost-final-ack.json" --lang en \
    >"$g/lost-final-ack.txt"
"$build/synfin" --diagram "$here/scenarios/lost-final-ack.json" --ascii \
    >"$g/lost-final-ack-ascii.txt"
"$build/synfin" --svg "$g/four-way-close.svg" \
    "$here/scenarios/four-way-close.json" --lang en
echo "updated tests/picture/golden/"
