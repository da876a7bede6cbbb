/* SPDX-License-Identifier: MIT */
/*
 * src/estim/ppml.c: Poisson pseudo-maximum likelihood with high-dimensional fixed effects
 * (gravity.md section 2; public API tw_ppml_* in tradewar.h).
 *
 * Stages of tw_ppml_new:
 *   1. checks; drop zero-weight observations; drop the observations of FE levels whose
 *      outcomes are all zero (and singletons when asked), repeating over the dimensions until
 *      nothing changes;
 *   2. compaction: the kept observations get contiguous arrays, ordered (stably) by the FE
 *      dimension with most levels so that the demeaning walks its levels as runs, and every
 *      FE dimension and cluster variable dense ids over the levels still present;
 *   3. IRLS (section 2.2) from mu0 = y + 0.1: weights w = pw mu, working response z = eta - offset +
 *      (y - mu) / mu; z and the regressors are demeaned (estim/fe.c, warm-started from the
 *      previous iteration's FE coefficients); beta from the K x K normal equations (LAPACK
 *      dpotrf/dpotrs); eta = offset + z - residual; the step is halved while the deviance is
 *      not finite or rises; stop when |D - D_old| / (0.1 + |D|) < tol;
 *   4. collinearity is decided once, in the first iteration, by a Cholesky factorisation
 *      with the pivot test d_j < collin_tol * sum_o w_o x_oj^2;
 *   5. variance at the final mu, with the regressors demeaned with the final weights;
 *      FE coefficients = those of z minus beta times those of the regressors at the last
 *      step (exact), or by demeaning eta - offset - X beta when that step was halved.
 *
 * Invariant: the work arrays (struct work) are over the n kept observations in the internal
 * order; wk->pos maps the j-th kept input row to its position there.
 */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "estim/fe.h"
#include "solve/accel.h"
#include "solve/vec.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#define TW_PPML_MAX_FE 8
/* Early IRLS iterations demean to min(tol_demean_first, this factor times the last relative
 * deviance change), never below tol_demean (ppmlhdfe's inexact early solves). */
#define TW_PPML_DEMEAN_TOL_FACTOR 1e-3
/* ReLU separation check: weight of the positive outcomes, zero threshold of the fitted
 * values (u starts at 1), iteration cap. */
#define TW_PPML_RELU_WEIGHT 1e6
#define TW_PPML_RELU_TOL 1e-4
#define TW_PPML_RELU_MAX_ITER 200
/* Starting fit mu0 = y + this (R's poisson()$initialize, used by fixest). */
#define TW_PPML_MU_START_SHIFT 0.1

struct tw_ppml {
    size_t n_in, n;              /* input and used observations */
    size_t K;                    /* regressors (input order) */
    char **names;                /* [K] copies */
    double *coef, *se, *vcov;    /* [K], [K], [K*K] */
    bool *dropped;               /* [K] collinear */
    bool *used;                  /* [n_in] */
    size_t n_drop_sep, n_drop_single, n_drop_weight;
    size_t n_drop_relu;          /* of n_drop_sep: separated by regressors (ReLU check) */
    size_t relu_iterations;      /* ReLU check iterations (0 when not run) */
    bool *relu_sep;              /* [n_in] rows found separated by the ReLU check */
    size_t iterations, sweeps;
    bool converged;
    double rel_change, deviance, null_deviance, pseudo_r2, r2_corr, ssc;
    size_t n_clusters[2];
    size_t G;
    char **fe_names;             /* [G] copies */
    size_t fe_levels[TW_PPML_MAX_FE], fe_used[TW_PPML_MAX_FE];
    double *fe_values[TW_PPML_MAX_FE]; /* [fe_levels[g]] over input ids */
    const char *const *fe_labels[TW_PPML_MAX_FE]; /* borrowed from the data, may be NULL */
    double *fe_sum, *fitted;     /* [n_in] */
};

void tw_ppml_opts_init(tw_ppml_opts *o)
{
    memset(o, 0, sizeof *o); /* every field, the ones below and any added later */
    o->tol = 1e-8;
    o->max_iter = 100;
    o->tol_demean = 1e-10;
    o->max_iter_demean = 10000;
    o->tol_demean_first = 1e-4;
    o->n_threads = 1;
    o->separation_relu = false;
    o->accel_memory = 5;
    o->max_halvings = 30;
    o->collin_tol = 1e-9;
    o->drop_singletons = false;
    o->vcov = TW_VCOV_HETERO;
    o->ssc = TW_SSC_STATA;
}

void tw_ppml_free(tw_ppml *p)
{
    if (p == NULL)
        return;
    if (p->names)
        for (size_t k = 0; k < p->K; k++)
            tw_free(p->names[k]);
    tw_free(p->names);
    if (p->fe_names)
        for (size_t g = 0; g < p->G; g++)
            tw_free(p->fe_names[g]);
    tw_free(p->fe_names);
    for (size_t g = 0; g < p->G; g++)
        tw_free(p->fe_values[g]);
    tw_free(p->coef);
    tw_free(p->se);
    tw_free(p->vcov);
    tw_free(p->dropped);
    tw_free(p->used);
    tw_free(p->relu_sep);
    tw_free(p->fe_sum);
    tw_free(p->fitted);
    tw_free(p);
}

/* n doubles for a per-observation array, backed by huge pages when large. */
static double *big_doubles(size_t n)
{
    return n > SIZE_MAX / sizeof(double) ? NULL : tw_malloc_big(n * sizeof(double));
}

/* ---- working state ------------------------------------------------------------------- */

struct work {
    size_t n, K, G, L;
    double *y, *pw, *off;        /* [n]; pw all 1 when no weights; off all 0 when none */
    double *X;                   /* [K * n] column k at X + k n */
    double *Xt;                  /* [K * n] demeaned columns */
    size_t *pos;                 /* [n] kept row j (input order) -> its position here; NULL
                                  * = identity (no FE) */
    int32_t *fe[TW_PPML_MAX_FE]; /* [n] compact ids */
    size_t levels[TW_PPML_MAX_FE];
    int32_t *fe_orig[TW_PPML_MAX_FE]; /* compact level -> input level */
    int32_t *cl[3];              /* compact cluster ids (third: intersection of two) */
    size_t cl_levels[3];
    size_t n_cl;
    double *ly;                  /* [n] log y (0 where y = 0): no log per deviance */
    double *eta, *mu, *w, *z, *zt, *tmp; /* [n] */
    double *alpha_r;             /* [L] FE of eta - offset - X beta at the last IRLS step */
    bool halved;                 /* the last IRLS step was halved (alpha_r then inexact) */
    double *alpha;               /* [(K + 1) * L] warm starts: vector k at alpha + k L, z last */
    double *A, *b;               /* [K * K], [K] */
    tw_fe *fe_index;             /* K + 1 lanes */
    const double **dv;           /* [K + 1] demeaning call: inputs */
    double **da, **dout;         /* [K + 1] warm starts / outputs */
    size_t *dsweeps;             /* [K + 1] sweeps per vector */
    bool *dconv;                 /* [K + 1] converged per vector */
};

/* Position in the work arrays of the j-th kept input row. */
static size_t kept_pos(const struct work *wk, size_t j)
{
    return wk->pos != NULL ? wk->pos[j] : j;
}

