/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_scale.c: the engine at scale: threads inside one solve give bit-identical
 * results, and the bilateral detail of a result (tw_solve_opts.bilateral) changes what is
 * kept, never the numbers.
 *
 * The threaded test uses synthetic worlds of 60 x 40 = 144,000 bilateral cells, above the
 * size (2^17 = 131,072, src/model/cp.c TW_CP_PAR_MIN_CELLS) from which a solve runs its loops
 * over OpenMP threads (40 sectors and 60 countries do not divide evenly among 3 threads, so
 * the static schedules give the threads unequal blocks), and of 105 x 96 = 1,058,400 cells,
 * above TW_CP_INV_CACHE_MAX_CELLS (2^20), where the model forms shares through its
 * transposition tiles instead of cached importer-major rows.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"
#include "twtest.h"

/* A tariff war between countries 0 and 1 (+25 points both ways) and a trade-cost cut between
 * 2 and 3, on every tradable sector. */
static tw_shock *war_shock(const tw_world *w)
{
    tw_shock *sh = twtest_shock_new(w);
    tw_err err;
    for (size_t s = 0; s < tw_world_n_sector(w); s++) {
        if (!tw_world_sector_is_tradable(w, s))
            continue;
        assert_int_equal(tw_shock_set_tariff(sh, 0, 1, s, tw_world_tariff(w, 0, 1, s) + 0.25,
                                             &err), TW_OK);
        assert_int_equal(tw_shock_set_tariff(sh, 1, 0, s, tw_world_tariff(w, 1, 0, s) + 0.25,
                                             &err), TW_OK);
        assert_int_equal(tw_shock_set_trade_cost(sh, 2, 3, s, 0.9, &err), TW_OK);
    }
    return sh;
}

static tw_result *solve(const tw_world *w, const tw_shock *sh, int threads, tw_bilateral bil)
{
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    o.n_threads = threads;
    o.bilateral = bil;
    tw_result *r = NULL;
    tw_err err;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_OK);
    return r;
}

/* Bit-for-bit equality of two doubles (NaN equal to the same NaN). */
static void assert_same_bits(double a, double b)
{
    assert_memory_equal(&a, &b, sizeof a);
}

/* Every country and sector measure, pair flow and solver report bit-identical. */
static void assert_same_result(const tw_result *a, const tw_result *b)
{
    const tw_world *w = tw_result_world(a);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    for (int m = 0; m < TW_C_MEASURE_COUNT; m++)
        for (size_t c = 0; c < N; c++)
            assert_same_bits(tw_result_country(a, (tw_country_measure)m, c),
                             tw_result_country(b, (tw_country_measure)m, c));
    for (int m = 0; m < TW_S_MEASURE_COUNT; m++)
        for (size_t c = 0; c < N; c++)
            for (size_t s = 0; s < S; s++)
                assert_same_bits(tw_result_sector(a, (tw_sector_measure)m, c, s),
                                 tw_result_sector(b, (tw_sector_measure)m, c, s));
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double ab, ac, bb, bc;
            tw_result_pair_flow(a, i, j, &ab, &ac);
            tw_result_pair_flow(b, i, j, &bb, &bc);
            assert_same_bits(ab, bb);
            assert_same_bits(ac, bc);
        }
    for (int st = 0; st < 2; st++) {
        tw_solver_info ia, ib;
        tw_result_solver(a, (tw_stage)st, &ia);
        tw_result_solver(b, (tw_stage)st, &ib);
        assert_int_equal(ia.iterations, ib.iterations);
        assert_int_equal(ia.price_iterations, ib.price_iterations);
        assert_int_equal(ia.expenditure_iterations, ib.expenditure_iterations);
        assert_same_bits(ia.residual, ib.residual);
    }
}

static void threads_bit_identical(size_t N, size_t S, unsigned seed)
{
    tw_world *w = twtest_synthetic(N, S, seed);
    tw_shock *sh = war_shock(w);
    tw_result *r1 = solve(w, sh, 1, TW_BILATERAL_KEEP);
    tw_result *r2 = solve(w, sh, 2, TW_BILATERAL_KEEP);
    tw_result *r3 = solve(w, sh, 3, TW_BILATERAL_KEEP);
    assert_same_result(r1, r2);
    assert_same_result(r1, r3);
    /* The bilateral detail too, cell by cell. */
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++) {
                double b1, c1, b2, c2;
                tw_result_flow(r1, i, j, s, &b1, &c1);
                tw_result_flow(r2, i, j, s, &b2, &c2);
                assert_same_bits(b1, b2);
                assert_same_bits(c1, c2);
                assert_same_bits(tw_result_tot(r1, i, j, s), tw_result_tot(r2, i, j, s));
                assert_same_bits(tw_result_vot(r1, i, j, s), tw_result_vot(r2, i, j, s));
            }
    /* The war moved something: the comparison is not between two unchanged baselines. */
    assert_true(fabs(tw_result_country(r1, TW_C_REAL_INCOME_PCT, 0)) > 1e-6);
    tw_result_free(r1);
    tw_result_free(r2);
    tw_result_free(r3);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_threads_bit_identical(void **state)
{
    (void)state;
    threads_bit_identical(60, 40, 2385);
}

