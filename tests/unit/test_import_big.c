/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_import_big.c: the full-resolution importers "wiod2011", "icio2017" and
 * "wiod2014" (src/io/import_full.c, docs/world-format.md "Full-resolution importers") on the
 * shared data ($TW_SHARED_DATA; skipped with a message when absent, failing when CI=true).
 *
 * For each world (the table `bigs` below):
 *   - dimensions, metadata, and tw_world_validate with no error and no warning;
 *   - the published checks of the dataset's README: world flow total, US and Chinese deficits
 *     (the READMEs round them to 1 bn USD, the totals to 1 USD mn), deficits summing to
 *     exactly 0; wiod2011's world value added;
 *   - the documented rules: value-added and input shares (wiod2011: the LUX cells of rule W2;
 *     the cubes: beta = 1, no inputs), alpha sums, theta by sector10 (W4), zero services
 *     tariffs (F2);
 *   - a zero shock through tw_simulate converges and changes nothing, exactly (baseline and
 *     counterfactual are the same computation); a 10-point US tariff on every partner and
 *     sector converges, raises US tariff revenue and lowers US imports.
 * The solves take about 1 s per world in a release build and several in a sanitizer build;
 * set TW_TEST_BIG_SOLVE=0 to skip them (the import checks still run).
 * Failure paths: a missing folder (TW_EIO naming the file) and a corrupted gzip source.
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

#include "core/diag.h"
#include "core/world.h"
#include "twtest.h"

#define USD_PER_BN 1e9
#define USD_PER_MN 1e6
/* The READMEs print deficits rounded to 1 bn USD and totals rounded to 1 USD mn. */
#define TOL_README_BN (0.5 * USD_PER_BN)
#define TOL_README_MN (0.5 * USD_PER_MN)
/* wiod2011 world value added vs the README's 69,269 bn: the clipped flows (W1) and the LUX
 * cells (W2) move it by less than 2 bn. */
#define WIOD_WORLD_VA_BN 69269.0
#define TOL_WIOD_VA_BN 2.0
/* Counterfactual: the added US tariff. */
#define US_TARIFF_ADD 0.10

/* One world and its published checks (NAN: not published). */
struct big {
    const char *source; /* importer name */
    const char *dir;    /* folder under TW_SHARED_DATA */
    size_t N, S;
    double total_mn;      /* world flow total, USD mn (NAN: none) */
    double us_deficit_bn; /* USA imports - exports */
    double cn_deficit_bn; /* CHN imports - exports (NAN: none) */
    const char *food;     /* code of the food sector */
};

static const struct big bigs[] = {
    {"wiod2011", "wiod_2011_mrio/full", 41, 35, NAN, 558.0, NAN, "c3"},
    {"icio2017", "icio_2017_trade_tariffs/full", 81, 28, 155395361.0, 546.0, -217.0, "C10T12"},
    {"wiod2014", "wiod_2014_trade_tariffs/full", 44, 16, 161786433.0, 476.0, -590.0, "W03"},
};
#define N_BIG (sizeof bigs / sizeof bigs[0])

/* The imported world (skips the test when the shared folder is absent). */
static tw_world *import(const struct big *b)
{
    char dir[TWTEST_PATH];
    twtest_shared(b->dir, dir);
    tw_world *w = NULL;
    tw_err err = {0};
    if (tw_world_import(b->source, dir, &w, &err) != TW_OK)
        fail_msg("import %s: %s", b->source, err.msg);
    return w;
}

static bool solves_enabled(void)
{
    const char *e = getenv("TW_TEST_BIG_SOLVE");
    if (e != NULL && strcmp(e, "0") == 0) {
        fprintf(stderr, "SKIP: solves on the big worlds (TW_TEST_BIG_SOLVE=0)\n");
        return false;
    }
    return true;
}

/* ---- import checks ------------------------------------------------------------------------- */

