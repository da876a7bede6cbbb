/* SPDX-License-Identifier: MIT */
/*
 * src/model/cp.c: the Caliendo-Parro (2015) equilibrium in changes and its nested fixed-point
 * solver (see cp.h).
 *
 * Equations (CP2015 section 3; ../shared/docs/models/cp2015.md section 1), for importer n,
 * exporter i, sector s, input sector k:
 *   (C) ln c_i^s = gamma_i^s ln w_i + sum_k gamma_i^{k,s} ln P_i^k          (input-bundle cost)
 *   (P) P_n^s = [ sum_i pi_ni^s (kappa_ni^s)^(-theta^s) a_i^s^(theta^s) c_i^s^(-theta^s) ]^(-1/theta^s)
 *   (S) pi'_ni^s = pi_ni^s (kappa_ni^s c_i^s / (a_i^s P_n^s))^(-theta^s)   (trade shares)
 *   (X) X'_n^j = sum_k gamma_n^{j,k} Y'_n^k + alpha_n^j I'_n,
 *       Y'_i^k = sum_n pi'_ni^k X'_n^k / (1 + tau'_ni^k),
 *       I'_n = w_n L_n w_hat_n + sum_{i,k} tau'_ni^k pi'_ni^k X'_n^k / (1 + tau'_ni^k) + D'_n
 *   (T) sum_{i,s} pi'_ni X'_n/(1+tau'_ni) - D'_n = sum_{j,s} pi'_jn X'_j/(1+tau'_jn)
 * with kappa_hat = (1+tau')/(1+tau) d_hat. All "c", "P", "w", "a", "kappa" above are hats.
 *
 * Algorithm (CP2015 computational appendix): for a guess of w_hat, iterate (C)-(P) to a fixed
 * point in ln P (a contraction since sum_k gamma^{k,s} < 1), form (S), solve the linear system
 * (X) by fixed-point iteration (spectral radius < 1), then update wages by the trade-balance
 * residual Z_n of (T): ln w_n <- ln w_n - v Z_n / (w_n L_n), and rescale so that world value
 * added is unchanged (the numeraire). The update in logs keeps wages positive by construction.
 * Each of the three fixed points is accelerated by the shared Anderson accelerator
 * (solve/accel.h) and warm-started from the previous outer iteration.
 *
 * Numerics: (P) is evaluated with a per-sector shift (log-sum-exp) so that theta up to ~65
 * (CP2015 petroleum) neither overflows nor underflows; zero shares stay exactly zero.
 *
 * Productivity: a_hat is a Hicks-neutral change in the efficiency of producing (c, s); with
 * Frechet technology it scales the location parameter lambda by a_hat^theta (CP2015 eq. (3)
 * notation: lambda_hat = a_hat^theta).
 */
#include "model/cp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/alloc.h"
#include "solve/accel.h"
#include "solve/vec.h"

/* Reset the accelerator history when a step makes the residual grow by more than this. */
#define TW_CP_SAFEGUARD 10.0
/* Floor of the relative-residual scale of the expenditure loop, as a fraction of mean
 * expenditure, so that sectors with (near) zero absorption are measured absolutely. */
#define TW_CP_X_FLOOR 1e-9
/* Worlds with fewer bilateral cells S*N*N than this are solved on one thread: below it a
 * parallel region costs more than it saves (2^17 cells = 1 MB per array). */
#define TW_CP_PAR_MIN_CELLS 131072u
/* Importers per tile when the exporter-major shift array is read to form importer-major
 * shares: one 64-byte cache line of the shift array is used whole. */
#define TW_CP_TILE 8u
/* Exporters per tile in the same transposition (8 x 256 doubles = 16 KB of stack). */
#define TW_CP_ICHUNK 256u
/* Worlds with at most this many bilateral cells keep two more S*N*N arrays (8 MiB each at
 * most): 1 / (1 + tau') instead of dividing once per cell and outer iteration, and the shifts
 * in importer-major layout too, so that shares are formed by contiguous row loops instead of
 * the transposition tiles. There the arrays sit in cache and these costs show (about 7-15 %
 * of a solve at 81 x 28); bigger worlds are memory-bound and save the arrays. The same values
 * either way, so the same bits. */
#define TW_CP_INV_CACHE_MAX_CELLS 1048576u


