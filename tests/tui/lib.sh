# Shared by the tmux tests: a private tmux server at a fixed size, and
# polling of capture-pane (every 0.1 s, up to 10 s: sanitizer builds on a
# loaded machine need it) instead of sleeping.
# Sourced; the test defines nothing before it. Exit 77 = skip.
set -u
: "${SYNFIN:?}" "${SRCDIR:?}"
command -v tmux >/dev/null 2>&1 || {
    echo "tmux is not installed: skipping"
    exit 77
}
export LANG=C.UTF-8
unset LC_ALL LC_CTYPE NO_COLOR
TMUX_SOCK="synfin-$$"
TMPD=$(mktemp -d)
# Panes stay after their command ends (wait_exit reads them), from the
# server's start: set after new-session, a command that ends at once could
# take the only session, and the server, with it.
printf 'set -g remain-on-exit on\nset -g exit-empty off\n' >"$TMPD/tmux.conf"
T="tmux -u -L $TMUX_SOCK -f $TMPD/tmux.conf"
# stop_all: end the server, and then every process still in a pane's
# process group. A sanitizer build's viewer that exits on the server's
# SIGHUP runs LeakSanitizer, whose tracer stops it with SIGSTOP; the
# SIGCONT the kernel sends to the process group the server left orphaned
# cancels that stop, and viewer and tracer wait for each other for ever
# (seen: orphans spinning at 90 % CPU long after their test passed).
stop_all() {
    pids=$($T list-panes -a -F '#{pane_pid}' 2>/dev/null)
    $T kill-server >/dev/null 2>&1
    for p in $pids; do
        kill -9 -- "-$p" 2>/dev/null
    done
    return 0
}
trap 'stop_all; rm -rf "$TMPD"' EXIT
SCEN="$SRCDIR/scenarios"
TUI_POLLS=${TUI_POLLS:-100}
# The session the helpers work on; a test may start several, one per name.
S=main

# start [WxH] COMMAND: a detached session running COMMAND. A shell around it
# writes its exit status for wait_exit: tmux 3.3 sometimes marks a pane dead
# before it has the status (and then never shows it).
start() {
    size=100x30
    case "$1" in *x*[0-9]) size=$1; shift ;; esac
    rm -f "$TMPD/exit.$S"
    # A loaded machine can lose the race of a starting server: try again.
    for try in 1 2 3; do
        $T new-session -d -s "$S" -x "${size%x*}" -y "${size#*x}" \
            sh -c '"$@"; echo "$?" >"$0.tmp" && mv "$0.tmp" "$0"' \
            "$TMPD/exit.$S" "$@" && return 0
        sleep 0.5
    done
    echo "tmux new-session failed"
    exit 99
}

screen() { $T capture-pane -p -t "$S"; }
keys() { $T send-keys -t "$S" "$@"; }

fail() {
    echo "FAIL: $*"
    echo "---- pane:"
    screen
    echo "----"
    exit 1
}

# wait_for TEXT: until the pane shows TEXT (fixed string).
wait_for() {
    i=0
    while [ $i -lt "$TUI_POLLS" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for '$1'"
}

# wait_gone TEXT: until the pane no longer shows TEXT.
wait_gone() {
    i=0
    while [ $i -lt "$TUI_POLLS" ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for '$1' to go"
}

# stable FILE: wait until two captures 0.1 s apart agree; keep it in FILE.
stable() {
    i=0
    screen >"$1"
    while [ $i -lt "$TUI_POLLS" ]; do
        sleep 0.1
        screen >"$1.2"
        cmp -s "$1" "$1.2" && return 0
        mv "$1.2" "$1"
        i=$((i + 1))
    done
    fail "the screen did not settle"
}

# The step shown in the header ("step K/N" -> K).
step_now() { screen | sed -n 's/.*step \([0-9]*\)\/.*/\1/p' | head -1; }

# step: press n and wait for the header to count one more.
step() {
    k=$(step_now)
    keys n
    wait_for "step $((k + 1))/"
}

# step_until TEXT MAX: step forward until the pane shows TEXT.
step_until() {
    j=0
    while [ $j -lt "$2" ]; do
        screen | grep -qF -- "$1" && return 0
        step
        j=$((j + 1))
    done
    screen | grep -qF -- "$1" || fail "never saw '$1' in $2 steps"
}

# press_until KEY TEXT MAX: press KEY until the pane shows TEXT, at most
# MAX times (waiting for each key to be drawn before the next).
press_until() {
    j=0
    while [ $j -lt "$3" ]; do
        screen | grep -qF -- "$2" && return 0
        screen >"$TMPD/press.before"
        keys "$1"
        i=0
        while [ $i -lt "$TUI_POLLS" ]; do
            screen | cmp -s - "$TMPD/press.before" || break
            sleep 0.1
            i=$((i + 1))
        done
        j=$((j + 1))
    done
    screen | grep -qF -- "$2" || fail "never saw '$2' after $3 x $1"
}

# A tmux format of the pane, e.g. pane '#{alternate_on}'.
pane() { $T display-message -p -t "$S" "$1"; }

# wait_exit STATUS: until the program has ended with STATUS.
wait_exit() {
    i=0
    while [ $i -lt "$TUI_POLLS" ]; do
        if [ -f "$TMPD/exit.$S" ]; then
            st=$(cat "$TMPD/exit.$S")
            [ "$st" = "$1" ] || fail "exit status $st, expected $1"
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "the program did not exit"
}

# wait_file FILE: until FILE exists and is not empty (a shell in the pane
# writes it after synfin has exited).
wait_file() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt "$TUI_POLLS" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$1" ] || fail "timed out waiting for $1"
}
