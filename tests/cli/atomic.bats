#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/atomic.bats: outputs appear whole or not at all, even when the run is killed.
#
# Each test runs a command that writes files under `timeout -s KILL DELAY` for many delays
# spread over the command's own running time (measured first), so SIGKILL lands before,
# during and after the writes. After every kill:
#   - the target is absent or complete: every file in it is byte-identical to the file of an
#     uninterrupted reference run (the outputs are deterministic), so no file is partial;
#   - a target file that existed before (a complete file from a different run) is either still
#     that file or the complete new one, never a mix;
#   - what else is left is a temporary of the atomic writer (src/io/atomic.h), named
#     `.<target>.tmp.XXXXXX` next to the target: a process killed by SIGKILL cannot remove it.
#     Such leftovers are hidden, never carry the target's name, and a later run ignores them;
#     this is documented in docs/testing.md ("Kill test").
# Then the same directory is used once more without a kill, which must succeed.

load common

# Delays (seconds) at which to kill a command that takes `ms` milliseconds: 24 points from
# about 2 % to 130 % of its running time, at least 1 ms apart.
kill_delays() {
    local ms=$1 k
    for k in $(seq 1 24); do
        awk -v ms="$ms" -v k="$k" 'BEGIN { d = ms * k / 18.0 / 1000; if (d < 0.001 * k) d = 0.001 * k; printf "%.4f\n", d }'
    done
}

# Run a command under `timeout -s KILL $1`, ignoring its status and output. It runs as a
# waited-for background job so that bash prints no "Killed" notice for it.
kill_after() {
    timeout -s KILL "$@" >/dev/null 2>&1 &
    wait $! || true
}

# Milliseconds a command takes (its output discarded).
time_ms() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000 + 1))
}