static void work_free(struct work *wk)
{
    tw_free(wk->pos);
    tw_free(wk->y);
    tw_free(wk->pw);
    tw_free(wk->off);
    tw_free(wk->X);
    tw_free(wk->Xt);
    for (size_t g = 0; g < TW_PPML_MAX_FE; g++) {
        tw_free(wk->fe[g]);
        tw_free(wk->fe_orig[g]);
    }
    for (size_t c = 0; c < 3; c++)
        tw_free(wk->cl[c]);
    tw_free(wk->eta);
    tw_free(wk->ly);
    tw_free(wk->alpha_r);
    tw_free(wk->mu);
    tw_free(wk->w);
    tw_free(wk->z);
    tw_free(wk->zt);
    tw_free(wk->tmp);
    tw_free(wk->alpha);
    tw_free(wk->A);
    tw_free(wk->b);
    tw_fe_free(wk->fe_index);
    tw_free(wk->dv);
    tw_free(wk->da);
    tw_free(wk->dout);
    tw_free(wk->dsweeps);
    tw_free(wk->dconv);
}

static tw_status check_data(const tw_ppml_data *d, const tw_ppml_opts *o, tw_err *err)
{
    if (d->n_obs == 0 || d->y == NULL || d->n_x == 0 || d->x == NULL)
        return tw_err_set(err, TW_EINVAL, "ppml: empty data (need observations and at least "
                                          "one regressor)");
    if (d->n_obs > (size_t)INT32_MAX)
        return tw_err_set(err, TW_EINVAL, "ppml: too many observations (%zu)", d->n_obs);
    if (d->n_fe > TW_PPML_MAX_FE || (d->n_fe > 0 && (d->fe == NULL || d->fe_levels == NULL)))
        return tw_err_set(err, TW_EINVAL, "ppml: bad FE description (at most %d dimensions)",
                          TW_PPML_MAX_FE);
    if (d->n_cluster > 2 || (d->n_cluster > 0 && (d->cluster == NULL ||
                                                  d->cluster_levels == NULL)))
        return tw_err_set(err, TW_EINVAL, "ppml: bad cluster description (at most 2)");
    if (!(o->tol > 0.0 && o->tol < 1.0) || !(o->tol_demean > 0.0 && o->tol_demean < 1.0) ||
        !(o->tol_demean_first > 0.0 && o->tol_demean_first < 1.0) ||
        o->n_threads > 1024 ||
        o->max_iter < 1 || o->max_iter_demean < 1 || o->accel_memory > 50 ||
        !(o->collin_tol >= 0.0 && o->collin_tol < 1.0) || (unsigned)o->vcov > 1 ||
        (unsigned)o->ssc > 2)
        return tw_err_set(err, TW_EINVAL, "ppml: invalid options");
    if (o->vcov == TW_VCOV_CLUSTER && d->n_cluster == 0)
        return tw_err_set(err, TW_EINVAL, "ppml: clustered variance requested without a "
                                          "cluster variable");
    for (size_t i = 0; i < d->n_obs; i++) {
        if (!isfinite(d->y[i]) || d->y[i] < 0.0)
            return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: outcome %g is not a "
                              "finite number >= 0", i + 1, d->y[i]);
        if (d->weights && (!isfinite(d->weights[i]) || d->weights[i] < 0.0))
            return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: weight %g is not a "
                              "finite number >= 0", i + 1, d->weights[i]);
        if (d->offset && !isfinite(d->offset[i]))
            return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: offset is not finite",
                              i + 1);
        for (size_t k = 0; k < d->n_x; k++)
            if (!isfinite(d->x[k][i]))
                return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: regressor '%s' is "
                                  "not finite", i + 1, d->x_names ? d->x_names[k] : "?");
        for (size_t g = 0; g < d->n_fe; g++)
            if (d->fe[g][i] < 0 || (size_t)d->fe[g][i] >= d->fe_levels[g])
                return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: FE id %ld out of "
                                  "range [0, %zu)", i + 1, (long)d->fe[g][i], d->fe_levels[g]);
        for (size_t c = 0; c < d->n_cluster; c++)
            if (d->cluster[c][i] < 0 || (size_t)d->cluster[c][i] >= d->cluster_levels[c])
                return tw_err_set(err, TW_EINVAL, "ppml: observation %zu: cluster id out of "
                                  "range", i + 1);
    }
    return TW_OK;
}

/* Stage 1: mark the observations to use. */
static tw_status select_obs(const tw_ppml_data *d, const tw_ppml_opts *o, tw_ppml *p,
                            tw_err *err)
{
    size_t N = d->n_obs;
    p->n_drop_weight = p->n_drop_sep = p->n_drop_single = 0;
    for (size_t i = 0; i < N; i++) {
        p->used[i] = !(d->weights && d->weights[i] == 0.0);
        if (!p->used[i])
            p->n_drop_weight++;
        else if (p->relu_sep && p->relu_sep[i]) {
            p->used[i] = false;
            p->n_drop_sep++;
        }
    }
    size_t maxL = 1;
    for (size_t g = 0; g < d->n_fe; g++)
        if (d->fe_levels[g] > maxL)
            maxL = d->fe_levels[g];
    double *sum = tw_alloc_doubles(maxL);
    size_t *cnt = tw_calloc(maxL, sizeof *cnt);
    if (sum == NULL || cnt == NULL) {
        tw_free(sum);
        tw_free(cnt);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    bool changed = d->n_fe > 0;
    while (changed) {
        changed = false;
        for (size_t g = 0; g < d->n_fe; g++) {
            const int32_t *id = d->fe[g];
            memset(sum, 0, d->fe_levels[g] * sizeof(double));
            memset(cnt, 0, d->fe_levels[g] * sizeof(size_t));
            for (size_t i = 0; i < N; i++)
                if (p->used[i]) {
                    sum[id[i]] += d->y[i];
                    cnt[id[i]]++;
                }
            for (size_t i = 0; i < N; i++) {
                if (!p->used[i])
                    continue;
                if (sum[id[i]] == 0.0) {
                    p->used[i] = false;
                    p->n_drop_sep++;
                    changed = true;
                } else if (o->drop_singletons && cnt[id[i]] == 1) {
                    p->used[i] = false;
                    p->n_drop_single++;
                    changed = true;
                }
            }
        }
    }
    tw_free(sum);
    tw_free(cnt);
    return TW_OK;
}

/* Dense ids over the kept observations for one id column; *orig (optional) maps back. */
static tw_status compact_ids(const int32_t *id, size_t n_levels, const bool *used, size_t N,
                             int32_t **out, size_t *n_out, int32_t **orig, tw_err *err)
{
    int32_t *map = tw_malloc((n_levels ? n_levels : 1) * sizeof *map);
    size_t n = 0;
    for (size_t i = 0; i < N; i++)
        n += used[i];
    int32_t *c = tw_malloc_big((n ? n : 1) * sizeof *c);
    int32_t *back = orig ? tw_malloc((n_levels ? n_levels : 1) * sizeof *back) : NULL;
    if (map == NULL || c == NULL || (orig && back == NULL)) {
        tw_free(map);
        tw_free(c);
        tw_free(back);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    memset(map, 0xff, (n_levels ? n_levels : 1) * sizeof *map);
    size_t L = 0, k = 0;
    for (size_t i = 0; i < N; i++) {
        if (!used[i])
            continue;
        int32_t l = id[i];
        if (map[l] < 0) {
            if (back)
                back[L] = l;
            map[l] = (int32_t)L++;
        }
        c[k++] = map[l];
    }
    tw_free(map);
    *out = c;
    *n_out = L;
    if (orig)
        *orig = back;
    return TW_OK;
}

struct pair_key {
    uint64_t key;
    size_t obs;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair_key *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->obs > y->obs) - (x->obs < y->obs);
}

/* Intersection of two compact cluster columns, as dense ids. */
static tw_status intersect_ids(const int32_t *a, const int32_t *b, size_t nb, size_t n,
                               int32_t **out, size_t *n_out, tw_err *err)
{
    struct pair_key *pk = n > SIZE_MAX / sizeof *pk ? NULL : tw_malloc_big(n * sizeof *pk);
    int32_t *c = tw_malloc_big(n * sizeof *c);
    if (pk == NULL || c == NULL) {
        tw_free(pk);
        tw_free(c);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        pk[i].key = (uint64_t)a[i] * nb + (uint64_t)b[i];
        pk[i].obs = i;
    }
    qsort(pk, n, sizeof *pk, cmp_pair);
    size_t L = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pk[i].key != pk[i - 1].key)
            L++;
        c[pk[i].obs] = (int32_t)L;
    }
    tw_free(pk);
    *out = c;
    *n_out = n ? L + 1 : 0;
    return TW_OK;
}