struct tw_cp {
    const struct tw_world *w;  /* borrowed: flows, tariffs, io shares, codes */
    size_t N, S;
    tw_solve_opts opts;        /* copy of the options */
    int nt;                    /* threads of the current solve (1 = serial) */
    /* baseline data (the shares pi0 = flow (1+tau) / x0 are formed from the world when a
     * shock is prepared; the world's io array drives both (C) and (X)) */
    double *x0;     /* [N*S] baseline expenditure, gross of tariffs */
    double *va0;    /* [N] baseline value added w_n L_n */
    double va_world;/* sum of va0 */
    double x_floor; /* TW_CP_X_FLOOR * mean(x0) */
    double *theta;  /* [S] */
    /* per-solve inputs and state */
    const double *tau1;  /* borrowed during a solve */
    const double *d1;    /* borrowed during a solve */
    double *shift_t;/* [S*N*N] pi0 * kappa_hat^-theta * a_hat^theta, exporter-major:
                       [(s*N + i)*N + n] */
    double *inv1t;  /* [S*N*N] 1 / (1 + tau') of the current solve, [(s*N + n)*N + i]; only
                       for worlds of at most TW_CP_INV_CACHE_MAX_CELLS cells, else NULL */
    double *shift;  /* [S*N*N] shift_t importer-major, [(s*N + n)*N + i]; same condition */
    double *m1;     /* [S*N*N] pi' / (1 + tau'), [(s*N + n)*N + i]; after tw_cp_flows the
                       flows of the solution (NULL after tw_cp_take_flows until next solve) */
    bool solved;    /* the state is that of a finished solve (TW_OK or TW_NOT_CONVERGED) */
    bool flows_ready; /* m1 holds flows */
    double *frev;   /* [N*S] tariff revenue per unit of expenditure, sum_i tau' m1 */
    double *lnw;    /* [N] wages of the current outer iterate */
    double *lnp;    /* [N*S] warm-started price state */
    double *lnc;    /* [N*S] costs from the last price evaluation */
    double *ex;     /* [S*N] exp(-theta (ln c - ref)) , [s*N + i] */
    double *ref;    /* [S] per-sector shift of the last evaluation */
    double *refn;   /* [S*N] shift used for importer n's sum (ref[s] unless re-shifted) */
    double *psum;   /* [S*N] sum in (P) per (s, n), [s*N + n] */
    double *rinv;   /* [S*N] 1 / psum of the last share evaluation */
    double *x;      /* [N*S] warm-started expenditure state */
    double *y;      /* [N*S] gross output, [i*S + s] */
    double *ys;     /* [S*N] gross output, [s*N + i] (accumulation order) */
    double *z;      /* [N] trade-balance residual */
    double *work_p; /* [2*N*S] fixed-point workspace (prices) */
    double *work_x; /* [2*N*S] fixed-point workspace (expenditure) */
    double *work_w; /* [2*N] fixed-point workspace (wages) */
    double *lnw_it; /* [N] the outer iterate (driver-owned copy) */
    tw_anderson *acc_p, *acc_x, *acc_w; /* accelerators, NULL for plain iteration */
    /* counters of the current solve */
    const char *stage;
    size_t it_outer, it_price, it_exp;
    double outer_res;       /* max |change in ln w| of the previous outer iteration */
    bool inner_failed;      /* an inner loop hit its cap in the last outer evaluation */
    char inner_msg[160];    /* which, and by how much */
};

/* One item (a sector or a country) of a loop run by for_each. */
typedef void (*item_fn)(tw_cp *m, size_t k, void *ctx);

/* fn(m, k, ctx) for k = 0..n-1: over m->nt OpenMP threads with a static schedule, or a plain
 * loop when m->nt is 1 (no call into the OpenMP runtime, which costs a few microseconds per
 * region even with one thread). Every item writes only its own sector's or country's entries
 * and every sum runs inside one item in a fixed order, so the results do not depend on the
 * number of threads. */
static void for_each(tw_cp *m, size_t n, item_fn fn, void *ctx)
{
#ifdef _OPENMP
    if (m->nt > 1) {
#pragma omp parallel for schedule(static) num_threads(m->nt)
        for (size_t k = 0; k < n; k++)
            fn(m, k, ctx);
        return;
    }
#endif
    for (size_t k = 0; k < n; k++)
        fn(m, k, ctx);
}

const double *tw_cp_x0(const tw_cp *m) { return m->x0; }
const double *tw_cp_va0(const tw_cp *m) { return m->va0; }

void tw_cp_free(tw_cp *m)
{
    if (m == NULL)
        return;
    double *arrays[] = {m->x0, m->va0, m->theta, m->shift_t, m->shift, m->inv1t, m->m1, m->frev, m->lnw, m->lnp,
                        m->lnc, m->ex, m->ref, m->refn, m->psum, m->rinv, m->x, m->y, m->ys,
                        m->z, m->work_p, m->work_x, m->work_w, m->lnw_it};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        tw_free(arrays[k]);
    tw_anderson_free(m->acc_p);
    tw_anderson_free(m->acc_x);
    tw_anderson_free(m->acc_w);
    tw_free(m);
}

