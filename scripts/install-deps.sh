#!/usr/bin/env bash
# Install the Debian packages tradewar needs to build and test, when any is missing.
# Runs as root on Debian 12 (uses sudo otherwise). Idempotent and quiet when all are present.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libcsv-dev libjansson-dev liblapacke-dev libopenblas-dev libfyaml-dev libnlopt-dev
      libcmocka-dev bats zlib1g-dev valgrind python3
      libopenmpi-dev openmpi-bin libomp-dev
      libcairo2-dev fonts-dejavu-core chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm (Debian's nodejs/npm) only fetch the pinned chart libraries below; a Node from
# another source is kept when npm is already on PATH.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# HTML reports: vega, vega-lite and vega-embed at the versions of package-lock.json, inlined
# into the binary at build time (docs/reports.md). `npm ci` runs only when node_modules/ is
# missing or older than the lock file; no install scripts are run.
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$root/node_modules/.package-lock.json" ] ||
   [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  echo "npm ci: vega chart libraries for HTML reports" >&2
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
