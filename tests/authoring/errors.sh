#!/bin/sh
# --validate reports every error of a file (docs/scenario-format.md,
# "Errors"), as a user runs it: in file order, exit 2, nothing on standard
# output; the other modes print the same lines; a syntax error is reported
# alone, and says so; at most 50 errors, then how many more; every bad
# --set; every file of tests/scenario/bad/ still gives its one line.
. "${SRCDIR:?}/tests/cmdlib.sh"
here="$SRCDIR/tests/authoring"

# The files are named as given, so run where they are.
cd "$here" || exit 1
run --validate several-errors.json
check "several errors: exit 2" rc_is 2
check "several errors: nothing on stdout" out_empty
check "several errors: every one, in file order" \
    cmp -s "$tmp/err" several-errors.txt
check "several errors: as many as the file has" \
    [ "$(wc -l <"$tmp/err")" -eq 24 ]
cp "$tmp/err" "$tmp/validate-err"

for mode in --trace --summary --diagram; do
    run "$mode" several-errors.json
    check "$mode: exit 2" rc_is 2
    check "$mode: nothing on stdout" out_empty
    check "$mode: the same errors as --validate" \
        cmp -s "$tmp/err" "$tmp/validate-err"
done

# A syntax error ends the check: the mistakes after it are not reported.
printf '{\n  "title": "x",\n  "seed": 1,,\n  "tcp": {"msl_ms": -1}\n}\n' \
    >"$tmp/syntax.json"
run --validate "$tmp/syntax.json"
check "a syntax error: exit 2" rc_is 2
check "a syntax error: nothing on stdout" out_empty
printf '%s\n' "$tmp/syntax.json:3:13: syntax error: expected a key in double quotes, got ','" \
    "$tmp/syntax.json: the file is not valid JSON, so nothing after this error was checked" \
    >"$tmp/want"
check "a syntax error: the first only, and says so" cmp -s "$tmp/err" "$tmp/want"

# Sixty bad rules: the first fifty, then how many more.
{
    printf '{"title": "t", "network": {"rules": [\n'
    i=1
    while [ $i -le 60 ]; do
        sep=,
        [ $i -eq 60 ] && sep=
        printf '  {"action": "fly"}%s\n' "$sep"
        i=$((i + 1))
    done
    printf ']}}\n'
} >"$tmp/sixty.json"
run --validate "$tmp/sixty.json"
check "60 errors: exit 2" rc_is 2
check "60 errors: 50 lines and one more" [ "$(wc -l <"$tmp/err")" -eq 51 ]
check "60 errors: the first is rule 0" \
    err_has "^$tmp/sixty.json:2:14: network.rules\[0\].action: unknown action \"fly\""
check "60 errors: the 50th is rule 49" \
    sh -c "sed -n 50p '$tmp/err' | grep -q '^$tmp/sixty.json:51:14: network.rules\[49\]'"
check "60 errors: ... and 10 more" \
    err_has "^$tmp/sixty.json: \.\.\. and 10 more errors (synfin reports the first 50)$"

# A hostile file: 200,000 errors cost little more than one (at most 50 are
# located in the text). The CPU limit is far above what it takes.
awk 'BEGIN { printf "{\"title\": \"t\", \"notes\": ["
    for (i = 0; i < 200000; i++) printf "%s{\"text\": 1}", i ? "," : ""
    print "]}" }' >"$tmp/hostile.json"
(ulimit -t 20 && "$SYNFIN" --validate "$tmp/hostile.json" >"$tmp/out" \
    2>"$tmp/err" </dev/null)
rc=$?
check "200,000 errors: exit 2 within the CPU limit" rc_is 2
check "200,000 errors: 50 lines and one more" [ "$(wc -l <"$tmp/err")" -eq 51 ]
check "200,000 errors: ... and 199950 more" err_has "and 199950 more errors"

# Every bad --set is reported, and the file is not checked until they apply.
run --validate several-errors.json --set 'tcp[0]=1' --set =x
check "two bad --set: exit 2" rc_is 2
printf '%s\n' "synfin: --set tcp[0]: tcp: is an object, not an array" \
    "synfin: --set: empty key in \"=x\" (expected --set KEY=VALUE)" >"$tmp/want"
check "two bad --set: both, and nothing of the file" \
    cmp -s "$tmp/err" "$tmp/want"
# Values from --set are in the order of their place in the scenario: the
# new loss in "network", then the new seed at the end of the file.
run --validate comments.json --set seed=x --set network.loss=2
check "bad values from --set: exit 2" rc_is 2
printf '%s\n' "synfin: --set network.loss: expected a number in [0, 1], got 2" \
    "synfin: --set seed: expected an integer in [0, 9007199254740991], got the string \"x\"" \
    >"$tmp/want"
check "bad values from --set: both, named by their flags" \
    cmp -s "$tmp/err" "$tmp/want"

# Comments ("//") in every kind of object, and "$schema", load.
run --validate comments.json
check "comments in every object: ok" out_has "^comments.json: ok$"
check "comments in every object: no warning" err_empty

# Every bad file still gives its one line, and no other error.
cd "$SRCDIR/tests/scenario" || exit 1
nbad=0
while IFS= read -r want; do
    case $want in bad/*.json:*) ;; *) continue ;; esac
    file=${want%%.json:*}.json
    run --validate "$file"
    printf '%s\n' "$want" >"$tmp/want"
    case ${want#"$file":*:*: } in
    "syntax error"* | "NUL byte"* | "invalid UTF-8"*)
        echo "$file: the file is not valid JSON, so nothing after this error was checked" >>"$tmp/want"
        ;;
    esac
    check "$file: exit 2 and its one line" \
        sh -c "[ $rc -eq 2 ] && [ ! -s '$tmp/out' ] && cmp -s '$tmp/err' '$tmp/want'"
    nbad=$((nbad + 1))
done <bad/expected.txt
check "every bad file was run ($nbad)" [ "$nbad" -ge 100 ]

tap_done
