/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_default_world.c: the built-in default world (tw_world_default), the
 * committed bundle data/default-world and the "default2017" importer (docs/default-world.md).
 *
 * Checks:
 *   - tw_world_default is valid (no errors, no warnings) with the documented codes, metadata
 *     and tariff structure, and is bit for bit the committed bundle and a fresh import of the
 *     shared data (skipped without the shared data, failing when CI=true);
 *   - its totals match the sources within the tolerances below: the world flow total and each
 *     region's exports and imports against icio trade_balance.csv, value-added and
 *     input-output shares against the rounded WIOD columns, alpha against an independent
 *     recomputation, theta and non-FOOD tariffs equal to the source, FOOD caps equal to the
 *     trade-weighted Waugh rates recomputed here;
 *   - deficits equal imports - exports exactly and sum to exactly 0;
 *   - sanity, not a golden: a zero shock changes nothing; a 25-point US tariff on every Chinese
 *     good lowers China's real income and raises US tariff revenue;
 *   - failure paths: NULL out, missing folder, a corrupted source cell, a missing Waugh row,
 *     and every allocation failure of tw_world_default.
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
#include <sys/stat.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/world.h"
#include "io/csv.h"
#include "twtest.h"

/* Source folders inside the shared data root. */
#define ICIO "icio_2017_trade_tariffs/agg10"
#define WIOD "wiod_2011_mrio/agg10"
#define USCHINA "uschina"
/* World flow total printed in the icio README, USD mn (rounded to 1 USD mn). */
#define README_TOTAL_MN 155395361.0
/* Tolerances. The flows are flows.csv's USD mn (3 decimals) x 1e6, exact; trade_balance.csv
 * was computed from the unrounded flows and rounded itself, so a region's exports or imports
 * (90 flows, each rounded by at most 500 USD in flows.csv) may differ from it by up to
 * 90 x 500 + 500 USD, and its deficit by twice that: 100,000 USD covers both. */
#define TOL_TOTAL_REL 1e-12    /* world total vs the sum of flows.csv */
#define TOL_TRADE_USD 1e5      /* exports, imports, deficits vs trade_balance.csv */
#define TOL_VA_SHARE 5.0001e-7 /* va_share column has 6 decimals */
#define TOL_IO_REL 5.0001e-8   /* coef column has 8 significant digits */
#define TOL_ALPHA_REL 1e-12    /* alpha vs the recomputation from value - inventories */
#define TOL_ZERO_SHOCK 1e-9    /* zero shock: |hat - 1|, |pct| / 100 */

/* ---- helpers ------------------------------------------------------------------------------- */

/* <repo>/data/default-world, the repo root being the parent of TW_TEST_DATA (tests/). */
static const char *bundle_path(char *buf)
{
    const char *t = getenv("TW_TEST_DATA");
    if (t == NULL || t[0] == '\0')
        fail_msg("TW_TEST_DATA is not set (run the tests through ctest)");
    int n = snprintf(buf, TWTEST_PATH, "%s/../data/default-world", t);
    if (n < 0 || n >= TWTEST_PATH)
        fail_msg("path too long");
    return buf;
}

static tw_world *default_world(void)
{
    tw_world *w = NULL;
    tw_err err = {0};
    tw_status st = tw_world_default(&w, &err);
    if (st != TW_OK)
        fail_msg("tw_world_default: %s", err.msg);
    return w;
}

/* The world from the shared data (skips the test when absent). */
static tw_world *imported_world(void)
{
    char root[TWTEST_PATH];
    twtest_shared(ICIO, root);
    const char *r = getenv("TW_SHARED_DATA");
    tw_world *w = NULL;
    tw_err err = {0};
    if (tw_world_import("default2017", r, &w, &err) != TW_OK)
        fail_msg("import default2017: %s", err.msg);
    return w;
}

/* A shared-data CSV (skips the test when absent). */
static tw_csv_table *shared_csv(const char *dir, const char *file)
{
    char d[TWTEST_PATH], p[TWTEST_PATH];
    twtest_join(twtest_shared(dir, d), file, p);
    tw_csv_table *t = NULL;
    tw_err err = {0};
    if (tw_csv_read_file(p, &t, &err) != TW_OK)
        fail_msg("%s", err.msg);
    return t;
}

static size_t column(const tw_csv_table *t, const char *name)
{
    size_t c;
    if (!tw_csv_find_column(t, name, &c))
        fail_msg("%s: no column %s", t->name, name);
    return c;
}