static void check_common(const struct big *b, const tw_world *w)
{
    size_t N = w->n_country, S = w->n_sector;
    assert_int_equal(N, b->N);
    assert_int_equal(S, b->S);
    assert_string_equal(tw_world_meta(w, "currency"), "USD");
    assert_true(strlen(tw_world_meta(w, "source")) > 0);
    tw_diag *d = NULL;
    tw_err err = {0};
    assert_int_equal(tw_diag_new(&d, &err), TW_OK);
    tw_status st = tw_world_validate(w, b->source, d, &err);
    if (st != TW_OK || d->n != 0)
        twtest_diag_print(d);
    assert_int_equal(st, TW_OK);
    assert_int_equal(d->n, 0);
    tw_diag_free(d);

    double total = 0.0, dsum = 0.0;
    for (size_t k = 0; k < S * N * N; k++) {
        assert_true(w->flow[k] == nearbyint(w->flow[k])); /* C2: whole USD */
        total += w->flow[k];
    }
    for (size_t c = 0; c < N; c++) {
        assert_true(w->deficit[c] == tw_world_imports(w, c) - tw_world_exports(w, c));
        dsum += w->deficit[c];
        double asum = 0.0;
        for (size_t s = 0; s < S; s++)
            asum += w->alpha[tw_world_cs(w, c, s)];
        assert_true(fabs(asum - 1.0) <= 1e-12);
    }
    assert_true(dsum == 0.0); /* C3: integers, so exact */
    if (!isnan(b->total_mn))
        assert_true(fabs(total - b->total_mn * USD_PER_MN) <= TOL_README_MN);
    double us = w->deficit[twtest_country(w, "USA")];
    assert_true(fabs(us - b->us_deficit_bn * USD_PER_BN) <= TOL_README_BN);
    if (!isnan(b->cn_deficit_bn))
        assert_true(fabs(w->deficit[twtest_country(w, "CHN")] - b->cn_deficit_bn * USD_PER_BN) <=
                    TOL_README_BN);
    for (size_t s = 0; s < S; s++)
        assert_true(tw_world_sector_is_tradable(w, s));
}

static void test_wiod2011(void **state)
{
    (void)state;
    tw_world *w = import(&bigs[0]);
    check_common(&bigs[0], w);
    size_t N = w->n_country, S = w->n_sector;
    /* README: world value added 69,269 bn. */
    double va = 0.0;
    for (size_t c = 0; c < N; c++)
        va += tw_world_value_added(w, c);
    assert_true(fabs(va / USD_PER_BN - WIOD_WORLD_VA_BN) <= TOL_WIOD_VA_BN);
    /* W5: no tariffs. */
    for (size_t k = 0; k < S * N * N; k++)
        assert_true(w->tariff[k] == 0.0);
    /* W2: LUX c24 (VA -4 of output 32) has beta 0; LUX c5 (output -1) beta 1, no inputs. */
    size_t lux = twtest_country(w, "LUX");
    size_t c5 = twtest_sector(w, "c5");
    size_t c24 = twtest_sector(w, "c24");
    assert_true(w->va_share[tw_world_cs(w, lux, c24)] == 0.0);
    assert_true(w->va_share[tw_world_cs(w, lux, c5)] == 1.0);
    for (size_t k = 0; k < S; k++)
        assert_true(w->io[tw_world_cks(w, lux, k, c5)] == 0.0);
    /* W2 against output_value_added.csv's first row: AUS c1 VA 43722 of output 76796. */
    size_t aus = twtest_country(w, "AUS"), c1 = twtest_sector(w, "c1");
    assert_true(fabs(w->va_share[tw_world_cs(w, aus, c1)] - 43722.0 / 76796.0) <= 1e-15);
    /* W4: theta by sector10 (agg10 CP): c14 -> MACH 9.0817, c3 -> FOOD 2.62, c30 -> SERV 4. */
    assert_true(w->theta[twtest_sector(w, "c14")] == 9.0817);
    assert_true(w->theta[twtest_sector(w, "c3")] == 2.62);
    assert_true(w->theta[twtest_sector(w, "c30")] == 4.0);
    tw_world_free(w);
}

static void check_cube(const struct big *b)
{
    tw_world *w = import(b);
    check_common(b, w);
    size_t N = w->n_country, S = w->n_sector, serv = S - 1; /* services last in both */
    for (size_t c = 0; c < N; c++)
        for (size_t s = 0; s < S; s++) {
            assert_true(w->va_share[tw_world_cs(w, c, s)] == 1.0); /* F4 */
            for (size_t k = 0; k < S; k++)
                assert_true(w->io[tw_world_cks(w, c, k, s)] == 0.0);
        }
    for (size_t k = 0; k < N * N; k++) /* F2 */
        assert_true(w->tariff[serv * N * N + k] == 0.0);
    assert_true(w->theta[serv] == 4.0);       /* F3: CP services */
    assert_true(w->theta[0] == 9.11);         /* CP agriculture */
    size_t us = twtest_country(w, "USA"), cn = twtest_country(w, "CHN");
    /* FOOD kept as in the source (READMEs: USA 0.915 on every partner) */
    assert_true(w->tariff[tw_world_ijs(w, cn, us, twtest_sector(w, b->food))] > 0.9);
    tw_world_free(w);
}

static void test_icio2017(void **state)
{
    (void)state;
    check_cube(&bigs[1]);
}

static void test_wiod2014(void **state)
{
    (void)state;
    check_cube(&bigs[2]);
}

/* ---- solves ----------------------------------------------------------------------------- */