static tw_status alloc_arrays(tw_cp *m)
{
    size_t N = m->N, S = m->S, NS = N * S, SNN = S * N * N;
    struct { double **p; size_t n; } t[] = {
        {&m->x0, NS},     {&m->va0, N},     {&m->theta, S},   {&m->shift_t, SNN},
        {&m->m1, SNN},    {&m->frev, NS},   {&m->lnw, N},     {&m->lnp, NS},
        {&m->lnc, NS},    {&m->ex, NS},     {&m->ref, S},     {&m->refn, NS},
        {&m->psum, NS},   {&m->rinv, NS},   {&m->x, NS},      {&m->y, NS},
        {&m->ys, NS},     {&m->z, N},       {&m->work_p, 2 * NS}, {&m->work_x, 2 * NS},
        {&m->work_w, 2 * N}, {&m->lnw_it, N}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
        if ((*t[k].p = tw_calloc(t[k].n, sizeof(double))) == NULL)
            return TW_ENOMEM;
    if (SNN <= TW_CP_INV_CACHE_MAX_CELLS &&
        ((m->inv1t = tw_calloc(SNN, sizeof(double))) == NULL ||
         (m->shift = tw_calloc(SNN, sizeof(double))) == NULL))
        return TW_ENOMEM;
    return TW_OK;
}

static tw_status check_opts(const tw_solve_opts *o, tw_err *err)
{
    if (!(o->tol_wage > 0.0 && o->tol_wage < 1.0) || !(o->tol_price > 0.0 && o->tol_price < 1.0)
        || !(o->tol_expenditure > 0.0 && o->tol_expenditure < 1.0))
        return tw_err_set(err, TW_EINVAL, "solve: tolerances must be in (0, 1) (tol_wage %g, "
                          "tol_price %g, tol_expenditure %g)", o->tol_wage, o->tol_price,
                          o->tol_expenditure);
    if (!(o->damping > 0.0 && o->damping <= 1.0))
        return tw_err_set(err, TW_EINVAL, "solve: damping %g, expected a number in (0, 1]",
                          o->damping);
    if (o->max_iter < 1 || o->max_iter_price < 1 || o->max_iter_expenditure < 1)
        return tw_err_set(err, TW_EINVAL, "solve: iteration caps must be >= 1");
    if (!(o->inner_forcing >= 0.0 && o->inner_forcing <= 1.0))
        return tw_err_set(err, TW_EINVAL, "solve: inner_forcing %g, expected 0 to 1",
                          o->inner_forcing);
    if (o->n_threads < 0)
        return tw_err_set(err, TW_EINVAL, "solve: n_threads %d, expected >= 0 (0 = the OpenMP "
                          "default)", o->n_threads);
    if (o->accel_memory > 20)
        return tw_err_set(err, TW_EINVAL, "solve: accel_memory %zu, expected 0 to 20",
                          o->accel_memory);
    return TW_OK;
}

/* Baseline expenditure and value added from the world's flows (CP2015 data section;
 * ../shared/data/cp2015/README.md "How the derived quantities are built", steps 2-4). The
 * shares pi0 = flow (1 + tau) / x0 of step 3 are formed from the same numbers in
 * prepare_shock. */
static void build_baseline(tw_cp *m)
{
    const struct tw_world *w = m->w;
    size_t N = m->N, S = m->S;
    double xsum = 0.0;
    for (size_t s = 0; s < S; s++)
        for (size_t n = 0; n < N; n++) {
            const double *f = w->flow + (s * N + n) * N, *t = w->tariff + (s * N + n) * N;
            double x = 0.0;
            for (size_t i = 0; i < N; i++)
                x += f[i] * (1.0 + t[i]);
            m->x0[n * S + s] = x;
            xsum += x;
        }
    m->x_floor = TW_CP_X_FLOOR * xsum / (double)(N * S);
    m->va_world = 0.0;
    for (size_t n = 0; n < N; n++) {
        m->va0[n] = tw_world_value_added(w, n);
        m->va_world += m->va0[n];
    }
    memcpy(m->theta, w->theta, S * sizeof(double));
}

tw_status tw_cp_new(const struct tw_world *w, const tw_solve_opts *opts, tw_cp **out,
                    tw_err *err)
{
    *out = NULL;
    tw_status st = check_opts(opts, err);
    if (st != TW_OK)
        return st;
    tw_cp *m = tw_calloc(1, sizeof *m);
    if (m == NULL)
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    m->w = w;
    m->N = w->n_country;
    m->S = w->n_sector;
    m->opts = *opts;
    if (alloc_arrays(m) != TW_OK)
        goto nomem;
    if (opts->accel_memory > 0) {
        size_t mem = opts->accel_memory;
        if ((st = tw_anderson_new(m->N * m->S, mem, &m->acc_p, err)) != TW_OK ||
            (st = tw_anderson_new(m->N * m->S, mem, &m->acc_x, err)) != TW_OK ||
            (st = tw_anderson_new(m->N, mem < m->N ? mem : m->N, &m->acc_w, err)) != TW_OK) {
            tw_cp_free(m);
            return st;
        }
    }
    build_baseline(m);
    for (size_t n = 0; n < m->N; n++)
        if (!(m->va0[n] > 0.0)) {
            tw_cp_free(m);
            return tw_err_set(err, TW_EINVAL, "model: country \"%s\" has value added %g, "
                              "expected > 0", w->country_code[n], m->va0[n]);
        }
    *out = m;
    return TW_OK;
nomem:
    tw_cp_free(m);
    return tw_err_set(err, TW_ENOMEM, "model: out of memory");
}

tw_status tw_cp_solution_alloc(const tw_cp *m, tw_cp_solution *sol, tw_err *err)
{
    size_t N = m->N, S = m->S;
    memset(sol, 0, sizeof *sol);
    sol->ln_w = tw_calloc(N, sizeof(double));
    sol->ln_p = tw_calloc(N * S, sizeof(double));
    sol->ln_c = tw_calloc(N * S, sizeof(double));
    sol->x = tw_calloc(N * S, sizeof(double));
    if (!sol->ln_w || !sol->ln_p || !sol->ln_c || !sol->x) {
        tw_cp_solution_free(sol);
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    }
    return TW_OK;
}

void tw_cp_solution_free(tw_cp_solution *sol)
{
    tw_free(sol->ln_w);
    tw_free(sol->ln_p);
    tw_free(sol->ln_c);
    tw_free(sol->x);
    memset(sol, 0, sizeof *sol);
}

/* ---- (C) and (P): the price block ------------------------------------------------------ */

/* Costs (C) from prices lnp and the current wages. The loops run as row updates (axpy) over
 * the using sector, so they vectorise without reassociating any sum. */
static void costs_country(tw_cp *m, size_t n, void *ctx)
{
    size_t S = m->S;
    const double *gva = m->w->va_share, *io = m->w->io;
    double *c = m->lnc + n * S;
    const double *p = (const double *)ctx + n * S;
    for (size_t s = 0; s < S; s++)
        c[s] = gva[n * S + s] * m->lnw[n];
    for (size_t k = 0; k < S; k++)
        tw_vec_axpy(S, p[k], io + (n * S + k) * S, c);
}

static void eval_costs(tw_cp *m, const double *lnp)
{
    for_each(m, m->N, costs_country, (void *)(uintptr_t)lnp);
}

/* The sum in (P) for importer n in sector s, using ex and ref of sector s. When it underflows
 * (all suppliers far costlier than the world's cheapest) it is recomputed with n's own shift
 * and *ref_out reports that shift. */
static double price_sum(const tw_cp *m, size_t s, size_t n, double *ref_out)
{
    size_t N = m->N, S = m->S;
    const double *sh = m->shift_t + s * N * N + n; /* exporter i at sh[i * N] */
    double sum = m->psum[s * N + n];
    *ref_out = m->ref[s];
    if (sum > 0.0 && isfinite(sum))
        return sum;
    double r = HUGE_VAL, th = m->theta[s];
    for (size_t i = 0; i < N; i++)
        if (sh[i * N] > 0.0 && m->lnc[i * S + s] < r)
            r = m->lnc[i * S + s];
    sum = 0.0;
    for (size_t i = 0; i < N; i++)
        if (sh[i * N] > 0.0)
            sum += sh[i * N] * exp(-th * (m->lnc[i * S + s] - r));
    *ref_out = r;
    return sum;
}

/* (P) for sector s: ex, ref, psum and refn of the sector, and its column of lnp_new. */
static void prices_sector(tw_cp *m, size_t s, void *ctx)
{
    size_t N = m->N, S = m->S;
    double *lnp_new = ctx;
    double th = m->theta[s], r = HUGE_VAL;
    for (size_t i = 0; i < N; i++)
        if (m->lnc[i * S + s] < r)
            r = m->lnc[i * S + s];
    m->ref[s] = r;
    for (size_t i = 0; i < N; i++)
        m->ex[s * N + i] = exp(-th * (m->lnc[i * S + s] - r));
    /* Sums of (P) for all importers at once, as axpy over importers. */
    double *ps = m->psum + s * N;
    memset(ps, 0, N * sizeof(double));
    for (size_t i = 0; i < N; i++)
        tw_vec_axpy(N, m->ex[s * N + i], m->shift_t + (s * N + i) * N, ps);
    for (size_t n = 0; n < N; n++) {
        double rn;
        double sum = price_sum(m, s, n, &rn);
        m->psum[s * N + n] = sum;
        m->refn[s * N + n] = rn;
        lnp_new[n * S + s] = rn - log(sum) / th;
    }
}

/* One application of the price map: lnp -> lnp_new, through (C) and (P). Records the sums
 * and shifts per (s, n) so that shares (S) can be formed from the same evaluation. */
static void eval_prices(tw_cp *m, const double *lnp, double *lnp_new)
{
    eval_costs(m, lnp);
    for_each(m, m->S, prices_sector, lnp_new);
}

static tw_status price_map(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)err;
    eval_prices(ctx, x, g);
    return TW_OK;
}