static double number(const tw_csv_table *t, size_t r, size_t c)
{
    double v;
    if (tw_csv_parse_double(tw_csv_field(t, r, c), &v) != TW_CSV_NUM_OK)
        fail_msg("%s: row %zu column %zu is not a number", t->name, r + 1, c + 1);
    return v;
}

/* ---- the world itself ---------------------------------------------------------------------- */

static void test_default_is_valid(void **state)
{
    (void)state;
    static const char *const regions[10] = {"USA", "CHN", "EU",  "JPN", "KOR",
                                            "CAN", "MEX", "IND", "BRA", "ROW"};
    static const char *const sectors[10] = {"AGR", "MIN",  "FOOD", "TEX",  "CHEM",
                                            "MET", "MACH", "TRAN", "OMAN", "SERV"};
    tw_world *w = default_world();
    tw_diag *d = NULL;
    tw_err err = {0};
    assert_int_equal(tw_diag_new(&d, &err), TW_OK);
    assert_int_equal(tw_world_validate(w, "default", d, &err), TW_OK);
    if (tw_diag_count(d) != 0)
        twtest_diag_print(d);
    assert_int_equal(tw_diag_count(d), 0);
    tw_diag_free(d);
    assert_int_equal(tw_world_n_country(w), 10);
    assert_int_equal(tw_world_n_sector(w), 10);
    for (size_t k = 0; k < 10; k++) {
        assert_string_equal(tw_world_country_code(w, k), regions[k]);
        assert_string_equal(tw_world_sector_code(w, k), sectors[k]);
        assert_true(tw_world_sector_is_tradable(w, k));
    }
    assert_string_equal(tw_world_meta(w, "name"),
                        "tradewar default world (2017, 10 regions x 10 sectors)");
    assert_string_equal(tw_world_meta(w, "year"), "2017");
    assert_string_equal(tw_world_meta(w, "currency"), "USD");
    assert_non_null(strstr(tw_world_meta(w, "source"), "Inter-Country Input-Output"));
    assert_non_null(strstr(tw_world_meta(w, "source"), "WIOD"));
    /* SERV is traded internationally, with zero tariffs; the diagonal is 0. */
    size_t serv = twtest_sector(w, "SERV");
    size_t us = twtest_country(w, "USA");
    size_t cn = twtest_country(w, "CHN");
    assert_true(tw_world_flow(w, us, cn, serv) > 0.0);
    for (size_t j = 0; j < 10; j++)
        for (size_t i = 0; i < 10; i++) {
            assert_true(tw_world_tariff(w, j, i, serv) == 0.0);
            for (size_t s = 0; s < 10 && i == j; s++)
                assert_true(tw_world_tariff(w, j, i, s) == 0.0);
        }
    tw_world_free(w);
}

static void test_default_equals_bundle(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    tw_world *a = default_world(), *b = NULL;
    tw_err err = {0};
    if (tw_world_read(bundle_path(dir), &b, &err) != TW_OK)
        fail_msg("%s", err.msg);
    twtest_expect_same_world(a, b);
    tw_world_free(a);
    tw_world_free(b);
}

static void test_default_equals_import(void **state)
{
    (void)state;
    tw_world *b = imported_world(), *a = default_world();
    twtest_expect_same_world(a, b);
    tw_world_free(a);
    tw_world_free(b);
}

static void test_deficits_exact(void **state)
{
    (void)state;
    tw_world *w = default_world();
    double sum = 0.0;
    for (size_t c = 0; c < w->n_country; c++) {
        assert_true(w->deficit[c] == tw_world_imports(w, c) - tw_world_exports(w, c));
        sum += w->deficit[c];
    }
    assert_true(sum == 0.0);
    for (size_t k = 0; k < w->n_sector * w->n_country * w->n_country; k++)
        assert_true(w->flow[k] == nearbyint(w->flow[k]));
    tw_world_free(w);
}

/* ---- against the sources ------------------------------------------------------------------- */

