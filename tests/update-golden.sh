#!/bin/sh
# Rewrite the golden traces from the current engine. Review the diff before
# committing: every changed line is a change in behaviour.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
for scen in "$here"/scenarios/*.json; do
    name=$(basename "$scen" .json)
    "$build/synfin" --trace "$scen" >"$here/tests/golden/$name.trace"
    echo "updated tests/golden/$name.trace"
done
