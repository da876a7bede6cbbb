#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/gegravity.bats: `tradewar gegravity`: usage errors, bad files, the --json
# interface (docs/output.md), and the Advanced Guide chapter 2 applications on the shared
# AGTPA data (skipped when absent, unless CI=true).

load common

AGTPA="$TW_SHARED_DATA/agtpa"
PANEL="$AGTPA/agtpa_panel_1986_2006.csv.gz"
TWB="$AGTPA/ch2_tradewithoutborder_2006.csv.gz"

need_agtpa() {
    if [ ! -f "$PANEL" ] || [ ! -f "$TWB" ]; then
        if [ "${CI:-}" = true ]; then
            echo "AGTPA data missing in $AGTPA (required when CI=true)" >&2
            return 1
        fi
        skip "AGTPA data not found in $AGTPA"
    fi
}

# A three-country world: A and B in an agreement, C outside; unbalanced trade.
small_csv() {
    cat > "$BATS_TEST_TMPDIR/small.csv" <<'EOF'
exporter,importer,year,trade,rta,dist
A,A,2000,100,0,10
A,B,2000,20,1,100
A,C,2000,5,0,300
B,A,2000,15,1,100
B,B,2000,80,0,10
B,C,2000,4,0,250
C,A,2000,6,0,300
C,B,2000,3,0,250
C,C,2000,60,0,10
A,A,2001,101,0,10
A,B,2001,21,1,100
A,C,2001,5,0,300
B,A,2001,16,1,100
B,B,2001,81,0,10
B,C,2001,4,0,250
C,A,2001,6,0,300
C,B,2001,3,0,250
C,C,2001,61,0,10
EOF
    echo "$BATS_TEST_TMPDIR/small.csv"
}

@test "gegravity --help and help gegravity print the same text with the options" {
    run "$TW" gegravity --help
    [ "$status" -eq 0 ]
    local a="$output"
    run "$TW" help gegravity
    [ "$status" -eq 0 ]
    [ "$output" = "$a" ]
    for opt in --shock --coef --coef-json --estimate --years --pair-fe --fill --baseline --ge \
               --sigma --theta --reference --effect-of-baseline --json --bilateral "Exit codes"; do
        [[ "$a" == *"$opt"* ]] || { echo "missing: $opt"; return 1; }
    done
    run "$TW" --help
    [[ "$output" == *"gegravity"* ]]
}

@test "gegravity usage errors exit 1 with one error line" {
    local f
    f=$(small_csv)
    run --separate-stderr "$TW" gegravity "$f" --coef rta=0.5
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"give at least one --shock"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0:A,B
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"give the coefficients one way"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0:A,B --coef rta=0.5 --ge partial
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--ge expects 'conditional' or 'full', got 'partial'"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta --coef rta=0.5
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--shock expects COL=VALUE"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0 --coef rta=x
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--coef expects NAME=VALUE"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0 --coef rta=0.5 --sigma 1
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--sigma expects a number in (1, 1000)"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0 --coef rta=0.5 --pair-fe p
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"need --estimate"* ]]
    run --separate-stderr "$TW" gegravity --shock rta=0 --coef rta=0.5
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"expected one FILE"* ]]
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0 --coef rta=0.5 --bogus
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"unknown option '--bogus'"* ]]
}

@test "gegravity bad files and data exit 2 with a message naming the place" {
    local f
    f=$(small_csv)
    run --separate-stderr "$TW" gegravity "$BATS_TEST_TMPDIR/none.csv" --shock rta=0 --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == "tradewar: error: "*"none.csv"* ]]
    sed 's/^A,C,2000,5,/A,C,2000,n\/a,/' "$f" > "$BATS_TEST_TMPDIR/bad.csv"
    run --separate-stderr "$TW" gegravity "$BATS_TEST_TMPDIR/bad.csv" --year 2000 \
        --shock rta=0 --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad.csv:4:"* ]]
    grep -v '^C,B,2000' "$f" > "$BATS_TEST_TMPDIR/hole.csv"
    run --separate-stderr "$TW" gegravity "$BATS_TEST_TMPDIR/hole.csv" --year 2000 \
        --shock rta=0 --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no row for exporter C, importer B in the baseline year"* ]]
    # Two years without --year: duplicate pairs.
    run --separate-stderr "$TW" gegravity "$f" --shock rta=0 --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"two rows for exporter A, importer A (use --year)"* ]]
    run --separate-stderr "$TW" gegravity "$f" --year 1999 --shock rta=0 --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no rows for year 1999"* ]]
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:X,Y --coef rta=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no international pair of the listed countries"* ]]
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock nope=0 --coef nope=0.5
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"nope"* ]]
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0 --coef rta=0.5 \
        --reference ZZZ
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"--reference 'ZZZ': no such country"* ]]
    echo '{"x": 1}' > "$BATS_TEST_TMPDIR/coef.json"
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0 \
        --coef-json "$BATS_TEST_TMPDIR/coef.json"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"no \"coefficients\""* ]]
}

