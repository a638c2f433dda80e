#!/bin/sh
# meson install, and the installed synfin used from another directory.
#
# It installs this build with --destdir into a temporary root. That is a
# real user's install moved under the root: the binary compiled in only the
# configured prefix's path (/usr/local/share/synfin/scenarios), but it looks
# first beside itself, in bin/../share/synfin/scenarios, which is how an
# installed synfin finds its scenarios at the prefix too. So the checks
# insist on the copy under the root: a synfin installed on this machine
# cannot make them pass.
#
# Sound inside `meson test`: --no-rebuild never starts ninja (meson test has
# built everything before the first test), and the test runs alone
# (is_parallel: false, as does tests/tui/installed.sh, the other install).
# Of the build directory it changes nothing: meson-logs/install-log.txt,
# which meson install rewrites, is put back (tests/install/lib.sh).
. "${SRCDIR:?}/tests/cmdlib.sh"
. "$SRCDIR/tests/install/lib.sh"
: "${BUILDDIR:?}" "${BIN_DIR:?}" "${SCENARIOS_DIR:?}" "${DOC_DIR:?}" \
    "${MAN_DIR:?}" "${COMPLETIONS_DIR:?}"
unset SYNFIN_PATH
export XDG_DATA_HOME="$tmp/none"
mkdir -p "$tmp/root" "$tmp/cwd" "$tmp/xdg/synfin/scenarios"
R=$(cd "$tmp/root" && pwd -P)
printf '{"title": "A teacher'\''s own", "client": {"script": []}}\n' \
    >"$tmp/xdg/synfin/scenarios/teach.json"

log=$BUILDDIR/meson-logs/install-log.txt
[ -f "$log" ] && cp "$log" "$tmp/log-before"
install_into "$R"
rc=$?
cp "$R.log" "$tmp/err"
check "meson install --destdir: exit 0" rc_is 0
check "... the build's record of what the user installed is as it was" sh -c "
    if [ -f '$tmp/log-before' ]; then cmp -s '$tmp/log-before' '$log'
    else [ ! -e '$log' ]; fi"
bin=$R$BIN_DIR/synfin
check "the binary: $BIN_DIR/synfin" test -x "$bin"
check "the marker of the build directory is not installed" \
    sh -c "[ -z \"\$(find '$R' -name synfin-source-scenarios)\" ]"

# What goes where.
missing=""
for f in "$SRCDIR"/scenarios/* "$SRCDIR"/scenarios/templates/*; do
    [ -d "$f" ] && continue
    rel=${f#"$SRCDIR"/scenarios/}
    cmp -s "$f" "$R$SCENARIOS_DIR/$rel" || missing="$missing $rel"
done
check "every built-in scenario, template and order.txt in $SCENARIOS_DIR${missing:+ (not:$missing)}" \
    test -z "$missing"
check "the man page in $MAN_DIR/man1, as made for this build" \
    cmp -s "$BUILDDIR/synfin.1" "$R$MAN_DIR/man1/synfin.1"
check "the bash completion in $COMPLETIONS_DIR" \
    cmp -s "$BUILDDIR/src/completion/synfin" "$R$COMPLETIONS_DIR/synfin"
D=$R$DOC_DIR
check "README.md in $DOC_DIR" cmp -s "$SRCDIR/README.md" "$D/README.md"
check "LICENSE in $DOC_DIR" cmp -s "$SRCDIR/LICENSE" "$D/LICENSE"
missing=""
for f in "$SRCDIR"/docs/*.md; do
    cmp -s "$f" "$D/docs/${f##*/}" || missing="$missing ${f##*/}"
done
check "every docs/*.md in $DOC_DIR/docs${missing:+ (not:$missing)}" test -z "$missing"
check "the scenario format's JSON Schema beside it" \
    cmp -s "$SRCDIR/docs/scenario.schema.json" "$D/docs/scenario.schema.json"
# Every picture an installed .md shows, at the place its link names.
missing="" pictures=0
for md in "$D/README.md" "$D"/docs/*.md; do
    for p in $(grep -oE '\]\([^) ]*\.(svg|png)\)' "$md" | sed 's/^](//; s/)$//'); do
        pictures=$((pictures + 1))
        [ -f "${md%/*}/$p" ] || missing="$missing ${md##*/}:$p"
    done
done
check "every picture the docs show is installed ($pictures)${missing:+ (not:$missing)}" \
    sh -c "[ $pictures -gt 0 ] && [ -z '$missing' ]"

