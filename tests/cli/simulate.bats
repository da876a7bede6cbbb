#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/simulate.bats: `tradewar simulate` end to end: the CP2015 NAFTA exercise against
# the published Table 2, the JSON and CSV outputs, and the failure paths (bad world, bad
# scenario, non-convergence, which is an error with or without --strict).

load common

# A scenario that removes every tariff of the tiny world (codes from its regions/sectors).
tiny_free_trade() {
    printf 'importer,exporter,sector,rate\n*,*,*,0\n' >"$BATS_TEST_TMPDIR/free.csv"
    echo "$BATS_TEST_TMPDIR/free.csv"
}

@test "NAFTA with zero deficits reproduces CP2015 Table 2 welfare" {
    need_cp2015
    local world
    world=$(cp_world)
    run --separate-stderr "$TW" simulate --world "$world" --scenario "$NAFTA" --deficits zero
    [ "$status" -eq 0 ]
    echo "$output"
    [[ "$output" == *"deficits: zero"* ]]
    [ "$(table_cell MEX 2 <<<"$output")" = "1.31" ]
    [ "$(table_cell CAN 2 <<<"$output")" = "-0.06" ]
    [ "$(table_cell USA 2 <<<"$output")" = "0.08" ]
    [ "$(grep -c '^[A-Z][A-Z][A-Z] ' <<<"$output")" -eq 31 ]
    [[ "$output" == *"counterfactual  ok"* ]]
}

@test "--json prints one document with the documented keys" {
    need_cp2015
    local world
    world=$(cp_world)
    local doc="$BATS_TEST_TMPDIR/nafta.json"
    run --separate-stderr bash -c '"$0" simulate --world "$1" --scenario "$2" --deficits zero \
        --json >"$3"' "$TW" "$world" "$NAFTA" "$doc"
    [ "$status" -eq 0 ]
    python3 - "$doc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ["tradewar_version", "world", "deficits", "converged", "status", "iterations",
          "residual", "solver", "countries", "sectors", "bilateral"]:
    assert k in d, k
assert d["deficits"] == "zero" and d["converged"] is True and d["status"] == "ok"
assert set(d["world"]) >= {"name", "year", "currency", "source", "n_country", "n_sector"}
assert d["world"]["n_country"] == 31 and d["world"]["n_sector"] == 40
for stage in ["baseline", "counterfactual"]:
    s = d["solver"][stage]
    assert set(s) >= {"iterations", "price_iterations", "expenditure_iterations", "residual",
                      "trade_balance_residual", "status", "reason"}, s
    assert s["status"] == "ok"
measures = ["real_income_pct", "welfare_pct", "tot_pct", "vot_pct", "welfare_log_pct",
            "tot_log_pct", "vot_log_pct", "real_wage_pct", "wage_hat", "price_index_hat",
            "income_hat", "welfare_usd", "tariff_revenue_hat", "exports_hat", "imports_hat"]
assert len(d["countries"]) == 31
for c in d["countries"]:
    for k in ["code", "name"] + measures:
        assert k in c, k
mex = next(c for c in d["countries"] if c["code"] == "MEX")
assert round(mex["welfare_pct"], 2) == 1.31, mex["welfare_pct"]
assert abs(mex["welfare_pct"] - mex["tot_pct"] - mex["vot_pct"]) < 1e-9
assert len(d["sectors"]) == 31 * 40
for k in ["country", "sector", "output_hat", "price_hat", "cost_hat", "expenditure_hat"]:
    assert k in d["sectors"][0], k
assert len(d["bilateral"]) == 31 * 30
for k in ["exporter", "importer", "base_usd", "cfl_usd", "change_pct"]:
    assert k in d["bilateral"][0], k
PY
}

