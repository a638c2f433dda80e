#!/bin/sh
# The man page as meson setup made it from docs/synfin.1.in: every option
# `synfin --help` shows has an entry of its own, every environment variable
# the program reads is under ENVIRONMENT, FILES names the configured paths,
# the version is the program's, and groff renders it without a warning.
. "${SRCDIR:?}/tests/cmdlib.sh"
: "${MANPAGE:?}" "${SCENARIOS_DIR:?}" "${DOC_DIR:?}" "${COMPLETIONS_DIR:?}" \
    "${BIN_DIR:?}"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# The text of a section's .TP tags (the line after each .TP), with the
# escapes of dashes and fonts taken out: "-o, --output FILE".
tags() { # tags SECTION
    awk -v sec="$1" '
        /^\.SH/ { on = ($0 == ".SH " sec) }
        on && tag { print; tag = 0; next }
        on && /^\.TP/ { tag = 1 }' "$MANPAGE" |
        sed 's/\\-/-/g; s/\\f[BIRP]//g; s/"//g'
}
section() { # section NAME: the section's lines
    awk -v sec="$1" '/^\.SH/ { on = ($0 == ".SH " sec); next } on' "$MANPAGE"
}

check "the man page was made" test -s "$MANPAGE"
for s in NAME SYNOPSIS DESCRIPTION MODES OPTIONS "EXIT STATUS" ENVIRONMENT \
    FILES EXAMPLES "SEE ALSO"; do
    check "section $s" grep -qx ".SH $s" "$MANPAGE"
done
check "no @NAME@ left unsubstituted" sh -c "! grep -n '@[A-Z_]*@' '$MANPAGE'"

# Every option of --help, each an entry under MODES or OPTIONS.
"$SYNFIN" --help | grep -oE -- '(^|[ ,[])--?[a-zA-Z][a-zA-Z-]*' |
    sed 's/^[ ,[]//' | sort -u >"$tmp/help-options"
{ tags MODES && tags OPTIONS; } | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' |
    sed 's/^[ ,]//' | sort -u >"$tmp/man-options"
missing=$(comm -23 "$tmp/help-options" "$tmp/man-options" | paste -sd " " -)
check "every option of synfin --help has an entry${missing:+ (missing: $missing)}" \
    test -z "$missing"
check "... it found them (--trace, --pcap-at, -o, -V)" sh -c \
    "grep -qx -- --trace '$tmp/man-options' && grep -qx -- --pcap-at '$tmp/man-options' &&
     grep -qx -- -o '$tmp/man-options' && grep -qx -- -V '$tmp/man-options'"

# Every environment variable the program reads: getenv("NAME"), or a list
# of names it reads in turn (vars[] = {"LC_ALL", ...}).
grep -rhE 'getenv\("|vars\[\] = ' "$SRCDIR/src" | grep -oE '"[A-Z][A-Z_]*"' |
    tr -d '"' | sort -u >"$tmp/env-read"
tags ENVIRONMENT | tr ', ' '\n\n' | sort -u >"$tmp/env-man"
missing=$(comm -23 "$tmp/env-read" "$tmp/env-man" | paste -sd " " -)
check "ENVIRONMENT has every variable read in src/${missing:+ (missing: $missing)}" \
    test -z "$missing"
for v in LANG NO_COLOR SYNFIN_PATH XDG_DATA_HOME TERM; do
    check "ENVIRONMENT: $v" grep -qx "$v" "$tmp/env-man"
done

# FILES: the paths meson install uses, as configured.
section FILES | sed 's/\\-/-/g' >"$tmp/files"
check "FILES: the built-in scenarios, $SCENARIOS_DIR" \
    grep -qxF ".I $SCENARIOS_DIR/*.json" "$tmp/files"
check "FILES: the program, $BIN_DIR/synfin" grep -qxF ".I $BIN_DIR/synfin" "$tmp/files"
check "FILES: the documentation, $DOC_DIR" grep -qxF ".I $DOC_DIR/" "$tmp/files"
check "FILES: the bash completion, $COMPLETIONS_DIR/synfin" \
    grep -qxF ".I $COMPLETIONS_DIR/synfin" "$tmp/files"
check "FILES: the teacher's folder" \
    grep -qxF ".I ~/.local/share/synfin/scenarios/*.json" "$tmp/files"
run -V
check "the title has the program's version ($(cat "$tmp/out"))" \
    grep -q "^\.TH SYNFIN 1 .* \"$(cat "$tmp/out")\"" "$MANPAGE"

if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z "$MANPAGE" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "groff renders it: exit 0" rc_is 0
    check "... with no warning" err_empty
else
    skip "groff renders it" "groff is not installed"
fi

tap_done
