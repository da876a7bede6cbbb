/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_ppml_synth.c: PPML on synthetic gravity panels (core/synth_panel.c) and the
 * properties of the fast demeaning path (estim/fe.c):
 *
 *   - recovery: on a 40-country x 8-year panel (12,480 rows, seed 1) drawn with ln_dist -0.8,
 *     cntg 0.4, rta 0.5, the two-way model recovers each coefficient within 3 clustered SEs and
 *     the three-way (pair FE) model recovers rta within 3 SEs and 0.03. The draws are fixed by
 *     the seed, so the test cannot flicker; the tolerances are what a correct estimator
 *     achieves with probability > 0.99 on any seed (the estimates are asymptotically normal);
 *   - determinism of the generator (same seed, same panel; another seed, another panel);
 *   - threads: n_threads 1, 2 and 3 give bit-for-bit the same coefficients, SEs, deviance and
 *     FE sums (each demeaned vector iterates independently of the others);
 *   - inexact early demeaning (the default tol_demean_first) against exact demeaning in every
 *     iteration: estimates and SEs agree to 1e-9 relative;
 *   - two-way clustered SEs against an independent dense computation of the Cameron, Gelbach
 *     and Miller (2011) formula, V = H^-1 (M_A + M_B - M_AB) H^-1 times G/(G-1), G = min(G_A,
 *     G_B): the regressors are partialled out of the explicit exporter-year and importer-year
 *     dummies by a dense weighted least-squares solve (LAPACK dgelsd), at the estimator's
 *     fitted means; agreement to 1e-7 relative.
 */
#include <lapacke.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"

static void expect_close(double a, double e, double rtol, const char *what)
{
    if (!(fabs(a - e) <= rtol * (1.0 + fabs(e))))
        fail_msg("%s: got %.12g, expected %.12g (rtol %g)", what, a, e, rtol);
}

static tw_synth_panel *panel(size_t n_country, size_t n_year, unsigned long long seed)
{
    tw_synth_panel_opts o;
    tw_synth_panel_opts_init(&o);
    o.n_country = n_country;
    o.n_year = n_year;
    o.seed = seed;
    tw_synth_panel *p = NULL;
    tw_err err = {0};
    if (tw_synth_panel_new(&o, &p, &err) != TW_OK)
        fail_msg("%s", err.msg);
    return p;
}

static tw_ppml *fit(const tw_ppml_data *d, const tw_ppml_opts *o)
{
    tw_ppml *p = NULL;
    tw_err err = {0};
    tw_status st = tw_ppml_new(d, o, &p, &err);
    if (st != TW_OK && st != TW_DROPPED)
        fail_msg("tw_ppml_new: %s", err.msg);
    assert_true(tw_ppml_converged(p));
    return p;
}

static void test_recovery(void **state)
{
    (void)state;
    tw_synth_panel *sp = panel(40, 8, 1);
    assert_int_equal(tw_synth_panel_n_obs(sp), 40 * 39 * 8);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.vcov = TW_VCOV_CLUSTER;
    tw_ppml *p = fit(tw_synth_panel_data(sp, false), &o);
    static const double truth[3] = {-0.8, 0.4, 0.5};
    for (size_t k = 0; k < 3; k++) {
        double b = tw_ppml_coef(p)[k], se = tw_ppml_se(p)[k];
        fprintf(stderr, "two-way %s: %.6f (%.6f), true %.2f\n", tw_ppml_coef_name(p, k), b, se,
                truth[k]);
        assert_true(se > 0.0);
        if (!(fabs(b - truth[k]) < 3.0 * se))
            fail_msg("%s: %g is more than 3 SEs (%g) from %g", tw_ppml_coef_name(p, k), b, se,
                     truth[k]);
    }
    tw_ppml_free(p);
    p = fit(tw_synth_panel_data(sp, true), &o);
    double b = tw_ppml_coef(p)[0], se = tw_ppml_se(p)[0];
    fprintf(stderr, "three-way rta: %.6f (%.6f), true 0.5\n", b, se);
    assert_true(fabs(b - 0.5) < 3.0 * se && fabs(b - 0.5) < 0.03);
    tw_ppml_free(p);
    tw_synth_panel_free(sp);
}

