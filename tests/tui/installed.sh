#!/bin/sh
# An installed synfin in the terminal (meson install --destdir, run from
# another directory; tests/install/install.sh says why that is a real
# install and checks the rest): it opens lost-final-ack by name, and its
# picker lists a file of $XDG_DATA_HOME/synfin/scenarios, marked, and opens
# it. Needs BUILDDIR and BIN_DIR (tests/meson.build, install block).
. "$(dirname "$0")/lib.sh"
: "${BUILDDIR:?}" "${BIN_DIR:?}"
. "$SRCDIR/tests/install/lib.sh"
install_into "$TMPD/root" || {
    cat "$TMPD/root.log"
    exit 1
}
bin=$TMPD/root$BIN_DIR/synfin
X="$TMPD/xdg/synfin/scenarios"
mkdir -p "$X" "$TMPD/cwd"
printf '{"title": "My lesson", "client": {"script": []}}\n' >"$X/my-lesson.json"

S=byname
start env -C "$TMPD/cwd" XDG_DATA_HOME="$TMPD/none" "$bin" lost-final-ack
wait_for "The last ACK is lost"
wait_for "step 0/71"
keys q
wait_exit 0
echo "ok: installed: lost-final-ack by name"

S=picker
start env -C "$TMPD/cwd" XDG_DATA_HOME="$TMPD/xdg" "$bin"
wait_for "Pick a scenario"
wait_for "▸ My lesson  (my-lesson · your folder)"
wait_for "File: $X/my-lesson.json"
wait_for "The last ACK is lost  (lost-final-ack)"
keys Enter
wait_for "My lesson"
wait_for "step 0/"
keys q
wait_exit 0
echo "ok: installed: the picker lists and opens a file of the teacher's folder"
