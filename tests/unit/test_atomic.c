/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_atomic.c: atomic output files and directories (src/io/atomic.h).
 *
 * Checks that a committed file or directory appears whole, with the documented permissions,
 * that an aborted or failed one leaves neither a target nor a temporary behind, that existing
 * targets are refused (directories) or replaced (files), and that allocation failures are
 * clean.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "io/atomic.h"
#include "twtest.h"

/* An atomic file opened for <dir>/<name>. */
struct afile {
    char path[TWTEST_PATH];
    tw_atomic_file *f;
    FILE *fp;
    tw_err err;
};

/* Open a->f for <dir>/<name> (fails the test unless it opens) and write text to it. */
static void open_ok(struct afile *a, const char *dir, const char *name, const char *text)
{
    twtest_join(dir, name, a->path);
    a->f = NULL;
    a->fp = NULL;
    a->err = (tw_err){TW_OK, ""};
    assert_int_equal(tw_atomic_open(a->path, &a->f, &a->fp, &a->err), TW_OK);
    assert_non_null(a->f);
    assert_non_null(a->fp);
    fputs(text, a->fp);
}

/* Neither the target nor a temporary is left in dir. */
static void expect_nothing_left(const char *dir, const char *path)
{
    assert_false(twtest_exists(path));
    assert_int_equal(twtest_count_entries(dir), 0);
}

/* The whole content of path is text. */
static void expect_content(const char *path, const char *text)
{
    char *got = twtest_read_file(path, NULL);
    assert_string_equal(got, text);
    free(got);
}

static void test_commit(void **state)
{
    const char *dir = *state;
    struct afile a;
    open_ok(&a, dir, "out.csv", "a,b\n1,2\n");
    /* Before the commit only the temporary exists, named .out.csv.tmp.XXXXXX. */
    assert_false(twtest_exists(a.path));
    assert_int_equal(twtest_count_entries(dir), 1);
    assert_int_equal(tw_atomic_commit(a.f, &a.err), TW_OK);
    assert_true(twtest_exists(a.path));
    assert_int_equal(twtest_count_entries(dir), 1);
    expect_content(a.path, "a,b\n1,2\n");
    struct stat sb;
    assert_int_equal(stat(a.path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);

    /* An existing file is replaced as a whole. */
    open_ok(&a, dir, "out.csv", "new\n");
    assert_int_equal(tw_atomic_commit(a.f, &a.err), TW_OK);
    expect_content(a.path, "new\n");
    assert_int_equal(twtest_count_entries(dir), 1);
}

static void test_temp_name(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH];
    tw_atomic_file *f = NULL;
    FILE *fp = NULL;
    /* A NULL err is allowed. */
    assert_int_equal(tw_atomic_open(twtest_join(dir, "x.csv", path), &f, &fp, NULL), TW_OK);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    int found = 0;
    while ((de = readdir(dp)) != NULL)
        if (strncmp(de->d_name, ".x.csv.tmp.", 11) == 0 && strlen(de->d_name) == 17)
            found++;
    closedir(dp);
    assert_int_equal(found, 1);
    tw_atomic_abort(f);
}

static void test_abort(void **state)
{
    const char *dir = *state;
    struct afile a;
    open_ok(&a, dir, "gone.csv", "partial");
    tw_atomic_abort(a.f);
    expect_nothing_left(dir, a.path);
    tw_atomic_abort(NULL);
}

/* A write error (the descriptor is gone) makes the commit fail: no target, no temporary. */
static void test_commit_write_error(void **state)
{
    const char *dir = *state;
    struct afile a;
    open_ok(&a, dir, "bad.csv", "data that cannot be flushed\n");
    close(fileno(a.fp));
    assert_int_equal(tw_atomic_commit(a.f, &a.err), TW_EIO);
    assert_int_equal(a.err.code, TW_EIO);
    char want[TWTEST_PATH + 32];
    snprintf(want, sizeof want, "cannot write %s: ", a.path);
    assert_int_equal(strncmp(a.err.msg, want, strlen(want)), 0);
    expect_nothing_left(dir, a.path);
}

/* The stream's error flag alone (an earlier failed write) also fails the commit. */
static void test_commit_stream_error(void **state)
{
    const char *dir = *state;
    struct afile a;
    open_ok(&a, dir, "flag.csv", "x\n");
    fflush(a.fp);
    /* Reading from a write-only stream fails and sets the error flag. */
    (void)fgetc(a.fp);
    assert_true(ferror(a.fp));
    assert_int_equal(tw_atomic_commit(a.f, &a.err), TW_EIO);
    expect_nothing_left(dir, a.path);
}

/* The rename fails (the target is a non-empty directory): no temporary left, target intact. */
static void test_commit_rename_error(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH], inner[TWTEST_PATH];
    twtest_join(dir, "busy", path);
    assert_int_equal(mkdir(path, 0755), 0);
    twtest_write_file(twtest_join(path, "keep", inner), "k", (size_t)-1);
    struct afile a;
    open_ok(&a, dir, "busy", "x\n");
    assert_int_equal(tw_atomic_commit(a.f, &a.err), TW_EIO);
    assert_non_null(strstr(a.err.msg, "cannot rename"));
    assert_int_equal(twtest_count_entries(dir), 1);
    assert_true(twtest_exists(inner));
}