# The installed synfin, run from another directory.
runin() { # runin ARGS...
    (cd "$tmp/cwd" && "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null)
    rc=$?
}
runin --summary lost-final-ack
check "installed: lost-final-ack by name, from another directory: exit 0" rc_is 0
check "... runs it" out_has "^scenario lost-final-ack, seed 1"
runin --validate four-way-close
check "... the installed copy, found beside the binary" \
    out_has "^$R$SCENARIOS_DIR/four-way-close.json: ok$"
runin --new close
check "installed: --new close, the installed template" \
    cmp -s "$tmp/out" "$R$SCENARIOS_DIR/templates/close.json"
XDG_DATA_HOME=$tmp/xdg runin --validate teach
check "installed: a scenario of \$XDG_DATA_HOME/synfin/scenarios by name" \
    out_has "^$tmp/xdg/synfin/scenarios/teach.json: ok$"
XDG_DATA_HOME=$tmp/xdg runin --render 0 --size 100x30
check "installed: the picker lists it, marked" \
    out_has "▸ A teacher's own  (teach · your folder)"
check "... and the built-in ones" \
    out_has "Handshake, data, and the four-way close  (four-way-close)$"

# No path of the trees it was built from: no string in the binary (its
# printable runs, as strings(1) finds them; binutils may be absent) that
# starts with one. A substring would not do: a tree at /src has "/src"
# inside "./src/net/net.c", the mapped name the binary keeps.
no_string_from() { # no_string_from PATH FILE
    ! LC_ALL=C tr -c '[:print:]' '\n' <"$2" |
        awk -v p="$1" 'index($0, p "/") == 1 || $0 == p { f = 1 } END { exit !f }'
}
S=$(cd "$SRCDIR" && pwd -P) B=$(cd "$BUILDDIR" && pwd -P)
check "installed: no path of the source tree ($S) in the binary" \
    no_string_from "$S" "$bin"
check "installed: no path of the build directory ($B) in the binary" \
    no_string_from "$B" "$bin"
check "... but the configured one, which the man page names" \
    grep -aqF "$SCENARIOS_DIR" "$bin"

# The installed completion with the installed synfin on the PATH.
(cd "$tmp/cwd" && PATH=$R$BIN_DIR:$PATH XDG_DATA_HOME=$tmp/xdg bash -c '
    . "$1"
    compopt() { :; }
    for word in lost-final tea; do
        COMP_WORDS=(synfin "$word")
        COMP_CWORD=1
        _synfin
        printf "%s\n" "${COMPREPLY[@]}"
    done' sh "$R$COMPLETIONS_DIR/synfin" >"$tmp/out" 2>"$tmp/err")
check "installed completion: lost-final-ack, from the installed synfin's scenarios" \
    out_has "^lost-final-ack$"
check "... teach, from \$XDG_DATA_HOME/synfin/scenarios" out_has "^teach$"
check "... no error from bash" err_empty

# Another prefix: meson setup alone makes the man page and the completion,
# and plans every file under that prefix.
meson setup "$tmp/optx" "$SRCDIR" -Dprefix=/opt/x >"$tmp/out" 2>"$tmp/err"
rc=$?
check "meson setup -Dprefix=/opt/x: exit 0" rc_is 0
check "... its man page names /opt/x/share/synfin/scenarios" \
    grep -qF "/opt/x/share/synfin/scenarios/*.json" "$tmp/optx/synfin.1"
check "... its completion looks there too" \
    grep -qF "'/opt/x/share/synfin/scenarios'" "$tmp/optx/src/completion/synfin"
meson introspect "$tmp/optx" --installed | grep -oE '": "[^"]*"' |
    sed 's/^": "//; s/"$//' >"$tmp/dests"
check "... it installs the binary, scenarios, man page, docs, completion" sh -c "
    grep -qx /opt/x/bin/synfin '$tmp/dests' &&
    grep -qx /opt/x/share/synfin/scenarios '$tmp/dests' &&
    grep -qx /opt/x/share/man/man1/synfin.1 '$tmp/dests' &&
    grep -qx /opt/x/share/doc/synfin/LICENSE '$tmp/dests' &&
    grep -q '^/opt/x/share/.*/synfin\$' '$tmp/dests'"
check "... and nothing outside /opt/x" sh -c "! grep -v '^/opt/x/' '$tmp/dests'"

tap_done
