#!/bin/sh
# f lists the connections; typing 17 and Enter follows #17 alone: the
# header says so, its steps run from its connect() to its CLOSED, the others
# fold into one line of counts, c shows the crowd at that moment, and f
# again shows every connection. 80x24 and 120x40.
. "$(dirname "$0")/lib.sh"

for size in 80x24 120x40; do
    start "$size" "$SYNFIN" "$SCEN/time-wait-pileup.json"
    wait_for "step 0/1772"
    keys f
    wait_for "Connections: 30, 0 with a TCB now"
    wait_for "Enter follows it alone"
    keys 1 7 Enter
    wait_for "step 0/59"
    wait_for "Following connection #17 alone"
    wait_for "The others now: all closed or not begun"
    keys n n n n n n n n n n n n
    wait_for "step 12/59"
    wait_for "client :40016"
    wait_for "14 TIME-WAIT"
    keys G
    wait_for "step 59/59"
    wait_for "61.940"
    wait_for "61.940◂"
    wait_for "The others now: client 13 TIME-WAIT"
    keys c
    wait_for "Connections in each state"
    keys c f
    wait_for "step 1746/1772"
    wait_gone "others now"
    stop_all
done
echo "ok: follow"
