#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/world.bats: `tradewar world check|summary|import` on the tiny fixture, on a
# corrupted copy of it, and on the CP2015 source data.

load common

# Copy the tiny world to $BATS_TEST_TMPDIR/bad and break it in two files: a number that is
# not one in flows.csv (line 3, last column) and a negative theta in elasticities.csv (line 2,
# last column). Prints the directory.
bad_world() {
    local dir="$BATS_TEST_TMPDIR/bad"
    cp -r "$TINY" "$dir"
    awk -F, -v OFS=, 'NR == 3 { $NF = "n/a" } { print }' "$TINY/flows.csv" >"$dir/flows.csv"
    awk -F, -v OFS=, 'NR == 2 { $NF = "-1" } { print }' "$TINY/elasticities.csv" \
        >"$dir/elasticities.csv"
    echo "$dir"
}

@test "world check on a good bundle exits 0 and says so" {
    run --separate-stderr "$TW" world check "$TINY"
    [ "$status" -eq 0 ]
    [[ "${lines[-1]}" == "$TINY: 0 errors, "* ]]
    [ -z "$stderr" ]
}

@test "world check on a bad bundle lists every problem with file:line:col, exit 2" {
    local dir
    dir=$(bad_world)
    local flows_col theta_col
    flows_col=$(awk -F, 'NR == 3 { print NF }' "$dir/flows.csv")
    theta_col=$(awk -F, 'NR == 2 { print NF }' "$dir/elasticities.csv")
    run --separate-stderr "$TW" world check "$dir"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ "$output" == *"error: "*"flows.csv:3:$flows_col: "*"n/a"* ]]
    [[ "$output" == *"error: "*"elasticities.csv:2:$theta_col: "* ]]
    [[ "${lines[-1]}" =~ ^.*:\ ([0-9]+)\ errors?,\ [0-9]+\ warnings?$ ]]
    [ "${BASH_REMATCH[1]}" -ge 2 ]
    # every problem line is prefixed by its severity
    local n_problem
    n_problem=$(grep -c -E '^(error|warning): ' <<<"$output")
    [ "$n_problem" -eq $((${#lines[@]} - 1)) ]
}

@test "world check on a missing directory exits 2" {
    run "$TW" world check "$BATS_TEST_TMPDIR/nowhere"
    [ "$status" -eq 2 ]
    [[ "$output" == *"nowhere"* ]]
}

@test "world summary prints dimensions, totals, countries and top flows" {
    run --separate-stderr "$TW" world summary "$TINY" --top 1
    [ "$status" -eq 0 ]
    for part in "world \"" "countries x" "world totals" "value added" "gross output" \
                "international trade" "tariff revenue" "deficit" \
                "top 1 international flows, summed over sectors" \
                "top 1 international flows by sector" "Alpinia"; do
        [[ "$output" == *"$part"* ]] || { echo "missing: $part"; return 1; }
    done
    run "$TW" world summary "$TINY" --top 0
    [ "$status" -eq 0 ]
    [[ "$output" != *"international flows"* ]]
}

@test "world summary on a bad bundle fails with exit 2 and one error line" {
    local dir
    dir=$(bad_world)
    run --separate-stderr "$TW" world summary "$dir"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "* ]]
    [ "$(wc -l <<<"$stderr")" -eq 1 ]
}

@test "world import cp2015 writes a bundle that checks and reads" {
    need_cp2015
    mkdir "$BATS_TEST_TMPDIR/parent"
    local out="$BATS_TEST_TMPDIR/parent/cp-world"
    run --separate-stderr "$TW" world import cp2015 "$CP2015" "$out"
    [ "$status" -eq 0 ]
    [[ "$output" == "wrote world "*"31 countries x 40 sectors"* ]]
    [[ "$output" == *"$out/flows.csv"* ]]
    [ "$(ls -A "$BATS_TEST_TMPDIR/parent")" = cp-world ] # no temporary directory left
    run "$TW" world check "$out"
    [ "$status" -eq 0 ]
    run "$TW" world summary "$out" --top 5
    [ "$status" -eq 0 ]
    [[ "$output" == *"31 countries x 40 sectors"* ]]
    [[ "$output" == *"USA"* ]]
}

@test "world import refuses an existing output directory" {
    need_cp2015
    mkdir "$BATS_TEST_TMPDIR/exists"
    run --separate-stderr "$TW" world import cp2015 "$CP2015" "$BATS_TEST_TMPDIR/exists"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"exists"* ]]
}

@test "world import with an unknown source is a usage error" {
    run --separate-stderr "$TW" world import nosuch "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/o"
    [ "$status" -eq 1 ]
    [[ "$stderr" == "tradewar: error: unknown source 'nosuch' (see 'tradewar help world import')" ]]
}
