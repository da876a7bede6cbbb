/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_model.c: the GE engine (model/cp.c through tw_simulate) against closed
 * forms, metamorphic relations, failure statuses and allocation failures.
 *
 * Closed forms used:
 *   - symmetric two-country one-sector Eaton-Kortum without input-output links: w_hat = 1 by
 *     symmetry and P_hat^-theta = pi_nn + (1 - pi_nn) d_hat^-theta, so real income changes by
 *     P_hat^-1;
 *   - one sector with roundabout production (value-added share beta), no tariffs, balanced
 *     trade: real income changes by (pi'_nn / pi_nn)^(-1 / (theta beta)) (Arkolakis, Costinot
 *     and Rodriguez-Clare 2012, eq. (1); Caliendo-Parro 2015 section 4 with J = 1).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/shock.h"
#include "core/world.h"
#include "tradewar/tradewar.h"
#include "twtest.h"

/* A one-sector world with given flows [N*N] (importer-major: [j*N + i] = i -> j), no
 * tariffs, value-added share beta, theta. */
static tw_world *one_sector_world(size_t N, const double *flows, double beta, double theta)
{
    struct tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_alloc(N, 1, &w, &err), TW_OK);
    char code[8];
    for (size_t c = 0; c < N; c++) {
        snprintf(code, sizeof code, "K%zu", c);
        assert_int_equal(tw_world_set_string(&w->country_code[c], code, &err), TW_OK);
        w->va_share[c] = beta;
        w->io[c] = 1.0 - beta;
        w->alpha[c] = 1.0;
    }
    assert_int_equal(tw_world_set_string(&w->sector_code[0], "G", &err), TW_OK);
    w->theta[0] = theta;
    for (size_t j = 0; j < N; j++)
        for (size_t i = 0; i < N; i++)
            w->flow[tw_world_ijs(w, i, j, 0)] = flows[j * N + i];
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
    return w;
}