static void test_generator_deterministic(void **state)
{
    (void)state;
    tw_synth_panel *a = panel(12, 3, 7), *b = panel(12, 3, 7), *c = panel(12, 3, 8);
    const tw_ppml_data *da = tw_synth_panel_data(a, false), *db = tw_synth_panel_data(b, false),
                       *dc = tw_synth_panel_data(c, false);
    assert_int_equal(da->n_obs, 12 * 11 * 3);
    assert_memory_equal(da->y, db->y, da->n_obs * sizeof(double));
    for (size_t k = 0; k < 3; k++)
        assert_memory_equal(da->x[k], db->x[k], da->n_obs * sizeof(double));
    assert_true(memcmp(da->y, dc->y, da->n_obs * sizeof(double)) != 0);
    /* Every pair appears once per year; ids are in range. */
    for (size_t i = 0; i < da->n_obs; i++)
        for (size_t g = 0; g < 2; g++)
            assert_true(da->fe[g][i] >= 0 && (size_t)da->fe[g][i] < da->fe_levels[g]);
    tw_synth_panel_free(a);
    tw_synth_panel_free(b);
    tw_synth_panel_free(c);
    tw_synth_panel_opts o;
    tw_synth_panel_opts_init(&o);
    o.n_country = 1;
    tw_synth_panel *bad = NULL;
    tw_err err = {0};
    assert_int_equal(tw_synth_panel_new(&o, &bad, &err), TW_EINVAL);
    assert_null(bad);
    assert_non_null(strstr(err.msg, "countries"));
}

static void test_threads_identical(void **state)
{
    (void)state;
    tw_synth_panel *sp = panel(25, 6, 3);
    for (int pair = 0; pair < 2; pair++) {
        const tw_ppml_data *d = tw_synth_panel_data(sp, pair == 1);
        tw_ppml_opts o;
        tw_ppml_opts_init(&o);
        o.vcov = TW_VCOV_CLUSTER;
        tw_ppml *p1 = fit(d, &o);
        for (size_t t = 2; t <= 3; t++) {
            o.n_threads = t;
            tw_ppml *pt = fit(d, &o);
            size_t K = tw_ppml_n_coef(p1);
            assert_memory_equal(tw_ppml_coef(p1), tw_ppml_coef(pt), K * sizeof(double));
            assert_memory_equal(tw_ppml_se(p1), tw_ppml_se(pt), K * sizeof(double));
            assert_memory_equal(tw_ppml_fe_sum(p1), tw_ppml_fe_sum(pt),
                                d->n_obs * sizeof(double));
            assert_true(tw_ppml_deviance(p1) == tw_ppml_deviance(pt));
            assert_int_equal(tw_ppml_demean_sweeps(p1), tw_ppml_demean_sweeps(pt));
            tw_ppml_free(pt);
        }
        tw_ppml_free(p1);
    }
    tw_synth_panel_free(sp);
}

static void test_inexact_demeaning(void **state)
{
    (void)state;
    tw_synth_panel *sp = panel(25, 6, 4);
    for (int pair = 0; pair < 2; pair++) {
        const tw_ppml_data *d = tw_synth_panel_data(sp, pair == 1);
        tw_ppml_opts o;
        tw_ppml_opts_init(&o);
        tw_ppml *fast = fit(d, &o);
        o.tol_demean_first = o.tol_demean;
        tw_ppml *exact = fit(d, &o);
        for (size_t k = 0; k < tw_ppml_n_coef(fast); k++) {
            expect_close(tw_ppml_coef(fast)[k], tw_ppml_coef(exact)[k], 1e-9, "coefficient");
            expect_close(tw_ppml_se(fast)[k], tw_ppml_se(exact)[k], 1e-9, "SE");
        }
        expect_close(tw_ppml_deviance(fast), tw_ppml_deviance(exact), 1e-10, "deviance");
        tw_ppml_free(fast);
        tw_ppml_free(exact);
    }
    tw_synth_panel_free(sp);
}

/* ---- separation by regressors (ReLU check) -------------------------------------------- */

/* 60 rows, one FE with 3 levels, x1 = 1 exactly on rows 0..9 whose outcomes are all 0 (so x1's
 * coefficient tends to -infinity: rows 0..9 are separated, yet no FE group is all zero), x2 a
 * regular regressor. With the ReLU check the 10 rows are dropped, x1 becomes collinear and
 * is dropped, and x2's estimate equals the fit without those rows and without x1. */