/* Shares (S) of sector s from the last price evaluation, pi' = shift e / sum (exactly
 * summing to one), into out[(n*N + i)] of the sector's block of m1: with flows false
 * out = pi' / (1 + tau') (and the revenue coefficients frev), with flows true
 * out = pi' X' / (1 + tau'), the flows before tariffs at expenditure m->x.
 * The exporter-major shifts are read in tiles of TW_CP_TILE importers x TW_CP_ICHUNK
 * exporters (each cache line used whole) and transposed into a small buffer, so that the
 * importer-major rows are then formed by vectorisable loops; each element is computed by the
 * same operations in the same order as an element-by-element loop. */
static void shares_sector(tw_cp *m, size_t s, void *ctx)
{
    bool flows = *(const bool *)ctx;
    size_t N = m->N, S = m->S, NN = N * N;
    const double *sht = m->shift_t + s * NN, *t1 = m->tau1 + s * NN, *e = m->ex + s * N;
    const double *rinv = m->rinv + s * N, *x = m->x;
    double *out = m->m1 + s * NN;
    double tile[TW_CP_TILE][TW_CP_ICHUNK]; /* shift * e, importer-major */
    if (m->shift != NULL) {
        /* Small worlds: importer-major rows directly (same operations, same order). */
        for (size_t n = 0; n < N; n++) {
            const double *restrict sh = m->shift + s * NN + n * N, *restrict t = t1 + n * N;
            const double *restrict iv = m->inv1t + s * NN + n * N;
            double *restrict o = out + n * N;
            double rv = rinv[n];
            if (flows) {
                double xv = x[n * S + s];
                for (size_t i = 0; i < N; i++)
                    o[i] = sh[i] * e[i] * rv * xv / (1.0 + t[i]);
            } else {
                for (size_t i = 0; i < N; i++)
                    o[i] = sh[i] * e[i] * rv * iv[i];
            }
        }
    }
    for (size_t n0 = 0; m->shift == NULL && n0 < N; n0 += TW_CP_TILE) {
        size_t nb = N - n0 < TW_CP_TILE ? N - n0 : TW_CP_TILE;
        for (size_t i0 = 0; i0 < N; i0 += TW_CP_ICHUNK) {
            size_t ib = N - i0 < TW_CP_ICHUNK ? N - i0 : TW_CP_ICHUNK;
            for (size_t i = 0; i < ib; i++) {
                const double *row = sht + (i0 + i) * N + n0;
                double ei = e[i0 + i];
                for (size_t q = 0; q < nb; q++)
                    tile[q][i] = row[q] * ei;
            }
            for (size_t q = 0; q < nb; q++) {
                size_t n = n0 + q;
                double rv = rinv[n];
                const double *restrict tp = tile[q], *restrict t = t1 + n * N + i0;
                double *restrict o = out + n * N + i0;
                if (flows) {
                    double xv = x[n * S + s];
                    for (size_t i = 0; i < ib; i++)
                        o[i] = tp[i] * rv * xv / (1.0 + t[i]);
                } else if (m->inv1t != NULL) {
                    const double *restrict iv = m->inv1t + s * NN + n * N + i0;
                    for (size_t i = 0; i < ib; i++)
                        o[i] = tp[i] * rv * iv[i];
                } else {
                    for (size_t i = 0; i < ib; i++)
                        o[i] = tp[i] * rv * (1.0 / (1.0 + t[i]));
                }
            }
        }
    }
    /* Importers whose sum was re-shifted (rare): their own exponentials. */
    double th = m->theta[s];
    for (size_t n = 0; n < N; n++) {
        double rn = m->refn[s * N + n];
        if (rn == m->ref[s])
            continue;
        for (size_t i = 0; i < N; i++) {
            double sh = sht[i * N + n];
            double ei = sh > 0.0 ? exp(-th * (m->lnc[i * S + s] - rn)) : 0.0;
            double p = sh * ei * rinv[n];
            out[n * N + i] = flows ? p * x[n * S + s] / (1.0 + t1[n * N + i])
                                   : p * (1.0 / (1.0 + t1[n * N + i]));
        }
    }
    if (!flows)
        for (size_t n = 0; n < N; n++)
            m->frev[n * S + s] = tw_vec_dot(t1 + n * N, out + n * N, N);
}

