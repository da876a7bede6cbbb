/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_accel.c: the fixed-point driver and Anderson accelerator (solve/accel.c),
 * as a solver x problem x starting-point matrix in the manner of GSL multiroots/test.c.
 *
 * Problems (all with a known fixed point x*):
 *   linear:   x = A x + b, A symmetric with spectral radius 0.99 (slow for plain iteration);
 *   cosine:   x_i = cos(x_i) / 2 + 0.1 i (componentwise contraction, x* by Newton on each);
 *   coupled:  x_i = 0.5 tanh(x_{i+1}) + 0.3 sin(x_{i-1}) + c_i (nonlinear, coupled);
 *   kepler:   E = M + e sin E with e = 0.9 (strongly nonlinear, Lipschitz constant 0.9).
 * Each is run plain and with memory 1, 3, 5, from starts scaled x1, x10, x100.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "solve/accel.h"
#include "twtest.h"

#define NMAX 40

struct problem {
    const char *name;
    size_t n;
    tw_fp_fn fn;
    size_t cap[4];     /* iteration bound for memory 0 (plain), 1, 3, 5: about 1.5 times the
                          largest count observed over the three starts when this was written */
};

static double lin_a[NMAX * NMAX], lin_b[NMAX];

static void linear_setup(void)
{
    /* A = Q diag(lambda) Q^T with Q a Householder reflection, eigenvalues in [0.2, 0.99]. */
    size_t n = 20;
    double v[NMAX], vv = 0.0;
    for (size_t i = 0; i < n; i++) {
        v[i] = 1.0 + 0.385 * (double)i;
        vv += v[i] * v[i];
    }
    for (size_t i = 0; i < n; i++) {
        lin_b[i] = 0.1 * (double)(i % 7) - 0.2385;
        for (size_t j = 0; j < n; j++) {
            double acc = 0.0;
            for (size_t k = 0; k < n; k++) {
                double qik = (i == k) - 2.0 * v[i] * v[k] / vv;
                double qjk = (j == k) - 2.0 * v[j] * v[k] / vv;
                double lam = 0.2 + 0.79 * (double)k / (double)(n - 1);
                acc += qik * lam * qjk;
            }
            lin_a[i * n + j] = acc;
        }
    }
}

static tw_status linear_fn(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)ctx;
    (void)err;
    for (size_t i = 0; i < 20; i++) {
        double v = lin_b[i];
        for (size_t j = 0; j < 20; j++)
            v += lin_a[i * 20 + j] * x[j];
        g[i] = v;
    }
    return TW_OK;
}

static tw_status cosine_fn(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)ctx;
    (void)err;
    for (size_t i = 0; i < 10; i++)
        g[i] = 0.5 * cos(x[i]) + 0.1 * (double)i;
    return TW_OK;
}

static tw_status coupled_fn(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)ctx;
    (void)err;
    size_t n = 15;
    for (size_t i = 0; i < n; i++)
        g[i] = 0.5 * tanh(x[(i + 1) % n]) + 0.3 * sin(x[(i + n - 1) % n]) + 0.05 * (double)i;
    return TW_OK;
}

static tw_status kepler_fn(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)ctx;
    (void)err;
    for (size_t i = 0; i < 5; i++)
        g[i] = 0.3 + 0.5 * (double)i + 0.9 * sin(x[i]);
    return TW_OK;
}

static const struct problem problems[] = {
    {"linear", 20, linear_fn, {4200, 1000, 510, 330}},
    {"cosine", 10, cosine_fn, {60, 30, 25, 25}},
    {"coupled", 15, coupled_fn, {70, 70, 45, 40}},
    {"kepler", 5, kepler_fn, {200, 65, 40, 30}},
};

static void run_matrix(void **state)
{
    (void)state;
    linear_setup();
    const size_t mems[] = {0, 1, 3, 5};
    const double scales[] = {1.0, 10.0, 100.0};
    for (size_t p = 0; p < sizeof problems / sizeof problems[0]; p++) {
        const struct problem *pr = &problems[p];
        double xref[NMAX];
        for (size_t mi = 0; mi < 4; mi++)
            for (size_t si = 0; si < 3; si++) {
                tw_anderson *acc = NULL;
                tw_err err;
                if (mems[mi] > 0)
                    assert_int_equal(tw_anderson_new(pr->n, mems[mi], &acc, &err), TW_OK);
                double x[NMAX], work[2 * NMAX];
                for (size_t i = 0; i < pr->n; i++)
                    x[i] = scales[si] * (0.37 + 0.11 * (double)i);
                tw_fp_opts o = {1e-12, pr->cap[mi], 10.0};
                tw_fp_info info;
                tw_status st = tw_fp_run(pr->fn, NULL, NULL, pr->n, x, &o, acc, work, &info,
                                         &err);
                printf("%-8s m=%zu x%-4g status=%d iterations=%zu residual=%.2e\n", pr->name,
                       mems[mi], scales[si], (int)st, info.iterations, info.residual);
                assert_int_equal(st, TW_OK);
                assert_true(info.converged);
                assert_true(info.residual < 1e-12);
                /* Every combination reaches the same fixed point. */
                if (mi == 0 && si == 0)
                    memcpy(xref, x, pr->n * sizeof(double));
                for (size_t i = 0; i < pr->n; i++)
                    assert_true(fabs(x[i] - xref[i]) < 1e-8); /* error <= residual / (1 - 0.99) */
                tw_anderson_free(acc);
            }
    }
}

static void test_acceleration_pays(void **state)
{
    (void)state;
    linear_setup();
    tw_err err;
    tw_anderson *acc = NULL;
    assert_int_equal(tw_anderson_new(20, 5, &acc, &err), TW_OK);
    double x[20] = {0}, y[20] = {0}, work[40];
    tw_fp_opts o = {1e-12, 10000, 10.0};
    tw_fp_info a, b;
    assert_int_equal(tw_fp_run(linear_fn, NULL, NULL, 20, x, &o, acc, work, &a, &err), TW_OK);
    assert_int_equal(tw_fp_run(linear_fn, NULL, NULL, 20, y, &o, NULL, work, &b, &err), TW_OK);
    assert_true(a.iterations * 10 < b.iterations);
    tw_anderson_free(acc);
}

static void test_not_converged_and_errors(void **state)
{
    (void)state;
    tw_err err;
    double x[5] = {0}, work[10];
    tw_fp_opts o = {1e-12, 3, 10.0};
    tw_fp_info info;
    assert_int_equal(tw_fp_run(kepler_fn, NULL, NULL, 5, x, &o, NULL, work, &info, &err),
                     TW_NOT_CONVERGED);
    assert_int_equal(info.iterations, 3);
    assert_false(info.converged);
    tw_anderson *acc = NULL;
    assert_int_equal(tw_anderson_new(0, 3, &acc, &err), TW_EINVAL);
    assert_null(acc);
    assert_int_equal(tw_anderson_new(5, 99, &acc, &err), TW_EINVAL);
    /* Allocation failures in _new are reported and leak nothing. */
    for (long n = 1; n < 20; n++) {
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_anderson_new(5, 3, &acc, &err);
        if (twtest_alloc_done(n, st, acc, err.msg)) {
            tw_anderson_free(acc);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_matrix),
        cmocka_unit_test(test_acceleration_pays),
        cmocka_unit_test(test_not_converged_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
