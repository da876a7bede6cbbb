/* SPDX-License-Identifier: MIT */
/*
 * src/policy/deal.c: what a deal is worth and whether it can hold (docs/enforcement.md).
 *
 * Per-period payoffs are real-income changes (%) of the game's balanced baseline
 * (tw_game_evaluate): P at the threat tariffs (the war before the deal, also the snap-back
 * level), C at the deal's tariffs, D when one side plays its best response against the deal
 * (tw_game_best_response, tariffs on the partner only) for one period. The repeated game:
 * comply forever gives C / (1 - delta); deviate once then be punished forever gives
 * D + delta P / (1 - delta); complying is optimal iff delta >= delta* = (D - C) / (D - P).
 * With a punishment of T periods the condition is D - C <= sum_{t=1..T} delta^t (C - P).
 * Value of the deal: C - P per year, in USD with the baseline income, its present value at
 * rate r (payments at the start of every year, (1 + r) / r), the cost of a month of delay
 * (a twelfth of the yearly flow), and each side's share of the joint USD gain against the
 * equal split that the Nash bargaining solution gives with transferable utility and the war
 * as threat point.
 *
 * Invariants: the analysis owns its arrays; the world is borrowed.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "policy/deal.h"

/* Managed trade: the largest iceberg factor on third countries' sales of committed sectors
 * (100: their delivered cost x100, which prices them out); a target not reached there is
 * infeasible. */
#define TW_DEAL_WEDGE_MAX 100.0
/* Purchases match the target when |ln(purchases / target)| is below this. */
#define TW_DEAL_WEDGE_TOL 1e-8
/* Iterations of one category's 1-D root find, and Gauss-Seidel rounds over categories. */
#define TW_DEAL_WEDGE_ITER 80
#define TW_DEAL_WEDGE_ROUNDS 30

/* Payoff differences smaller than this (percentage points of income) count as zero: the
 * equilibrium solver's accuracy is far finer, so this only guards 0/0. */
#define TW_DEAL_PAYOFF_EPS 1e-12

double tw_enforce_critical_delta(double C, double D, double P)
{
    if (!(isfinite(C) && isfinite(D) && isfinite(P)))
        return (double)NAN;
    if (D - C <= TW_DEAL_PAYOFF_EPS)
        return 0.0;
    if (C - P <= TW_DEAL_PAYOFF_EPS)
        return (double)INFINITY;
    return (D - C) / (D - P);
}

size_t tw_enforce_min_punishment(double C, double D, double P, double delta, size_t max_T)
{
    if (!(isfinite(C) && isfinite(D) && isfinite(P)) || !(delta > 0.0 && delta < 1.0))
        return SIZE_MAX;
    if (D - C <= TW_DEAL_PAYOFF_EPS)
        return 0;
    if (C - P <= TW_DEAL_PAYOFF_EPS)
        return SIZE_MAX;
    double loss = 0.0, dt = 1.0;
    for (size_t T = 1; T <= max_T; T++) {
        dt *= delta;
        loss += dt * (C - P);
        if (loss >= D - C)
            return T;
    }
    return SIZE_MAX;
}

void tw_deal_opts_init(tw_deal_opts *o)
{
    memset(o, 0, sizeof *o);
    o->discount_rate = 0.05;
    o->max_punishment = 100;
    o->fulfilment_pct = (double)NAN;
}

void tw_deal_analysis_free(tw_deal_analysis *a)
{
    if (a == NULL)
        return;
    for (size_t k = 0; a->category != NULL && k < a->n_commit; k++)
        tw_free(a->category[k]);
    tw_free(a->category);
    tw_free(a->wedge);
    tw_free(a->wedge_welfare_pct);
    tw_free(a->wedge_welfare_usd_bn);
    tw_free(a->displaced_usd_bn);
    tw_free(a->name);
    tw_free(a->threat_all);
    tw_free(a->coop_all);
    tw_free(a);
}

