#!/bin/sh
# ? shows the help generated from the key table; q goes back.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
keys '?'
wait_for "Help: keys"
wait_for "drop the next packet to be sent"
wait_for "What if?"
keys q
wait_for "What is happening"
wait_gone "Help: keys"
# The other views open and close the same way.
keys s
wait_for "RFC 9293 state diagram"
keys s e
wait_for "Event log"
keys Escape
wait_for "What is happening"
echo "ok: help"
