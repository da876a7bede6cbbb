/* SPDX-License-Identifier: MIT */
/*
 * src/policy/game.c: tariff games on the model of model/mc.h: unilateral optimal tariffs,
 * Nash equilibria of tariff wars (best-response iteration, or Lashkaripour's sufficient-
 * statistics formula), and cooperative tariffs of trade talks (equal percentage gains, Nash
 * bargaining). Optimisation by NLopt with exact gradients (adjoint of the equilibrium system).
 *
 * References: R. Ossa (2014), AER 104(12), sections III-IV (optimal, Nash, cooperative
 * tariffs; the purge of imbalances); A. Lashkaripour (2021), JIE 131, section 3 (eq. for the
 * optimal uniform tariff: t_i = 1 / sum_{k != i} sum_s chi_iks epsilon_s (1 - lambda_iks));
 * J. F. Nash (1950) for the bargaining solution; docs/games.md.
 *
 * Invariants: a game's baseline is the balanced-trade factual equilibrium when opts.purge (the
 * default); every welfare number of a result is relative to that baseline. Results are the
 * same for any thread count (players' best responses are independent within a round and are
 * combined in player order).
 * Ownership: a tw_game owns its model and a copy of the options; results own their arrays.
 */
#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "model/mc.h"
#include "policy/game.h"
#include "solve/accel.h"

/* Talks with equal gains: largest spread of the governments' log gains accepted as equal. */
#define TW_GAME_TALKS_SPREAD 1e-4

void tw_game_opts_init(tw_game_opts *o)
{
    memset(o, 0, sizeof *o);
    o->instrument = TW_GAME_BILATERAL;
    o->lobbying = true;
    o->purge = true;
    o->lower = 0.0;
    o->upper = 10.0;
    o->tol = 1e-4;
    o->max_rounds = 50;
    o->opt_tol = 1e-10;
    o->max_eval = 5000;
    o->method = TW_GAME_METHOD_AUTO;
    o->formula_cap = false;
    o->starts = 1;
}

struct tw_game {
    const tw_world *w;       /* borrowed */
    struct tw_mc *m;         /* owned: the game's baseline */
    tw_game_opts o;
    bool profits;            /* Ossa's monopolistic competition */
    double *purge_welfare;   /* [N] welfare change of the purge, % */
    bool *target;            /* [N] during a war against players only: the players; else NULL */
    bool *tmask;             /* [N*N] owned: [c*N + i] importer c may tax exporter i (NULL: all;
                                set by tw_game_set_targets) */
};

/* ---- options and construction -------------------------------------------------------------- */

static tw_status check_opts(const tw_game_opts *o, tw_err *err)
{
    if (!(o->lower >= 0.0 && o->upper > o->lower && isfinite(o->upper)))
        return tw_err_set(err, TW_EINVAL, "game: tariff bounds [%g, %g] are invalid, expected "
                          "0 <= lower < upper, finite", o->lower, o->upper);
    if (!(o->tol > 0.0) || o->max_rounds == 0 || !(o->opt_tol > 0.0) || o->max_eval == 0)
        return tw_err_set(err, TW_EINVAL, "game: tolerances and iteration caps must be positive");
    if (o->starts < 1 || o->starts > 8)
        return tw_err_set(err, TW_EINVAL, "game: starts must be in [1, 8], got %d", o->starts);
    return TW_OK;
}

tw_status tw_game_new(const tw_world *w, const tw_game_opts *opts, tw_game **out, tw_err *err)
{
    return tw_game_new_at(w, NULL, opts, out, err);
}

tw_status tw_game_new_at(const tw_world *w, const double *base, const tw_game_opts *opts,
                         tw_game **out, tw_err *err)
{
    *out = NULL;
    tw_game_opts o;
    if (opts)
        o = *opts;
    else
        tw_game_opts_init(&o);
    tw_status st = check_opts(&o, err);
    if (st != TW_OK)
        return st;
    struct tw_game *g = tw_calloc(1, sizeof *g);
    if (g == NULL)
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    g->w = w;
    g->o = o;
    const char *model = w->meta_model;
    if (o.model != NULL && o.model[0] != '\0')
        model = o.model;
    if (model[0] == '\0' || strcmp(model, "cp2015") == 0 ||
        strcmp(model, "lashkaripour2021") == 0)
        g->profits = false;
    else if (strcmp(model, "ossa2014") == 0)
        g->profits = true;
    else {
        tw_free(g);
        return tw_err_set(err, TW_EINVAL, "game: model \"%s\" is unknown, expected cp2015, "
                          "ossa2014 or lashkaripour2021", model);
    }
    if ((st = tw_mc_new(w, g->profits, &g->m, err)) != TW_OK) {
        tw_free(g);
        return st;
    }
    size_t N = g->m->N, S = g->m->S;
    if (!o.lobbying)
        for (size_t k = 0; k < N * S; k++)
            g->m->lambda[k] = 1.0;
    g->purge_welfare = tw_calloc(N, sizeof(double));
    if (g->purge_welfare == NULL) {
        tw_game_free(g);
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    }
    if (o.purge || base != NULL) {
        struct tw_mc_state *ps = NULL;
        if ((st = tw_mc_state_new(g->m, &ps, err)) != TW_OK) {
            tw_game_free(g);
            return st;
        }
        if (o.purge)
            for (size_t c = 0; c < N; c++)
                g->m->NX[c] = 0.0;
        if (base != NULL) { /* the baseline: the equilibrium at the given tariffs */
            for (size_t s = 0; s < S; s++)
                for (size_t j = 0; j < N; j++)
                    for (size_t i = 0; i < N; i++) {
                        double v = base[(s * N + j) * N + i];
                        if (i != j && !(isfinite(v) && v >= 0.0)) {
                            tw_mc_state_free(ps);
                            tw_game_free(g);
                            return tw_err_set(err, TW_EINVAL, "game: base tariff %g of %zu on "
                                              "%zu in sector %zu, expected >= 0", v, j, i, s);
                        }
                    }
            tw_mc_state_set_tariffs(ps, base);
        }
        st = tw_mc_solve(ps, err);
        if (st == TW_OK) {
            for (size_t c = 0; c < N; c++)
                g->purge_welfare[c] = 100.0 * expm1(tw_mc_log_objective(ps, c, TW_MC_WELFARE));
            tw_mc_rebase(g->m, ps);
        } else
            tw_err_prefix(err, "game: balanced-trade purge");
        tw_mc_state_free(ps);
        if (st != TW_OK) {
            tw_game_free(g);
            return st < 0 ? st : TW_ENUMERIC;
        }
    }
    *out = g;
    return TW_OK;
}