/* Shares (S) consistent with prices lnp: forms m1 = pi'/(1+tau') and the revenue
 * coefficients. */
static void eval_shares(tw_cp *m, const double *lnp)
{
    size_t N = m->N, S = m->S;
    eval_prices(m, lnp, m->work_p); /* the price workspace is free between price solves */
    for (size_t k = 0; k < N * S; k++)
        m->rinv[k] = 1.0 / m->psum[k];
    bool flows = false;
    for_each(m, S, shares_sector, &flows);
}

/* ---- (X): the expenditure block --------------------------------------------------------- */

/* Gross output Y (sales net of tariffs) from expenditure x. */
static void output_sector(tw_cp *m, size_t s, void *ctx)
{
    size_t N = m->N, S = m->S;
    const double *x = ctx;
    double *ys = m->ys + s * N;
    memset(ys, 0, N * sizeof(double));
    for (size_t n = 0; n < N; n++)
        tw_vec_axpy(N, x[n * S + s], m->m1 + (s * N + n) * N, ys);
}

static void eval_output(tw_cp *m, const double *x)
{
    size_t N = m->N, S = m->S;
    for_each(m, S, output_sector, (void *)(uintptr_t)x);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            m->y[i * S + s] = m->ys[s * N + i];
}

static double income_of(const tw_cp *m, const double *x, size_t n)
{
    size_t S = m->S;
    double r = 0.0;
    for (size_t s = 0; s < S; s++)
        r += m->frev[n * S + s] * x[n * S + s];
    return exp(m->lnw[n]) * m->va0[n] + r + m->d1[n];
}

