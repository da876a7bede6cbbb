/* SPDX-License-Identifier: MIT */
/*
 * src/model/gegravity.c: one-sector structural-gravity general equilibrium (Anderson and van
 * Wincoop 2003), conditional and full-endowment, solved in changes relative to a baseline
 * flow matrix that is either the observed flows (Stata ge_gravity) or fitted from trade costs
 * (the Advanced Guide's GEPPML baseline).
 *
 * Three problems, all solved as fixed points in LOGS with the shared Anderson accelerator
 * (solve/accel.c), so that prices and resistances are exp() of a finite number and can never
 * be negative or zero (the gegravity negative-price failure, gravity.md section 4.7):
 *
 * 1. Matrix scaling ("what PPML with exporter and importer FE fits"): given a log kernel
 *    L_ij (-inf for a structural zero) and targets Y_i, E_j, find a_i, d_j (d_ref = 0) with
 *      sum_j exp(L_ij + a_i + d_j) = Y_i,   sum_i exp(L_ij + a_i + d_j) = E_j.
 *    Map over a: d_j = ln E_j - LSE_i(L_ij + a_i); shift so d_ref = 0;
 *    a_i = ln Y_i - LSE_j(L_ij + d_j). The shift makes the fixed point unique. The adding-up
 *    property of PPML (gravity.md 2.1) makes this exactly the PPML fit with exporter and
 *    importer FE and offset L (Fally 2015). Used for the fitted baseline (L = ln_cost) and for
 *    conditional GE (L = ln X + partial, Y and E fixed): the Advanced Guide ch. 2 structural
 *    system with Y, E given (its "CDL" step), whose resistances are then read from a and d as
 *    in the book: Pi_i^(1-s) = Y_i E_ref / exp(a_i), P_j^(1-s) = E_j / (E_ref exp(d_j)).
 * 2. Full endowment GE in exact hat algebra (the Advanced Guide ch. 2 "FULL" equilibrium;
 *    Larch and Yotov 2016 for the hat form), unknown x = ln p_hat:
 *      u_j = ln P_hat_j^(1-s) = LSE_i(ln(X_ij/E_j) + partial_ij + (1-s) x_i)
 *      y_i = (1/s) LSE_j(ln(X_ij/Y_i) + partial_ij + x_j - u_j)      (market clearing with
 *                                                                     E_hat_j = p_hat_j)
 *    then normalised so that P_hat_ref = 1. The system is homogeneous of degree one in
 *    p_hat; the normalisation inside the map picks the one fixed point with P_hat_ref = 1.
 *    That fixed point clears markets up to one common factor: with expenditure E_j = phi_j Y_j
 *    (phi fixed, unbalanced trade) world expenditure sum_j phi_j p_hat_j Y_j need not equal
 *    world output after prices move, so expenditure is E'_j = lambda phi_j p_hat_j Y_j with the
 *    world scalar lambda = sum p_hat Y / sum p_hat E (1 with balanced trade), reported.
 *
 * After each solve the ORIGINAL equations (margins, market clearing, expenditure) are
 * evaluated on the recovered flows and a relative residual above tol_check is a
 * TW_NOT_CONVERGED status naming the country, never a silent result.
 *
 * References: J. E. Anderson and E. van Wincoop (2003), AER 93(1), section I (gravity with
 * multilateral resistances);
 * Y. V. Yotov, R. Piermartini, J.-A. Monteiro and M. Larch (2016), An Advanced Guide to Trade
 * Policy Analysis, WTO/UNCTAD, ch. 2 (the structural system and the GEPPML procedure);
 * M. Larch and Y. V. Yotov (2016), "General Equilibrium Trade Policy Analysis with Structural
 * Gravity", WTO Staff Working Paper ERSD-2016-08 (hat form); T. Zylkin, Stata ge_gravity
 * (fixed point on observed flows); P. Fally (2015), J. Int. Econ. 97(1). Full entries in
 * docs/references.md.
 * Notes and pitfalls: ../shared/docs/models/gravity.md section 4.
 *
 * Layouts: bilateral [n*n] row-major, [i*n + j] = exporter i to importer j.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "solve/accel.h"
#include "tradewar/tradewar.h"

/* Fixed-point safeguard: reset the Anderson history when the residual grows tenfold. */
#define TW_GEGRAV_SAFEGUARD 10.0