void tw_game_free(tw_game *g)
{
    if (g == NULL)
        return;
    tw_mc_free(g->m);
    tw_free(g->purge_welfare);
    tw_free(g->tmask);
    tw_free(g);
}

const tw_world *tw_game_world(const tw_game *g) { return g->w; }
bool tw_game_has_profits(const tw_game *g) { return g->profits; }
double tw_game_purge_welfare_pct(const tw_game *g, size_t c) { return g->purge_welfare[c]; }

/* ---- results --------------------------------------------------------------------------------- */

void tw_game_result_free(tw_game_result *r)
{
    if (r == NULL)
        return;
    tw_free(r->tariff);
    tw_free(r->welfare_pct);
    tw_free(r->gov_pct);
    tw_free(r->exports_pct);
    tw_free(r->imports_pct);
    tw_free(r->wage_pct);
    tw_free(r->is_player);
    tw_free(r->at_upper);
    tw_free(r->at_lower);
    tw_free(r->ref_welfare_pct);
    tw_free(r->ref_gov_pct);
    tw_free(r);
}

static tw_status result_new(const tw_game *g, tw_game_kind kind, tw_game_result **out,
                            tw_err *err)
{
    size_t N = g->m->N, S = g->m->S;
    tw_game_result *r = tw_calloc(1, sizeof *r);
    if (r == NULL)
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    r->kind = kind;
    r->N = N;
    r->S = S;
    r->instrument = g->o.instrument;
    r->lobbying = g->o.lobbying;
    r->profits = g->profits;
    r->tariff = tw_malloc(S * N * N * sizeof(double));
    r->welfare_pct = tw_calloc(N, sizeof(double));
    r->gov_pct = tw_calloc(N, sizeof(double));
    r->exports_pct = tw_calloc(N, sizeof(double));
    r->imports_pct = tw_calloc(N, sizeof(double));
    r->wage_pct = tw_calloc(N, sizeof(double));
    r->is_player = tw_calloc(N, sizeof(bool));
    r->at_upper = tw_calloc(N, sizeof(size_t));
    r->at_lower = tw_calloc(N, sizeof(size_t));
    r->ref_welfare_pct = tw_calloc(N, sizeof(double));
    r->ref_gov_pct = tw_calloc(N, sizeof(double));
    if (!r->tariff || !r->welfare_pct || !r->gov_pct || !r->exports_pct || !r->imports_pct ||
        !r->wage_pct || !r->is_player || !r->at_upper || !r->at_lower || !r->ref_welfare_pct ||
        !r->ref_gov_pct) {
        tw_game_result_free(r);
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    }
    memcpy(r->tariff, g->m->t0, S * N * N * sizeof(double));
    r->status = TW_OK;
    *out = r;
    return TW_OK;
}

/* Fill a result's outcomes from a solved state (relative to the game's baseline). */
static void result_fill(const tw_game *g, tw_game_result *r, const struct tw_mc_state *st)
{
    const struct tw_mc *m = g->m;
    size_t N = m->N, S = m->S;
    memcpy(r->tariff, st->t, S * N * N * sizeof(double));
    double wsum = 0.0;
    for (size_t c = 0; c < N; c++)
        wsum += exp(st->x[c]);
    for (size_t c = 0; c < N; c++) {
        r->welfare_pct[c] = 100.0 * expm1(tw_mc_log_objective(st, c, TW_MC_WELFARE));
        r->gov_pct[c] = 100.0 * expm1(tw_mc_log_objective(st, c, TW_MC_GOV));
        double ex0 = 0.0, im0 = 0.0;
        for (size_t s = 0; s < S; s++)
            for (size_t k = 0; k < N; k++)
                if (k != c) {
                    ex0 += m->X[(s * N + k) * N + c];
                    im0 += m->X[(s * N + c) * N + k];
                }
        r->exports_pct[c] = ex0 > 0.0 ? 100.0 * (tw_mc_exports(st, c) / ex0 - 1.0) : 0.0;
        r->imports_pct[c] = im0 > 0.0 ? 100.0 * (tw_mc_imports(st, c) / im0 - 1.0) : 0.0;
        /* Ossa's relative wage: w^_c minus the unweighted world mean */
        r->wage_pct[c] = 100.0 * (exp(st->x[c]) - wsum / (double)N);
    }
}

/* Tariffs of importer c on its partners (i != c, every sector): count, mean, median. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

tw_status tw_game_result_tariff_stats(const tw_game_result *r, size_t c, double *mean,
                                      double *median)
{
    size_t N = r->N, S = r->S, n = 0;
    double *v = tw_malloc((N - 1 > 0 ? N - 1 : 1) * S * sizeof(double));
    if (v == NULL)
        return TW_ENOMEM;
    double sum = 0.0;
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            if (i != c && (!r->against_players || r->is_player[i])) {
                v[n] = r->tariff[(s * N + c) * N + i];
                sum += v[n++];
            }
    if (n == 0) {
        *mean = *median = 0.0;
        tw_free(v);
        return TW_OK;
    }
    qsort(v, n, sizeof *v, cmp_double);
    *mean = sum / (double)n;
    *median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    tw_free(v);
    return TW_OK;
}

/* ---- one player's best response ------------------------------------------------------------- */

/* Whether importer c's tariffs on exporter i are instruments: every partner, or (a war
 * "against players") only the other players. */
static bool is_target(const tw_game *g, size_t c, size_t i)
{
    if (i == c)
        return false;
    if (g->tmask != NULL && !g->tmask[c * g->m->N + i])
        return false;
    return g->target == NULL || g->target[i];
}

/* The number of partners player c sets tariffs on. */
static size_t n_targets(const tw_game *g, size_t c)
{
    size_t n = 0;
    for (size_t i = 0; i < g->m->N; i++)
        n += is_target(g, c, i);
    return n;
}

/* The controls of player c under an instrument, and the cube cells each moves. */
static size_t n_controls(const tw_game *g, size_t c, tw_game_instrument ins)
{
    return ins == TW_GAME_UNIFORM ? 1 : ins == TW_GAME_MFN ? g->m->S : n_targets(g, c) * g->m->S;
}