/* (X) for country n: g_n^j = alpha_n^j I_n + sum_k gamma_n^{j,k} Y_n^k, each sum over k in
 * index order (four using sectors j at a time, as independent chains), reading the world's
 * io rows [(n*S + j)*S + k] directly. */
struct exp_ctx {
    const double *x;
    double *g;
};

static void expenditure_country(tw_cp *m, size_t n, void *ctx)
{
    const double *x = ((struct exp_ctx *)ctx)->x;
    double *g = ((struct exp_ctx *)ctx)->g;
    size_t S = m->S;
    double inc = income_of(m, x, n);
    double *gn = g + n * S;
    const double *y = m->y + n * S, *alpha = m->w->alpha + n * S, *io = m->w->io + n * S * S;
    size_t j = 0;
    for (; j + 4 <= S; j += 4) {
        const double *r0 = io + j * S, *r1 = r0 + S, *r2 = r1 + S, *r3 = r2 + S;
        double a0 = alpha[j] * inc, a1 = alpha[j + 1] * inc, a2 = alpha[j + 2] * inc,
               a3 = alpha[j + 3] * inc;
        for (size_t k = 0; k < S; k++) {
            a0 += y[k] * r0[k];
            a1 += y[k] * r1[k];
            a2 += y[k] * r2[k];
            a3 += y[k] * r3[k];
        }
        gn[j] = a0;
        gn[j + 1] = a1;
        gn[j + 2] = a2;
        gn[j + 3] = a3;
    }
    for (; j < S; j++) {
        const double *r0 = io + j * S;
        double a0 = alpha[j] * inc;
        for (size_t k = 0; k < S; k++)
            a0 += y[k] * r0[k];
        gn[j] = a0;
    }
}

static tw_status exp_map(void *ctx, const double *x, double *g, tw_err *err)
{
    (void)err;
    tw_cp *m = ctx;
    eval_output(m, x);
    struct exp_ctx c = {x, g};
    for_each(m, m->N, expenditure_country, &c);
    return TW_OK;
}

static void exp_scale(void *ctx, const double *x, double *scale)
{
    const tw_cp *m = ctx;
    for (size_t k = 0; k < m->N * m->S; k++)
        scale[k] = fabs(x[k]) > m->x_floor ? fabs(x[k]) : m->x_floor;
}

/* ---- (T): wages --------------------------------------------------------------------------- */

/* Trade-balance residual Z_n = imports_n (incl. domestic) - D'_n - sales_n (incl. domestic). */
static void balance_country(tw_cp *m, size_t n, void *ctx)
{
    size_t N = m->N, S = m->S;
    const double *x = ctx;
    double spend = 0.0, sales = 0.0;
    for (size_t s = 0; s < S; s++) {
        const double *mm = m->m1 + (s * N + n) * N;
        double acc = 0.0;
        for (size_t i = 0; i < N; i++)
            acc += mm[i];
        spend += acc * x[n * S + s];
        sales += m->y[n * S + s];
    }
    m->z[n] = spend - m->d1[n] - sales;
}

static void eval_balance(tw_cp *m, const double *x)
{
    eval_output(m, x);
    for_each(m, m->N, balance_country, (void *)(uintptr_t)x);
}

/* Solve the inner blocks at wages m->lnw: prices (warm start m->lnp), shares, then
 * expenditure (warm start m->x), then the trade-balance residual. */
