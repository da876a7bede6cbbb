/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_gegravity.c: one-sector structural-gravity GE (src/model/gegravity.c).
 *
 * Known answers and references:
 * - zero shock: every hat is 1 and the counterfactual flows equal the baseline;
 * - symmetric countries, symmetric shock b on every international pair: by symmetry all
 *   prices move together and, with P_hat_ref = 1, full-GE real GDP is the Arkolakis-
 *   Costinot-Rodriguez-Clare formula lambda_hat_dd^(-1/theta) with lambda_hat_dd =
 *   1 / (lambda_dd + (1 - lambda_dd) b); conditional GE has every P_hat equal too;
 * - conditional GE against a dense Newton solve of the resistance system written here;
 * - full GE: market clearing and the IMR definition evaluated on the returned flows and hats;
 * - metamorphic: scaling every flow, adding exporter and importer terms to the fitted costs,
 *   and relabelling the countries leave the hats unchanged;
 * - "trade without borders": a large border removal on a world with zero-trade pairs stays
 *   positive and converges (gegravity 0.3 returned negative prices there, gravity.md 4.7),
 *   and the same on the Advanced Guide ch. 2 application 1 data (skipped without the data
 *   unless CI=true), whose PPML coefficients are the book's to 1e-6.
 */
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
#include "twtest.h"

/* Allocation-failure hook of the library (core/alloc.h; fault-injection builds). */
void tw_fault_alloc_fail_at(long n);

#define NMAX 8

/* Named tolerances. */
#define TOL_HAT 1e-10    /* hats of two exact solves of the same equilibrium */
#define TOL_CLOSED 1e-10 /* against a closed form */
#define TOL_RESID 1e-9   /* relative residual of an equilibrium condition */

static void expect_close(double got, double want, double tol, const char *what, size_t i)
{
    double d = fabs(got - want), lim = tol * (1.0 + fabs(want));
    if (!(d <= lim))
        fail_msg("%s [%zu]: got %.15g, want %.15g (|diff| %.3g > %.3g)", what, i, got, want, d,
                 lim);
}

/* A deterministic asymmetric world of n countries with unbalanced trade and one zero flow. */
static void world(size_t n, double *x, unsigned seed)
{
    unsigned s = seed;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            s = s * 1103515245u + 12345u;
            double u = (double)((s >> 8) % 1000) / 1000.0;
            x[i * n + j] = i == j ? 50.0 + 30.0 * u + 10.0 * (double)i : 1.0 + 9.0 * u;
        }
    x[0 * n + (n - 1)] = 0.0;
}

static tw_gegrav *solve_ok(const tw_gegrav_data *d, const tw_gegrav_opts *o)
{
    tw_gegrav *g = NULL;
    tw_err err = {0};
    tw_status st = tw_gegrav_new(d, o, &g, &err);
    if (st != TW_OK)
        fail_msg("tw_gegrav_new: %s (%s)", tw_status_str(st), err.msg);
    tw_gegrav_info info;
    tw_gegrav_get_info(g, &info);
    assert_true(info.converged);
    assert_true(info.check_residual <= TOL_RESID);
    return g;
}

static void test_zero_shock(void **state)
{
    (void)state;
    size_t n = 5;
    double x[NMAX * NMAX], p[NMAX * NMAX] = {0}, c[NMAX * NMAX];
    world(n, x, 1);
    for (size_t k = 0; k < n * n; k++)
        c[k] = -0.5 * (double)((k * 7) % 5);
    for (int kind = 0; kind < 2; kind++)
        for (int fitted = 0; fitted < 2; fitted++) {
            tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p,
                                .ln_cost = fitted ? c : NULL};
            tw_gegrav_opts o;
            tw_gegrav_opts_init(&o);
            o.kind = kind ? TW_GEGRAV_FULL : TW_GEGRAV_CONDITIONAL;
            tw_gegrav *g = solve_ok(&d, &o);
            for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
                for (size_t i = 0; i < n; i++)
                    expect_close(tw_gegrav_hat(g, (tw_gegrav_measure)m)[i], 1.0, TOL_HAT,
                                 "zero-shock hat", i);
            const double *x0 = tw_gegrav_baseline_flows(g), *x1 = tw_gegrav_flows(g);
            for (size_t k = 0; k < n * n; k++) {
                expect_close(x1[k], x0[k], TOL_HAT, "zero-shock flow", k);
                if (!fitted)
                    assert_true(x0[k] == x[k]);
            }
            tw_gegrav_free(g);
        }
}

