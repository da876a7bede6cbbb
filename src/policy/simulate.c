/* SPDX-License-Identifier: MIT */
/*
 * src/policy/simulate.c: a counterfactual = baseline solve + counterfactual solve + outcomes.
 *
 * Both stages are solved from the data with the same deficit treatment and reported as
 * counterfactual relative to baseline (CP2015 section 4: "1993 with balanced trade" is the
 * baseline of Table 2). Outcomes:
 *   - exact real income I/P and real wage w/P, P = prod_s (P^s)^alpha^s;
 *   - the welfare decomposition of CP2015 (section 4.1, eq. (22)-(23) of the paper's text
 *     form; ../shared/docs/models/cp2015.md section 5) in its discrete form, which the paper's
 *     Table 2 reports:
 *        ToT_n = sum_{i,s} [E_ni^s (c_hat_n^s - 1) - M_ni^s (c_hat_i^s - 1)] / I_n
 *        VoT_n = sum_{i,s} tau_ni^s M_ni^s (M_hat_ni^s - c_hat_i^s) / I_n
 *     with E, M, tau, I at the baseline equilibrium and hats counterfactual/baseline; and in
 *     log form (ln c_hat, ln M_hat instead of c_hat - 1, M_hat - 1);
 *   - equivalent variation in baseline USD: I_base (real income hat - 1) (homothetic
 *     Cobb-Douglas preferences make this exact).
 */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/shock.h"
#include "model/cp.h"
#include "policy/baseline.h"
#include "policy/result.h"

/* Levels of one solved stage. */
struct stage {
    const double *m; /* [S*N*N] flows before tariffs, USD (borrowed: the model's buffer or
                        the baseline's shared flows) */
    double *pair;  /* [N*N] flows summed over sectors, [j*N + i] */
    double *inc;   /* [N] income */
    double *rev;   /* [N] tariff revenue */
    double *lnp;   /* [N] ln consumer price index hat (vs data) */
    double *exp_;  /* [N] exports excl. domestic */
    double *imp;   /* [N] imports excl. domestic */
    double *y;     /* [N*S] gross output */
};

static void stage_free(struct stage *g)
{
    tw_free(g->pair);
    tw_free(g->inc);
    tw_free(g->rev);
    tw_free(g->lnp);
    tw_free(g->exp_);
    tw_free(g->imp);
    tw_free(g->y);
}

static struct tw_shared_flows *flows_share(struct tw_shared_flows *f)
{
    if (f != NULL)
        f->refs++;
    return f;
}

static void flows_release(struct tw_shared_flows *f)
{
    if (f != NULL && --f->refs == 0) {
        tw_free(f->v);
        tw_free(f);
    }
}

/* Wrap an owned flows array (taken from the model); frees v on failure. */
static struct tw_shared_flows *flows_wrap(double *v)
{
    struct tw_shared_flows *f = v ? tw_malloc(sizeof *f) : NULL;
    if (f == NULL) {
        tw_free(v);
        return NULL;
    }
    f->refs = 1;
    f->v = v;
    return f;
}

/* Levels of a stage from its flows m (tau: the stage's tariffs). */
static tw_status stage_levels(const struct tw_world *w, const tw_cp *cp,
                              const tw_cp_solution *sol, const double *m, const double *tau,
                              const double *d1, struct stage *g)
{
    size_t N = w->n_country, S = w->n_sector;
    memset(g, 0, sizeof *g);
    g->m = m;
    g->pair = tw_calloc(N * N, sizeof(double));
    g->inc = tw_calloc(N, sizeof(double));
    g->rev = tw_calloc(N, sizeof(double));
    g->lnp = tw_calloc(N, sizeof(double));
    g->exp_ = tw_calloc(N, sizeof(double));
    g->imp = tw_calloc(N, sizeof(double));
    g->y = tw_calloc(N * S, sizeof(double));
    if (!g->pair || !g->inc || !g->rev || !g->lnp || !g->exp_ || !g->imp || !g->y)
        return TW_ENOMEM;
    const double *va0 = tw_cp_va0(cp);
    for (size_t s = 0; s < S; s++)
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++) {
                size_t k = (s * N + n) * N + i;
                double v = m[k];
                g->pair[n * N + i] += v;
                g->rev[n] += tau[k] * v;
                g->y[i * S + s] += v;
                if (i != n) {
                    g->imp[n] += v;
                    g->exp_[i] += v;
                }
            }
    for (size_t n = 0; n < N; n++) {
        g->inc[n] = exp(sol->ln_w[n]) * va0[n] + g->rev[n] + d1[n];
        double lp = 0.0;
        for (size_t s = 0; s < S; s++)
            lp += w->alpha[n * S + s] * sol->ln_p[n * S + s];
        g->lnp[n] = lp;
    }
    return TW_OK;
}