/* Write player c's controls y into cube t. */
static void controls_to_cube(const tw_game *g, tw_game_instrument ins, size_t c, const double *y,
                             double *t)
{
    size_t N = g->m->N, S = g->m->S, k = 0;
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++) {
            if (!is_target(g, c, i))
                continue;
            double v = ins == TW_GAME_UNIFORM ? y[0] : ins == TW_GAME_MFN ? y[s] : y[k++];
            t[(s * N + c) * N + i] = v;
        }
}

/* Read player c's controls from cube t (means for MFN / uniform). */
static void cube_to_controls(const tw_game *g, tw_game_instrument ins, size_t c,
                             const double *t, double *y)
{
    size_t N = g->m->N, S = g->m->S, nc = n_controls(g, c, ins), k = 0,
           nt = n_targets(g, c);
    memset(y, 0, nc * sizeof *y);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++) {
            if (!is_target(g, c, i))
                continue;
            double v = t[(s * N + c) * N + i];
            if (ins == TW_GAME_UNIFORM)
                y[0] += v / (double)(nt * S);
            else if (ins == TW_GAME_MFN)
                y[s] += v / (double)nt;
            else
                y[k++] = v;
        }
}

/* Chain a cube gradient (d/d ln(1+t)) to player c's controls (d/d t). */
static void grad_to_controls(const tw_game *g, tw_game_instrument ins, size_t c, const double *t,
                             const double *gz, double *gy)
{
    size_t N = g->m->N, S = g->m->S, nc = n_controls(g, c, ins), k = 0;
    memset(gy, 0, nc * sizeof *gy);
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++) {
            if (!is_target(g, c, i))
                continue;
            size_t o = (s * N + c) * N + i;
            double d = gz[o] / (1.0 + t[o]);
            if (ins == TW_GAME_UNIFORM)
                gy[0] += d;
            else if (ins == TW_GAME_MFN)
                gy[s] += d;
            else
                gy[k++] = d;
        }
}

struct br_ctx {
    const tw_game *g;
    size_t c;                 /* the player */
    tw_mc_objective obj;
    struct tw_mc_state *st;   /* owned by the caller */
    double *cube;             /* [C] working cube (others' tariffs fixed) */
    double *gz;               /* [C] gradient scratch */
    tw_status fail;           /* first failure inside the objective */
    tw_err err;
    size_t evals;
    double best_f;
    double *best_y;           /* [nc] */
    nlopt_opt opt;
    const volatile int *stop; /* set asynchronously (Ctrl-C): stop with the best point */
};

static double br_objective(unsigned n, const double *y, double *grad, void *data)
{
    struct br_ctx *b = data;
    if (b->stop != NULL && *b->stop) {
        if (b->opt != NULL)
            nlopt_force_stop(b->opt);
        return b->best_f;
    }
    controls_to_cube(b->g, b->g->o.instrument, b->c, y, b->cube);
    tw_mc_state_set_tariffs(b->st, b->cube);
    tw_status st = tw_mc_solve(b->st, &b->err);
    if (st != TW_OK) {
        if (b->fail == TW_OK)
            b->fail = st < 0 ? st : TW_NOT_CONVERGED;
        nlopt_force_stop(b->opt);
        return -HUGE_VAL;
    }
    b->evals++;
    double f = tw_mc_log_objective(b->st, b->c, b->obj);
    if (grad != NULL) {
        if ((st = tw_mc_gradient(b->st, b->c, b->obj, b->gz, &b->err)) != TW_OK) {
            if (b->fail == TW_OK)
                b->fail = st;
            nlopt_force_stop(b->opt);
            return -HUGE_VAL;
        }
        grad_to_controls(b->g, b->g->o.instrument, b->c, b->cube, b->gz, grad);
    }
    if (f > b->best_f) {
        b->best_f = f;
        memcpy(b->best_y, y, n * sizeof *y);
    }
    return f;
}

/* Inverse-markup starting guess (Ossa 2014, section III): 1 / (sigma_s - 1), 0.1 with
 * lobbying; clamped to the bounds. */
static void guess_markup(const tw_game *g, size_t c, double *y)
{
    const struct tw_mc *m = g->m;
    size_t N = m->N, S = m->S, nc = n_controls(g, c, g->o.instrument), k = 0;
    for (size_t s = 0; s < S; s++) {
        double v = g->o.lobbying ? 0.1 : 1.0 / (m->sigma[s] - 1.0);
        v = fmin(fmax(v, g->o.lower), g->o.upper);
        if (g->o.instrument == TW_GAME_BILATERAL)
            for (size_t i = 0; i < N; i++) {
                if (is_target(g, c, i))
                    y[k++] = v;
            }
        else if (g->o.instrument == TW_GAME_MFN)
            y[s] = v;
        else if (s == 0)
            y[0] = v;
    }
    (void)nc;
}

/*
 * Player c's best response to the cube t_in (its own cells are the starting point). Writes the
 * best response into t_out (others' cells copied from t_in). *evals counts equilibrium solves;
 * *multi is set when different starts reach different optima.
 */