struct tw_gegrav {
    size_t n;
    tw_gegrav_opts opts;
    double *x0;            /* [n*n] baseline flows */
    double *x1;            /* [n*n] counterfactual flows */
    double *hat[TW_GG_N_MEASURE]; /* [n] each */
    tw_gegrav_info info;
};

/* Work shared by the maps. */
struct gg_ctx {
    size_t n, ref;
    double sigma;
    const double *L;       /* [n*n] log kernel (scaling) or ln(X/Y)+partial (full GE) */
    const double *LE;      /* [n*n] ln(X/E)+partial (full GE) */
    const double *lnY, *lnE; /* [n] log targets (scaling) */
    double *d;             /* [n] scaling: importer terms; full GE: u */
};

void tw_gegrav_opts_init(tw_gegrav_opts *o)
{
    memset(o, 0, sizeof *o); /* every field, including any added later */
    o->sigma = 7.0;
    o->kind = TW_GEGRAV_FULL;
    o->reference = 0;
    o->tol = 1e-12;
    o->max_iter = 100000;
    o->accel_memory = 5;
    o->tol_check = 1e-9;
}

static const char *cname(const tw_gegrav_data *d, size_t i, char *buf, size_t len)
{
    if (d->names && d->names[i])
        return d->names[i];
    snprintf(buf, len, "country %zu", i);
    return buf;
}

/* log(sum_k exp(v_k)) over the entries v[k*stride], k < n, skipping -inf; -inf when all are. */
static double lse(const double *v, size_t n, size_t stride, const double *add)
{
    double m = -HUGE_VAL;
    for (size_t k = 0; k < n; k++) {
        double t = v[k * stride] + add[k];
        if (t > m)
            m = t;
    }
    if (!isfinite(m))
        return m;
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += exp(v[k * stride] + add[k] - m);
    return m + log(s);
}

static tw_status scaling_map(void *vctx, const double *a, double *g, tw_err *err)
{
    struct gg_ctx *c = vctx;
    size_t n = c->n;
    for (size_t j = 0; j < n; j++)
        c->d[j] = c->lnE[j] - lse(c->L + j, n, n, a);
    double shift = c->d[c->ref];
    for (size_t j = 0; j < n; j++)
        c->d[j] -= shift;
    for (size_t i = 0; i < n; i++)
        g[i] = c->lnY[i] - lse(c->L + i * n, n, 1, c->d);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(g[i]))
            return tw_err_set(err, TW_ENUMERIC, "gegravity: scaling produced a non-finite "
                                                "exporter term for country %zu", i);
    return TW_OK;
}

static tw_status full_map(void *vctx, const double *x, double *g, tw_err *err)
{
    struct gg_ctx *c = vctx;
    size_t n = c->n;
    double s1 = 1.0 - c->sigma;
    double *tmp = g; /* g is free until written: holds (1-s) x */
    for (size_t i = 0; i < n; i++)
        tmp[i] = s1 * x[i];
    for (size_t j = 0; j < n; j++)
        c->d[j] = lse(c->LE + j, n, n, tmp);
    for (size_t j = 0; j < n; j++)
        c->d[j] = x[j] - c->d[j]; /* x_j - u_j */
    for (size_t i = 0; i < n; i++)
        g[i] = lse(c->L + i * n, n, 1, c->d) / c->sigma;
    /* Normalise: P_hat_ref = 1 at the new prices. */
    for (size_t i = 0; i < n; i++)
        c->d[i] = s1 * g[i];
    double lnP_ref = lse(c->LE + c->ref, n, n, c->d) / s1;
    for (size_t i = 0; i < n; i++) {
        g[i] -= lnP_ref;
        if (!isfinite(g[i]))
            return tw_err_set(err, TW_ENUMERIC, "gegravity: full GE produced a non-finite "
                                                "price for country %zu", i);
    }
    return TW_OK;
}

