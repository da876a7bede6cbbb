#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/games.bats: `tradewar optimal`, `war`, `talks`: the JSON interface other tools rely
# on (docs/output.md, "Tariff games"), the tariff CSV, usage errors, and the game importers.

load common

OSSA="$TW_SHARED_DATA/ossa2014"

need_ossa() {
    if [ ! -f "$OSSA/flows.csv" ]; then
        if [ "${CI:-}" = true ]; then
            echo "Ossa data missing in $OSSA (required when CI=true)" >&2
            return 1
        fi
        skip "Ossa (2014) data not found in $OSSA"
    fi
}

# Python check of a JSON document on stdin: the fields of the stable interface.
check_game_json() {
    python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["kind"] == sys.argv[1], d["kind"]
for c in d["countries"]:
    for k in ("code", "tariff_median_pct", "tariff_mean_pct", "welfare_pct", "gov_welfare_pct"):
        assert k in c, k
s = d["summary"]
for k in ("mean_tariff_median_pct", "mean_welfare_pct", "mean_gov_welfare_pct", "iterations", "status"):
    assert k in s, k
assert s["status"] == "converged", s["status"]
print(len(d["countries"]))
' "$1"
}

@test "a US-China war on the built-in world: JSON interface, each taxes the other" {
    run --separate-stderr "$TW" war --world default --players USA,CHN --against players --json \
        --csv "$BATS_TEST_TMPDIR/t.csv"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | check_game_json war)" -eq 10 ]
    echo "$output" | python3 -c '
import json, sys
d = {c["code"]: c for c in json.load(sys.stdin)["countries"]}
assert d["USA"]["player"] and d["CHN"]["player"] and not d["EU"]["player"]
assert d["USA"]["tariff_median_pct"] > 1 and d["CHN"]["tariff_median_pct"] > 1'
    [ "$(head -1 "$BATS_TEST_TMPDIR/t.csv")" = "importer,exporter,sector,tariff" ]
    [ "$(wc -l < "$BATS_TEST_TMPDIR/t.csv")" -eq $((10 * 9 * 10 + 1)) ]
}

@test "--report writes an HTML report of a war; the JSON carries factual and Nash stages" {
    run --separate-stderr "$TW" war --world default --players USA,CHN --against players --uniform \
        --report "$BATS_TEST_TMPDIR/war.html" --json
    [ "$status" -eq 0 ]
    [ -s "$BATS_TEST_TMPDIR/war.html" ]
    grep -q "Tariffs: factual, Nash and cooperative" "$BATS_TEST_TMPDIR/war.html"
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [s["stage"] for s in d["stages"]] == ["factual", "nash"]
f = {c["code"]: c for c in d["stages"][0]["countries"]}
assert f["USA"]["welfare_pct"] == 0'
}

@test "the table names players, the means and the convergence" {
    run --separate-stderr "$TW" war --world default --players USA,CHN --against players --uniform
    [ "$status" -eq 0 ]
    [[ "$output" == *"Tariff war: Nash equilibrium (uniform tariffs"* ]]
    [[ "$output" == *"USA    player"* ]]
    [[ "$output" == *"Converged after"* ]]
}

@test "usage errors exit 1 with a message" {
    run --separate-stderr "$TW" war --players USA,CHN
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"needs --world"* ]]
    run --separate-stderr "$TW" war --world default --players USA,XXX
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"unknown country 'XXX'"* ]]
    run --separate-stderr "$TW" optimal --world default
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"needs --country"* ]]
    run --separate-stderr "$TW" war --world default --mfn --uniform
    [ "$status" -eq 1 ]
    run --separate-stderr "$TW" talks --world default --from nowhere
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--from takes factual, nash or free"* ]]
    run --separate-stderr "$TW" war --world default --upper 0.1 --lower 0.2
    [ "$status" -eq 1 ]
    run --separate-stderr "$TW" world import lashkaripour "$TW_SHARED_DATA" wiod2099 "$BATS_TEST_TMPDIR/x"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"expected wiod2014 or icio2017"* ]]
}

@test "data errors exit 2: a missing world, the formula where it does not apply" {
    run --separate-stderr "$TW" war --world "$BATS_TEST_TMPDIR/none"
    [ "$status" -eq 2 ]
    run --separate-stderr "$TW" war --world default --method formula --uniform
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"sufficient-statistics formula needs"* ]]
}

@test "Ossa (2014): import carries model and weights; USA's optimal MFN tariffs" {
    need_ossa
    "$TW" --quiet world import ossa2014 "$OSSA" "$BATS_TEST_TMPDIR/ossa" >/dev/null
    grep -q '^model,ossa2014$' "$BATS_TEST_TMPDIR/ossa/meta.csv"
    [ "$(wc -l < "$BATS_TEST_TMPDIR/ossa/weights.csv")" -eq $((7 * 33 + 1)) ]
    run --separate-stderr "$TW" optimal --world "$BATS_TEST_TMPDIR/ossa" --country USA --mfn --json
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | check_game_json optimal)" -eq 7 ]
    run --separate-stderr "$TW" world check "$BATS_TEST_TMPDIR/ossa"
    [ "$status" -eq 0 ]
}
