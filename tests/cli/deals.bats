#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/deals.bats: `tradewar deal` and `tradewar compliance` (docs/cli.md, "Deals"): the
# JSON interface other tools rely on (docs/output.md, "Deals"), the documented Phase One
# compliance check (Bown, PIIE: about 58 % of the 2020-2021 commitments were bought; the
# observed file and where each number comes from are in tests/data/deals/README.md), usage
# errors and bad input.

load common

OBS="$TW_SRC/tests/data/deals/phase_one_observed_2020_2021.csv"

@test "compliance: Phase One total fulfilment is about 58 % (Bown, PIIE)" {
    run "$TW" compliance --deal phase-one-2020 --observed "$OBS" --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert 57.0 <= d["total_pct"] <= 58.5, d["total_pct"]
assert abs(d["total_committed_usd_bn"] - 502.4) < 1e-9, d["total_committed_usd_bn"]
names = [c["name"] for c in d["categories"]]
assert names == ["Manufactured goods", "Agriculture", "Energy", "Services"], names
for c in d["categories"]:
    for k in ("name", "committed_usd_bn", "observed_usd_bn", "pct"):
        assert k in c, k
'
}

@test "compliance: the table reads the total and n/a where not observed" {
    run "$TW" compliance --deal phase-one-2020 --observed "$OBS"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Total                  all         502.4      288.8     57.5"* ]]
    [[ "$output" == *"n/a"* ]]
}

@test "compliance: by category and year" {
    local f="$BATS_TEST_TMPDIR/obs.csv"
    printf 'category,year,observed_usd_bn\nAgriculture,2020,33.4\nAgriculture,2021,20.2\n' >"$f"
    run "$TW" compliance --deal phase-one-2020 --observed "$f" --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = [c for c in d["categories"] if c["name"] == "Agriculture"][0]
assert abs(a["pct"] - 100 * 53.6 / 73.8) < 1e-9, a
assert a["years"][0]["pct"] == 100.0, a["years"]
assert d["total_pct"] is None
'
}

@test "compliance: bad observed file gives file:line" {
    local f="$BATS_TEST_TMPDIR/obs.csv"
    printf 'category,year,observed_usd_bn\nSoybeans,2020,1\n' >"$f"
    run "$TW" compliance --deal phase-one-2020 --observed "$f"
    [ "$status" -eq 2 ]
    [[ "$output" == *"obs.csv:2: unknown category \"Soybeans\""* ]]
}

@test "compliance: usage errors" {
    run "$TW" compliance --deal phase-one-2020
    [ "$status" -eq 1 ]
    [[ "$output" == *"--observed"* ]]
    run "$TW" compliance --deal no-such-deal --observed "$OBS"
    [ "$status" -ne 0 ]
    [[ "$output" == *"unknown deal"* ]]
}

@test "deal phase-one-2020 --json: the stable interface, signs and orders of magnitude" {
    run "$TW" --quiet deal phase-one-2020 --json --observed "$OBS"
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = [s["code"] for s in d["sides"]]
assert codes == ["USA", "CHN"], codes
for s in d["sides"]:
    for k in ("code", "deal_value_pct", "deal_value_usd_bn", "critical_discount_factor", "self_enforcing"):
        assert k in s, k
    # the deal is worth something to both sides, less than 1 % of income, 0.1-100 bn a year
    assert 0 < s["deal_value_pct"] < 1, s
    assert 0.1 < s["deal_value_usd_bn"] < 100, s
    assert 0 < s["critical_discount_factor"] < 1, s
    assert isinstance(s["self_enforcing"], bool)
    # removing the remaining tariffs is worth more
    assert s["remaining_tariffs_removed"]["deal_value_pct"] > s["deal_value_pct"]
    assert s["verdict"].startswith(s["code"] + ": ")
assert abs(sum(s["share_of_joint_gain_pct"] for s in d["sides"]) - 100) < 1e-9
assert 57 <= d["compliance"]["total_pct"] <= 58.5
assert d["snap_back"]["triggered"] is False
# purchase commitments in equilibrium: one entry per category and year, infeasibility flagged
cm = d["managed_trade"]["commitments"]
assert len(cm) == 8, len(cm)
for e in cm:
    for k in ("name", "year", "target_usd_bn", "without_wedge_usd_bn", "with_wedge_usd_bn", "wedge", "feasible", "met_without_wedge"):
        assert k in e, k
    assert e["wedge"] >= 1
    assert e["feasible"] or e["with_wedge_usd_bn"] < e["target_usd_bn"]
    assert not e["feasible"] or abs(e["with_wedge_usd_bn"] / e["target_usd_bn"] - 1) < 1e-6 or e["met_without_wedge"] or e["wedge"] == 1
chn = [c for c in d["managed_trade"]["years"][0]["countries"] if c["code"] == "CHN"][0]
assert chn["welfare_pct"] < 0, chn  # managed trade costs the importer
'
}

@test "deal: one verdict line per side; a higher discount rate raises no critical delta" {
    run "$TW" --quiet deal phase-one-2020
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | grep -c '^USA: the deal is worth')" -eq 1 ]
    [ "$(echo "$output" | grep -c '^CHN: the deal is worth')" -eq 1 ]
    # delta* does not depend on r; self-enforcement does: at r = 1000 % nothing holds
    run "$TW" --quiet deal phase-one-2020 --discount 10 --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(not s["self_enforcing"] for s in d["sides"]), d["sides"]
'
}

@test "deal: usage errors and bad deal files" {
    run "$TW" deal
    [ "$status" -eq 1 ]
    run "$TW" deal phase-one-2020 --discount 0
    [ "$status" -eq 1 ]
    [[ "$output" == *"--discount"* ]]
    local f="$BATS_TEST_TMPDIR/bad.yaml"
    printf 'deal:\n  name: x\n  parties: [USA, CHN]\n  colour: red\n' >"$f"
    run "$TW" deal "$f"
    [ "$status" -eq 2 ]
    [[ "$output" == *"bad.yaml:4:3: unknown key \"colour\""* ]]
}

@test "help deal and help compliance" {
    run "$TW" help deal
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: tradewar deal"* ]]
    run "$TW" help compliance
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: tradewar compliance"* ]]
}

@test "deal --report writes an HTML report with the value and enforcement chart" {
    run --separate-stderr "$TW" deal phase-one-2020 --report "$BATS_TEST_TMPDIR/deal.html"
    [ "$status" -eq 0 ]
    grep -q "What the deal is worth, and whether it can hold" "$BATS_TEST_TMPDIR/deal.html"
    run --separate-stderr "$TW" deal phase-one-2020 --json
    echo "$output" | python3 -c 'import json, sys; assert json.load(sys.stdin)["kind"] == "deal"'
}

@test "deal --punishment nash: the two sides' Nash war as the punishment" {
    run --separate-stderr "$TW" deal phase-one-2020 --punishment nash --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["punishment"] == "nash_war"
for s in d["sides"]:
    assert s["nash_war_tariff_pct"] > 0
    # the value of the deal is still measured against the war itself
    assert abs(s["deal_value_pct"] - (s["deal_welfare_pct"] - s["war_welfare_pct"])) < 1e-9'
    run --separate-stderr "$TW" deal phase-one-2020 --punishment bogus
    [ "$status" -eq 1 ]
}
