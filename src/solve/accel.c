/* SPDX-License-Identifier: MIT */
/*
 * src/solve/accel.c: Anderson acceleration (type II, Walker and Ni 2011 eq. (2.3)) and the
 * generic fixed-point driver. See accel.h.
 *
 * The least-squares problem min_gamma || f_k - dF gamma ||_2 is solved through its normal
 * equations (dF^T dF) gamma = dF^T f_k, an m x m system handed to LAPACK's SVD-based dgelss
 * with a relative rank cut-off, so a nearly dependent history degrades to a shorter one
 * instead of producing a wild step. Forming the m x m Gram matrix here (O(n m^2)) keeps the
 * LAPACK call tiny: a tall n x m dgelss spends most of its time in threaded BLAS start-up.
 */
#include "solve/accel.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "solve/vec.h"

/* Singular values of the Gram matrix below this fraction of the largest are treated as zero
 * (dgelss rcond); it corresponds to 1e-7 on the singular values of dF itself. */
#define TW_ANDERSON_RCOND 1e-14

struct tw_anderson {
    size_t n;        /* vector length */
    size_t m;        /* memory (max history columns) */
    size_t k;        /* number of valid history columns, <= m */
    size_t head;     /* ring position of the next column to write */
    bool have_prev;  /* f_prev / g_prev hold the previous step */
    double *f_prev;  /* [n] previous residual f = g - x */
    double *g_prev;  /* [n] previous image g */
    double *dF;      /* [m * n] column-major ring of residual differences */
    double *dG;      /* [m * n] column-major ring of image differences */
    double *gram;    /* [m * m] dF^T dF over ring slots, [p * m + q], kept up to date */
    double *A;       /* [m * m] copy of the Gram matrix handed to dgelss (overwritten) */
    double *b;       /* [m] right-hand side dF^T f / solution gamma */
    double *sv;      /* [m] singular values */
    double *lwork;   /* [nwork] LAPACK workspace */
    lapack_int nwork; /* workspace length from the query */
};

tw_status tw_anderson_new(size_t n, size_t m, tw_anderson **out, tw_err *err)
{
    *out = NULL;
    if (n == 0 || m == 0 || m > 50 || n > (size_t)INT32_MAX)
        return tw_err_set(err, TW_EINVAL, "accel: bad Anderson size n=%zu m=%zu", n, m);
    tw_anderson *a = tw_calloc(1, sizeof *a);
    if (a == NULL)
        return tw_err_set(err, TW_ENOMEM, "accel: out of memory");
    a->n = n;
    a->m = m;
    a->f_prev = tw_alloc_doubles(n);
    a->g_prev = tw_alloc_doubles(n);
    a->dF = tw_alloc_doubles(m * n);
    a->dG = tw_alloc_doubles(m * n);
    a->gram = tw_alloc_doubles(m * m);
    a->A = tw_alloc_doubles(m * m);
    a->b = tw_alloc_doubles(m);
    a->sv = tw_alloc_doubles(m);
    if (!a->f_prev || !a->g_prev || !a->dF || !a->dG || !a->gram || !a->A || !a->b || !a->sv)
        goto nomem;
    /* Workspace query for the largest problem (m x m, one right-hand side). */
    double q = 0.0;
    lapack_int rank = 0;
    lapack_int info = LAPACKE_dgelss_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)m, 1,
                                          a->A, (lapack_int)m, a->b, (lapack_int)m, a->sv,
                                          TW_ANDERSON_RCOND, &rank, &q, -1);
    if (info != 0 || !(q >= 1.0)) {
        tw_anderson_free(a);
        return tw_err_set(err, TW_EINTERNAL, "accel: LAPACK workspace query failed (%d)",
                          (int)info);
    }
    a->nwork = (lapack_int)q;
    a->lwork = tw_alloc_doubles((size_t)a->nwork);
    if (a->lwork == NULL)
        goto nomem;
    *out = a;
    return TW_OK;
nomem:
    tw_anderson_free(a);
    return tw_err_set(err, TW_ENOMEM, "accel: out of memory");
}

void tw_anderson_free(tw_anderson *a)
{
    if (a == NULL)
        return;
    tw_free(a->f_prev);
    tw_free(a->g_prev);
    tw_free(a->dF);
    tw_free(a->dG);
    tw_free(a->gram);
    tw_free(a->A);
    tw_free(a->b);
    tw_free(a->sv);
    tw_free(a->lwork);
    tw_free(a);
}

void tw_anderson_reset(tw_anderson *a)
{
    a->k = 0;
    a->head = 0;
    a->have_prev = false;
}

