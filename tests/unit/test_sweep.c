/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_sweep.c: Monte Carlo sweeps (policy/sweep.c): determinism across thread
 * counts and partitions, draw modes, statistics on known values, failed draws, records.
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

static const char *yaml = "start: 2018-01-01\nuntil: 2019-01-01\nactions:\n"
                          "  - {imposer: C000, target: C001, rate: {add: 0.25},"
                          " effective: 2018-03-01}\n";

struct fixture {
    tw_world *w;
    tw_scenario *sc;
};

/* A synthetic 4 x 3 world and the scenario `yaml` on it, as the test state. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    *state = f;
    tw_err err;
    assert_int_equal(tw_world_synthetic(4, 3, 2385, &f->w, &err), TW_OK);
    assert_int_equal(tw_scenario_read_buf(yaml, strlen(yaml), "s.yaml", &f->sc, &err), TW_OK);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tw_scenario_free(f->sc);
    tw_world_free(f->w);
    free(f);
    return 0;
}

/* Default options but n_draws draws in `mode` from `values`. */
static tw_sweep_opts opts(size_t n_draws, tw_sweep_mode mode, const double *values)
{
    tw_sweep_opts o;
    tw_sweep_opts_init(&o);
    o.n_draws = n_draws;
    o.mode = mode;
    o.values = values;
    return o;
}

static tw_sweep *run(struct fixture *f, const tw_sweep_opts *o, size_t parts)
{
    tw_sweep *sw = NULL;
    tw_err err;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, o, &sw, &err), TW_OK);
    for (size_t p = 0; p < parts; p++)
        assert_int_equal(tw_sweep_run(sw, 0, o->n_draws, p, parts, &err), TW_OK);
    return sw;
}

static void test_deterministic(void **state)
{
    struct fixture *f = *state;
    tw_sweep_opts o;
    tw_sweep_opts_init(&o);
    o.n_draws = 12;
    o.seed = 42;
    o.n_threads = 1;
    tw_sweep *a = run(f, &o, 1);
    o.n_threads = 2;
    tw_sweep *b = run(f, &o, 3); /* three "ranks" in one process, two threads */
    size_t len = tw_sweep_record_len(a);
    double *ra = malloc(len * sizeof *ra), *rb = malloc(len * sizeof *rb);
    for (size_t k = 0; k < 12; k++) {
        assert_int_equal(tw_sweep_draw_status(a, k), TW_OK);
        tw_sweep_get_record(a, k, ra);
        tw_sweep_get_record(b, k, rb);
        assert_memory_equal(ra, rb, len * sizeof *ra);
    }
    /* Draws differ from each other and from the estimate; another seed differs. */
    assert_true(tw_sweep_draw_theta(a, 0, 0) != tw_sweep_draw_theta(a, 1, 0));
    assert_true(tw_sweep_draw_theta(a, 0, 0) != tw_world_theta(f->w, 0));
    o.seed = 43;
    tw_sweep *c = run(f, &o, 1);
    assert_true(tw_sweep_draw_theta(a, 0, 0) != tw_sweep_draw_theta(c, 0, 0));
    free(ra);
    free(rb);
    tw_sweep_free(a);
    tw_sweep_free(b);
    tw_sweep_free(c);
}

static void test_draws_mode_and_stats(void **state)
{
    struct fixture *f = *state;
    /* Five explicit draws: the estimate scaled by 0.8, 0.9, 1, 1.1, 1.2. */
    double vals[5 * 3];
    for (size_t k = 0; k < 5; k++)
        for (size_t s = 0; s < 3; s++)
            vals[k * 3 + s] = tw_world_theta(f->w, s) * (0.8 + 0.1 * (double)k);
    tw_sweep_opts o = opts(5, TW_SWEEP_DRAWS, vals);
    tw_sweep *sw = run(f, &o, 1);
    double v[5];
    for (size_t k = 0; k < 5; k++) {
        assert_true(tw_sweep_draw_theta(sw, k, 2) == vals[k * 3 + 2]);
        v[k] = tw_sweep_draw_value(sw, k, 1, TW_SWEEP_REAL_INCOME_PCT);
    }
    double mean = (v[0] + v[1] + v[2] + v[3] + v[4]) / 5.0;
    assert_true(fabs(tw_sweep_stat_value(sw, 1, TW_SWEEP_REAL_INCOME_PCT, TW_STAT_MEAN) - mean)
                < 1e-12);
    /* Type-7 quantiles of 5 sorted values: p5 = x1 + 0.2 (x2 - x1), median = x3. */
    double s[5];
    memcpy(s, v, sizeof s);
    for (int x = 1; x < 5; x++)
        for (int y = x; y > 0 && s[y - 1] > s[y]; y--) {
            double t = s[y];
            s[y] = s[y - 1];
            s[y - 1] = t;
        }
    assert_true(tw_sweep_stat_value(sw, 1, TW_SWEEP_REAL_INCOME_PCT, TW_STAT_MEDIAN) == s[2]);
    assert_true(fabs(tw_sweep_stat_value(sw, 1, TW_SWEEP_REAL_INCOME_PCT, TW_STAT_P05) -
                     (s[0] + 0.2 * (s[1] - s[0]))) < 1e-15);
    /* The target of the tariff loses in every draw. */
    assert_true(tw_sweep_stat_value(sw, 1, TW_SWEEP_REAL_INCOME_PCT, TW_STAT_SHARE_LOSING) == 1.0);
    tw_sweep_free(sw);
}