static void test_flows_match_icio(void **state)
{
    (void)state;
    tw_csv_table *f = shared_csv(ICIO, "flows.csv"), *tb = shared_csv(ICIO, "trade_balance.csv");
    tw_world *w = default_world();
    size_t cv = column(f, "value");
    double src = 0.0, ours = 0.0;
    for (size_t r = 0; r < f->n_rows; r++)
        src += number(f, r, cv) * 1e6;
    for (size_t k = 0; k < w->n_sector * w->n_country * w->n_country; k++)
        ours += w->flow[k];
    assert_true(fabs(ours - src) <= TOL_TOTAL_REL * src);
    assert_true(fabs(ours - README_TOTAL_MN * 1e6) <= 1e6);
    size_t cc = column(tb, "country"), cx = column(tb, "exports"), cm = column(tb, "imports");
    size_t cd = column(tb, "deficit");
    assert_int_equal(tb->n_rows, w->n_country);
    for (size_t r = 0; r < tb->n_rows; r++) {
        size_t c = twtest_country(w, tw_csv_field(tb, r, cc));
        double x = number(tb, r, cx) * 1e6, m = number(tb, r, cm) * 1e6;
        assert_true(fabs(tw_world_exports(w, c) - x) <= TOL_TRADE_USD);
        assert_true(fabs(tw_world_imports(w, c) - m) <= TOL_TRADE_USD);
        assert_true(fabs(tw_world_deficit(w, c) - number(tb, r, cd) * 1e6) <= TOL_TRADE_USD);
    }
    tw_csv_free(f);
    tw_csv_free(tb);
    tw_world_free(w);
}

static void test_shares_match_wiod(void **state)
{
    (void)state;
    tw_csv_table *va = shared_csv(WIOD, "value_added.csv");
    tw_csv_table *io = shared_csv(WIOD, "io_coefficients.csv");
    tw_csv_table *fd = shared_csv(WIOD, "final_demand.csv");
    tw_world *w = default_world();
    size_t N = w->n_country, S = w->n_sector;
    size_t c0 = column(va, "country"), s0 = column(va, "sector"), v0 = column(va, "va_share");
    assert_int_equal(va->n_rows, N * S);
    for (size_t r = 0; r < va->n_rows; r++) {
        size_t c = twtest_country(w, tw_csv_field(va, r, c0));
        size_t s = twtest_sector(w, tw_csv_field(va, r, s0));
        assert_true(fabs(tw_world_va_share(w, c, s) - number(va, r, v0)) <= TOL_VA_SHARE);
    }
    size_t c1 = column(io, "country"), k1 = column(io, "from_sector");
    size_t s1 = column(io, "to_sector"), v1 = column(io, "coef");
    assert_int_equal(io->n_rows, N * S * S);
    for (size_t r = 0; r < io->n_rows; r++) {
        size_t c = twtest_country(w, tw_csv_field(io, r, c1));
        size_t k = twtest_sector(w, tw_csv_field(io, r, k1));
        size_t s = twtest_sector(w, tw_csv_field(io, r, s1));
        double g = tw_world_io_share(w, c, k, s), src = number(io, r, v1);
        assert_true(fabs(g - src) <= TOL_IO_REL * fabs(src) + 1e-15);
    }
    /* alpha = (value - inventories) / its country total: the same numbers as the importer's
     * sum of the four other columns, reached through different columns. */
    size_t c2 = column(fd, "country"), s2 = column(fd, "sector"), v2 = column(fd, "value");
    size_t i2 = column(fd, "inventories");
    double *a = calloc(N * S, sizeof *a), *tot = calloc(N, sizeof *tot);
    for (size_t r = 0; r < fd->n_rows; r++) {
        size_t c = twtest_country(w, tw_csv_field(fd, r, c2));
        size_t s = twtest_sector(w, tw_csv_field(fd, r, s2));
        a[c * S + s] = number(fd, r, v2) - number(fd, r, i2);
        tot[c] += a[c * S + s];
    }
    for (size_t c = 0; c < N; c++)
        for (size_t s = 0; s < S; s++) {
            double expect = a[c * S + s] / tot[c];
            assert_true(tw_world_final_share(w, c, s) >= 0.0);
            assert_true(fabs(tw_world_final_share(w, c, s) - expect) <=
                        TOL_ALPHA_REL * expect + 1e-15);
        }
    free(a);
    free(tot);
    tw_csv_free(va);
    tw_csv_free(io);
    tw_csv_free(fd);
    tw_world_free(w);
}

/* The trade-weighted 2017 NAICS 311+312 rate of a Waugh file, as a fraction. */
static double waugh_food_rate(const char *file)
{
    tw_csv_table *t = shared_csv(USCHINA, file);
    size_t ct = column(t, "time"), cn = column(t, "naics3");
    size_t cr = column(t, "tariff_trd_w_avg"), cw = column(t, "china_trade");
    double num = 0.0, den = 0.0;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *n = tw_csv_field(t, r, cn);
        if (strncmp(tw_csv_field(t, r, ct), "2017-", 5) == 0 &&
            (strcmp(n, "311") == 0 || strcmp(n, "312") == 0)) {
            num += number(t, r, cr) / 100.0 * number(t, r, cw);
            den += number(t, r, cw);
        }
    }
    tw_csv_free(t);
    return num / den;
}

