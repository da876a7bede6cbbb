/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_io_faults.c: I/O faults on the real file paths: unreadable inputs, short
 * reads, a full disk while writing outputs, and the world size limits (core/world.h).
 *
 * Unreadable files. chmod 000 blocks reads only for an unprivileged user: root (the usual CI
 * container) reads any file whatever its mode. So the chmod checks run only when geteuid() !=
 * 0, and every test also makes the open fail in ways that hold for root too: a directory where
 * a file is expected (EISDIR, caught by the reader's fstat) and a path through a regular file
 * (ENOTDIR).
 *
 * Short reads. The CSV reader's callback interface is tested with in-memory short reads in
 * test_csv.c. Here the file paths (a world bundle, a tariff CSV) are given a FIFO fed by a
 * child process a few bytes at a time, so read(2) itself returns short counts; a writer that
 * stops mid-row must give a parse error naming the file, not a hang. An endless stream of NUL
 * bytes (/dev/zero) must fail at once instead of being read up to TW_CSV_MAX_FILE_SIZE.
 *
 * Full disk. Two mechanisms, each run on the same checks: (1) RLIMIT_FSIZE lowered for the
 * duration of the call, with SIGXFSZ ignored, so a write past the limit fails with EFBIG (works
 * everywhere, no privileges); (2) when the process may mount (root in this sandbox), a 64 KiB
 * tmpfs filled to the last byte, so writes fail with ENOSPC as on a real full disk; skipped
 * with a message when mount(2) fails. Checked: the call returns TW_EIO with a message naming
 * the path, no temporary file or directory is left, and an existing good target is not
 * replaced. Streams opened on /dev/full check the FILE* writers (table, JSON).
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/world.h"
#include "io/atomic.h"
#include "io/csv.h"
#include "twtest.h"

/* ---- fixtures ---------------------------------------------------------------------------- */

struct fx {
    char dir[TWTEST_PATH];  /* scratch directory */
    char tiny[TWTEST_PATH]; /* a copy of tests/data/tiny-world in dir */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char src[TWTEST_PATH];
    twtest_tmpdir(f->dir);
    twtest_join(f->dir, "tiny", f->tiny);
    twtest_copy_dir(twtest_data("tiny-world", src), f->tiny);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    /* A full-disk check that failed half-way leaves its tmpfs mounted: detach it (ignored when
     * nothing is mounted there) before removing the tree. */
    static const char *const subs[3] = {"k1-a", "k1-w", "k1-r"};
    for (int k = 0; k < 3; k++) {
        char sub[TWTEST_PATH], mnt[TWTEST_PATH];
        (void)umount2(twtest_join(twtest_join(f->dir, subs[k], sub), "tmpfs", mnt), MNT_DETACH);
    }
    twtest_rmtree(f->dir);
    free(f);
    return 0;
}

static bool is_root(void)
{
    return geteuid() == 0;
}

/* ---- unreadable inputs ------------------------------------------------------------------- */

static void expect_world_eio(const char *dir, const char *needle)
{
    tw_world *w = (tw_world *)1;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(dir, &w, &err), TW_EIO);
    assert_null(w);
    if (strstr(err.msg, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_unreadable_bundle(void **state)
{
    struct fx *f = *state;
    char path[TWTEST_PATH], bad[TWTEST_PATH];
    twtest_join(f->tiny, "flows.csv", path);
    if (!is_root()) {
        assert_int_equal(chmod(path, 0), 0);
        expect_world_eio(f->tiny, "flows.csv: cannot open: Permission denied");
        assert_int_equal(chmod(path, 0644), 0);
    } else {
        fprintf(stderr, "note: running as root, chmod 000 does not block reads: checking "
                        "EISDIR and ENOTDIR only\n");
    }
    /* A directory where flows.csv should be. */
    char *keep = twtest_read_file(path, NULL);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0755), 0);
    expect_world_eio(f->tiny, "flows.csv: is a directory");
    assert_int_equal(rmdir(path), 0);
    twtest_write_file(path, keep, (size_t)-1);
    free(keep);
    /* The bundle path goes through a regular file. */
    twtest_join(path, "world", bad);
    expect_world_eio(bad, "Not a directory");
    /* A dangling symlink as a table. */
    twtest_join(f->tiny, "tariffs.csv", path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink("no-such-target.csv", path), 0);
    expect_world_eio(f->tiny, "tariffs.csv: cannot open: No such file or directory");
}

static void test_unreadable_tariff_csv(void **state)
{
    struct fx *f = *state;
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(f->tiny, &w, &err), TW_OK);
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    char csv[TWTEST_PATH], bad[TWTEST_PATH];
    twtest_join(f->dir, "t.csv", csv);
    twtest_write_file(csv, "importer,exporter,sector,rate\nBET,ALP,goods,0.2\n", (size_t)-1);
    if (!is_root()) {
        assert_int_equal(chmod(csv, 0), 0);
        assert_int_equal(tw_shock_apply_tariff_csv(sh, csv, &err), TW_EIO);
        assert_non_null(strstr(err.msg, "t.csv: cannot open: Permission denied"));
        assert_int_equal(chmod(csv, 0644), 0);
    }
    assert_int_equal(tw_shock_apply_tariff_csv(sh, f->tiny, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));
    assert_int_equal(tw_shock_apply_tariff_csv(sh, twtest_join(csv, "x.csv", bad), &err),
                     TW_EIO);
    assert_non_null(strstr(err.msg, "Not a directory"));
    /* Failures left the shock unchanged. */
    assert_true(tw_shock_tariff(sh, 1, 0, 0) == tw_world_tariff(w, 1, 0, 0));
    tw_shock_free(sh);
    tw_world_free(w);
}

