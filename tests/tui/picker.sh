#!/bin/sh
# With no file, synfin opens the picker of built-in scenarios; Enter opens
# the chosen one.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN"
wait_for "Pick a scenario"
wait_for "Handshake, data, and the four-way close"
wait_for "(four-way-close)"
# The list is sorted by file name and grows: find the four-way close.
# scenarios/order.txt: the default scenario is first, and chosen at start.
wait_for "▸ Handshake, data, and the four-way close"
screen | grep -n "▸" | grep -q "^3:" || fail "the four-way close is not first"
wait_for "A client opens a connection"
keys Down
wait_gone "▸ Handshake, data, and the four-way close"
keys Up
wait_for "▸ Handshake, data, and the four-way close"
keys L
wait_for "选择一个场景"
keys L Enter
wait_for "step 0/"
wait_for "Press n or → to step through it."
keys q
wait_exit 0
echo "ok: picker"
