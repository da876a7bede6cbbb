/* SPDX-License-Identifier: MIT */
/*
 * src/policy/sweep.c: Monte Carlo over trade elasticities: each draw re-solves a scenario's
 * timeline on a copy of the world whose theta has been drawn, and records every country's
 * real income change, equivalent variation and cumulative cost at `until`.
 *
 * Determinism: draw k's random stream depends on (seed, k) only (splitmix64 seeded with a hash
 * of both), and each draw writes its own slot, so the same seed gives the same bits whatever the
 * number of OpenMP threads or of processes (MPI ranks solve disjoint draws and gather records).
 *
 * Failed draws (a wave that does not converge, or a numerical failure) are recorded with their
 * status and elasticities and excluded from the statistics, which are therefore conditional on
 * convergence; their number is reported next to every summary (docs/scaling.md). Replacing them
 * by new draws would bias the bands toward parameter regions where the solver converges without
 * telling the user.
 *
 * References: normal draws by the Box-Muller transform (G. E. P. Box and M. E. Muller 1958);
 * quantiles by linear interpolation between order statistics (Hyndman and Fan 1996, type 7).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <lapacke.h>

#include "core/alloc.h"
#include "core/scenario.h"
#include "core/world.h"
#include "tradewar/tradewar.h"

/* Draws of a truncated normal that fall below theta_min are redrawn up to this many times; a
 * draw that still fails is an error (theta_min is then far in the tail). */
#define TW_SWEEP_MAX_REJECT 1000
/* Sectors supported by multivariate-normal draws (a stack buffer of this size). */
#define TW_SWEEP_MAX_SECTORS 1000

struct tw_sweep {
    const struct tw_world *w;    /* borrowed */
    const tw_scenario *sc;       /* borrowed */
    tw_deficits deficits;
    char until[16];              /* "" = the scenario's */
    tw_sweep_opts opts;
    size_t n, N, S, rec_len;
    double *chol;                /* [S*S] lower Cholesky factor of opts.cov, row-major; NULL */
    double *rec;                 /* [n * rec_len]: status, set, theta[S], values[N * M], and
                                    the shock-size factor last */
};

#define M_COUNT ((size_t)TW_SWEEP_MEASURE_COUNT)

void tw_sweep_opts_init(tw_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_draws = 100;
    o->seed = 1;
    o->mode = TW_SWEEP_NORMAL;
    o->rel_sd = 0.1;
    o->theta_min = 0.5;
    o->shock_rel_sd = 0.0;
    tw_solve_opts_init(&o->solve);
}

