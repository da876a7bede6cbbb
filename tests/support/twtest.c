/* SPDX-License-Identifier: MIT */
/*
 * tests/support/twtest.c: test helpers (see twtest.h).
 */
#define _XOPEN_SOURCE 700

#include "twtest.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/world.h"

const char *twtest_join(const char *a, const char *b, char *buf)
{
    int n = snprintf(buf, TWTEST_PATH, "%s/%s", a, b);
    if (n < 0 || n >= TWTEST_PATH)
        fail_msg("path too long: %s/%s", a, b);
    return buf;
}

const char *twtest_data(const char *rel, char *buf)
{
    const char *root = getenv("TW_TEST_DATA");
    if (root == NULL || root[0] == '\0')
        fail_msg("TW_TEST_DATA is not set (run the tests through ctest)");
    int n = snprintf(buf, TWTEST_PATH, "%s/data/%s", root, rel);
    if (n < 0 || n >= TWTEST_PATH)
        fail_msg("path too long");
    return buf;
}

const char *twtest_shared(const char *rel, char *buf)
{
    const char *root = getenv("TW_SHARED_DATA");
    const char *ci = getenv("CI");
    bool in_ci = ci != NULL && strcmp(ci, "true") == 0;
    if (root != NULL && root[0] != '\0') {
        twtest_join(root, rel, buf);
        if (twtest_exists(buf))
            return buf;
    }
    if (in_ci)
        fail_msg("shared data %s not found (TW_SHARED_DATA=%s) and CI=true: failing instead "
                 "of skipping", rel, root ? root : "(unset)");
    fprintf(stderr, "SKIP: shared data %s not found (TW_SHARED_DATA=%s); set TW_SHARED_DATA "
            "to the shared data folder to run this test\n", rel, root ? root : "(unset)");
    skip();
    return NULL;
}

const char *twtest_tmpdir(char *buf)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    twtest_join(tmp, "twtest.XXXXXX", buf);
    if (mkdtemp(buf) == NULL)
        fail_msg("mkdtemp %s: %s", buf, strerror(errno));
    return buf;
}

int twtest_tmpdir_setup(void **state)
{
    char *dir = malloc(TWTEST_PATH);
    assert_non_null(dir);
    twtest_tmpdir(dir);
    *state = dir;
    return 0;
}

int twtest_tmpdir_teardown(void **state)
{
    twtest_rmtree(*state);
    free(*state);
    return 0;
}

const char *twtest_copy_fixture(const char *fixture, const char *tmp, const char *name,
                                char *buf)
{
    char src[TWTEST_PATH];
    twtest_join(tmp, name, buf);
    twtest_copy_dir(twtest_data(fixture, src), buf);
    return buf;
}

