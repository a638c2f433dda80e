#!/bin/sh
# Conformance with real Linux: every scenario in tests/conformance/cases/
# is played twice, by synfin's linux profile (synfin --trace-json) and by
# the kernel's TCP in a network namespace made for it (realrun), and the
# two exchanges are compared (confcmp). TAP output, one test per case.
#
# A case whose differences are exactly those listed in cases/NAME.known
# (documented in docs/fidelity.md) is "not ok # TODO": known, not hidden.
# Any other difference fails. Skipped (a TAP plan "1..0 # SKIP", exit 0:
# meson counts a TAP test's non-zero exit as an error, 77 too) only
# where this machine forbids network namespaces.
#
# Environment: SYNFIN, REALRUN, CONFCMP (the binaries), SRCDIR;
# CONF_OUT=DIR keeps the captures and reports there (default: a temporary
# directory, removed unless a case failed); CONF_CASES="name ..." runs
# only those cases.
set -u
: "${SYNFIN:?}" "${REALRUN:?}" "${CONFCMP:?}" "${SRCDIR:?}"
cases=$SRCDIR/tests/conformance/cases
prefix=synfin-conf-$$

cleanup() {
    if [ -n "${rpid:-}" ]; then
        kill -TERM "$rpid" 2>/dev/null
        wait "$rpid" 2>/dev/null
    fi
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $ns in "$prefix"-*) ip netns del "$ns" 2>/dev/null ;; esac
    done
    if [ -n "${tmp_out:-}" ] && [ "${keep:-0}" -eq 0 ]; then
        rm -rf "$tmp_out"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP network namespaces need root, and this is uid $(id -u)"
    exit 0
fi
if ! command -v ip >/dev/null 2>&1; then
    echo "Bail out! ip (iproute2) is missing: tests/run-all.sh installs it"
    exit 1
fi
probe=$prefix-probe
if ! err=$(ip netns add "$probe" 2>&1) ||
    ! err=$(ip netns exec "$probe" ip link set lo up 2>&1); then
    echo "1..0 # SKIP this machine forbids network namespaces: $err"
    exit 0
fi
# No netem (sch_netem) here: the loopback has no delay to give, so both
# runs use a one-way delay of 20 us, about what loopback takes.
if ip netns exec "$probe" tc qdisc add dev lo root netem delay 1ms \
    >/dev/null 2>&1; then
    netem=1
    delay_note="netem on lo gives each case its scenario delay"
else
    netem=0
    delay_note="no sch_netem in this kernel: network.delay_ms=0.02 in both runs"
fi
ip netns del "$probe"

if [ -n "${CONF_OUT:-}" ]; then
    out=$CONF_OUT
    mkdir -p "$out"
else
    tmp_out=$(mktemp -d /tmp/synfin-conf.XXXXXX)
    out=$tmp_out
fi
keep=0

list=""
for f in "$cases"/*.json; do
    name=$(basename "$f" .json)
    if [ -n "${CONF_CASES:-}" ]; then
        case " $CONF_CASES " in *" $name "*) ;; *) continue ;; esac
    fi
    list="$list $name"
done
total=$(echo $list | wc -w)
echo "1..$total"
echo "# kernel $(uname -r); $delay_note"
echo "# captures and reports in $out"

n=0
for name in $list; do
    n=$((n + 1))
    f=$cases/$name.json
    d=$out/$name
    rm -rf "$d"
    mkdir -p "$d"
    if [ "$netem" -eq 1 ]; then
        simargs="" realargs="--netem"
    else
        simargs="--set network.delay_ms=0.02"
        realargs=$simargs
    fi
    # shellcheck disable=SC2086 # the arguments are words without spaces
    if ! "$SYNFIN" --trace-json "$f" $simargs -o "$d/sim.jsonl" \
        2>"$d/sim.err"; then
        echo "not ok $n - $name: synfin failed"
        sed 's/^/# /' "$d/sim.err"
        keep=1
        continue
    fi
    ns=$prefix-$n
    ip netns add "$ns"
    # shellcheck disable=SC2086
    # In the background, so that a signal reaches the trap at once, and
    # the trap stops realrun (it cleans up after itself on SIGTERM).
    ip netns exec "$ns" "$REALRUN" $realargs "$f" "$d" >"$d/realrun.log" 2>&1 &
    rpid=$!
    wait "$rpid"
    rc=$?
    rpid=""
    ip netns del "$ns"
    if [ "$rc" -ne 0 ]; then
        echo "not ok $n - $name: realrun failed (exit $rc)"
        sed 's/^/# /' "$d/realrun.log"
        keep=1
        continue
    fi
    "$CONFCMP" "$d/sim.jsonl" "$d/real.jsonl" >"$d/report.txt" 2>&1
    rc=$?
    grep '^DIFF ' "$d/report.txt" | sed 's/^DIFF //' | sort >"$d/diffs.txt"
    known=$cases/$name.known
    if [ -f "$known" ]; then
        grep -v '^#' "$known" | grep -v '^$' | sort >"$d/known.txt"
    else
        : >"$d/known.txt"
    fi
    if [ "$rc" -eq 0 ] && [ ! -s "$d/known.txt" ]; then
        echo "ok $n - $name: Linux and synfin agree"
    elif [ "$rc" -eq 1 ] && [ -s "$d/known.txt" ] &&
        cmp -s "$d/diffs.txt" "$d/known.txt"; then
        echo "not ok $n - $name # TODO known difference, see docs/fidelity.md"
    elif [ "$rc" -eq 0 ]; then
        # The known difference is gone: the engine was fixed, or Linux
        # changed. Either way cases/$name.known and docs/fidelity.md are
        # out of date (meson reports this as an unexpected pass).
        echo "ok $n - $name # TODO no difference any more: update $name.known and docs/fidelity.md"
    else
        echo "not ok $n - $name: Linux and synfin differ"
        if [ -s "$d/known.txt" ]; then
            echo "# expected only the differences in $name.known:"
            diff "$d/known.txt" "$d/diffs.txt" | sed 's/^/#   /'
        fi
        keep=1
    fi
    sed 's/^/# /' "$d/report.txt"
    if [ -s "$d/diffs.txt" ] && command -v tcpdump >/dev/null 2>&1; then
        echo "# the capture (tcpdump -r $d/capture.pcap -n -S -ttt):"
        tcpdump -r "$d/capture.pcap" -n -S -ttt 2>/dev/null | sed 's/^/#   /'
    fi
done
[ "$keep" -eq 1 ] && echo "# kept $out for a look"
exit 0