static tw_status solve_inner(tw_cp *m, tw_err *err)
{
    size_t NS = m->N * m->S;
    /* Inexact inner solves: far from the wage fixed point the inner loops need only be solved
     * to a fraction of the current outer change (an inexact-Newton forcing term); the final
     * evaluation uses the full tolerances since outer_res is then below tol_wage. */
    double f = m->opts.inner_forcing * m->outer_res;
    tw_fp_opts po = {fmax(m->opts.tol_price, f), m->opts.max_iter_price, TW_CP_SAFEGUARD};
    tw_fp_info info;
    m->inner_failed = false;
    tw_status st = tw_fp_run(price_map, NULL, m, NS, m->lnp, &po, m->acc_p, m->work_p, &info,
                             err);
    m->it_price += info.iterations;
    if (st == TW_NOT_CONVERGED) {
        m->inner_failed = true;
        snprintf(m->inner_msg, sizeof m->inner_msg, "price loop not converged after %zu "
                 "iterations (max |change in ln P| = %.3g, tol_price %g)", info.iterations,
                 info.residual, m->opts.tol_price);
    } else if (st != TW_OK) {
        return st;
    }
    for (size_t k = 0; k < NS; k++)
        if (!isfinite(m->lnp[k]))
            return tw_err_set(err, TW_ENUMERIC, "solve: %s: price of %s in %s is not finite",
                              m->stage, m->w->country_code[k / m->S],
                              m->w->sector_code[k % m->S]);
    eval_shares(m, m->lnp);
    tw_fp_opts xo = {fmax(m->opts.tol_expenditure, f), m->opts.max_iter_expenditure,
                     TW_CP_SAFEGUARD};
    st = tw_fp_run(exp_map, exp_scale, m, NS, m->x, &xo, m->acc_x, m->work_x, &info, err);
    m->it_exp += info.iterations;
    if (st == TW_NOT_CONVERGED && !m->inner_failed) {
        m->inner_failed = true;
        snprintf(m->inner_msg, sizeof m->inner_msg, "expenditure loop not converged after %zu "
                 "iterations (max relative change = %.3g, tol_expenditure %g)",
                 info.iterations, info.residual, m->opts.tol_expenditure);
    } else if (st != TW_OK && st != TW_NOT_CONVERGED) {
        return st;
    }
    eval_balance(m, m->x);
    return TW_OK;
}

static tw_status wage_map(void *ctx, const double *lnw, double *g, tw_err *err)
{
    tw_cp *m = ctx;
    size_t N = m->N;
    memcpy(m->lnw, lnw, N * sizeof(double));
    tw_status st = solve_inner(m, err);
    if (st != TW_OK)
        return st;
    double v = m->opts.damping, vaw = 0.0;
    for (size_t n = 0; n < N; n++) {
        g[n] = lnw[n] - v * m->z[n] / m->va0[n];
        if (!isfinite(g[n]))
            return tw_err_set(err, TW_ENUMERIC, "solve: %s: wage of %s became non-finite at "
                              "iteration %zu", m->stage, m->w->country_code[n], m->it_outer + 1);
        vaw += m->va0[n] * exp(g[n]);
    }
    /* Numeraire: world value added is held fixed (CP2015 appendix). */
    double shift = log(m->va_world / vaw);
    for (size_t n = 0; n < N; n++)
        g[n] += shift;
    m->it_outer++;
    double res = 0.0;
    for (size_t n = 0; n < N; n++)
        res = fmax(res, fabs(g[n] - lnw[n]));
    m->outer_res = res;
    if (m->opts.progress) {
        if (m->opts.progress(m->opts.progress_ctx, m->stage, m->it_outer, res) != 0)
            return tw_err_set(err, TW_EINTERRUPTED, "solve: %s: cancelled at iteration %zu",
                              m->stage, m->it_outer);
    }
    return TW_OK;
}

/* shift = pi0 kappa_hat^-theta a_hat^theta with kappa_hat = (1+tau')/(1+tau) d_hat, for sector s,
 * into the exporter-major array; pi0 = flow (1+tau) / x0 from the world (see build_baseline).
 * d_hat / a_hat NULL: all ones (the same arithmetic as explicit ones: log(1) = 0). */
struct shock_ctx {
    const double *tau1, *d_hat, *a_hat;
};

static void shock_sector(tw_cp *m, size_t s, void *ctx)
{
    const struct shock_ctx *c = ctx;
    const double *tau1 = c->tau1, *d_hat = c->d_hat, *a_hat = c->a_hat;
    size_t N = m->N, S = m->S;
    const struct tw_world *w = m->w;
    double th = m->theta[s];
    for (size_t n = 0; n < N; n++) {
        size_t b = (s * N + n) * N;
        const double *f = w->flow + b, *t0 = w->tariff + b;
        double x = m->x0[n * S + s];
        for (size_t i = 0; i < N; i++) {
            double p = x > 0.0 ? f[i] * (1.0 + t0[i]) / x : (i == n ? 1.0 : 0.0), v = 0.0;
            if (p != 0.0) {
                double ld = d_hat ? log(d_hat[b + i]) : 0.0;
                double la = a_hat ? log(a_hat[i * S + s]) : 0.0;
                double lk = log1p(tau1[b + i]) - log1p(t0[i]) + ld;
                v = p * exp(-th * lk + th * la);
            }
            m->shift_t[(s * N + i) * N + n] = v;
        }
        if (m->inv1t != NULL)
            for (size_t i = 0; i < N; i++) {
                m->inv1t[b + i] = 1.0 / (1.0 + tau1[b + i]);
                m->shift[b + i] = m->shift_t[(s * N + i) * N + n];
            }
    }
}

static void prepare_shock(tw_cp *m, const double *tau1, const double *d_hat, const double *a_hat)
{
    struct shock_ctx c = {tau1, d_hat, a_hat};
    for_each(m, m->S, shock_sector, &c);
}