@test "gegravity non-convergence exits 4 and names the stage" {
    local f
    f=$(small_csv)
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:A,B --coef rta=0.5 \
        --max-iter 2
    [ "$status" -eq 4 ]
    [[ "$stderr" == *"full GE did not converge after 2 iterations"* ]]
}

@test "gegravity --json has the documented shape; a null shock changes nothing" {
    local f
    f=$(small_csv)
    for args in "--baseline observed --ge full" "--baseline fitted --ge conditional"; do
        # shellcheck disable=SC2086
        run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:A,B \
            --coef rta=0.5 --coef "log(dist)=-0.8" $args --reference C --json
        [ "$status" -eq 0 ]
        echo "$output" > "$BATS_TEST_TMPDIR/out.json"
        python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("model", "file", "baseline", "ge", "sigma", "theta", "year", "reference", "convention",
          "imbalances", "shocks", "coefficients", "estimation", "countries", "solver"):
    assert k in d, k
assert d["model"] == "gegravity" and d["year"] == 2000 and d["reference"] == "C"
assert d["sigma"] == 7 and d["theta"] == 6
assert d["convention"] == "counterfactual_vs_baseline"
assert [c["country"] for c in d["countries"]] == ["A", "B", "C"]
for c in d["countries"]:
    assert set(c) == {"country", "real_gdp_pct", "exports_pct", "price_pct", "omr_pct",
                      "imr_pct", "output_pct"}, c
s = d["solver"]
assert s["converged"] is True and s["check_residual"] < 1e-9, s
cty = {c["country"]: c for c in d["countries"]}
assert cty["A"]["real_gdp_pct"] < 0 and cty["B"]["real_gdp_pct"] < 0   # members lose
assert abs(cty["C"]["imr_pct"]) < 1e-9                                    # numeraire
if d["ge"] == "conditional":
    assert all(abs(c["price_pct"]) < 1e-12 for c in d["countries"])
' "$BATS_TEST_TMPDIR/out.json"
    done
    # --bilateral: every pair, flows consistent with the country totals.
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:A,B --coef rta=0.5 \
        --json --bilateral
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
b = d["bilateral"]
assert len(b) == 9 and set(b[0]) == {"exporter", "importer", "baseline", "counterfactual",
                                     "change_pct"}, b[0]
assert b[1]["exporter"] == "A" and b[1]["importer"] == "B" and b[1]["baseline"] == 20
for c in d["countries"]:
    k = c["country"]
    x0 = sum(r["baseline"] for r in b if r["exporter"] == k)
    x1 = sum(r["counterfactual"] for r in b if r["exporter"] == k)
    assert abs(100 * (x1 / x0 - 1) - c["output_pct"]) < 1e-9, (k, x0, x1, c["output_pct"])
'
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0 --coef rta=0.5 --bilateral
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--bilateral needs --json"* ]]
    # Setting rta to 1 where it is already 1 is no shock: every change is 0.
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=1:A,B --coef rta=0.5 --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(abs(v) < 1e-9 for c in d["countries"] for k, v in c.items() if k != "country")
'
}

@test "gegravity --effect-of-baseline inverts the changes: 100*(1/h - 1)" {
    local f
    f=$(small_csv)
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:A,B --coef rta=0.5 --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/a.json"
    run --separate-stderr "$TW" gegravity "$f" --year 2000 --shock rta=0:A,B --coef rta=0.5 \
        --json --effect-of-baseline
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/b.json"
    python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert b["convention"] == "baseline_vs_counterfactual"
for ca, cb in zip(a["countries"], b["countries"]):
    for k in ("real_gdp_pct", "exports_pct", "price_pct"):
        h = 1 + ca[k] / 100
        assert abs(cb[k] - 100 * (1 / h - 1)) < 1e-9, (k, ca[k], cb[k])
' "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
}