# Fail unless every entry of directory $1 is either a file identical to the one of the same
# name in $2 (or, when $3 is given, in $3: the previous complete version) or a hidden atomic
# temporary `.NAME.tmp.XXXXXX` of a file or directory that belongs in $2.
check_dir() {
    local got=$1 ref=$2 old=${3:-} e name
    for e in "$got"/* "$got"/.[!.]*; do
        [ -e "$e" ] || [ -L "$e" ] || continue
        name=$(basename "$e")
        if [[ "$name" =~ ^\.(.+)\.tmp\.[A-Za-z0-9]{6}$ ]]; then
            [ -e "$ref/${BASH_REMATCH[1]}" ] ||
                { echo "temporary $e is not named after an output"; return 1; }
            continue
        fi
        [ -f "$ref/$name" ] || { echo "unexpected entry $e"; return 1; }
        if cmp -s "$e" "$ref/$name"; then continue; fi
        if [ -n "$old" ] && [ -f "$old/$name" ] && cmp -s "$e" "$old/$name"; then continue; fi
        echo "$e is neither the complete new file nor the previous one:"
        wc -c "$e" "$ref/$name"
        return 1
    done
}

# Temporaries of a killed bundle export in parent dir $1 for target name $2: only hidden
# `.NAME.tmp.XXXXXX` directories whose files are complete or absent.
check_export_parent() {
    local parent=$1 target=$2 ref=$3 e name
    for e in "$parent"/* "$parent"/.[!.]*; do
        [ -e "$e" ] || continue
        name=$(basename "$e")
        [ "$name" = "$target" ] && continue
        [[ "$name" =~ ^\.${target}\.tmp\.[A-Za-z0-9]{6}$ ]] ||
            { echo "unexpected entry $e"; return 1; }
        # files inside the temporary directory are written atomically too
        check_dir "$e" "$ref" || return 1
    done
}

@test "simulate --csv killed at any moment leaves whole files (tiny world)" {
    local scen="$TW_SRC/tests/data/scenarios/new-tariffs.csv" ref="$BATS_TEST_TMPDIR/ref"
    local old="$BATS_TEST_TMPDIR/old" other="$BATS_TEST_TMPDIR/other.csv"
    "$TW" --quiet simulate --world "$TINY" --scenario "$scen" --csv "$ref" >/dev/null
    # The previous good outputs: a different scenario, so old and new files differ.
    printf 'importer,exporter,sector,rate\nALP,BET,goods,0.3\n' >"$other"
    "$TW" --quiet simulate --world "$TINY" --scenario "$other" --csv "$old" >/dev/null
    if cmp -s "$ref/countries.csv" "$old/countries.csv"; then false; fi
    local ms d n=0 out
    ms=$(time_ms "$TW" --quiet simulate --world "$TINY" --scenario "$scen" --csv "$BATS_TEST_TMPDIR/t")
    for d in $(kill_delays "$ms"); do
        n=$((n + 1))
        out="$BATS_TEST_TMPDIR/fresh$n"
        kill_after "$d" "$TW" --quiet simulate --world "$TINY" --scenario "$scen" \
            --csv "$out"
        if [ -e "$out" ]; then check_dir "$out" "$ref"; fi
        # over a previous complete output
        out="$BATS_TEST_TMPDIR/over$n"
        cp -r "$old" "$out"
        kill_after "$d" "$TW" --quiet simulate --world "$TINY" --scenario "$scen" \
            --csv "$out"
        check_dir "$out" "$ref" "$old"
        # a later run over the leftovers succeeds and completes every file
        "$TW" --quiet simulate --world "$TINY" --scenario "$scen" --csv "$out" >/dev/null
        for f in "$ref"/*.csv; do cmp "$f" "$out/$(basename "$f")"; done
    done
}

@test "simulate --csv killed at any moment leaves whole files (CP2015 world)" {
    need_cp2015
    local world ref="$BATS_TEST_TMPDIR/ref" old="$BATS_TEST_TMPDIR/old"
    world=$(cp_world)
    "$TW" --quiet simulate --world "$world" --scenario "$NAFTA" --deficits zero --csv "$ref" \
        >/dev/null
    "$TW" --quiet simulate --world "$world" --scenario "$NAFTA" --csv "$old" >/dev/null
    local ms d n=0 out
    ms=$(time_ms "$TW" --quiet simulate --world "$world" --scenario "$NAFTA" --deficits zero \
        --csv "$BATS_TEST_TMPDIR/t")
    for d in $(kill_delays "$ms"); do
        n=$((n + 1))
        out="$BATS_TEST_TMPDIR/over$n"
        cp -r "$old" "$out"
        kill_after "$d" "$TW" --quiet simulate --world "$world" --scenario "$NAFTA" \
            --deficits zero --csv "$out"
        check_dir "$out" "$ref" "$old"
    done
}

@test "world export killed at any moment leaves no partial bundle" {
    local ref="$BATS_TEST_TMPDIR/ref"
    "$TW" --quiet world export default "$ref" >/dev/null
    local ms d n=0 parent
    ms=$(time_ms "$TW" --quiet world export default "$BATS_TEST_TMPDIR/t")
    for d in $(kill_delays "$ms"); do
        n=$((n + 1))
        parent="$BATS_TEST_TMPDIR/p$n"
        mkdir "$parent"
        kill_after "$d" "$TW" --quiet world export default "$parent/out" \
           
        if [ -e "$parent/out" ]; then
            check_dir "$parent/out" "$ref"
            # complete: every file of the reference is there
            for f in "$ref"/*.csv; do [ -f "$parent/out/$(basename "$f")" ]; done
            run "$TW" world check "$parent/out"
            [ "$status" -eq 0 ]
        fi
        check_export_parent "$parent" out "$ref"
        # the leftovers do not prevent a later export
        rm -rf "$parent/out"
        "$TW" --quiet world export default "$parent/out" >/dev/null
    done
}

@test "an output that cannot be written is an error (exit 2), never a silent success" {
    # stdout on a full device
    run --separate-stderr "$TW" simulate --world "$TINY" \
        --scenario "$TW_SRC/tests/data/scenarios/new-tariffs.csv"
    [ "$status" -eq 0 ]
    run bash -c '"$TW" simulate --world "$1" --scenario "$2" >/dev/full' _ "$TINY" \
        "$TW_SRC/tests/data/scenarios/new-tariffs.csv"
    [ "$status" -eq 2 ]
    [[ "$output" == *"tradewar: error: cannot write to standard output"* ]]
    run bash -c '"$TW" world summary "$1" >/dev/full' _ "$TINY"
    [ "$status" -eq 2 ]
    # --csv on a file system without space left: an RLIMIT_FSIZE of 1 KiB (ulimit -f counts
    # 512-byte blocks in bash's POSIX mode, 1024-byte blocks otherwise: both are small enough)
    local out="$BATS_TEST_TMPDIR/csv"
    run bash -c 'trap "" XFSZ; ulimit -f 1; exec "$TW" --quiet simulate --world "$1" \
        --scenario "$2" --csv "$3"' _ "$TINY" "$TW_SRC/tests/data/scenarios/new-tariffs.csv" \
        "$out"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ "$output" == *"cannot write $out/"*"File too large"* ]]
    for e in "$out"/.[!.]*; do [ ! -e "$e" ] || { echo "left $e"; return 1; }; done
    # a bundle export on a full file system: no bundle, no temporary directory
    mkdir "$BATS_TEST_TMPDIR/parent"
    out="$BATS_TEST_TMPDIR/parent/bundle"
    run bash -c 'trap "" XFSZ; ulimit -f 1; exec "$TW" --quiet world export default "$1"' _ \
        "$out"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ "$output" == "tradewar: error: world: cannot write $out/"*"File too large"* ]]
    [ "$(ls -A "$BATS_TEST_TMPDIR/parent")" = "" ]
}
