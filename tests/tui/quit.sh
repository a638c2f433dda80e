#!/bin/sh
# Quitting, SIGTERM and SIGINT restore the terminal (normal screen, cursor
# shown, mouse off); SIGTSTP restores it and SIGCONT brings the screen back.
. "$(dirname "$0")/lib.sh"
F="$SCEN/four-way-close.json"
run() { # run PIDFILE: synfin in the foreground, then its exit status
    S=${1##*/}
    start sh -c "stty -g >$1.before; sh -c 'echo \$\$ >$1; exec \"$SYNFIN\" \"$F\"'; \
        echo \"exit=\$?\"; stty -g >$1.after; tput cols; exec sleep 60"
}
# stty_same PIDFILE: the terminal's settings are what they were before.
stty_same() {
    wait_file "$1.after"
    cmp -s "$1.before" "$1.after" || fail "stty settings changed"
}
restored() {
    [ "$(pane '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
    [ "$(pane '#{cursor_flag}')" = 1 ] || fail "cursor still hidden"
    [ "$(pane '#{mouse_any_flag}')" = 0 ] || fail "mouse reporting still on"
    [ "$(pane '#{keypad_cursor_flag}')" = 0 ] || fail "keypad mode still on"
}

run "$TMPD/pid1"
wait_for "step 0/"
[ "$(pane '#{alternate_on}')" = 1 ] || fail "not on the alternate screen"
keys q
wait_for "exit=0"
wait_for "100"
restored
stty_same "$TMPD/pid1"

run "$TMPD/pid2"
wait_for "step 0/"
kill -TERM "$(cat "$TMPD/pid2")"
wait_for "exit=143"
restored
stty_same "$TMPD/pid2"

run "$TMPD/pid3"
wait_for "step 0/"
kill -INT "$(cat "$TMPD/pid3")"
wait_for "exit=130"
restored
stty_same "$TMPD/pid3"

# SIGTSTP from a job-control shell, and fg: as a user would do it.
S=tstp
start env PS1='$ ' sh -i
wait_for '$'
keys "\"$SYNFIN\" \"$F\"" Enter
wait_for "step 0/"
# The pane runs start's shell, which runs the interactive one.
pid=$(pgrep -P "$(pgrep -P "$(pane '#{pane_pid}')")")
[ -n "$pid" ] || fail "cannot find synfin's pid"
kill -TSTP "$pid"
i=0
while [ "$(pane '#{alternate_on}')" != 0 ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
restored
keys fg Enter
wait_for "step 0/"
[ "$(pane '#{alternate_on}')" = 1 ] || fail "not back after fg (SIGCONT)"
keys n
wait_for "step 1/"
keys q
wait_gone "step 1/"
restored
echo "ok: the terminal is restored"
