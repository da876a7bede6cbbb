#!/usr/bin/env bash
# Check that the committed generated file src/io/default_world_data.c is exactly what
# tools/gen_default_world.c writes from the committed bundle data/default-world (STYLE.md
# section 13: no generated file without a CI check). Builds the generator in $BUILD_DIR
# (default build/, configured with the release preset and $CMAKE_ARGS if not configured yet),
# regenerates into a temporary file and diffs it against the committed file.
# Exit 0 when identical, 1 when different (the diff is printed), 2 when the generator cannot
# be built or run.
#
# To update after changing the importer (src/io/import_default2017.c) or the bundle:
#   rm -rf data/default-world && build/tradewar world import default2017 ../shared/data data/default-world
#   build/tw_gen_default_world generate data/default-world src/io/default_world_data.c
# Bootstrapping: the generator never calls tw_world_default, so it links even when
# src/io/default_world_data.c is absent; if the committed file does not compile, delete it,
# build the target tw_gen_default_world and regenerate.
set -u
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
if [[ ! -f $build/CMakeCache.txt ]]; then
  # shellcheck disable=SC2086  # CMAKE_ARGS is a list of arguments
  cmake --preset release ${CMAKE_ARGS:-} >/dev/null || { echo "generated: cannot configure $build" >&2; exit 2; }
fi
cmake --build "$build" --target tw_gen_default_world -j2 >/dev/null ||
  { echo "generated: cannot build tw_gen_default_world in $build" >&2; exit 2; }
tmp=$(mktemp "${TMPDIR:-/tmp}/default_world_data.XXXXXX.c") || exit 2
trap 'rm -f "$tmp"' EXIT
"$build/tw_gen_default_world" generate data/default-world "$tmp" || exit 2
if diff -u src/io/default_world_data.c "$tmp"; then
  echo "generated: src/io/default_world_data.c is current"
  exit 0
fi
echo "generated: src/io/default_world_data.c differs from what the generator writes from" \
     "data/default-world; regenerate it: $build/tw_gen_default_world generate" \
     "data/default-world src/io/default_world_data.c" >&2
exit 1