static double ratio(double a, double b)
{
    if (b != 0.0)
        return a / b;
    return a == 0.0 ? 1.0 : (double)NAN;
}

static void country_outcomes(struct tw_result *r, const tw_cp_solution *sb,
                             const tw_cp_solution *sc, const struct stage *b,
                             const struct stage *c, const double *d1)
{
    size_t N = r->N;
#define C(meas, n) r->country[(size_t)(meas) * N + (n)]
    for (size_t n = 0; n < N; n++) {
        double phat = exp(c->lnp[n] - b->lnp[n]);
        double what = exp(sc->ln_w[n] - sb->ln_w[n]);
        double ihat = c->inc[n] / b->inc[n];
        double real = ihat / phat;
        C(TW_C_REAL_INCOME_PCT, n) = 100.0 * (real - 1.0);
        C(TW_C_REAL_WAGE_PCT, n) = 100.0 * (what / phat - 1.0);
        C(TW_C_WAGE_HAT, n) = what;
        C(TW_C_PRICE_INDEX_HAT, n) = phat;
        C(TW_C_INCOME_HAT, n) = ihat;
        C(TW_C_TARIFF_REVENUE_HAT, n) = ratio(c->rev[n], b->rev[n]);
        C(TW_C_EXPORTS_HAT, n) = ratio(c->exp_[n], b->exp_[n]);
        C(TW_C_IMPORTS_HAT, n) = ratio(c->imp[n], b->imp[n]);
        C(TW_C_WELFARE_USD, n) = b->inc[n] * (real - 1.0);
        C(TW_C_INCOME_BASE_USD, n) = b->inc[n];
        C(TW_C_INCOME_CFL_USD, n) = c->inc[n];
        C(TW_C_TARIFF_REVENUE_BASE_USD, n) = b->rev[n];
        C(TW_C_TARIFF_REVENUE_CFL_USD, n) = c->rev[n];
        C(TW_C_EXPORTS_BASE_USD, n) = b->exp_[n];
        C(TW_C_EXPORTS_CFL_USD, n) = c->exp_[n];
        C(TW_C_IMPORTS_BASE_USD, n) = b->imp[n];
        C(TW_C_IMPORTS_CFL_USD, n) = c->imp[n];
        C(TW_C_DEFICIT_BASE_USD, n) = d1[n];
        C(TW_C_DEFICIT_CFL_USD, n) = d1[n];
    }
}

/* CP2015 welfare decomposition totals, discrete and log forms (the cells by partner and
 * sector are formed on demand by tw_result_tot / tw_result_vot with the same expressions). */
static void decomposition(struct tw_result *r, const tw_cp_solution *sb,
                          const tw_cp_solution *sc, const struct stage *b,
                          const struct stage *c, const double *tau0)
{
    size_t N = r->N, S = r->S;
    for (size_t n = 0; n < N; n++) {
        double tot = 0.0, vot = 0.0, totl = 0.0, votl = 0.0, inc = b->inc[n];
        for (size_t i = 0; i < N; i++)
            for (size_t s = 0; s < S; s++) {
                size_t kin = (s * N + n) * N + i;  /* n imports from i */
                size_t kout = (s * N + i) * N + n; /* n exports to i */
                double lch_n = sc->ln_c[n * S + s] - sb->ln_c[n * S + s];
                double lch_i = sc->ln_c[i * S + s] - sb->ln_c[i * S + s];
                double E = b->m[kout], M = b->m[kin], t = tau0[kin];
                double t_d = tw_decomp_tot(E, M, lch_n, lch_i);
                double t_l = E * lch_n - M * lch_i;
                double v_d = tw_decomp_vot(M, c->m[kin], t, lch_i), v_l = 0.0;
                if (M > 0.0 && t != 0.0)
                    v_l = t * M * (log(c->m[kin] / M) - lch_i);
                tot += t_d;
                vot += v_d;
                totl += t_l;
                votl += v_l;
            }
        r->country[TW_C_TOT_PCT * N + n] = 100.0 * tot / inc;
        r->country[TW_C_VOT_PCT * N + n] = 100.0 * vot / inc;
        r->country[TW_C_WELFARE_PCT * N + n] = 100.0 * (tot + vot) / inc;
        r->country[TW_C_TOT_LOG_PCT * N + n] = 100.0 * totl / inc;
        r->country[TW_C_VOT_LOG_PCT * N + n] = 100.0 * votl / inc;
        r->country[TW_C_WELFARE_LOG_PCT * N + n] = 100.0 * (totl + votl) / inc;
    }
}

