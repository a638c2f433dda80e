#!/bin/sh
# The command line as a user meets it: help, version, modes, --set, --seed,
# -o, and every kind of bad input (exit 2, a message naming the flag or the
# file:line:column, nothing on standard output).
. "${SRCDIR:?}/tests/cmdlib.sh"
S="$SRCDIR/scenarios/four-way-close.json"

run --help
check "--help exits 0" rc_is 0
check "--help shows usage" out_has "usage: synfin"
check "--help lists --trace" out_has "^  --trace  "

run --summary "$SRCDIR/scenarios/time-wait-pileup.json"
check "--summary: how they ended" out_has "^client: closed=30$"
check "--summary: the TIME-WAIT pile-up's peak and when" \
    out_has "^client peak: .*TIME-WAIT=30 at 3.240000 s"
check "--summary: the listener alone in LISTEN" \
    out_has "^server peak: LISTEN=1 at 0.000000 s, SYN-RECEIVED=1 "

run --version
check "--version exits 0" rc_is 0
check "--version prints the version" out_has "^synfin [0-9]"

run --trace "$S"
check "--trace exits 0" rc_is 0
check "--trace prints the handshake" out_has "LISTEN -> SYN-RECEIVED"
check "--trace prints TIME-WAIT ending" out_has "TIME-WAIT -> CLOSED"
check "--trace writes nothing to stderr" err_empty

run --trace-json "$S"
check "--trace-json exits 0" rc_is 0
check "--trace-json lines are objects" \
    sh -c "head -1 '$tmp/out' | grep -q '^{\"t_us\":0,\"idx\":0,\"kind\":'"

run --validate "$S"
check "--validate exits 0 on a good file" rc_is 0
check "--validate says ok" out_has "four-way-close.json: ok"

run --summary "$S"
check "--summary reports closed connections" out_has "client: closed=1"

P="$SRCDIR/scenarios/port-exhaustion.json"
run --summary "$P"
check "--summary counts the connects that found no port" \
    out_has "client: closed=4 failed connect()=2 (EADDRNOTAVAIL)"
# 200,000 clients over 28,232 ports: each connect() past the range once
# walked the whole range (quadratic, about a minute); now the failed search
# is remembered until a port comes free (under tcp_tw_reuse, until a
# TIME-WAIT may be taken over: without that the walk came back and this took
# 30 s). The CPU limit is many times what it takes (0.1 s, 1 s under the
# sanitizers), so only the quadratic walk can hit it.
(ulimit -t 5 && "$SYNFIN" --summary "$P" --set client.count=200000 \
    --set client.every_ms=0.01 --set 'client.port_range=[32768, 60999]' \
    >"$tmp/out" 2>"$tmp/err" </dev/null)
rc=$?
check "clients beyond the port range take linear time" rc_is 0
check "... and every one is counted" \
    out_has "closed=28232 failed connect()=171768 (EADDRNOTAVAIL)"
# Under tcp_tw_reuse=1 a TIME-WAIT may be taken over 1 s after it began:
# the remembered failure lasts until then, and every port is used twice.
(ulimit -t 5 && "$SYNFIN" --summary "$P" --set client.count=200000 \
    --set client.every_ms=0.01 --set 'client.port_range=[32768, 60999]' \
    --set tcp.tw_reuse=1 >"$tmp/out" 2>"$tmp/err" </dev/null)
rc=$?
check "... also when TIME-WAITs may be taken over (tcp_tw_reuse)" rc_is 0
check "... which then serve a second connection each" \
    out_has "closed=56464 failed connect()=143536 (EADDRNOTAVAIL)"

run --trace "$S" -o "$tmp/t.txt"
check "-o writes the trace to a file" grep -q "SYN-SENT" "$tmp/t.txt"
check "-o leaves stdout empty" out_empty

run --trace "$S" -o "$tmp/no/such/dir/t.txt"
check "-o to an impossible path exits 1" rc_is 1
check "-o error names the path" err_has "no/such/dir/t.txt"

run --trace "$S" --set tcp.msl_ms=1000
check "--set changes the run (2MSL = 2 s)" out_has "TIME-WAIT expires 3.210000"

run --trace "$S" --seed 99 --set network.loss=0.3
check "--seed with loss runs" rc_is 0

# Bad input: exit 2, a message that names the flag, nothing on stdout.
for args in "--seed x" "--seed -1" "--size 10" "--lang fr" "--bogus" \
    "--set noequals" "--render x" "--quit-after 0"; do
    # shellcheck disable=SC2086
    run $args "$S"
    flag=${args%% *}
    check "'$args' exits 2" rc_is 2
    check "'$args' names $flag" err_has -- "$flag"
    check "'$args' prints nothing on stdout" out_empty
done

run --trace
check "--trace with no file exits 2" rc_is 2
run --trace "$S" --trace-json "$S"
check "two modes exit 2" rc_is 2

run --trace "$tmp/missing.json"
check "a missing file exits 2" rc_is 2
check "a missing file is named" err_has "missing.json"

printf '{\n  "title": "x",\n  "network": { "loss": 1.5 }\n}\n' >"$tmp/bad.json"
run --trace "$tmp/bad.json"
check "a bad value exits 2" rc_is 2
check "a bad value is located by line and column" err_has "bad.json:3:"
check "a bad value names its key" err_has "network.loss"
check "a bad scenario prints no trace" out_empty

printf '{ "title": "x", }\n' >"$tmp/syntax.json"
run --validate "$tmp/syntax.json"
check "a syntax error exits 2" rc_is 2
check "a syntax error is located" err_has "syntax.json:1:"

run --trace "$S" --set network.los=0.2
check "a bad --set key exits 2" rc_is 2
check "a bad --set key names the flag" err_has "--set network.los"

# The quiz reads answers from standard input and checks them against the run.
printf '4\n1\nclose-wait\n102\n1\nclosed\n' |
    "$SYNFIN" --quiz "$S" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--quiz exits 0" rc_is 0
check "--quiz scores right answers" out_has "Score: 6 of 6."
check "--quiz explains" out_has "the next number it expects"
printf '3\nserver\n' | "$SYNFIN" --quiz "$S" --lang zh >"$tmp/out" 2>&1
rc=$?
check "--quiz in Chinese, wrong answers" out_has "得分：0 / 2"
check "--quiz says the right answer" out_has "正确答案是 4"
printf 'banana\n4\n' | "$SYNFIN" --quiz "$S" >"$tmp/out" 2>&1
check "--quiz asks again after nonsense" out_has "not one of the answers"
"$SYNFIN" --quiz "$S" </dev/null >"$tmp/out" 2>&1
rc=$?
check "--quiz with no input ends cleanly" rc_is 0
check "--quiz with no input scores 0 of 0" out_has "Score: 0 of 0."
printf '{"title": "no questions", "client": {"script": []}}\n' >"$tmp/noq.json"
run --quiz "$tmp/noq.json"
check "--quiz on a scenario without questions exits 2" rc_is 2
check "--quiz names the scenario" err_has "noq.json has no quiz questions"

tap_done