/* Threads for one solve: serial for small worlds and inside an enclosing parallel region. */
static int solve_threads(const tw_cp *m)
{
#ifdef _OPENMP
    if (m->S * m->N * m->N < TW_CP_PAR_MIN_CELLS || omp_in_parallel())
        return 1;
    int t = m->opts.n_threads > 0 ? m->opts.n_threads : omp_get_max_threads();
    return t > 1 ? t : 1;
#else
    (void)m;
    return 1;
#endif
}

tw_status tw_cp_solve(tw_cp *m, const double *tau1, const double *d_hat, const double *a_hat,
                      const double *d1, const char *stage, const tw_cp_solution *init,
                      tw_cp_solution *sol, tw_solver_info *info, tw_err *err)
{
    size_t N = m->N, S = m->S;
    memset(info, 0, sizeof *info);
    m->solved = false;
    m->flows_ready = false;
    if (m->m1 == NULL && (m->m1 = tw_calloc(S * N * N, sizeof(double))) == NULL)
        return tw_err_set(err, TW_ENOMEM, "solve: %s: out of memory", stage);
    m->nt = solve_threads(m);
    m->tau1 = tau1;
    m->d1 = d1;
    m->stage = stage;
    m->it_outer = m->it_price = m->it_exp = 0;
    m->outer_res = 0.0; /* the first evaluation solves the inner loops fully */
    prepare_shock(m, tau1, d_hat, a_hat);
    if (init != NULL) {
        memcpy(m->lnw_it, init->ln_w, N * sizeof(double));
        memcpy(m->lnp, init->ln_p, N * S * sizeof(double));
        memcpy(m->x, init->x, N * S * sizeof(double));
    } else {
        memset(m->lnw_it, 0, N * sizeof(double));
        memset(m->lnp, 0, N * S * sizeof(double));
        memcpy(m->x, m->x0, N * S * sizeof(double));
    }
    tw_fp_opts wo = {m->opts.tol_wage, m->opts.max_iter, TW_CP_SAFEGUARD};
    tw_fp_info fi;
    tw_status st = tw_fp_run(wage_map, NULL, m, N, m->lnw_it, &wo, m->acc_w, m->work_w, &fi,
                             err);
    if (st != TW_OK && st != TW_NOT_CONVERGED)
        return st;
    /* Make prices, shares and expenditure consistent with the final wages, at full inner
     * tolerance. */
    memcpy(m->lnw, m->lnw_it, N * sizeof(double));
    m->outer_res = 0.0;
    tw_status st2 = solve_inner(m, err);
    if (st2 != TW_OK)
        return st2;
    memcpy(sol->ln_w, m->lnw, N * sizeof(double));
    memcpy(sol->ln_p, m->lnp, N * S * sizeof(double));
    memcpy(sol->ln_c, m->lnc, N * S * sizeof(double));
    memcpy(sol->x, m->x, N * S * sizeof(double));
    info->iterations = fi.iterations;
    info->price_iterations = m->it_price;
    info->expenditure_iterations = m->it_exp;
    info->residual = fi.residual;
    double tb = 0.0;
    for (size_t n = 0; n < N; n++)
        tb = fmax(tb, fabs(m->z[n]) / m->va0[n]);
    info->trade_balance_residual = tb;
    m->solved = true;
    if (st == TW_NOT_CONVERGED || m->inner_failed) {
        info->status = TW_NOT_CONVERGED;
        if (m->inner_failed)
            snprintf(info->reason, sizeof info->reason, "inner loop hit its cap");
        else
            snprintf(info->reason, sizeof info->reason, "max_iter reached");
        if (m->inner_failed)
            return tw_err_set(err, TW_NOT_CONVERGED, "solve: %s: %s", stage, m->inner_msg);
        return tw_err_set(err, TW_NOT_CONVERGED, "solve: %s: wages not converged after %zu "
                          "iterations (max |change in ln w| = %.3g, tol_wage %g; trade-balance "
                          "residual %.3g of value added)", stage, fi.iterations, fi.residual,
                          m->opts.tol_wage, tb);
    }
    info->status = TW_OK;
    snprintf(info->reason, sizeof info->reason, "wage change below tol_wage");
    return TW_OK;
}

const double *tw_cp_flows(tw_cp *m)
{
    if (!m->solved || m->flows_ready || m->m1 == NULL)
        return NULL;
    /* The state of the final evaluation is intact: ex, ref, refn, rinv and lnc come from the
     * last share evaluation (the expenditure loop and the balance do not touch them), so the
     * shares recomputed here are bit for bit those the solve used. */
    bool flows = true;
    for_each(m, m->S, shares_sector, &flows);
    m->flows_ready = true;
    return m->m1;
}

double *tw_cp_take_flows(tw_cp *m)
{
    if (!m->flows_ready)
        return NULL;
    double *f = m->m1;
    m->m1 = NULL;
    m->flows_ready = false;
    m->solved = false;
    return f;
}
