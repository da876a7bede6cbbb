#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/docs.bats: every example of docs/cli.md runs and exits as documented.
#
# An example is a line `$ tradewar ...` inside a ```console block. It runs with bash in one
# scratch directory per test file (examples may build on earlier ones, as the import does),
# where `data` links to the shared datasets and `tests` to the repository's tests folder, with
# `tradewar` meaning the binary under test. It must exit 0, or N when the line ends with
# `# exit N`.

load common

# The examples, one per line, without the "$ " prompt.
examples() {
    awk '/^```console/ { inside = 1; next } /^```/ { inside = 0 } inside && /^\$ tradewar / {
        sub(/^\$ /, ""); print }' "$TW_SRC/docs/cli.md"
}

setup_file() {
    local dir="$BATS_FILE_TMPDIR/work"
    mkdir -p "$dir"
    ln -s "$TW_SHARED_DATA" "$dir/data"
    ln -s "$TW_SRC/tests" "$dir/tests"
}

@test "docs/cli.md has examples" {
    [ "$(examples | wc -l)" -ge 5 ]
}

@test "every docs/cli.md example exits as documented" {
    # Without the CP2015 data only the examples that do not use it run (CI requires it).
    local have_data=true
    [ -f "$CP2015/flows.csv" ] || have_data=false
    [ "$have_data" = true ] || [ "${CI:-}" != true ] || need_cp2015
    cd "$BATS_FILE_TMPDIR/work"
    local line expect cmd n_run=0
    while IFS= read -r line; do
        if [ "$have_data" = false ] && [[ "$line" == *cp-world* || "$line" == *data/cp2015* ]]; then
            continue
        fi
        expect=0
        if [[ "$line" =~ \#\ exit\ ([0-9]+)$ ]]; then
            expect=${BASH_REMATCH[1]}
        fi
        cmd="\"\$TW\"${line#tradewar}"
        run bash -c "$cmd" </dev/null
        if [ "$status" -ne "$expect" ]; then
            echo "example: $line"
            echo "exit $status, expected $expect"
            echo "$output"
            return 1
        fi
        n_run=$((n_run + 1))
    done < <(examples)
    [ "$n_run" -ge 5 ]
}