@test "--csv writes the five tables and leaves no temporary file" {
    need_cp2015
    local world out="$BATS_TEST_TMPDIR/out"
    world=$(cp_world)
    run --separate-stderr "$TW" simulate --world "$world" --scenario "$NAFTA" --deficits zero \
        --csv "$out"
    [ "$status" -eq 0 ]
    [ "$(ls -A "$out" | sort | tr '\n' ' ')" = \
      "countries.csv decomposition.csv flows.csv sectors.csv solver.csv " ]
    [ "$(head -1 "$out/flows.csv")" = "exporter,importer,sector,base_usd,cfl_usd,change_pct" ]
    [ "$(head -1 "$out/decomposition.csv")" = "country,partner,sector,tot_pct,vot_pct" ]
    [[ "$(head -1 "$out/solver.csv")" == stage,status,iterations,* ]]
    [[ "$(head -1 "$out/countries.csv")" == country,name,real_income_pct,welfare_pct,* ]]
    [[ "$(head -1 "$out/sectors.csv")" == country,sector,output_hat,* ]]
    [ "$(wc -l <"$out/countries.csv")" -eq 32 ]
    [ "$(wc -l <"$out/sectors.csv")" -eq $((31 * 40 + 1)) ]
    [ "$(wc -l <"$out/flows.csv")" -eq $((31 * 31 * 40 + 1)) ]
    [ "$(wc -l <"$out/decomposition.csv")" -eq $((31 * 31 * 40 + 1)) ]
    [ "$(wc -l <"$out/solver.csv")" -eq 3 ]
    # The decomposition by partner and sector sums to the country's ToT and VoT.
    python3 - "$out" <<'PY'
import csv, sys
d = sys.argv[1]
tot = {}
for r in csv.DictReader(open(f"{d}/decomposition.csv")):
    tot[r["country"]] = tot.get(r["country"], 0.0) + float(r["tot_pct"])
for r in csv.DictReader(open(f"{d}/countries.csv")):
    assert abs(tot[r["country"]] - float(r["tot_pct"])) < 1e-9, r["country"]
PY
    # Writing again into the same directory replaces the files.
    run "$TW" --quiet simulate --world "$world" --scenario "$NAFTA" --deficits zero --csv "$out"
    [ "$status" -eq 0 ]
    [ "$(ls -A "$out" | wc -l)" -eq 5 ]
}

@test "--csv into a directory that cannot be created is an error (exit 2)" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$(tiny_free_trade)" \
        --csv "$BATS_TEST_TMPDIR/no/such/dir"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"no/such/dir"* ]]
    [ -z "$output" ]
}

@test "a world directory that does not exist gives exit 2 and names it" {
    run --separate-stderr "$TW" simulate --world "$BATS_TEST_TMPDIR/nowhere" \
        --scenario "$BATS_TEST_TMPDIR/x.csv"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"nowhere"* ]]
    [ "$(wc -l <<<"$stderr")" -eq 1 ]
    [ -z "$output" ]
}

@test "a scenario with an unknown country code gives exit 2 and file:line:col" {
    local sc="$BATS_TEST_TMPDIR/bad.csv"
    printf 'importer,exporter,sector,rate\n*,*,*,0\nXXX,*,*,0.1\n' >"$sc"
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$sc"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"bad.csv:3:1:"*"XXX"* ]]
    [ -z "$output" ]
}

@test "a missing scenario file gives exit 2" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$BATS_TEST_TMPDIR/no.csv"
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"no.csv"* ]]
}

@test "--strict with --max-iter 1 gives exit 4, not converged, and no table" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$(tiny_free_trade)" \
        --max-iter 1 --strict --csv "$BATS_TEST_TMPDIR/out"
    [ "$status" -eq 4 ]
    [[ "$stderr" == "tradewar: error: "*"not converged"* ]]
    [ -z "$output" ]
    [ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "--strict --json still prints the document, flagged, with exit 4" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$(tiny_free_trade)" \
        --max-iter 1 --strict --json
    [ "$status" -eq 4 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["converged"] is False
assert "not converged" in (d["status"], d["solver"]["baseline"]["status"])' "$output"
}

@test "without --strict non-convergence is still an error: exit 4, no table" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$(tiny_free_trade)" \
        --max-iter 1
    [ "$status" -eq 4 ]
    [[ "$stderr" == "tradewar: error: "*"not converged"* ]]
    [ -z "$output" ]
}

@test "the tiny world solves, and a zero shock changes nothing" {
    local sc="$BATS_TEST_TMPDIR/none.csv"
    printf 'importer,exporter,sector,rate\n' >"$sc"
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$sc" --json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["converged"] is True
for c in d["countries"]:
    assert abs(c["welfare_pct"]) < 1e-8 and abs(c["wage_hat"] - 1) < 1e-8, c' "$output"
}

@test "no progress line when stderr is not a terminal" {
    run --separate-stderr "$TW" simulate --world "$TINY" --scenario "$(tiny_free_trade)"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
}