static void test_symmetric_two_country_closed_form(void **state)
{
    (void)state;
    const double flows[4] = {70.0, 30.0, 30.0, 70.0};
    const double theta = 4.385, dhat = 1.237;
    tw_world *w = one_sector_world(2, flows, 1.0, theta);
    tw_shock *sh = twtest_shock_new(w);
    tw_err err;
    assert_int_equal(tw_shock_set_trade_cost(sh, 0, 1, 0, dhat, &err), TW_OK);
    assert_int_equal(tw_shock_set_trade_cost(sh, 1, 0, 0, dhat, &err), TW_OK);
    tw_result *r = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
    double phat = pow(0.7 + 0.3 * pow(dhat, -theta), -1.0 / theta);
    for (size_t c = 0; c < 2; c++) {
        assert_true(fabs(tw_result_country(r, TW_C_WAGE_HAT, c) - 1.0) < 1e-12);
        assert_true(fabs(tw_result_country(r, TW_C_PRICE_INDEX_HAT, c) - phat) < 1e-12);
        double expect = 100.0 * (1.0 / phat - 1.0);
        assert_true(fabs(tw_result_country(r, TW_C_REAL_INCOME_PCT, c) - expect) < 1e-9);
        assert_true(fabs(tw_result_country(r, TW_C_REAL_WAGE_PCT, c) - expect) < 1e-9);
    }
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_acr_formula_asymmetric(void **state)
{
    (void)state;
    /* Three unequal countries, roundabout production, an asymmetric trade-cost shock. */
    const double flows[9] = {500.0, 40.0, 25.0, 60.0, 300.0, 15.0, 35.0, 20.0, 150.0};
    const double beta = 0.6, theta = 5.123;
    tw_world *w = one_sector_world(3, flows, beta, theta);
    tw_shock *sh = twtest_shock_new(w);
    tw_err err;
    assert_int_equal(tw_shock_set_trade_cost(sh, 0, 1, 0, 0.813, &err), TW_OK);
    assert_int_equal(tw_shock_set_trade_cost(sh, 2, 0, 0, 1.385, &err), TW_OK);
    assert_int_equal(tw_shock_set_productivity(sh, 1, 0, 1.05, &err), TW_OK);
    tw_result *r = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
    for (size_t n = 0; n < 3; n++) {
        double tb = 0.0, tc = 0.0, db = 0.0, dc = 0.0;
        for (size_t i = 0; i < 3; i++) {
            double b, c;
            tw_result_flow(r, i, n, 0, &b, &c);
            tb += b;
            tc += c;
            if (i == n) {
                db = b;
                dc = c;
            }
        }
        double pihat = (dc / tc) / (db / tb);
        /* Productivity changes shift the formula by a_hat^(1/beta) for the shocked country. */
        double a = n == 1 ? pow(1.05, 1.0 / beta) : 1.0;
        double expect = 100.0 * (a * pow(pihat, -1.0 / (theta * beta)) - 1.0);
        assert_true(fabs(tw_result_country(r, TW_C_REAL_INCOME_PCT, n) - expect) < 1e-8);
    }
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* Apply a 20 % tariff of country 0 on everyone in tradable sectors plus a trade-cost cut. */
static tw_shock *test_shock(const tw_world *w)
{
    tw_shock *sh = twtest_shock_new(w);
    tw_err err;
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    for (size_t s = 0; s < S; s++) {
        if (!tw_world_sector_is_tradable(w, s))
            continue;
        for (size_t i = 1; i < N; i++)
            assert_int_equal(tw_shock_set_tariff(sh, 0, i, s, 0.2385, &err), TW_OK);
        assert_int_equal(tw_shock_set_trade_cost(sh, 1, 2 % N, s, 0.9, &err), TW_OK);
    }
    return sh;
}

static void test_zero_shock_exact(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(5, 4, 2385);
    for (int d = 0; d < 2; d++) {
        tw_shock *sh = twtest_shock_new(w);
        tw_result *r = twtest_simulate(w, sh, (tw_deficits)d, NULL);
        for (size_t c = 0; c < 5; c++) {
            assert_true(tw_result_country(r, TW_C_REAL_INCOME_PCT, c) == 0.0);
            assert_true(tw_result_country(r, TW_C_WELFARE_PCT, c) == 0.0);
            assert_true(tw_result_country(r, TW_C_REAL_WAGE_PCT, c) == 0.0);
            assert_true(tw_result_country(r, TW_C_WAGE_HAT, c) == 1.0);
            assert_true(tw_result_country(r, TW_C_WELFARE_USD, c) == 0.0);
            for (size_t s = 0; s < 4; s++)
                assert_true(tw_result_sector(r, TW_S_PRICE_HAT, c, s) == 1.0);
        }
        tw_result_free(r);
        tw_shock_free(sh);
    }
    tw_world_free(w);
}

static void test_scaling_nominal_values(void **state)
{
    (void)state;
    tw_world *w = NULL, *w2 = NULL;
    tw_err err;
    assert_int_equal(tw_world_synthetic(6, 5, 77, &w, &err), TW_OK);
    assert_int_equal(tw_world_copy(w, &w2, &err), TW_OK);
    const double k = 2.385;
    for (size_t q = 0; q < 5 * 6 * 6; q++)
        w2->flow[q] *= k;
    for (size_t c = 0; c < 6; c++)
        w2->deficit[c] *= k;
    for (int d = 0; d < 2; d++) {
        tw_shock *s1 = test_shock(w), *s2 = test_shock(w2);
        tw_result *r1 = NULL, *r2 = NULL;
        assert_int_equal(tw_simulate(w, s1, (tw_deficits)d, NULL, &r1, &err), TW_OK);
        assert_int_equal(tw_simulate(w2, s2, (tw_deficits)d, NULL, &r2, &err), TW_OK);
        for (size_t c = 0; c < 6; c++) {
            for (int m = 0; m < TW_C_MEASURE_COUNT; m++) {
                double a = tw_result_country(r1, (tw_country_measure)m, c);
                double b = tw_result_country(r2, (tw_country_measure)m, c);
                const char *name = tw_country_measure_name((tw_country_measure)m);
                if (strstr(name, "_usd"))
                    b /= k;
                assert_true(fabs(a - b) <= 1e-8 * (1.0 + fabs(a)));
            }
        }
        tw_result_free(r1);
        tw_result_free(r2);
        tw_shock_free(s1);
        tw_shock_free(s2);
    }
    tw_world_free(w);
    tw_world_free(w2);
}

/* Reverse the order of countries. */
static tw_world *reversed(const tw_world *w)
{
    tw_world *p = NULL;
    tw_err err;
    size_t N = w->n_country, S = w->n_sector;
    assert_int_equal(tw_world_copy(w, &p, &err), TW_OK);
#define RV(c) (N - 1 - (c))
    for (size_t c = 0; c < N; c++) {
        assert_int_equal(tw_world_set_string(&p->country_code[RV(c)], w->country_code[c], &err),
                         TW_OK);
        p->deficit[RV(c)] = w->deficit[c];
        for (size_t s = 0; s < S; s++) {
            p->va_share[RV(c) * S + s] = w->va_share[c * S + s];
            p->alpha[RV(c) * S + s] = w->alpha[c * S + s];
            for (size_t k = 0; k < S; k++)
                p->io[(RV(c) * S + k) * S + s] = w->io[(c * S + k) * S + s];
        }
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                p->flow[tw_world_ijs(p, RV(i), RV(j), s)] = w->flow[tw_world_ijs(w, i, j, s)];
                p->tariff[tw_world_ijs(p, RV(i), RV(j), s)] = w->tariff[tw_world_ijs(w, i, j, s)];
            }
    return p;
}

static void test_permuting_countries(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(5, 3, 4242);
    tw_err err;
    tw_world *p = reversed(w);
    size_t N = 5;
    /* The same economic shock, expressed in each ordering: country C000's tariffs. */
    tw_shock *s1 = NULL, *s2 = NULL;
    assert_int_equal(tw_shock_new(w, &s1, &err), TW_OK);
    assert_int_equal(tw_shock_new(p, &s2, &err), TW_OK);
    for (size_t s = 0; s < 3; s++)
        for (size_t i = 1; i < N; i++) {
            if (!w->tradable[s])
                continue;
            assert_int_equal(tw_shock_set_tariff(s1, 0, i, s, 0.31, &err), TW_OK);
            assert_int_equal(tw_shock_set_tariff(s2, RV(0), RV(i), s, 0.31, &err), TW_OK);
        }
    tw_result *r1 = NULL, *r2 = NULL;
    assert_int_equal(tw_simulate(w, s1, TW_DEFICITS_DATA, NULL, &r1, &err), TW_OK);
    assert_int_equal(tw_simulate(p, s2, TW_DEFICITS_DATA, NULL, &r2, &err), TW_OK);
    for (size_t c = 0; c < N; c++)
        for (int m = 0; m < TW_C_MEASURE_COUNT; m++) {
            double a = tw_result_country(r1, (tw_country_measure)m, c);
            double b = tw_result_country(r2, (tw_country_measure)m, RV(c));
            assert_true(fabs(a - b) <= 1e-8 * (1.0 + fabs(a)));
        }
    tw_result_free(r1);
    tw_result_free(r2);
    tw_shock_free(s1);
    tw_shock_free(s2);
    tw_world_free(p);
    tw_world_free(w);
}

static void test_decomposition_adds_up(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(4, 6, 9);
    tw_shock *sh = test_shock(w);
    tw_result *r = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
    for (size_t n = 0; n < 4; n++) {
        double tot = 0.0, vot = 0.0;
        for (size_t i = 0; i < 4; i++)
            for (size_t s = 0; s < 6; s++) {
                tot += tw_result_tot(r, n, i, s);
                vot += tw_result_vot(r, n, i, s);
            }
        assert_true(fabs(tot - tw_result_country(r, TW_C_TOT_PCT, n)) < 1e-10);
        assert_true(fabs(vot - tw_result_country(r, TW_C_VOT_PCT, n)) < 1e-10);
        double total = tw_result_country(r, TW_C_WELFARE_PCT, n);
        assert_true(fabs(total - tot - vot) < 1e-10);
    }
    /* World exports equal world imports in both equilibria. */
    double ex = 0.0, im = 0.0;
    for (size_t n = 0; n < 4; n++) {
        ex += tw_result_country(r, TW_C_EXPORTS_CFL_USD, n);
        im += tw_result_country(r, TW_C_IMPORTS_CFL_USD, n);
    }
    assert_true(fabs(ex - im) <= 1e-10 * ex);
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* For a small shock the first-order (log) decomposition matches the exact change in real
 * income up to second-order terms: shrinking the shock 10 times shrinks the gap ~100 times. */
static void test_decomposition_first_order(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(4, 3, 12);
    tw_err err;
    double gap[2];
    const double dt[2] = {0.01, 0.001};
    for (int q = 0; q < 2; q++) {
        tw_shock *sh = twtest_shock_new(w);
        for (size_t s = 0; s < 3; s++)
            for (size_t i = 1; i < 4; i++)
                if (w->tradable[s])
                    assert_int_equal(tw_shock_set_tariff(sh, 0, i, s,
                                                         tw_world_tariff(w, 0, i, s) + dt[q],
                                                         &err), TW_OK);
        tw_result *r = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
        gap[q] = 0.0;
        for (size_t n = 0; n < 4; n++)
            gap[q] = fmax(gap[q], fabs(tw_result_country(r, TW_C_WELFARE_LOG_PCT, n) -
                                       tw_result_country(r, TW_C_REAL_INCOME_PCT, n)));
        tw_result_free(r);
        tw_shock_free(sh);
    }
    assert_true(gap[0] > 0.0);
    assert_true(gap[1] < gap[0] / 30.0);
    tw_world_free(w);
}

static void test_not_converged_is_reported(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(4, 3, 5);
    tw_err err;
    tw_shock *sh = test_shock(w);
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    o.max_iter = 2;
    tw_result *r = NULL;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_NOT_CONVERGED);
    assert_non_null(r);
    assert_false(tw_result_converged(r));
    assert_non_null(strstr(err.msg, "not converged"));
    assert_non_null(strstr(err.msg, "baseline"));
    tw_solver_info info;
    tw_result_solver(r, TW_STAGE_COUNTERFACTUAL, &info);
    assert_int_equal(info.status, TW_NOT_CONVERGED);
    assert_int_equal(info.iterations, 2);
    tw_result_free(r);
    /* An inner cap that is too small names the inner loop. */
    tw_solve_opts_init(&o);
    o.max_iter_price = 1;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_NOT_CONVERGED);
    assert_non_null(strstr(err.msg, "price loop"));
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_plain_iteration_agrees(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(7, 5, 31);
    tw_err err;
    tw_shock *sh = test_shock(w);
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    tw_result *r1 = NULL, *r2 = NULL;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r1, &err), TW_OK);
    o.accel_memory = 0;
    o.inner_forcing = 0.0;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r2, &err), TW_OK);
    for (size_t c = 0; c < 7; c++)
        assert_true(fabs(tw_result_country(r1, TW_C_REAL_INCOME_PCT, c) -
                         tw_result_country(r2, TW_C_REAL_INCOME_PCT, c)) < 1e-9);
    tw_result_free(r1);
    tw_result_free(r2);
    tw_shock_free(sh);
    tw_world_free(w);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    tw_world *w = NULL, *w2 = NULL;
    tw_err err;
    assert_int_equal(tw_world_synthetic(3, 2, 1, &w, &err), TW_OK);
    assert_int_equal(tw_world_synthetic(3, 2, 1, &w2, &err), TW_OK);
    tw_shock *sh = twtest_shock_new(w);
    tw_result *r = (tw_result *)&err;
    assert_int_equal(tw_simulate(w2, sh, TW_DEFICITS_DATA, NULL, &r, &err), TW_EINVAL);
    assert_null(r);
    assert_int_equal(tw_simulate(w, NULL, TW_DEFICITS_DATA, NULL, &r, &err), TW_EINVAL);
    assert_int_equal(tw_simulate(w, sh, (tw_deficits)7, NULL, &r, &err), TW_EINVAL);
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    o.damping = 1.5;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "damping"));
    tw_solve_opts_init(&o);
    o.tol_wage = 0.0;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINVAL);
    tw_solve_opts_init(&o);
    o.accel_memory = 99;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_tariff(sh, 0, 1, 0, -0.1, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_tariff(sh, 0, 1, 0, NAN, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_tariff(sh, 0, 0, 0, 0.1, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_tariff(sh, 9, 1, 0, 0.1, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_trade_cost(sh, 0, 1, 0, 0.0, &err), TW_EINVAL);
    assert_int_equal(tw_shock_set_productivity(sh, 0, 5, 1.1, &err), TW_EINVAL);
    tw_shock_free(sh);
    tw_world_free(w);
    tw_world_free(w2);
}

static int cancel_at_3(void *ctx, const char *stage, size_t it, double res)
{
    (void)stage;
    (void)res;
    (*(size_t *)ctx)++;
    return it >= 3;
}

static void test_progress_cancel(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(4, 3, 8);
    tw_err err;
    tw_shock *sh = test_shock(w);
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    size_t calls = 0;
    o.progress = cancel_at_3;
    o.progress_ctx = &calls;
    tw_result *r = NULL;
    assert_int_equal(tw_simulate(w, sh, TW_DEFICITS_DATA, &o, &r, &err), TW_EINTERRUPTED);
    assert_null(r);
    assert_int_equal(calls, 3);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* Fail each allocation of a simulate call in turn: it must return TW_ENOMEM and leak nothing
 * (checked under AddressSanitizer's leak detector in CI), until no allocation fails. */
static void test_allocation_failures(void **state)
{
    (void)state;
    tw_world *w = twtest_synthetic(3, 2, 3);
    tw_err err;
    tw_shock *sh = test_shock(w);
    for (long n = 1;; n++) {
        tw_result *r = NULL;
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_simulate(w, sh, TW_DEFICITS_ZERO, NULL, &r, &err);
        if (twtest_alloc_done(n, st, r, err.msg)) {
            tw_result_free(r);
            assert_true(n > 10);
            break;
        }
    }
    tw_shock_free(sh);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symmetric_two_country_closed_form),
        cmocka_unit_test(test_acr_formula_asymmetric),
        cmocka_unit_test(test_zero_shock_exact),
        cmocka_unit_test(test_scaling_nominal_values),
        cmocka_unit_test(test_permuting_countries),
        cmocka_unit_test(test_decomposition_adds_up),
        cmocka_unit_test(test_decomposition_first_order),
        cmocka_unit_test(test_not_converged_is_reported),
        cmocka_unit_test(test_plain_iteration_agrees),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_progress_cancel),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
