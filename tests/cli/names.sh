#!/bin/sh
# Scenarios by name (src/scenario/scenario_dirs.h): `synfin lost-final-ack`
# from any directory; the lookup order $SYNFIN_PATH, $XDG_DATA_HOME/synfin/
# scenarios (~/.local/share/... by default), the built-in ones; a name not
# found says where it looked (exit 2); the picker lists every place, marks
# where each scenario comes from and shows a file that does not load with
# its error. An installed synfin is tests/install/install.sh's.
. "${SRCDIR:?}/tests/cmdlib.sh"
case $SYNFIN in /*) ;; *) SYNFIN=$PWD/$SYNFIN ;; esac
B="$SRCDIR/scenarios"
unset SYNFIN_PATH
export XDG_DATA_HOME="$tmp/none"
mkdir "$tmp/cwd" "$tmp/a" "$tmp/b"
X="$tmp/xdg/synfin/scenarios"
mkdir -p "$X" "$tmp/home/.local/share/synfin/scenarios"
mini() { printf '{"title": "%s", "client": {"script": []}}\n' "$1" >"$2"; }
mini "Mine, in a" "$tmp/a/mine.json"
mini "Shadow of the built-in one" "$tmp/b/lost-final-ack.json"
mini "Mine, in b too" "$tmp/b/mine.json"
mini "A teacher's own" "$X/teach.json"
mini "Also in SYNFIN_PATH" "$X/mine.json"
printf '{ "title": "x",\n  "seed": oops }\n' >"$X/broken.json"
mini "From HOME" "$tmp/home/.local/share/synfin/scenarios/homely.json"

runin() { # runin ARGS...: run from a directory with no scenarios
    (cd "$tmp/cwd" && "$SYNFIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null)
    rc=$?
}
runin --summary lost-final-ack
check "a built-in scenario by name: exit 0" rc_is 0
check "a built-in scenario by name: runs it" out_has "^scenario lost-final-ack, seed 1"
runin --summary lost-final-ack.json
check "a name with .json, not in the current directory: found too" \
    out_has "^scenario lost-final-ack, seed 1"
runin --validate four-way-close
check "--validate by name names the file" out_has "^$B/four-way-close.json: ok$"
runin four-way-close --render 0 --size 80x24
check "the viewer by name (--render)" out_has "step 0/63"

# A file in the current directory is a file, even with a built-in's name.
cp "$tmp/b/lost-final-ack.json" "$tmp/cwd/"
runin --validate lost-final-ack.json
check "a file in the current directory comes first" out_has "^lost-final-ack.json: ok$"
rm "$tmp/cwd/lost-final-ack.json"

# Lookup order.
SYNFIN_PATH="$tmp/missing:$tmp/a::$tmp/b" runin --validate mine
check "SYNFIN_PATH: the first directory that has it" out_has "^$tmp/a/mine.json: ok$"
SYNFIN_PATH="$tmp/b" runin --validate lost-final-ack
check "SYNFIN_PATH comes before the built-in scenarios" \
    out_has "^$tmp/b/lost-final-ack.json: ok$"
XDG_DATA_HOME="$tmp/xdg" runin --validate teach
check "XDG_DATA_HOME/synfin/scenarios" out_has "^$X/teach.json: ok$"
XDG_DATA_HOME="$tmp/xdg" SYNFIN_PATH="$tmp/a" runin --validate mine
check "SYNFIN_PATH comes before XDG_DATA_HOME" out_has "^$tmp/a/mine.json: ok$"
XDG_DATA_HOME="$tmp/xdg" runin --validate four-way-close
check "the built-in scenarios come after XDG_DATA_HOME" \
    out_has "^$B/four-way-close.json: ok$"
(unset XDG_DATA_HOME && HOME="$tmp/home" runin --validate homely && [ "$rc" = 0 ] &&
    grep -q "^$tmp/home/.local/share/synfin/scenarios/homely.json: ok$" "$tmp/out")
check "no XDG_DATA_HOME: ~/.local/share/synfin/scenarios" rc_is 0
XDG_DATA_HOME=relative HOME="$tmp/home" runin --validate homely
check "a relative XDG_DATA_HOME is ignored (XDG rules)" rc_is 0

# Not found.
XDG_DATA_HOME="$tmp/xdg" SYNFIN_PATH="$tmp/a:$tmp/b" runin --trace lost-final-ak
check "an unknown name: exit 2" rc_is 2
check "an unknown name: says so" \
    err_has "^synfin: lost-final-ak: no such file, nor a scenario of that name in:$"
check "... lists SYNFIN_PATH" err_has "^  $tmp/a (SYNFIN_PATH)$"
check "... XDG_DATA_HOME" err_has "^  $X (XDG_DATA_HOME)$"
check "... and the built-in ones" err_has "^  $B (built-in)$"
check "an unknown name: nothing on stdout" out_empty
runin lost-final-ak
check "an unknown name for the viewer: exit 2 before any terminal" rc_is 2
runin --trace "$tmp/cwd/missing.json"
check "a path is never looked up" err_has "missing.json: "

# The picker: every place, marked; a broken file with its error.
XDG_DATA_HOME="$tmp/xdg" SYNFIN_PATH="$tmp/a" runin --render 0 --size 100x30
check "picker: a SYNFIN_PATH scenario comes first, marked" \
    out_has "▸ Mine, in a  (mine · SYNFIN_PATH)"
check "picker: the file it comes from" out_has "File: $tmp/a/mine.json"
check "picker: the teacher's folder, marked" \
    out_has "A teacher's own  (teach · your folder)"
check "picker: the same name in two places is listed twice" \
    out_has "Also in SYNFIN_PATH  (mine · your folder)"
check "picker: a file that does not load is listed" \
    out_has "broken.json  (broken · your folder)"
check "picker: the built-in ones follow, unmarked" \
    out_has "Handshake, data, and the four-way close  (four-way-close)$"
XDG_DATA_HOME="$tmp/xdg" SYNFIN_PATH="$tmp/a" runin --render 1 --size 100x30 --lang zh
check "picker: chosen, a broken file says why" out_has "这个文件无法加载："
check "... with its error's place" out_has "broken.json:2:"
check "... in Chinese too" out_has "(broken · 你的文件夹)"

tap_done
