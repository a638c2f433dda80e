#!/bin/sh
# The issue's main moment: drop the server's FIN and watch it come again;
# then drop the last ACK and watch the FIN come again while the client's
# TIME-WAIT countdown restarts. Undo returns to the run as written.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
# Step until the server has closed (LAST-ACK): its FIN is the next packet.
step_until "LAST-ACK" 120
keys d
wait_for "EDITED"
wait_for "server's next packet (FIN"
step_until "lost: dropped by you" 10
step_until "↻" 40
wait_for "RTO fires"
keys u
wait_for "Undone. 0 edits left."
wait_gone "EDITED"

# The last ACK: step until the client is in TIME-WAIT, drop its next packet.
keys Home
wait_for "step 0/"
step_until "2MSL" 120
keys d
wait_for "client's next packet (ACK"
step_until "↻" 60
# The retransmitted FIN reaches the client in TIME-WAIT: it ACKs again and
# restarts its 2MSL timer (the box shows a full bar again).
step_until "restart" 20
echo "ok: dropped packets are retransmitted"