static tw_status run_fp(tw_fp_fn fn, struct gg_ctx *c, double *x, const tw_gegrav_opts *o,
                        const char *stage, size_t *iters, double *res, tw_err *err)
{
    size_t n = c->n;
    tw_anderson *acc = NULL;
    double *work = tw_malloc(2 * n * sizeof *work);
    tw_status st = TW_OK;
    if (work == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "gegravity: out of memory");
        goto done;
    }
    if (o->accel_memory > 0) {
        st = tw_anderson_new(n, o->accel_memory, &acc, err);
        if (st != TW_OK)
            goto done;
    }
    tw_fp_opts fo = {o->tol, o->max_iter, TW_GEGRAV_SAFEGUARD};
    tw_fp_info info;
    st = tw_fp_run(fn, NULL, c, n, x, &fo, acc, work, &info, err);
    *iters += info.iterations;
    *res = info.residual;
    if (st == TW_NOT_CONVERGED)
        tw_err_set(err, st, "gegravity: %s did not converge after %zu iterations (max change "
                            "of a log unknown %.3g, tol %g)", stage, info.iterations,
                   info.residual, o->tol);
    else if (st < 0)
        tw_err_prefix(err, "%s", stage);
done:
    tw_anderson_free(acc);
    tw_free(work);
    return st;
}

static tw_status check_args(const tw_gegrav_data *d, const tw_gegrav_opts *o, tw_err *err)
{
    if (d == NULL || d->flows == NULL || d->partial == NULL)
        return tw_err_set(err, TW_EINVAL, "gegravity: flows and partial effects are required");
    if (d->n_country < 2)
        return tw_err_set(err, TW_EINVAL, "gegravity: %zu countries, expected at least 2",
                          d->n_country);
    if (!(o->sigma > 1.0 && o->sigma < 1000.0))
        return tw_err_set(err, TW_EINVAL, "gegravity: sigma %g, expected a value in (1, 1000)",
                          o->sigma);
    if (o->kind != TW_GEGRAV_CONDITIONAL && o->kind != TW_GEGRAV_FULL)
        return tw_err_set(err, TW_EINVAL, "gegravity: unknown GE kind %d", (int)o->kind);
    if (o->reference >= d->n_country)
        return tw_err_set(err, TW_EINVAL, "gegravity: reference country %zu, expected < %zu",
                          o->reference, d->n_country);
    if (!(o->tol > 0.0 && o->tol <= 1e-3) || !(o->tol_check > 0.0 && o->tol_check <= 1e-2) ||
        o->max_iter < 1 || o->accel_memory > 50)
        return tw_err_set(err, TW_EINVAL, "gegravity: tolerances or iteration limits out of "
                                          "range (tol %g, tol_check %g, max_iter %zu, "
                                          "accel_memory %zu)", o->tol, o->tol_check,
                          o->max_iter, o->accel_memory);
    size_t n = d->n_country;
    char b1[32], b2[32];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double v = d->flows[i * n + j];
            if (!(isfinite(v) && v >= 0.0))
                return tw_err_set(err, TW_EINVAL, "gegravity: flow from %s to %s is %g, "
                                                  "expected a finite value >= 0",
                                  cname(d, i, b1, sizeof b1), cname(d, j, b2, sizeof b2), v);
            if (!isfinite(d->partial[i * n + j]))
                return tw_err_set(err, TW_EINVAL, "gegravity: partial effect from %s to %s is "
                                                  "not finite", cname(d, i, b1, sizeof b1),
                                  cname(d, j, b2, sizeof b2));
            if (d->ln_cost && !isfinite(d->ln_cost[i * n + j]))
                return tw_err_set(err, TW_EINVAL, "gegravity: trade cost from %s to %s is not "
                                                  "finite (fitted baseline needs every pair)",
                                  cname(d, i, b1, sizeof b1), cname(d, j, b2, sizeof b2));
        }
    for (size_t i = 0; i < n; i++) {
        double y = 0.0, e = 0.0;
        for (size_t j = 0; j < n; j++) {
            y += d->flows[i * n + j];
            e += d->flows[j * n + i];
        }
        if (!(y > 0.0) || !(e > 0.0))
            return tw_err_set(err, TW_EINVAL, "gegravity: %s has zero %s (include domestic "
                                              "flows)", cname(d, i, b1, sizeof b1),
                              y > 0.0 ? "expenditure" : "output");
    }
    return TW_OK;
}

