#!/bin/sh
# The bash completion (src/completion/synfin.bash.in, as meson setup made it) the
# way bash runs it: sourced, COMP_WORDS and COMP_CWORD set, _synfin called,
# COMPREPLY read. It offers every option `synfin --help` shows, the --set
# keys that docs/scenario-format.md lists (each one the loader takes),
# scenario names from every directory synfin looks in, and files where a
# file goes; all with bash alone, no bash-completion helpers.
. "${SRCDIR:?}/tests/cmdlib.sh"
: "${COMPLETION:?}"
case $SYNFIN in /*) ;; *) SYNFIN=$PWD/$SYNFIN ;; esac
case $COMPLETION in /*) ;; *) COMPLETION=$PWD/$COMPLETION ;; esac
# Only the directories each check names: none of this machine's own.
unset SYNFIN_PATH
export XDG_DATA_HOME="$tmp/none"
mkdir -p "$tmp/cwd/sub" "$tmp/a" "$tmp/b" "$tmp/xdg/synfin/scenarios" \
    "$tmp/home/.local/share/synfin/scenarios"
touch "$tmp/cwd/lesson.json" "$tmp/cwd/notes.txt" "$tmp/cwd/-odd.json" \
    "$tmp/a/mine.json" "$tmp/b/mine.json" "$tmp/b/.hidden.json" \
    "$tmp/xdg/synfin/scenarios/teach.json" \
    "$tmp/home/.local/share/synfin/scenarios/homely.json"

# comp WORD...: complete the last WORD of the command line "synfin WORD..."
# from $tmp/cwd. The completions go to $tmp/out one a line, bash's errors
# to $tmp/err, and the compopt options asked for to $tmp/compopt.
comp() {
    rm -f "$tmp/compopt"
    (cd "$tmp/cwd" && bash -c '
        . "$1"
        shift
        compopt() { echo "$*" >>"$CO"; }
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        _synfin
        [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
    ' sh "$COMPLETION" "$SYNFIN" "$@") >"$tmp/out" 2>"$tmp/err"
    sort "$tmp/out" >"$tmp/sorted"
    cat "$tmp/err" >>"$tmp/bash-errors"
}
CO=$tmp/compopt
export CO
offers() { grep -qxF -- "$1" "$tmp/out"; }
offers_only() { printf '%s\n' "$@" | sort | cmp -s - "$tmp/sorted"; }
nothing() { out_empty && err_empty; }
asked() { grep -qxF -- "$1" "$tmp/compopt" 2>/dev/null; }

# Options.
comp --tr
check "--tr: --trace and --trace-json" offers_only --trace --trace-json
check "--tr: no error from bash" err_empty
"$SYNFIN" --help | grep -oE -- '(^|[ ,[])--?[a-zA-Z][a-zA-Z-]*' |
    sed 's/^[ ,[]//' | sort -u >"$tmp/help-options"
comp -
missing=$(sort "$tmp/out" | comm -23 "$tmp/help-options" - | paste -sd " " -)
check "every option of synfin --help is offered${missing:+ (missing: $missing)}" \
    test -z "$missing"
check "... and it found the options (--trace, -V)" \
    sh -c "grep -qx -- --trace '$tmp/help-options' && grep -qx -- -V '$tmp/help-options'"
check "... but not the test-only --quit-after" sh -c "! grep -q quit-after '$tmp/out'"
comp --trace four-way-close --s
check "options after the scenario" offers_only --save --seed --set --size --summary --svg

# Values of options.
comp --pcap-at ""
check "--pcap-at: sender, receiver" offers_only receiver sender
comp --listing-side s
check "--listing-side s: server" offers_only server
comp --lang ""
check "--lang: en, zh" offers_only en zh
comp --lang = z
check "--lang=z (bash splits at '='): zh" offers_only zh
comp --seed ""
check "--seed: a number, nothing to offer" nothing
comp --render ""
check "--render: a number, nothing to offer" nothing
comp --new ""
check "--new: the templates" offers_only close handshake lossy-close what-if
comp --new l
check "--new l: lossy-close" offers_only lossy-close

# Files where a file goes.
comp --svg ""
check "--svg: any file" offers notes.txt
check "... and directories" offers sub
check "... completed as file names" asked "-o filenames"
comp --pcap = no
check "--pcap=no: the file" offers_only notes.txt
comp -o ""
check "-o: any file" offers notes.txt
comp --save ""
check "--save: any file" offers notes.txt

# The keys of --set: those docs/scenario-format.md lists with a value that
# is not an object or an array (the top level, tcp, network and its two
# directions, client, server), and only those.
awk '
    /^## / { sec = "" }
    /^## The top-level object/ { sec = "top" }
    /^## `tcp`/ { sec = "tcp" }
    /^## `network`/ { sec = "network" }
    /^## `client` and `server`/ { sec = "host" }
    /^### / { sec = "" }
    sec == "network" && /apply to both directions/ {
        s = $0
        while (match(s, /`[a-z_]+`/)) {
            k = substr(s, RSTART + 1, RLENGTH - 2)
            print "network.client_to_server." k
            print "network.server_to_client." k
            s = substr(s, RSTART + RLENGTH)
        }
    }
    sec != "" && /^\| `/ {
        split($0, col, "|")
        key = col[2]
        gsub(/[ `]/, "", key)
        if (col[3] ~ /object|array|^ *`\[/)
            next
        if (sec == "top")
            print key
        else if (sec == "host") {
            print "client." key
            if (col[5] !~ /^ *Client only/)
                print "server." key
        } else
            print sec "." key
    }' "$SRCDIR/docs/scenario-format.md" | sort >"$tmp/doc-keys"
comp --set ""
check "--set: no space after KEY=" asked "-o nospace"
check "--set: every key ends in =" sh -c "[ -s '$tmp/out' ] && ! grep -qv '=\$' '$tmp/out'"
sed 's/=$//' "$tmp/sorted" >"$tmp/keys"
check "the docs' table has the keys (tcp.msl_ms, client.count, network.loss)" \
    sh -c "grep -qx tcp.msl_ms '$tmp/doc-keys' && grep -qx client.count '$tmp/doc-keys' &&
        grep -qx network.server_to_client.dup '$tmp/doc-keys' && grep -qx seed '$tmp/doc-keys'"
diff "$tmp/doc-keys" "$tmp/keys" >"$tmp/keys.diff"
check "--set offers the keys of docs/scenario-format.md, no more, no fewer" \
    sh -c "[ ! -s '$tmp/keys.diff' ] || { sed 's/^/# /' '$tmp/keys.diff'; false; }"
check "... server.count is not one (client only)" sh -c "! grep -qx server.count '$tmp/keys'"
# The loader takes each: a value of the wrong type is refused for what it
# is, never as an unknown key.
bad=""
while read -r key; do
    "$SYNFIN" --validate "$SRCDIR/scenarios/four-way-close.json" \
        --set "$key={}" >/dev/null 2>"$tmp/err"
    head -1 "$tmp/err" | grep -q -- "^synfin: --set $key: " &&
        ! grep -q "unknown key\|only allowed" "$tmp/err" || bad="$bad $key"
done <"$tmp/keys"
check "the loader knows every --set key${bad:+ (not:$bad)}" test -z "$bad"
comp --set = net
check "--set=net: the network keys" \
    sh -c "[ -s '$tmp/out' ] && ! grep -qv '^network\.' '$tmp/out'"
check "... among them network.loss=" offers network.loss=
comp --set network.loss = ""
check "--set network.loss=: the value, nothing to offer" nothing
comp --set network.loss =
check "--set network.loss= (the cursor on '='): nothing" nothing

# Scenarios: names from every directory synfin looks in, .json files and
# directories.
comp lost-fin
check "a built-in name: lost-final-ack" offers lost-final-ack
check "... all of them with that start" \
    offers_only lost-fin-client lost-fin-server lost-final-ack
check "... completed as file names" asked "-o filenames"
comp --trace ""
check "after a mode, a scenario: four-way-close" offers four-way-close
check "... a .json file of the current directory" offers lesson.json
check "... a directory" offers sub
check "... not another file" sh -c "! grep -qx notes.txt '$tmp/out'"
XDG_DATA_HOME=$tmp/xdg comp tea
check "XDG_DATA_HOME/synfin/scenarios: teach" offers_only teach
(unset XDG_DATA_HOME && HOME=$tmp/home comp hom)
check "no XDG_DATA_HOME: ~/.local/share/synfin/scenarios" offers_only homely
XDG_DATA_HOME=relative HOME=$tmp/home comp hom
check "a relative XDG_DATA_HOME is ignored, as synfin does" offers_only homely
SYNFIN_PATH="$tmp/missing:$tmp/a::$tmp/b" comp mi
check "SYNFIN_PATH: a name in two directories, offered once" offers_only mine
SYNFIN_PATH="$tmp/b" comp .
check "no name starting with '.' (synfin takes none)" \
    sh -c "! grep -qx .hidden '$tmp/out'"
comp -- -o
check "after --, a word starting with - is a scenario" offers_only -odd.json
check "no error from bash in any of the above" test ! -s "$tmp/bash-errors"

tap_done
