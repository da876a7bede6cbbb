#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/browser/make-results.sh OUTDIR: write one result JSON of every report kind into OUTDIR
# (run.json, simulate.json, sweep.json, estimate.json, war.json), for tests/cli/report.bats and
# tests/browser/render.sh. Uses only the built-in world and files generated here, so it needs
# no shared data. TW is the tradewar binary, TW_SRC the repository root.
set -euo pipefail
out="$1"
: "${TW_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TW:=$TW_SRC/build/tradewar}"
mkdir -p "$out"
"$TW" --quiet run us-china-2018-2019 --json > "$out/run.json"
# simulate: the built-in world exported as a bundle, 25% US-China tariffs on every sector.
rm -rf "$out/world"
"$TW" --quiet world export default "$out/world" > /dev/null
printf 'importer,exporter,sector,rate\nUSA,CHN,*,0.25\nCHN,USA,*,0.25\n' > "$out/tariffs.csv"
"$TW" --quiet simulate --world "$out/world" --scenario "$out/tariffs.csv" --json > "$out/simulate.json"
"$TW" --quiet sweep --draws 8 --seed 1 --threads 1 --json > "$out/sweep.json"
# estimate: a gravity panel of 8 countries x 2 years generated from a known model
# (distance elasticity -0.9, contiguity 0.4) with multiplicative noise from a fixed seed.
python3 - "$out/panel.csv" <<'PY'
import math, random, sys
random.seed(3)
rows = ["exporter,importer,year,trade,dist,cntg"]
cs = "ABCDEFGH"
for y in (2000, 2005):
    for i, a in enumerate(cs):
        for j, b in enumerate(cs):
            if a == b:
                continue
            d = 1 + abs(i - j) * 1.7 + ((i * j) % 3)
            c = 1 if abs(i - j) == 1 else 0
            mu = math.exp(3 + 0.1 * i - 0.05 * j - 0.9 * math.log(d) + 0.4 * c + 0.1 * (y == 2005))
            rows.append(f"{a},{b},{y},{mu * math.exp(random.gauss(0, 0.3)):.6g},{d},{c}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$TW" --quiet estimate "$out/panel.csv" "trade ~ log(dist) + cntg | exporter^year + importer^year" \
    --json > "$out/estimate.json"
# war: a real US-China tariff war on the built-in world (each taxes only the other).
"$TW" --quiet war --world default --players USA,CHN --against players --uniform --json \
    > "$out/war.json"
# deal: the Phase One analysis on the built-in world.
"$TW" --quiet deal phase-one-2020 --json > "$out/deal.json"
