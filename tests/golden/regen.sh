#!/usr/bin/env bash
# Regenerate the expected files of a FROZEN golden case from the current build.
# Run by hand, never in CI; review the diff (git diff tests/golden/CASE) before committing.
# Usage: tests/golden/regen.sh CASE   (validated cases are refused: their numbers are published)
set -euo pipefail
case_dir="$(cd "$(dirname "$0")" && pwd)/${1:?usage: regen.sh CASE}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${TW_SHARED_DATA:-$root/../shared/data}"
grep -q 'Status: frozen' "$case_dir/README.md" || { echo "regen: $1 is not a frozen case" >&2; exit 1; }
val() { awk -F, -v k="$1" '$1==k {print $2}' "$case_dir/case.csv"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$root/build/tradewar" world import "$(val importer)" "$shared/$(val source)" "$tmp/world" >/dev/null
scen=$(val scenario); case "$scen" in shared:*) scen="$shared/${scen#shared:}";; *) scen="$case_dir/$scen";; esac
"$root/build/tradewar" simulate --world "$tmp/world" --scenario "$scen" --deficits "$(val deficits)" --csv "$tmp/out" >/dev/null
cols=$(head -1 "$case_dir/expected/countries.csv")
python3 - "$tmp/out/countries.csv" "$cols" > "$case_dir/expected/countries.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cols = sys.argv[2].split(",")
print(",".join(cols))
for r in rows:
    print(",".join(r["country" if c == "code" else c] for c in cols))
PY
echo "regenerated $case_dir/expected/countries.csv; review with git diff" >&2