static tw_status check_codes(const tw_world *w, const tw_deal *d, size_t party[2], tw_err *err)
{
    for (size_t p = 0; p < 2; p++)
        if (!tw_world_find_country(w, d->party[p], &party[p]))
            return tw_err_set(err, TW_EINVAL, "%s: party \"%s\" is not a region of the world",
                              d->file, d->party[p]);
    for (size_t k = 0; k < d->n_commit; k++) {
        const struct tw_deal_commitment *m = &d->commit[k];
        size_t idx;
        if (!tw_world_find_country(w, m->importer, &idx) ||
            !tw_world_find_country(w, m->exporter, &idx))
            return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: commitment \"%s\": importer \"%s\" "
                              "or exporter \"%s\" is not a region of the world", d->file,
                              m->pos.line, m->pos.col, m->category, m->importer, m->exporter);
        for (size_t q = 0; q < m->n_sector; q++)
            if (!tw_world_find_sector(w, m->sector[q], &idx))
                return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: commitment \"%s\": sector "
                                  "\"%s\" is not a sector of the world", d->file, m->pos.line,
                                  m->pos.col, m->category, m->sector[q]);
    }
    return TW_OK;
}

/* Welfare of every country at cube t. */
static tw_status eval(tw_game *g, const double *t, double *wel, size_t N, tw_err *err)
{
    tw_game_result *r = NULL;
    tw_status st = tw_game_evaluate(g, t, &r, err);
    if (st != TW_OK)
        return st;
    for (size_t c = 0; c < N; c++)
        wel[c] = tw_game_result_welfare_pct(r, c);
    tw_game_result_free(r);
    return TW_OK;
}


/* ---- purchase commitments in equilibrium (managed trade) ---------------------------------- */

struct wctx {
    const tw_world *w;
    const tw_deal *d;
    const double *cube;       /* deal tariffs */
    size_t *imp, *exp;        /* [K] resolved importer, exporter */
    double *x;                /* [K] wedges (1 = none) */
    bool *active;             /* [K] committed this year with a positive baseline */
    size_t solves;
};

/* Solve the CP equilibrium at the deal tariffs with the current wedges. */
static tw_status wsim(struct wctx *c, tw_result **out, tw_err *err)
{
    const tw_world *w = c->w;
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    tw_shock *sh = NULL;
    tw_status st = tw_shock_new(w, &sh, err);
    for (size_t s = 0; s < S && st == TW_OK; s++)
        for (size_t j = 0; j < N && st == TW_OK; j++)
            for (size_t i = 0; i < N && st == TW_OK; i++)
                if (i != j)
                    st = tw_shock_set_tariff(sh, j, i, s, c->cube[(s * N + j) * N + i], err);
    for (size_t k = 0; k < c->d->n_commit && st == TW_OK; k++) {
        if (!c->active[k] || c->x[k] == 1.0)
            continue;
        const struct tw_deal_commitment *m = &c->d->commit[k];
        for (size_t q = 0; q < m->n_sector && st == TW_OK; q++) {
            size_t s;
            tw_world_find_sector(w, m->sector[q], &s);
            for (size_t i = 0; i < N && st == TW_OK; i++)
                if (i != c->imp[k] && i != c->exp[k])
                    st = tw_shock_set_trade_cost(sh, c->imp[k], i, s, c->x[k], err);
        }
    }
    if (st == TW_OK) {
        st = tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, out, err);
        c->solves++;
    }
    tw_shock_free(sh);
    return st;
}

/* Purchases of commitment k (its sectors, exporter -> importer, before tariffs), USD bn:
 * counterfactual (cfl) and base year (base). */
static void purchases(const struct wctx *c, const tw_result *r, size_t k, double *base,
                      double *cfl)
{
    const struct tw_deal_commitment *m = &c->d->commit[k];
    *base = *cfl = 0.0;
    for (size_t q = 0; q < m->n_sector; q++) {
        size_t s;
        double b, f;
        tw_world_find_sector(c->w, m->sector[q], &s);
        tw_result_flow(r, c->exp[k], c->imp[k], s, &b, &f);
        *base += b / 1e9;
        *cfl += f / 1e9;
    }
}

/* ln(purchases / target) of commitment k at wedge x (others as they are). */
static tw_status wgap(struct wctx *c, size_t k, double x, double target, double *gap,
                      double *level, tw_err *err)
{
    double keep = c->x[k];
    c->x[k] = x;
    tw_result *r = NULL;
    tw_status st = wsim(c, &r, err);
    if (st == TW_OK) {
        double b, f;
        purchases(c, r, k, &b, &f);
        *level = f;
        *gap = log(f / target);
    }
    tw_result_free(r);
    c->x[k] = keep;
    return st;
}

/* The wedge of commitment k: root of ln(P / T) in ln x on [0, ln X], bracketed (Illinois
 * regula falsi: a secant step that keeps the bracket). */
