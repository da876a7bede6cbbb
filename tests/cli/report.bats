#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/report.bats: `tradewar report`, `tradewar figure` and --report on run, simulate and
# estimate, without a browser (tests/browser/render.sh renders the pages in Chromium).

load common

setup_file() {
    export RES="$BATS_FILE_TMPDIR/results"
    "$TW_SRC/tests/browser/make-results.sh" "$RES"
}

# Checks shared by every page: one file, nothing fetched, the data block and the libraries.
check_page() {
    python3 - "$1" "$2" <<'PY'
import json, re, sys
page, kind = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
assert page.startswith("<!DOCTYPE html>"), "not an HTML page"
assert "default-src 'none'" in page, "no Content-Security-Policy"
# No external resource in the markup (script bodies removed): no src=, no <link>.
markup = re.sub(r"(<script\b[^>]*>).*?</script>", r"\1</script>", page, flags=re.S)
assert not re.search(r'<(script|img|iframe|embed|object|source)[^>]*\bsrc=', markup), "external src"
assert "<link" not in markup, "a <link> element"
data = re.search(r'<script id="tw-data" type="application/json">(.*?)</script>', page, re.S)
doc = json.loads(data.group(1))
assert doc["kind"] == kind, doc["kind"]
assert doc["headline"] and doc["sections"] and doc["provenance"]
for s in doc["sections"]:
    assert s["rows"], s["id"]
    fields = {c["field"] for c in s["columns"]}
    assert fields <= set(s["rows"][0]), (s["id"], fields - set(s["rows"][0]))
# The three libraries are inlined (their UMD globals) with their BSD-3 licences.
for g in ("vega={}", "vegaLite={}", "vegaEmbed="):
    assert g in page, g
assert page.count("Redistribution and use in source and binary forms") >= 3
keys = [p["key"] for p in doc["provenance"]]
for k in ("result kind", "result written by", "report written by", "report date"):
    assert k in keys, k
print(len(page), [s["id"] for s in doc["sections"]])
PY
}

@test "report: a page for each kind, with the expected sections" {
    for kind in run simulate sweep estimate war deal; do
        run "$TW" report "$RES/$kind.json" -o "$BATS_TEST_TMPDIR/$kind.html"
        [ "$status" -eq 0 ]
        [ -z "$output" ]
        run check_page "$BATS_TEST_TMPDIR/$kind.html" "$kind"
        echo "$kind: $output"
        [ "$status" -eq 0 ]
        case $kind in
            run) [[ "$output" == *"['welfare', 'timeline', 'trade']"* ]] ;;
            simulate) [[ "$output" == *"['welfare', 'trade', 'sectors']"* ]] ;;
            sweep) [[ "$output" == *"['welfare', 'bands']"* ]] ;;
            estimate) [[ "$output" == *"['coefficients']"* ]] ;;
            war) [[ "$output" == *"['tariffs', 'game_welfare']"* ]] ;;
            deal) [[ "$output" == *"['deal_value']"* ]] ;;
        esac
    done
}

@test "report: the numbers of the page are the result's" {
    "$TW" report "$RES/run.json" -o "$BATS_TEST_TMPDIR/run.html"
    python3 - "$RES/run.json" "$BATS_TEST_TMPDIR/run.html" <<'PY'
import json, re, sys
res = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
doc = json.loads(re.search(r'<script id="tw-data" type="application/json">(.*?)</script>', page, re.S).group(1))
sec = {s["id"]: s for s in doc["sections"]}
w = {r["code"]: r for r in sec["welfare"]["rows"]}
for c in res["countries"]:
    assert w[c["code"]]["welfare_pct"] == c["real_income_pct"]
    assert w[c["code"]]["welfare_usd_bn"] == c["real_income_usd_bn"]
    assert w[c["code"]]["outcome"] == ("loses" if c["real_income_pct"] < 0 else "gains")
# The last point of the cumulative cost is each country's cumulative_usd_bn.
t = sec["timeline"]["rows"]
n = len(res["countries"])
assert len(t) == n * (len(res["waves"]) + 1)
for k, c in enumerate(res["countries"]):
    assert abs(t[-n + k]["cumulative_usd_bn"] - c["cumulative_usd_bn"]) <= 1e-12 * max(1, abs(c["cumulative_usd_bn"]))
    assert t[k]["cumulative_usd_bn"] == 0
assert len(sec["trade"]["rows"]) == n * (n - 1)
# The static table shows the same numbers (3 decimals).
usa = [c for c in res["countries"] if c["code"] == "USA"][0]
assert ">%.3f</td>" % usa["real_income_pct"] in page
PY
}