static tw_status best_response(const tw_game *g, size_t c, tw_mc_objective obj,
                               const double *t_in, double *t_out, struct tw_mc_state *st,
                               const volatile int *stop, size_t *evals, bool *multi,
                               bool *converged, tw_err *err)
{
    const struct tw_mc *m = g->m;
    size_t C = m->S * m->N * m->N, nc = n_controls(g, c, g->o.instrument);
    double *buf = tw_malloc((2 * C + 4 * nc) * sizeof(double));
    if (buf == NULL)
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    struct br_ctx b = {.g = g, .c = c, .obj = obj, .st = st, .cube = buf, .gz = buf + C,
                       .fail = TW_OK, .best_f = -HUGE_VAL, .best_y = buf + 2 * C,
                       .stop = stop};
    double *y = buf + 2 * C + nc, *lb = y + nc, *ub = lb + nc;
    double best_overall = -HUGE_VAL, *best_overall_y = tw_malloc(nc * sizeof(double));
    if (best_overall_y == NULL) {
        tw_free(buf);
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    }
    memcpy(b.cube, t_in, C * sizeof(double));
    for (size_t k = 0; k < nc; k++) {
        lb[k] = g->o.lower;
        ub[k] = g->o.upper;
    }
    tw_status rc = TW_OK;
    *converged = true;
    for (int start = 0; start < g->o.starts && rc == TW_OK; start++) {
        if (start == 0)
            cube_to_controls(g, g->o.instrument, c, t_in, y);
        else if (start == 1)
            guess_markup(g, c, y);
        else /* further starts: a scaled inverse-markup guess */
            for (size_t k = 0; k < nc; k++)
                y[k] = fmin(fmax(0.5 * (double)start * (g->o.lower + 0.3), g->o.lower),
                            g->o.upper);
        for (size_t k = 0; k < nc; k++)
            y[k] = fmin(fmax(y[k], g->o.lower), g->o.upper);
        b.best_f = -HUGE_VAL;
        nlopt_result nr = NLOPT_FAILURE;
        /* L-BFGS with bounds; when it gives up (NLOPT_FAILURE, seen on one-variable problems),
         * SLSQP from the best point so far */
        for (int alg = 0; alg < 2 && nr == NLOPT_FAILURE; alg++) {
            b.opt = nlopt_create(alg == 0 ? NLOPT_LD_LBFGS : NLOPT_LD_SLSQP, (unsigned)nc);
            if (b.opt == NULL) {
                rc = tw_err_set(err, TW_ENOMEM, "game: NLopt could not create an optimiser");
                break;
            }
            nlopt_set_lower_bounds(b.opt, lb);
            nlopt_set_upper_bounds(b.opt, ub);
            nlopt_set_max_objective(b.opt, br_objective, &b);
            nlopt_set_ftol_abs(b.opt, g->o.opt_tol * 1e-2);
            nlopt_set_xtol_rel(b.opt, g->o.opt_tol);
            nlopt_set_maxeval(b.opt, (int)g->o.max_eval);
            if (alg == 1 && b.best_f > -HUGE_VAL)
                memcpy(y, b.best_y, nc * sizeof *y);
            double f = 0.0;
            nr = nlopt_optimize(b.opt, y, &f);
            nlopt_destroy(b.opt);
            b.opt = NULL;
            if (b.fail != TW_OK)
                break;
        }
        if (rc != TW_OK)
            break;
        if (b.fail != TW_OK) {
            rc = tw_err_set(err, b.fail, "game: best response of country %zu: %s", c, b.err.msg);
            break;
        }
        if (nr < 0 && nr != NLOPT_ROUNDOFF_LIMITED && nr != NLOPT_FORCED_STOP) {
            rc = tw_err_set(err, TW_ENUMERIC, "game: NLopt failed for country %zu (code %d)", c,
                            (int)nr);
            break;
        }
        if (nr == NLOPT_MAXEVAL_REACHED || nr == NLOPT_FORCED_STOP)
            *converged = false;
        if (start > 0 && fabs(b.best_f - best_overall) > 1e-7)
            *multi = true;
        if (b.best_f > best_overall) {
            best_overall = b.best_f;
            memcpy(best_overall_y, b.best_y, nc * sizeof(double));
        }
        if (stop != NULL && *stop)
            break;
    }
    if (rc == TW_OK) {
        memcpy(t_out, t_in, C * sizeof(double));
        controls_to_cube(g, g->o.instrument, c, best_overall_y, t_out);
    }
    *evals += b.evals;
    tw_free(best_overall_y);
    tw_free(buf);
    return rc;
}

/* Count tariffs of player c at the bounds. */
static void count_bounds(const tw_game *g, tw_game_result *r, size_t c)
{
    size_t N = g->m->N, S = g->m->S;
    double span = g->o.upper - g->o.lower;
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++) {
            if (!is_target(g, c, i))
                continue;
            double v = r->tariff[(s * N + c) * N + i];
            if (v >= g->o.upper - 1e-6 * span)
                r->at_upper[c]++;
            else if (v <= g->o.lower + 1e-6 * span)
                r->at_lower[c]++;
        }
}

/* Solve the equilibrium at cube t into a result. */
static tw_status finish_at(const tw_game *g, tw_game_result *r, const double *t, tw_err *err)
{
    struct tw_mc_state *st = NULL;
    tw_status rc = tw_mc_state_new(g->m, &st, err);
    if (rc != TW_OK)
        return rc;
    tw_mc_state_set_tariffs(st, t);
    if ((rc = tw_mc_solve(st, err)) == TW_OK)
        result_fill(g, r, st);
    tw_mc_state_free(st);
    return rc;
}

static tw_mc_objective objective_of(const tw_game *g)
{
    return g->o.objective == TW_GAME_OBJ_WELFARE ? TW_MC_WELFARE : TW_MC_GOV;
}

tw_status tw_game_optimal(tw_game *g, size_t c, tw_game_result **out, tw_err *err)
{
    *out = NULL;
    if (c >= g->m->N)
        return tw_err_set(err, TW_EINVAL, "game: country index %zu out of range", c);
    /* Country c's best response to the factual tariffs, on every partner the game lets it
     * target. */
    return tw_game_best_response(g, c, g->m->t0, NULL, out, err);
}

/* ---- Nash equilibrium --------------------------------------------------------------------- */

/* Lashkaripour (2021), section 3: country c's optimal uniform tariff at a solved state,
 * 1 / sum_{k != c} sum_s chi_cks epsilon_s (1 - lambda_cks), with chi the shares of c's foreign
 * sales (before tariffs) and lambda = c's share of k's spending on s (tariffs included). */
static double formula_tariff(const struct tw_mc_state *st, size_t c, bool cap)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    double tot = 0.0, den = 0.0;
    for (size_t s = 0; s < S; s++)
        for (size_t k = 0; k < N; k++)
            if (k != c)
                tot += st->Xp[(s * N + k) * N + c];
    for (size_t s = 0; s < S; s++)
        for (size_t k = 0; k < N; k++)
            if (k != c) {
                size_t o = (s * N + k) * N + c;
                den += st->Xp[o] / tot * (m->sigma[s] - 1.0) * (1.0 - st->gp[o]);
            }
    if (cap && den < 1.0)
        den = 1.0;
    return 1.0 / den;
}

struct formula_ctx {
    const tw_game *g;
    const size_t *players;
    size_t n_players;
    double *cube;
    struct tw_mc_state *st;
    size_t evals;
};

static tw_status formula_map(void *ctx, const double *x, double *gx, tw_err *err)
{
    struct formula_ctx *f = ctx;
    for (size_t p = 0; p < f->n_players; p++) {
        double y = fmin(fmax(x[p], f->g->o.lower), f->g->o.upper);
        controls_to_cube(f->g, TW_GAME_UNIFORM, f->players[p], &y, f->cube);
    }
    tw_mc_state_set_tariffs(f->st, f->cube);
    tw_status st = tw_mc_solve(f->st, err);
    if (st != TW_OK)
        return st < 0 ? st : TW_ENUMERIC;
    f->evals++;
    for (size_t p = 0; p < f->n_players; p++)
        gx[p] = fmin(fmax(formula_tariff(f->st, f->players[p], f->g->o.formula_cap),
                          f->g->o.lower), f->g->o.upper);
    return TW_OK;
}