static tw_status wsolve(struct wctx *c, size_t k, double target, struct tw_deal_wedge *wd,
                        tw_err *err)
{
    double lo = 0.0, hi = log(TW_DEAL_WEDGE_MAX), flo, fhi, lvl;
    tw_status st = wgap(c, k, 1.0, target, &flo, &lvl, err);
    if (st != TW_OK)
        return st;
    if (flo >= -TW_DEAL_WEDGE_TOL) { /* met without a wedge */
        c->x[k] = 1.0;
        return TW_OK;
    }
    if ((st = wgap(c, k, TW_DEAL_WEDGE_MAX, target, &fhi, &lvl, err)) != TW_OK)
        return st;
    if (fhi < 0.0) {
        wd->feasible = false;
        c->x[k] = TW_DEAL_WEDGE_MAX;
        return TW_OK;
    }
    int side = 0;
    double y = lo, fy = flo;
    for (int it = 0; it < TW_DEAL_WEDGE_ITER; it++) {
        y = (lo * fhi - hi * flo) / (fhi - flo);
        if (!(y > lo && y < hi))
            y = 0.5 * (lo + hi);
        if ((st = wgap(c, k, exp(y), target, &fy, &lvl, err)) != TW_OK)
            return st;
        if (fabs(fy) < TW_DEAL_WEDGE_TOL || hi - lo < 1e-14)
            break;
        if (fy < 0.0) {
            lo = y;
            flo = fy;
            if (side == -1)
                fhi *= 0.5;
            side = -1;
        } else {
            hi = y;
            fhi = fy;
            if (side == 1)
                flo *= 0.5;
            side = 1;
        }
    }
    c->x[k] = exp(y);
    return TW_OK;
}

/* Every year's wedges, their welfare effects and the displaced exports. */
static tw_status wedges(tw_deal_analysis *a, const tw_deal *d, const double *cube, tw_err *err)
{
    const tw_world *w = a->w;
    size_t K = d->n_commit, Y = tw_deal_n_years(d), N = tw_world_n_country(w);
    a->n_commit = K;
    a->n_year = Y;
    a->category = tw_calloc(K, sizeof(char *));
    a->wedge = tw_calloc(K * Y, sizeof *a->wedge);
    a->wedge_welfare_pct = tw_calloc(Y * N, sizeof(double));
    a->wedge_welfare_usd_bn = tw_calloc(Y * N, sizeof(double));
    a->displaced_usd_bn = tw_calloc(Y * N, sizeof(double));
    struct wctx c = {.w = w, .d = d, .cube = cube};
    c.imp = tw_calloc(K, sizeof(size_t));
    c.exp = tw_calloc(K, sizeof(size_t));
    c.x = tw_calloc(K, sizeof(double));
    c.active = tw_calloc(K, sizeof(bool));
    double *target = tw_calloc(K, sizeof(double));
    tw_status st = TW_OK;
    if (!a->category || !a->wedge || !a->wedge_welfare_pct || !a->wedge_welfare_usd_bn ||
        !a->displaced_usd_bn || !c.imp || !c.exp || !c.x || !c.active || !target)
        st = tw_err_set(err, TW_ENOMEM, "deal: out of memory");
    for (size_t k = 0; k < K && st == TW_OK; k++) {
        if ((a->category[k] = tw_strdup(d->commit[k].category)) == NULL)
            st = tw_err_set(err, TW_ENOMEM, "deal: out of memory");
        tw_world_find_country(w, d->commit[k].importer, &c.imp[k]);
        tw_world_find_country(w, d->commit[k].exporter, &c.exp[k]);
    }
    for (size_t y = 0; y < Y && st == TW_OK; y++) {
        int year = tw_deal_year(d, y);
        tw_result *r0 = NULL, *r1 = NULL;
        for (size_t k = 0; k < K; k++) {
            double com = tw_deal_committed_usd_bn(d, k, year);
            c.x[k] = 1.0;
            c.active[k] = !isnan(com) && d->commit[k].baseline_usd_bn > 0.0;
            struct tw_deal_wedge *wd = &a->wedge[k * Y + y];
            wd->year = c.active[k] ? year : 0;
            wd->wedge = 1.0;
            wd->feasible = true;
        }
        st = wsim(&c, &r0, err);
        for (size_t k = 0; k < K && st == TW_OK; k++) {
            if (!c.active[k])
                continue;
            struct tw_deal_wedge *wd = &a->wedge[k * Y + y];
            double b, f;
            purchases(&c, r0, k, &b, &f);
            target[k] = b * tw_deal_committed_usd_bn(d, k, year) / d->commit[k].baseline_usd_bn;
            wd->target_usd_bn = target[k];
            wd->without_usd_bn = f;
            wd->met_without = f >= target[k] * (1.0 - TW_DEAL_WEDGE_TOL);
        }
        /* Gauss-Seidel over the categories until none moves */
        for (size_t round = 0; round < TW_DEAL_WEDGE_ROUNDS && st == TW_OK; round++) {
            double moved = 0.0;
            for (size_t k = 0; k < K && st == TW_OK; k++) {
                if (!c.active[k] || !a->wedge[k * Y + y].feasible)
                    continue;
                double before = c.x[k];
                st = wsolve(&c, k, target[k], &a->wedge[k * Y + y], err);
                moved = fmax(moved, fabs(log(c.x[k] / before)));
            }
            if (moved < TW_DEAL_WEDGE_TOL)
                break;
        }
        if (st == TW_OK)
            st = wsim(&c, &r1, err);
        for (size_t k = 0; k < K && st == TW_OK; k++) {
            if (!c.active[k])
                continue;
            struct tw_deal_wedge *wd = &a->wedge[k * Y + y];
            double b, f;
            purchases(&c, r1, k, &b, &f);
            wd->with_usd_bn = f;
            wd->wedge = c.x[k];
        }
        for (size_t q = 0; q < N && st == TW_OK; q++) {
            a->wedge_welfare_pct[y * N + q] = tw_result_country(r1, TW_C_REAL_INCOME_PCT, q) -
                                              tw_result_country(r0, TW_C_REAL_INCOME_PCT, q);
            a->wedge_welfare_usd_bn[y * N + q] = (tw_result_country(r1, TW_C_WELFARE_USD, q) -
                                                  tw_result_country(r0, TW_C_WELFARE_USD, q)) /
                                                 1e9;
            double dsp = 0.0;
            for (size_t k = 0; k < K; k++) {
                if (!c.active[k] || q == c.imp[k])
                    continue;
                const struct tw_deal_commitment *m = &d->commit[k];
                for (size_t s2 = 0; s2 < m->n_sector; s2++) {
                    size_t s;
                    double b, f0, f1;
                    tw_world_find_sector(w, m->sector[s2], &s);
                    tw_result_flow(r0, q, c.imp[k], s, &b, &f0);
                    tw_result_flow(r1, q, c.imp[k], s, &b, &f1);
                    dsp += (f1 - f0) / 1e9;
                }
            }
            a->displaced_usd_bn[y * N + q] = dsp;
        }
        tw_result_free(r0);
        tw_result_free(r1);
    }
    a->evaluations += c.solves;
    tw_free(c.imp);
    tw_free(c.exp);
    tw_free(c.x);
    tw_free(c.active);
    tw_free(target);
    return st;
}