# The Advanced Guide (Yotov, Piermartini, Monteiro and Larch 2016), chapter 2, application 2
# (NAFTA), as described in ../shared/docs/models/gravity.md sections 4.5 and 5: stage-1 panel
# PPML with exporter-year, importer-year and pair FE on 1986, 1990, ..., 2006 (RTA 0.5571853,
# N = 28,482), stage-2 fill of the 14 missing 1994 cells with ln DIST, CNTG, LANG, CLNY and
# exporter/importer FE, baseline year 1994, sigma 7, reference DEU, counterfactual rta = 0
# among CAN, MEX, USA, effects OF NAFTA. Book (full endowment GE, real GDP): CAN +3.403 %,
# MEX +3.810 %, USA +0.335 %; tolerance 0.15 points because the book stops its GEPPML
# iteration at a change of 0.01 in the prices (gravity.md 4.3).
@test "NAFTA (Advanced Guide ch. 2): fitted baseline, full GE, real GDP within 0.15 points" {
    need_agtpa
    run --separate-stderr "$TW" gegravity "$PANEL" --year 1994 \
        --estimate "trade ~ rta | exporter^year + importer^year + pair_id" \
        --years 1986:2006:4 --pair-fe pair_id --fill "log(dist) + cntg + lang + clny" \
        --baseline fitted --ge full --shock rta=0:CAN,MEX,USA --reference DEU \
        --effect-of-baseline --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/nafta.json"
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["estimation"]["n_obs"] == 28482, d["estimation"]
rta = [c["estimate"] for c in d["coefficients"] if c["name"] == "rta"][0]
assert abs(rta - 0.5571853) < 1e-6, rta
book = {"CAN": 3.403, "MEX": 3.810, "USA": 0.335}
cty = {c["country"]: c for c in d["countries"]}
for k, v in book.items():
    got = cty[k]["real_gdp_pct"]
    print(k, round(got, 3), "book", v, file=sys.stderr)
    assert abs(got - v) <= 0.15, (k, got, v)
# Non-members: changes of the order of 0.01 % (gravity.md section 5).
others = [abs(c["real_gdp_pct"]) for c in d["countries"] if c["country"] not in book]
assert max(others) < 0.1, max(others)
' "$BATS_TEST_TMPDIR/nafta.json"
}

# Observed-flows baseline (Stata ge_gravity / R GEGravity): gravity.md section 4.4 reports the
# NAFTA removal with this method as CAN -2.98 %, MEX -2.46 %, USA -0.29 % real wage (2
# decimals); we compare to 0.02 points.
@test "NAFTA removal on observed flows matches the ge_gravity figures of gravity.md" {
    need_agtpa
    run --separate-stderr "$TW" gegravity "$PANEL" --year 1994 --coef rta=0.5571853 \
        --baseline observed --ge full --shock rta=0:CAN,MEX,USA --reference DEU --json
    [ "$status" -eq 0 ]
    echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ref = {"CAN": -2.98, "MEX": -2.46, "USA": -0.29}
cty = {c["country"]: c for c in d["countries"]}
for k, v in ref.items():
    got = cty[k]["real_gdp_pct"]
    assert abs(got - v) <= 0.02, (k, got, v)
'
}

@test "trade without borders: --coef-json from estimate equals --estimate, prices positive" {
    need_agtpa
    run --separate-stderr "$TW" estimate "$TWB" "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer" --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/est.json"
    run --separate-stderr "$TW" gegravity "$TWB" --coef-json "$BATS_TEST_TMPDIR/est.json" \
        --baseline fitted --shock INTL_BRDR=0 --reference ZZZ --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/a.json"
    run --separate-stderr "$TW" gegravity "$TWB" --baseline fitted --shock INTL_BRDR=0 \
        --estimate "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer" --reference ZZZ --json
    [ "$status" -eq 0 ]
    echo "$output" > "$BATS_TEST_TMPDIR/b.json"
    python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert len(a["countries"]) == 69
for ca, cb in zip(a["countries"], b["countries"]):
    assert ca["price_pct"] > -100 and ca["real_gdp_pct"] > 0, ca
    for k in ca:
        if k != "country":
            assert abs(ca[k] - cb[k]) < 1e-6 * (1 + abs(cb[k])), (k, ca[k], cb[k])
' "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
}
