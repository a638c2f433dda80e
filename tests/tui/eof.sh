#!/bin/sh
# The viewer's input ends: it says so, gives the terminal back and exits 1,
# instead of spinning on reads that return at once (100 % CPU for ever).
#  1. Standard input at end of file from the start (</dev/null): the
#     viewer does not start (exit 2, the message, the terminal untouched).
#  2. Standard input is a terminal that goes away while the viewer runs,
#     and not the viewer's controlling terminal, so no SIGHUP comes: here
#     the keys come from another pane, which is closed.
#  3. The whole terminal goes away under a viewer that gets no SIGHUP (it
#     runs in a session of its own, as under setsid or a detached job).
. "$(dirname "$0")/lib.sh"
F="$SCEN/four-way-close.json"
# A viewer that spins is not killed by the tmux server going away (case 3):
# kill it by its pid.
trap '[ -s "$TMPD/gone.pid" ] && kill -9 "$(cat "$TMPD/gone.pid")" 2>/dev/null
    stop_all; rm -rf "$TMPD"' EXIT
restored() {
    [ "$(pane '#{alternate_on}')" = 0 ] || fail "$1: still on the alternate screen"
    [ "$(pane '#{cursor_flag}')" = 1 ] || fail "$1: cursor still hidden"
    [ "$(pane '#{mouse_any_flag}')" = 0 ] || fail "$1: mouse reporting still on"
    [ "$(pane '#{keypad_cursor_flag}')" = 0 ] || fail "$1: keypad mode still on"
}

# ---- 1.
S=devnull
start sh -c "stty -g >'$TMPD/$S.before'; '$SYNFIN' '$F' </dev/null; \
    echo \"exit=\$?\"; stty -g >'$TMPD/$S.after'; exec sleep 60"
wait_for "exit=2"
wait_for "synfin: the viewer needs a terminal (standard input is not one)"
wait_file "$TMPD/$S.after"
restored "</dev/null"
cmp -s "$TMPD/$S.before" "$TMPD/$S.after" || fail "</dev/null: stty changed"
echo "ok: </dev/null: exit 2 with a message"

# ---- 2.
S=keyboard
start sleep 60
tty=$(pane '#{pane_tty}')
[ -c "$tty" ] || fail "no tty for the keyboard pane"
S=viewer
start sh -c "stty -g >'$TMPD/$S.before'; '$SYNFIN' '$F' <'$tty'; \
    echo \"exit=\$?\"; stty -g >'$TMPD/$S.after'; exec sleep 60"
wait_for "step 0/"
$T kill-session -t keyboard
wait_for "exit=1"
wait_for "synfin: the terminal went away"
wait_file "$TMPD/$S.after"
restored "input gone"
cmp -s "$TMPD/$S.before" "$TMPD/$S.after" ||
    fail "input gone: stty settings changed"
echo "ok: the keyboard's terminal goes away: exit 1, $(screen | grep 'synfin:')"

# ---- 3.
cat >"$TMPD/gone.sh" <<EOF
sh -c 'echo \$\$ >"$TMPD/gone.pid"; exec "$SYNFIN" "$F"' 2>"$TMPD/gone.err"
echo \$? >"$TMPD/gone.rc"
EOF
S=gone
# An asynchronous command's standard input is /dev/null: keep the pane's.
start sh -c "exec 3<&0; setsid sh '$TMPD/gone.sh' <&3 3<&- & exec sleep 60"
wait_for "step 0/"
$T kill-session -t gone
wait_file "$TMPD/gone.rc"
[ "$(cat "$TMPD/gone.rc")" = 1 ] || fail "terminal gone: exit $(cat "$TMPD/gone.rc"), expected 1"
grep -q "^synfin: the terminal went away" "$TMPD/gone.err" ||
    fail "terminal gone: no message: $(cat "$TMPD/gone.err")"
echo "ok: the whole terminal goes away: exit 1, $(cat "$TMPD/gone.err")"