/* ---- short reads through a FIFO ---------------------------------------------------------- */

/* Replace `path` by a FIFO and fork a child that writes `len` bytes of `data` into it `chunk`
 * bytes at a time, pausing between chunks so that each read(2) sees a short count. Returns the
 * child's pid. */
static pid_t feed_fifo(const char *path, const char *data, size_t len, size_t chunk)
{
    unlink(path);
    assert_int_equal(mkfifo(path, 0644), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        int fd = open(path, O_WRONLY);
        if (fd < 0)
            _exit(1);
        for (size_t off = 0; off < len; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            if (write(fd, data + off, n) != (ssize_t)n)
                _exit(2);
            usleep(200);
        }
        close(fd);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid)
{
    int ws = 0;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    assert_true(WIFEXITED(ws));
}

static void test_short_reads_bundle(void **state)
{
    struct fx *f = *state;
    char path[TWTEST_PATH], src[TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    tw_world *ref = NULL, *w = NULL;
    assert_int_equal(tw_world_read(twtest_data("tiny-world", src), &ref, &err), TW_OK);
    twtest_join(f->tiny, "flows.csv", path);
    size_t len = 0;
    char *flows = twtest_read_file(path, &len);
    /* One byte per read: the bundle still reads, and equals the original. */
    pid_t pid = feed_fifo(path, flows, len, 1);
    tw_status st = tw_world_read(f->tiny, &w, &err);
    reap(pid);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    for (size_t s = 0; s < tw_world_n_sector(w); s++)
        for (size_t i = 0; i < tw_world_n_country(w); i++)
            for (size_t j = 0; j < tw_world_n_country(w); j++)
                assert_true(tw_world_flow(w, i, j, s) == tw_world_flow(ref, i, j, s));
    tw_world_free(w);
    /* The writer stops in the middle of a row: a parse error naming the file. */
    pid = feed_fifo(path, flows, len - 12, 5);
    st = tw_world_read(f->tiny, &w, &err);
    reap(pid);
    assert_int_equal(st, TW_EPARSE);
    assert_null(w);
    assert_non_null(strstr(err.msg, "flows.csv:7: expected 4 fields"));
    free(flows);
    tw_world_free(ref);
}

static void test_short_reads_tariff_csv(void **state)
{
    struct fx *f = *state;
    static const char text[] = "importer,exporter,sector,rate\r\nBET,ALP,goods,0.2375\r\n"
                               "\"ALP\",BET,goods,0.0625\r\n";
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err = {TW_OK, ""};
    char path[TWTEST_PATH];
    assert_int_equal(tw_world_read(f->tiny, &w, &err), TW_OK);
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    twtest_join(f->dir, "tariffs-fifo.csv", path);
    pid_t pid = feed_fifo(path, text, sizeof text - 1, 3);
    tw_status st = tw_shock_apply_tariff_csv(sh, path, &err);
    reap(pid);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    assert_true(tw_shock_tariff(sh, 1, 0, 0) == 0.2375);
    assert_true(tw_shock_tariff(sh, 0, 1, 0) == 0.0625);
    /* Cut inside the quoted field: an unterminated quote, and the shock is unchanged. */
    pid = feed_fifo(path, "importer,exporter,sector,rate\nBET,\"AL", 36, 2);
    st = tw_shock_apply_tariff_csv(sh, path, &err);
    reap(pid);
    assert_int_equal(st, TW_EPARSE);
    assert_non_null(strstr(err.msg, "tariffs-fifo.csv"));
    assert_true(tw_shock_tariff(sh, 1, 0, 0) == 0.2375);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* An endless stream of NUL bytes (a reader that never ends, like /dev/zero): the CSV reader
 * stops at the first chunk holding a NUL instead of reading up to TW_CSV_MAX_FILE_SIZE. */
static int zero_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    size_t *calls = ctx;
    (*calls)++;
    size_t n = cap < 512 ? cap : 512;
    memset(buf, 0, n);
    *got = n;
    return 0;
}

static void test_endless_binary_stream(void **state)
{
    (void)state;
    size_t calls = 0;
    tw_csv_reader rd = {zero_read, &calls};
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_stream(&rd, "zero.csv", NULL, &t, &err), TW_EPARSE);
    assert_null(t);
    twtest_expect_prefix(err.msg, "zero.csv:1:1: NUL byte inside a field");
    assert_int_equal(calls, 1);
    /* Through the file path: /dev/zero as a tariff CSV. */
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    assert_int_equal(tw_world_synthetic(3, 2, 1, &w, &err), TW_OK);
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    assert_int_equal(tw_shock_apply_tariff_csv(sh, "/dev/zero", &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "/dev/zero:1:1: NUL byte"));
    tw_shock_free(sh);
    tw_world_free(w);
}

/* ---- a full disk ------------------------------------------------------------------------- */

/* How the disk is made full: RLIMIT_FSIZE (EFBIG) or a filled tmpfs (ENOSPC). */
enum full_kind { FULL_RLIMIT, FULL_TMPFS };

struct full {
    enum full_kind kind;
    char dir[TWTEST_PATH];    /* where outputs go (on the tmpfs for FULL_TMPFS) */
    char filler[TWTEST_PATH]; /* the file that fills the tmpfs */
    struct rlimit saved;      /* the limit to restore (FULL_RLIMIT) */
    bool mounted;
};

/* Prepare f->dir for outputs. Returns false (test skipped by the caller) when the mechanism is
 * not available. */
static bool full_init(struct full *f, enum full_kind kind, const char *scratch)
{
    memset(f, 0, sizeof *f);
    f->kind = kind;
    twtest_join(scratch, kind == FULL_TMPFS ? "tmpfs" : "out", f->dir);
    assert_int_equal(mkdir(f->dir, 0755), 0);
    if (kind == FULL_TMPFS) {
        if (mount("tmpfs", f->dir, "tmpfs", 0, "size=64k") != 0) {
            fprintf(stderr, "SKIP: cannot mount a tmpfs on %s (%s): the full-disk test runs "
                            "with RLIMIT_FSIZE only\n", f->dir, strerror(errno));
            return false;
        }
        f->mounted = true;
    }
    return true;
}

/* Make the disk full: fill the tmpfs to its last byte, or lower RLIMIT_FSIZE to 512 bytes. */
static void full_begin(struct full *f)
{
    if (f->kind == FULL_TMPFS) {
        twtest_join(f->dir, "filler", f->filler);
        FILE *fp = fopen(f->filler, "w");
        assert_non_null(fp);
        setvbuf(fp, NULL, _IONBF, 0);
        while (fputc('x', fp) != EOF)
            ;
        assert_int_equal(errno, ENOSPC);
        fclose(fp);
        return;
    }
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &f->saved), 0);
    struct rlimit lim = f->saved;
    lim.rlim_cur = 512;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}