static unsigned long long splitmix(unsigned long long *s)
{
    unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform01(unsigned long long *s)
{
    /* (0, 1]: never 0, so log() below is finite. */
    return ((double)(splitmix(s) >> 11) + 1.0) * 0x1.0p-53;
}

static double std_normal(unsigned long long *s)
{
    double u1 = uniform01(s), u2 = uniform01(s);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double *record(const tw_sweep *sw, size_t k) { return sw->rec + k * sw->rec_len; }

/* A factor action's value scaled by the shock-size factor f: 1 + f (v - 1). */
static double scaled(double v, double f) { return 1.0 + f * (v - 1.0); }

/* True when scaling every trade-cost and productivity factor by f keeps them positive. */
static bool shock_ok(const tw_scenario *sc, double f)
{
    for (size_t a = 0; a < sc->n_actions; a++) {
        const struct tw_action *ac = &sc->actions[a];
        if (ac->mode != TW_RATE_FACTOR)
            continue;
        if (!(scaled(ac->value, f) > 0.0))
            return false;
        for (size_t k = 0; k < ac->n_sector_values; k++)
            if (!(scaled(ac->sector_values[k].value, f) > 0.0))
                return false;
    }
    return true;
}

/* A shallow copy of sc whose factor actions are scaled by f; *owned receives what to free
 * (the actions array and the copied per-sector arrays). NULL on allocation failure. */
static struct tw_scenario *scaled_scenario(const tw_scenario *sc, double f, void ***owned,
                                           size_t *n_owned)
{
    struct tw_scenario *c = tw_malloc(sizeof *c);
    struct tw_action *acts = tw_calloc(sc->n_actions ? sc->n_actions : 1, sizeof *acts);
    void **own = tw_calloc(sc->n_actions + 2, sizeof *own);
    if (c == NULL || acts == NULL || own == NULL) {
        tw_free(c);
        tw_free(acts);
        tw_free(own);
        return NULL;
    }
    *c = *sc;
    size_t n = 0;
    own[n++] = c;
    own[n++] = acts;
    for (size_t a = 0; a < sc->n_actions; a++) {
        acts[a] = sc->actions[a];
        if (acts[a].mode != TW_RATE_FACTOR)
            continue;
        acts[a].value = scaled(acts[a].value, f);
        if (acts[a].n_sector_values) {
            struct tw_sector_value *sv = tw_calloc(acts[a].n_sector_values, sizeof *sv);
            if (sv == NULL) {
                *owned = own;
                *n_owned = n;
                return NULL;
            }
            own[n++] = sv;
            for (size_t k = 0; k < acts[a].n_sector_values; k++) {
                sv[k] = sc->actions[a].sector_values[k];
                sv[k].value = scaled(sv[k].value, f);
            }
            acts[a].sector_values = sv;
        }
    }
    c->actions = acts;
    *owned = own;
    *n_owned = n;
    return c;
}

static tw_status draw_thetas(tw_sweep *sw, size_t k, tw_err *err)
{
    const tw_sweep_opts *o = &sw->opts;
    double *r = record(sw, k), *th = r + 2;
    unsigned long long st = o->seed ^ (0x632be59bd9b4e019ULL * (unsigned long long)(k + 1));
    splitmix(&st);
    r[0] = (double)TW_CONTINUE;
    r[1] = -1.0;
    if (o->mode == TW_SWEEP_NORMAL && sw->chol != NULL) {
        /* Multivariate normal theta = estimate + L z, the whole vector redrawn until every
         * element exceeds theta_min. */
        int tries = 0;
        bool ok;
        double z[TW_SWEEP_MAX_SECTORS];
        do {
            ok = true;
            for (size_t s = 0; s < sw->S; s++)
                z[s] = std_normal(&st);
            for (size_t s = 0; s < sw->S; s++) {
                double v = sw->w->theta[s];
                for (size_t q = 0; q <= s; q++)
                    v += sw->chol[s * sw->S + q] * z[q];
                th[s] = v;
                ok = ok && v > o->theta_min;
            }
        } while (!ok && ++tries < TW_SWEEP_MAX_REJECT);
        if (!ok)
            return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: the multivariate normal keeps "
                              "drawing an elasticity below theta_min %g", k, o->theta_min);
    }
    for (size_t s = 0; s < sw->S && !(o->mode == TW_SWEEP_NORMAL && sw->chol); s++) {
        double v = sw->w->theta[s];
        if (o->mode == TW_SWEEP_NORMAL) {
            double sd = o->se ? o->se[s] : o->rel_sd * v, x = v;
            int tries = 0;
            do {
                x = v + sd * std_normal(&st);
            } while (!(x > o->theta_min) && ++tries < TW_SWEEP_MAX_REJECT);
            if (!(x > o->theta_min))
                return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: theta of %s stays below "
                                  "theta_min %g (mean %g, sd %g)", k, sw->w->sector_code[s],
                                  o->theta_min, v, sd);
            v = x;
        } else if (o->mode == TW_SWEEP_DRAWS) {
            v = o->values[k * sw->S + s];
        }
        th[s] = v;
    }
    if (o->mode == TW_SWEEP_SETS) {
        size_t set = (size_t)(uniform01(&st) * (double)o->n_sets);
        if (set >= o->n_sets)
            set = o->n_sets - 1;
        r[1] = (double)set;
        for (size_t s = 0; s < sw->S; s++)
            th[s] = o->values[set * sw->S + s];
    }
    for (size_t s = 0; s < sw->S; s++)
        if (!(isfinite(th[s]) && th[s] > 0.0))
            return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: theta of %s is %g, expected > 0",
                              k, sw->w->sector_code[s], th[s]);
    /* Shock size: drawn after the elasticities, from the same stream. */
    double f = 1.0;
    if (o->shock_rel_sd > 0.0) {
        int tries = 0;
        do {
            f = 1.0 + o->shock_rel_sd * std_normal(&st);
        } while (!(f > 0.0 && shock_ok(sw->sc, f)) && ++tries < TW_SWEEP_MAX_REJECT);
        if (!(f > 0.0 && shock_ok(sw->sc, f)))
            return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: no shock-size factor keeps "
                              "every factor positive", k);
    }
    r[sw->rec_len - 1] = f;
    return TW_OK;
}