static void test_symmetric(void **state)
{
    (void)state;
    size_t n = 4;
    double x[NMAX * NMAX], p[NMAX * NMAX];
    const double dom = 70.0, intl = 10.0, b = exp(0.4), sigma = 5.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            x[i * n + j] = i == j ? dom : intl;
            p[i * n + j] = i == j ? 0.0 : log(b);
        }
    double lam = dom / (dom + (double)(n - 1) * intl);
    double lam_hat = 1.0 / (lam + (1.0 - lam) * b);
    double acr = pow(lam_hat, -1.0 / (sigma - 1.0));
    tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p};
    tw_gegrav_opts o;
    tw_gegrav_opts_init(&o);
    o.sigma = sigma;
    o.reference = 2;
    tw_gegrav *g = solve_ok(&d, &o);
    for (size_t i = 0; i < n; i++) {
        expect_close(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i], acr, TOL_CLOSED, "ACR real GDP", i);
        expect_close(tw_gegrav_hat(g, TW_GG_IMR)[i], 1.0, TOL_CLOSED, "IMR", i);
        expect_close(tw_gegrav_hat(g, TW_GG_PRICE)[i], acr, TOL_CLOSED, "price", i);
        /* Exports: X'_ij / X_ij = b p^(1-s) p / P^(1-s) = b acr^(2-s). */
        expect_close(tw_gegrav_hat(g, TW_GG_EXPORTS)[i], b * pow(acr, 2.0 - sigma), TOL_CLOSED,
                     "exports", i);
    }
    tw_gegrav_free(g);
    /* Conditional: Y, E fixed; every P_hat equal, hence 1. Pi_hat^(1-s) solves
     * Pi^(1-s) P^(1-s) = lam + (1 - lam) b with P = 1. */
    o.kind = TW_GEGRAV_CONDITIONAL;
    g = solve_ok(&d, &o);
    for (size_t i = 0; i < n; i++) {
        expect_close(tw_gegrav_hat(g, TW_GG_IMR)[i], 1.0, TOL_CLOSED, "conditional IMR", i);
        expect_close(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i], 1.0, TOL_CLOSED, "conditional GDP", i);
        expect_close(tw_gegrav_hat(g, TW_GG_OMR)[i],
                     pow(lam + (1.0 - lam) * b, 1.0 / (1.0 - sigma)), TOL_CLOSED,
                     "conditional OMR", i);
    }
    tw_gegrav_free(g);
}

/* Dense Newton reference for conditional GE: unknowns x_i = ln Pi_hat_i^(1-s) (n) and
 * v_j = ln P_hat_j^(1-s) for j != ref (v_ref = 0); equations: row sums of
 * X b exp(-x_i - v_j) equal Y_i (n), column sums equal E_j for j != ref (n - 1). Solved with
 * an analytic Jacobian and Gaussian elimination with partial pivoting. */