static void full_end(struct full *f)
{
    if (f->kind == FULL_TMPFS) {
        unlink(f->filler);
        return;
    }
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &f->saved), 0);
    signal(SIGXFSZ, SIG_DFL);
}

static void full_free(struct full *f)
{
    if (f->mounted) {
        twtest_rmtree(f->dir); /* empties the tmpfs (the mount point stays) */
        mkdir(f->dir, 0755);
        if (umount(f->dir) != 0)
            fprintf(stderr, "warning: umount %s: %s\n", f->dir, strerror(errno));
    }
}

/* strerror text of the failed write for the mechanism. */
static const char *full_reason(const struct full *f)
{
    return f->kind == FULL_TMPFS ? "No space left on device" : "File too large";
}

/* No entry of dir is a temporary (".<name>.tmp.XXXXXX"). */
static void expect_no_temp(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    while ((de = readdir(dp)) != NULL)
        if (strstr(de->d_name, ".tmp.") != NULL)
            fail_msg("temporary %s/%s left behind", dir, de->d_name);
    closedir(dp);
}

static const char good_text[] = "good,old\n1,2\n";

/* An atomic file: TW_EIO naming the path, the old target intact, no temporary. */
static void full_atomic_file(enum full_kind kind, const char *scratch)
{
    struct full f;
    if (!full_init(&f, kind, scratch)) {
        full_free(&f);
        return;
    }
    char path[TWTEST_PATH];
    twtest_join(f.dir, "out.csv", path);
    twtest_write_file(path, good_text, (size_t)-1);
    tw_atomic_file *af = NULL;
    FILE *fp = NULL;
    tw_err err = {TW_OK, ""};
    full_begin(&f);
    tw_status st = tw_atomic_open(path, &af, &fp, &err);
    if (st == TW_OK) {
        for (int k = 0; k < 20000; k++)
            fputs("0.123456789,", fp);
        st = tw_atomic_commit(af, &err);
    }
    full_end(&f);
    assert_int_equal(st, TW_EIO);
    if (strstr(err.msg, path) == NULL)
        fail_msg("message \"%s\" does not name %s", err.msg, path);
    char *now = twtest_read_file(path, NULL);
    assert_string_equal(now, good_text);
    free(now);
    expect_no_temp(f.dir);
    full_free(&f);
}

