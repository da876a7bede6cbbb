#!/usr/bin/env bash
# The main job: the 2018-2019 US-China trade war on the built-in world (tradewar with no
# arguments = tradewar run us-china-2018-2019). Run from the repository root so that the
# comparison with published estimates finds ../shared/data (or set TW_SHARED_DATA).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
exec "$root/build/tradewar" "$@"