static void newton_conditional(size_t n, size_t ref, const double *x0, const double *p,
                               double *x, double *v)
{
    size_t m = 2 * n - 1;
    double J[(2 * NMAX) * (2 * NMAX)], F[2 * NMAX], Y[NMAX], E[NMAX];
    for (size_t i = 0; i < n; i++) {
        Y[i] = E[i] = 0.0;
        x[i] = v[i] = 0.0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            Y[i] += x0[i * n + j];
            E[j] += x0[i * n + j];
        }
    for (int it = 0; it < 100; it++) {
        memset(J, 0, sizeof J);
        memset(F, 0, sizeof F);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double t = x0[i * n + j] * exp(p[i * n + j] - x[i] - v[j]);
                F[i] += t;
                J[i * m + i] -= t;
                size_t vj = j < ref ? n + j : n + j - 1;
                if (j != ref) {
                    J[i * m + vj] -= t;
                    F[vj] += t;
                    J[vj * m + i] -= t;
                    J[vj * m + vj] -= t;
                }
            }
        double norm = 0.0;
        for (size_t i = 0; i < n; i++) {
            F[i] -= Y[i];
            norm = fmax(norm, fabs(F[i]) / Y[i]);
        }
        for (size_t j = 0; j < n; j++)
            if (j != ref) {
                size_t vj = j < ref ? n + j : n + j - 1;
                F[vj] -= E[j];
                norm = fmax(norm, fabs(F[vj]) / E[j]);
            }
        if (norm < 1e-15)
            break;
        /* Solve J dz = -F. */
        for (size_t c = 0; c < m; c++) {
            size_t piv = c;
            for (size_t r = c + 1; r < m; r++)
                if (fabs(J[r * m + c]) > fabs(J[piv * m + c]))
                    piv = r;
            for (size_t k = 0; k < m; k++) {
                double t = J[c * m + k];
                J[c * m + k] = J[piv * m + k];
                J[piv * m + k] = t;
            }
            double t = F[c];
            F[c] = F[piv];
            F[piv] = t;
            for (size_t r = c + 1; r < m; r++) {
                double f = J[r * m + c] / J[c * m + c];
                for (size_t k = c; k < m; k++)
                    J[r * m + k] -= f * J[c * m + k];
                F[r] -= f * F[c];
            }
        }
        double dz[2 * NMAX];
        for (size_t c = m; c-- > 0;) {
            double s = -F[c];
            for (size_t k = c + 1; k < m; k++)
                s -= J[c * m + k] * dz[k];
            dz[c] = s / J[c * m + c];
        }
        for (size_t i = 0; i < n; i++)
            x[i] += dz[i];
        for (size_t j = 0; j < n; j++)
            if (j != ref)
                v[j] += dz[j < ref ? n + j : n + j - 1];
    }
}

static void test_conditional_dense(void **state)
{
    (void)state;
    size_t n = 6, ref = 3;
    double x[NMAX * NMAX], p[NMAX * NMAX];
    world(n, x, 7);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            p[i * n + j] = (i != j && (i + j) % 3 == 0) ? 0.6 : (i != j && i == 1 ? -0.3 : 0.0);
    double sigma = 6.0, xs[NMAX], vs[NMAX];
    newton_conditional(n, ref, x, p, xs, vs);
    tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p};
    tw_gegrav_opts o;
    tw_gegrav_opts_init(&o);
    o.kind = TW_GEGRAV_CONDITIONAL;
    o.sigma = sigma;
    o.reference = ref;
    tw_gegrav *g = solve_ok(&d, &o);
    for (size_t i = 0; i < n; i++) {
        expect_close(tw_gegrav_hat(g, TW_GG_OMR)[i], exp(xs[i] / (1.0 - sigma)), TOL_HAT,
                     "conditional OMR vs Newton", i);
        expect_close(tw_gegrav_hat(g, TW_GG_IMR)[i], exp(vs[i] / (1.0 - sigma)), TOL_HAT,
                     "conditional IMR vs Newton", i);
        expect_close(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i], exp(-vs[i] / (1.0 - sigma)), TOL_HAT,
                     "conditional real GDP vs Newton", i);
    }
    const double *x1 = tw_gegrav_flows(g);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            expect_close(x1[i * n + j], x[i * n + j] * exp(p[i * n + j] - xs[i] - vs[j]), TOL_HAT,
                         "conditional flow vs Newton", i * n + j);
    tw_gegrav_free(g);
}

