#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/run.bats: the main job and the scenario commands: run, scenarios, compare, derive,
# world export default.

load common

need_uschina() {
    if [ ! -f "$TW_SHARED_DATA/uschina/us_china_tariff_actions.csv" ]; then
        if [ "${CI:-}" = true ]; then
            echo "uschina data missing in $TW_SHARED_DATA (required when CI=true)" >&2
            return 1
        fi
        skip "uschina data not found in $TW_SHARED_DATA"
    fi
}

@test "run us-china-2018-2019: China and the US lose, the world loses, waves are listed" {
    run --separate-stderr "$TW" run us-china-2018-2019
    [ "$status" -eq 0 ]
    [[ "$output" == *"Cost of the war"* ]]
    [[ "$output" == *"2018-07-06 +US-301-L1; +CN-301-34"* ]]
    [[ "$output" == *"cumulative from 2018-01-01 to 2019-12-31"* ]]
    chn=$(echo "$output" | awk '$1 == "China" && $2 == "CHN" {print $3}')
    usa=$(echo "$output" | awk '$1 == "United" && $3 == "USA" {print $4}')
    python3 -c 'import sys; c, u = map(float, sys.argv[1:]); assert c < 0 and u < 0, (c, u)' "$chn" "$usa"
}

@test "run --json has the stable interface: countries, world, waves, solver" {
    run --separate-stderr "$TW" run us-china-2018-2019 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/out.json"
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["countries"]:
    for k in ("code", "real_income_pct", "real_income_usd_bn", "cumulative_usd_bn"):
        assert k in c, k
for k in ("real_income_pct", "real_income_usd_bn", "cumulative_usd_bn"):
    assert k in d["world"], k
assert len(d["waves"]) >= 8
for w in d["waves"]:
    assert {"date", "label", "countries"} <= set(w), w.keys()
assert d["solver"]["status"] == "ok" and d["converged"] is True
codes = [c["code"] for c in d["countries"]]
assert codes[:2] == ["USA", "CHN"], codes
# Cumulated cost = sum over waves of annual flow x years in force.
k = codes.index("CHN")
cum = sum(w["countries"][k]["real_income_usd_bn"] * w["years_in_force"] for w in d["waves"])
assert abs(cum - d["countries"][k]["cumulative_usd_bn"]) < 1e-9 * abs(cum), (cum,)
pairs = {(b["exporter"], b["importer"]) for b in d["waves"][-1]["bilateral"]}
assert ("CHN", "USA") in pairs and len(pairs) == 90, len(pairs)
' "$BATS_TEST_TMPDIR/out.json"
}

@test "no arguments equals run us-china-2018-2019" {
    run --separate-stderr "$TW"
    [ "$status" -eq 0 ]
    local a="$output"
    run --separate-stderr "$TW" run us-china-2018-2019
    [ "$a" = "$output" ]
}

@test "--until moves the cumulation end; a bad date is a data error" {
    run --separate-stderr "$TW" run us-china-2018-2019 --until 2018-12-31 --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["until"]=="2018-12-31"'
    run --separate-stderr "$TW" run us-china-2018-2019 --until 2018-13-01
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"2018-13-01"* ]]
}

@test "scenarios lists the library; --show prints a scenario" {
    run "$TW" scenarios
    [ "$status" -eq 0 ]
    for n in us-china-2018-2019 phase-one-2020 escalation-2019-planned nafta-cp2015; do
        [[ "$output" == *"$n"* ]]
    done
    run "$TW" scenarios --show phase-one-2020
    [ "$status" -eq 0 ]
    [[ "$output" == *"US-301-L4A-CUT"* ]]
    run --separate-stderr "$TW" scenarios --show nope
    [ "$status" -eq 1 ]
}

@test "compare: Phase One changes little against the 2019 war; escalation costs China more" {
    run --separate-stderr "$TW" compare us-china-2018-2019 escalation-2019-planned
    [ "$status" -eq 0 ]
    d=$(echo "$output" | awk '$1 == "CHN" {print $4}')
    python3 -c 'import sys; assert float(sys.argv[1]) < 0' "$d"
    run --separate-stderr "$TW" compare us-china-2018-2019
    [ "$status" -eq 1 ]
}

@test "a scenario file with an unknown country names file:line:col" {
    f="$BATS_TEST_TMPDIR/bad.yaml"
    printf 'start: 2018-01-01\nactions:\n  - {imposer: USA, target: XXX, rate: {add: 0.1}, effective: 2018-02-01}\n' >"$f"
    run --separate-stderr "$TW" run "$f"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad.yaml:3:"*"unknown country or group \"XXX\""* ]]
}

@test "a foundation tariff CSV runs as a one-wave scenario on the built-in world" {
    f="$BATS_TEST_TMPDIR/t.csv"
    printf 'importer,exporter,sector,rate\nUSA,CHN,*,0.25\n' >"$f"
    run --separate-stderr "$TW" run "$f" --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["waves"])==1'
}

@test "world export default writes a bundle that passes world check" {
    run "$TW" world export default "$BATS_TEST_TMPDIR/w"
    [ "$status" -eq 0 ]
    run "$TW" world check "$BATS_TEST_TMPDIR/w"
    [ "$status" -eq 0 ]
    run --separate-stderr "$TW" world export default "$BATS_TEST_TMPDIR/w"
    [ "$status" -eq 2 ]
}

@test "derive uschina prints the audit and writes the library scenarios" {
    need_uschina
    run --separate-stderr "$TW" derive uschina "$TW_SHARED_DATA"
    [ "$status" -eq 0 ]
    [[ "$output" == *"US-301-L3"* ]]
    [[ "$output" == *"Bown"* ]]
    run --separate-stderr "$TW" derive uschina "$TW_SHARED_DATA" --scenario us-china-2018-2019
    [ "$status" -eq 0 ]
    diff <(echo "$output") "$TW_SRC/scenarios/us-china-2018-2019.yaml"
    run --separate-stderr "$TW" derive uschina "$BATS_TEST_TMPDIR/none"
    [ "$status" -eq 2 ]
}
