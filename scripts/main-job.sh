#!/usr/bin/env bash
# The main job. Until the built-in US-China world lands (issue 3), this reproduces the
# foundation's headline: Caliendo-Parro (2015) Table 2, the NAFTA tariff changes on the 1993
# world, from the shared data (../shared/data/cp2015).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${TW_SHARED_DATA:-$root/../shared/data}"
world="$root/build/cp-world"
if [ ! -d "$world" ]; then
  "$root/build/tradewar" world import cp2015 "$shared/cp2015" "$world"
fi
exec "$root/build/tradewar" simulate --world "$world" \
  --scenario "$shared/cp2015/tariffs_nafta_counterfactual.csv" --deficits zero