/* Stage 2: compact arrays over the kept observations. */
/* Move ids[j] (kept rows in input order) to position wk->pos[j]. */
static tw_status permute_ids(struct work *wk, int32_t **ids, tw_err *err)
{
    if (wk->pos == NULL)
        return TW_OK;
    int32_t *c = tw_malloc_big(wk->n * sizeof *c);
    if (c == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    for (size_t j = 0; j < wk->n; j++)
        c[wk->pos[j]] = (*ids)[j];
    tw_free(*ids);
    *ids = c;
    return TW_OK;
}

/*
 * Order the kept observations by the FE dimension with most levels (the one tw_fe_new
 * recomputes each sweep; the first of the largest), stably, so that the demeaning walks
 * that dimension's levels as contiguous runs (fe.c, sweep_runs). Sets wk->pos and permutes
 * the compact FE ids; the caller writes the other columns through wk->pos. Estimates do not
 * depend on the order beyond rounding (tests/unit/test_ppml.c, test_row_order).
 */
static tw_status sort_by_largest_fe(struct work *wk, tw_err *err)
{
    if (wk->G == 0)
        return TW_OK;
    size_t gl = tw_fe_largest(wk->G, wk->levels), n = wk->n;
    size_t Lg = wk->levels[gl];
    size_t *start = tw_calloc(Lg + 1, sizeof *start);
    wk->pos = tw_malloc_big(n * sizeof *wk->pos);
    if (start == NULL || wk->pos == NULL) {
        tw_free(start);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    const int32_t *id = wk->fe[gl];
    for (size_t j = 0; j < n; j++)
        start[(size_t)id[j] + 1]++;
    for (size_t l = 0; l < Lg; l++)
        start[l + 1] += start[l];
    for (size_t j = 0; j < n; j++)
        wk->pos[j] = start[id[j]]++;
    tw_free(start);
    for (size_t g = 0; g < wk->G; g++) {
        tw_status st = permute_ids(wk, &wk->fe[g], err);
        if (st != TW_OK)
            return st;
    }
    return TW_OK;
}

static tw_status compact(const tw_ppml_data *d, const tw_ppml_opts *o, tw_ppml *p,
                         struct work *wk, tw_err *err)
{
    size_t N = d->n_obs, n = 0, K = d->n_x;
    for (size_t i = 0; i < N; i++)
        n += p->used[i];
    if (n == 0)
        return tw_err_set(err, TW_EINVAL, "ppml: no observation left: every outcome is zero "
                                          "or separated by the fixed effects");
    wk->n = n;
    wk->K = K;
    wk->G = d->n_fe;
    wk->y = big_doubles(n);
    wk->pw = big_doubles(n);
    wk->off = big_doubles(n);
    wk->X = big_doubles(K * n);
    wk->Xt = big_doubles(K * n);
    wk->eta = big_doubles(n);
    wk->ly = big_doubles(n);
    wk->mu = big_doubles(n);
    wk->w = big_doubles(n);
    wk->z = big_doubles(n);
    wk->zt = big_doubles(n);
    wk->tmp = big_doubles(n);
    wk->A = tw_alloc_doubles(K * K);
    wk->b = tw_alloc_doubles(K);
    if (!wk->y || !wk->pw || !wk->off || !wk->X || !wk->Xt || !wk->eta || !wk->ly ||
        !wk->mu || !wk->w || !wk->z || !wk->zt || !wk->tmp || !wk->A || !wk->b)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    tw_status st;
    size_t L = 0;
    for (size_t g = 0; g < wk->G; g++) {
        st = compact_ids(d->fe[g], d->fe_levels[g], p->used, N, &wk->fe[g], &wk->levels[g],
                         &wk->fe_orig[g], err);
        if (st != TW_OK)
            return st;
        L += wk->levels[g];
    }
    if ((st = sort_by_largest_fe(wk, err)) != TW_OK)
        return st;
    size_t j = 0;
    for (size_t i = 0; i < N; i++) {
        if (!p->used[i])
            continue;
        size_t q = kept_pos(wk, j);
        wk->y[q] = d->y[i];
        wk->ly[q] = d->y[i] > 0.0 ? log(d->y[i]) : 0.0;
        wk->pw[q] = d->weights ? d->weights[i] : 1.0;
        wk->off[q] = d->offset ? d->offset[i] : 0.0;
        for (size_t k = 0; k < K; k++)
            wk->X[k * n + q] = d->x[k][i];
        j++;
    }
    wk->L = L;
    wk->alpha = tw_calloc((K + 1) * (L ? L : 1), sizeof(double));
    wk->alpha_r = tw_calloc(L ? L : 1, sizeof(double));
    if (wk->alpha == NULL || wk->alpha_r == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    if (o->vcov == TW_VCOV_CLUSTER) {
        wk->n_cl = d->n_cluster;
        for (size_t c = 0; c < d->n_cluster; c++) {
            st = compact_ids(d->cluster[c], d->cluster_levels[c], p->used, N, &wk->cl[c],
                             &wk->cl_levels[c], NULL, err);
            if (st != TW_OK || (st = permute_ids(wk, &wk->cl[c], err)) != TW_OK)
                return st;
            p->n_clusters[c] = wk->cl_levels[c];
        }
        if (wk->n_cl == 2) {
            st = intersect_ids(wk->cl[0], wk->cl[1], wk->cl_levels[1], n, &wk->cl[2],
                               &wk->cl_levels[2], err);
            if (st != TW_OK)
                return st;
        }
    }
    wk->dv = tw_calloc(K + 1, sizeof *wk->dv);
    wk->da = tw_calloc(K + 1, sizeof *wk->da);
    wk->dout = tw_calloc(K + 1, sizeof *wk->dout);
    wk->dsweeps = tw_calloc(K + 1, sizeof *wk->dsweeps);
    wk->dconv = tw_calloc(K + 1, sizeof *wk->dconv);
    if (!wk->dv || !wk->da || !wk->dout || !wk->dsweeps || !wk->dconv)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    return tw_fe_new(n, wk->G, (const int32_t *const *)wk->fe, wk->levels, o->accel_memory,
                     K + 1, &wk->fe_index, err);
}

/* ---- IRLS ------------------------------------------------------------------------------ */

/* Poisson deviance at mu = exp(eta): y log(y / mu) = y (log y - eta), no log per row. */
static double deviance(const struct work *wk, const double *eta, const double *mu)
{
    double dev = 0.0;
    for (size_t i = 0; i < wk->n; i++) {
        double y = wk->y[i], m = mu[i];
        double t = y > 0.0 ? y * (wk->ly[i] - eta[i]) - (y - m) : m;
        dev += wk->pw[i] * t;
    }
    return 2.0 * dev;
}

/* eta -> mu and deviance; false when some mu is not finite and positive. */
static bool eval_mu(const struct work *wk, const double *eta, double *mu, double *dev)
{
    for (size_t i = 0; i < wk->n; i++) {
        mu[i] = exp(eta[i]);
        if (!(mu[i] > 0.0) || !isfinite(mu[i]))
            return false;
    }
    *dev = deviance(wk, eta, mu);
    return isfinite(*dev);
}

/*
 * Demean the vectors queued in wk->dv/da/dout[0..nv) (tolerance tol) in one pass per sweep,
 * split into contiguous blocks over at most o->n_threads OpenMP threads. Each vector's
 * iteration is independent of the others, so the split does not change any result.
 */
static tw_status demean_queued(struct work *wk, const tw_ppml_opts *o, size_t nv, double tol,
                               tw_ppml *p, bool *conv, tw_err *err)
{
    tw_fp_opts fo = {.tol = tol, .max_iter = o->max_iter_demean, .safeguard = 10.0};
    size_t T = o->n_threads > 1 ? o->n_threads : 1;
    if (T > nv)
        T = nv;
    tw_status st = TW_OK;
    if (T <= 1) {
        st = tw_fe_demean(wk->fe_index, 0, nv, wk->dv, wk->da, wk->dout, &fo, wk->dsweeps,
                          wk->dconv, err);
    } else {
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)T) schedule(static, 1)
#endif
        for (long t = 0; t < (long)T; t++) {
            size_t lo = (size_t)t * nv / T, hi = ((size_t)t + 1) * nv / T;
            /* Lanes are in range by construction: this call cannot fail. */
            (void)tw_fe_demean(wk->fe_index, lo, hi - lo, wk->dv + lo, wk->da + lo,
                               wk->dout + lo, &fo, wk->dsweeps + lo, wk->dconv + lo, NULL);
        }
    }
    for (size_t c = 0; c < nv; c++) {
        p->sweeps += wk->dsweeps[c];
        if (!wk->dconv[c])
            *conv = false;
    }
    return st;
}

/* Queue vector v (warm-start slot `slot`: 0..K-1 regressors, K for z) as entry c. */
static void queue(struct work *wk, size_t c, size_t slot, const double *v, double *out)
{
    wk->dv[c] = v;
    wk->da[c] = wk->alpha + slot * (wk->L ? wk->L : 1);
    wk->dout[c] = out;
}

/* Weighted cross products of the demeaned columns: A = Xt' W Xt over kept columns (dense
 * K x K, column-major over all K; dropped rows/columns are left unset). */
static void cross(struct work *wk, const bool *dropped)
{
    size_t n = wk->n, K = wk->K;
    for (size_t j = 0; j < K; j++) {
        if (dropped[j])
            continue;
        const double *xj = wk->Xt + j * n;
        for (size_t i = 0; i < n; i++)
            wk->tmp[i] = wk->w[i] * xj[i];
        for (size_t k = 0; k <= j; k++) {
            if (dropped[k])
                continue;
            double v = tw_vec_dot(wk->tmp, wk->Xt + k * n, n);
            wk->A[j * K + k] = v;
            wk->A[k * K + j] = v;
        }
        wk->b[j] = tw_vec_dot(wk->tmp, wk->zt, n);
    }
}

/* Pack the kept rows/columns of wk->A into dst[m*m] (column-major); returns m. */
static size_t pack(const struct work *wk, const bool *dropped, double *dst)
{
    size_t K = wk->K, m = 0;
    for (size_t j = 0; j < K; j++)
        m += !dropped[j];
    size_t c = 0;
    for (size_t j = 0; j < K; j++) {
        if (dropped[j])
            continue;
        size_t r = 0;
        for (size_t k = 0; k < K; k++) {
            if (dropped[k])
                continue;
            dst[c * m + r] = wk->A[j * K + k];
            r++;
        }
        c++;
    }
    return m;
}

/* First iteration: decide which regressors are collinear (sequential Cholesky pivots). */
static tw_status detect_collinear(struct work *wk, const tw_ppml_opts *o, bool *dropped,
                                  tw_err *err)
{
    size_t K = wk->K, n = wk->n;
    double *Lm = tw_calloc(K * K, sizeof(double));
    if (Lm == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    for (size_t j = 0; j < K; j++) {
        const double *xj = wk->X + j * n;
        double raw = 0.0;
        for (size_t i = 0; i < n; i++)
            raw += wk->w[i] * xj[i] * xj[i];
        /* d_j = A_jj - sum_k L_jk^2 over kept k < j */
        for (size_t k = 0; k < j; k++) {
            if (dropped[k])
                continue;
            double s = wk->A[j * K + k];
            for (size_t q = 0; q < k; q++)
                if (!dropped[q])
                    s -= Lm[j * K + q] * Lm[k * K + q];
            Lm[j * K + k] = s / Lm[k * K + k];
        }
        double dj = wk->A[j * K + j];
        for (size_t k = 0; k < j; k++)
            if (!dropped[k])
                dj -= Lm[j * K + k] * Lm[j * K + k];
        if (!(dj > o->collin_tol * raw) || !(raw > 0.0)) {
            dropped[j] = true;
            for (size_t k = 0; k < j; k++)
                Lm[j * K + k] = 0.0;
        } else {
            Lm[j * K + j] = sqrt(dj);
        }
    }
    tw_free(Lm);
    return TW_OK;
}

/* Solve the packed m x m system for beta (kept entries of beta[K]). */
static tw_status solve_beta(struct work *wk, const bool *dropped, double *packed, double *beta,
                            tw_err *err)
{
    size_t m = pack(wk, dropped, packed);
    double *rhs = packed + m * m;
    size_t r = 0;
    for (size_t j = 0; j < wk->K; j++)
        if (!dropped[j])
            rhs[r++] = wk->b[j];
    lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', (lapack_int)m, packed,
                                     (lapack_int)m);
    if (info == 0)
        info = LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', (lapack_int)m, 1, packed, (lapack_int)m,
                              rhs, (lapack_int)m);
    if (info != 0)
        return tw_err_set(err, TW_ENUMERIC, "ppml: the regressors' cross-product matrix is "
                          "not positive definite (LAPACK info %d)", (int)info);
    r = 0;
    for (size_t j = 0; j < wk->K; j++)
        beta[j] = dropped[j] ? 0.0 : rhs[r++];
    return TW_OK;
}

