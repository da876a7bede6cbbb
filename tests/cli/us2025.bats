#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/us2025.bats: the 2025-2026 US tariff regime (tradewar run us-2025-2026): the JSON
# interface with us_tariff_revenue_usd_bn per wave, the tariff-regime tables, the
# --no-retaliation what-if and the reserved --retaliation values, derive us2025.

load common

need_us2025() {
    if [ ! -f "$TW_SHARED_DATA/us2025/us_tariff_actions_2025_2026.csv" ]; then
        if [ "${CI:-}" = true ]; then
            echo "us2025 data missing in $TW_SHARED_DATA (required when CI=true)" >&2
            return 1
        fi
        skip "us2025 data not found in $TW_SHARED_DATA"
    fi
}

@test "run us-2025-2026 --json: countries, world, waves with us_tariff_revenue_usd_bn, solver" {
    run --separate-stderr "$TW" run us-2025-2026 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/out.json"
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"] == "us-2025-2026"
codes = [c["code"] for c in d["countries"]]
for code in ("USA", "CHN", "CAN", "MEX", "EU"):
    assert code in codes, code
for k in ("real_income_pct", "real_income_usd_bn", "cumulative_usd_bn"):
    assert k in d["world"], k
assert d["solver"]["status"] == "ok" and d["converged"] is True
assert len(d["waves"]) >= 30
ref = d["reference"]["us_tariff_revenue_usd_bn"]
assert ref > 0
revs = []
for w in d["waves"]:
    r = w["us_tariff_revenue_usd_bn"]
    assert isinstance(r, float) and r > 0, w["date"]
    assert abs(w["us_tariff_revenue_change_usd_bn"] - (r - ref)) < 1e-9 * max(1, abs(r))
    assert set(w["us_implied_tariff_pct"]) == set(codes) - {"USA"} | {"all"}
    revs.append(r)
# The regime raises revenue above the reference at its peak, and China faced the highest
# implied rate during the April-May 2025 escalation.
assert max(revs) > ref + 50, (max(revs), ref)
peak = max(d["waves"], key=lambda w: w["us_implied_tariff_pct"]["CHN"])
assert "2025-04-10" <= peak["date"] <= "2025-05-13", peak["date"]
assert peak["us_implied_tariff_pct"]["CHN"] > 100
# Retaliation is in the scenario.
assert any("R25-CN" in w["label"] for w in d["waves"])
' "$BATS_TEST_TMPDIR/out.json"
}

@test "run us-2025-2026: headline tables, tariff path by partner, trade, published estimates" {
    need_us2025
    run --separate-stderr "$TW" run us-2025-2026
    [ "$status" -eq 0 ]
    [[ "$output" == *"Every country: real income change"* ]]
    [[ "$output" == *"Every country, wave by wave"* ]]
    [[ "$output" == *"Implied average USA tariff by partner"* ]]
    [[ "$output" == *"Trade of USA by partner"* ]]
    [[ "$output" == *"trade among the other countries (diversion)"* ]]
    [[ "$output" == *"Published estimates"*"Budget Lab (Yale)"* ]]
    [[ "$output" == *"Tax Foundation"* && "$output" == *"Penn Wharton"* && "$output" == *"CBO"* ]]
    [[ "$output" == *"Ignatenko"* ]]
    # Every partner and the reference row of the tariff path.
    echo "$output" | grep -Eq '^  reference +[0-9.]+ +[0-9.]+'
}

@test "run us-2025-2026 --no-retaliation: no partner action, a different outcome" {
    run --separate-stderr "$TW" run us-2025-2026 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/with.json"
    run --separate-stderr "$TW" run us-2025-2026 --json --no-retaliation
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/without.json"
    run --separate-stderr "$TW" run us-2025-2026 --json --retaliation none
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/none.json"
    cmp "$BATS_TEST_TMPDIR/without.json" "$BATS_TEST_TMPDIR/none.json"
    python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
assert not any("R25-" in w["label"] for w in b["waves"])
assert any("R25-" in w["label"] for w in a["waves"])
usa = lambda d: next(c for c in d["countries"] if c["code"] == "USA")
chn = lambda d: next(c for c in d["countries"] if c["code"] == "CHN")
# Without China'"'"'s and Canada'"'"'s retaliation the US loses less over the period.
assert usa(b)["cumulative_usd_bn"] > usa(a)["cumulative_usd_bn"], (usa(a), usa(b))
assert chn(b)["cumulative_usd_bn"] != chn(a)["cumulative_usd_bn"]
' "$BATS_TEST_TMPDIR/with.json" "$BATS_TEST_TMPDIR/without.json"
    run --separate-stderr "$TW" run us-2025-2026 --no-retaliation
    [ "$status" -eq 0 ]
    [[ "$output" == *"What-if: without partners' retaliation"* ]]
}

@test "run --retaliation: applied, none or optimal; anything else is a usage error" {
    run --separate-stderr "$TW" run us-2025-2026 --retaliation bogus
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--retaliation 'bogus': expected applied, none or optimal"* ]]
    run --separate-stderr "$TW" run us-2025-2026 --retaliation applied --json
    [ "$status" -eq 0 ]
}

@test "run --retaliation optimal: partners' best responses to the US tariffs, the US optimum" {
    run --separate-stderr "$TW" run us-2025-2026 --retaliation optimal
    [ "$status" -eq 0 ]
    [[ "$output" == *"What-if: optimal retaliation against the US tariffs in force on"* ]]
    [[ "$output" == *"US uniform optimal tariff (every other tariff at the reference state)"* ]]
    [[ "$output" == *"Against optimal retaliation"* ]]
    run --separate-stderr "$TW" run us-2025-2026 --retaliation optimal --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["kind"] == "war" and d["summary"]["status"] == "converged"
c = {x["code"]: x for x in d["countries"]}
assert not c["USA"]["player"] and c["CHN"]["player"]
# retaliation hurts the US relative to its tariffs alone
assert c["USA"]["welfare_pct"] < 0'
}

@test "run --no-retaliation on a scenario that marks no retaliation is a data error" {
    run --separate-stderr "$TW" run us-china-2018-2019 --no-retaliation
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no action is marked \"retaliation: true\""* ]]
}

@test "derive us2025: the library scenario; a missing data root is a data error" {
    need_us2025
    run --separate-stderr "$TW" derive us2025 "$TW_SHARED_DATA"
    [ "$status" -eq 0 ]
    diff <(echo "$output" | sed 1d) <(sed 1d "$TW_SRC/scenarios/us-2025-2026.yaml")
    run --separate-stderr "$TW" derive us2025 "$BATS_TEST_TMPDIR/nowhere"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"us_tariff_actions_2025_2026.csv"* ]]
    run --separate-stderr "$TW" derive us2025 "$TW_SHARED_DATA" --yaml x.yaml
    [ "$status" -eq 1 ]
}
