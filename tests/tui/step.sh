#!/bin/sh
# Opening a scenario, stepping forward, and stepping back to the same step
# gives exactly the same screen.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
wait_for "synfin │ Handshake, data, and the"
for k in 1 2 3 4 5 6 7 8 9 10; do step; done
wait_for "SYN-RECEIVED"
stable "$TMPD/a"
step
step
stable "$TMPD/b"
cmp -s "$TMPD/a" "$TMPD/b" && fail "stepping forward changed nothing"
keys p
wait_for "step 11/"
keys Left
wait_for "step 10/"
stable "$TMPD/c"
if ! cmp -s "$TMPD/a" "$TMPD/c"; then
    diff "$TMPD/a" "$TMPD/c"
    fail "step 10 looks different after going forward and back"
fi
# Home and End.
keys End
wait_for "TIME-WAIT"
keys Home
wait_for "step 0/"
echo "ok: step forward and back"
