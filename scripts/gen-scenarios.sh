#!/usr/bin/env bash
# Regenerate the US-China scenarios of the library (scenarios/*.yaml) from the shared data with
# tradewar's own derivation (tradewar derive uschina), and the 2025-2026 US tariff regime
# (tradewar derive us2025). Usage: scripts/gen-scenarios.sh [--check]
# --check: regenerate into a temporary folder and fail (exit 1) if a committed file differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${TW_SHARED_DATA:-$root/../shared/data}"
tw="$root/build/tradewar"
[ -x "$tw" ] || { echo "gen-scenarios: build first (make)" >&2; exit 2; }
if [ ! -d "$shared/uschina" ]; then
  if [ "${CI:-}" = true ]; then echo "gen-scenarios: $shared/uschina missing" >&2; exit 1; fi
  echo "gen-scenarios: SKIP: $shared/uschina not found" >&2; exit 0
fi
out="$root/scenarios"
[ "${1:-}" = "--check" ] && out=$(mktemp -d)
for name in us-china-2018-2019 phase-one-2020 escalation-2019-planned; do
  "$tw" derive uschina "$shared" --scenario "$name" > "$out/$name.yaml.tmp"
  mv "$out/$name.yaml.tmp" "$out/$name.yaml"
done
generated="us-china-2018-2019 phase-one-2020 escalation-2019-planned"
if [ -d "$shared/us2025" ] && [ -d "$shared/icio_2017_trade_tariffs/full" ]; then
  "$tw" derive us2025 "$shared" > "$out/us-2025-2026.yaml.tmp"
  mv "$out/us-2025-2026.yaml.tmp" "$out/us-2025-2026.yaml"
  generated="$generated us-2025-2026"
elif [ "${CI:-}" = true ]; then
  echo "gen-scenarios: $shared/us2025 or $shared/icio_2017_trade_tariffs/full missing" >&2; exit 1
else
  echo "gen-scenarios: SKIP us-2025-2026: $shared/us2025 or icio_2017_trade_tariffs/full not found" >&2
fi
if [ "${1:-}" = "--check" ]; then
  rc=0
  for name in $generated; do
    # The data path in the first comment line may differ between machines.
    if ! diff <(sed 1,4d "$root/scenarios/$name.yaml") <(sed 1,4d "$out/$name.yaml") >/dev/null; then
      echo "gen-scenarios: scenarios/$name.yaml is stale: run scripts/gen-scenarios.sh" >&2; rc=1
    fi
  done
  rm -rf "$out"
  [ $rc -eq 0 ] && echo "gen-scenarios: scenarios are current"
  exit $rc
fi
