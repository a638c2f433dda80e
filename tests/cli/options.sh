#!/bin/sh
# The forms of the command line (getopt_long): --opt=value and --opt value,
# short options, "--", options before and after the scenario, modes that are
# flags and never take the scenario as their value, -V, a test-only option
# kept out of the help; and the errors of each form (exit 2, "synfin: " and
# the flag, nothing on standard output).
. "${SRCDIR:?}/tests/cmdlib.sh"
S="$SRCDIR/scenarios/four-way-close.json"
L="$SRCDIR/scenarios/lost-final-ack.json"
case $SYNFIN in /*) ;; *) SYNFIN=$PWD/$SYNFIN ;; esac

same_out() { cmp -s "$tmp/want" "$tmp/out"; }
err_first() { head -1 "$tmp/err" | grep -q -- "$1"; }
bad() { # bad NAME FLAG-OR-TEXT ARGS...: exit 2, message first line, no stdout
    name=$1 what=$2
    shift 2
    run "$@"
    check "$name: exit 2" rc_is 2
    check "$name: says '$what'" err_first "^synfin: .*$what"
    check "$name: nothing on stdout" out_empty
}

run -V
check "-V exits 0" rc_is 0
check "-V prints the version" out_has "^synfin [0-9]"
run --help
check "--help has no test-only option" sh -c "! grep -q quit-after '$tmp/out'"
check "--help shows -V" out_has "-V, --version"
run -h
check "-h is --help" out_has "^usage: synfin"

# The same run, written every way.
"$SYNFIN" --trace "$S" --seed 7 >"$tmp/want" 2>/dev/null
for args in "--trace --seed=7 $S" "$S --trace --seed 7" "--seed=7 $S --trace" \
    "--trace --seed 7 -- $S" "--trace $S --see=7"; do
    # shellcheck disable=SC2086
    run $args
    check "'$args' is the same run" same_out
done
POSIXLY_CORRECT=1 run "$S" --trace --seed 7
check "options after the scenario with POSIXLY_CORRECT set" same_out

# A mode is a flag: the next argument is not its scenario.
"$SYNFIN" --diagram "$L" --ascii >"$tmp/want" 2>/dev/null
run --diagram --ascii "$L"
check "--diagram --ascii FILE: exit 0" rc_is 0
check "--diagram --ascii FILE: the ASCII diagram" same_out
run --ascii "$L" --diagram
check "--ascii FILE --diagram: the same" same_out

# Values attached: --opt=value, -oFILE, --output=FILE.
"$SYNFIN" --render 3 --size 80x24 "$S" >"$tmp/want" 2>/dev/null
run --render=3 --size=80x24 "$S"
check "--render=3 --size=80x24: the same screen" same_out
run --summary "-o$tmp/o1.txt" "$S"
check "-oFILE writes the file" grep -q "closed=1" "$tmp/o1.txt"
run --summary "--output=$tmp/o2.txt" "$S"
check "--output=FILE writes the file" grep -q "closed=1" "$tmp/o2.txt"
run "$S" --summary -o "$tmp/o3.txt"
check "-o FILE after the scenario writes the file" grep -q "closed=1" "$tmp/o3.txt"

# "--" ends the options: a file whose name starts with '-'.
cp "$S" "$tmp/-x.json"
(cd "$tmp" && "$SYNFIN" --summary -- -x.json >"$tmp/out" 2>"$tmp/err" </dev/null)
rc=$?
check "-- then -x.json: exit 0" rc_is 0
check "-- then -x.json: runs it" out_has "client: closed=1"
run --summary -- "$S" --trace
check "after --, --trace is a file name" err_has "only one scenario may be given, got '--trace'"

# The test-only option is still accepted.
run --quit-after 2 --render 0 "$S"
check "--quit-after is accepted" rc_is 0

# Errors, each form.
bad "--seed=x" "--seed: expected a non-negative integer, got 'x'" --trace --seed=x "$S"
bad "--seed at the end" "--seed: needs a value" --trace "$S" --seed
bad "-o at the end" "-o: needs a value" --trace "$S" -o
bad "--bogus=1" "--bogus: unknown option" --bogus=1 "$S"
bad "-x" "-x: unknown option" -x "$S"
bad "--ascii=1" "--ascii: takes no value, got '1'" --ascii=1 "$S"
bad "--tr (a prefix of two)" "--tr: ambiguous option, could be --trace or --trace-json" --tr "$S"
bad "two scenarios" "only one scenario may be given, got" --trace "$S" "$L"
bad "two modes" "--summary: only one mode may be given" --trace --summary "$S"
bad "a mode with no scenario" "--diagram: needs a scenario file" --diagram --ascii
bad "--render's bad number before --size" \
    "--render: expected a step number from 0 to 100000000, got '999999999'" \
    --render 999999999 --size 80x24 "$S"
bad "--render's bad number before a bad --size" "--render: " \
    --render 999999999 --size 5000x24 "$S"

tap_done