static tw_status nash_formula(const tw_game *g, const size_t *players, size_t np, double *cube,
                              tw_game_result *r, tw_err *err)
{
    struct formula_ctx f = {.g = g, .players = players, .n_players = np, .cube = cube};
    tw_status rc = tw_mc_state_new(g->m, &f.st, err);
    if (rc != TW_OK)
        return rc;
    double *x = tw_malloc(3 * np * sizeof(double));
    tw_anderson *acc = NULL;
    if (x == NULL || tw_anderson_new(np, np < 5 ? np : 5, &acc, err) != TW_OK) {
        tw_free(x);
        tw_mc_state_free(f.st);
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    }
    for (size_t p = 0; p < np; p++)
        x[p] = 0.25; /* tariffwar's starting tariff (gross 1.25) */
    tw_fp_opts fo = {.tol = g->o.tol * 1e-2, .max_iter = 200 * g->o.max_rounds,
                     .safeguard = 10.0};
    tw_fp_info info;
    rc = tw_fp_run(formula_map, NULL, &f, np, x, &fo, acc, x + np, &info, err);
    r->iterations = info.iterations;
    r->evaluations = f.evals;
    r->converged = rc == TW_OK;
    if (rc == TW_OK || rc == TW_NOT_CONVERGED) {
        for (size_t p = 0; p < np; p++)
            controls_to_cube(g, TW_GAME_UNIFORM, players[p], &x[p], cube);
        if (rc == TW_NOT_CONVERGED)
            tw_err_set(err, TW_NOT_CONVERGED, "game: the Nash tariffs did not converge in %zu "
                       "iterations (largest change %.3g)", info.iterations, info.residual);
        rc = TW_OK;
    }
    tw_anderson_free(acc);
    tw_free(x);
    tw_mc_state_free(f.st);
    return rc;
}

static bool use_formula(const tw_game *g)
{
    if (g->o.method == TW_GAME_METHOD_OPTIMIZE)
        return false;
    /* exact for real income; government welfare equals it when every weight is 1 */
    bool ok = g->o.instrument == TW_GAME_UNIFORM && !g->profits && !g->m->io &&
              g->tmask == NULL && !g->o.against_players;
    if (ok && g->o.objective == TW_GAME_OBJ_GOV)
        for (size_t k = 0; k < g->m->N * g->m->S; k++)
            if (g->m->lambda[k] != 1.0)
                ok = false;
    return ok;
}

tw_status tw_game_set_targets(tw_game *g, const bool *mask, tw_err *err)
{
    size_t N = g->m->N;
    if (mask == NULL) {
        tw_free(g->tmask);
        g->tmask = NULL;
        return TW_OK;
    }
    if (g->tmask == NULL && (g->tmask = tw_malloc(N * N * sizeof(bool))) == NULL)
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    memcpy(g->tmask, mask, N * N * sizeof(bool));
    return TW_OK;
}

tw_status tw_game_nash(tw_game *g, const size_t *players, size_t n_players,
                       tw_game_result **out, tw_err *err)
{
    return tw_game_nash_at(g, NULL, players, n_players, out, err);
}

tw_status tw_game_nash_at(tw_game *g, const double *start, const size_t *players,
                          size_t n_players, tw_game_result **out, tw_err *err)
{
    *out = NULL;
    const struct tw_mc *m = g->m;
    size_t N = m->N, C = m->S * N * N;
    if (n_players == 0)
        return tw_err_set(err, TW_EINVAL, "game: a war needs at least one player");
    for (size_t p = 0; p < n_players; p++)
        if (players[p] >= N)
            return tw_err_set(err, TW_EINVAL, "game: player index %zu out of range", players[p]);
    if (g->o.method == TW_GAME_METHOD_FORMULA && !use_formula(g))
        return tw_err_set(err, TW_EINVAL, "game: the sufficient-statistics formula needs uniform "
                          "tariffs, perfect competition and no lobbying weights");
    tw_game_result *r = NULL;
    tw_status rc = result_new(g, TW_GAME_NASH, &r, err);
    if (rc != TW_OK)
        return rc;
    for (size_t p = 0; p < n_players; p++)
        r->is_player[players[p]] = true;
    if (g->o.against_players) /* each player taxes only the other players */
        g->target = r->is_player;
    r->against_players = g->o.against_players;
    double *cur = tw_malloc(2 * C * sizeof(double)), *next = cur ? cur + C : NULL;
    if (cur == NULL) {
        tw_game_result_free(r);
        return tw_err_set(err, TW_ENOMEM, "game: out of memory");
    }
    memcpy(cur, start != NULL ? start : m->t0, C * sizeof(double));
    if (use_formula(g)) {
        r->method_formula = true;
        rc = nash_formula(g, players, n_players, cur, r, err);
    } else {
        struct tw_mc_state **sts = tw_calloc(n_players, sizeof *sts);
        double **outs = tw_calloc(n_players, sizeof *outs);
        tw_status *rcs = tw_calloc(n_players, sizeof *rcs);
        tw_err *errs = tw_calloc(n_players, sizeof *errs);
        size_t *evals = tw_calloc(n_players, sizeof *evals);
        bool *multi = tw_calloc(n_players, sizeof *multi), *conv = tw_calloc(n_players, 1);
        if (!sts || !outs || !rcs || !errs || !evals || !multi || !conv)
            rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
        for (size_t p = 0; p < n_players && rc == TW_OK; p++) {
            if ((rc = tw_mc_state_new(m, &sts[p], err)) != TW_OK)
                break;
            if ((outs[p] = tw_malloc(C * sizeof(double))) == NULL)
                rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
        }
        r->converged = false;
        for (size_t round = 0; rc == TW_OK && round < g->o.max_rounds; round++) {
            int np = (int)n_players;
#pragma omp parallel for schedule(static, 1) if (g->o.threads != 1) \
    num_threads(g->o.threads > 0 ? g->o.threads : 2)
            for (int p = 0; p < np; p++) {
                errs[p].code = TW_OK;
                rcs[p] = best_response(g, players[p], objective_of(g), cur, outs[p], sts[p],
                                       g->o.stop, &evals[p], &multi[p], &conv[p], &errs[p]);
            }
            memcpy(next, cur, C * sizeof(double));
            for (size_t p = 0; p < n_players && rc == TW_OK; p++) {
                if (rcs[p] != TW_OK) {
                    rc = rcs[p];
                    *err = errs[p];
                    break;
                }
                size_t c = players[p];
                for (size_t s = 0; s < m->S; s++)
                    memcpy(next + (s * N + c) * N, outs[p] + (s * N + c) * N, N * sizeof(double));
            }
            if (rc != TW_OK)
                break;
            double delta = 0.0;
            for (size_t k = 0; k < C; k++)
                delta = fmax(delta, fabs(next[k] - cur[k]));
            memcpy(cur, next, C * sizeof(double));
            r->iterations = round + 1;
            r->last_change = delta;
            if (g->o.progress != NULL &&
                g->o.progress(g->o.progress_ctx, "best-response round", round + 1, delta) != 0) {
                r->interrupted = true;
                break;
            }
            if (g->o.stop != NULL && *g->o.stop) {
                r->interrupted = true;
                break;
            }
            if (delta < g->o.tol) {
                r->converged = true;
                break;
            }
        }
        for (size_t p = 0; p < n_players; p++) {
            r->evaluations += evals ? evals[p] : 0;
            if (multi && multi[p])
                r->multiple_hint = true;
        }
        for (size_t p = 0; sts && p < n_players; p++) {
            tw_mc_state_free(sts[p]);
            tw_free(outs[p]);
        }
        tw_free(sts);
        tw_free(outs);
        tw_free(rcs);
        tw_free(errs);
        tw_free(evals);
        tw_free(multi);
        tw_free(conv);
    }
    if (rc == TW_OK)
        rc = finish_at(g, r, cur, err);
    tw_free(cur);
    if (rc != TW_OK) {
        g->target = NULL;
        tw_game_result_free(r);
        return rc;
    }
    for (size_t p = 0; p < n_players; p++)
        count_bounds(g, r, players[p]);
    g->target = NULL;
    *out = r;
    return r->converged ? TW_OK : TW_NOT_CONVERGED;
}

