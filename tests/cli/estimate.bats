#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/estimate.bats: `tradewar estimate` (--json shape, --fe-out, --threads, --subset)
# and `tradewar synth-panel`, on small synthetic panels written by synth-panel itself (no
# shared data needed). JSON is checked with python3's json module.

load common

setup_file() {
    "$TW" synth-panel --countries 8 --years 4 --seed 3 -o "$BATS_FILE_TMPDIR/p.csv"
    "$TW" synth-panel --countries 8 --years 4 --seed 3 -o "$BATS_FILE_TMPDIR/p.csv.gz"
}

P() { echo "$BATS_FILE_TMPDIR/p.csv"; }
F2="trade ~ ln_dist + rta | exporter^year + importer^year"

@test "synth-panel: header, N (N - 1) T rows, same file for the same seed, gzip by suffix" {
    run head -1 "$(P)"
    [ "$output" = "exporter,importer,year,trade,ln_dist,cntg,rta" ]
    [ "$(wc -l < "$(P)")" -eq $((8 * 7 * 4 + 1)) ]
    "$TW" synth-panel --countries 8 --years 4 --seed 3 -o "$BATS_TEST_TMPDIR/again.csv"
    cmp "$(P)" "$BATS_TEST_TMPDIR/again.csv"
    "$TW" synth-panel --countries 8 --years 4 --seed 4 -o "$BATS_TEST_TMPDIR/other.csv"
    ! cmp -s "$(P)" "$BATS_TEST_TMPDIR/other.csv"
    zcat "$BATS_FILE_TMPDIR/p.csv.gz" | cmp - "$(P)"
    # no temporary left behind
    [ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep '^\.' || true)" ]
}

@test "synth-panel: bad options are usage errors, an unwritable path a data error" {
    run "$TW" synth-panel --countries 1 -o "$BATS_TEST_TMPDIR/x.csv"
    [ "$status" -eq 1 ]
    [[ "$output" == *"--countries"* ]]
    run "$TW" synth-panel --years abc -o "$BATS_TEST_TMPDIR/x.csv"
    [ "$status" -eq 1 ]
    [[ "$output" == *"--years expects a whole number, got 'abc'"* ]]
    run "$TW" synth-panel --countries 5
    [ "$status" -eq 1 ]
    [[ "$output" == *"missing -o FILE"* ]]
    run "$TW" synth-panel --countries 5 -o "$BATS_TEST_TMPDIR/no/such/dir/x.csv"
    [ "$status" -eq 2 ]
    [ ! -e "$BATS_TEST_TMPDIR/x.csv" ]
}

@test "estimate --json: the documented shape" {
    run "$TW" estimate "$(P)" "$F2" --vcov cluster:exporter,importer --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys, math
d = json.load(sys.stdin)
names = [c["name"] for c in d["coefficients"]]
assert names == ["ln_dist", "rta"], names
for c in d["coefficients"]:
    assert set(["name", "estimate", "se"]) <= set(c), c
    assert math.isfinite(c["estimate"]) and c["se"] > 0, c
assert isinstance(d["n_obs"], int) and d["n_obs"] + d["n_dropped"] == 8 * 7 * 4, d
assert d["n_dropped"] == sum(d["dropped"].values()), d
assert isinstance(d["iterations"], int) and d["iterations"] >= 1
assert d["converged"] is True
assert d["vcov"]["type"] == "cluster", d["vcov"]
assert d["vcov"]["clusters"] == [{"name": "exporter", "n": 8}, {"name": "importer", "n": 8}]
'
}

@test "estimate: CSV and gzip CSV give the same JSON; --threads changes nothing" {
    a=$("$TW" estimate "$(P)" "$F2" --json)
    b=$("$TW" estimate "$BATS_FILE_TMPDIR/p.csv.gz" "$F2" --json)
    c=$("$TW" estimate "$(P)" "$F2" --json --threads 2)
    [ "$a" = "$b" ]
    [ "$a" = "$c" ]
}

@test "estimate --fe-out: header, one row per level, values reproduce the fit" {
    out="$BATS_TEST_TMPDIR/fe.csv"
    run "$TW" estimate "$(P)" "$F2" --fe-out "$out"
    [ "$status" -eq 0 ]
    [ "$(head -1 "$out")" = "fe,level,value" ]
    # 8 countries x 4 years per dimension
    [ "$(grep -c '^exporter^year,' "$out")" -eq 32 ]
    [ "$(grep -c '^importer^year,' "$out")" -eq 32 ]
    grep -q '^exporter^year,C0001_2000,' "$out"
    # normalisation: the first used level of the second dimension is 0
    [ "$(grep '^importer^year,' "$out" | head -1 | cut -d, -f3)" = "0" ]
    [ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep '^\.' || true)" ]
}

@test "estimate --fe-out: an unwritable path fails (exit 2) and leaves an old file intact" {
    run "$TW" estimate "$(P)" "$F2" --fe-out "$BATS_TEST_TMPDIR/missing/fe.csv"
    [ "$status" -eq 2 ]
    [[ "$output" == *"missing"* ]]
    echo "old" > "$BATS_TEST_TMPDIR/fe.csv"
    run "$TW" estimate "$(P)" "trade ~ nosuch | exporter^year" --fe-out "$BATS_TEST_TMPDIR/fe.csv"
    [ "$status" -eq 2 ]
    [ "$(cat "$BATS_TEST_TMPDIR/fe.csv")" = "old" ]
}

@test "estimate: bad inputs give one error line and the documented exit code" {
    run "$TW" estimate "$(P)" "trade ~ ln_dist +"
    [ "$status" -eq 2 ]
    [[ "$output" == *"formula:1:"* ]]
    run "$TW" estimate "$(P)" "trade ~ nosuch | exporter^year"
    [ "$status" -eq 2 ]
    [[ "$output" == *"nosuch"* ]]
    run "$TW" estimate "$BATS_TEST_TMPDIR/none.csv" "$F2"
    [ "$status" -eq 2 ]
    run "$TW" estimate "$(P)" "$F2" --threads 0
    [ "$status" -eq 1 ]
    [[ "$output" == *"--threads expects"* ]]
    run "$TW" estimate "$(P)" "$F2" --vcov cluster:
    [ "$status" -eq 1 ]
    run "$TW" estimate "$(P)"
    [ "$status" -eq 1 ]
    printf 'exporter,importer,year,trade,ln_dist,cntg,rta\nA,B,2000,-1,1,0,0\nB,A,2000,2,1,0,0\n' \
        > "$BATS_TEST_TMPDIR/neg.csv"
    run "$TW" estimate "$BATS_TEST_TMPDIR/neg.csv" "trade ~ ln_dist"
    [ "$status" -eq 2 ]
    [[ "$output" == *"neg.csv:2:4: negative value in column 'trade'"* ]]
}

@test "estimate --subset: selects rows; errors name the column of the expression" {
    run "$TW" estimate "$(P)" "$F2" --json --subset 'year >= 2001 & (exporter != "C0001" | importer == "C0002")'
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["n_obs"] + d["n_dropped"] == 3 * (7 * 7 + 1), d["n_obs"]'
    run "$TW" estimate "$(P)" "$F2" --subset 'year >'
    [ "$status" -eq 2 ]
    [[ "$output" == *"subset:1:7: expected a column, number or quoted text"* ]]
    run "$TW" estimate "$(P)" "$F2" --subset 'yr > 1'
    [ "$status" -eq 2 ]
    [[ "$output" == *"subset:1:1: no column named 'yr'"* ]]
}
