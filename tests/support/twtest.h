/* SPDX-License-Identifier: MIT */
/*
 * tests/support/twtest.h: helpers shared by the cmocka unit tests: where the data is,
 * temporary directories, small file edits, and diagnostics lookups.
 *
 * Data locations come from the environment that tests/CMakeLists.txt sets for ctest:
 * TW_TEST_DATA (the tests/ directory, fixtures under tests/data/) and TW_SHARED_DATA (the
 * shared datasets). A test that needs the shared data and does not find it is skipped with a
 * message, or fails when CI=true (CI must never skip silently).
 *
 * Every helper that can fail fails the current cmocka test (they are meant to be called from
 * inside a test function). Paths are returned in caller buffers of TWTEST_PATH bytes.
 */
#ifndef TWTEST_H
#define TWTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "tradewar/tradewar.h"

#define TWTEST_PATH 4096

/* tests/data/<rel> (from TW_TEST_DATA) into buf[TWTEST_PATH]; fails the test when unset. */
const char *twtest_data(const char *rel, char *buf);

/* <TW_SHARED_DATA>/<rel> into buf[TWTEST_PATH] when it exists. When it does not: skip the
 * test with a message, or fail it when the environment has CI=true. */
const char *twtest_shared(const char *rel, char *buf);

/* A new empty directory under $TMPDIR (or /tmp) into buf[TWTEST_PATH]. */
const char *twtest_tmpdir(char *buf);

/* cmocka setup/teardown pair for tests that want a scratch directory: setup makes a new
 * twtest_tmpdir and passes its path (a malloc'ed char[TWTEST_PATH]) as *state; teardown
 * removes the tree and frees the path. */
int twtest_tmpdir_setup(void **state);
int twtest_tmpdir_teardown(void **state);

/* A cmocka test entry (struct CMUnitTest) that runs f with that scratch directory. */
#define TWTEST_TMPDIR_TEST(f) \
    cmocka_unit_test_setup_teardown(f, twtest_tmpdir_setup, twtest_tmpdir_teardown)

/* A fresh copy of the fixture directory tests/data/<fixture> at <tmp>/<name>; path in
 * buf[TWTEST_PATH]. */
const char *twtest_copy_fixture(const char *fixture, const char *tmp, const char *name,
                                char *buf);

/* Remove a file or a directory tree; missing paths are fine. */
void twtest_rmtree(const char *path);

/* Copy the regular files of directory src into directory dst (created; must not exist). */
void twtest_copy_dir(const char *src, const char *dst);

/* "<a>/<b>" into buf[TWTEST_PATH]. */
const char *twtest_join(const char *a, const char *b, char *buf);

/* Write `len` bytes (or strlen(text) when len is (size_t)-1) to path, replacing it. */
void twtest_write_file(const char *path, const char *text, size_t len);

/* Whole file as a new NUL-terminated buffer (free with free()); *len may be NULL. */
char *twtest_read_file(const char *path, size_t *len);

/* Replace the first occurrence of `from` by `to` in file path; fails when absent. */
void twtest_replace(const char *path, const char *from, const char *to);

/* Append text to file path. */
void twtest_append(const char *path, const char *text);

bool twtest_exists(const char *path);

/* Number of entries in a directory, "." and ".." excluded. */
size_t twtest_count_entries(const char *dir);

/* Index of the first diagnostic of severity sev whose message contains needle, or -1. */
long twtest_diag_find(const tw_diag *d, tw_severity sev, const char *needle);

/* Fail unless message `got` starts with `want` (debug builds append " [file:line]" to
 * error messages, so tests compare prefixes). */
void twtest_expect_prefix(const char *got, const char *want);

/* Allocation-failure sweeps (tw_fault_alloc_fail_at of core/alloc.h) read
 *     for (long n = 1;; n++) {
 *         tw_fault_alloc_fail_at(n);
 *         st = <call with output obj>;
 *         if (twtest_alloc_done(n, st, obj, err.msg)) { <check and free obj>; break; }
 *         <checks that a failed call changed nothing>
 *     }
 * twtest_alloc_failed: whether the allocation armed by tw_fault_alloc_fail_at(n) failed during
 * the calls since then; disarms the hook (tw_fault_alloc_fail_at(0)) either way. */
bool twtest_alloc_failed(void);

/* One step n of such a sweep, after the call returned st (its output object out, NULL for a
 * call without one; msg: its error message or NULL). When no allocation failed: fails unless
 * st is TW_OK and returns true (the sweep is done). Otherwise fails unless st is TW_ENOMEM and
 * out is NULL, and returns false. Disarms the hook either way. */
bool twtest_alloc_done(long n, tw_status st, const void *out, const char *msg);

/* Print every diagnostic to stderr (for failing tests). */
void twtest_diag_print(const tw_diag *d);

/* Fail unless worlds a and b are the same: codes, names, tradable flags, the name, year,
 * currency and source metadata, and bit-identical flows, tariffs, theta, value-added shares,
 * input-output shares, alpha and deficits. */
void twtest_expect_same_world(const tw_world *a, const tw_world *b);

/* tw_world_synthetic(n_country, n_sector, seed); fails the test unless it returns TW_OK. */
tw_world *twtest_synthetic(size_t n_country, size_t n_sector, unsigned long long seed);

/* tw_shock_new(w) (a zero shock); fails the test unless it returns TW_OK. */
tw_shock *twtest_shock_new(const tw_world *w);

/* tw_simulate(w, sh, deficits, opts); fails the test unless it returns TW_OK. */
tw_result *twtest_simulate(const tw_world *w, const tw_shock *sh, tw_deficits deficits,
                           const tw_solve_opts *opts);

/* Index of region (sector) `code` in w; fails the test when there is none. */
size_t twtest_country(const tw_world *w, const char *code);
size_t twtest_sector(const tw_world *w, const char *code);

/* A new buffer holding head, n copies of unit, then tail, NUL-terminated (free with free());
 * its length without the NUL in *len unless len is NULL. */
char *twtest_repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len);

#endif