/* Scaling of kernel L to targets lnY, lnE; on success flows out[n*n] = exp(L + a + d), and
 * a, dd hold the exporter and importer terms (dd_ref = 0). */
static tw_status scale(size_t n, size_t ref, const double *L, const double *lnY,
                       const double *lnE, const tw_gegrav_opts *o, const char *stage,
                       double *a, double *dd, double *out, size_t *iters, double *res,
                       tw_err *err)
{
    struct gg_ctx c = {.n = n, .ref = ref, .sigma = o->sigma, .L = L, .lnY = lnY, .lnE = lnE,
                       .d = dd};
    for (size_t i = 0; i < n; i++)
        a[i] = lnY[i] - lse(L + i * n, n, 1, dd); /* dd = 0 on entry */
    tw_status st = run_fp(scaling_map, &c, a, o, stage, iters, res, err);
    if (st < 0)
        return st;
    /* d consistent with the final a. */
    tw_err e2 = {0};
    double *g = out; /* scratch of n entries */
    (void)scaling_map(&c, a, g, &e2);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            out[i * n + j] = exp(L[i * n + j] + a[i] + dd[j]);
    return st;
}

/* Largest relative residual of row sums vs exp(lnY) and column sums vs exp(lnE). */
static double margin_residual(size_t n, const double *x, const double *lnY, const double *lnE,
                              size_t *worst)
{
    double r = 0.0;
    for (size_t i = 0; i < n; i++) {
        double y = 0.0, e = 0.0;
        for (size_t j = 0; j < n; j++) {
            y += x[i * n + j];
            e += x[j * n + i];
        }
        double ry = fabs(y / exp(lnY[i]) - 1.0), re = fabs(e / exp(lnE[i]) - 1.0);
        double m = fmax(ry, re);
        if (!(m <= r)) {
            r = isnan(m) ? HUGE_VAL : m;
            *worst = i;
        }
    }
    return r;
}

void tw_gegrav_free(tw_gegrav *g)
{
    if (g == NULL)
        return;
    tw_free(g->x0);
    tw_free(g->x1);
    for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
        tw_free(g->hat[m]);
    tw_free(g);
}

static tw_status alloc_handle(size_t n, const tw_gegrav_opts *o, tw_gegrav **out, tw_err *err)
{
    tw_gegrav *g = tw_calloc(1, sizeof *g);
    if (g == NULL)
        return tw_err_set(err, TW_ENOMEM, "gegravity: out of memory");
    g->n = n;
    g->opts = *o;
    g->info.expenditure_scale = 1.0;
    g->x0 = tw_malloc(n * n * sizeof(double));
    g->x1 = tw_malloc(n * n * sizeof(double));
    bool ok = g->x0 && g->x1;
    for (size_t m = 0; m < TW_GG_N_MEASURE; m++) {
        g->hat[m] = tw_malloc(n * sizeof(double));
        ok = ok && g->hat[m];
    }
    if (!ok) {
        tw_gegrav_free(g);
        return tw_err_set(err, TW_ENOMEM, "gegravity: out of memory");
    }
    /* Outcomes of a stage that is not reached stay NaN (never stale or uninitialised). */
    for (size_t k = 0; k < n * n; k++)
        g->x0[k] = g->x1[k] = (double)NAN;
    for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
        for (size_t i = 0; i < n; i++)
            g->hat[m][i] = (double)NAN;
    *out = g;
    return TW_OK;
}

/* Counterfactual measures from the solved flows: a_i, d_j are the changes of the exporter and
 * importer terms (X1 = X0 b exp(a_i + d_j), d_ref = 0); phat the price changes; lnlam the log
 * world expenditure scale (E_hat_j = lambda p_hat_j). */