tw_status tw_deal_analyze(const tw_world *w, const tw_deal *d, const tw_scenario *threat,
                          const tw_scenario *tariffs, const tw_deal_opts *o,
                          tw_deal_analysis **out, tw_err *err)
{
    if (out == NULL || w == NULL || d == NULL || threat == NULL || tariffs == NULL)
        return tw_err_set(err, TW_EINVAL, "deal: world, deal, scenarios and out are required");
    *out = NULL;
    tw_deal_opts def;
    if (o == NULL) {
        tw_deal_opts_init(&def);
        o = &def;
    }
    if (!(o->discount_rate > 0.0 && isfinite(o->discount_rate)) || o->max_punishment == 0)
        return tw_err_set(err, TW_EINVAL, "deal: the discount rate must be > 0 and finite "
                          "(got %g) and the longest punishment >= 1", o->discount_rate);
    size_t party[2];
    tw_status st = check_codes(w, d, party, err);
    if (st != TW_OK)
        return st;
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), C = S * N * N;
    tw_deal_analysis *a = tw_calloc(1, sizeof *a);
    double *buf = tw_malloc((3 * C + 4 * N) * sizeof(double));
    bool *tg = tw_calloc(N, sizeof(bool));
    if (a == NULL || buf == NULL || tg == NULL || (a->name = tw_strdup(d->name)) == NULL ||
        (a->threat_all = tw_calloc(N, sizeof(double))) == NULL ||
        (a->coop_all = tw_calloc(N, sizeof(double))) == NULL) {
        tw_deal_analysis_free(a);
        tw_free(buf);
        tw_free(tg);
        return tw_err_set(err, TW_ENOMEM, "deal: out of memory");
    }
    double *t_threat = buf, *t_var[2] = {buf + C, buf + 2 * C}, *wel = buf + 3 * C;
    a->w = w;
    a->r = o->discount_rate;
    a->delta = 1.0 / (1.0 + o->discount_rate);
    a->max_T = o->max_punishment;
    a->fulfilment_pct = o->fulfilment_pct;
    a->snap_back_pct = d->snap_back_pct;
    a->remove_if_met = d->remove_if_met;
    a->converged = true;

    st = tw_scenario_tariffs_at(w, threat, d->threat_date, t_threat, err);
    if (st == TW_OK)
        st = tw_scenario_tariffs_at(w, tariffs, d->deal_date, t_var[TW_DEAL_AS_SIGNED], err);
    if (st == TW_OK) /* remaining tariffs removed: the world's own (pre-war) tariffs */
        for (size_t s = 0; s < S; s++)
            for (size_t j = 0; j < N; j++)
                for (size_t i = 0; i < N; i++)
                    t_var[TW_DEAL_FULL][(s * N + j) * N + i] =
                        i == j ? 0.0 : tw_world_tariff(w, j, i, s);
    tw_game *g = NULL;
    if (st == TW_OK) {
        tw_game_opts go;
        tw_game_opts_init(&go);
        go.objective = TW_GAME_OBJ_WELFARE;
        go.lobbying = false;
        go.threads = 1;
        st = tw_game_new(w, &go, &g, err);
    }
    if (st == TW_OK)
        st = eval(g, t_threat, a->threat_all, N, err);
    a->punish_nash = o->punish_nash;
    for (size_t p = 0; p < 2; p++)
        a->punish_pct[p] = a->threat_all ? a->threat_all[party[p]] : (double)NAN;
    if (st == TW_OK && o->punish_nash) {
        /* the Nash war of the two parties, each taxing only the other (docs/enforcement.md) */
        bool *mask = tw_calloc(N * N, sizeof(bool));
        tw_game_result *rn = NULL;
        if (mask == NULL)
            st = tw_err_set(err, TW_ENOMEM, "deal: out of memory");
        if (st == TW_OK) {
            mask[party[0] * N + party[1]] = true;
            mask[party[1] * N + party[0]] = true;
            st = tw_game_set_targets(g, mask, err);
        }
        size_t pl[2] = {party[0], party[1]};
        if (st == TW_OK)
            st = tw_game_nash_at(g, t_threat, pl, 2, &rn, err);
        if (st == TW_NOT_CONVERGED) {
            a->converged = false;
            st = TW_OK;
        }
        if (st == TW_OK) {
            a->evaluations += tw_game_result_evaluations(rn);
            for (size_t p = 0; p < 2; p++) {
                double sum = 0.0;
                a->punish_pct[p] = tw_game_result_welfare_pct(rn, party[p]);
                for (size_t s = 0; s < S; s++)
                    sum += tw_game_result_tariff(rn, party[p], party[1 - p], s);
                a->nash_tariff_pct[p] = 100.0 * sum / (double)S;
            }
            st = tw_game_set_targets(g, NULL, err);
        }
        tw_game_result_free(rn);
        tw_free(mask);
    }
    for (size_t v = 0; v < 2 && st == TW_OK; v++) {
        st = eval(g, t_var[v], wel, N, err);
        if (st == TW_OK && v == TW_DEAL_AS_SIGNED)
            memcpy(a->coop_all, wel, N * sizeof(double));
        for (size_t p = 0; p < 2 && st == TW_OK; p++) {
            struct tw_deal_side *sd = &a->side[p];
            sd->c = party[p];
            sd->threat_pct = a->threat_all[party[p]];
            sd->coop_pct[v] = wel[party[p]];
            memset(tg, 0, N * sizeof(bool));
            tg[party[1 - p]] = true;
            tw_game_result *r = NULL;
            st = tw_game_best_response(g, party[p], t_var[v], tg, &r, err);
            if (st == TW_NOT_CONVERGED) {
                a->converged = false;
                st = TW_OK;
            }
            if (st != TW_OK)
                break;
            sd->dev_pct[v] = tw_game_result_welfare_pct(r, party[p]);
            a->evaluations += tw_game_result_evaluations(r);
            double sum = 0.0;
            for (size_t s = 0; s < S; s++)
                sum += tw_game_result_tariff(r, party[p], party[1 - p], s);
            sd->dev_mean_tariff[v] = sum / (double)S;
            tw_game_result_free(r);
        }
    }
    tw_game_free(g);
    if (st == TW_OK)
        st = wedges(a, d, t_var[TW_DEAL_AS_SIGNED], err);
    tw_free(buf);
    tw_free(tg);
    if (st != TW_OK) {
        tw_deal_analysis_free(a);
        return st;
    }
    for (size_t v = 0; v < 2; v++) {
        double joint = 0.0;
        for (size_t p = 0; p < 2; p++) {
            struct tw_deal_side *sd = &a->side[p];
            sd->income_usd_bn = (tw_world_value_added(w, sd->c) +
                                 tw_world_tariff_revenue(w, sd->c)) / 1e9;
            double Cp = sd->coop_pct[v], Dp = fmax(sd->dev_pct[v], Cp), Pp = a->punish_pct[p];
            /* the best response can only improve on complying; a tiny shortfall is the
             * optimiser's tolerance */
            sd->dev_pct[v] = Dp;
            sd->delta_star[v] = tw_enforce_critical_delta(Cp, Dp, Pp);
            sd->min_punish[v] = tw_enforce_min_punishment(Cp, Dp, Pp, a->delta, a->max_T);
            sd->self_enforcing[v] = a->delta >= sd->delta_star[v];
            sd->value_pct[v] = Cp - sd->threat_pct; /* against the war, whatever the punishment */
            sd->value_usd_bn[v] = sd->value_pct[v] / 100.0 * sd->income_usd_bn;
            sd->pv_usd_bn[v] = sd->value_usd_bn[v] * (1.0 + a->r) / a->r;
            sd->month_delay_usd_bn[v] = sd->value_usd_bn[v] / 12.0;
            joint += sd->value_usd_bn[v];
        }
        for (size_t p = 0; p < 2; p++)
            a->side[p].share_pct[v] = joint > 0.0 ? 100.0 * a->side[p].value_usd_bn[v] / joint
                                                  : (double)NAN;
    }
    *out = a;
    return a->converged ? TW_OK : TW_NOT_CONVERGED;
}

