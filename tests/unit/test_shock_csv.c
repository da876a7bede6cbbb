/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_shock_csv.c: tariff scenario CSV files (tw_shock_apply_tariff_csv and
 * tw_shock_apply_tariff_csv_buf).
 *
 * Uses the tiny-world fixture (ALP, BET x goods, services; baseline tariffs ALP on BET goods
 * 0.05, BET on ALP goods 0.125). Covers single cells, `*` wildcards in every code column,
 * override order, the diagonal rules, every error with its file:line:col, that a failed file
 * leaves the shock unchanged, allocation failures, and the 38,440-row NAFTA counterfactual of
 * the shared cp2015 data.
 */
#define _XOPEN_SOURCE 700

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/shock.h"
#include "core/world.h"
#include "twtest.h"

enum { ALP = 0, BET = 1, GOODS = 0, SERVICES = 1 };

struct fixture {
    tw_world *w;
    tw_shock *sh;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char dir[TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    if (tw_world_read(twtest_data("tiny-world", dir), &f->w, &err) != TW_OK ||
        tw_shock_new(f->w, &f->sh, &err) != TW_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tw_shock_free(f->sh);
    tw_world_free(f->w);
    free(f);
    return 0;
}

static tw_status apply(tw_shock *sh, const char *text, tw_err *err)
{
    return tw_shock_apply_tariff_csv_buf(sh, text, strlen(text), "s.csv", err);
}

static void test_single_cell(void **state)
{
    struct fixture *f = *state;
    tw_err err = {TW_OK, ""};
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\nALP,BET,goods,0.3\n", &err),
                     TW_OK);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.3);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, GOODS) == 0.125); /* not listed: kept */
    assert_true(tw_shock_tariff(f->sh, ALP, BET, SERVICES) == 0.0);
    /* The world's baseline is untouched. */
    assert_true(tw_world_tariff(f->w, ALP, BET, GOODS) == 0.05);
    /* Columns in any order; a header-only file changes nothing. */
    assert_int_equal(apply(f->sh, "rate,sector,exporter,importer\n0.2385,services,ALP,BET\n",
                           &err), TW_OK);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, SERVICES) == 0.2385);
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\n", &err), TW_OK);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.3);
}

static void test_wildcards(void **state)
{
    struct fixture *f = *state;
    tw_err err = {TW_OK, ""};
    /* Every importer on BET in every sector: BET's tariff on itself stays 0. */
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\n*,BET,*,0.2\n", &err), TW_OK);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.2);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, SERVICES) == 0.2);
    assert_true(tw_shock_tariff(f->sh, BET, BET, GOODS) == 0.0);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, GOODS) == 0.125);
    /* ALP on everyone in goods. */
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\nALP,*,goods,0.45\n", &err),
                     TW_OK);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.45);
    assert_true(tw_shock_tariff(f->sh, ALP, ALP, GOODS) == 0.0);
    /* Everything, then a later row overrides one cell, then a wildcard row overrides again. */
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\n"
                                  "*,*,*,0.1\n"
                                  "BET,ALP,goods,0.4\n"
                                  "ALP,*,services,0.75\n",
                           &err), TW_OK);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.1);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, GOODS) == 0.4);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, SERVICES) == 0.1);
    assert_true(tw_shock_tariff(f->sh, ALP, BET, SERVICES) == 0.75);
    for (size_t c = 0; c < 2; c++)
        for (size_t s = 0; s < 2; s++)
            assert_true(tw_shock_tariff(f->sh, c, c, s) == 0.0);
    /* An explicit zero on the diagonal is allowed (files that list every cell have them). */
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\nALP,ALP,goods,0\n", &err),
                     TW_OK);
}