static void measures(tw_gegrav *g, const double *a, const double *d, const double *phat,
                     double lnlam)
{
    size_t n = g->n, ref = g->opts.reference;
    double s1 = 1.0 - g->opts.sigma;
    for (size_t i = 0; i < n; i++) {
        double x0 = 0.0, x1 = 0.0;
        for (size_t j = 0; j < n; j++)
            if (j != i) {
                x0 += g->x0[i * n + j];
                x1 += g->x1[i * n + j];
            }
        g->hat[TW_GG_EXPORTS][i] = x0 > 0.0 ? x1 / x0 : 1.0;
        g->hat[TW_GG_PRICE][i] = phat[i];
        g->hat[TW_GG_OUTPUT][i] = phat[i];
        /* The book's resistances: Pi^(1-s) = Y E_ref / exp(pi), P^(1-s) = E / (E_ref exp(chi)),
         * with E_hat = Y_hat = p_hat. */
        g->hat[TW_GG_OMR][i] = exp((log(phat[i]) + log(phat[ref]) + lnlam - a[i]) / s1);
        g->hat[TW_GG_IMR][i] = exp((log(phat[i]) - log(phat[ref]) - d[i]) / s1);
    }
    for (size_t i = 0; i < n; i++)
        g->hat[TW_GG_REAL_GDP][i] = phat[i] / g->hat[TW_GG_IMR][i];
}

/* Every outcome ratio and flow must be finite and positive (flows: >= 0); anything else is a
 * numerical failure, never a result. */
static tw_status check_positive(const tw_gegrav *g, const tw_gegrav_data *dat,
                                const char *stage, tw_err *err)
{
    static const char *const names[TW_GG_N_MEASURE] = {"real GDP", "exports", "price", "OMR",
                                                       "IMR", "output"};
    char b1[32];
    size_t n = g->n;
    for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
        for (size_t i = 0; i < n; i++)
            if (!(isfinite(g->hat[m][i]) && g->hat[m][i] > 0.0))
                return tw_err_set(err, TW_ENUMERIC, "gegravity: %s: %s change of %s is %g, "
                                                    "expected a finite positive ratio", stage,
                                  names[m], cname(dat, i, b1, sizeof b1), g->hat[m][i]);
    for (size_t k = 0; k < n * n; k++)
        if (!(isfinite(g->x1[k]) && g->x1[k] >= 0.0))
            return tw_err_set(err, TW_ENUMERIC, "gegravity: %s: counterfactual flow %zu is %g",
                              stage, k, g->x1[k]);
    return TW_OK;
}

/* Workspace of one tw_gegrav_new call, carved from one allocation. */
struct gg_work {
    double *lnY, *lnE; /* [n] log baseline output and expenditure */
    double *a, *d;     /* [n] changes of the exporter and importer terms (d_ref = 0) */
    double *ph;        /* [n] ln p_hat during the full-GE solve, then p_hat */
    double *L, *LE;    /* [n*n] log kernels */
};

/* The verdict after a stage: a failed positivity check, then non-convergence, then the
 * equilibrium check (relative residual r at country `worst`) decide the status. */
static tw_status verdict(tw_gegrav *g, const tw_gegrav_data *dat, const char *stage,
                         const char *what, tw_status st_fp, double r, size_t worst, tw_err *err)
{
    char b1[32];
    g->info.check_residual = fmax(g->info.check_residual, r);
    if (st_fp == TW_NOT_CONVERGED)
        return st_fp;
    if (!(r <= g->opts.tol_check))
        return tw_err_set(err, TW_NOT_CONVERGED, "gegravity: %s: %s of %s off by %.3g "
                                                 "(relative, tol_check %g)", stage, what,
                          cname(dat, worst, b1, sizeof b1), r, g->opts.tol_check);
    return TW_OK;
}