static void sector_outcomes(struct tw_result *r, const tw_cp_solution *sb,
                            const tw_cp_solution *sc, const struct stage *b,
                            const struct stage *c)
{
    size_t N = r->N, S = r->S;
#define SM(meas, n, s) r->sector[((size_t)(meas) * N + (n)) * S + (s)]
    for (size_t n = 0; n < N; n++)
        for (size_t s = 0; s < S; s++) {
            size_t k = n * S + s;
            SM(TW_S_OUTPUT_HAT, n, s) = ratio(c->y[k], b->y[k]);
            SM(TW_S_PRICE_HAT, n, s) = exp(sc->ln_p[k] - sb->ln_p[k]);
            SM(TW_S_COST_HAT, n, s) = exp(sc->ln_c[k] - sb->ln_c[k]);
            SM(TW_S_EXPENDITURE_HAT, n, s) = ratio(sc->x[k], sb->x[k]);
            SM(TW_S_OUTPUT_BASE_USD, n, s) = b->y[k];
            SM(TW_S_OUTPUT_CFL_USD, n, s) = c->y[k];
            SM(TW_S_EXPENDITURE_BASE_USD, n, s) = sb->x[k];
            SM(TW_S_EXPENDITURE_CFL_USD, n, s) = sc->x[k];
        }
}

void tw_result_free(tw_result *r)
{
    if (r == NULL)
        return;
    tw_free(r->country);
    tw_free(r->sector);
    tw_free(r->pair_b);
    tw_free(r->pair_c);
    flows_release(r->flow_b);
    flows_release(r->flow_c);
    tw_free(r->lnc_b);
    tw_free(r->lnc_c);
    tw_free(r);
}

static tw_status result_alloc(const struct tw_world *w, bool bilateral, struct tw_result **out)
{
    size_t N = w->n_country, S = w->n_sector;
    struct tw_result *r = tw_calloc(1, sizeof *r);
    if (r == NULL)
        return TW_ENOMEM;
    r->w = w;
    r->N = N;
    r->S = S;
    r->country = tw_calloc((size_t)TW_C_MEASURE_COUNT * N, sizeof(double));
    r->sector = tw_calloc((size_t)TW_S_MEASURE_COUNT * N * S, sizeof(double));
    r->pair_b = tw_calloc(N * N, sizeof(double));
    r->pair_c = tw_calloc(N * N, sizeof(double));
    bool ok = r->country && r->sector && r->pair_b && r->pair_c;
    if (ok && bilateral) {
        r->lnc_b = tw_calloc(N * S, sizeof(double));
        r->lnc_c = tw_calloc(N * S, sizeof(double));
        ok = r->lnc_b && r->lnc_c;
    }
    if (!ok) {
        tw_result_free(r);
        return TW_ENOMEM;
    }
    *out = r;
    return TW_OK;
}

void tw_solve_opts_init(tw_solve_opts *o)
{
    memset(o, 0, sizeof *o); /* every field, including any added later */
    o->tol_wage = 1e-12;
    o->max_iter = 1000;
    o->damping = 0.5;
    o->tol_price = 1e-13;
    o->max_iter_price = 10000;
    o->tol_expenditure = 1e-13;
    o->max_iter_expenditure = 10000;
    o->accel_memory = 5;
    o->inner_forcing = 0.1;
    o->check_finite = true;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->n_threads = 0;
    o->bilateral = TW_BILATERAL_AUTO;
}

