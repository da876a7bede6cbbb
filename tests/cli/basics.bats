#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# tests/cli/basics.bats: global options, help texts and usage errors of the tradewar command.

load common

@test "--version prints the version and exits 0" {
    run "$TW" --version
    [ "$status" -eq 0 ]
    [[ "$output" =~ ^tradewar\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "-V is --version" {
    run "$TW" -V
    [ "$status" -eq 0 ]
    [[ "$output" == tradewar\ * ]]
}

@test "--help lists the commands and the exit codes" {
    run "$TW" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: tradewar"* ]]
    for word in "world check" "world summary" "world import" simulate help \
                "Exit codes" "usage error" "not converge"; do
        [[ "$output" == *"$word"* ]] || { echo "missing: $word"; return 1; }
    done
}

@test "no arguments runs the main job: the US-China timeline on the built-in world" {
    run --separate-stderr "$TW"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Cost of the war"* ]]
    [[ "$output" == *"CHN"* ]]
    [[ "$output" == *"USA"* ]]
    [[ "$output" == *"World"* ]]
}

@test "help COMMAND and COMMAND --help print the same text" {
    for cmd in simulate run compare scenarios "world" "world check" "world summary" \
               "world import" "world export"; do
        run "$TW" help $cmd
        [ "$status" -eq 0 ]
        local a="$output"
        run "$TW" $cmd --help
        [ "$status" -eq 0 ]
        [ "$a" = "$output" ] || { echo "differs: $cmd"; return 1; }
    done
}

@test "simulate help lists every option with its default and the exit codes" {
    run "$TW" help simulate
    [ "$status" -eq 0 ]
    for opt in --world --scenario --deficits --json --csv --tol --max-iter --damping \
               --strict --quiet "default 1e-12" "default 1000" "default 0.5" "(default)" \
               "Exit codes"; do
        [[ "$output" == *"$opt"* ]] || { echo "missing: $opt"; return 1; }
    done
}

@test "world import help lists the importers" {
    run "$TW" help world import
    [ "$status" -eq 0 ]
    [[ "$output" == *"cp2015"* ]]
}

@test "an unknown command is a usage error" {
    run --separate-stderr "$TW" frobnicate
    [ "$status" -eq 1 ]
    [[ "$stderr" == "tradewar: error: unknown command 'frobnicate'"* ]]
}

@test "an unknown global option is a usage error" {
    run --separate-stderr "$TW" --frobnicate
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"tradewar: error: unknown option '--frobnicate'"* ]]
}

@test "help on an unknown command is a usage error" {
    run --separate-stderr "$TW" help frobnicate
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"unknown command"* ]]
}

@test "world without a subcommand, or with an unknown one, is a usage error" {
    run --separate-stderr "$TW" world
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"world needs a command"* ]]
    run --separate-stderr "$TW" world frob
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"unknown world command 'frob'"* ]]
}

@test "wrong number of operands is a usage error" {
    run --separate-stderr "$TW" world check
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"world check takes DIR, got 0 arguments"* ]]
    run --separate-stderr "$TW" world import cp2015 a
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"takes SOURCE SRC_DIR OUT_DIR"* ]]
}

@test "simulate without --world or --scenario is a usage error" {
    run --separate-stderr "$TW" simulate --scenario x.csv
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--world DIR is required"* ]]
    run --separate-stderr "$TW" simulate --world x
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--scenario FILE is required"* ]]
}

@test "bad option values are usage errors with a clear message" {
    local base=(simulate --world w --scenario s.csv)
    while IFS='|' read -r opt value expect; do
        run --separate-stderr "$TW" "${base[@]}" "$opt" "$value"
        [ "$status" -eq 1 ] || { echo "$opt $value: status $status"; return 1; }
        [[ "$stderr" == *"$expect"* ]] || { echo "$opt $value: $stderr"; return 1; }
    done <<'CASES'
--tol|0|--tol expects a number in (0, 1), got '0'
--tol|1|--tol expects a number in (0, 1)
--tol|abc|--tol expects a number in (0, 1), got 'abc'
--tol|1e-9x|got '1e-9x'
--tol|nan|got 'nan'
--max-iter|0|--max-iter expects a whole number >= 1, got '0'
--max-iter|1.5|got '1.5'
--max-iter|-3|got '-3'
--damping|0|--damping expects a number in (0, 1], got '0'
--damping|2|--damping expects a number in (0, 1]
--deficits|none|--deficits expects 'data' or 'zero', got 'none'
CASES
}

@test "an option without its value is a usage error" {
    run --separate-stderr "$TW" simulate --world w --scenario s.csv --tol
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"option '--tol' needs a value"* ]]
}

@test "an unknown subcommand option is a usage error naming the help" {
    run --separate-stderr "$TW" simulate --frob
    [ "$status" -eq 1 ]
    [[ "$stderr" == "tradewar: error: unknown option '--frob' (see 'tradewar help simulate')" ]]
    run --separate-stderr "$TW" world summary d --top x
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"--top expects a whole number >= 0, got 'x'"* ]]
    run --separate-stderr "$TW" world check d --top 3
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"unknown option '--top'"* ]]
}

@test "errors are printed once" {
    run --separate-stderr "$TW" simulate --tol 0 --world w --scenario s
    [ "$status" -eq 1 ]
    [ "$(grep -c 'tradewar: error:' <<<"$stderr")" -eq 1 ]
}