@test "run --report and simulate --report write the page and keep their normal output" {
    run --separate-stderr "$TW" run us-china-2018-2019 --report "$BATS_TEST_TMPDIR/r.html"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Cost of the war"* ]]
    check_page "$BATS_TEST_TMPDIR/r.html" run
    # Provenance: the built-in scenario and the SHA-256 of its text (scenarios/*.yaml).
    sha=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' \
        "$TW_SRC/scenarios/us-china-2018-2019.yaml")
    grep -q "scenario file</dt><dd>library:us-china-2018-2019<" "$BATS_TEST_TMPDIR/r.html"
    grep -q "scenario SHA-256</dt><dd>$sha<" "$BATS_TEST_TMPDIR/r.html"
    run --separate-stderr "$TW" simulate --world "$RES/world" --scenario "$RES/tariffs.csv" \
        --report "$BATS_TEST_TMPDIR/s.html"
    [ "$status" -eq 0 ]
    [[ "$output" == *"welfare"* ]]
    check_page "$BATS_TEST_TMPDIR/s.html" simulate
    sha=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' \
        "$RES/tariffs.csv")
    grep -q "scenario SHA-256</dt><dd>$sha<" "$BATS_TEST_TMPDIR/s.html"
    run --separate-stderr "$TW" estimate "$RES/panel.csv" "trade ~ log(dist) + cntg | exporter^year + importer^year" \
        --report "$BATS_TEST_TMPDIR/e.html"
    [ "$status" -eq 0 ]
    check_page "$BATS_TEST_TMPDIR/e.html" estimate
}

@test "figure: SVG, PNG and PDF of every chart a run has; tariffs from a game" {
    for chart in welfare timeline trade; do
        for ext in svg png pdf; do
            f="$BATS_TEST_TMPDIR/$chart.$ext"
            run "$TW" figure "$RES/run.json" --chart "$chart" -o "$f"
            [ "$status" -eq 0 ]
        done
        python3 - "$BATS_TEST_TMPDIR/$chart" <<'PY'
import struct, sys, xml.etree.ElementTree as ET
base = sys.argv[1]
root = ET.parse(base + ".svg").getroot()
assert root.tag.endswith("svg"), root.tag
assert float(root.get("width").rstrip("pt")) > 100
assert len(list(root.iter())) > 20, "almost empty SVG"
png = open(base + ".png", "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", png[16:24])
assert w >= 1200 and h >= 600, (w, h)      # 300 dpi: at least 4 x 2 inches
pdf = open(base + ".pdf", "rb").read()
assert pdf.startswith(b"%PDF-1.") and b"%%EOF" in pdf[-64:], pdf[:8]
PY
    done
    run "$TW" figure "$TW_SRC/tests/data/reports/game-war.json" --chart tariffs -o "$BATS_TEST_TMPDIR/t.png"
    [ "$status" -eq 0 ]
    run "$TW" figure "$RES/simulate.json" --chart welfare -o "$BATS_TEST_TMPDIR/sw.svg"
    [ "$status" -eq 0 ]
}

@test "report and figure: bad inputs fail with one clear error and write nothing" {
    out="$BATS_TEST_TMPDIR/x.html"
    printf '{"kind": "run", "countries": [1,\n  }' > "$BATS_TEST_TMPDIR/bad.json"
    run --separate-stderr "$TW" report "$BATS_TEST_TMPDIR/bad.json" -o "$out"
    [ "$status" -eq 2 ]
    [[ "$stderr" == *"bad.json:2:"* ]]
    [ ! -e "$out" ]
    printf '{"kind": "nonsense"}' > "$BATS_TEST_TMPDIR/k.json"
    run --separate-stderr "$TW" report "$BATS_TEST_TMPDIR/k.json" -o "$out"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *'unknown result kind "nonsense"'* ]]
    [ ! -e "$out" ]
    run --separate-stderr "$TW" report "$BATS_TEST_TMPDIR/missing.json" -o "$out"
    [ "$status" -eq 2 ]
    run --separate-stderr "$TW" report "$RES/run.json"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"-o FILE is required"* ]]
    run --separate-stderr "$TW" figure "$RES/run.json" --chart tariffs -o "$BATS_TEST_TMPDIR/f.png"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"a run result has no tariffs chart"* ]]
    [ ! -e "$BATS_TEST_TMPDIR/f.png" ]
    run --separate-stderr "$TW" figure "$RES/run.json" --chart welfare -o "$BATS_TEST_TMPDIR/f.gif"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *"expected a name ending in .svg, .png or .pdf"* ]]
    run --separate-stderr "$TW" figure "$RES/run.json" --chart pie -o "$BATS_TEST_TMPDIR/f.png"
    [ "$status" -ne 0 ]
    [[ "$stderr" == *'unknown chart "pie"'* ]]
    # An unwritable destination leaves no temporary file behind.
    run --separate-stderr "$TW" report "$RES/run.json" -o "$BATS_TEST_TMPDIR/no/such/dir/x.html"
    [ "$status" -eq 2 ]
}

@test "report reads JSON on standard input and replaces an existing report whole" {
    echo old > "$BATS_TEST_TMPDIR/r.html"
    run bash -c '"$TW" report - -o "$1" < "$2"' _ "$BATS_TEST_TMPDIR/r.html" "$RES/sweep.json"
    [ "$status" -eq 0 ]
    check_page "$BATS_TEST_TMPDIR/r.html" sweep
    [ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep '\.tmp\.')" ]
}