void twtest_rmtree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *dp = opendir(path);
        if (dp != NULL) {
            struct dirent *de;
            while ((de = readdir(dp)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char sub[TWTEST_PATH];
                twtest_rmtree(twtest_join(path, de->d_name, sub));
            }
            closedir(dp);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

void twtest_copy_dir(const char *src, const char *dst)
{
    if (mkdir(dst, 0755) != 0)
        fail_msg("mkdir %s: %s", dst, strerror(errno));
    DIR *dp = opendir(src);
    if (dp == NULL)
        fail_msg("opendir %s: %s", src, strerror(errno));
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        char from[TWTEST_PATH], to[TWTEST_PATH];
        struct stat sb;
        twtest_join(src, de->d_name, from);
        if (stat(from, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        size_t len = 0;
        char *text = twtest_read_file(from, &len);
        twtest_write_file(twtest_join(dst, de->d_name, to), text, len);
        free(text);
    }
    closedir(dp);
}

void twtest_write_file(const char *path, const char *text, size_t len)
{
    if (len == (size_t)-1)
        len = strlen(text);
    FILE *fp = fopen(path, "wb");
    if (fp == NULL)
        fail_msg("cannot create %s: %s", path, strerror(errno));
    if ((len > 0 && fwrite(text, 1, len, fp) != len) | (fclose(fp) != 0))
        fail_msg("cannot write %s", path);
}

char *twtest_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
        assert_non_null(buf);
        size_t got = fread(buf + n, 1, cap - 1 - n, fp);
        if (got == 0)
            break;
        n += got;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

void twtest_replace(const char *path, const char *from, const char *to)
{
    size_t len;
    char *text = twtest_read_file(path, &len);
    char *at = strstr(text, from);
    if (at == NULL) {
        free(text);
        fail_msg("\"%s\" not found in %s", from, path);
    }
    size_t head = (size_t)(at - text), fl = strlen(from), tl = strlen(to);
    char *out = malloc(len - fl + tl + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    memcpy(out + head, to, tl);
    memcpy(out + head + tl, at + fl, len - head - fl + 1);
    twtest_write_file(path, out, len - fl + tl);
    free(out);
    free(text);
}

void twtest_append(const char *path, const char *text)
{
    FILE *fp = fopen(path, "ab");
    if (fp == NULL)
        fail_msg("cannot open %s: %s", path, strerror(errno));
    fputs(text, fp);
    if (fclose(fp) != 0)
        fail_msg("cannot write %s", path);
}

bool twtest_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

size_t twtest_count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp == NULL)
        fail_msg("opendir %s: %s", dir, strerror(errno));
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(dp);
    return n;
}

long twtest_diag_find(const tw_diag *d, tw_severity sev, const char *needle)
{
    for (size_t k = 0; k < tw_diag_count(d); k++)
        if (tw_diag_severity(d, k) == sev && strstr(tw_diag_message(d, k), needle) != NULL)
            return (long)k;
    return -1;
}

bool twtest_alloc_failed(void)
{
    int triggered = tw_fault_alloc_triggered();
    tw_fault_alloc_fail_at(0);
    return triggered != 0;
}

/* Fail unless st, the status of a call whose n-th allocation failed, is TW_ENOMEM (msg: the
 * call's error message, shown on failure). */
static void expect_enomem(long n, tw_status st, const char *msg)
{
    if (st != TW_ENOMEM)
        fail_msg("allocation %ld failed: status %d (%s), expected TW_ENOMEM", n, (int)st, msg);
}

bool twtest_alloc_done(long n, tw_status st, const void *out, const char *msg)
{
    if (!twtest_alloc_failed()) {
        if (st != TW_OK)
            fail_msg("no allocation failed (sweep step %ld): status %d (%s), expected TW_OK", n,
                     (int)st, msg != NULL ? msg : "no message");
        return true;
    }
    expect_enomem(n, st, msg != NULL ? msg : "no message");
    assert_null(out);
    return false;
}

void twtest_diag_print(const tw_diag *d)
{
    for (size_t k = 0; k < tw_diag_count(d); k++)
        fprintf(stderr, "  [%s] %s\n", tw_diag_severity(d, k) == TW_SEV_ERROR ? "error" : "warning",
                tw_diag_message(d, k));
}

void twtest_expect_prefix(const char *got, const char *want)
{
    if (got == NULL || strncmp(got, want, strlen(want)) != 0)
        fail_msg("message \"%s\", want it to start with \"%s\"", got ? got : "(null)", want);
}

void twtest_expect_same_world(const tw_world *a, const tw_world *b)
{
    size_t N = a->n_country, S = a->n_sector;
    assert_int_equal(b->n_country, N);
    assert_int_equal(b->n_sector, S);
    for (size_t c = 0; c < N; c++) {
        assert_string_equal(a->country_code[c], b->country_code[c]);
        assert_string_equal(a->country_name[c], b->country_name[c]);
    }
    for (size_t s = 0; s < S; s++) {
        assert_string_equal(a->sector_code[s], b->sector_code[s]);
        assert_string_equal(a->sector_name[s], b->sector_name[s]);
        assert_int_equal(a->tradable[s], b->tradable[s]);
    }
    const char *const meta_a[] = {a->meta_name, a->meta_year, a->meta_currency, a->meta_source};
    const char *const meta_b[] = {b->meta_name, b->meta_year, b->meta_currency, b->meta_source};
    for (size_t k = 0; k < sizeof meta_a / sizeof meta_a[0]; k++)
        assert_string_equal(meta_a[k], meta_b[k]);
    /* Bit-identical numbers: each array with its number of cells. */
    const struct {
        const double *a, *b;
        size_t n;
    } num[] = {
        {a->flow, b->flow, S * N * N},  {a->tariff, b->tariff, S * N * N},
        {a->theta, b->theta, S},        {a->va_share, b->va_share, N * S},
        {a->io, b->io, N * S * S},      {a->alpha, b->alpha, N * S},
        {a->deficit, b->deficit, N},
    };
    for (size_t k = 0; k < sizeof num / sizeof num[0]; k++)
        assert_memory_equal(num[k].a, num[k].b, num[k].n * sizeof(double));
}

tw_world *twtest_synthetic(size_t n_country, size_t n_sector, unsigned long long seed)
{
    tw_world *w = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_world_synthetic(n_country, n_sector, seed, &w, &err);
    if (st != TW_OK)
        fail_msg("tw_world_synthetic(%zu, %zu, %llu): status %d (%s), expected TW_OK", n_country,
                 n_sector, seed, (int)st, err.msg);
    return w;
}

tw_shock *twtest_shock_new(const tw_world *w)
{
    tw_shock *sh = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_shock_new(w, &sh, &err);
    if (st != TW_OK)
        fail_msg("tw_shock_new: status %d (%s), expected TW_OK", (int)st, err.msg);
    return sh;
}

tw_result *twtest_simulate(const tw_world *w, const tw_shock *sh, tw_deficits deficits,
                           const tw_solve_opts *opts)
{
    tw_result *r = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_simulate(w, sh, deficits, opts, &r, &err);
    if (st != TW_OK)
        fail_msg("tw_simulate: status %d (%s), expected TW_OK", (int)st, err.msg);
    return r;
}

size_t twtest_country(const tw_world *w, const char *code)
{
    size_t c;
    if (!tw_world_find_country(w, code, &c))
        fail_msg("no region %s", code);
    return c;
}

size_t twtest_sector(const tw_world *w, const char *code)
{
    size_t s;
    if (!tw_world_find_sector(w, code, &s))
        fail_msg("no sector %s", code);
    return s;
}

char *twtest_repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *b = malloc(hl + ul * n + tl + 1);
    assert_non_null(b);
    memcpy(b, head, hl);
    for (size_t k = 0; k < n; k++)
        memcpy(b + hl + k * ul, unit, ul);
    memcpy(b + hl + n * ul, tail, tl + 1);
    if (len != NULL)
        *len = hl + ul * n + tl;
    return b;
}
