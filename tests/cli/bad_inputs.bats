#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/bad_inputs.bats: runs every case of the bad-input corpus tests/bad-inputs/.
#
# A case is a directory tests/bad-inputs/<kind>-<what>/ holding (docs/testing.md, "Bad-input
# corpus"):
#   cmd     the tradewar arguments, one per line; @CASE@ is the case directory (a scratch copy,
#           see below) and @TINY@ tests/data/tiny-world;
#   expect  `exit N` (the expected exit code) and `error TEXT` (a substring of the message);
#           lines starting with '#' are comments;
#   world/  optional: a world bundle made of tests/data/tiny-world with these files replacing
#           the fixture's ones (the runner copies the missing files in);
#   setup   optional: bash run in the scratch copy (after world/ is completed) to make what
#           should not be committed: huge files, symlink loops, a directory where a file is
#           expected, a removed file. $TINY is set.
#   other input files, referred to from cmd as @CASE@/<file>.
# Each case runs on a scratch copy in $BATS_TEST_TMPDIR, so nothing is written to the source
# tree, under `timeout 20` (a timeout fails the case). A case passes when:
#   - the exit code is the expected one, nonzero, and listed in docs/cli.md's exit-code table;
#   - stdout is empty (no result printed) and stderr is one line "tradewar: error: ..." holding
#     TEXT; except for `world check`, whose documented output is the problem list on stdout
#     ("error: ..." / "warning: ..." lines then "DIR: N errors, M warnings") with an empty
#     stderr: TEXT must then appear in an "error: " line.
# The cases are grouped into one bats test per kind (cli, scenario, tariff, world, panel); a failing
# test names every failing case and why.

load common

CORPUS="$TW_SRC/tests/bad-inputs"

# Exit codes of the table in docs/cli.md, section "Exit codes" (0 excluded: a bad input must
# fail).
documented_codes() {
    awk '/^## Exit codes/ { on = 1; next } /^## / { on = 0 }
         on && /^\| [0-9]+ \|/ { gsub(/[| ]/, "", $2); if ($2 != "0") print $2 }' \
        FS='|' "$TW_SRC/docs/cli.md"
}

# Run one case; prints nothing and returns 0 when it passes, else prints why and returns 1.
run_case() {
    local src="$1" name tmp
    name=$(basename "$src")
    tmp="$BATS_TEST_TMPDIR/$name"
    cp -r "$src" "$tmp"
    # git keeps no empty directories: a case whose world/ only gets files from its setup script
    # has no world/ in a fresh clone, so make it when cmd or setup refers to it.
    if [ ! -d "$tmp/world" ] && grep -qs "world" "$tmp/cmd" "$tmp/setup"; then
        mkdir -p "$tmp/world"
    fi
    if [ -d "$tmp/world" ]; then
        local f
        for f in "$TINY"/*.csv; do
            [ -e "$tmp/world/$(basename "$f")" ] || cp "$f" "$tmp/world/"
        done
    fi
    if [ -f "$tmp/setup" ]; then
        (cd "$tmp" && TINY="$TINY" bash ./setup) || { echo "$name: setup failed"; return 1; }
    fi
    local want_exit="" want_text="" key rest
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '#'* | '') continue ;; esac
        key=${line%% *}
        rest=${line#* }
        case "$key" in
        exit) want_exit=$rest ;;
        error) want_text=$rest ;;
        *) echo "$name: expect: unknown line '$line'"; return 1 ;;
        esac
    done <"$tmp/expect"
    [ -n "$want_exit" ] && [ -n "$want_text" ] ||
        { echo "$name: expect needs 'exit N' and 'error TEXT'"; return 1; }
    local -a args=()
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line//@CASE@/$tmp}
        args+=("${line//@TINY@/$TINY}")
    done <"$tmp/cmd"
    local out="$tmp.stdout" err="$tmp.stderr" code=0
    (cd "$tmp" && timeout 20 "$TW" "${args[@]}" >"$out" 2>"$err" </dev/null) || code=$?
    local why=()
    [ "$code" -ne 124 ] || why+=("timed out after 20 s")
    [ "$code" -eq "$want_exit" ] || why+=("exit $code, expected $want_exit")
    [ "$code" -ne 0 ] || why+=("exit 0 on a bad input")
    grep -qx -- "$code" <<<"$DOCUMENTED" || why+=("exit $code is not in docs/cli.md")
    if [ "${args[0]:-}" = world ] && [ "${args[1]:-}" = check ]; then
        [ ! -s "$err" ] || why+=("stderr not empty: $(head -c 300 "$err")")
        local n_lines n_problems
        n_lines=$(wc -l <"$out")
        n_problems=$(grep -c -E '^(error|warning): ' "$out" || true)
        [ "$n_problems" -eq $((n_lines - 1)) ] && [ "$n_lines" -ge 2 ] ||
            why+=("stdout is not the problem list format")
        tail -n 1 "$out" | grep -q -E ': [0-9]+ errors?, [0-9]+ warnings?$' ||
            why+=("no count line at the end of stdout")
        grep '^error: ' "$out" | grep -qF -- "$want_text" ||
            why+=("no error line holds '$want_text'")
    else
        [ ! -s "$out" ] || why+=("stdout not empty: $(head -c 300 "$out")")
        [ "$(wc -l <"$err")" -eq 1 ] || why+=("stderr is $(wc -l <"$err") lines, expected 1")
        head -n 1 "$err" | grep -q '^tradewar: error: ' ||
            why+=("stderr does not start with 'tradewar: error: '")
        grep -qF -- "$want_text" "$err" || why+=("stderr lacks '$want_text'")
    fi
    if [ "${#why[@]}" -gt 0 ]; then
        local w
        for w in "${why[@]}"; do echo "$name: $w"; done
        echo "$name: stderr was: $(head -c 500 "$err")"
        return 1
    fi
}

# Run every case whose name starts with "$1-"; fail listing each failing case.
run_kind() {
    DOCUMENTED=$(documented_codes)
    [ -n "$DOCUMENTED" ] || { echo "no exit codes found in docs/cli.md"; return 1; }
    local d n=0 failed=0
    for d in "$CORPUS/$1"-*/; do
        d=${d%/}
        n=$((n + 1))
        run_case "$d" || failed=$((failed + 1))
    done
    echo "$1: $n cases, $failed failed"
    [ "$n" -gt 0 ] && [ "$failed" -eq 0 ]
}

@test "corpus: at least 60 cases, each with cmd and expect, under 1 MB in all" {
    local n=0 d
    for d in "$CORPUS"/*/; do
        [ -f "$d/cmd" ] && [ -f "$d/expect" ] || { echo "incomplete case $d"; return 1; }
        n=$((n + 1))
    done
    echo "$n cases"
    [ "$n" -ge 60 ]
    local kb
    kb=$(find "$CORPUS" -type f -printf "%s\n" | awk "{ s += \$1 } END { print int(s / 1024) }")
    [ "$kb" -lt 1024 ]
    # every case belongs to a kind that a test below runs
    for d in "$CORPUS"/*/; do
        case "$(basename "$d")" in cli-* | scenario-* | tariff-* | world-* | panel-*) ;;
        *) echo "case of unknown kind: $d"; return 1 ;;
        esac
    done
}

@test "bad command lines fail with a usage or data error" {
    run_kind cli
}

@test "bad world bundles fail with one error line (or world check's list)" {
    run_kind world
}

@test "bad scenario files fail with one error line" {
    run_kind scenario
}

@test "bad tariff CSVs for simulate fail with one error line" {
    run_kind tariff
}

@test "bad data panels and formulas for estimate fail with one error line" {
    run_kind panel
}
