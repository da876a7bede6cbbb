#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/fuzz-smoke.sh: the CI fuzz smoke job (STYLE section 10-11). Configures build-fuzz/
# with clang and -DTW_FUZZ=ON (the library instrumented with
# -fsanitize=fuzzer-no-link,address,undefined, the asan preset's other flags), builds the
# libFuzzer harnesses of tests/fuzz/, and runs each for FUZZ_SECONDS (default 60) on a copy of
# its corpus (tests/fuzz/corpus/<harness>/ plus tests/fuzz/regressions/) in a temporary
# directory, so the repository is never modified. Exits 1 when any harness crashes, leaks,
# times out or hits a sanitizer error, and prints where the crashing input was saved.
#
# Usage: scripts/fuzz-smoke.sh [HARNESS...]     (default: every tests/fuzz/fuzz_*.c)
# Environment: FUZZ_SECONDS (60), FUZZ_BUILD_DIR (build-fuzz), FUZZ_JOBS (2, build jobs),
#              FUZZ_KEEP_DIR (where crash inputs and logs go; default a new temp dir, kept
#              only when something was found).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
# fuzz_bundle copies the tiny-world fixture from here.
export TW_TEST_DATA="${TW_TEST_DATA:-$root/tests}"
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-2}
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

if [ $# -gt 0 ]; then
    harnesses="$*"
else
    harnesses=$(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi

cmake -S "$root" -B "$build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS_DEBUG="-O1 -g -DTW_DEBUG=1 $san" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DTW_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
set -- $harnesses
cmake --build "$build" -j "$jobs" --target "$@"

work=${FUZZ_KEEP_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/tw-fuzz.XXXXXX")}
mkdir -p "$work"
failed=0
for h in "$@"; do
    corpus="$work/$h/corpus"
    artifacts="$work/$h/artifacts/"
    mkdir -p "$corpus" "$artifacts"
    [ -d "$root/tests/fuzz/corpus/$h" ] && cp "$root/tests/fuzz/corpus/$h"/* "$corpus"/ 2>/dev/null || true
    cp "$root/tests/fuzz/regressions"/* "$corpus"/ 2>/dev/null || true
    dict=""
    case $h in
        fuzz_scenario) dict="-dict=$root/tests/fuzz/scenario.dict" ;;
        *) dict="-dict=$root/tests/fuzz/csv.dict" ;;
    esac
    log="$work/$h/fuzz.log"
    echo "fuzz-smoke: $h for ${seconds}s ($(ls "$corpus" | wc -l) seeds)"
    # UBSan and leak reports must end the run; -print_final_stats gives the execution count.
    if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/tests/$h" "$dict" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" \
            "$corpus" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "fuzz-smoke: $h ok: ${execs:-?} executions, $cov, corpus $(ls "$corpus" | wc -l) files"
    else
        failed=1
        echo "fuzz-smoke: $h FAILED; log: $log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 || true
        for f in "$artifacts"*; do
            [ -e "$f" ] && echo "fuzz-smoke: $h: crashing input saved in $f" \
                "(replay: $build/tests/$h $f)"
        done
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "fuzz-smoke: FAILED; inputs and logs kept in $work" \
        "(copy a crashing input into tests/fuzz/regressions/ once fixed)"
    exit 1
fi
[ -n "${FUZZ_KEEP_DIR:-}" ] || rm -rf "$work"
echo "fuzz-smoke: all harnesses ran ${seconds}s without a finding"