static void test_full_residuals(void **state)
{
    (void)state;
    size_t n = 7;
    double x[NMAX * NMAX], p[NMAX * NMAX], Y[NMAX] = {0}, E[NMAX] = {0};
    world(n, x, 11);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            p[i * n + j] = i != j ? 0.8 * sin((double)(3 * i + j)) : 0.0;
            Y[i] += x[i * n + j];
            E[j] += x[i * n + j];
        }
    double sigma = 4.0;
    for (int fitted = 0; fitted < 2; fitted++) {
        double c[NMAX * NMAX];
        for (size_t k = 0; k < n * n; k++)
            c[k] = k % (n + 1) == 0 ? 0.0 : -1.0 - 0.1 * (double)(k % 5);
        tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p,
                            .ln_cost = fitted ? c : NULL};
        tw_gegrav_opts o;
        tw_gegrav_opts_init(&o);
        o.sigma = sigma;
        tw_gegrav *g = solve_ok(&d, &o);
        tw_gegrav_info info;
        tw_gegrav_get_info(g, &info);
        const double *x0 = tw_gegrav_baseline_flows(g), *x1 = tw_gegrav_flows(g);
        const double *ph = tw_gegrav_hat(g, TW_GG_PRICE), *P = tw_gegrav_hat(g, TW_GG_IMR);
        for (size_t i = 0; i < n; i++) {
            double row = 0.0, col = 0.0, imr = 0.0, y0 = 0.0, e0 = 0.0;
            for (size_t j = 0; j < n; j++) {
                row += x1[i * n + j];
                col += x1[j * n + i];
                y0 += x0[i * n + j];
                e0 += x0[j * n + i];
            }
            expect_close(y0, Y[i], TOL_RESID, "baseline output", i);
            expect_close(e0, E[i], TOL_RESID, "baseline expenditure", i);
            for (size_t k = 0; k < n; k++)
                imr += x0[k * n + i] / e0 * exp(p[k * n + i]) * pow(ph[k], 1.0 - sigma);
            expect_close(row, ph[i] * y0, TOL_RESID, "market clearing", i);
            expect_close(col, info.expenditure_scale * ph[i] * e0, TOL_RESID, "expenditure", i);
            expect_close(pow(P[i], 1.0 - sigma), imr, TOL_RESID, "IMR definition", i);
            expect_close(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i], ph[i] / P[i], TOL_RESID,
                         "real GDP = p/P", i);
            for (size_t j = 0; j < n; j++)
                expect_close(x1[i * n + j], x0[i * n + j] * exp(p[i * n + j]) *
                             pow(ph[i] / P[j], 1.0 - sigma) * info.expenditure_scale * ph[j],
                             TOL_RESID, "gravity equation", i * n + j);
        }
        expect_close(P[o.reference], 1.0, TOL_CLOSED, "numeraire", o.reference);
        /* Unbalanced world: lambda differs from 1 but only slightly. */
        assert_true(fabs(info.expenditure_scale - 1.0) < 0.05);
        tw_gegrav_free(g);
    }
}