/* ---- cooperative tariffs -------------------------------------------------------------------- */

struct coop_ctx {
    const tw_game *g;
    struct tw_mc_state *st;
    double *cube;    /* [C] */
    double *gz;      /* [C] */
    size_t nc;       /* controls per country */
    tw_mc_objective obj;
    tw_status fail;
    tw_err err;
    size_t evals;
    bool bargaining; /* Nash bargaining instead of equal gains */
    nlopt_opt opt;
    const volatile int *stop;
    double *last_y;  /* [n] y of the last solved state */
    bool have_last;
    double *logobj;  /* [N] at last_y */
    double *grads;   /* [N * n] at last_y */
};

/* Solve at y (all countries' controls, then g) and cache objectives and their gradients. */
static bool coop_eval(struct coop_ctx *c, const double *y, unsigned n)
{
    const struct tw_mc *m = c->g->m;
    size_t N = m->N;
    if (c->have_last && memcmp(c->last_y, y, n * sizeof *y) == 0)
        return true;
    for (size_t p = 0; p < N; p++)
        controls_to_cube(c->g, c->g->o.instrument, p, y + p * c->nc, c->cube);
    tw_mc_state_set_tariffs(c->st, c->cube);
    tw_status st = tw_mc_solve(c->st, &c->err);
    if (st != TW_OK) {
        if (c->fail == TW_OK)
            c->fail = st < 0 ? st : TW_NOT_CONVERGED;
        if (c->opt != NULL)
            nlopt_force_stop(c->opt);
        return false;
    }
    c->evals++;
    for (size_t p = 0; p < N; p++) {
        c->logobj[p] = tw_mc_log_objective(c->st, p, c->obj);
        double *gr = c->grads + p * n;
        memset(gr, 0, n * sizeof *gr);
        if ((st = tw_mc_gradient(c->st, p, c->obj, c->gz, &c->err)) != TW_OK) {
            if (c->fail == TW_OK)
                c->fail = st;
            if (c->opt != NULL)
                nlopt_force_stop(c->opt);
            return false;
        }
        for (size_t q = 0; q < N; q++)
            grad_to_controls(c->g, c->g->o.instrument, q, c->cube, c->gz, gr + q * c->nc);
    }
    memcpy(c->last_y, y, n * sizeof *y);
    c->have_last = true;
    return true;
}

/* Equal gains: maximise the last variable (the common log gain). */
static double coop_objective(unsigned n, const double *y, double *grad, void *data)
{
    struct coop_ctx *c = data;
    if (c->stop != NULL && *c->stop)
        nlopt_force_stop(c->opt);
    if (!c->bargaining) {
        if (grad != NULL) {
            memset(grad, 0, n * sizeof *grad);
            grad[n - 1] = 1.0;
        }
        return y[n - 1];
    }
    /* Nash bargaining over gains relative to the threat point (the re-based baseline):
     * sum_p ln(G^_p - 1), with G^_p = exp(logobj) */
    size_t N = c->g->m->N;
    if (!coop_eval(c, y, n))
        return -HUGE_VAL;
    double f = 0.0;
    if (grad != NULL)
        memset(grad, 0, n * sizeof *grad);
    for (size_t p = 0; p < N; p++) {
        double G = exp(c->logobj[p]), gain = G - 1.0;
        if (!(gain > 0.0))
            return -1e6 * (1.0 - gain); /* outside the bargaining set */
        f += log(gain);
        if (grad != NULL)
            for (unsigned k = 0; k + 1 < n; k++)
                grad[k] += G / gain * c->grads[p * n + k];
    }
    return f;
}

/* Constraints g - ln G_p <= 0 (equal gains) or -ln G_p <= -tiny (bargaining). */
static void coop_constraints(unsigned mcon, double *result, unsigned n, const double *y,
                             double *grad, void *data)
{
    struct coop_ctx *c = data;
    if (!coop_eval(c, y, n)) {
        for (unsigned p = 0; p < mcon; p++)
            result[p] = HUGE_VAL;
        return;
    }
    for (unsigned p = 0; p < mcon; p++) {
        result[p] = (c->bargaining ? 1e-9 : y[n - 1]) - c->logobj[p];
        if (grad != NULL) {
            double *gr = grad + (size_t)p * n;
            for (unsigned k = 0; k + 1 < n; k++)
                gr[k] = -c->grads[(size_t)p * n + k];
            gr[n - 1] = c->bargaining ? 0.0 : 1.0;
        }
    }
}