/* A world bundle: TW_EIO naming the path, no bundle and no temporary directory. */
static void full_world_write(enum full_kind kind, const char *scratch)
{
    struct full f;
    if (!full_init(&f, kind, scratch)) {
        full_free(&f);
        return;
    }
    tw_world *w = twtest_synthetic(12, 6, 7);
    tw_err err = {TW_OK, ""};
    char path[TWTEST_PATH];
    twtest_join(f.dir, "bundle", path);
    full_begin(&f);
    tw_status st = tw_world_write(w, path, &err);
    full_end(&f);
    assert_int_equal(st, TW_EIO);
    if (strstr(err.msg, path) == NULL || strstr(err.msg, full_reason(&f)) == NULL)
        fail_msg("message \"%s\" does not name %s and the reason", err.msg, path);
    assert_false(twtest_exists(path));
    expect_no_temp(f.dir);
    tw_world_free(w);
    full_free(&f);
}

/* The report CSV tables: TW_EIO naming the path, an existing good file not replaced. */
static void full_report_csv(enum full_kind kind, const char *scratch, const char *tiny)
{
    struct full f;
    if (!full_init(&f, kind, scratch)) {
        full_free(&f);
        return;
    }
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(tiny, &w, &err), TW_OK);
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    assert_int_equal(tw_shock_set_tariff(sh, 1, 0, 0, 0.3, &err), TW_OK);
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err), TW_OK);
    char out[TWTEST_PATH], countries[TWTEST_PATH];
    twtest_join(f.dir, "report", out);
    assert_int_equal(mkdir(out, 0755), 0);
    twtest_join(out, "countries.csv", countries);
    twtest_write_file(countries, good_text, (size_t)-1);
    full_begin(&f);
    tw_status st = tw_report_csv_dir(r, out, &err);
    full_end(&f);
    assert_int_equal(st, TW_EIO);
    assert_non_null(strstr(err.msg, "countries.csv"));
    assert_non_null(strstr(err.msg, full_reason(&f)));
    char *now = twtest_read_file(countries, NULL);
    assert_string_equal(now, good_text);
    free(now);
    expect_no_temp(out);
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
    full_free(&f);
}