static void test_sets_and_failures(void **state)
{
    struct fixture *f = *state;
    double sets[2 * 3] = {3.1, 4.2, 5.3, 6.4, 7.5, 8.6};
    tw_sweep_opts o = opts(8, TW_SWEEP_SETS, sets);
    o.n_sets = 2;
    tw_sweep *sw = run(f, &o, 1);
    for (size_t k = 0; k < 8; k++) {
        int set = tw_sweep_draw_set(sw, k);
        assert_true(set == 0 || set == 1);
        assert_true(tw_sweep_draw_theta(sw, k, 1) == sets[set * 3 + 1]);
    }
    tw_sweep_free(sw);
    /* A solver cap of 2 iterations: every draw fails, is counted, and stats are NaN. */
    tw_sweep_opts_init(&o);
    o.n_draws = 3;
    o.solve.max_iter = 2;
    sw = run(f, &o, 1);
    assert_int_equal(tw_sweep_n_failed(sw), 3);
    assert_int_equal(tw_sweep_draw_status(sw, 0), TW_NOT_CONVERGED);
    assert_true(isnan(tw_sweep_stat_value(sw, 0, TW_SWEEP_WELFARE_USD, TW_STAT_MEAN)));
    tw_sweep_free(sw);
    /* Bad options. */
    tw_err err;
    o.n_draws = 0;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &sw, &err), TW_EINVAL);
    tw_sweep_opts_init(&o);
    o.mode = TW_SWEEP_SETS;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &sw, &err), TW_EINVAL);
}

/* Shock sizes: with the elasticities fixed, a larger productivity gain for C002 gives C002 a
 * larger real income gain, draw by draw; with shock_rel_sd = 0 every factor is 1. */
static void test_shock_sizes(void **state)
{
    struct fixture *f = *state;
    const char *y = "start: 2018-01-01\nuntil: 2019-01-01\nactions:\n"
                    "  - {type: productivity, country: C002, rate: {factor: 1.1},"
                    " effective: 2018-03-01}\n";
    tw_scenario *sc = NULL;
    tw_err err;
    assert_int_equal(tw_scenario_read_buf(y, strlen(y), "p.yaml", &sc, &err), TW_OK);
    double vals[6 * 3];
    for (size_t k = 0; k < 6; k++)
        for (size_t s = 0; s < 3; s++)
            vals[k * 3 + s] = tw_world_theta(f->w, s);
    tw_sweep_opts o = opts(6, TW_SWEEP_DRAWS, vals);
    o.shock_rel_sd = 0.4;
    tw_sweep *sw = NULL;
    assert_int_equal(tw_sweep_new(f->w, sc, TW_DEFICITS_DATA, NULL, &o, &sw, &err), TW_OK);
    assert_int_equal(tw_sweep_run(sw, 0, 6, 0, 1, &err), TW_OK);
    for (size_t a = 0; a < 6; a++)
        for (size_t b = 0; b < 6; b++) {
            double fa = tw_sweep_draw_shock_scale(sw, a), fb = tw_sweep_draw_shock_scale(sw, b);
            double va = tw_sweep_draw_value(sw, a, 2, TW_SWEEP_REAL_INCOME_PCT);
            double vb = tw_sweep_draw_value(sw, b, 2, TW_SWEEP_REAL_INCOME_PCT);
            assert_true(fa > 0.0);
            if (fa < fb)
                assert_true(va < vb);
        }
    assert_true(tw_sweep_draw_shock_scale(sw, 0) != tw_sweep_draw_shock_scale(sw, 1));
    tw_sweep_free(sw);
    o.shock_rel_sd = 0.0;
    assert_int_equal(tw_sweep_new(f->w, sc, TW_DEFICITS_DATA, NULL, &o, &sw, &err), TW_OK);
    assert_true(tw_sweep_draw_shock_scale(sw, 3) == 1.0);
    tw_sweep_free(sw);
    tw_scenario_free(sc);
}

/* A diagonal covariance with cov_ss = se_s^2 draws exactly what the standard errors draw (same
 * stream, no rejection at this small sd); a non-positive-definite matrix is refused. */
static void test_covariance(void **state)
{
    struct fixture *f = *state;
    double se[3] = {0.2385, 0.31, 0.17}, cov[9] = {0};
    for (size_t s = 0; s < 3; s++)
        cov[s * 3 + s] = se[s] * se[s];
    tw_sweep_opts o;
    tw_sweep_opts_init(&o);
    o.n_draws = 5;
    o.se = se;
    tw_sweep *a = NULL, *b = NULL;
    tw_err err;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &a, &err), TW_OK);
    o.cov = cov;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &b, &err), TW_OK);
    for (size_t k = 0; k < 5; k++)
        for (size_t s = 0; s < 3; s++)
            assert_true(fabs(tw_sweep_draw_theta(a, k, s) - tw_sweep_draw_theta(b, k, s)) <
                        1e-15);
    tw_sweep_free(a);
    tw_sweep_free(b);
    /* Correlated: theta_0 - est_0 and theta_1 - est_1 keep the ratio of a rank-one cov. */
    double r1[9] = {0.04, 0.02, 0, 0.02, 0.01 + 1e-12, 0, 0, 0, 0.01};
    o.cov = r1;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &a, &err), TW_OK);
    for (size_t k = 0; k < 5; k++) {
        double d0 = tw_sweep_draw_theta(a, k, 0) - tw_world_theta(f->w, 0);
        double d1 = tw_sweep_draw_theta(a, k, 1) - tw_world_theta(f->w, 1);
        assert_true(fabs(d1 - 0.5 * d0) < 1e-5);
    }
    tw_sweep_free(a);
    double bad[9] = {1, 2, 0, 2, 1, 0, 0, 0, 1};
    o.cov = bad;
    assert_int_equal(tw_sweep_new(f->w, f->sc, TW_DEFICITS_DATA, NULL, &o, &a, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "positive definite"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draws_mode_and_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sets_and_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shock_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_covariance, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