tw_status tw_game_talks(tw_game *g, tw_game_from from, tw_game_talks_kind kind,
                        tw_game_result **out, tw_err *err)
{
    *out = NULL;
    struct tw_mc *m = g->m;
    size_t N = m->N, S = m->S, C = S * N * N;
    tw_status rc = TW_OK;
    /* The reference point: the factual baseline, the Nash war, or free trade. The model is
     * re-based there for the optimisation and restored afterwards. */
    double *t_start = tw_malloc(C * sizeof(double)), *X_save = tw_malloc(C * sizeof(double)),
           *t_save = tw_malloc(C * sizeof(double));
    double *ref_w = tw_calloc(N, sizeof(double)), *ref_g = tw_calloc(N, sizeof(double));
    tw_game_result *nash = NULL, *r = NULL;
    struct tw_mc_state *st = NULL;
    if (!t_start || !X_save || !t_save || !ref_w || !ref_g) {
        rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
        goto done;
    }
    memcpy(X_save, m->X, C * sizeof(double));
    memcpy(t_save, m->t0, C * sizeof(double));
    if (from == TW_GAME_FROM_NASH) {
        size_t *all = tw_malloc(N * sizeof *all);
        if (all == NULL) {
            rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
            goto done;
        }
        for (size_t p = 0; p < N; p++)
            all[p] = p;
        rc = tw_game_nash(g, all, N, &nash, err);
        tw_free(all);
        if (rc != TW_OK && rc != TW_NOT_CONVERGED)
            goto done;
        rc = TW_OK;
        memcpy(t_start, nash->tariff, C * sizeof(double));
        for (size_t p = 0; p < N; p++) {
            ref_w[p] = nash->welfare_pct[p];
            ref_g[p] = nash->gov_pct[p];
        }
    } else if (from == TW_GAME_FROM_FREE) {
        memset(t_start, 0, C * sizeof(double));
    } else
        memcpy(t_start, m->t0, C * sizeof(double));
    if ((rc = tw_mc_state_new(m, &st, err)) != TW_OK)
        goto done;
    tw_mc_state_set_tariffs(st, t_start);
    if ((rc = tw_mc_solve(st, err)) != TW_OK)
        goto done;
    if (from == TW_GAME_FROM_FREE)
        for (size_t p = 0; p < N; p++) {
            ref_w[p] = 100.0 * expm1(tw_mc_log_objective(st, p, TW_MC_WELFARE));
            ref_g[p] = 100.0 * expm1(tw_mc_log_objective(st, p, TW_MC_GOV));
        }
    tw_mc_rebase(m, st); /* gains are now measured from the starting point */
    {
        size_t nc = n_controls(g, 0, g->o.instrument);
        unsigned n = (unsigned)(N * nc + 1);
        struct coop_ctx c = {.g = g, .st = st, .nc = nc, .obj = objective_of(g),
                             .fail = TW_OK, .bargaining = false, .stop = g->o.stop};
        double *buf = tw_malloc((2 * C + 4 * (size_t)n + N + N * (size_t)n) * sizeof(double));
        if (buf == NULL) {
            rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
            goto done;
        }
        c.cube = buf;
        c.gz = buf + C;
        double *y = buf + 2 * C, *lb = y + n, *ub = lb + n;
        c.last_y = ub + n;
        c.logobj = c.last_y + n;
        c.grads = c.logobj + N;
        memcpy(c.cube, m->t0, C * sizeof(double));
        for (size_t p = 0; p < N; p++)
            cube_to_controls(g, g->o.instrument, p, m->t0, y + p * nc);
        for (unsigned k = 0; k + 1 < n; k++) {
            lb[k] = g->o.lower;
            ub[k] = g->o.upper;
        }
        lb[n - 1] = -1.0;
        ub[n - 1] = 1.0;
        y[n - 1] = 0.0;
        double *ctol = tw_malloc(N * sizeof(double));
        if (ctol == NULL) {
            tw_free(buf);
            rc = tw_err_set(err, TW_ENOMEM, "game: out of memory");
            goto done;
        }
        for (size_t p = 0; p < N; p++)
            ctol[p] = 1e-10;
        int passes = kind == TW_GAME_BARGAINING ? 2 : 1;
        bool conv = true;
        for (int pass = 0; pass < passes && rc == TW_OK; pass++) {
            c.bargaining = pass == 1;
            c.have_last = false;
            /* MMA, the method of moving asymptotes (Svanberg 1987): few constraints, many
             * variables; SLSQP's dense quasi-Newton is O(n^3) per step at 1386 tariffs */
            c.opt = nlopt_create(NLOPT_LD_MMA, n);
            if (c.opt == NULL) {
                rc = tw_err_set(err, TW_ENOMEM, "game: NLopt could not create an optimiser");
                break;
            }
            nlopt_set_lower_bounds(c.opt, lb);
            nlopt_set_upper_bounds(c.opt, ub);
            nlopt_set_max_objective(c.opt, coop_objective, &c);
            nlopt_add_inequality_mconstraint(c.opt, (unsigned)N, coop_constraints, &c, ctol);
            nlopt_set_ftol_abs(c.opt, g->o.opt_tol * 1e-2);
            nlopt_set_xtol_rel(c.opt, g->o.opt_tol);
            nlopt_set_maxeval(c.opt, (int)g->o.max_eval);
            double f = 0.0;
            nlopt_result nr = nlopt_optimize(c.opt, y, &f);
            nlopt_destroy(c.opt);
            c.opt = NULL;
            if (c.fail != TW_OK) {
                rc = tw_err_set(err, c.fail, "game: talks: %s", c.err.msg);
                break;
            }
            if (nr < 0 && nr != NLOPT_ROUNDOFF_LIMITED && nr != NLOPT_FORCED_STOP) {
                rc = tw_err_set(err, TW_ENUMERIC, "game: talks: NLopt failed (code %d)", (int)nr);
                break;
            }
            if (nr == NLOPT_MAXEVAL_REACHED || nr == NLOPT_FORCED_STOP)
                conv = false;
        }
        size_t evals = c.evals;
        tw_free(ctol);
        /* equal gains: the optimiser's constraints must hold; a spread of the gains larger than
         * TW_GAME_TALKS_SPREAD (log points) is reported as not converged */
        if (rc == TW_OK && kind == TW_GAME_EQUAL_GAINS && coop_eval(&c, y, n)) {
            double lo = HUGE_VAL, hi = -HUGE_VAL;
            for (size_t p = 0; p < N; p++) {
                lo = fmin(lo, c.logobj[p]);
                hi = fmax(hi, c.logobj[p]);
            }
            if (hi - lo > TW_GAME_TALKS_SPREAD) {
                conv = false;
                tw_err_set(err, TW_NOT_CONVERGED, "game: talks: the gains differ by %.2g log "
                           "points across governments (tolerance %.0e); the common gain is at "
                           "least %.4g %%", hi - lo, TW_GAME_TALKS_SPREAD, 100.0 * expm1(lo));
            }
        }
        if (rc == TW_OK) {
            for (size_t p = 0; p < N; p++)
                controls_to_cube(g, g->o.instrument, p, y + p * nc, c.cube);
            memcpy(t_start, c.cube, C * sizeof(double));
        }
        tw_free(buf);
        if (rc != TW_OK)
            goto done;
        /* the result: gains relative to the starting point (re-based model) */
        if ((rc = result_new(g, TW_GAME_TALKS, &r, err)) != TW_OK)
            goto done;
        if ((rc = finish_at(g, r, t_start, err)) != TW_OK)
            goto done;
        r->converged = conv;
        r->evaluations = evals;
        r->iterations = 1;
        r->from = from;
        r->talks_kind = kind;
        r->interrupted = g->o.stop != NULL && *g->o.stop;
        for (size_t p = 0; p < N; p++) {
            r->is_player[p] = true;
            r->ref_welfare_pct[p] = ref_w[p];
            r->ref_gov_pct[p] = ref_g[p];
            count_bounds(g, r, p);
        }
    }
done:
    /* restore the game's baseline */
    if (X_save && t_save) {
        memcpy(m->X, X_save, C * sizeof(double));
        memcpy(m->t0, t_save, C * sizeof(double));
        tw_err e2;
        if (st != NULL) {
            struct tw_mc_state *tmp = st;
            memcpy(tmp->Xp, X_save, C * sizeof(double));
            memcpy(tmp->t, t_save, C * sizeof(double));
            tw_mc_rebase(m, tmp);
        }
        (void)e2;
    }
    tw_mc_state_free(st);
    tw_game_result_free(nash);
    tw_free(t_start);
    tw_free(X_save);
    tw_free(t_save);
    tw_free(ref_w);
    tw_free(ref_g);
    if (rc != TW_OK) {
        tw_game_result_free(r);
        return rc;
    }
    *out = r;
    return r->converged ? TW_OK : TW_NOT_CONVERGED;
}

