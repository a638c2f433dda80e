#!/bin/sh
# With no file, synfin opens the picker of every scenario found; Enter opens
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
echo "ok: picker: the built-in scenarios"

# A teacher's own folder: its scenarios come first, marked; a file that does
# not load is listed and says why when opened; the others open.
S=teacher
X="$TMPD/xdg/synfin/scenarios"
mkdir -p "$X"
printf '{ "title": "x",\n  "seed": oops }\n' >"$X/broken.json"
printf '{"title": "My lesson", "client": {"script": []}}\n' >"$X/my-lesson.json"
start env XDG_DATA_HOME="$TMPD/xdg" "$SYNFIN"
wait_for "▸ broken.json  (broken · your folder)"
wait_for "This file does not load:"
keys Enter
wait_for "broken.json:2:11: syntax error"
keys Down
wait_for "▸ My lesson  (my-lesson · your folder)"
wait_for "File: $X/my-lesson.json"
keys Enter
wait_for "step 0/"
keys o
wait_for "Pick a scenario"
wait_for "Handshake, data, and the four-way close  (four-way-close)"
keys q
wait_exit 0
echo "ok: picker: a teacher's folder"