static void test_tariffs_theta_match_sources(void **state)
{
    (void)state;
    tw_csv_table *t = shared_csv(ICIO, "tariffs.csv"), *e = shared_csv(ICIO, "elasticities.csv");
    tw_world *w = default_world();
    size_t food = twtest_sector(w, "FOOD");
    size_t us = twtest_country(w, "USA");
    size_t cn = twtest_country(w, "CHN");
    double cap_us = waugh_food_rate("waugh_us_tariffs_on_china_by_naics3_monthly.csv");
    double cap_cn = waugh_food_rate("waugh_china_tariffs_on_us_by_naics3_monthly.csv");
    size_t ci = column(t, "importer"), cx = column(t, "exporter"), cs = column(t, "sector");
    size_t ct = column(t, "tariff");
    assert_int_equal(t->n_rows, 1000);
    for (size_t r = 0; r < t->n_rows; r++) {
        size_t j = twtest_country(w, tw_csv_field(t, r, ci));
        size_t i = twtest_country(w, tw_csv_field(t, r, cx));
        size_t s = twtest_sector(w, tw_csv_field(t, r, cs));
        double src = number(t, r, ct), ours = tw_world_tariff(w, j, i, s);
        if (s == food && (j == us || j == cn) && i != j)
            assert_true(ours == fmin(src, j == us ? cap_us : cap_cn));
        else
            assert_true(ours == src);
    }
    /* Rule T2 in numbers: the tobacco-distorted 0.915 is gone; NAFTA stays 0. */
    assert_true(fabs(tw_world_tariff(w, us, cn, food) - cap_us) == 0.0);
    assert_true(cap_us > 0.05 && cap_us < 0.15 && cap_cn > 0.05 && cap_cn < 0.15);
    assert_true(tw_world_tariff(w, us, twtest_country(w, "MEX"), food) == 0.0);
    assert_true(tw_world_tariff(w, cn, us, food) == cap_cn);
    size_t es = column(e, "sector"), esrc = column(e, "source"), ev = column(e, "epsilon");
    size_t n_cp = 0;
    for (size_t r = 0; r < e->n_rows; r++)
        if (strcmp(tw_csv_field(e, r, esrc), "CP") == 0) {
            size_t s = twtest_sector(w, tw_csv_field(e, r, es));
            assert_true(tw_world_theta(w, s) == number(e, r, ev));
            n_cp++;
        }
    assert_int_equal(n_cp, 10);
    tw_csv_free(t);
    tw_csv_free(e);
    tw_world_free(w);
}

/* ---- sanity simulations -------------------------------------------------------------------- */

static void test_zero_shock_changes_nothing(void **state)
{
    (void)state;
    tw_world *w = default_world();
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {0};
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err), TW_OK);
    assert_true(tw_result_converged(r));
    for (size_t c = 0; c < w->n_country; c++)
        for (int m = 0; m < TW_C_MEASURE_COUNT; m++) {
            const char *name = tw_country_measure_name((tw_country_measure)m);
            double v = tw_result_country(r, (tw_country_measure)m, c);
            size_t len = strlen(name);
            if (len > 4 && strcmp(name + len - 4, "_pct") == 0)
                assert_true(fabs(v) <= 100.0 * TOL_ZERO_SHOCK);
            else if (len > 4 && strcmp(name + len - 4, "_hat") == 0)
                assert_true(fabs(v - 1.0) <= TOL_ZERO_SHOCK);
        }
    for (size_t c = 0; c < w->n_country; c++) {
        double base = tw_result_country(r, TW_C_IMPORTS_BASE_USD, c);
        double cfl = tw_result_country(r, TW_C_IMPORTS_CFL_USD, c);
        assert_true(fabs(cfl - base) <= TOL_ZERO_SHOCK * base);
        assert_true(fabs(tw_result_country(r, TW_C_WELFARE_USD, c)) <=
                    TOL_ZERO_SHOCK * tw_result_country(r, TW_C_INCOME_BASE_USD, c));
    }
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_us_tariff_on_china(void **state)
{
    (void)state;
    tw_world *w = default_world();
    size_t us = twtest_country(w, "USA");
    size_t cn = twtest_country(w, "CHN");
    size_t serv = twtest_sector(w, "SERV");
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    tw_err err = {0};
    assert_int_equal(tw_shock_new(w, &sh, &err), TW_OK);
    for (size_t s = 0; s < w->n_sector; s++)
        if (s != serv)
            assert_int_equal(
                tw_shock_set_tariff(sh, us, cn, s, tw_world_tariff(w, us, cn, s) + 0.25, &err),
                TW_OK);
    for (int d = 0; d < 2; d++) {
        assert_int_equal(tw_simulate(w, sh, (tw_deficits)d, NULL, &r, &err), TW_OK);
        assert_true(tw_result_converged(r));
        assert_true(tw_result_country(r, TW_C_REAL_INCOME_PCT, cn) < 0.0);
        assert_true(tw_result_country(r, TW_C_WELFARE_PCT, cn) < 0.0);
        assert_true(tw_result_country(r, TW_C_TARIFF_REVENUE_HAT, us) > 1.0);
        double base, cfl, b_sum = 0.0, c_sum = 0.0;
        for (size_t s = 0; s < w->n_sector; s++)
            if (s != serv) {
                tw_result_flow(r, cn, us, s, &base, &cfl);
                b_sum += base;
                c_sum += cfl;
            }
        assert_true(c_sum < b_sum);
        tw_result_free(r);
        r = NULL;
    }
    tw_shock_free(sh);
    tw_world_free(w);
}