double tw_deal_analysis_payoff(const tw_deal_analysis *a, size_t p, size_t v, char which)
{
    const struct tw_deal_side *sd = &a->side[p];
    return which == 'C' ? sd->coop_pct[v] : which == 'D' ? sd->dev_pct[v] : sd->threat_pct;
}

double tw_deal_analysis_critical_delta(const tw_deal_analysis *a, size_t p, size_t v)
{
    return a->side[p].delta_star[v];
}

double tw_deal_analysis_value_pct(const tw_deal_analysis *a, size_t p, size_t v)
{
    return a->side[p].value_pct[v];
}

double tw_deal_analysis_value_usd_bn(const tw_deal_analysis *a, size_t p, size_t v)
{
    return a->side[p].value_usd_bn[v];
}

tw_status tw_deal_analysis_wedge(const tw_deal_analysis *a, size_t k, int year, double *wedge,
                                 bool *feasible, double *target_usd_bn, double *without_usd_bn,
                                 double *with_usd_bn, tw_err *err)
{
    for (size_t y = 0; k < a->n_commit && y < a->n_year; y++) {
        const struct tw_deal_wedge *wd = &a->wedge[k * a->n_year + y];
        if (wd->year != year || year == 0)
            continue;
        *wedge = wd->wedge;
        *feasible = wd->feasible;
        *target_usd_bn = wd->target_usd_bn;
        *without_usd_bn = wd->without_usd_bn;
        *with_usd_bn = wd->with_usd_bn;
        return TW_OK;
    }
    return tw_err_set(err, TW_EINVAL, "deal: commitment %zu has no year %d", k, year);
}

tw_status tw_deal_analysis_managed_trade(const tw_deal_analysis *a, int year, size_t c,
                                         double *welfare_pct, double *welfare_usd_bn,
                                         double *sales_change_usd_bn, tw_err *err)
{
    size_t N = tw_world_n_country(a->w);
    for (size_t y = 0; c < N && y < a->n_year; y++) {
        bool has = false;
        for (size_t k = 0; k < a->n_commit; k++)
            has |= a->wedge[k * a->n_year + y].year == year && year != 0;
        if (!has)
            continue;
        *welfare_pct = a->wedge_welfare_pct[y * N + c];
        *welfare_usd_bn = a->wedge_welfare_usd_bn[y * N + c];
        *sales_change_usd_bn = a->displaced_usd_bn[y * N + c];
        return TW_OK;
    }
    return tw_err_set(err, TW_EINVAL, "deal: no year %d or country %zu", year, c);
}
