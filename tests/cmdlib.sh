# Shared by the tests that run the synfin command line and read what it
# printed: a TAP counter, run (standard input from /dev/null, output and
# errors to files) and the checks on them. Sourced after SYNFIN and SRCDIR
# are known (or after tests/goldenlib.sh, whose tmp and counter it keeps);
# the test ends with `tap_done`.
set -u
: "${SYNFIN:?}" "${SRCDIR:?}"
if [ -z "${tmp:-}" ]; then # not already made by goldenlib.sh
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    n=0 fail=0
fi

check() { # check NAME COND...
    check_name=$1 # not "name": the tests use that one
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $check_name"
    else
        fail=$((fail + 1))
        echo "not ok $n - $check_name"
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