/* Lower Cholesky factor of opts.cov (LAPACK dpotrf) over the sectors with positive variance;
 * sectors whose row and column are zero stay at their estimate. */
static tw_status cholesky(tw_sweep *sw, tw_err *err)
{
    size_t S = sw->S, m = 0;
    const double *cov = sw->opts.cov;
    if (S > TW_SWEEP_MAX_SECTORS)
        return tw_err_set(err, TW_EINVAL, "sweep: %zu sectors, more than the %d supported by "
                          "covariance draws", S, TW_SWEEP_MAX_SECTORS);
    sw->chol = tw_calloc(S * S, sizeof(double));
    size_t *act = tw_calloc(S, sizeof(size_t));
    double *sub = tw_alloc_doubles(S * S);
    tw_status st = TW_OK;
    if (sw->chol == NULL || act == NULL || sub == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
        goto done;
    }
    for (size_t i = 0; i < S; i++) {
        bool zero = true;
        for (size_t j = 0; j < S; j++)
            zero = zero && cov[i * S + j] == 0.0 && cov[j * S + i] == 0.0;
        if (!zero)
            act[m++] = i;
    }
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++)
            sub[a * m + b] = cov[act[a] * S + act[b]];
    lapack_int info = m ? LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)m, sub,
                                         (lapack_int)m) : 0;
    if (info != 0) {
        st = tw_err_set(err, TW_EINVAL, "sweep: the covariance matrix is not positive definite "
                        "on its non-zero sectors (LAPACK dpotrf info %d, sector %s)", (int)info,
                        info > 0 ? sw->w->sector_code[act[info - 1]] : "?");
        goto done;
    }
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b <= a; b++)
            sw->chol[act[a] * S + act[b]] = sub[a * m + b];
done:
    tw_free(act);
    tw_free(sub);
    return st;
}

tw_status tw_sweep_new(const tw_world *w, const tw_scenario *sc, tw_deficits deficits,
                       const char *until, const tw_sweep_opts *opts, tw_sweep **out,
                       tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "sweep: out is NULL");
    *out = NULL;
    if (w == NULL || sc == NULL || opts == NULL)
        return tw_err_set(err, TW_EINVAL, "sweep: world, scenario and options are required");
    if (opts->n_draws < 1 || opts->n_draws > 100000000)
        return tw_err_set(err, TW_EINVAL, "sweep: %zu draws, expected 1 to 1e8", opts->n_draws);
    if (opts->mode == TW_SWEEP_NORMAL && !(opts->rel_sd >= 0.0 && isfinite(opts->rel_sd)))
        return tw_err_set(err, TW_EINVAL, "sweep: rel_sd %g, expected >= 0", opts->rel_sd);
    if (!(opts->shock_rel_sd >= 0.0 && isfinite(opts->shock_rel_sd)))
        return tw_err_set(err, TW_EINVAL, "sweep: shock_rel_sd %g, expected >= 0",
                          opts->shock_rel_sd);
    if ((opts->mode == TW_SWEEP_SETS && (opts->values == NULL || opts->n_sets == 0)) ||
        (opts->mode == TW_SWEEP_DRAWS && opts->values == NULL))
        return tw_err_set(err, TW_EINVAL, "sweep: this mode needs elasticity values");
    tw_sweep *sw = tw_calloc(1, sizeof *sw);
    if (sw == NULL)
        return tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
    sw->w = w;
    sw->sc = sc;
    sw->deficits = deficits;
    snprintf(sw->until, sizeof sw->until, "%s", until ? until : "");
    sw->opts = *opts;
    sw->n = opts->n_draws;
    sw->N = w->n_country;
    sw->S = w->n_sector;
    sw->rec_len = 2 + sw->S + sw->N * M_COUNT + 1;
    sw->rec = tw_calloc(sw->n * sw->rec_len, sizeof(double));
    if (sw->rec == NULL) {
        tw_free(sw);
        return tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
    }
    if (opts->mode == TW_SWEEP_NORMAL && opts->cov != NULL) {
        tw_status st = cholesky(sw, err);
        if (st != TW_OK) {
            tw_sweep_free(sw);
            return st;
        }
    }
    for (size_t k = 0; k < sw->n; k++) {
        tw_status st = draw_thetas(sw, k, err);
        if (st != TW_OK) {
            tw_sweep_free(sw);
            return st;
        }
    }
    *out = sw;
    return TW_OK;
}