static void test_metamorphic(void **state)
{
    (void)state;
    size_t n = 5;
    double x[NMAX * NMAX], xs[NMAX * NMAX], p[NMAX * NMAX], c[NMAX * NMAX], c2[NMAX * NMAX];
    double xp[NMAX * NMAX], pp[NMAX * NMAX], cp[NMAX * NMAX];
    world(n, x, 3);
    size_t perm[] = {3, 0, 4, 1, 2}; /* new index k holds old country perm[k] */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j;
            xs[k] = 1234.5 * x[k];
            p[k] = (i != j && (i < 2) == (j < 2)) ? 0.7 : 0.0;
            c[k] = i == j ? 0.0 : -2.0 + 0.3 * cos((double)(i + 2 * j));
            c2[k] = c[k] + 0.9 * (double)i - 0.4 * (double)(j * j);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            xp[i * n + j] = x[perm[i] * n + perm[j]];
            pp[i * n + j] = p[perm[i] * n + perm[j]];
            cp[i * n + j] = c[perm[i] * n + perm[j]];
        }
    for (int kind = 0; kind < 2; kind++) {
        tw_gegrav_opts o;
        tw_gegrav_opts_init(&o);
        o.kind = kind ? TW_GEGRAV_FULL : TW_GEGRAV_CONDITIONAL;
        o.reference = 3;
        tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p};
        tw_gegrav *g = solve_ok(&d, &o);
        d.flows = xs;
        tw_gegrav *gs = solve_ok(&d, &o);
        d.flows = x;
        d.ln_cost = c;
        tw_gegrav *gf = solve_ok(&d, &o);
        d.ln_cost = c2;
        tw_gegrav *gf2 = solve_ok(&d, &o);
        tw_gegrav_data dp = {.n_country = n, .flows = xp, .partial = pp, .ln_cost = cp};
        tw_gegrav_opts op = o;
        op.reference = 0; /* old country 3 */
        tw_gegrav *gp = solve_ok(&dp, &op);
        for (size_t m = 0; m < TW_GG_N_MEASURE; m++) {
            const double *h = tw_gegrav_hat(g, (tw_gegrav_measure)m);
            const double *hs = tw_gegrav_hat(gs, (tw_gegrav_measure)m);
            const double *hf = tw_gegrav_hat(gf, (tw_gegrav_measure)m);
            const double *hf2 = tw_gegrav_hat(gf2, (tw_gegrav_measure)m);
            const double *hp = tw_gegrav_hat(gp, (tw_gegrav_measure)m);
            for (size_t i = 0; i < n; i++) {
                expect_close(hs[i], h[i], TOL_HAT, "scaled flows", i);
                expect_close(hf2[i], hf[i], TOL_HAT, "cost + exporter/importer terms", i);
            }
            for (size_t k = 0; k < n; k++)
                expect_close(hp[k], hf[perm[k]], TOL_HAT, "relabelled countries", k);
        }
        tw_gegrav_free(g);
        tw_gegrav_free(gs);
        tw_gegrav_free(gf);
        tw_gegrav_free(gf2);
        tw_gegrav_free(gp);
    }
}

/* Remove a large border cost on a world where small countries have zero-trade pairs: the
 * solve must converge with positive prices and every country gains (a common cost cut). */
static void test_trade_without_borders_synthetic(void **state)
{
    (void)state;
    size_t n = 8;
    double x[NMAX * NMAX], p[NMAX * NMAX], c[NMAX * NMAX];
    const double border = -2.47445; /* the book's ch. 2 INTL_BRDR estimate */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j;
            double size_i = pow(10.0, (double)(i % 4)), size_j = pow(10.0, (double)(j % 4));
            double dist = 1.0 + fabs((double)i - (double)j);
            c[k] = -0.79 * log(dist) + (i != j ? border : 0.0);
            x[k] = size_i * size_j * exp(c[k]);
            if (i != j && (i % 4 == 0 || j % 4 == 0) && (i + j) % 3 == 0)
                x[k] = 0.0; /* small countries with zero-trade pairs */
            p[k] = i != j ? -border : 0.0;
        }
    for (int fitted = 0; fitted < 2; fitted++) {
        tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p,
                            .ln_cost = fitted ? c : NULL};
        tw_gegrav_opts o;
        tw_gegrav_opts_init(&o);
        tw_gegrav *g = solve_ok(&d, &o);
        for (size_t i = 0; i < n; i++) {
            assert_true(tw_gegrav_hat(g, TW_GG_PRICE)[i] > 0.0);
            assert_true(tw_gegrav_hat(g, TW_GG_IMR)[i] > 0.0);
            assert_true(tw_gegrav_hat(g, TW_GG_OMR)[i] > 0.0);
            assert_true(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i] > 1.0);
        }
        tw_gegrav_free(g);
    }
}

static void expect_error(const tw_gegrav_data *d, const tw_gegrav_opts *o, tw_status want,
                         const char *msg)
{
    tw_gegrav *g = (tw_gegrav *)&g;
    tw_err err = {0};
    tw_status st = tw_gegrav_new(d, o, &g, &err);
    assert_int_equal(st, want);
    assert_null(g);
    twtest_expect_prefix(err.msg, msg);
}