/* ---- failure paths ------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    tw_err err = {0};
    tw_world *w = (tw_world *)&err; /* must be reset to NULL */
    assert_int_equal(tw_world_default(NULL, &err), TW_EINVAL);
    assert_int_equal(tw_world_import("default2017", "/nonexistent/tw", &w, &err), TW_EIO);
    assert_null(w);
    assert_non_null(strstr(err.msg, "/nonexistent/tw/" ICIO "/regions.csv"));
}

/* Copy the three source folders of the shared data into tmp (as a shared data root). */
static void copy_sources(const char *tmp)
{
    static const char *const sub[3] = {ICIO, WIOD, USCHINA};
    char src[TWTEST_PATH], dst[TWTEST_PATH], parent[TWTEST_PATH];
    for (size_t k = 0; k < 3; k++) {
        twtest_shared(sub[k], src);
        twtest_join(tmp, sub[k], dst);
        snprintf(parent, sizeof parent, "%s", dst);
        char *slash = strrchr(parent, '/');
        *slash = '\0';
        mkdir(parent, 0700);
        twtest_copy_dir(src, dst);
    }
}

static void test_bad_sources(void **state)
{
    (void)state;
    static const struct {
        const char *file, *from, *to, *msg;
    } bad[] = {
        {WIOD "/value_added.csv", "USA,AGR,180261.000000", "USA,AGR,n/a",
         "value_added.csv:2:3: value \"n/a\" is not a finite number"},
        {WIOD "/final_demand.csv", "78197.000", "-78197.000", "final_demand.csv:2:4: cons_h"},
        {WIOD "/regions.csv", "\nBRA,", "\nBRX,", "regions.csv:10:1: region \"BRX\""},
        {ICIO "/elasticities.csv", "SERV,CP,", "SERV,CPX,", "1 of 10 keys have no row with "
                                                          "source = CP"},
        {USCHINA "/waugh_us_tariffs_on_china_by_naics3_monthly.csv", "2017-05-01,312,",
         "2017-05-01,999,", "23 rows for months 2017-*"},
        {ICIO "/flows.csv", "USA,USA,AGR,415788.440", "USA,USA,AGR,-1",
         "flows.csv:2:4: value -1 is negative"},
    };
    char tmp[TWTEST_PATH], path[TWTEST_PATH];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        twtest_tmpdir(tmp);
        copy_sources(tmp);
        twtest_replace(twtest_join(tmp, bad[k].file, path), bad[k].from, bad[k].to);
        tw_world *w = NULL;
        tw_err err = {0};
        assert_int_equal(tw_world_import("default2017", tmp, &w, &err), TW_EINVAL);
        assert_null(w);
        if (strstr(err.msg, bad[k].msg) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", k, err.msg, bad[k].msg);
        twtest_rmtree(tmp);
    }
}

static void test_alloc_failures(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        tw_world *w = NULL;
        tw_err err = {0};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_world_default(&w, &err);
        if (twtest_alloc_done(n, st, w, err.msg)) {
            tw_world_free(w);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_valid),
        cmocka_unit_test(test_default_equals_bundle),
        cmocka_unit_test(test_default_equals_import),
        cmocka_unit_test(test_deficits_exact),
        cmocka_unit_test(test_flows_match_icio),
        cmocka_unit_test(test_shares_match_wiod),
        cmocka_unit_test(test_tariffs_theta_match_sources),
        cmocka_unit_test(test_zero_shock_changes_nothing),
        cmocka_unit_test(test_us_tariff_on_china),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_bad_sources),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