/*
 * Separation by the regressors and FE (Correia, Guimaraes and Zylkin 2021, "Verifying the
 * existence of maximum likelihood estimates for generalized linear models", the iterated
 * rectifier "ReLU" method; ppmlhdfe's separation(relu)). Look for z = X g + FE with z = 0 on
 * the positive outcomes and z >= 0, not all 0, on the zeros: those zeros are separated (their
 * fit tends to 0 and their FE / coefficients to -infinity). Iterate: u = 1 on the zeros, 0 on
 * the positives; regress u on X and the FE by weighted least squares (weight
 * TW_PPML_RELU_WEIGHT on positives, 1 on zeros); z = fitted values with |z| < TW_PPML_RELU_TOL
 * set to 0; stop when z >= 0 on every zero (the rows with z > 0 are separated), else
 * u = max(z, 0) on the zeros and repeat (at most TW_PPML_RELU_MAX_ITER times; then nothing is
 * reported). Marks the rows in p->relu_sep (input order) and returns their count in *found.
 */
static tw_status relu_separation(struct work *wk, const tw_ppml_opts *o, tw_ppml *p,
                                 size_t *found, tw_err *err)
{
    size_t n = wk->n, K = wk->K, N = p->n_in;
    *found = 0;
    bool *drop = tw_calloc(K, sizeof(bool));
    double *u = wk->z, *fit = wk->tmp;
    double *packed = tw_alloc_doubles(K * K + K), *beta = tw_alloc_doubles(K);
    tw_status st = TW_OK;
    if (drop == NULL || packed == NULL || beta == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
        goto done;
    }
    size_t n_zero = 0;
    for (size_t i = 0; i < n; i++) {
        wk->w[i] = wk->y[i] > 0.0 ? TW_PPML_RELU_WEIGHT : 1.0;
        u[i] = wk->y[i] > 0.0 ? 0.0 : 1.0;
        n_zero += wk->y[i] == 0.0;
    }
    if (n_zero == 0)
        goto done;
    tw_fe_set_weights(wk->fe_index, wk->w);
    bool conv = true;
    size_t nq = 0;
    for (size_t k = 0; k < K; k++)
        queue(wk, nq++, k, wk->X + k * n, wk->Xt + k * n);
    if ((st = demean_queued(wk, o, nq, o->tol_demean, p, &conv, err)) != TW_OK)
        goto done;
    for (size_t it = 1; it <= TW_PPML_RELU_MAX_ITER; it++) {
        p->relu_iterations = it;
        queue(wk, 0, K, u, wk->zt);
        if ((st = demean_queued(wk, o, 1, o->tol_demean, p, &conv, err)) != TW_OK)
            goto done;
        cross(wk, drop);
        if (it == 1) {
            if ((st = detect_collinear(wk, o, drop, err)) != TW_OK)
                goto done;
        }
        size_t kept = 0;
        for (size_t k = 0; k < K; k++)
            kept += !drop[k];
        if (kept > 0 && (st = solve_beta(wk, drop, packed, beta, err)) != TW_OK)
            goto done;
        /* fit = u - (ut - Xt beta) */
        memcpy(fit, wk->zt, n * sizeof(double));
        for (size_t k = 0; k < K; k++)
            if (!drop[k])
                tw_vec_axpy(n, -beta[k], wk->Xt + k * n, fit);
        bool nonneg = true;
        for (size_t i = 0; i < n; i++) {
            fit[i] = u[i] - fit[i];
            if (fabs(fit[i]) < TW_PPML_RELU_TOL)
                fit[i] = 0.0;
            if (wk->y[i] == 0.0 && fit[i] < 0.0)
                nonneg = false;
        }
        if (nonneg) {
            /* Map the compact rows back to the caller's rows. */
            size_t j = 0;
            for (size_t i = 0; i < N; i++) {
                if (!p->used[i])
                    continue;
                size_t q = kept_pos(wk, j);
                if (wk->y[q] == 0.0 && fit[q] > 0.0) {
                    p->relu_sep[i] = true;
                    (*found)++;
                }
                j++;
            }
            break;
        }
        for (size_t i = 0; i < n; i++)
            u[i] = wk->y[i] > 0.0 ? 0.0 : fmax(fit[i], 0.0);
    }
done:
    /* The warm starts hold the check's solutions: start the fit from zero. */
    memset(wk->alpha, 0, (K + 1) * (wk->L ? wk->L : 1) * sizeof(double));
    tw_free(drop);
    tw_free(packed);
    tw_free(beta);
    return st;
}