static void test_bad_input(void **state)
{
    (void)state;
    size_t n = 3;
    double x[9] = {5, 1, 1, 1, 5, 1, 1, 1, 5}, p[9] = {0};
    const char *names[] = {"AAA", "BBB", "CCC"};
    tw_gegrav_data d = {.n_country = n, .names = names, .flows = x, .partial = p};
    tw_gegrav_opts o;
    tw_gegrav_opts_init(&o);
    o.sigma = 1.0;
    expect_error(&d, &o, TW_EINVAL, "gegravity: sigma 1, expected a value in (1, 1000)");
    tw_gegrav_opts_init(&o);
    o.reference = 3;
    expect_error(&d, &o, TW_EINVAL, "gegravity: reference country 3, expected < 3");
    tw_gegrav_opts_init(&o);
    x[1] = -1.0;
    expect_error(&d, &o, TW_EINVAL, "gegravity: flow from AAA to BBB is -1, expected a finite");
    x[1] = 1.0;
    x[3] = x[4] = x[5] = 0.0;
    expect_error(&d, &o, TW_EINVAL, "gegravity: BBB has zero output");
    x[3] = x[5] = 1.0;
    x[4] = 5.0;
    p[2] = NAN;
    expect_error(&d, &o, TW_EINVAL, "gegravity: partial effect from AAA to CCC is not finite");
    p[2] = 0.0;
    d.n_country = 1;
    expect_error(&d, &o, TW_EINVAL, "gegravity: 1 countries, expected at least 2");
}

/* Non-convergence is loud: a status, a message naming the stage, converged() false. */
static void test_not_converged(void **state)
{
    (void)state;
    size_t n = 5;
    double x[NMAX * NMAX], p[NMAX * NMAX], c[NMAX * NMAX];
    world(n, x, 5);
    for (size_t k = 0; k < n * n; k++) {
        p[k] = (k % (n + 1)) ? 1.5 : 0.0;
        c[k] = (k % (n + 1)) ? -3.0 : 0.0;
    }
    static const struct {
        int kind, fitted;
        const char *msg;
    } cases[] = {
        {1, 0, "gegravity: full GE did not converge after 3 iterations"},
        {0, 0, "gegravity: conditional GE did not converge after 3 iterations"},
        {1, 1, "gegravity: fitted baseline did not converge after 3 iterations"},
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p,
                            .ln_cost = cases[t].fitted ? c : NULL};
        tw_gegrav_opts o;
        tw_gegrav_opts_init(&o);
        o.kind = cases[t].kind ? TW_GEGRAV_FULL : TW_GEGRAV_CONDITIONAL;
        o.max_iter = 3;
        tw_gegrav *g = NULL;
        tw_err err = {0};
        tw_status st = tw_gegrav_new(&d, &o, &g, &err);
        assert_int_equal(st, TW_NOT_CONVERGED);
        twtest_expect_prefix(err.msg, cases[t].msg);
        if (g) {
            tw_gegrav_info info;
            tw_gegrav_get_info(g, &info);
            assert_false(info.converged);
        }
        tw_gegrav_free(g);
    }
}

static void test_allocation_failures(void **state)
{
    (void)state;
    size_t n = 4;
    double x[NMAX * NMAX], p[NMAX * NMAX] = {0}, c[NMAX * NMAX] = {0};
    world(n, x, 9);
    p[1] = 0.3;
    tw_gegrav_data d = {.n_country = n, .flows = x, .partial = p, .ln_cost = c};
    for (long k = 1;; k++) {
        tw_gegrav *g = NULL;
        tw_err err = {0};
        tw_fault_alloc_fail_at(k);
        tw_status st = tw_gegrav_new(&d, NULL, &g, &err);
        if (twtest_alloc_done(k, st, g, err.msg)) {
            tw_gegrav_free(g);
            assert_true(k > 5);
            break;
        }
    }
}

/* The Advanced Guide ch. 2 application 1 ("trade without borders", 2006, sigma = 7): PPML
 * ln DIST -0.7912879, CNTG 0.6736456, INTL_BRDR -2.47445 (gravity.md section 5, the book's
 * Stata log); then remove every border on both baselines. The book reports gains for every
 * country; gegravity 0.3's default solver returned negative prices for MWI, NER, NPL here. */
