#!/bin/sh
# A bad scenario file gives a clean error and exit code 2, and the terminal
# is never switched to the viewer.
. "$(dirname "$0")/lib.sh"
printf '{ "title": { "en": "x" },\n  "seed": oops }\n' >"$TMPD/bad.json"
start sh -c "\"$SYNFIN\" \"$TMPD/bad.json\"; echo \"exit=\$?\"; exec sleep 60"
wait_for "exit=2"
wait_for "bad.json:2:"
[ "$(pane '#{alternate_on}')" = 0 ] || fail "the viewer started"
screen | grep -q "step 0/" && fail "the viewer drew a frame"
S=missing
start sh -c "\"$SYNFIN\" \"$TMPD/missing.json\"; echo \"exit=\$?\"; \
    exec sleep 60"
wait_for "exit=2"
wait_for "missing.json"
echo "ok: bad scenario files"