struct tw_baseline {
    const struct tw_world *w;  /* borrowed */
    tw_deficits deficits;
    bool bilateral;            /* results keep their bilateral detail */
    tw_cp *cp;                 /* the model, reused by every counterfactual */
    tw_cp_solution sol;        /* the baseline equilibrium */
    struct tw_shared_flows *flows; /* its flows, shared with the results that keep detail */
    struct stage lev;          /* its levels (lev.m = flows->v) */
    double *d1;                /* [N] deficits of both stages */
    tw_solver_info info;       /* baseline solver report */
    tw_err msg;                /* baseline message when it did not converge */
};

void tw_baseline_free(struct tw_baseline *b)
{
    if (b == NULL)
        return;
    stage_free(&b->lev);
    flows_release(b->flows);
    tw_cp_solution_free(&b->sol);
    tw_free(b->d1);
    tw_cp_free(b->cp);
    tw_free(b);
}

tw_status tw_baseline_new(const struct tw_world *w, tw_deficits deficits,
                          const tw_solve_opts *opts, struct tw_baseline **out, tw_err *err)
{
    *out = NULL;
    if (w == NULL)
        return tw_err_set(err, TW_EINVAL, "simulate: world is required");
    if (deficits != TW_DEFICITS_DATA && deficits != TW_DEFICITS_ZERO)
        return tw_err_set(err, TW_EINVAL, "simulate: unknown deficit treatment %d",
                          (int)deficits);
    tw_solve_opts defaults;
    tw_solve_opts_init(&defaults);
    if (opts == NULL)
        opts = &defaults;
    if (opts->bilateral != TW_BILATERAL_AUTO && opts->bilateral != TW_BILATERAL_KEEP &&
        opts->bilateral != TW_BILATERAL_DROP)
        return tw_err_set(err, TW_EINVAL, "simulate: unknown bilateral-detail option %d",
                          (int)opts->bilateral);
    size_t N = w->n_country, S = w->n_sector;
    struct tw_baseline *b = tw_calloc(1, sizeof *b);
    if (b == NULL)
        return tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
    b->w = w;
    b->deficits = deficits;
    b->bilateral = opts->bilateral == TW_BILATERAL_KEEP ||
                   (opts->bilateral == TW_BILATERAL_AUTO &&
                    S * N * N <= (size_t)TW_BILATERAL_AUTO_MAX_CELLS);
    tw_err_clear(&b->msg);
    tw_status st = tw_cp_new(w, opts, &b->cp, err);
    if (st != TW_OK)
        goto fail;
    if ((st = tw_cp_solution_alloc(b->cp, &b->sol, err)) != TW_OK)
        goto fail;
    b->d1 = tw_calloc(N, sizeof(double));
    if (b->d1 == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
        goto fail;
    }
    if (deficits == TW_DEFICITS_DATA)
        memcpy(b->d1, w->deficit, N * sizeof(double));
    /* Baseline: data tariffs, no trade-cost or productivity change (NULL = ones). */
    st = tw_cp_solve(b->cp, w->tariff, NULL, NULL, b->d1, "baseline", NULL, &b->sol, &b->info,
                     &b->msg);
    if (st < 0) {
        if (err)
            *err = b->msg;
        goto fail;
    }
    tw_cp_flows(b->cp);
    b->flows = flows_wrap(tw_cp_take_flows(b->cp));
    if (b->flows == NULL ||
        stage_levels(w, b->cp, &b->sol, b->flows->v, w->tariff, b->d1, &b->lev) != TW_OK) {
        st = tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
        goto fail;
    }
    *out = b;
    return TW_OK;
fail:
    tw_baseline_free(b);
    return st;
}

const tw_solver_info *tw_baseline_info(const struct tw_baseline *b) { return &b->info; }

/* True when the shock changes nothing: baseline tariffs, unit trade-cost and productivity
 * factors. */
static bool shock_is_baseline(const tw_shock *sh)
{
    const struct tw_world *w = sh->world;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t k = 0; k < S * N * N; k++)
        if (sh->tariff[k] != w->tariff[k] || sh->d_hat[k] != 1.0)
            return false;
    for (size_t k = 0; k < N * S; k++)
        if (sh->a_hat[k] != 1.0)
            return false;
    return true;
}

