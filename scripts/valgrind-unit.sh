#!/usr/bin/env bash
# valgrind memcheck on the unit tests of the release build (STYLE.md section 11, job 4).
# Fails (exit 1) on any memory error or definite leak. Usage: scripts/valgrind-unit.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
# The big-world solves (test_import_big) take minutes under valgrind; their imports still run.
# TW_TEST_QUICK=1: tests skip their long solves on real data (test_game: Ossa's and
# Lashkaripour's games, the US-China war; test_scale: the million-cell solves), which the
# release and ASan runs cover.
export TW_SHARED_DATA="${TW_SHARED_DATA:-$root/../shared/data}" TW_TEST_DATA="$root/tests" TW_TEST_BIG_SOLVE=0 TW_TEST_QUICK=1
rc=0
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
       "$t" > "/tmp/valgrind-$name.log" 2>&1; then
    echo "valgrind: $name ok"
  else
    code=$?
    # 77 = skipped (missing shared data outside CI); anything else is a failure.
    if [ $code -eq 77 ]; then echo "valgrind: $name skipped"; continue; fi
    echo "valgrind: $name FAILED (exit $code), log /tmp/valgrind-$name.log"; tail -20 "/tmp/valgrind-$name.log"; rc=1
  fi
done
exit $rc
