#!/bin/sh
# With no file, synfin opens the picker of built-in scenarios; Enter opens
# the chosen one.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN"
wait_for "Pick a scenario"
wait_for "Handshake, data, and the four-way close"
wait_for "(four-way-close)"
# The list is sorted by file name and grows: find the four-way close.
press_until Down "▸ Handshake, data, and the four-way close" 60
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