void tw_sweep_free(tw_sweep *sw)
{
    if (sw == NULL)
        return;
    tw_free(sw->chol);
    tw_free(sw->rec);
    tw_free(sw);
}

/* Solve one draw into its record. *wp is the calling thread's copy of the world (made on
 * first use, reused by its later draws: only theta differs between draws, and it is
 * overwritten whole). Solves inside a sweep run on one thread each (the draws are the
 * parallel loop) and keep no bilateral detail (only country outcomes are recorded). */
static void solve_draw(tw_sweep *sw, size_t k, struct tw_world **wp)
{
    double *r = record(sw, k), *th = r + 2, *val = r + 2 + sw->S;
    tw_timeline *t = NULL;
    tw_err e;
    double f = r[sw->rec_len - 1];
    void **owned = NULL;
    size_t n_owned = 0;
    const tw_scenario *sc = sw->sc;
    tw_solve_opts so = sw->opts.solve;
    so.n_threads = 1;
    so.bilateral = TW_BILATERAL_DROP;
    if (f != 1.0)
        sc = scaled_scenario(sw->sc, f, &owned, &n_owned);
    tw_status st = sc == NULL ? TW_ENOMEM : TW_OK;
    if (st == TW_OK && *wp == NULL)
        st = tw_world_copy(sw->w, wp, &e);
    if (st == TW_OK) {
        memcpy((*wp)->theta, th, sw->S * sizeof(double));
        st = tw_timeline_run(*wp, sc, sw->deficits, sw->until[0] ? sw->until : NULL, &so, &t,
                             &e);
    }
    for (size_t q = n_owned; q-- > 0;)
        tw_free(owned[q]);
    tw_free(owned);
    if (st == TW_OK) {
        size_t fw = tw_timeline_final_wave(t), nw = tw_timeline_n_waves(t);
        for (size_t c = 0; c < sw->N; c++) {
            const tw_result *res = fw < nw ? tw_timeline_wave_result(t, fw) : NULL;
            val[c * M_COUNT + TW_SWEEP_REAL_INCOME_PCT] =
                res ? tw_result_country(res, TW_C_REAL_INCOME_PCT, c) : 0.0;
            val[c * M_COUNT + TW_SWEEP_WELFARE_USD] =
                res ? tw_result_country(res, TW_C_WELFARE_USD, c) : 0.0;
            val[c * M_COUNT + TW_SWEEP_CUMULATIVE_USD] = tw_timeline_cumulative_usd(t, c);
            val[c * M_COUNT + TW_SWEEP_INCOME_BASE_USD] =
                res ? tw_result_country(res, TW_C_INCOME_BASE_USD, c) : 0.0;
        }
    }
    r[0] = (double)st;
    tw_timeline_free(t);
}

tw_status tw_sweep_run(tw_sweep *sw, size_t first, size_t last, size_t part, size_t n_parts,
                       tw_err *err)
{
    if (sw == NULL || n_parts == 0 || part >= n_parts || first > last)
        return tw_err_set(err, TW_EINVAL, "sweep: bad draw range or partition");
    if (last > sw->n)
        last = sw->n;
    /* Work list first, so the parallel loop has a fixed trip count. */
    size_t *todo = tw_calloc(last - first + 1, sizeof(size_t)), n = 0;
    if (todo == NULL)
        return tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
    for (size_t k = first; k < last; k++)
        if (k % n_parts == part && (tw_status)record(sw, k)[0] == TW_CONTINUE)
            todo[n++] = k;
    size_t n_threads = 1;
#ifdef _OPENMP
    if (sw->opts.n_threads > 0)
        omp_set_num_threads(sw->opts.n_threads);
    n_threads = (size_t)omp_get_max_threads();
#endif
    /* One world copy per thread, reused across its draws. */
    struct tw_world **worlds = tw_calloc(n_threads, sizeof *worlds);
    if (worlds == NULL) {
        tw_free(todo);
        return tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)n_threads)
#endif
    for (long q = 0; q < (long)n; q++) {
        size_t me = 0;
#ifdef _OPENMP
        me = (size_t)omp_get_thread_num();
#endif
        solve_draw(sw, todo[q], &worlds[me]);
    }
    for (size_t q = 0; q < n_threads; q++)
        tw_world_free(worlds[q]);
    tw_free(worlds);
    tw_free(todo);
    return TW_OK;
}