/* Baseline flows x0: the data, or exp(ln_cost) scaled to the data's margins. */
static tw_status solve_baseline(tw_gegrav *g, const tw_gegrav_data *dat, struct gg_work *w,
                                tw_err *err)
{
    size_t n = g->n, worst = 0;
    double res = 0.0;
    if (dat->ln_cost == NULL) {
        memcpy(g->x0, dat->flows, n * n * sizeof *g->x0);
        return TW_OK;
    }
    memset(w->d, 0, n * sizeof *w->d);
    tw_status st = scale(n, g->opts.reference, dat->ln_cost, w->lnY, w->lnE, &g->opts,
                         "fitted baseline", w->a, w->d, g->x0, &g->info.baseline_iterations,
                         &res, err);
    if (st < 0)
        return st;
    double r = margin_residual(n, g->x0, w->lnY, w->lnE, &worst);
    return verdict(g, dat, "fitted baseline", "output or expenditure", st, r, worst, err);
}

/* Conditional GE: scale X0 b to the baseline margins; p_hat = 1. */
static tw_status solve_conditional(tw_gegrav *g, const tw_gegrav_data *dat, struct gg_work *w,
                                   tw_err *err)
{
    size_t n = g->n, worst = 0;
    double res = 0.0;
    memset(w->d, 0, n * sizeof *w->d);
    tw_status st = scale(n, g->opts.reference, w->L, w->lnY, w->lnE, &g->opts, "conditional GE",
                         w->a, w->d, g->x1, &g->info.iterations, &res, err);
    g->info.residual = res;
    if (st < 0)
        return st;
    /* ln X1 = ln X0 + partial + a + d: a and d are the changes of the FE. */
    for (size_t i = 0; i < n; i++)
        w->ph[i] = 1.0;
    double r = margin_residual(n, g->x1, w->lnY, w->lnE, &worst);
    measures(g, w->a, w->d, w->ph, 0.0);
    tw_status st_pos = check_positive(g, dat, "conditional GE", err);
    if (st_pos != TW_OK)
        return st_pos;
    return verdict(g, dat, "conditional GE", "output or expenditure", st, r, worst, err);
}

/* Full endowment GE: the fixed point in ln p_hat (file header), then flows, FE changes and
 * the check of market clearing and expenditure. */
static tw_status solve_full(tw_gegrav *g, const tw_gegrav_data *dat, struct gg_work *w,
                            tw_err *err)
{
    size_t n = g->n, ref = g->opts.reference, worst = 0;
    double res = 0.0, s1 = 1.0 - g->opts.sigma;
    double *L = w->L, *LE = w->LE, *x = w->ph, *a = w->a, *d = w->d;
    /* L holds ln X0 + partial; make it ln(X0/Y) + partial, and LE ln(X0/E) + partial. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double l = L[i * n + j];
            LE[i * n + j] = l - w->lnE[j];
            L[i * n + j] = l - w->lnY[i];
        }
    struct gg_ctx c = {.n = n, .ref = ref, .sigma = g->opts.sigma, .L = L, .LE = LE, .d = d};
    memset(x, 0, n * sizeof *x);
    tw_status st = run_fp(full_map, &c, x, &g->opts, "full GE", &g->info.iterations, &res, err);
    g->info.residual = res;
    if (st < 0)
        return st;
    /* u_j = ln P_hat_j^(1-s) at the solution. */
    for (size_t i = 0; i < n; i++)
        a[i] = s1 * x[i];
    double *u = d;
    for (size_t j = 0; j < n; j++)
        u[j] = lse(LE + j, n, n, a);
    /* World expenditure scale lambda (file header): 1 with balanced trade. */
    double wy = 0.0, we = 0.0;
    for (size_t i = 0; i < n; i++) {
        wy += exp(w->lnY[i] + x[i]);
        we += exp(w->lnE[i] + x[i]);
    }
    double lnlam = log(wy / we);
    g->info.expenditure_scale = wy / we;
    /* X1 = X0 b p_hat_i^(1-s) lambda p_hat_j / P_hat_j^(1-s). */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            g->x1[i * n + j] = exp(L[i * n + j] + w->lnY[i] + s1 * x[i] + x[j] - u[j] + lnlam);
    /* FE changes: a_i + d_j = ln lambda + (1-s) x_i + x_j - u_j, split with d_ref = 0. */
    for (size_t i = 0; i < n; i++)
        a[i] = lnlam + s1 * x[i] + x[ref] - u[ref];
    for (size_t j = 0; j < n; j++)
        d[j] = (x[j] - u[j]) - (x[ref] - u[ref]);
    /* Targets of the check: row sums p_hat Y, column sums lambda p_hat E. */
    double *lnY1 = LE, *lnE1 = LE + n; /* LE is no longer needed */
    for (size_t i = 0; i < n; i++) {
        lnY1[i] = w->lnY[i] + x[i];
        lnE1[i] = w->lnE[i] + x[i] + lnlam;
    }
    for (size_t i = 0; i < n; i++)
        w->ph[i] = exp(x[i]); /* ph and x share storage: x is not used after this */
    double r = margin_residual(n, g->x1, lnY1, lnE1, &worst);
    measures(g, a, d, w->ph, lnlam);
    tw_status st_pos = check_positive(g, dat, "full GE", err);
    if (st_pos != TW_OK)
        return st_pos;
    return verdict(g, dat, "full GE", "market clearing", st, r, worst, err);
}

