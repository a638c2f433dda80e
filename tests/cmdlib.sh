# Shared by the tests that run the synfin command line and read what it
# printed: a TAP counter, run (standard input from /dev/null, output and
# errors to files) and the checks on them. Sourced after SYNFIN and SRCDIR
# are known; the test ends with `tap_done`.
set -u
: "${SYNFIN:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0

check() { # check NAME COND...
    name=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $name"
    else
        fail=$((fail + 1))
        echo "not ok $n - $name"
        sed 's/^/# out: /' "$tmp/out" 2>/dev/null | head -5
        sed 's/^/# err: /' "$tmp/err" 2>/dev/null | head -5
    fi
}

run() { # run ARGS... ; sets rc
    "$SYNFIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
}

rc_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -q -- "$1" "$tmp/out"; }
err_has() { grep -q -- "$1" "$tmp/err"; }
out_empty() { [ ! -s "$tmp/out" ]; }
err_empty() { [ ! -s "$tmp/err" ]; }

tap_done() {
    echo "1..$n"
    [ "$fail" -eq 0 ]
}
