#!/bin/sh
# Save the run (issue 13, item 4), as a teacher does it: open a scenario
# under --seed 7 at 80x24 (the header shows the seed and EDITED), drop a
# packet in flight, press S; the viewer says where the file went and how to
# open it. Then `synfin NAME` finds it in the teacher's folder: its trace
# is the edited run's (the same drop written with --set on the command
# line), and at 120x40 it opens as a run of its own: seed 7, not EDITED.
. "$(dirname "$0")/lib.sh"
X="$TMPD/xdg"
start 80x24 env XDG_DATA_HOME="$X" "$SYNFIN" --seed 7 "$SCEN/four-way-close.json"
wait_for "step 0/"
screen | head -1 | grep -qF "· seed 7 ·" || fail "no seed 7 in the header"
screen | head -1 | grep -qF "EDITED" || fail "--seed 7 is not marked EDITED"

# A packet in flight, selected (its id is in the message) and dropped.
step_until "SYN-SENT" 20
step
keys Tab
wait_for "selected (reversed"
id=$(screen | sed -n 's/.*Packet \([0-9][0-9]*\) selected.*/\1/p' | head -1)
[ -n "$id" ] || fail "no packet id in the message"
keys x
wait_for "Edit 1: that packet is lost"
wait_for "EDITED ×1"
last=$(screen | sed -n 's/.*step [0-9]*\/\([0-9]*\).*/\1/p' | head -1)

keys S
wait_for "Saved this run as four-way-close-2 in"
screen | tr -d '\n' | grep -qF "synfin four-way-close-2 opens it." ||
    fail "the message does not say how to open it"
[ -s "$X/synfin/scenarios/four-way-close-2.json" ] || fail "no file saved"
keys q
wait_exit 0

# The same run from the command line: the drop as a --set rule.
rule="[{\"segment\": $id, \"action\": \"drop\", \"label\": \"dropped by you (edit 1)\"}]"
"$SYNFIN" --trace-json --seed 7 "$SCEN/four-way-close.json" \
    --set "network.rules=$rule" >"$TMPD/want.jsonl" || fail "no edited run"
XDG_DATA_HOME="$X" "$SYNFIN" --trace-json four-way-close-2 >"$TMPD/saved.jsonl" ||
    fail "synfin --trace-json four-way-close-2 failed"
cmp -s "$TMPD/saved.jsonl" "$TMPD/want.jsonl" ||
    fail "the saved run's trace is not the edited run's"
grep -qF '"why":"dropped by you (edit 1)"' "$TMPD/saved.jsonl" ||
    fail "the saved run does not drop the packet"

# Opened by name: its own run, seed 7, as many steps as the edited one.
S=saved
start 120x40 env XDG_DATA_HOME="$X" "$SYNFIN" four-way-close-2
wait_for "step 0/$last"
screen | head -1 | grep -qF "· seed 7 ·" || fail "the saved run's header has no seed 7"
screen | head -1 | grep -qF "EDITED" && fail "the saved run is marked EDITED"
keys q
wait_exit 0
echo "ok: the run saved with S opens by name and runs the same"
