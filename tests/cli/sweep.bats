#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/sweep.bats: `tradewar sweep`: bands, determinism across threads and MPI ranks,
# checkpoint files and --resume, published elasticity sets.

load common

@test "sweep prints bands; 1 and 2 threads give identical draws" {
    run --separate-stderr "$TW" sweep --draws 16 --seed 5 --threads 1 --out "$BATS_TEST_TMPDIR/a.csv"
    [ "$status" -eq 0 ]
    [[ "$output" == *"16 draws: 16 converged, 0 failed"* ]]
    [[ "$output" == *"p95"* ]]
    run --separate-stderr "$TW" sweep --draws 16 --seed 5 --threads 2 --out "$BATS_TEST_TMPDIR/b.csv"
    [ "$status" -eq 0 ]
    cmp "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/a.csv")" -eq 17 ]
}

@test "a 2-rank MPI sweep equals the single-process sweep" {
    command -v mpirun >/dev/null || skip "mpirun not installed"
    "$TW" --quiet sweep --draws 10 --seed 9 --threads 1 --out "$BATS_TEST_TMPDIR/one.csv" >/dev/null
    run env ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -np 2 \
        "$TW" --quiet sweep --draws 10 --seed 9 --threads 1 --out "$BATS_TEST_TMPDIR/two.csv"
    [ "$status" -eq 0 ]
    cmp "$BATS_TEST_TMPDIR/one.csv" "$BATS_TEST_TMPDIR/two.csv"
}

@test "--resume restores the solved draws and finishes with the same result" {
    "$TW" --quiet sweep --draws 12 --seed 3 --out "$BATS_TEST_TMPDIR/full.csv" >/dev/null
    # An interrupted run: the header and the first 5 draws solved, the rest pending.
    awk -F, 'NR == 1 || NR <= 6 { print; next } { OFS = ","; $2 = "pending"; for (i = 4 + 10; i <= NF; i++) $i = ""; print }' \
        "$BATS_TEST_TMPDIR/full.csv" > "$BATS_TEST_TMPDIR/part.csv"
    run --separate-stderr "$TW" sweep --draws 12 --seed 3 --out "$BATS_TEST_TMPDIR/part.csv" --resume
    [ "$status" -eq 0 ]
    [[ "$stderr" == *"resumed 5 draws"* ]]
    cmp "$BATS_TEST_TMPDIR/full.csv" "$BATS_TEST_TMPDIR/part.csv"
    # A checkpoint from another seed is refused.
    run --separate-stderr "$TW" sweep --draws 12 --seed 4 --out "$BATS_TEST_TMPDIR/part.csv" --resume
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"different seed or options"* ]]
}

@test "published elasticity sets: each draw takes one source" {
    f="$TW_SHARED_DATA/icio_2017_trade_tariffs/agg10/elasticities.csv"
    [ -f "$f" ] || { [ "${CI:-}" != true ] || false; skip "shared elasticities not found"; }
    run --separate-stderr "$TW" sweep --draws 8 --theta-sets "$f:CP,BSY,GYY" --out "$BATS_TEST_TMPDIR/s.csv"
    [ "$status" -eq 0 ]
    sets=$(awk -F, 'NR > 1 { print $3 }' "$BATS_TEST_TMPDIR/s.csv" | sort -u | tr '\n' ' ')
    [[ "$sets" =~ ^[0-2]\ ([0-2]\ )*$ ]]
}

@test "bad sweep options are usage errors" {
    run --separate-stderr "$TW" sweep --draws 0
    [ "$status" -eq 1 ]
    run --separate-stderr "$TW" sweep --resume
    [ "$status" -eq 1 ]
    run --separate-stderr "$TW" sweep --theta-sets a.csv --theta-se b.csv
    [ "$status" -eq 1 ]
    run --separate-stderr "$TW" sweep --theta-sets "$BATS_TEST_TMPDIR/none.csv"
    [ "$status" -eq 2 ]
}

@test "--json: the stable interface, identical under a 2-rank mpirun" {
    run --separate-stderr "$TW" sweep --scenario us-china-2018-2019 --draws 6 --seed 11 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/one.json"
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["draws"] == 6 and d["failed"] == 0
for c in d["countries"]:
    assert set(c["real_income_pct"]) >= {"mean", "p05", "p50", "p95"}, c
' "$BATS_TEST_TMPDIR/one.json"
    command -v mpirun >/dev/null || skip "mpirun not installed"
    run env ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -np 2 \
        "$TW" sweep --scenario us-china-2018-2019 --draws 6 --seed 11 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/two.json"
    cmp "$BATS_TEST_TMPDIR/one.json" "$BATS_TEST_TMPDIR/two.json"
}

@test "--theta-cov draws only the sectors with variance; a bad matrix is a data error" {
    printf 'sector_i,sector_j,cov\nMACH,MACH,0.25\nTRAN,TRAN,0.3\nMACH,TRAN,0.1\n' > "$BATS_TEST_TMPDIR/cov.csv"
    run --separate-stderr "$TW" sweep --draws 4 --theta-cov "$BATS_TEST_TMPDIR/cov.csv" --out "$BATS_TEST_TMPDIR/c.csv"
    [ "$status" -eq 0 ]
    # AGR (column 4) is fixed at its estimate, MACH (column 10) varies.
    [ "$(awk -F, 'NR > 1 { print $4 }' "$BATS_TEST_TMPDIR/c.csv" | sort -u | wc -l)" -eq 1 ]
    [ "$(awk -F, 'NR > 1 { print $10 }' "$BATS_TEST_TMPDIR/c.csv" | sort -u | wc -l)" -eq 4 ]
    printf 'sector_i,sector_j,cov\nMACH,MACH,1\nTRAN,TRAN,1\nMACH,TRAN,2\n' > "$BATS_TEST_TMPDIR/bad.csv"
    run --separate-stderr "$TW" sweep --draws 4 --theta-cov "$BATS_TEST_TMPDIR/bad.csv"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"not positive definite"* ]]
}
