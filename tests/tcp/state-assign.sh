#!/bin/sh
# Only src/tcp/tcp_state.c may assign a TCB's state (architecture §4.6):
# every other move must go through tcp_set_state(), which refuses what is
# not an arc of the RFC 9293 diagram and traces the rule that fired.
#
# An assignment X->state = ... outside tcp_state.c is a violation when X is
# declared as a struct tcb pointer in that file (other structs, such as
# struct tcb_view and struct net_rule, have state fields of their own).
set -u
: "${SRCDIR:?}"
cd "$SRCDIR" || exit 1
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# Every "->state =" (not "==") in the engine's sources, as FILE:LINE:TEXT.
hits=$(grep -rnE --include='*.c' --include='*.h' -e '->state[[:space:]]*=[^=]' src \
    || true)

in_state_c=$(printf '%s\n' "$hits" | grep -c '^src/tcp/tcp_state\.c:' || true)
if [ "$in_state_c" -ge 1 ]; then
    ok "tcp_state.c assigns tcb->state ($in_state_c place(s))"
else
    not_ok "no assignment of ->state found in src/tcp/tcp_state.c: is the grep stale?"
fi

bad=0
printf '%s\n' "$hits" | grep -v '^src/tcp/tcp_state\.c:' | grep -v '^$' \
    >"${TMPDIR:-/tmp}/synfin-state-$$" || true
while IFS= read -r line; do
    file=${line%%:*}
    rest=${line#*:}
    lineno=${rest%%:*}
    text=${rest#*:}
    # The variable before ->state: the last identifier before it.
    var=$(printf '%s\n' "$text" |
        sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)->state[[:space:]]*=.*/\1/p;
                s/^\([A-Za-z_][A-Za-z0-9_]*\)->state[[:space:]]*=.*/\1/p' |
        head -n 1)
    if [ -z "$var" ]; then
        echo "# $file:$lineno: cannot tell what is assigned: $text"
        bad=$((bad + 1))
        continue
    fi
    if grep -Eq "struct tcb[[:space:]]*\*+[[:space:]]*([A-Za-z_][A-Za-z0-9_]*[[:space:]]*(=[^,;]*)?,[[:space:]]*\**[[:space:]]*)*$var\b" "$file"; then
        echo "# $file:$lineno: $text"
        echo "#   ($var is a struct tcb: use tcp_set_state() in tcp_state.c)"
        bad=$((bad + 1))
    fi
done <"${TMPDIR:-/tmp}/synfin-state-$$"
rm -f "${TMPDIR:-/tmp}/synfin-state-$$"

if [ "$bad" -eq 0 ]; then
    ok "no file but src/tcp/tcp_state.c assigns a TCB's state"
else
    not_ok "$bad assignment(s) of a TCB's state outside src/tcp/tcp_state.c"
fi

# The one function: tcp_set_state checks the arc before it assigns.
if grep -q 'tcp_arc_find(from, to)' src/tcp/tcp_state.c; then
    ok "tcp_set_state() checks the move against the arc table"
else
    not_ok "tcp_set_state() no longer calls tcp_arc_find(from, to)"
fi

echo "1..$n"
[ "$fail" -eq 0 ]
