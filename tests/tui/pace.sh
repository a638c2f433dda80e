#!/bin/sh
# A teacher's pace at 80x24: ] and [ go to the next and previous packet
# sent, arriving or lost, } and { to the next and previous state change;
# the header's "step K/N" lands where the trace says, and at the ends the
# cursor stays and the narration says so (in Chinese too).
. "$(dirname "$0")/lib.sh"
F="$SCEN/four-way-close.json"
# The steps (trace events but notes, counted from 1) of each kind.
"$SYNFIN" --trace "$F" >"$TMPD/trace" || fail "--trace failed"
awk -v d="$TMPD" '$4 != "note" { n++ }
    $4 == "send" || $4 == "arrive" || $4 == "drop" { print n >(d "/seg") }
    $4 == "state" { print n >(d "/state") }
    END { print n >(d "/n") }' "$TMPD/trace"
N=$(cat "$TMPD/n")
nth() { sed -n "$2p" "$TMPD/$1"; }
[ -n "$(nth seg 2)" ] && [ -n "$(nth state 3)" ] || fail "no steps to go to"

# press KEY K: press KEY (a literal) and wait for the header's "step K/N".
press() {
    $T send-keys -t "$S" -l "$1"
    wait_for "step $2/$N"
}

start 80x24 "$SYNFIN" "$F"
wait_for "step 0/$N"
press ']' "$(nth seg 1)"
press ']' "$(nth seg 2)"
press '[' "$(nth seg 1)"
# Nothing before the first packet: the cursor stays.
$T send-keys -t "$S" -l '['
wait_for "No packet sent, arriving or lost before"
[ "$(step_now)" = "$(nth seg 1)" ] || fail "[ moved from the first packet"
# State changes, from the start: the last one in a dozen presses or less.
keys g
wait_for "step 0/$N"
press '}' "$(nth state 1)"
press '}' "$(nth state 2)"
press '{' "$(nth state 1)"
keys g
wait_for "step 0/$N"
last=$(sed -n '$p' "$TMPD/state")
# (Not i: lib.sh's helpers count with it.)
pressed=0
while [ "$(step_now)" != "$last" ]; do
    pressed=$((pressed + 1))
    [ $pressed -le 12 ] || fail "more than 12 presses of } to step $last"
    press '}' "$(nth state $pressed)"
done
# At the end: it stays, and says so, in both languages.
$T send-keys -t "$S" -l '}'
wait_for "No state change after this step."
[ "$(step_now)" = "$last" ] || fail "} moved past the last state change"
keys L
wait_for "第 $last/$N 步"
$T send-keys -t "$S" -l '}'
wait_for "这一步之后没有状态变化。"
echo "ok: ] [ } { at 80x24, $pressed presses of } to the last state change"
