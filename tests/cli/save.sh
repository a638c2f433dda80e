#!/bin/sh
# --save FILE (issue 13, item 4): the run, with --set and --seed, as a
# scenario file that validates (warning only of notes written for the
# original run that do not hold in this one) and runs to the same trace
# (JSON Lines) as --trace-json with the same options, byte for byte.
# --seed in both forms, --save - for standard output, and the errors:
# exit 2, the flag named, nothing on standard output, nothing written.
. "${SRCDIR:?}/tests/cmdlib.sh"
. "$SRCDIR/tests/crowd.sh"
L="$SRCDIR/scenarios/lost-final-ack.json"
F="$SRCDIR/scenarios/four-way-close.json"
err_first() { head -1 "$tmp/err" | grep -q -- "$1"; }
same() { cmp -s "$1" "$2"; }

# save NAME FILE ARGS...: --save FILE with ARGS; then its trace against
# --trace-json ARGS, and --validate on it.
save() {
    name=$1 file=$2
    shift 2
    run --save "$file" "$@"
    check "$name: exit 0" rc_is 0
    check "$name: nothing on stdout" out_empty
    check "$name: says where it went" err_has "^synfin: saved the run as "
    "$SYNFIN" --trace-json "$@" >"$tmp/want.jsonl" 2>/dev/null
    "$SYNFIN" --trace-json "$file" >"$tmp/saved.jsonl" 2>"$tmp/err"
    check "$name: the saved run's trace is the edited run's, byte for byte" \
        same "$tmp/saved.jsonl" "$tmp/want.jsonl"
    untrue=$(grep -c '"kind":"note".*"holds":false' "$tmp/want.jsonl")
    "$SYNFIN" --validate "$file" >"$tmp/out" 2>"$tmp/err"
    if [ "$untrue" -eq 0 ]; then
        check "$name: it validates with no warning" \
            sh -c "[ \"\$(cat '$tmp/out')\" = '$file: ok' ] && [ ! -s '$tmp/err' ]"
    else
        check "$name: it validates, warning only of its $untrue notes that do not hold" \
            sh -c "[ \"\$(grep -c 'warning: its claim .* is false in the run' '$tmp/err')\" = $untrue ] &&
                [ \"\$(wc -l <'$tmp/err')\" = $untrue ] && grep -q '^$file: ok, with' '$tmp/out'"
    fi
}

cd "$tmp" || exit 1
save "--seed 7 --set" a.json "$L" --seed 7 --set network.loss=0.3
check "a.json has the seed" grep -q '^  "seed": 7,$' a.json
check "a.json has the override" grep -q '^    "loss": 0.3,\{0,1\}$' a.json
check "a.json says what it is" grep -q \
    '"en": "A saved variant of lost-final-ack, seed 7, with these changes: --set network.loss=0.3; seed 7 instead of 1\.' a.json
check "... in Chinese too" grep -q \
    '"zh": "lost-final-ack 的保存变体，随机种子 7，改动：--set network.loss=0.3；随机种子 7（原为 1）。' a.json
check "a.json keeps the Chinese title" grep -q '"zh": "最后一个 ACK 丢失"' a.json
# The run marks notes untrue here: a.json keeps them, and says so.
"$SYNFIN" --trace-json "$L" --seed 7 --set network.loss=0.3 >"$tmp/e.jsonl"
check "this run has notes that do not hold" grep -q '"holds":false' "$tmp/e.jsonl"
check "... which a.json keeps, and says so" \
    grep -q '[0-9]* notes\{0,1\} written for the original run do\(es\)\{0,1\} not hold in this one' a.json

save "--seed=7 and --set before the scenario" b.json --seed=7 \
    --set network.loss=0.3 "$L"
check "--seed 7 and --seed=7 save the same file" same a.json b.json
save "--set tcp.msl_ms" c.json "$F" --set tcp.msl_ms=5000 --set tcp.delack_ms=0
check "c.json has the MSL" grep -q '"msl_ms": 5000' c.json
save "no option: a copy" d.json "$F"
check "d.json says it is unchanged" grep -q 'seed 1, unchanged\.' d.json
save "a name, not a file" e.json lost-final-ack --seed 3

run --save - "$L" --seed 7 --set network.loss=0.3
check "--save - exits 0" rc_is 0
check "--save - writes the file to stdout" same "$tmp/out" a.json
check "--save - says nothing else" err_empty

# Every shipped scenario saved as it is: the same trace, byte for byte. Not
# a crowd (tests/crowd.sh): time-wait-pileup-10k's JSON Lines are 480 MB, and
# a file saves the same whatever its run's size (close-wait-leak has its
# keys).
bad=""
for f in "$SRCDIR"/scenarios/*.json; do
    crowd "$f" && continue
    "$SYNFIN" --save copy.json "$f" 2>/dev/null &&
        "$SYNFIN" --trace-json copy.json >"$tmp/c1" &&
        "$SYNFIN" --trace-json "$f" >"$tmp/c2" &&
        cmp -s "$tmp/c1" "$tmp/c2" &&
        [ "$("$SYNFIN" --validate copy.json)" = "copy.json: ok" ] ||
        bad="$bad $(basename "$f")"
done
check "every shipped scenario saved unchanged runs the same:$bad" test -z "$bad"

# Control characters from the scenario stay escaped in the file.
H="$SRCDIR/tests/hostile/escapes.json"
run --save - "$H"
check "escapes.json saves" rc_is 0
check "... with its control characters as JSON escapes" \
    sh -c "grep -q 'pwned\\\\u0007' '$tmp/out' && ! LC_ALL=C grep -q \"\$(printf '\\033')\" '$tmp/out'"
cp "$tmp/out" esc.json
"$SYNFIN" --trace-json "$H" >"$tmp/e1"
"$SYNFIN" --trace-json esc.json >"$tmp/e2"
check "... and runs the same" same "$tmp/e1" "$tmp/e2"

run --save a.json "$F"
check "--save replaces a file it is told to" rc_is 0
check "... with the new run" grep -q 'A saved variant of four-way-close' a.json

# Errors: exit 2, the flag named, nothing on stdout, nothing written.
run --save "$tmp/no/such/dir/x.json" "$L"
check "a missing folder: exit 2" rc_is 2
check "a missing folder: names the flag and file" \
    err_first "^synfin: --save $tmp/no/such/dir/x.json: No such file or directory"
check "a missing folder: nothing on stdout" out_empty
mkdir ro
chmod 0500 ro
if [ "$(id -u)" != 0 ]; then
    run --save ro/x.json "$L"
    check "an unwritable folder: exit 2" rc_is 2
    check "an unwritable folder: says so" err_first "^synfin: --save ro/x.json: Permission denied"
fi
if [ -w /dev/full ]; then
    run --save /dev/full "$L"
    check "a full disk: exit 2" rc_is 2
    check "a full disk: says so" err_first "^synfin: --save /dev/full: No space left"
    check "a full disk: nothing on stdout" out_empty
fi
run "$L" --save
check "no file: exit 2" rc_is 2
check "no file: names the flag" err_first "^synfin: --save: needs a value"
check "no file: nothing on stdout" out_empty
run --save= "$L"
check "an empty file name: exit 2" rc_is 2
check "an empty file name: names the flag" err_first "^synfin: --save: expected a file name"
run --save x.json
check "no scenario: exit 2" rc_is 2
check "no scenario: names the flag" err_first "^synfin: --save: needs a scenario file"
check "no scenario: nothing written" test ! -e x.json
run --save x.json --trace "$L"
check "with another mode: exit 2" rc_is 2
check "with another mode: says so" err_first "only one mode may be given"
run --save x.json -o y.json "$L"
check "with -o: exit 2" rc_is 2
check "with -o: says --save takes its own file" err_first "^synfin: -o: has nothing to write: --save"
cp "$L" mine.json
run --save mine.json mine.json
check "over the scenario itself: exit 2" rc_is 2
check "over the scenario itself: refused" err_first "^synfin: --save mine.json: is the scenario file"
check "over the scenario itself: it is left alone" same mine.json "$L"
run --save x.json --set network.loss=2 "$L"
check "a bad --set: exit 2" rc_is 2
check "a bad --set: names it" err_first "^synfin: --set network.loss"
check "a bad --set: nothing written" test ! -e x.json
check "no temporary file is left" sh -c "! ls -A '$tmp' | grep -q '^\.'"
chmod 0700 ro
tap_done
