#!/bin/sh
# Resizing redraws at the new size; too small a terminal gets a message;
# a storm of resizes down to 1x1 leaves it running and answering.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
for k in 1 2 3 4 5 6; do step; done
$T resize-window -t "$S" -x 80 -y 24
wait_for "step 6/"
stable "$TMPD/a"
[ "$(pane '#{pane_width}x#{pane_height}')" = 80x24 ] || fail "not 80x24"
grep -q "n → next" "$TMPD/a" || fail "no key bar at 80x24"
grep -q "What is happening" "$TMPD/a" || fail "no narration at 80x24"
$T resize-window -t "$S" -x 40 -y 12
wait_for "The terminal is too small."
$T resize-window -t "$S" -x 160 -y 45
wait_for "step 6/"
wait_gone "too small"
wait_for "What is happening"
# A storm of resizes down to 1x1 and back, faster than frames are drawn:
# synfin keeps up, and answers keys at the end.
for size in 1x1 2x1 1x2 10x5 3x3 200x60 1x1 7x2 80x24 1x1 120x40 20x10 1x1; do
    $T resize-window -t "$S" -x "${size%x*}" -y "${size#*x}"
done
$T resize-window -t "$S" -x 100 -y 30
wait_for "step 6/"
step
wait_for "step 7/"
echo "ok: resize"