static tw_status copy_solution(const struct tw_baseline *b, tw_cp_solution *sc)
{
    size_t N = b->w->n_country, S = b->w->n_sector;
    memcpy(sc->ln_w, b->sol.ln_w, N * sizeof(double));
    memcpy(sc->ln_p, b->sol.ln_p, N * S * sizeof(double));
    memcpy(sc->ln_c, b->sol.ln_c, N * S * sizeof(double));
    memcpy(sc->x, b->sol.x, N * S * sizeof(double));
    return b->info.status;
}

tw_status tw_baseline_simulate(struct tw_baseline *b, const tw_shock *sh, tw_result **out,
                               tw_err *err)
{
    const struct tw_world *w = b->w;
    size_t N = w->n_country, S = w->n_sector;
    *out = NULL;
    if (sh == NULL || sh->world != w)
        return tw_err_set(err, TW_EINVAL, "simulate: the shock was made for another world");
    struct tw_result *r = NULL;
    tw_cp_solution sc = {0};
    struct stage gc = {0};
    tw_status st = tw_cp_solution_alloc(b->cp, &sc, err);
    if (st != TW_OK)
        goto done;
    if (result_alloc(w, b->bilateral, &r) != TW_OK) {
        st = tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
        goto done;
    }
    r->deficits = b->deficits;
    r->info[TW_STAGE_BASELINE] = b->info;
    const double *flows_c;
    bool same = shock_is_baseline(sh);
    if (same) {
        /* The counterfactual is the baseline: its solution is the baseline's, exactly. */
        st = copy_solution(b, &sc);
        r->info[TW_STAGE_COUNTERFACTUAL] = b->info;
        flows_c = b->flows->v;
    } else {
        /* Warm start from the baseline equilibrium: same fixed point, fewer iterations. */
        st = tw_cp_solve(b->cp, sh->tariff, sh->d_hat, sh->a_hat, b->d1, "counterfactual",
                         &b->sol, &sc, &r->info[TW_STAGE_COUNTERFACTUAL], err);
        if (st < 0)
            goto done;
        flows_c = tw_cp_flows(b->cp); /* in the model's buffer until its next solve */
    }
    if (st < 0)
        goto done;
    if (stage_levels(w, b->cp, &sc, flows_c, sh->tariff, b->d1, &gc) != TW_OK) {
        st = tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
        goto done;
    }
    /* The baseline's non-convergence takes precedence in the message. */
    if (b->info.status != TW_OK) {
        st = TW_NOT_CONVERGED;
        if (err)
            *err = b->msg;
    }
    r->converged = (st == TW_OK);
    country_outcomes(r, &b->sol, &sc, &b->lev, &gc, b->d1);
    decomposition(r, &b->sol, &sc, &b->lev, &gc, w->tariff);
    sector_outcomes(r, &b->sol, &sc, &b->lev, &gc);
    memcpy(r->pair_b, b->lev.pair, N * N * sizeof(double));
    memcpy(r->pair_c, gc.pair, N * N * sizeof(double));
    if (b->bilateral) {
        /* The counterfactual's flows move from the model to the result (no copy). */
        r->flow_b = flows_share(b->flows);
        r->flow_c = same ? flows_share(b->flows) : flows_wrap(tw_cp_take_flows(b->cp));
        if (r->flow_c == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "simulate: out of memory");
            goto done;
        }
        memcpy(r->lnc_b, b->sol.ln_c, N * S * sizeof(double));
        memcpy(r->lnc_c, sc.ln_c, N * S * sizeof(double));
    }
    *out = r;
    r = NULL;
done:
    stage_free(&gc);
    tw_cp_solution_free(&sc);
    tw_result_free(r);
    return st;
}

tw_status tw_simulate(const tw_world *w, const tw_shock *sh, tw_deficits deficits,
                      const tw_solve_opts *opts, tw_result **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "simulate: out is NULL");
    *out = NULL;
    if (w == NULL || sh == NULL)
        return tw_err_set(err, TW_EINVAL, "simulate: world and shock are required");
    if (sh->world != w)
        return tw_err_set(err, TW_EINVAL, "simulate: the shock was made for another world");
    struct tw_baseline *b = NULL;
    tw_status st = tw_baseline_new(w, deficits, opts, &b, err);
    if (st != TW_OK)
        return st;
    st = tw_baseline_simulate(b, sh, out, err);
    tw_baseline_free(b);
    return st;
}