size_t tw_sweep_n_draws(const tw_sweep *sw) { return sw->n; }
const tw_world *tw_sweep_world(const tw_sweep *sw) { return sw->w; }
tw_status tw_sweep_draw_status(const tw_sweep *sw, size_t k) { return (tw_status)record(sw, k)[0]; }
double tw_sweep_draw_theta(const tw_sweep *sw, size_t k, size_t s) { return record(sw, k)[2 + s]; }
int tw_sweep_draw_set(const tw_sweep *sw, size_t k) { return (int)record(sw, k)[1]; }
double tw_sweep_draw_shock_scale(const tw_sweep *sw, size_t k)
{
    return record(sw, k)[sw->rec_len - 1];
}

double tw_sweep_draw_value(const tw_sweep *sw, size_t k, size_t c, tw_sweep_measure m)
{
    return record(sw, k)[2 + sw->S + c * M_COUNT + (size_t)m];
}

size_t tw_sweep_n_failed(const tw_sweep *sw)
{
    size_t f = 0;
    for (size_t k = 0; k < sw->n; k++) {
        tw_status st = tw_sweep_draw_status(sw, k);
        f += st != TW_OK && st != TW_CONTINUE;
    }
    return f;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Value of draw k for country c, or the world when c == N. */
static double value_of(const tw_sweep *sw, size_t k, size_t c, tw_sweep_measure m)
{
    if (c < sw->N)
        return tw_sweep_draw_value(sw, k, c, m);
    double v = 0.0;
    if (m != TW_SWEEP_REAL_INCOME_PCT) {
        for (size_t q = 0; q < sw->N; q++)
            v += tw_sweep_draw_value(sw, k, q, m);
        return v;
    }
    /* World real income: sum of EV over sum of baseline income. */
    double ev = 0.0, inc = 0.0;
    for (size_t q = 0; q < sw->N; q++) {
        ev += tw_sweep_draw_value(sw, k, q, TW_SWEEP_WELFARE_USD);
        inc += tw_sweep_draw_value(sw, k, q, TW_SWEEP_INCOME_BASE_USD);
    }
    return inc > 0.0 ? 100.0 * ev / inc : 0.0;
}

double tw_sweep_stat_value(const tw_sweep *sw, size_t c, tw_sweep_measure m, tw_sweep_stat st)
{
    double *v = malloc(sw->n * sizeof *v);
    size_t n = 0;
    if (v == NULL)
        return (double)NAN;
    for (size_t k = 0; k < sw->n; k++)
        if (tw_sweep_draw_status(sw, k) == TW_OK)
            v[n++] = value_of(sw, k, c, m);
    double out = (double)NAN;
    if (n > 0) {
        if (st == TW_STAT_MEAN || st == TW_STAT_SHARE_LOSING) {
            double acc = 0.0;
            for (size_t k = 0; k < n; k++)
                acc += st == TW_STAT_MEAN ? v[k] : (v[k] < 0.0);
            out = acc / (double)n;
        } else {
            qsort(v, n, sizeof *v, cmp_double);
            double p = st == TW_STAT_MEDIAN ? 0.5 : (st == TW_STAT_P05 ? 0.05 : 0.95);
            double h = (double)(n - 1) * p;
            size_t lo = (size_t)h;
            out = lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
        }
    }
    free(v);
    return out;
}

size_t tw_sweep_record_len(const tw_sweep *sw) { return sw->rec_len; }

void tw_sweep_get_record(const tw_sweep *sw, size_t k, double *rec)
{
    memcpy(rec, record(sw, k), sw->rec_len * sizeof(double));
}

tw_status tw_sweep_set_record(tw_sweep *sw, size_t k, const double *rec, tw_err *err)
{
    if (k >= sw->n)
        return tw_err_set(err, TW_EINVAL, "sweep: draw %zu out of range", k);
    const double *mine = record(sw, k);
    for (size_t s = 0; s < sw->S; s++)
        if (rec[2 + s] != mine[2 + s])
            return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: theta of %s is %.17g in the "
                              "record but %.17g in this sweep (different seed or options)", k,
                              sw->w->sector_code[s], rec[2 + s], mine[2 + s]);
    if (rec[sw->rec_len - 1] != mine[sw->rec_len - 1])
        return tw_err_set(err, TW_EINVAL, "sweep: draw %zu: shock-size factor differs "
                          "(different seed or options)", k);
    memcpy(record(sw, k), rec, sw->rec_len * sizeof(double));
    return TW_OK;
}