/* Stage 3: the IRLS loop. beta[K] receives the estimate. */
static tw_status irls(struct work *wk, const tw_ppml_opts *o, tw_ppml *p, double *beta,
                      double *packed, bool *demean_conv, tw_err *err)
{
    size_t n = wk->n, K = wk->K;
    double ybar = 0.0, sp = 0.0;
    for (size_t i = 0; i < n; i++) {
        ybar += wk->pw[i] * wk->y[i];
        sp += wk->pw[i];
    }
    ybar /= sp;
    if (!(ybar > 0.0))
        return tw_err_set(err, TW_EINVAL, "ppml: every outcome is zero");
    /* R glm's and fixest's Poisson start, mu0 = y + 0.1: observations whose fit tends to zero
     * (zeros "almost" separated by combinations of FE) start near zero, instead of spending
     * an IRLS iteration per factor e of decay from ppmlhdfe's (y + ybar) / 2 (17 iterations
     * instead of 7 on the AGTPA three-way model; same estimates). */
    for (size_t i = 0; i < n; i++) {
        wk->mu[i] = wk->y[i] + TW_PPML_MU_START_SHIFT;
        wk->eta[i] = log(wk->mu[i]);
    }
    double dev = deviance(wk, wk->eta, wk->mu);
    double *beta_old = tw_alloc_doubles(K);
    if (beta_old == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    memset(beta, 0, K * sizeof(double));
    tw_status st = TW_OK;
    double rel_prev = HUGE_VAL, rel_prev2 = HUGE_VAL;
    p->converged = false;
    for (size_t it = 1; it <= o->max_iter; it++) {
        p->iterations = it;
        for (size_t i = 0; i < n; i++) {
            wk->w[i] = wk->pw[i] * wk->mu[i];
            wk->z[i] = wk->eta[i] - wk->off[i] + (wk->y[i] - wk->mu[i]) / wk->mu[i];
        }
        tw_fe_set_weights(wk->fe_index, wk->w);
        /* Inexact early demeaning: loose while the deviance still moves a lot; the final
         * iterations (and so the converged fit) use tol_demean. The regressors are demeaned
         * exactly in the first iteration, where collinearity is decided. */
        double tol_it = o->tol_demean;
        if (o->tol_demean_first > o->tol_demean) {
            tol_it = it == 1 ? o->tol_demean_first
                             : fmin(o->tol_demean_first, TW_PPML_DEMEAN_TOL_FACTOR * rel_prev);
            /* Superlinear phase (r_k <= r_{k-1} / 10): when r_{k+1} ~ r_k^3 / r_{k-1}^2 (the
             * quadratic-convergence guess) is below tol, this is likely the last iteration, so
             * make it exact now rather than converge inexactly and iterate once more. */
            if (it > 2 && rel_prev <= 0.1 * rel_prev2 &&
                rel_prev * (rel_prev / rel_prev2) * (rel_prev / rel_prev2) < o->tol)
                tol_it = o->tol_demean;
            tol_it = fmax(tol_it, o->tol_demean);
        }
        size_t nq = 0;
        queue(wk, nq++, K, wk->z, wk->zt);
        if (it == 1 && tol_it > o->tol_demean) {
            if ((st = demean_queued(wk, o, nq, tol_it, p, demean_conv, err)) != TW_OK)
                goto done;
            nq = 0;
        }
        for (size_t k = 0; k < K; k++)
            if (!p->dropped[k])
                queue(wk, nq++, k, wk->X + k * n, wk->Xt + k * n);
        if ((st = demean_queued(wk, o, nq, it == 1 ? o->tol_demean : tol_it, p, demean_conv,
                                err)) != TW_OK)
            goto done;
        cross(wk, p->dropped);
        if (it == 1) {
            if ((st = detect_collinear(wk, o, p->dropped, err)) != TW_OK)
                goto done;
            size_t kept = 0;
            for (size_t k = 0; k < K; k++)
                kept += !p->dropped[k];
            if (kept == 0) {
                st = tw_err_set(err, TW_EINVAL, "ppml: every regressor is collinear with the "
                                                "fixed effects");
                goto done;
            }
        }
        memcpy(beta_old, beta, K * sizeof(double));
        if ((st = solve_beta(wk, p->dropped, packed, beta, err)) != TW_OK)
            goto done;
        /* The new eta = offset + z - (zt - Xt beta) goes to tmp; eta keeps the old one until
         * the step is accepted (then the two swap). */
        double *en = wk->tmp;
        memcpy(en, wk->zt, n * sizeof(double));
        for (size_t k = 0; k < K; k++)
            if (!p->dropped[k])
                tw_vec_axpy(n, -beta[k], wk->Xt + k * n, en);
        for (size_t i = 0; i < n; i++)
            en[i] = wk->off[i] + wk->z[i] - en[i];
        double dev_new = HUGE_VAL;
        bool ok = eval_mu(wk, en, wk->mu, &dev_new);
        size_t h = 0;
        /* The start mu0 is not a model fit, so the first step may raise the deviance: only
         * finiteness is required then. */
        while (!ok || (it > 1 && dev_new > dev && (dev_new - dev) / (0.1 + fabs(dev_new)) >=
                                                      o->tol)) {
            if (h++ >= o->max_halvings) {
                st = tw_err_set(err, TW_ENUMERIC, "ppml: iteration %zu: the deviance did not "
                                "decrease after %zu step halvings", it, o->max_halvings);
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                en[i] = 0.5 * (en[i] + wk->eta[i]);
            for (size_t k = 0; k < K; k++)
                beta[k] = 0.5 * (beta[k] + beta_old[k]);
            ok = eval_mu(wk, en, wk->mu, &dev_new);
        }
        wk->tmp = wk->eta;
        wk->eta = en;
        /* Without halving, eta - offset - X beta = (z - zt) - (X - Xt) beta is exactly the
         * FE sum of alpha_z - sum_k beta_k alpha_k (the demeaning residuals are formed from
         * those coefficients), so the FE need no further demeaning (fixed_effects). */
        wk->halved = h > 0;
        if (wk->G > 0) {
            size_t L = wk->L;
            memcpy(wk->alpha_r, wk->alpha + K * L, L * sizeof(double));
            for (size_t k = 0; k < K; k++)
                if (!p->dropped[k])
                    tw_vec_axpy(L, -beta[k], wk->alpha + k * L, wk->alpha_r);
        }
        p->rel_change = fabs(dev_new - dev) / (0.1 + fabs(dev_new));
        rel_prev2 = rel_prev;
        rel_prev = p->rel_change;
        dev = dev_new;
        if (o->progress != NULL && o->progress(o->progress_ctx, "IRLS", it, p->rel_change) != 0) {
            st = tw_err_set(err, TW_EINTERRUPTED, "ppml: cancelled after %zu IRLS iterations",
                            it);
            goto done;
        }
        if (p->rel_change < o->tol && tol_it <= o->tol_demean) {
            p->converged = true;
            break;
        }
    }
    p->deviance = dev;
done:
    tw_free(beta_old);
    return st;
}

/* ---- variance ---------------------------------------------------------------------------- */

/* meat += factor * sum_c S_c S_c' for cluster ids cl (G levels); S over kept columns. */
static tw_status cluster_meat(const struct work *wk, const bool *dropped, const double *score,
                              const int32_t *cl, size_t G, double factor, double *meat,
                              tw_err *err)
{
    size_t n = wk->n, K = wk->K;
    double *S = tw_calloc(G * K, sizeof(double));
    if (S == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    for (size_t k = 0; k < K; k++) {
        if (dropped[k])
            continue;
        const double *xt = wk->Xt + k * n;
        for (size_t i = 0; i < n; i++)
            S[(size_t)cl[i] * K + k] += score[i] * xt[i];
    }
    for (size_t c = 0; c < G; c++)
        for (size_t j = 0; j < K; j++)
            for (size_t k = 0; k < K; k++)
                meat[j * K + k] += factor * S[c * K + j] * S[c * K + k];
    tw_free(S);
    return TW_OK;
}

/* True when every level of FE dimension g lies inside one cluster of cl. */
static bool nested(const struct work *wk, size_t g, const int32_t *cl, int32_t *map)
{
    memset(map, 0xff, wk->levels[g] * sizeof *map);
    for (size_t i = 0; i < wk->n; i++) {
        int32_t l = wk->fe[g][i];
        if (map[l] < 0)
            map[l] = cl[i];
        else if (map[l] != cl[i])
            return false;
    }
    return true;
}

static tw_status variance(struct work *wk, const tw_ppml_opts *o, tw_ppml *p, double *packed,
                          bool *demean_conv, tw_err *err)
{
    size_t n = wk->n, K = wk->K;
    tw_status st;
    /* Regressors demeaned with the final weights. */
    for (size_t i = 0; i < n; i++)
        wk->w[i] = wk->pw[i] * wk->mu[i];
    tw_fe_set_weights(wk->fe_index, wk->w);
    size_t nq = 0;
    for (size_t k = 0; k < K; k++)
        if (!p->dropped[k])
            queue(wk, nq++, k, wk->X + k * n, wk->Xt + k * n);
    if ((st = demean_queued(wk, o, nq, o->tol_demean, p, demean_conv, err)) != TW_OK)
        return st;
    memset(wk->zt, 0, n * sizeof(double)); /* b is unused here */
    cross(wk, p->dropped);
    size_t m = pack(wk, p->dropped, packed);
    lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', (lapack_int)m, packed,
                                     (lapack_int)m);
    if (info == 0)
        info = LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', (lapack_int)m, packed, (lapack_int)m);
    if (info != 0)
        return tw_err_set(err, TW_ENUMERIC, "ppml: the information matrix is singular "
                          "(LAPACK info %d)", (int)info);
    /* Hinv over all K (zeros for dropped), symmetric from the lower triangle. */
    double *Hinv = tw_calloc(K * K, sizeof(double));
    double *meat = tw_calloc(K * K, sizeof(double));
    double *score = wk->tmp;
    if (Hinv == NULL || meat == NULL) {
        tw_free(Hinv);
        tw_free(meat);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    size_t c = 0;
    for (size_t j = 0; j < K; j++) {
        if (p->dropped[j])
            continue;
        size_t r = 0;
        for (size_t k = 0; k < K; k++) {
            if (p->dropped[k])
                continue;
            size_t lo = r > c ? r : c, hi = r > c ? c : r; /* lower triangle: row >= col */
            Hinv[j * K + k] = packed[hi * m + lo];
            r++;
        }
        c++;
    }
    for (size_t i = 0; i < n; i++)
        score[i] = wk->pw[i] * (wk->y[i] - wk->mu[i]);
    /* Counted FE parameters for the fixest convention (nesting checked per cluster). */
    size_t Kx = m, Kfe = 0, counted = 0;
    int32_t *map = NULL;
    if (wk->G > 0) {
        size_t maxL = 0;
        for (size_t g = 0; g < wk->G; g++)
            if (wk->levels[g] > maxL)
                maxL = wk->levels[g];
        map = tw_malloc(maxL * sizeof *map);
        if (map == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
            goto done;
        }
    }
    for (size_t g = 0; g < wk->G; g++) {
        bool nest = false;
        if (o->vcov == TW_VCOV_CLUSTER)
            for (size_t q = 0; q < wk->n_cl; q++)
                nest = nest || nested(wk, g, wk->cl[q], map);
        if (!nest) {
            Kfe += wk->levels[g] - 1;
            counted++;
        }
    }
    if (counted > 0)
        Kfe += 1;
    double nd = (double)n, ktot = (double)(Kx + Kfe);
    double adj = (o->ssc == TW_SSC_FIXEST && nd > ktot) ? (nd - 1.0) / (nd - ktot) : 1.0;
    if (o->vcov == TW_VCOV_HETERO) {
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < K; j++) {
                if (p->dropped[j])
                    continue;
                double sj = score[i] * wk->Xt[j * n + i];
                for (size_t k = 0; k <= j; k++)
                    if (!p->dropped[k])
                        meat[j * K + k] += sj * score[i] * wk->Xt[k * n + i];
            }
        }
        for (size_t j = 0; j < K; j++)
            for (size_t k = 0; k < j; k++)
                meat[k * K + j] = meat[j * K + k];
        p->ssc = o->ssc == TW_SSC_NONE ? 1.0 : (nd > 1.0 ? nd / (nd - 1.0) : 1.0);
        if (o->ssc == TW_SSC_FIXEST)
            p->ssc *= adj;
    } else {
        size_t Gmin = wk->cl_levels[0];
        if (wk->n_cl == 2 && wk->cl_levels[1] < Gmin)
            Gmin = wk->cl_levels[1];
        if ((st = cluster_meat(wk, p->dropped, score, wk->cl[0], wk->cl_levels[0], 1.0, meat,
                               err)) != TW_OK)
            goto done;
        if (wk->n_cl == 2) {
            if ((st = cluster_meat(wk, p->dropped, score, wk->cl[1], wk->cl_levels[1], 1.0,
                                   meat, err)) != TW_OK ||
                (st = cluster_meat(wk, p->dropped, score, wk->cl[2], wk->cl_levels[2], -1.0,
                                   meat, err)) != TW_OK)
                goto done;
        }
        double gd = (double)Gmin;
        p->ssc = o->ssc == TW_SSC_NONE ? 1.0 : (gd > 1.0 ? gd / (gd - 1.0) : 1.0);
        if (o->ssc == TW_SSC_FIXEST)
            p->ssc *= adj;
    }
    /* V = ssc * Hinv meat Hinv */
    for (size_t j = 0; j < K; j++)
        for (size_t k = 0; k < K; k++) {
            double v = (double)NAN;
            if (!p->dropped[j] && !p->dropped[k]) {
                v = 0.0;
                for (size_t a = 0; a < K; a++) {
                    if (p->dropped[a])
                        continue;
                    double t = 0.0;
                    for (size_t b = 0; b < K; b++)
                        if (!p->dropped[b])
                            t += meat[a * K + b] * Hinv[b * K + k];
                    v += Hinv[j * K + a] * t;
                }
                v *= p->ssc;
            }
            p->vcov[j * K + k] = v;
        }
    for (size_t k = 0; k < K; k++)
        p->se[k] = p->dropped[k] || !(p->vcov[k * K + k] >= 0.0) ? (double)NAN
                                                                  : sqrt(p->vcov[k * K + k]);
    st = TW_OK;
done:
    tw_free(map);
    tw_free(Hinv);
    tw_free(meat);
    return st;
}

/* ---- fit statistics and fixed effects ------------------------------------------------- */

static void statistics(const struct work *wk, tw_ppml *p)
{
    size_t n = wk->n;
    double sp = 0.0, ybar = 0.0;
    for (size_t i = 0; i < n; i++) {
        sp += wk->pw[i];
        ybar += wk->pw[i] * wk->y[i];
    }
    ybar /= sp;
    double ll = 0.0, ll0 = 0.0, dev0 = 0.0, lybar = log(ybar);
    double my = 0.0, mm = 0.0;
    for (size_t i = 0; i < n; i++) {
        double y = wk->y[i], lg = y > 0.0 ? lgamma(y + 1.0) : 0.0;
        ll += wk->pw[i] * (y * wk->eta[i] - wk->mu[i] - lg); /* log mu = eta */
        ll0 += wk->pw[i] * (y * lybar - ybar - lg);
        dev0 += wk->pw[i] * (y > 0.0 ? y * (wk->ly[i] - lybar) - (y - ybar) : ybar);
        my += y;
        mm += wk->mu[i];
    }
    p->null_deviance = 2.0 * dev0;
    p->pseudo_r2 = 1.0 - ll / ll0;
    my /= (double)n;
    mm /= (double)n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = wk->y[i] - my, b = wk->mu[i] - mm;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    p->r2_corr = sxx > 0.0 && syy > 0.0 ? sxy * sxy / (sxx * syy) : (double)NAN;
}

static tw_status fixed_effects(struct work *wk, const tw_ppml_data *d, const tw_ppml_opts *o,
                               tw_ppml *p, const double *beta, bool *demean_conv, tw_err *err)
{
    size_t n = wk->n, K = wk->K, N = d->n_obs;
    /* r = eta - offset - X beta: the sum of the FE on each observation. */
    for (size_t i = 0; i < n; i++)
        wk->z[i] = wk->eta[i] - wk->off[i];
    for (size_t k = 0; k < K; k++)
        if (!p->dropped[k])
            tw_vec_axpy(n, -beta[k], wk->X + k * n, wk->z);
    size_t j = 0;
    for (size_t i = 0; i < N; i++) {
        if (!p->used[i]) {
            p->fe_sum[i] = p->fitted[i] = (double)NAN;
            continue;
        }
        size_t q = kept_pos(wk, j);
        p->fe_sum[i] = wk->z[q];
        p->fitted[i] = wk->mu[q];
        j++;
    }
    if (wk->G == 0)
        return TW_OK;
    /* The coefficients: alpha_r, the FE of z minus beta times the FE of the regressors at
     * the last IRLS step, is exact unless that step was halved; then demean r (an exact fit)
     * warm-started from it. */
    double *alpha = wk->alpha + K * wk->L;
    memcpy(alpha, wk->alpha_r, wk->L * sizeof(double));
    if (wk->halved) {
        queue(wk, 0, K, wk->z, wk->zt);
        tw_status st = demean_queued(wk, o, 1, o->tol_demean, p, demean_conv, err);
        if (st != TW_OK)
            return st;
    }
    /* Normalise: in every dimension after the first, the level with the smallest input id
     * (among those used) is zero, whatever the row order. */
    for (size_t g = 1; g < wk->G; g++) {
        size_t ref = 0;
        for (size_t l = 1; l < wk->levels[g]; l++)
            if (wk->fe_orig[g][l] < wk->fe_orig[g][ref])
                ref = l;
        double *ag = alpha + tw_fe_offset(wk->fe_index, g), c = ag[ref];
        for (size_t l = 0; l < wk->levels[g]; l++)
            ag[l] -= c;
        double *a0 = alpha + tw_fe_offset(wk->fe_index, 0);
        for (size_t l = 0; l < wk->levels[0]; l++)
            a0[l] += c;
    }
    for (size_t g = 0; g < wk->G; g++) {
        for (size_t l = 0; l < d->fe_levels[g]; l++)
            p->fe_values[g][l] = (double)NAN;
        const double *ag = alpha + tw_fe_offset(wk->fe_index, g);
        for (size_t l = 0; l < wk->levels[g]; l++)
            p->fe_values[g][wk->fe_orig[g][l]] = ag[l];
    }
    return TW_OK;
}

/* ---- entry point --------------------------------------------------------------------- */

static char *dup_or(const char *s, const char *dflt)
{
    return tw_strdup(s ? s : dflt);
}

tw_status tw_ppml_new(const tw_ppml_data *d, const tw_ppml_opts *opts, tw_ppml **out,
                      tw_err *err)
{
    if (out == NULL || d == NULL)
        return tw_err_set(err, TW_EINVAL, "ppml: NULL argument");
    *out = NULL;
    tw_ppml_opts def;
    if (opts == NULL) {
        tw_ppml_opts_init(&def);
        opts = &def;
    }
    tw_status st = check_data(d, opts, err);
    if (st != TW_OK)
        return st;
    size_t K = d->n_x, N = d->n_obs;
    tw_ppml *p = tw_calloc(1, sizeof *p);
    struct work wk = {0};
    double *beta = NULL, *packed = NULL;
    if (p == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    p->n_in = N;
    p->K = K;
    p->G = d->n_fe;
    p->names = tw_calloc(K, sizeof *p->names);
    p->fe_names = tw_calloc(d->n_fe ? d->n_fe : 1, sizeof *p->fe_names);
    p->coef = tw_alloc_doubles(K);
    p->se = tw_alloc_doubles(K);
    p->vcov = tw_alloc_doubles(K * K);
    p->dropped = tw_calloc(K, sizeof(bool));
    p->used = tw_malloc_big(N * sizeof(bool));
    p->fe_sum = big_doubles(N);
    p->fitted = big_doubles(N);
    beta = tw_alloc_doubles(K);
    packed = tw_alloc_doubles(K * K + K);
    if (!p->names || !p->fe_names || !p->coef || !p->se || !p->vcov || !p->dropped ||
        !p->used || !p->fe_sum || !p->fitted || !beta || !packed)
        goto nomem;
    for (size_t k = 0; k < K; k++) {
        char def_name[32];
        snprintf(def_name, sizeof def_name, "x%zu", k + 1);
        if ((p->names[k] = dup_or(d->x_names ? d->x_names[k] : NULL, def_name)) == NULL)
            goto nomem;
    }
    for (size_t g = 0; g < d->n_fe; g++) {
        char def_name[32];
        snprintf(def_name, sizeof def_name, "fe%zu", g + 1);
        if ((p->fe_names[g] = dup_or(d->fe_names ? d->fe_names[g] : NULL, def_name)) == NULL)
            goto nomem;
        p->fe_levels[g] = d->fe_levels[g];
        p->fe_labels[g] = d->fe_labels ? d->fe_labels[g] : NULL;
        if ((p->fe_values[g] = tw_alloc_doubles(d->fe_levels[g] ? d->fe_levels[g] : 1)) == NULL)
            goto nomem;
    }
    for (;;) {
        if ((st = select_obs(d, opts, p, err)) != TW_OK ||
            (st = compact(d, opts, p, &wk, err)) != TW_OK)
            goto fail;
        if (!opts->separation_relu)
            break;
        /* Rows separated by the regressors and FE: drop them and select again (their FE
         * groups may now be all zero); a second check then finds nothing new. */
        size_t found = 0;
        if (p->relu_sep == NULL && (p->relu_sep = tw_calloc(N, sizeof(bool))) == NULL)
            goto nomem;
        if ((st = relu_separation(&wk, opts, p, &found, err)) != TW_OK)
            goto fail;
        if (found == 0)
            break;
        p->n_drop_relu += found;
        work_free(&wk);
        memset(&wk, 0, sizeof wk);
    }
    p->n = wk.n;
    for (size_t g = 0; g < wk.G; g++)
        p->fe_used[g] = wk.levels[g];
    bool demean_conv = true;
    if ((st = irls(&wk, opts, p, beta, packed, &demean_conv, err)) != TW_OK)
        goto fail;
    statistics(&wk, p);
    if ((st = variance(&wk, opts, p, packed, &demean_conv, err)) != TW_OK)
        goto fail;
    for (size_t k = 0; k < K; k++)
        p->coef[k] = p->dropped[k] ? (double)NAN : beta[k];
    if ((st = fixed_effects(&wk, d, opts, p, beta, &demean_conv, err)) != TW_OK)
        goto fail;
    work_free(&wk);
    tw_free(beta);
    tw_free(packed);
    *out = p;
    size_t n_coll = 0;
    for (size_t k = 0; k < K; k++)
        n_coll += p->dropped[k];
    if (!p->converged || !demean_conv) {
        p->converged = false;
        return tw_err_set(err, TW_NOT_CONVERGED, "ppml: not converged after %zu iterations "
                          "(relative deviance change %.3g, tol %g)%s", p->iterations,
                          p->rel_change, opts->tol,
                          demean_conv ? "" : "; a demeaning hit its sweep cap");
    }
    if (N - p->n > 0 || n_coll > 0)
        return tw_err_set(err, TW_DROPPED, "ppml: dropped %zu observations (%zu separated: "
                          "%zu in all-zero FE groups, %zu by regressors; %zu singletons, %zu "
                          "zero weights) and %zu collinear regressors", N - p->n,
                          p->n_drop_sep, p->n_drop_sep - p->n_drop_relu, p->n_drop_relu,
                          p->n_drop_single, p->n_drop_weight, n_coll);
    return TW_OK;
nomem:
    st = tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
fail:
    work_free(&wk);
    tw_free(beta);
    tw_free(packed);
    tw_ppml_free(p);
    return st;
}

/* ---- accessors ------------------------------------------------------------------------- */

size_t tw_ppml_n_coef(const tw_ppml *p) { return p->K; }
const char *tw_ppml_coef_name(const tw_ppml *p, size_t k) { return p->names[k]; }
const double *tw_ppml_coef(const tw_ppml *p) { return p->coef; }
const double *tw_ppml_se(const tw_ppml *p) { return p->se; }
const double *tw_ppml_vcov(const tw_ppml *p) { return p->vcov; }
bool tw_ppml_coef_dropped(const tw_ppml *p, size_t k) { return p->dropped[k]; }
size_t tw_ppml_n_obs(const tw_ppml *p) { return p->n; }
size_t tw_ppml_n_dropped(const tw_ppml *p) { return p->n_in - p->n; }
size_t tw_ppml_n_dropped_separated(const tw_ppml *p) { return p->n_drop_sep; }
size_t tw_ppml_n_dropped_relu(const tw_ppml *p) { return p->n_drop_relu; }
size_t tw_ppml_n_dropped_singleton(const tw_ppml *p) { return p->n_drop_single; }
size_t tw_ppml_n_dropped_weight(const tw_ppml *p) { return p->n_drop_weight; }
const bool *tw_ppml_obs_used(const tw_ppml *p) { return p->used; }
size_t tw_ppml_iterations(const tw_ppml *p) { return p->iterations; }
size_t tw_ppml_demean_sweeps(const tw_ppml *p) { return p->sweeps; }
bool tw_ppml_converged(const tw_ppml *p) { return p->converged; }
double tw_ppml_rel_change(const tw_ppml *p) { return p->rel_change; }
double tw_ppml_deviance(const tw_ppml *p) { return p->deviance; }
double tw_ppml_null_deviance(const tw_ppml *p) { return p->null_deviance; }
double tw_ppml_pseudo_r2(const tw_ppml *p) { return p->pseudo_r2; }
double tw_ppml_r2_corr(const tw_ppml *p) { return p->r2_corr; }
double tw_ppml_ssc_factor(const tw_ppml *p) { return p->ssc; }
size_t tw_ppml_n_clusters(const tw_ppml *p, size_t c) { return c < 2 ? p->n_clusters[c] : 0; }
size_t tw_ppml_n_fe(const tw_ppml *p) { return p->G; }
const char *tw_ppml_fe_name(const tw_ppml *p, size_t g) { return p->fe_names[g]; }
size_t tw_ppml_fe_n_levels(const tw_ppml *p, size_t g) { return p->fe_levels[g]; }
size_t tw_ppml_fe_n_used(const tw_ppml *p, size_t g) { return p->fe_used[g]; }
const double *tw_ppml_fe_values(const tw_ppml *p, size_t g) { return p->fe_values[g]; }
const char *tw_ppml_fe_label(const tw_ppml *p, size_t g, size_t l)
{
    return p->fe_labels[g] ? p->fe_labels[g][l] : NULL;
}
const double *tw_ppml_fe_sum(const tw_ppml *p) { return p->fe_sum; }
const double *tw_ppml_fitted(const tw_ppml *p) { return p->fitted; }