tw_status tw_anderson_step(tw_anderson *a, const double *x, const double *g, double *x_next)
{
    size_t n = a->n, m = a->m;
    /* Record the newest differences f_k - f_{k-1} and g_k - g_{k-1} in the ring, and update
     * the Gram matrix row and column of that slot. */
    if (a->have_prev) {
        size_t h = a->head;
        double *df = a->dF + h * n, *dg = a->dG + h * n;
        for (size_t i = 0; i < n; i++) {
            double f = g[i] - x[i];
            df[i] = f - a->f_prev[i];
            dg[i] = g[i] - a->g_prev[i];
        }
        a->head = (a->head + 1) % m;
        if (a->k < m)
            a->k++;
        for (size_t q = 0; q < a->k; q++) {
            double v = tw_vec_dot(df, a->dF + q * n, n);
            a->gram[h * m + q] = v;
            a->gram[q * m + h] = v;
        }
    }
    for (size_t i = 0; i < n; i++) {
        a->f_prev[i] = g[i] - x[i];
        a->g_prev[i] = g[i];
    }
    a->have_prev = true;
    if (a->k == 0) {
        if (x_next != g)
            memcpy(x_next, g, n * sizeof(double));
        return TW_OK;
    }
    /* Solve min || f_k - dF gamma || over the k stored slots (normal equations). Slots
     * 0..k-1 are the valid ones: the ring fills from slot 0 and only wraps once full. */
    size_t k = a->k;
    for (size_t c = 0; c < k; c++) {
        for (size_t r = 0; r < k; r++)
            a->A[c * k + r] = a->gram[c * m + r];
        a->b[c] = tw_vec_dot(a->dF + c * n, a->f_prev, n);
    }
    lapack_int rank = 0;
    lapack_int info = LAPACKE_dgelss_work(LAPACK_COL_MAJOR, (lapack_int)k, (lapack_int)k, 1,
                                          a->A, (lapack_int)k, a->b, (lapack_int)k, a->sv,
                                          TW_ANDERSON_RCOND, &rank, a->lwork, a->nwork);
    if (info != 0) {
        tw_anderson_reset(a);
        memmove(x_next, g, n * sizeof(double));
        return TW_ENUMERIC;
    }
    /* x_next = g_k - dG gamma, column by column (x_next may alias x, never g_prev or dG). */
    memmove(x_next, a->g_prev, n * sizeof(double));
    for (size_t c = 0; c < k; c++)
        tw_vec_axpy(n, -a->b[c], a->dG + c * n, x_next);
    return TW_OK;
}

void tw_fp_iter_start(tw_fp_iter *it, tw_anderson *acc)
{
    it->prev = HUGE_VAL;
    it->info.iterations = 0;
    it->info.residual = HUGE_VAL;
    it->info.converged = false;
    it->status = TW_CONTINUE;
    if (acc)
        tw_anderson_reset(acc);
}

bool tw_fp_iter_next(tw_fp_iter *it, size_t n, double *x, const double *g, const double *scale,
                     const tw_fp_opts *opts, tw_anderson *acc)
{
    it->info.iterations++;
    double res = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(g[i] - x[i]);
        if (scale)
            d /= scale[i];
        if (!(d <= res))
            res = isnan(d) ? HUGE_VAL : d;
    }
    it->info.residual = res;
    if (res < opts->tol) {
        memcpy(x, g, n * sizeof(double));
        it->info.converged = true;
        it->status = TW_OK;
        return true;
    }
    if (it->info.iterations >= opts->max_iter) {
        memcpy(x, g, n * sizeof(double));
        it->status = TW_NOT_CONVERGED;
        return true;
    }
    if (acc == NULL || !isfinite(res) || res > opts->safeguard * it->prev) {
        if (acc)
            tw_anderson_reset(acc);
        memcpy(x, g, n * sizeof(double));
    } else {
        (void)tw_anderson_step(acc, x, g, x);
    }
    it->prev = res;
    return false;
}

tw_status tw_fp_run(tw_fp_fn fn, tw_fp_scale_fn scale_fn, void *ctx, size_t n, double *x,
                    const tw_fp_opts *opts, tw_anderson *acc, double *work, tw_fp_info *info,
                    tw_err *err)
{
    double *g = work, *scale = work + n;
    tw_fp_iter it;
    tw_fp_iter_start(&it, acc);
    *info = it.info;
    if (opts->max_iter == 0) {
        info->iterations = 0;
        return TW_NOT_CONVERGED;
    }
    for (;;) {
        tw_status st = fn(ctx, x, g, err);
        if (st != TW_OK) {
            *info = it.info;
            info->iterations++;
            return st;
        }
        if (scale_fn)
            scale_fn(ctx, x, scale);
        if (tw_fp_iter_next(&it, n, x, g, scale_fn ? scale : NULL, opts, acc)) {
            *info = it.info;
            return it.status;
        }
    }
}