static void test_trade_without_borders_agtpa(void **state)
{
    (void)state;
    char path[TWTEST_PATH];
    twtest_shared("agtpa/ch2_tradewithoutborder_2006.csv.gz", path);
    tw_panel *panel = NULL;
    tw_err err = {0};
    tw_status st = tw_panel_read(path, "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer",
                                 NULL, &panel, &err);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    const tw_ppml_data *pd = tw_panel_data(panel);
    tw_ppml *fit = NULL;
    st = tw_ppml_new(pd, NULL, &fit, &err);
    assert_int_equal(st, TW_OK);
    static const double book[] = {-0.7912879, 0.6736456, -2.47445};
    for (size_t k = 0; k < 3; k++)
        expect_close(tw_ppml_coef(fit)[k], book[k], 1e-6, "ch2 app1 coefficient", k);
    size_t n = pd->fe_levels[0];
    assert_int_equal(n, 69);
    assert_int_equal(pd->fe_levels[1], 69);
    double *x = calloc(n * n, sizeof *x), *p = calloc(n * n, sizeof *p);
    double *c = calloc(n * n, sizeof *c);
    const char **names = calloc(n, sizeof *names);
    size_t *imp = calloc(n, sizeof *imp);
    assert_non_null(x);
    assert_non_null(p);
    assert_non_null(c);
    assert_non_null(names);
    assert_non_null(imp);
    for (size_t i = 0; i < n; i++)
        names[i] = pd->fe_labels[0][i];
    for (size_t l = 0; l < n; l++) {
        size_t i = 0;
        while (i < n && strcmp(names[i], pd->fe_labels[1][l]) != 0)
            i++;
        assert_true(i < n);
        imp[l] = i;
    }
    const double *b = tw_ppml_coef(fit);
    for (size_t o = 0; o < pd->n_obs; o++) {
        size_t i = (size_t)pd->fe[0][o], j = imp[pd->fe[1][o]];
        x[i * n + j] = pd->y[o];
        c[i * n + j] = b[0] * pd->x[0][o] + b[1] * pd->x[1][o] + b[2] * pd->x[2][o];
        p[i * n + j] = -b[2] * pd->x[2][o];
    }
    size_t zeros = 0;
    for (size_t k = 0; k < n * n; k++)
        zeros += x[k] == 0.0;
    assert_true(zeros > 0); /* the case that broke gegravity: zero-trade pairs */
    for (int fitted = 0; fitted < 2; fitted++) {
        tw_gegrav_data d = {.n_country = n, .names = names, .flows = x, .partial = p,
                            .ln_cost = fitted ? c : NULL};
        tw_gegrav *g = solve_ok(&d, NULL);
        for (size_t i = 0; i < n; i++) {
            assert_true(tw_gegrav_hat(g, TW_GG_PRICE)[i] > 0.0);
            assert_true(tw_gegrav_hat(g, TW_GG_REAL_GDP)[i] > 1.0);
        }
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], "MWI") == 0 || strcmp(names[i], "NER") == 0 ||
                strcmp(names[i], "NPL") == 0)
                fprintf(stderr, "trade without borders (%s baseline): %s real GDP %+.2f %%, "
                                "price %+.2f %%\n", fitted ? "fitted" : "observed", names[i],
                        100.0 * (tw_gegrav_hat(g, TW_GG_REAL_GDP)[i] - 1.0),
                        100.0 * (tw_gegrav_hat(g, TW_GG_PRICE)[i] - 1.0));
        tw_gegrav_free(g);
    }
    free(x);
    free(p);
    free(c);
    free(names);
    free(imp);
    tw_ppml_free(fit);
    tw_panel_free(panel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_shock),
        cmocka_unit_test(test_symmetric),
        cmocka_unit_test(test_conditional_dense),
        cmocka_unit_test(test_full_residuals),
        cmocka_unit_test(test_metamorphic),
        cmocka_unit_test(test_trade_without_borders_synthetic),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_not_converged),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_trade_without_borders_agtpa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