static void test_open_errors(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH];
    tw_atomic_file *f = (tw_atomic_file *)1;
    FILE *fp = (FILE *)1;
    tw_err err = {TW_OK, ""};
    twtest_join(dir, "no/such/dir/x.csv", path);
    assert_int_equal(tw_atomic_open(path, &f, &fp, &err), TW_EIO);
    assert_null(f);
    assert_null(fp);
    assert_non_null(strstr(err.msg, "no/such/dir: No such file or directory"));
    assert_int_equal(tw_atomic_open("", &f, &fp, &err), TW_EINVAL);
    assert_int_equal(tw_atomic_open("dir/", &f, &fp, &err), TW_EINVAL);
    assert_int_equal(tw_atomic_open(NULL, &f, &fp, &err), TW_EINVAL);
    assert_int_equal(tw_atomic_open("x", NULL, &fp, &err), TW_EINVAL);
    assert_int_equal(tw_atomic_commit(NULL, &err), TW_EINVAL);
    assert_int_equal(twtest_count_entries(dir), 0);
}

static void test_dir(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH], file[TWTEST_PATH];
    twtest_join(dir, "bundle", path);
    tw_atomic_dir *d = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_atomic_dir_open(path, &d, &err), TW_OK);
    const char *tmp = tw_atomic_dir_tmp_path(d);
    assert_non_null(strstr(tmp, "/.bundle.tmp."));
    twtest_write_file(twtest_join(tmp, "a.csv", file), "a\n", (size_t)-1);
    assert_false(twtest_exists(path));
    assert_int_equal(tw_atomic_dir_commit(d, &err), TW_OK);
    assert_true(twtest_exists(twtest_join(path, "a.csv", file)));
    assert_int_equal(twtest_count_entries(dir), 1);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0755);

    /* The target exists: refused, nothing created. A trailing slash is the same name. */
    d = (tw_atomic_dir *)1;
    assert_int_equal(tw_atomic_dir_open(path, &d, &err), TW_EINVAL);
    assert_null(d);
    assert_non_null(strstr(err.msg, "bundle: exists, expected a new directory"));
    char slashed[TWTEST_PATH + 2];
    snprintf(slashed, sizeof slashed, "%s//", path);
    assert_int_equal(tw_atomic_dir_open(slashed, &d, &err), TW_EINVAL);
    assert_int_equal(twtest_count_entries(dir), 1);
    assert_int_equal(tw_atomic_dir_open("", &d, &err), TW_EINVAL);
}

static void test_dir_abort_and_race(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH], file[TWTEST_PATH];
    twtest_join(dir, "b2", path);
    tw_atomic_dir *d = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_atomic_dir_open(path, &d, &err), TW_OK);
    twtest_write_file(twtest_join(tw_atomic_dir_tmp_path(d), "x.csv", file), "x", (size_t)-1);
    tw_atomic_dir_abort(d);
    assert_int_equal(twtest_count_entries(dir), 0);
    tw_atomic_dir_abort(NULL);

    /* The target appears between open and commit: the commit refuses and cleans up. */
    assert_int_equal(tw_atomic_dir_open(path, &d, &err), TW_OK);
    twtest_write_file(twtest_join(tw_atomic_dir_tmp_path(d), "x.csv", file), "x", (size_t)-1);
    twtest_write_file(path, "someone else's file", (size_t)-1);
    assert_int_equal(tw_atomic_dir_commit(d, &err), TW_EINVAL);
    assert_int_equal(twtest_count_entries(dir), 1);
    char *text = twtest_read_file(path, NULL);
    assert_string_equal(text, "someone else's file");
    free(text);

    /* The parent does not exist. */
    twtest_join(dir, "missing/b3", path);
    assert_int_equal(tw_atomic_dir_open(path, &d, &err), TW_EIO);
    assert_null(d);
    assert_int_equal(tw_atomic_dir_commit(NULL, &err), TW_EINVAL);
}

static void test_alloc_failures(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH];
    twtest_join(dir, "f.csv", path);
    for (long n = 1;; n++) {
        tw_atomic_file *f = NULL;
        FILE *fp = NULL;
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_atomic_open(path, &f, &fp, &err);
        if (st == TW_OK) {
            fputs("z\n", fp);
            st = tw_atomic_commit(f, &err);
        }
        if (twtest_alloc_done(n, st, NULL, err.msg))
            break;
        assert_false(twtest_exists(path));
        assert_int_equal(twtest_count_entries(dir), 0);
    }
    twtest_rmtree(path);
    twtest_join(dir, "d", path);
    for (long n = 1;; n++) {
        tw_atomic_dir *d = NULL;
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_atomic_dir_open(path, &d, &err);
        if (st == TW_OK)
            st = tw_atomic_dir_commit(d, &err);
        if (twtest_alloc_done(n, st, NULL, err.msg))
            break;
        assert_int_equal(twtest_count_entries(dir), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TWTEST_TMPDIR_TEST(test_commit),
        TWTEST_TMPDIR_TEST(test_temp_name),
        TWTEST_TMPDIR_TEST(test_abort),
        TWTEST_TMPDIR_TEST(test_commit_write_error),
        TWTEST_TMPDIR_TEST(test_commit_stream_error),
        TWTEST_TMPDIR_TEST(test_commit_rename_error),
        TWTEST_TMPDIR_TEST(test_open_errors),
        TWTEST_TMPDIR_TEST(test_dir),
        TWTEST_TMPDIR_TEST(test_dir_abort_and_race),
        TWTEST_TMPDIR_TEST(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