static void test_relu_separation(void **state)
{
    (void)state;
    enum { NR = 60 };
    double y[NR], x1[NR], x2[NR];
    int32_t g[NR];
    uint64_t s = 99;
    for (size_t i = 0; i < NR; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) * 0x1.0p-53;
        g[i] = (int32_t)(i % 3);
        x1[i] = i < 10 ? 1.0 : 0.0;
        x2[i] = sin((double)i);
        y[i] = i < 10 ? 0.0 : (u < 0.3 ? 0.0 : exp(0.5 * x2[i]) * (0.5 + u));
    }
    const double *xs[2] = {x1, x2};
    const char *xn[2] = {"x1", "x2"};
    const int32_t *fe[1] = {g};
    size_t lv[1] = {3};
    tw_ppml_data d = {.n_obs = NR, .y = y, .n_x = 2, .x = xs, .x_names = xn, .n_fe = 1,
                      .fe = fe, .fe_levels = lv};
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.tol = 1e-12;
    o.tol_demean = 1e-12;
    o.separation_relu = true;
    tw_ppml *p = fit(&d, &o);
    assert_int_equal(tw_ppml_n_dropped_relu(p), 10);
    assert_int_equal(tw_ppml_n_dropped_separated(p), 10);
    assert_int_equal(tw_ppml_n_obs(p), NR - 10);
    for (size_t i = 0; i < NR; i++)
        assert_int_equal(tw_ppml_obs_used(p)[i], i >= 10);
    assert_true(tw_ppml_coef_dropped(p, 0));
    /* Reference: rows 10.. only, x2 only. */
    tw_ppml_data r = d;
    r.n_obs = NR - 10;
    r.y = y + 10;
    const double *xr[1] = {x2 + 10};
    const char *xrn[1] = {"x2"};
    const int32_t *fr[1] = {g + 10};
    r.n_x = 1;
    r.x = xr;
    r.x_names = xrn;
    r.fe = fr;
    o.separation_relu = false;
    tw_ppml *q = fit(&r, &o);
    expect_close(tw_ppml_coef(p)[1], tw_ppml_coef(q)[0], 1e-9, "x2 after separation");
    expect_close(tw_ppml_se(p)[1], tw_ppml_se(q)[0], 1e-9, "x2 SE after separation");
    tw_ppml_free(q);
    tw_ppml_free(p);
    /* Without the check the rows stay and the fit of x1 runs off (or stops at the cap). */
    o.max_iter = 200;
    tw_ppml *z = NULL;
    tw_err err = {0};
    (void)tw_ppml_new(&d, &o, &z, &err);
    if (z != NULL) {
        assert_int_equal(tw_ppml_n_dropped(z), 0);
        assert_true(!tw_ppml_converged(z) || tw_ppml_coef(z)[0] < -10.0);
        tw_ppml_free(z);
    }
}

/* On a panel without separation by regressors the check drops nothing and changes nothing. */
static void test_relu_no_separation(void **state)
{
    (void)state;
    tw_synth_panel *sp = panel(15, 4, 6);
    const tw_ppml_data *d = tw_synth_panel_data(sp, true);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    tw_ppml *a = fit(d, &o);
    o.separation_relu = true;
    tw_ppml *b = fit(d, &o);
    assert_int_equal(tw_ppml_n_dropped_relu(b), 0);
    assert_int_equal(tw_ppml_n_obs(a), tw_ppml_n_obs(b));
    expect_close(tw_ppml_coef(b)[0], tw_ppml_coef(a)[0], 1e-9, "rta with the ReLU check");
    tw_ppml_free(a);
    tw_ppml_free(b);
    tw_synth_panel_free(sp);
}

/* ---- two-way clustering by hand ------------------------------------------------------- */

/* meat += sign * sum_c S_c S_c' with S_c = sum over rows of cluster c of s_i (K-vectors). */
static void add_meat(size_t n, size_t K, const double *s, const int32_t *cl, size_t G,
                     double sign, double *meat)
{
    double *S = calloc(G * K, sizeof(double));
    assert_non_null(S);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            S[(size_t)cl[i] * K + k] += s[i * K + k];
    for (size_t c = 0; c < G; c++)
        for (size_t j = 0; j < K; j++)
            for (size_t k = 0; k < K; k++)
                meat[j * K + k] += sign * S[c * K + j] * S[c * K + k];
    free(S);
}

