#!/bin/sh
# Every signal that ends synfin leaves the terminal as it found it: normal
# screen, cursor shown, mouse and keypad modes off, and stty settings
# unchanged. SIGINT, SIGTERM and SIGTSTP are in quit.sh; here are the
# others a user or a system can send: SIGHUP (the terminal went away),
# SIGQUIT (Ctrl-\), SIGPIPE, SIGABRT (an internal error), SIGUSR1 and
# SIGALRM. Each kills synfin as it would any program (exit 128 + signal),
# after the terminal is restored.
. "$(dirname "$0")/lib.sh"
F="$SCEN/four-way-close.json"

for sig in HUP QUIT PIPE ABRT USR1 ALRM; do
    S=sig$sig
    # stty -g before and after, in the same pane; the pane stays open.
    start sh -c "stty -g >'$TMPD/$S.before'; \
        sh -c 'echo \$\$ >\"$TMPD/$S.pid\"; exec \"$SYNFIN\" \"$F\"'; \
        echo \"exit=\$?\"; stty -g >'$TMPD/$S.after'; exec sleep 60"
    wait_for "step 0/"
    [ "$(pane '#{alternate_on}')" = 1 ] || fail "$sig: not on the alternate screen"
    [ "$(pane '#{mouse_any_flag}')" = 1 ] || fail "$sig: mouse not on before"
    kill -"$sig" "$(cat "$TMPD/$S.pid")"
    case $sig in # Linux's numbers
    HUP) code=129 ;; QUIT) code=131 ;; ABRT) code=134 ;;
    USR1) code=138 ;; PIPE) code=141 ;; ALRM) code=142 ;;
    esac
    wait_for "exit=$code"
    wait_file "$TMPD/$S.after"
    [ "$(pane '#{alternate_on}')" = 0 ] || fail "$sig: still on the alternate screen"
    [ "$(pane '#{cursor_flag}')" = 1 ] || fail "$sig: cursor still hidden"
    [ "$(pane '#{mouse_any_flag}')" = 0 ] || fail "$sig: mouse reporting still on"
    [ "$(pane '#{keypad_cursor_flag}')" = 0 ] || fail "$sig: keypad mode still on"
    cmp -s "$TMPD/$S.before" "$TMPD/$S.after" ||
        fail "$sig: stty settings changed: $(cat "$TMPD/$S.before") -> $(cat "$TMPD/$S.after")"
    echo "ok: SIG$sig restores the terminal"
    $T kill-session -t "$S"
done