static void zero_shock(const struct big *b)
{
    if (!solves_enabled())
        return;
    tw_world *w = import(b);
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {0};
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    tw_status st = tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err);
    if (st != TW_OK)
        fail_msg("%s: %s", b->source, err.msg);
    assert_true(tw_result_converged(r));
    for (size_t c = 0; c < w->n_country; c++) {
        for (int m = 0; m < TW_C_MEASURE_COUNT; m++) {
            const char *name = tw_country_measure_name((tw_country_measure)m);
            double v = tw_result_country(r, (tw_country_measure)m, c);
            size_t len = strlen(name);
            if (len > 4 && strcmp(name + len - 4, "_pct") == 0 && v != 0.0)
                fail_msg("%s: %s of %s is %g, expected 0", b->source, name,
                         w->country_code[c], v);
            if (len > 4 && strcmp(name + len - 4, "_hat") == 0 && v != 1.0)
                fail_msg("%s: %s of %s is %.17g, expected 1", b->source, name,
                         w->country_code[c], v);
        }
        assert_true(tw_result_country(r, TW_C_WELFARE_USD, c) == 0.0);
    }
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void us_tariff(const struct big *b)
{
    if (!solves_enabled())
        return;
    tw_world *w = import(b);
    size_t us = twtest_country(w, "USA");
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {0};
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    for (size_t s = 0; s < w->n_sector; s++)
        for (size_t i = 0; i < w->n_country; i++)
            if (i != us)
                assert_int_equal(tw_shock_set_tariff(sh, us, i, s,
                                                     tw_world_tariff(w, us, i, s) +
                                                         US_TARIFF_ADD, &err), TW_OK);
    tw_status st = tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err);
    if (st != TW_OK)
        fail_msg("%s: %s", b->source, err.msg);
    assert_true(tw_result_converged(r));
    assert_true(tw_result_country(r, TW_C_TARIFF_REVENUE_CFL_USD, us) >
                tw_result_country(r, TW_C_TARIFF_REVENUE_BASE_USD, us));
    assert_true(tw_result_country(r, TW_C_IMPORTS_HAT, us) < 1.0);
    for (size_t c = 0; c < w->n_country; c++)
        assert_true(isfinite(tw_result_country(r, TW_C_REAL_INCOME_PCT, c)));
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_solve_wiod2011(void **state)
{
    (void)state;
    zero_shock(&bigs[0]);
    us_tariff(&bigs[0]);
}

static void test_solve_icio2017(void **state)
{
    (void)state;
    zero_shock(&bigs[1]);
    us_tariff(&bigs[1]);
}

static void test_solve_wiod2014(void **state)
{
    (void)state;
    zero_shock(&bigs[2]);
    us_tariff(&bigs[2]);
}

/* ---- failure paths ------------------------------------------------------------------------ */

static void test_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_BIG; k++) {
        tw_world *w = NULL;
        tw_err err = {0};
        assert_int_equal(tw_world_import(bigs[k].source, "/nonexistent/tw", &w, &err), TW_EIO);
        assert_null(w);
        assert_non_null(strstr(err.msg, "/nonexistent/tw/regions.csv"));
    }
    /* A gzip file cut short: a copy of the wiod2014 folder with a truncated flows.csv.gz. */
    char src[TWTEST_PATH], tmp[TWTEST_PATH], dst[TWTEST_PATH], p[TWTEST_PATH];
    twtest_shared(bigs[2].dir, src);
    twtest_join(twtest_tmpdir(tmp), "w", dst);
    twtest_copy_dir(src, dst);
    size_t len = 0;
    char *gz = twtest_read_file(twtest_join(dst, "flows.csv.gz", p), &len);
    twtest_write_file(p, gz, len / 2);
    free(gz);
    tw_world *w = NULL;
    tw_err err = {0};
    assert_int_equal(tw_world_import("wiod2014", dst, &w, &err), TW_EIO);
    assert_null(w);
    assert_non_null(strstr(err.msg, "flows.csv.gz: cannot read"));
    /* An unknown sector code in a gzip table is named with its line. */
    twtest_rmtree(dst);
    twtest_copy_dir(src, dst);
    twtest_replace(twtest_join(dst, "sectors.csv", p), "W02,", "X02,");
    assert_int_equal(tw_world_import("wiod2014", dst, &w, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "flows.csv.gz:3:3: sector \"W02\" is not a known sector"));
    twtest_rmtree(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wiod2011),      cmocka_unit_test(test_icio2017),
        cmocka_unit_test(test_wiod2014),      cmocka_unit_test(test_solve_wiod2011),
        cmocka_unit_test(test_solve_icio2017), cmocka_unit_test(test_solve_wiod2014),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
