#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for a
# short fixed time on its seeds, with the scenario dictionary:
#   sh tests/fuzz/run.sh [SECONDS]        (default 30 per target)
# Exit 0 when no target found anything; a crashing input is left in
# build-fuzz/crash-* (copy it into tests/fuzz/regress/ as scenario-NAME or
# set-NAME, so the normal suite replays it from then on).
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-30}
command -v clang >/dev/null 2>&1 || {
    echo "fuzz: clang is not installed"
    exit 77
}
if ! CC=clang meson setup --wipe build-fuzz -Dfuzz=true -Dtui=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false \
    >build-fuzz.setup.log 2>&1 &&
    ! CC=clang meson setup build-fuzz -Dfuzz=true -Dtui=disabled \
        -Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false \
        >build-fuzz.setup.log 2>&1; then
    cat build-fuzz.setup.log
    exit 1
fi
meson compile -C build-fuzz tests/fuzz-scenario tests/fuzz-set >/dev/null ||
    exit 1
rc=0
for target in scenario set; do
    corpus=build-fuzz/corpus-$target
    rm -rf "$corpus"
    mkdir -p "$corpus"
    if [ "$target" = scenario ]; then
        cp scenarios/*.json tests/scenario/bad/*.json tests/hostile/*.json \
            tests/authoring/*.json "$corpus"/
        for f in scenarios/templates/*.json; do # handshake.json is both
            cp "$f" "$corpus/template-${f##*/}"
        done
    else
        i=0
        while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" | sed 's/\\n/\n/g' >"$corpus/seed-$i"
        done <tests/fuzz/set.seeds
    fi
    cp tests/fuzz/regress/"$target"-* "$corpus"/ 2>/dev/null
    echo "== fuzz-$target: $secs s"
    if ! (cd build-fuzz &&
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            ASAN_OPTIONS=detect_leaks=1 \
            ./tests/fuzz-"$target" -max_total_time="$secs" -timeout=10 \
            -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
            -dict=../tests/fuzz/scenario.dict "corpus-$target" \
            >"fuzz-$target.log" 2>&1); then
        tail -40 "build-fuzz/fuzz-$target.log"
        echo "fuzz-$target: FOUND a problem (build-fuzz/crash-*)"
        rc=1
    else
        grep -E "stat::number_of_executed_units|cov:" \
            "build-fuzz/fuzz-$target.log" | tail -2
        echo "fuzz-$target: no finding"
    fi
done
exit $rc