static void test_two_way_cluster_dense(void **state)
{
    (void)state;
    /* 9 countries x 4 years = 288 rows; model trade ~ ln_dist + cntg + rta | exporter^year +
     * importer^year, clustered by exporter and by importer (two-way). */
    const size_t N = 9, T = 4, K = 3;
    tw_synth_panel *sp = panel(N, T, 1); /* seed 1: 2 contiguous pairs, 54 RTA rows */
    const tw_ppml_data *d0 = tw_synth_panel_data(sp, false);
    size_t n = d0->n_obs;
    int32_t *ca = malloc(n * sizeof *ca), *cb = malloc(n * sizeof *cb);
    int32_t *cab = malloc(n * sizeof *cab);
    assert_non_null(ca);
    assert_non_null(cb);
    assert_non_null(cab);
    for (size_t i = 0; i < n; i++) {
        ca[i] = d0->fe[0][i] / (int32_t)T; /* exporter = exporter^year id / T */
        cb[i] = d0->fe[1][i] / (int32_t)T;
        cab[i] = ca[i] * (int32_t)N + cb[i];
    }
    const int32_t *cls[2] = {ca, cb};
    size_t cl_levels[2] = {N, N};
    tw_ppml_data d = *d0;
    d.n_cluster = 2;
    d.cluster = cls;
    d.cluster_levels = cl_levels;
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.vcov = TW_VCOV_CLUSTER;
    o.tol = 1e-13;
    o.tol_demean = 1e-13;
    tw_ppml *p = fit(&d, &o);
    assert_int_equal(tw_ppml_n_obs(p), n); /* nothing dropped on this panel */

    /* Dense design: D = [exporter-year dummies, importer-year dummies] (rank-deficient by one
     * column per year: dgelsd's minimum-norm solution handles it). Weighted residuals of x. */
    const double *mu = tw_ppml_fitted(p);
    size_t L = d0->fe_levels[0] + d0->fe_levels[1];
    double *D = calloc(n * L, sizeof(double)), *B = calloc(n * K, sizeof(double));
    double *sv = calloc(L, sizeof(double)), *xt = calloc(n * K, sizeof(double));
    assert_non_null(D);
    assert_non_null(B);
    assert_non_null(sv);
    assert_non_null(xt);
    for (size_t i = 0; i < n; i++) {
        double sw = sqrt(mu[i]);
        D[(size_t)d0->fe[0][i] * n + i] = sw;
        D[(d0->fe_levels[0] + (size_t)d0->fe[1][i]) * n + i] = sw;
        for (size_t k = 0; k < K; k++)
            B[k * n + i] = sw * d0->x[k][i];
    }
    double *Dc = malloc(n * L * sizeof(double));
    assert_non_null(Dc);
    memcpy(Dc, D, n * L * sizeof(double));
    lapack_int rank = 0;
    assert_int_equal(LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)L,
                                    (lapack_int)K, Dc, (lapack_int)n, B, (lapack_int)n, sv,
                                    1e-12, &rank),
                     0);
    assert_int_equal((size_t)rank, L - T); /* one redundancy per year */
    /* x~ = x - D_unweighted coef (B now holds the coefficients in its first L rows). */
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < n; i++) {
            double fitted = B[k * n + (size_t)d0->fe[0][i]] +
                            B[k * n + d0->fe_levels[0] + (size_t)d0->fe[1][i]];
            xt[i * K + k] = d0->x[k][i] - fitted;
        }
    /* H = X~' W X~, scores s_i = (y_i - mu_i) x~_i. */
    double H[9] = {0}, meat[9] = {0};
    double *s = calloc(n * K, sizeof(double));
    assert_non_null(s);
    double foc[3] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < K; j++) {
            s[i * K + j] = (d0->y[i] - mu[i]) * xt[i * K + j];
            foc[j] += s[i * K + j];
            for (size_t k = 0; k < K; k++)
                H[j * K + k] += mu[i] * xt[i * K + j] * xt[i * K + k];
        }
    for (size_t j = 0; j < K; j++) /* first-order conditions hold at the fit */
        assert_true(fabs(foc[j]) < 1e-6 * (1.0 + fabs(H[j * K + j])));
    add_meat(n, K, s, ca, N, 1.0, meat);
    add_meat(n, K, s, cb, N, 1.0, meat);
    add_meat(n, K, s, cab, N * N, -1.0, meat);
    /* Hinv by Cholesky. */
    double Hi[9];
    memcpy(Hi, H, sizeof H);
    assert_int_equal(LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', 3, Hi, 3), 0);
    assert_int_equal(LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', 3, Hi, 3), 0);
    for (size_t j = 0; j < K; j++)
        for (size_t k = j + 1; k < K; k++)
            Hi[k * K + j] = Hi[j * K + k];
    double ssc = (double)N / (double)(N - 1); /* G = min(G_A, G_B) = 9 */
    for (size_t j = 0; j < K; j++) {
        double v = 0.0;
        for (size_t a = 0; a < K; a++)
            for (size_t b = 0; b < K; b++)
                v += Hi[j * K + a] * meat[a * K + b] * Hi[b * K + j];
        double se = sqrt(ssc * v);
        fprintf(stderr, "two-way clustered SE %s: %.10f (dense %.10f)\n",
                tw_ppml_coef_name(p, j), tw_ppml_se(p)[j], se);
        expect_close(tw_ppml_se(p)[j], se, 1e-7, "two-way clustered SE");
    }
    assert_int_equal(tw_ppml_n_clusters(p, 0), N);
    assert_int_equal(tw_ppml_n_clusters(p, 1), N);
    tw_ppml_free(p);
    free(D);
    free(Dc);
    free(B);
    free(sv);
    free(xt);
    free(s);
    free(ca);
    free(cb);
    free(cab);
    tw_synth_panel_free(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_generator_deterministic),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_inexact_demeaning),
        cmocka_unit_test(test_two_way_cluster_dense),
        cmocka_unit_test(test_relu_separation),
        cmocka_unit_test(test_relu_no_separation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
