#!/usr/bin/env bash
# Install the Debian packages tradewar needs to build and test, when any is missing.
# Runs as root on Debian 12 (uses sudo otherwise). Idempotent and quiet when all are present.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libcsv-dev libjansson-dev liblapacke-dev libopenblas-dev libfyaml-dev libnlopt-dev
      libcmocka-dev bats zlib1g-dev valgrind python3
      libopenmpi-dev openmpi-bin libomp-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