static const struct bad {
    const char *text;   /* the file */
    tw_status status;   /* expected status */
    const char *msg;    /* expected message */
} bad[] = {
    {"importer,exporter,sector,rate\nALP,BET,goods,0.2\nXXX,BET,goods,0.1\n", TW_EINVAL,
     "shock: s.csv:3:1: importer \"XXX\" is not a region of the world, expected a region code "
     "or *"},
    {"importer,exporter,sector,rate\nALP,YYY,goods,0.1\n", TW_EINVAL,
     "shock: s.csv:2:2: exporter \"YYY\" is not a region of the world, expected a region code "
     "or *"},
    {"importer,exporter,sector,rate\nALP,BET,food,0.1\n", TW_EINVAL,
     "shock: s.csv:2:3: sector \"food\" is not a sector of the world, expected a sector code "
     "or *"},
    {"importer,exporter,sector,rate\n,BET,goods,0.1\n", TW_EINVAL,
     "shock: s.csv:2:1: importer is empty, expected a region code or *"},
    {"importer,exporter,sector,rate\nALP,BET,goods,-0.1\n", TW_EINVAL,
     "shock: s.csv:2:4: rate -0.1 is negative, expected a tariff >= 0"},
    {"importer,exporter,sector,rate\nALP,BET,goods,NaN\n", TW_EINVAL,
     "shock: s.csv:2:4: rate \"NaN\": NaN/Inf not allowed, expected a finite tariff >= 0"},
    {"importer,exporter,sector,rate\nALP,BET,goods,inf\n", TW_EINVAL,
     "shock: s.csv:2:4: rate \"inf\": NaN/Inf not allowed, expected a finite tariff >= 0"},
    {"importer,exporter,sector,rate\nALP,BET,goods,\n", TW_EINVAL,
     "shock: s.csv:2:4: rate is empty, expected a number"},
    {"importer,exporter,sector,rate\nALP,BET,goods,25%\n", TW_EINVAL,
     "shock: s.csv:2:4: rate \"25%\" is not a number, expected a tariff such as 0.25"},
    {"importer,exporter,sector,rate\nALP,BET,goods,1e400\n", TW_EINVAL,
     "shock: s.csv:2:4: rate \"1e400\" is too large"},
    {"importer,exporter,sector,rate\nBET,BET,*,0.1\n", TW_EINVAL,
     "shock: s.csv:2:4: rate 0.1 of BET on itself, expected 0"},
    {"importer,exporter,sector,rate,note\nALP,BET,goods,0.1,x\n", TW_EINVAL,
     "shock: s.csv:1:5: unknown column \"note\", expected only importer, exporter, sector, rate"},
    {"importer,exporter,rate\nALP,BET,0.1\n", TW_EINVAL,
     "shock: s.csv:1: missing column \"sector\", expected a header with importer, exporter, "
     "sector, rate"},
    {"importer,exporter,sector,sector,rate\nALP,BET,goods,goods,0.1\n", TW_EINVAL,
     "shock: s.csv:1:4: column \"sector\" appears again (first in column 3)"},
    {"importer,exporter,sector,rate\nALP,BET,goods\n", TW_EPARSE,
     "shock: s.csv:2: expected 4 fields, found 3"},
    {"importer,exporter,sector,rate\nALP,\"BET,goods,0.1\n", TW_EPARSE,
     "shock: s.csv:2:2: quoted field not closed at end of input"},
    {"", TW_EPARSE, "shock: s.csv: empty input, expected a header line"},
};

/* Each bad file fails with its message, after valid rows, and leaves the shock unchanged. */
static void test_errors_leave_shock_unchanged(void **state)
{
    struct fixture *f = *state;
    tw_err err = {TW_OK, ""};
    assert_int_equal(apply(f->sh, "importer,exporter,sector,rate\n*,*,goods,0.15\n", &err),
                     TW_OK);
    size_t n3 = 2 * 2 * 2;
    double before[8];
    memcpy(before, f->sh->tariff, n3 * sizeof(double));
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        tw_status st = apply(f->sh, bad[k].text, &err);
        if (st != bad[k].status || strncmp(err.msg, bad[k].msg, strlen(bad[k].msg)) != 0)
            fail_msg("case %zu: status %d (want %d), \"%s\" (want \"%s\")", k, st,
                     bad[k].status, err.msg, bad[k].msg);
        assert_int_equal(err.code, bad[k].status);
        assert_memory_equal(f->sh->tariff, before, n3 * sizeof(double));
    }
    assert_int_equal(tw_shock_apply_tariff_csv_buf(NULL, "x", 1, "s.csv", &err), TW_EINVAL);
    assert_int_equal(tw_shock_apply_tariff_csv_buf(f->sh, NULL, 1, "s.csv", &err), TW_EINVAL);
    assert_int_equal(tw_shock_apply_tariff_csv(f->sh, NULL, &err), TW_EINVAL);
}

