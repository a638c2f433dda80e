# Sourced by the tests of an installed synfin (tests/install/install.sh,
# tests/tui/installed.sh).

# install_into ROOT: meson install this build with --destdir ROOT, its
# output in ROOT.log. meson install records what it wrote in the build
# directory's meson-logs/install-log.txt, which `ninja uninstall` reads: a
# test's install must leave the record of the user's own as it was.
install_into() {
    install_log=$BUILDDIR/meson-logs/install-log.txt
    if [ -f "$install_log" ]; then
        cp -p "$install_log" "$1.install-log"
    fi
    meson install -C "$BUILDDIR" --no-rebuild --quiet --destdir "$1" \
        >"$1.log" 2>&1
    install_rc=$?
    if [ -f "$1.install-log" ]; then
        mv "$1.install-log" "$install_log"
    else
        rm -f "$install_log"
    fi
    return $install_rc
}