static void test_full_disk(void **state)
{
    struct fx *f = *state;
    static const enum full_kind kinds[2] = {FULL_RLIMIT, FULL_TMPFS};
    for (int k = 0; k < 2; k++) {
        char sub[TWTEST_PATH], name[16];
        snprintf(name, sizeof name, "k%d-a", k);
        assert_int_equal(mkdir(twtest_join(f->dir, name, sub), 0755), 0);
        full_atomic_file(kinds[k], sub);
        snprintf(name, sizeof name, "k%d-w", k);
        assert_int_equal(mkdir(twtest_join(f->dir, name, sub), 0755), 0);
        full_world_write(kinds[k], sub);
        snprintf(name, sizeof name, "k%d-r", k);
        assert_int_equal(mkdir(twtest_join(f->dir, name, sub), 0755), 0);
        full_report_csv(kinds[k], sub, f->tiny);
    }
}

/* Streams on /dev/full: the table and JSON writers report the failed write. */
static void test_dev_full_streams(void **state)
{
    struct fx *f = *state;
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(f->tiny, &w, &err), TW_OK);
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err), TW_OK);
    FILE *fp = fopen("/dev/full", "w");
    if (fp == NULL) {
        fprintf(stderr, "SKIP: /dev/full: %s\n", strerror(errno));
        skip();
    }
    setvbuf(fp, NULL, _IONBF, 0); /* every write reaches the device and fails */
    assert_int_equal(tw_report_table(r, fp, &err), TW_EIO);
    clearerr(fp);
    assert_int_equal(tw_report_json(r, fp, &err), TW_EIO);
    fclose(fp);
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* ---- world size limits (core/world.h) ---------------------------------------------------- */

/* Write a code list of n codes named <prefix><k> to path (sectors get a tradable column). */
static void write_codes(const char *path, size_t n, const char *prefix, bool sectors)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(sectors ? "code,name,tradable\n" : "code,name\n", fp);
    for (size_t k = 0; k < n; k++)
        fprintf(fp, sectors ? "%s%zu,n%zu,1\n" : "%s%zu,n%zu\n", prefix, k, k);
    assert_int_equal(fclose(fp), 0);
}

