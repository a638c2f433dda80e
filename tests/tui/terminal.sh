#!/bin/sh
# The odd terminals and keys of a real classroom: Escape and unknown escape
# sequences never quit the viewer (Home and End under tmux with
# TERM=xterm-256color arrive as sequences ncurses does not know), a mouse
# click never quits, and a terminal the viewer cannot use (TERM unset,
# unknown, or one that cannot move its cursor) gets a message and exit 2,
# with the terminal left as it was.
. "$(dirname "$0")/lib.sh"
F="$SCEN/four-way-close.json"

S=keys
start env TERM=xterm-256color "$SYNFIN" "$F"
wait_for "step 0/"
keys n n n
wait_for "step 3/"
keys Escape
sleep 0.3
wait_for "step 3/"
# Home and End as tmux sends them, and an unknown sequence (F13).
$T send-keys -t "$S" -H 1b 5b 34 7e
i=0
while [ $i -lt "$TUI_POLLS" ]; do
    at=$(screen | sed -n 's/.*step \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' | head -1)
    [ -n "$at" ] && [ "${at% *}" = "${at#* }" ] && break
    sleep 0.1
    i=$((i + 1))
done
[ $i -lt "$TUI_POLLS" ] || fail "End (ESC [ 4 ~) did not go to the last step"
$T send-keys -t "$S" -H 1b 5b 31 7e
wait_for "step 0/"
$T send-keys -t "$S" -H 1b 5b 32 35 7e
sleep 0.3
wait_for "step 0/"
# A click anywhere (the bottom line, the corner): never a quit.
$T send-keys -t "$S" -H 1b 5b 4d 20 21 21 1b 5b 4d 23 21 21
$T send-keys -t "$S" -H 1b 5b 3c 30 3b 31 3b 33 30 4d 1b 5b 3c 30 3b 31 3b 33 30 6d
sleep 0.3
wait_for "step 0/"
[ ! -f "$TMPD/exit.$S" ] || fail "the viewer quit on Escape, a sequence or a click"
keys q
wait_exit 0
echo "ok: Escape, unknown sequences and clicks do not quit; Home and End work"

for case in unset unknown dumb; do
    S=term$case
    case $case in
    unset) cmd="env -u TERM" ;;
    unknown) cmd="env TERM=no-such-terminal-$$" ;;
    dumb) cmd="env TERM=dumb" ;;
    esac
    start sh -c "stty -g >'$TMPD/$S.before'; $cmd '$SYNFIN' '$F' 2>'$TMPD/$S.err'; \
        echo \"exit=\$?\"; stty -g >'$TMPD/$S.after'; exec sleep 60"
    wait_for "exit=2"
    wait_file "$TMPD/$S.after"
    grep -q "^synfin: " "$TMPD/$S.err" || fail "TERM $case: no synfin: message"
    grep -q -- "--trace SCENARIO" "$TMPD/$S.err" || fail "TERM $case: no hint"
    [ "$(pane '#{alternate_on}')" = 0 ] || fail "TERM $case: alternate screen"
    cmp -s "$TMPD/$S.before" "$TMPD/$S.after" || fail "TERM $case: stty changed"
    echo "ok: TERM $case: $(head -1 "$TMPD/$S.err")"
done
