/* SPDX-License-Identifier: MIT */
/*
 * src/estim/fe.c: FE index and accelerated weighted alternating projections. See fe.h.
 */
#include "estim/fe.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

#define TW_FE_MAX_DIM 8

struct tw_fe {
    size_t n, G;                      /* observations, dimensions */
    const int32_t *ids[TW_FE_MAX_DIM];/* borrowed [n] ids per dimension */
    size_t levels[TW_FE_MAX_DIM];
    size_t off[TW_FE_MAX_DIM + 1];    /* stacked offsets, caller order; off[G] = L */
    size_t last;                      /* dimension recomputed each sweep (most levels) */
    size_t state_dims[TW_FE_MAX_DIM]; /* the other dimensions, in caller order */
    size_t state_off[TW_FE_MAX_DIM];  /* their offsets inside the state vector */
    size_t m;                         /* state length = L - levels[last] */
    const double *w;                  /* current weights [n], borrowed */
    double *sw;                       /* [L] sums of weights per level */
    double *wv;                       /* [L] sums of w v per level, current vector */
    double *acc;                      /* [L] accumulator */
    double *alpha_last;               /* [levels[last]] current coefficients of `last` */
    double *work;                     /* [2 m] for tw_fp_run */
    double *state;                    /* [m] the fixed-point iterate */
    tw_anderson *anderson;            /* NULL for plain sweeps or m == 0 */
};