static void test_threads_bit_identical_big(void **state)
{
    (void)state;
    /* TW_TEST_QUICK=1 (scripts/valgrind-unit.sh): the million-cell solves take many minutes
     * under valgrind; the release and ASan runs execute them */
    const char *q = getenv("TW_TEST_QUICK");
    if (q != NULL && q[0] != '\0' && strcmp(q, "0") != 0)
        skip();
    threads_bit_identical(105, 96, 31);
}

/* A solve asked for 2 threads inside an enclosing parallel region (as in a sweep) runs
 * serially and gives the same bits. */
static void test_threads_inside_parallel_region(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(60, 40, 77);
    tw_shock *sh = war_shock(w);
    tw_result *ref = solve(w, sh, 1, TW_BILATERAL_DROP);
    tw_result *par[2] = {NULL, NULL};
#ifdef _OPENMP
#pragma omp parallel for num_threads(2) schedule(static, 1)
#endif
    for (int k = 0; k < 2; k++) {
        tw_solve_opts o;
        tw_solve_opts_init(&o);
        o.n_threads = 2;
        o.bilateral = TW_BILATERAL_DROP;
        tw_err e;
        if (tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &par[k], &e) != TW_OK)
            par[k] = NULL;
    }
    for (int k = 0; k < 2; k++) {
        assert_non_null(par[k]);
        assert_same_result(ref, par[k]);
        tw_result_free(par[k]);
    }
    tw_result_free(ref);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* Dropping the bilateral detail changes nothing else; without it the three accessors return
 * NaN; with it the flows add up to the pair flows and the decomposition to its totals. */
static void test_bilateral_detail(void **state)
{
    (void)state;
    tw_world *w = NULL;
    tw_err err;
    size_t N = 7, S = 5;
    assert_int_equal(tw_world_synthetic(N, S, 4321, &w, &err), TW_OK);
    tw_shock *sh = war_shock(w);
    tw_result *keep = solve(w, sh, 0, TW_BILATERAL_KEEP);
    tw_result *drop = solve(w, sh, 0, TW_BILATERAL_DROP);
    tw_result *aut = solve(w, sh, 0, TW_BILATERAL_AUTO);
    assert_true(tw_result_has_bilateral(keep));
    assert_false(tw_result_has_bilateral(drop));
    assert_true(tw_result_has_bilateral(aut)); /* 245 cells: far below the AUTO limit */
    assert_same_result(keep, drop);
    assert_same_result(keep, aut);
    double b, c;
    tw_result_flow(drop, 1, 0, 0, &b, &c);
    assert_true(isnan(b) && isnan(c));
    assert_true(isnan(tw_result_tot(drop, 0, 1, 0)));
    assert_true(isnan(tw_result_vot(drop, 0, 1, 0)));
    /* Out-of-range indices are NaN too, never a read out of bounds. */
    tw_result_flow(keep, N, 0, 0, &b, &c);
    assert_true(isnan(b) && isnan(c));
    assert_true(isnan(tw_result_tot(keep, 0, 0, S)));
    tw_result_pair_flow(keep, 0, N, &b, &c);
    assert_true(isnan(b) && isnan(c));
    for (size_t n = 0; n < N; n++) {
        double tot = 0.0, vot = 0.0;
        for (size_t i = 0; i < N; i++) {
            double pb = 0.0, pc = 0.0;
            for (size_t s = 0; s < S; s++) {
                tw_result_flow(keep, i, n, s, &b, &c);
                pb += b;
                pc += c;
                tot += tw_result_tot(keep, n, i, s);
                vot += tw_result_vot(keep, n, i, s);
            }
            double qb, qc;
            tw_result_pair_flow(keep, i, n, &qb, &qc);
            /* Sectors are added in index order in both: the same bits. */
            assert_same_bits(pb, qb);
            assert_same_bits(pc, qc);
        }
        assert_true(fabs(tot - tw_result_country(keep, TW_C_TOT_PCT, n)) < 1e-10);
        assert_true(fabs(vot - tw_result_country(keep, TW_C_VOT_PCT, n)) < 1e-10);
    }
    tw_result_free(keep);
    tw_result_free(drop);
    tw_result_free(aut);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* A zero shock: the counterfactual's flows are the baseline's (shared), with and without
 * detail. */
static void test_zero_shock_shares_flows(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(6, 4, 99);
    tw_shock *sh = twtest_shock_new(w);
    tw_result *r = solve(w, sh, 0, TW_BILATERAL_KEEP);
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < 6; i++)
            for (size_t j = 0; j < 6; j++) {
                double b, c;
                tw_result_flow(r, i, j, s, &b, &c);
                assert_same_bits(b, c);
                assert_true(b >= 0.0);
                assert_same_bits(tw_result_vot(r, i, j, s), 0.0);
            }
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_bad_options(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(3, 2, 5);
    tw_err err;
    tw_shock *sh = twtest_shock_new(w);
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    o.n_threads = -1;
    tw_result *r = NULL;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "n_threads"));
    assert_null(r);
    tw_solve_opts_init(&o);
    o.bilateral = (tw_bilateral)7;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "bilateral"));
    assert_null(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_threads_bit_identical_big),
        cmocka_unit_test(test_threads_inside_parallel_region),
        cmocka_unit_test(test_bilateral_detail),
        cmocka_unit_test(test_zero_shock_shares_flows),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
