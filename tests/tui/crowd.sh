#!/bin/sh
# A run of many connections opens on how many are in each state over the
# run: in the TIME-WAIT pile-up the client's TIME-WAIT row climbs to a peak
# of 30, its count now follows the step, forward and back, the narration
# goes on under the chart, and c switches to the ladder and back; 80x24 and
# 120x40.
. "$(dirname "$0")/lib.sh"

# row_is STATE NOW PEAK: the first row of STATE ends with NOW and PEAK.
row_is() {
    i=0
    while [ $i -lt "$TUI_POLLS" ]; do
        screen | grep -E "^[|│] $1 " | head -1 |
            grep -qE " $2 +$3 [|│]\$" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "no $1 row with now $2 and peak $3"
}

for size in 80x24 120x40; do
    start "$size" "$SYNFIN" "$SCEN/time-wait-pileup.json"
    wait_for "step 0/"
    wait_for "Connections in each state"
    wait_for "30 connections: how many are in each state"
    wait_for "Each column is"
    row_is TIME-WAIT 0 30
    row_is LISTEN 0 1
    keys G
    wait_for "63.240s"
    row_is TIME-WAIT 0 30
    keys p
    row_is TIME-WAIT 1 30
    wait_for "What is happening"
    keys c
    wait_gone "Connections in each state"
    wait_for "63.240◂"
    keys c
    row_is TIME-WAIT 1 30
    keys L
    wait_for "各状态的连接数"
    wait_for "峰值"
    keys L c
    wait_gone "Connections in each state"
    stop_all
done
echo "ok: crowd"
