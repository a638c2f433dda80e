#!/bin/sh
# The whole test run, as CI does it: install what is needed, build twice
# (warnings as errors; then AddressSanitizer + UndefinedBehaviorSanitizer),
# run every suite in both builds, fuzz briefly, and end with one line
# "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."

need="gcc meson ninja-build pkg-config libcjson-dev libncurses-dev tmux
      locales clang-format iproute2 nftables tcpdump libxml2-utils tshark
      clang libclang-rt-dev procps groff-base python3 python3-jsonschema"
missing=""
for p in $need; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "== installing:$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "run as root (or install:$missing) first" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq $missing >/dev/null || {
        echo "apt-get install failed" >&2
        exit 1
    }
fi

passed=0 failed=0 skipped=0
summary() {
    # meson writes testlog.json: one JSON object per test.
    log="$1/meson-logs/testlog.json"
    [ -f "$log" ] || return
    p=$(grep -c '"result": "OK"' "$log")
    s=$(grep -c '"result": "SKIP"' "$log")
    t=$(grep -c '"result"' "$log")
    passed=$((passed + p))
    failed=$((failed + t - p - s))
    skipped=$((skipped + s))
}

run_build() {
    dir=$1
    shift
    echo "== $dir: meson setup $*"
    if ! meson setup --wipe "$dir" "$@" >"$dir.setup.log" 2>&1 &&
        ! meson setup "$dir" "$@" >"$dir.setup.log" 2>&1; then
        cat "$dir.setup.log"
        failed=$((failed + 1))
        return
    fi
    if ! meson compile -C "$dir"; then
        failed=$((failed + 1))
        return
    fi
    meson test -C "$dir" --print-errorlogs --num-processes 2
    summary "$dir"
}

# tshark's lossy runs: one seed a scenario (two took 190 s of the 30
# minutes CI has).
SYNFIN_TSHARK_SEEDS=1 run_build build-ci -Dwerror=true
# ncurses keeps memory until exit on purpose: no leak checks for it.
# tcp-random's invariants are checked on 20,000 seeds a scenario in the
# build above; under the sanitizers 2,000 find the memory errors (20,000
# took 289 s there).
# tshark reads the same pcap bytes from both builds; under the sanitizers
# it checks the pcap writer on the scenarios with losses ("lost" in their
# names), lossy runs with one seed (every scenario took it 6 minutes).
SYNFIN_RANDOM_RUNS=2000 SYNFIN_TSHARK_ONLY=lost SYNFIN_TSHARK_SEEDS=1 \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp \
    run_build build-asan -Db_sanitize=address,undefined -Dwerror=true \
    -Db_lundef=false -Db_lto=false

# Formatting is part of the build's hygiene. The files are found with find,
# not git, so a source tree without .git is checked too.
if command -v clang-format >/dev/null 2>&1; then
    files=$(find src include tests bench -name '*.[ch]' | sort)
    if [ -n "$files" ] &&
        clang-format --dry-run --Werror $files </dev/null 2>/dev/null; then
        passed=$((passed + 1))
        echo "clang-format: OK"
    else
        failed=$((failed + 1))
        echo "clang-format: files are not formatted (clang-format -i)"
    fi
fi

# The fuzz targets, briefly: each runs 30 s on its seeds (tests/fuzz/run.sh).
fuzz_rc=0
sh tests/fuzz/run.sh 30 || fuzz_rc=$?
if [ "$fuzz_rc" -eq 0 ]; then
    passed=$((passed + 1))
elif [ "$fuzz_rc" -eq 77 ]; then
    skipped=$((skipped + 1))
else
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
