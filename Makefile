# Convenience wrapper around CMake presets. `make` builds the release library and build/tradewar.
.PHONY: all deps run check test asan bench clean format

# Extra CMake arguments, e.g. CMAKE_ARGS=-DTW_WERROR=ON (what CI uses).
CMAKE_ARGS ?=

all:
	@cmake --preset release $(CMAKE_ARGS) >/dev/null
	@cmake --build build -j2

deps:
	@scripts/install-deps.sh

# Build, then run the main job.
run: deps all
	@scripts/main-job.sh

# Build and run every test (release build).
check: deps all
	@cd build && ctest --output-on-failure

test: all
	@cd build && ctest --output-on-failure

asan:
	@cmake --preset asan $(CMAKE_ARGS) >/dev/null
	@cmake --build build-asan -j2
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 ctest --output-on-failure

bench: all
	@build/tw_bench

format:
	@clang-format -i include/tradewar/*.h src/*/*.c src/*/*.h tests/*/*.c bench/*.c

clean:
	rm -rf build build-dev build-asan build-cov