tw_status tw_fe_new(size_t n, size_t G, const int32_t *const *ids, const size_t *levels,
                    size_t accel_memory, tw_fe **out, tw_err *err)
{
    *out = NULL;
    if (G > TW_FE_MAX_DIM)
        return tw_err_set(err, TW_EINVAL, "ppml: at most %d FE dimensions", TW_FE_MAX_DIM);
    tw_fe *fe = tw_calloc(1, sizeof *fe);
    if (fe == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    fe->n = n;
    fe->G = G;
    size_t L = 0;
    for (size_t g = 0; g < G; g++) {
        fe->ids[g] = ids[g];
        fe->levels[g] = levels[g];
        fe->off[g] = L;
        L += levels[g];
        if (levels[g] > fe->levels[fe->last])
            fe->last = g;
    }
    fe->off[G] = L;
    size_t s = 0, m = 0;
    for (size_t g = 0; g < G; g++)
        if (g != fe->last) {
            fe->state_dims[s] = g;
            fe->state_off[s++] = m;
            m += levels[g];
        }
    fe->m = m;
    size_t Lc = L ? L : 1;
    fe->sw = tw_alloc_doubles(Lc);
    fe->wv = tw_alloc_doubles(Lc);
    fe->acc = tw_alloc_doubles(Lc);
    fe->alpha_last = tw_alloc_doubles(Lc);
    fe->work = tw_alloc_doubles(2 * (m ? m : 1));
    fe->state = tw_alloc_doubles(m ? m : 1);
    if (!fe->sw || !fe->wv || !fe->acc || !fe->alpha_last || !fe->work || !fe->state) {
        tw_fe_free(fe);
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    }
    if (G >= 2 && accel_memory > 0 && m > 0) {
        tw_status st = tw_anderson_new(m, accel_memory < m ? accel_memory : m, &fe->anderson,
                                       err);
        if (st != TW_OK) {
            tw_fe_free(fe);
            return st;
        }
    }
    *out = fe;
    return TW_OK;
}

void tw_fe_free(tw_fe *fe)
{
    if (fe == NULL)
        return;
    tw_free(fe->sw);
    tw_free(fe->wv);
    tw_free(fe->acc);
    tw_free(fe->alpha_last);
    tw_free(fe->work);
    tw_free(fe->state);
    tw_anderson_free(fe->anderson);
    tw_free(fe);
}

size_t tw_fe_n_coef(const tw_fe *fe)
{
    return fe->off[fe->G];
}

size_t tw_fe_offset(const tw_fe *fe, size_t g)
{
    return fe->off[g];
}

void tw_fe_set_weights(tw_fe *fe, const double *w)
{
    fe->w = w;
    memset(fe->sw, 0, fe->off[fe->G] * sizeof(double));
    for (size_t g = 0; g < fe->G; g++) {
        double *sw = fe->sw + fe->off[g];
        const int32_t *id = fe->ids[g];
        for (size_t o = 0; o < fe->n; o++)
            sw[id[o]] += w[o];
    }
}

/*
 * Solve dimension g given the current coefficients of the others: cur[h] points to the
 * coefficients of dimension h (h != g); writes dst[levels[g]].
 */
static void solve_dim(tw_fe *fe, size_t g, const double *const *cur, double *dst)
{
    size_t Lg = fe->levels[g];
    double *acc = fe->acc;
    memset(acc, 0, Lg * sizeof(double));
    const int32_t *idg = fe->ids[g];
    const double *w = fe->w;
    if (fe->G == 2) {
        size_t h = 1 - g;
        const int32_t *idh = fe->ids[h];
        const double *ch = cur[h];
        for (size_t o = 0; o < fe->n; o++)
            acc[idg[o]] += w[o] * ch[idh[o]];
    } else {
        for (size_t o = 0; o < fe->n; o++) {
            double s = 0.0;
            for (size_t h = 0; h < fe->G; h++)
                if (h != g)
                    s += cur[h][fe->ids[h][o]];
            acc[idg[o]] += w[o] * s;
        }
    }
    const double *wv = fe->wv + fe->off[g], *sw = fe->sw + fe->off[g];
    for (size_t l = 0; l < Lg; l++)
        dst[l] = (wv[l] - acc[l]) / sw[l];
}

/* One sweep: x = state (the non-last dimensions), g = image. */
static tw_status sweep(void *ctx, const double *x, double *gout, tw_err *err)
{
    (void)err;
    tw_fe *fe = ctx;
    const double *cur[TW_FE_MAX_DIM] = {0};
    size_t ns = fe->G - 1;
    for (size_t s = 0; s < ns; s++)
        cur[fe->state_dims[s]] = x + fe->state_off[s];
    solve_dim(fe, fe->last, cur, fe->alpha_last);
    cur[fe->last] = fe->alpha_last;
    for (size_t s = 0; s < ns; s++) {
        size_t g = fe->state_dims[s];
        double *dst = gout + fe->state_off[s];
        solve_dim(fe, g, cur, dst);
        cur[g] = dst;
    }
    return TW_OK;
}

static void rel_scale(void *ctx, const double *x, double *scale)
{
    const tw_fe *fe = ctx;
    for (size_t i = 0; i < fe->m; i++)
        scale[i] = 0.1 + fabs(x[i]);
}

tw_status tw_fe_demean(tw_fe *fe, const double *v, double *alpha, double *out,
                       const tw_fp_opts *opts, tw_fp_info *info, tw_err *err)
{
    size_t n = fe->n, G = fe->G;
    info->iterations = 0;
    info->residual = 0.0;
    info->converged = true;
    if (G == 0) {
        if (out != v)
            memcpy(out, v, n * sizeof(double));
        return TW_OK;
    }
    memset(fe->wv, 0, fe->off[G] * sizeof(double));
    for (size_t g = 0; g < G; g++) {
        double *wv = fe->wv + fe->off[g];
        const int32_t *id = fe->ids[g];
        for (size_t o = 0; o < n; o++)
            wv[id[o]] += fe->w[o] * v[o];
    }
    tw_status st = TW_OK;
    if (G == 1) {
        for (size_t l = 0; l < fe->levels[0]; l++)
            alpha[l] = fe->wv[l] / fe->sw[l];
        info->iterations = 1;
    } else {
        /* Gather the state from alpha (caller order) into the state vector x. */
        double *state = fe->state;
        for (size_t s = 0; s < G - 1; s++) {
            size_t g = fe->state_dims[s];
            memcpy(state + fe->state_off[s], alpha + fe->off[g], fe->levels[g] * sizeof(double));
        }
        st = tw_fp_run(sweep, rel_scale, fe, fe->m, state, opts, fe->anderson, fe->work, info,
                       err);
        if (st != TW_OK && st != TW_NOT_CONVERGED)
            return st;
        /* Make the last dimension consistent with the final state, and scatter back. */
        const double *cur[TW_FE_MAX_DIM] = {0};
        for (size_t s = 0; s < G - 1; s++) {
            size_t g = fe->state_dims[s];
            cur[g] = state + fe->state_off[s];
            memcpy(alpha + fe->off[g], state + fe->state_off[s], fe->levels[g] * sizeof(double));
        }
        solve_dim(fe, fe->last, cur, alpha + fe->off[fe->last]);
    }
    for (size_t o = 0; o < n; o++) {
        double s = 0.0;
        for (size_t g = 0; g < G; g++)
            s += alpha[fe->off[g] + (size_t)fe->ids[g][o]];
        out[o] = v[o] - s;
    }
    return st;
}