static tw_status solve(tw_gegrav *g, const tw_gegrav_data *dat, double *buf, tw_err *err)
{
    size_t n = g->n, nn = n * n;
    struct gg_work w = {.lnY = buf, .lnE = buf + n, .a = buf + 2 * n, .d = buf + 3 * n,
                        .ph = buf + 4 * n, .L = buf + 5 * n, .LE = buf + 5 * n + nn};
    for (size_t i = 0; i < n; i++) {
        double y = 0.0, e = 0.0;
        for (size_t j = 0; j < n; j++) {
            y += dat->flows[i * n + j];
            e += dat->flows[j * n + i];
        }
        w.lnY[i] = log(y);
        w.lnE[i] = log(e);
    }
    tw_status st = solve_baseline(g, dat, &w, err);
    if (st != TW_OK)
        return st;
    /* Log kernel of the counterfactual: ln X0 + partial (-inf for a zero flow). */
    for (size_t k = 0; k < nn; k++)
        w.L[k] = g->x0[k] > 0.0 ? log(g->x0[k]) + dat->partial[k] : -HUGE_VAL;
    if (g->opts.kind == TW_GEGRAV_CONDITIONAL)
        return solve_conditional(g, dat, &w, err);
    return solve_full(g, dat, &w, err);
}

tw_status tw_gegrav_new(const tw_gegrav_data *d, const tw_gegrav_opts *opts, tw_gegrav **out,
                        tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "gegravity: out is NULL");
    *out = NULL;
    tw_gegrav_opts o;
    if (opts)
        o = *opts;
    else
        tw_gegrav_opts_init(&o);
    tw_status st = check_args(d, &o, err);
    if (st != TW_OK)
        return st;
    size_t n = d->n_country;
    tw_gegrav *g = NULL;
    st = alloc_handle(n, &o, &g, err);
    if (st != TW_OK)
        return st;
    double *buf = tw_malloc((5 * n + 2 * n * n) * sizeof *buf);
    if (buf == NULL) {
        tw_gegrav_free(g);
        return tw_err_set(err, TW_ENOMEM, "gegravity: out of memory");
    }
    st = solve(g, d, buf, err);
    tw_free(buf);
    if (st < 0) {
        tw_gegrav_free(g);
        return st;
    }
    g->info.converged = st == TW_OK;
    *out = g;
    return st;
}

const double *tw_gegrav_hat(const tw_gegrav *g, tw_gegrav_measure m)
{
    if (g == NULL || (int)m < 0 || m >= TW_GG_N_MEASURE)
        return NULL;
    return g->hat[m];
}

size_t tw_gegrav_n_country(const tw_gegrav *g)
{
    return g ? g->n : 0;
}

const double *tw_gegrav_baseline_flows(const tw_gegrav *g)
{
    return g ? g->x0 : NULL;
}

const double *tw_gegrav_flows(const tw_gegrav *g)
{
    return g ? g->x1 : NULL;
}

void tw_gegrav_get_info(const tw_gegrav *g, tw_gegrav_info *info)
{
    if (g && info)
        *info = g->info;
}
