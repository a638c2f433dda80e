#!/bin/sh
# The Linux column of docs/fidelity.md's errno table is what this kernel
# does: errnorec makes each situation on real sockets in a network
# namespace of its own and prints "SITUATION CALL FIRST THEN", and every
# line must be a row of the table (and every row of the table a line).
# TAP, one test per row. Skipped where network namespaces are forbidden,
# as run.sh is. Environment: ERRNOREC (the binary), SRCDIR.
set -u
: "${ERRNOREC:?}" "${SRCDIR:?}"
doc=$SRCDIR/docs/fidelity.md
ns=synfin-errno-$$
tmp=$(mktemp -d /tmp/synfin-errno.XXXXXX)

cleanup() {
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP network namespaces need root, and this is uid $(id -u)"
    exit 0
fi
if ! err=$(ip netns add "$ns" 2>&1) ||
    ! err=$(ip netns exec "$ns" ip link set lo up 2>&1); then
    echo "1..0 # SKIP this machine forbids network namespaces: $err"
    exit 0
fi
# One SYN retry: the timed-out rows give up after 3 s, not 127.
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_syn_retries=1
if ! ip netns exec "$ns" "$ERRNOREC" >"$tmp/linux.txt" 2>"$tmp/err.txt"; then
    echo "Bail out! errnorec failed: $(cat "$tmp/err.txt")"
    exit 1
fi
# The table's rows as "SITUATION CALL FIRST THEN".
sed -n '/^<!-- errno-table -->$/,/^<!-- errno-table -->$/p' "$doc" |
    grep '^| `' | tr -d '`' |
    awk -F'|' '{ for (i = 2; i <= 4; i++) gsub(/^ +| +$/, "", $i);
                 split($4, r, ", "); print $2, $3, r[1], r[2] }' \
        >"$tmp/table.txt"
n=0
total=$(($(wc -l <"$tmp/linux.txt") + 1))
echo "1..$total"
echo "# kernel $(uname -r)"
while read -r sit call first second; do
    n=$((n + 1))
    if grep -qxF "$sit $call $first $second" "$tmp/table.txt"; then
        echo "ok $n - $sit, $call: $first, then $second"
    else
        echo "not ok $n - $sit, $call: Linux gives $first, then $second"
        grep "^$sit $call " "$tmp/table.txt" | sed 's/^/#   the table says: /'
    fi
done <"$tmp/linux.txt"
n=$((n + 1))
if [ "$(wc -l <"$tmp/table.txt")" -eq "$(wc -l <"$tmp/linux.txt")" ]; then
    echo "ok $n - the table has a row for each recording and no more"
else
    echo "not ok $n - the table has $(wc -l <"$tmp/table.txt") rows, the recording $(wc -l <"$tmp/linux.txt")"
fi