static void expect_limit(const char *dir, const char *needle)
{
    tw_world *w = (tw_world *)1;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(dir, &w, &err), TW_EINVAL);
    assert_null(w);
    if (strstr(err.msg, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
    tw_diag *d = NULL;
    assert_int_equal(tw_world_check(dir, &d, &err), TW_EINVAL);
    assert_true(twtest_diag_find(d, TW_SEV_ERROR, needle) >= 0);
    tw_diag_free(d);
}

static void test_world_limits(void **state)
{
    struct fx *f = *state;
    char regions[TWTEST_PATH], sectors[TWTEST_PATH], want[TWTEST_PATH + 64];
    twtest_join(f->tiny, "regions.csv", regions);
    twtest_join(f->tiny, "sectors.csv", sectors);
    char *keep_regions = twtest_read_file(regions, NULL);

    /* One region more than the limit; the limit itself is fine for the code list (the bundle
     * then fails on its other files, not on the limit). */
    write_codes(regions, TW_WORLD_MAX_COUNTRIES + 1, "R", false);
    snprintf(want, sizeof want, "%s: %d regions, more than the limit of %d", regions,
             TW_WORLD_MAX_COUNTRIES + 1, TW_WORLD_MAX_COUNTRIES);
    expect_limit(f->tiny, want);
    write_codes(regions, TW_WORLD_MAX_COUNTRIES, "R", false);
    tw_world *w = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(f->tiny, &w, &err), TW_EINVAL);
    assert_null(strstr(err.msg, "more than the limit"));
    twtest_write_file(regions, keep_regions, (size_t)-1);

    write_codes(sectors, TW_WORLD_MAX_SECTORS + 1, "S", true);
    snprintf(want, sizeof want, "%s: %d sectors, more than the limit of %d", sectors,
             TW_WORLD_MAX_SECTORS + 1, TW_WORLD_MAX_SECTORS);
    expect_limit(f->tiny, want);

    /* Both counts allowed, the product not: 1000 x 1000 x 269 > 2^28. */
    write_codes(regions, TW_WORLD_MAX_COUNTRIES, "R", false);
    write_codes(sectors, 269, "S", true);
    expect_limit(f->tiny, "cells per array, more than the limit of 268435456");
    free(keep_regions);

    /* tw_world_alloc, and through it the synthetic world, enforce the same limits. */
    struct tw_world *a = NULL;
    assert_int_equal(tw_world_alloc(TW_WORLD_MAX_COUNTRIES + 1, 1, &a, &err), TW_EINVAL);
    assert_null(a);
    twtest_expect_prefix(err.msg, "world: 1001 countries, more than the limit of 1000");
    assert_int_equal(tw_world_alloc(1, TW_WORLD_MAX_SECTORS + 1, &a, &err), TW_EINVAL);
    twtest_expect_prefix(err.msg, "world: 1001 sectors, more than the limit of 1000");
    assert_int_equal(tw_world_alloc(1000, 269, &a, &err), TW_EINVAL);
    assert_int_equal(tw_world_alloc(269, 1000, &a, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "269 countries x 1000 sectors need 269000000 cells"));
    assert_int_equal(tw_world_alloc(SIZE_MAX, SIZE_MAX, &a, &err), TW_EINVAL);
    assert_int_equal(tw_world_synthetic(TW_WORLD_MAX_COUNTRIES + 1, 1, 1, &w, &err), TW_EINVAL);
    assert_null(w);
    /* At the limits exactly (small in the other dimension) a world is allocated. */
    assert_int_equal(tw_world_alloc(TW_WORLD_MAX_COUNTRIES, 1, &a, &err), TW_OK);
    tw_world_free(a);
    assert_int_equal(tw_world_alloc(1, TW_WORLD_MAX_SECTORS, &a, &err), TW_OK);
    tw_world_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unreadable_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_tariff_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_reads_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_reads_tariff_csv, setup, teardown),
        cmocka_unit_test(test_endless_binary_stream),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_full_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_world_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