static void test_file(void **state)
{
    struct fixture *f = *state;
    char dir[TWTEST_PATH], path[TWTEST_PATH], want[2 * TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    twtest_tmpdir(dir);
    twtest_join(dir, "war.csv", path);
    assert_int_equal(tw_shock_apply_tariff_csv(f->sh, path, &err), TW_EIO);
    snprintf(want, sizeof want, "shock: %s: cannot open: No such file or directory", path);
    twtest_expect_prefix(err.msg, want);
    twtest_write_file(path, "\xEF\xBB\xBFimporter,exporter,sector,rate\r\nBET,ALP,*,0.25\r\n",
                      (size_t)-1);
    assert_int_equal(tw_shock_apply_tariff_csv(f->sh, path, &err), TW_OK);
    assert_true(tw_shock_tariff(f->sh, BET, ALP, SERVICES) == 0.25);
    twtest_write_file(path, "importer,exporter,sector,rate\nBET,ALP,*,0.5\nBET,ALP,*,-1\n",
                      (size_t)-1);
    assert_int_equal(tw_shock_apply_tariff_csv(f->sh, path, &err), TW_EINVAL);
    snprintf(want, sizeof want, "shock: %s:3:4: rate -1 is negative", path);
    assert_non_null(strstr(err.msg, want));
    assert_true(tw_shock_tariff(f->sh, BET, ALP, SERVICES) == 0.25);
    twtest_rmtree(dir);
}

static void test_alloc_failures(void **state)
{
    struct fixture *f = *state;
    const char *text = "importer,exporter,sector,rate\n*,*,*,0.3\nALP,BET,goods,0.2\n";
    for (long n = 1;; n++) {
        tw_err err = {TW_OK, ""};
        double before[8];
        memcpy(before, f->sh->tariff, sizeof before);
        tw_fault_alloc_fail_at(n);
        tw_status st = apply(f->sh, text, &err);
        if (twtest_alloc_done(n, st, NULL, err.msg)) {
            assert_true(tw_shock_tariff(f->sh, ALP, BET, GOODS) == 0.2);
            break;
        }
        assert_memory_equal(f->sh->tariff, before, sizeof before);
    }
}

/* The paper's NAFTA scenario lists all 38,440 cells (diagonal rows included) and must load;
 * it changes intra-NAFTA tariffs only. */
static void test_cp2015_nafta(void **state)
{
    (void)state;
    char src[TWTEST_PATH], path[TWTEST_PATH];
    twtest_shared("cp2015", src);
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err = {TW_OK, ""};
    if (tw_world_import("cp2015", src, &w, &err) != TW_OK || tw_shock_new(w, &sh, &err) != TW_OK)
        fail_msg("%s", err.msg);
    twtest_join(src, "tariffs_nafta_counterfactual.csv", path);
    if (tw_shock_apply_tariff_csv(sh, path, &err) != TW_OK)
        fail_msg("%s", err.msg);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), changed = 0;
    size_t can, mex, usa, auto_s;
    assert_true(tw_world_find_country(w, "CAN", &can));
    assert_true(tw_world_find_country(w, "MEX", &mex));
    assert_true(tw_world_find_country(w, "USA", &usa));
    assert_true(tw_world_find_sector(w, "auto", &auto_s));
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                double base = tw_world_tariff(w, j, i, s), cfl = tw_shock_tariff(sh, j, i, s);
                if (base == cfl)
                    continue;
                changed++;
                bool nafta_j = j == can || j == mex || j == usa;
                bool nafta_i = i == can || i == mex || i == usa;
                if (!(nafta_j && nafta_i))
                    fail_msg("non-NAFTA cell changed: %s on %s in %s", w->country_code[j],
                             w->country_code[i], w->sector_code[s]);
            }
    assert_true(changed > 0);
    assert_true(tw_shock_tariff(sh, mex, usa, auto_s) < tw_world_tariff(w, mex, usa, auto_s));
    tw_shock_free(sh);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_single_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wildcards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_leave_shock_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test(test_cp2015_nafta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
