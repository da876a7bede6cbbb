/* SPDX-License-Identifier: MIT */
/*
 * src/solve/accel.h: fixed-point iteration with Anderson acceleration, implemented once and
 * shared by every fixed point in tradewar (GE price and expenditure loops, the wage loop, and
 * later the fixed-effect demeaning).
 *
 * References: D. G. Anderson (1965), "Iterative procedures for nonlinear integral equations",
 * J. ACM 12(4); H. F. Walker and P. Ni (2011), "Anderson acceleration for fixed-point
 * iterations", SIAM J. Numer. Anal. 49(4), eq. (2.1)-(2.3) (the "type II" form used here).
 *
 * Invariants: the history holds at most `memory` difference columns of length n; it is reset
 * whenever the map changes (a new call to tw_fp_run) or a step makes the residual grow by more
 * than the safeguard factor.
 *
 * Ownership: tw_anderson owns its history and LAPACK workspace, allocated once in _new; the
 * iteration itself never allocates.
 */
#ifndef TW_SOLVE_ACCEL_H
#define TW_SOLVE_ACCEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef struct tw_anderson tw_anderson;

/* History for vectors of length n with memory m (1 <= m <= 50). TW_OK, TW_EINVAL, TW_ENOMEM. */
TW_INTERNAL tw_status tw_anderson_new(size_t n, size_t m, tw_anderson **out, tw_err *err);
TW_INTERNAL void tw_anderson_free(tw_anderson *a);
/* Forget the history (the next step is a plain step). */
TW_INTERNAL void tw_anderson_reset(tw_anderson *a);
/*
 * One accelerated step: given the iterate x[n] and its image g[n] = G(x), write the next
 * iterate into x_next[n] (may alias x). Without history this is x_next = g.
 * Returns TW_OK, or TW_ENUMERIC when the least-squares problem fails (history is then reset
 * and x_next = g).
 */
TW_INTERNAL tw_status tw_anderson_step(tw_anderson *a, const double *x, const double *g,
                                       double *x_next);

/* A fixed-point map x -> g = G(x) over n unknowns. Returns TW_OK or a failure status. */
typedef tw_status (*tw_fp_fn)(void *ctx, const double *x, double *g, tw_err *err);

typedef struct tw_fp_opts {
    double tol;         /* converged when max_i |g_i - x_i| / scale_i < tol */
    size_t max_iter;    /* cap on evaluations of G */
    double safeguard;   /* reset the history when the residual grows by more than this factor;
                           typical 10 */
} tw_fp_opts;

typedef struct tw_fp_info {
    size_t iterations;  /* evaluations of G */
    double residual;    /* last max_i |g_i - x_i| / scale_i */
    bool converged;     /* residual < tol */
} tw_fp_info;

/*
 * Iterate x <- G(x) from the start in x[n] (in/out) until converged or max_iter. `scale` is
 * NULL (absolute residual) or a function filling scale[n] from the current x (relative
 * residual); `acc` is NULL for plain iteration. `work` holds 2n doubles. On return x holds the
 * last image G(x) (the best iterate). Returns TW_OK (converged), TW_NOT_CONVERGED, or the map's
 * failure status.
 */
typedef void (*tw_fp_scale_fn)(void *ctx, const double *x, double *scale);
TW_INTERNAL tw_status tw_fp_run(tw_fp_fn fn, tw_fp_scale_fn scale_fn, void *ctx, size_t n,
                                double *x, const tw_fp_opts *opts, tw_anderson *acc,
                                double *work, tw_fp_info *info, tw_err *err);

/*
 * Step-wise form of tw_fp_run, for callers that evaluate several independent maps in one pass
 * over shared data (the FE demeaning of z and every regressor): tw_fp_run is exactly
 * start, then (evaluate g = G(x); tw_fp_iter_next) until it returns true.
 */
typedef struct tw_fp_iter {
    double prev;        /* previous residual (HUGE_VAL at start) */
    tw_fp_info info;    /* iterations, residual, converged so far */
    tw_status status;   /* TW_OK or TW_NOT_CONVERGED once finished */
} tw_fp_iter;

/* Begin an iteration: resets the counters and the Anderson history `acc` (may be NULL). */
TW_INTERNAL void tw_fp_iter_start(tw_fp_iter *it, tw_anderson *acc);
/*
 * Account for one evaluation g[n] = G(x[n]) and move x (in/out) to the next iterate (or to g
 * when finished). `scale` is NULL (absolute residual) or scale[n] computed from x. Returns
 * true when the iteration has finished (it->status tells how).
 */
TW_INTERNAL bool tw_fp_iter_next(tw_fp_iter *it, size_t n, double *x, const double *g,
                                 const double *scale, const tw_fp_opts *opts,
                                 tw_anderson *acc);

#endif