/* Evaluate welfare at an arbitrary tariff cube (used by deals and what-ifs). */
tw_status tw_game_evaluate(tw_game *g, const double *tariff, tw_game_result **out, tw_err *err)
{
    *out = NULL;
    tw_game_result *r = NULL;
    tw_status rc = result_new(g, TW_GAME_EVALUATE, &r, err);
    if (rc != TW_OK)
        return rc;
    if ((rc = finish_at(g, r, tariff, err)) != TW_OK) {
        tw_game_result_free(r);
        return rc;
    }
    r->converged = true;
    *out = r;
    return TW_OK;
}

/* ---- accessors ------------------------------------------------------------------------------ */

tw_game_kind tw_game_result_kind(const tw_game_result *r) { return r->kind; }
bool tw_game_result_converged(const tw_game_result *r) { return r->converged; }
bool tw_game_result_interrupted(const tw_game_result *r) { return r->interrupted; }
bool tw_game_result_multiple_hint(const tw_game_result *r) { return r->multiple_hint; }
size_t tw_game_result_iterations(const tw_game_result *r) { return r->iterations; }
size_t tw_game_result_evaluations(const tw_game_result *r) { return r->evaluations; }
bool tw_game_result_is_player(const tw_game_result *r, size_t c) { return r->is_player[c]; }
double tw_game_result_tariff(const tw_game_result *r, size_t importer, size_t exporter, size_t s)
{
    return r->tariff[(s * r->N + importer) * r->N + exporter];
}
double tw_game_result_welfare_pct(const tw_game_result *r, size_t c) { return r->welfare_pct[c]; }
double tw_game_result_gov_welfare_pct(const tw_game_result *r, size_t c) { return r->gov_pct[c]; }
size_t tw_game_result_at_upper(const tw_game_result *r, size_t c) { return r->at_upper[c]; }

/* ---- best response against any cube (deals, docs/enforcement.md) ------------------------- */

tw_status tw_game_best_response(tw_game *g, size_t c, const double *tariff, const bool *targets,
                                tw_game_result **out, tw_err *err)
{
    *out = NULL;
    if (c >= g->m->N || tariff == NULL)
        return tw_err_set(err, TW_EINVAL, "game: best response needs a country in range and a "
                          "tariff cube");
    size_t N = g->m->N, C = g->m->S * N * N;
    bool *tg = NULL;
    if (targets != NULL) {
        if ((tg = tw_calloc(N, sizeof *tg)) == NULL)
            return tw_err_set(err, TW_ENOMEM, "game: out of memory");
        memcpy(tg, targets, N * sizeof *tg);
    }
    tw_game_result *r = NULL;
    struct tw_mc_state *st = NULL;
    double *t = tw_malloc(C * sizeof(double));
    tw_status rc = t == NULL ? tw_err_set(err, TW_ENOMEM, "game: out of memory")
                             : result_new(g, TW_GAME_OPTIMAL, &r, err);
    if (rc == TW_OK)
        rc = tw_mc_state_new(g->m, &st, err);
    bool multi = false, conv = true;
    if (rc == TW_OK) {
        g->target = tg;
        rc = best_response(g, c, objective_of(g), tariff, t, st, g->o.stop, &r->evaluations,
                           &multi, &conv, err);
        if (rc == TW_OK)
            count_bounds(g, r, c);
        g->target = NULL;
    }
    tw_mc_state_free(st);
    if (rc == TW_OK)
        rc = finish_at(g, r, t, err);
    tw_free(t);
    tw_free(tg);
    if (rc != TW_OK) {
        tw_game_result_free(r);
        return rc;
    }
    r->is_player[c] = true;
    r->iterations = 1;
    r->multiple_hint = multi;
    r->converged = conv;
    r->interrupted = g->o.stop != NULL && *g->o.stop;
    *out = r;
    return conv ? TW_OK : TW_NOT_CONVERGED;
}
