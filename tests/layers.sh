#!/bin/sh
# The layers of docs/architecture.md call only downwards. Every function
# defined in src/ belongs to the layer of its file; a call from a file of a
# lower layer to a function of a higher one fails, but for the one upcall
# every stack has (the network delivering a segment to tcp_input). The
# engine's private header is included only by the engine (the build
# enforces it too: engine.h refuses to compile without
# SYNFIN_ENGINE_INTERNAL, which only the engine library defines).
#
# Run with SRCDIR set; `sh tests/layers.sh` from the source root also works.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$SRCDIR" || exit 1
CC=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# The layer of a source file, lowest first; files of one number may not
# call each other across files either way that the list below forbids.
layer() {
    case $1 in
    src/base/*) echo "0 base" ;;
    src/tcp/tcp_names.c | src/tcp/tcp_settings.c) echo "1 names" ;; # the words of synfin/tcp.h
    src/sim/*) echo "1 sim" ;;
    src/trace/*) echo "2 trace" ;;
    src/scenario/*) echo "2 scenario" ;;
    src/host/pool.c) echo "3 pool" ;;
    src/host/conn_table.c) echo "4 conn_table" ;;
    src/host/tcb.c) echo "5 tcb" ;;
    src/host/emit.c) echo "6 emit" ;;
    src/host/sock.c) echo "7 sock" ;;
    src/net/*) echo "8 net" ;;
    src/tcp/*) echo "9 tcp" ;;
    src/app/*) echo "10 app" ;;
    src/world/*) echo "11 world" ;;
    src/quiz/*) echo "12 quiz" ;;
    src/save/*) echo "12 save" ;; # a run as a scenario file, over quiz
    src/ui/*) echo "13 ui" ;;
    src/export/*) echo "13 export" ;;
    src/picture/*) echo "14 picture" ;;
    src/main.c | src/cli*.c) echo "15 main" ;; # the command line
    *) echo "" ;;
    esac
}

# The calls that may go upwards: "caller-layer callee".
allowed_up="net tcp_input"

files=$(find src -name '*.c' | LC_ALL=C sort)
: >"$tmp/defs"
: >"$tmp/unknown"
for f in $files; do
    l=$(layer "$f")
    if [ -z "$l" ]; then
        echo "$f" >>"$tmp/unknown"
        continue
    fi
    # Definitions: the style puts a function's name at the start of a line.
    grep -E '^[a-z_][a-z0-9_]*\(' "$f" | sed 's/(.*//' |
        while read -r fn; do echo "$fn $l $f"; done >>"$tmp/defs"
done
if [ -s "$tmp/unknown" ]; then
    not_ok "every source file has a layer (tests/layers.sh)"
    sed 's/^/# no layer: /' "$tmp/unknown"
else
    ok "every source file has a layer"
fi
ndefs=$(wc -l <"$tmp/defs")
if [ "$ndefs" -gt 300 ]; then
    ok "$ndefs function definitions found"
else
    not_ok "only $ndefs function definitions found: is the grep stale?"
fi

# Calls: identifiers followed by "(" in the code without comments and
# string literals, looked up among the definitions.
: >"$tmp/bad"
for f in $files; do
    l=$(layer "$f")
    [ -n "$l" ] || continue
    "$CC" -fpreprocessed -dD -E -P "$f" 2>/dev/null |
        sed -e 's/"\([^"\\]\|\\.\)*"/""/g' -e "s/'\([^'\\]\|\\\\.\)*'/''/g" |
        grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' |
        sed 's/[[:space:]]*($//' | LC_ALL=C sort -u >"$tmp/calls"
    awk -v file="$f" -v lnum="${l% *}" -v lname="${l#* }" \
        -v allowed="$allowed_up" '
        NR == FNR { if (!($1 in def)) { def[$1] = $2; dname[$1] = $3; dfile[$1] = $4 }
                    if ($4 == file) own[$1] = 1; next }
        ($1 in def) && !($1 in own) && def[$1] + 0 > lnum + 0 {
            if (index(" " allowed " ", " " lname " " $1 " ") == 0)
                printf "%s (%s) calls %s() of %s (%s)\n", file, lname, $1,
                    dfile[$1], dname[$1]
        }' "$tmp/defs" "$tmp/calls" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then
    not_ok "no layer calls a higher one"
    sed 's/^/# /' "$tmp/bad"
else
    ok "no layer calls a higher one (the one upcall: net -> tcp_input)"
fi

# The upcall is still there (else the grep above proves nothing about it).
if grep -q 'tcp_input(' src/net/net.c; then
    ok "net delivers to tcp_input, the one upcall"
else
    not_ok "src/net/net.c no longer calls tcp_input: update this test"
fi

# The engine's private header stays in the engine.
inc=$(grep -rlE '#include[[:space:]]+"engine\.h"' src include |
    grep -vE '^src/(host|net|tcp|app|world)/' || true)
if [ -z "$inc" ]; then
    ok "only the engine includes engine.h"
else
    not_ok "engine.h included outside the engine"
    printf '%s\n' "$inc" | sed 's/^/# /'
fi
if grep -q '#error' src/engine.h &&
    grep -q 'SYNFIN_ENGINE_INTERNAL' src/engine.h &&
    grep -q "c_args: engine_args" meson.build; then
    ok "engine.h compiles only with SYNFIN_ENGINE_INTERNAL, which only the engine library sets"
else
    not_ok "engine.h is reachable by the build from outside the engine"
fi

echo "1..$n"
[ "$fail" -eq 0 ]
