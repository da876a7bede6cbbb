# SPDX-License-Identifier: MIT
# tests/cli/common.bash: shared setup of the CLI tests (loaded by every tests/cli/*.bats).
#
# ctest sets TW (the tradewar binary), TW_SHARED_DATA (the shared datasets) and TW_SRC (the
# repository root); the defaults below let `bats tests/cli` run from a release build too.

: "${TW_SRC:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${TW:=$TW_SRC/build/tradewar}"
: "${TW_SHARED_DATA:=$TW_SRC/../shared/data}"
export TW TW_SRC TW_SHARED_DATA

bats_require_minimum_version 1.5.0

TINY="$TW_SRC/tests/data/tiny-world"
CP2015="$TW_SHARED_DATA/cp2015"
NAFTA="$CP2015/tariffs_nafta_counterfactual.csv"

# Skip the test when the CP2015 source data are absent, except in CI where that is a failure.
need_cp2015() {
    if [ ! -f "$CP2015/flows.csv" ]; then
        if [ "${CI:-}" = true ]; then
            echo "CP2015 data missing in $CP2015 (required when CI=true)" >&2
            return 1
        fi
        skip "CP2015 data not found in $CP2015"
    fi
}

# Import the CP2015 world once per test file into $BATS_FILE_TMPDIR/cp-world; prints its path.
cp_world() {
    local dir="$BATS_FILE_TMPDIR/cp-world"
    if [ ! -d "$dir" ]; then
        "$TW" --quiet world import cp2015 "$CP2015" "$dir" >/dev/null || return 1
    fi
    echo "$dir"
}

# Field `col` (1-based, whitespace-separated) of the table row whose first field is `code`.
table_cell() {
    awk -v code="$1" -v col="$2" '$1 == code { print $col; exit }'
}
