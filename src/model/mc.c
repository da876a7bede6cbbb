/* SPDX-License-Identifier: MIT */
/*
 * src/model/mc.c: the tariff-game model of model/mc.h (Ossa 2014 / Lashkaripour 2021) in exact
 * hat algebra, its Newton solver with the analytic Jacobian, and exact gradients of welfare
 * with respect to tariffs by the implicit-function theorem.
 *
 * References: R. Ossa (2014), AER 104(12), section I and appendix; A. Lashkaripour (2021), JIE
 * 131, section 2; ../shared/docs/models/ossa2014.md section 2 (the system in changes) and
 * lashkaripour2021.md sections 2-3; docs/games.md (the derivatives written out).
 *
 * Derivatives used (x = (u, e), z_ijs = ln(1 + t'_ijs), k any exporter, market (j, s)):
 *   d X'_kjs / d u_i = (1 - sigma_s) X'_kjs (delta_ki - gamma'_ijs),   d X'_kjs / d e_j = X'_kjs
 *   d X'_kjs / d z_ijs = X'_kjs (-sigma_s delta_ki - (1 - sigma_s) gamma'_ijs)
 *   d R'_js / d z_ijs = (1 + t'_ijs) X'_ijs - sigma_s t'_ijs X'_ijs - (1 - sigma_s) gamma'_ijs R'_js
 *   d ln P^_js / d u_i = d ln P^_js / d z_ijs = gamma'_ijs
 * Invariants: a state is `solved` only after tw_mc_solve returned TW_OK for its tariffs.
 */
#include "model/mc.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"

void tw_mc_free(struct tw_mc *m)
{
    if (m == NULL)
        return;
    tw_free(m->sigma);
    tw_free(m->rho);
    tw_free(m->X);
    tw_free(m->t0);
    tw_free(m->gam);
    tw_free(m->Ejs);
    tw_free(m->mu);
    tw_free(m->E);
    tw_free(m->wL);
    tw_free(m->NX);
    tw_free(m->lambda);
    tw_free(m->G0);
    tw_free(m->beta);
    tw_free(m->gio);
    tw_free(m->alpha);
    tw_free(m->inc);
    tw_free(m);
}

/* Government-welfare numerator of country j from revenues r (row j, [S]) and tariff revenue R:
 * sum_s lambda_js (r_js + delta_js R), delta_js = (1-rho_s) r_js / sum_s (1-rho_s) r_js
 * (Ossa 2014, eq. 5: tariff revenue attributed to industries by their labour income). */
static double gov_numerator(const struct tw_mc *m, size_t j, const double *r, double R)
{
    size_t S = m->S;
    double L = 0.0, W = 0.0, num = 0.0;
    for (size_t s = 0; s < S; s++) {
        double lam = m->lambda[j * S + s];
        num += lam * r[s];
        L += lam * (1.0 - m->rho[s]) * r[s];
        W += (1.0 - m->rho[s]) * r[s];
    }
    return num + (W > 0.0 ? R * L / W : 0.0);
}

/* Derive every share and level of m from X, t0 (and NX for the labour income check). */
static tw_status derive(struct tw_mc *m, tw_err *err)
{
    size_t N = m->N, S = m->S;
    memset(m->Ejs, 0, N * S * sizeof(double));
    memset(m->E, 0, N * sizeof(double));
    memset(m->wL, 0, N * sizeof(double));
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++) {
            const double *X = m->X + (s * N + j) * N, *t = m->t0 + (s * N + j) * N;
            double tot = 0.0;
            for (size_t i = 0; i < N; i++)
                tot += (1.0 + t[i]) * X[i];
            m->Ejs[j * S + s] = tot;
            m->E[j] += tot;
            double *g = m->gam + (s * N + j) * N;
            for (size_t i = 0; i < N; i++)
                g[i] = tot > 0.0 ? (1.0 + t[i]) * X[i] / tot : 0.0;
            for (size_t i = 0; i < N; i++)
                m->wL[i] += (1.0 - m->rho[s]) * X[i];
        }
    m->wL_sum = 0.0;
    for (size_t j = 0; j < N; j++) {
        if (!(m->E[j] > 0.0))
            return tw_err_set(err, TW_EINVAL, "model: country %zu has no expenditure", j);
        if (!(m->wL[j] > 0.0))
            return tw_err_set(err, TW_EINVAL, "model: country %zu has no labour income", j);
        m->wL_sum += m->wL[j];
        for (size_t s = 0; s < S; s++)
            m->mu[j * S + s] = m->Ejs[j * S + s] / m->E[j];
    }
    double *r = tw_malloc(S * sizeof *r);
    if (r == NULL)
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    for (size_t j = 0; j < N; j++) {
        double R = 0.0;
        for (size_t s = 0; s < S; s++) {
            r[s] = 0.0;
            for (size_t k = 0; k < N; k++) {
                r[s] += m->X[(s * N + k) * N + j];
                R += m->t0[(s * N + j) * N + k] * m->X[(s * N + j) * N + k];
            }
        }
        m->G0[j] = gov_numerator(m, j, r, R);
    }
    tw_free(r);
    return TW_OK;
}

tw_status tw_mc_new(const struct tw_world *w, bool profit_share, struct tw_mc **out, tw_err *err)
{
    *out = NULL;
    size_t N = w->n_country, S = w->n_sector;
    bool io = false;
    for (size_t c = 0; c < N; c++)
        for (size_t s = 0; s < S; s++)
            if (fabs(w->va_share[tw_world_cs(w, c, s)] - 1.0) > TW_WORLD_SHARE_TOL)
                io = true;
    if (io && profit_share)
        return tw_err_set(err, TW_EINVAL, "model: Ossa's monopolistic competition has no "
                          "input-output links, but this world has them");
    struct tw_mc *m = tw_calloc(1, sizeof *m);
    if (m == NULL)
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    m->N = N;
    m->S = S;
    size_t C = S * N * N;
    m->sigma = tw_malloc(S * sizeof(double));
    m->rho = tw_malloc(S * sizeof(double));
    m->X = tw_malloc(C * sizeof(double));
    m->t0 = tw_malloc(C * sizeof(double));
    m->gam = tw_malloc(C * sizeof(double));
    m->Ejs = tw_malloc(N * S * sizeof(double));
    m->mu = tw_malloc(N * S * sizeof(double));
    m->E = tw_malloc(N * sizeof(double));
    m->wL = tw_malloc(N * sizeof(double));
    m->NX = tw_malloc(N * sizeof(double));
    m->lambda = tw_malloc(N * S * sizeof(double));
    m->G0 = tw_malloc(N * sizeof(double));
    m->io = io;
    if (io) {
        m->beta = tw_malloc(N * S * sizeof(double));
        m->gio = tw_malloc(N * S * S * sizeof(double));
        m->alpha = tw_malloc(N * S * sizeof(double));
        m->inc = tw_malloc(N * sizeof(double));
    }
    if (!m->sigma || !m->rho || !m->X || !m->t0 || !m->gam || !m->Ejs || !m->mu || !m->E ||
        !m->wL || !m->NX || !m->lambda || !m->G0 ||
        (io && (!m->beta || !m->gio || !m->alpha || !m->inc))) {
        tw_mc_free(m);
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    }
    for (size_t s = 0; s < S; s++) {
        m->sigma[s] = w->theta[s] + 1.0;
        m->rho[s] = profit_share ? 1.0 / m->sigma[s] : 0.0;
    }
    memcpy(m->X, w->flow, C * sizeof(double));
    memcpy(m->t0, w->tariff, C * sizeof(double));
    memcpy(m->lambda, w->pe_weight, N * S * sizeof(double));
    for (size_t c = 0; c < N; c++)
        m->NX[c] = -w->deficit[c];
    if (io) {
        memcpy(m->beta, w->va_share, N * S * sizeof(double));
        memcpy(m->gio, w->io, N * S * S * sizeof(double));
        memcpy(m->alpha, w->alpha, N * S * sizeof(double));
    }
    tw_status st = io ? tw_mc_io_derive(m, err) : derive(m, err);
    if (st != TW_OK) {
        tw_mc_free(m);
        return st;
    }
    *out = m;
    return TW_OK;
}

void tw_mc_state_free(struct tw_mc_state *st)
{
    if (st == NULL)
        return;
    tw_free(st->t);
    tw_free(st->b);
    tw_free(st->x);
    tw_free(st->gp);
    tw_free(st->Xp);
    tw_free(st->A);
    tw_free(st->Rjs);
    tw_free(st->r);
    tw_free(st->R);
    tw_free(st->F);
    tw_free(st->J);
    tw_free(st->work);
    tw_free(st->ipiv);
    tw_free(st);
}

tw_status tw_mc_state_new(const struct tw_mc *m, struct tw_mc_state **out, tw_err *err)
{
    size_t N = m->N, S = m->S, C = S * N * N, n = m->io ? N + 2 * N * S : 2 * N;
    struct tw_mc_state *st = tw_calloc(1, sizeof *st);
    *out = NULL;
    if (st == NULL)
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    st->m = m;
    st->n = n;
    st->t = tw_malloc(C * sizeof(double));
    st->b = tw_malloc(C * sizeof(double));
    st->x = tw_calloc(n, sizeof(double));
    st->gp = tw_malloc(C * sizeof(double));
    st->Xp = tw_malloc(C * sizeof(double));
    st->A = tw_malloc(S * N * sizeof(double));
    st->Rjs = tw_malloc(S * N * sizeof(double));
    st->r = tw_malloc(N * S * sizeof(double));
    st->R = tw_malloc(N * sizeof(double));
    st->F = tw_malloc(n * sizeof(double));
    st->J = tw_malloc(n * n * sizeof(double));
    st->work = tw_malloc((n * n + 2 * n) * sizeof(double));
    st->ipiv = tw_malloc(n * sizeof(int));
    if (!st->t || !st->b || !st->x || !st->gp || !st->Xp || !st->A || !st->Rjs || !st->r ||
        !st->R || !st->F || !st->J || !st->work || !st->ipiv) {
        tw_mc_state_free(st);
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    }
    if (m->io)
        for (size_t k = N + N * S; k < n; k++)
            st->x[k] = 1.0; /* spending ratios X'_js / X_js */
    tw_mc_state_set_tariffs(st, m->t0);
    *out = st;
    return TW_OK;
}

void tw_mc_state_set_tariffs(struct tw_mc_state *st, const double *t)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    if (t != st->t)
        memcpy(st->t, t, S * N * N * sizeof(double));
    for (size_t s = 0; s < S; s++) {
        double e = 1.0 - m->sigma[s];
        for (size_t k = s * N * N; k < (s + 1) * N * N; k++)
            st->b[k] = m->gam[k] * pow((1.0 + st->t[k]) / (1.0 + m->t0[k]), e);
    }
    st->solved = false;
}

/* Evaluate everything at x: shares, flows, revenues and the residuals F. */
static void evaluate(struct tw_mc_state *st, const double *x)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    const double *u = x, *e = x + N;
    memset(st->r, 0, N * S * sizeof(double));
    memset(st->R, 0, N * sizeof(double));
    for (size_t s = 0; s < S; s++) {
        double es = 1.0 - m->sigma[s];
        for (size_t j = 0; j < N; j++) {
            size_t o = (s * N + j) * N;
            const double *b = st->b + o, *t = st->t + o;
            double *g = st->gp + o, *Xp = st->Xp + o;
            double A = 0.0;
            for (size_t i = 0; i < N; i++) {
                g[i] = b[i] == 0.0 ? 0.0 : b[i] * exp(es * u[i]);
                A += g[i];
            }
            double spend = m->Ejs[j * S + s] * exp(e[j]), Rjs = 0.0;
            for (size_t i = 0; i < N; i++) {
                g[i] = A > 0.0 ? g[i] / A : 0.0;
                Xp[i] = g[i] * spend / (1.0 + t[i]);
                Rjs += t[i] * Xp[i];
                st->r[i * S + s] += Xp[i];
            }
            st->A[s * N + j] = A;
            st->Rjs[s * N + j] = Rjs;
            st->R[j] += Rjs;
        }
    }
    for (size_t i = 0; i < N; i++) {
        double lab = 0.0, prof = 0.0;
        for (size_t s = 0; s < S; s++) {
            lab += (1.0 - m->rho[s]) * st->r[i * S + s];
            prof += m->rho[s] * st->r[i * S + s];
        }
        double wh = exp(u[i]);
        st->F[i] = lab / m->wL[i] - wh;
        st->F[N + i] = exp(e[i]) - (m->wL[i] * wh + prof + st->R[i] - m->NX[i]) / m->E[i];
    }
    double num = 0.0;
    for (size_t i = 0; i < N; i++)
        num += m->wL[i] * exp(u[i]);
    st->F[N - 1] = num / m->wL_sum - 1.0;
}

static double max_abs(const double *v, size_t n)
{
    double a = 0.0;
    for (size_t k = 0; k < n; k++)
        if (!(fabs(v[k]) <= a)) /* NaN propagates as "larger" */
            a = isnan(v[k]) ? (double)INFINITY : fabs(v[k]);
    return a;
}

/* The Jacobian dF/dx at the last evaluate(), column-major into st->J. */
static void jacobian(struct tw_mc_state *st)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S, n = 2 * N;
    double *J = st->J;
    const double *x = st->x;
    memset(J, 0, n * n * sizeof(double));
#define JAC(row, col) J[(col) * n + (row)]
    for (size_t s = 0; s < S; s++) {
        double es = 1.0 - m->sigma[s], rho = m->rho[s];
        for (size_t j = 0; j < N; j++) {
            size_t o = (s * N + j) * N;
            const double *g = st->gp + o, *Xp = st->Xp + o, *t = st->t + o;
            double Rjs = st->Rjs[s * N + j];
            for (size_t k = 0; k < N; k++) {
                if (Xp[k] == 0.0)
                    continue;
                /* d r'_ks / d u_i = es X'_kjs (delta_ki - g_i): labour row k, budget row k */
                double cl = (1.0 - rho) / m->wL[k] * es * Xp[k];
                double cb = -rho / m->E[k] * es * Xp[k];
                for (size_t i = 0; i < N; i++) {
                    double d = (i == k ? 1.0 : 0.0) - g[i];
                    JAC(k, i) += cl * d;
                    JAC(N + k, i) += cb * d;
                }
                /* d r'_ks / d e_j = X'_kjs */
                JAC(k, N + j) += (1.0 - rho) / m->wL[k] * Xp[k];
                JAC(N + k, N + j) += -rho / m->E[k] * Xp[k];
            }
            /* budget row j: d R'_js / d u_i = es (t_i X'_i - g_i R_js), d / d e_j = R_js */
            for (size_t i = 0; i < N; i++)
                JAC(N + j, i) += -es * (t[i] * Xp[i] - g[i] * Rjs) / m->E[j];
            JAC(N + j, N + j) += -Rjs / m->E[j];
        }
    }
    for (size_t i = 0; i < N; i++) {
        double wh = exp(x[i]);
        JAC(i, i) -= wh;
        JAC(N + i, i) -= m->wL[i] * wh / m->E[i];
        JAC(N + i, N + i) += exp(x[N + i]);
    }
    /* the numeraire replaces the last labour row */
    for (size_t c = 0; c < n; c++)
        JAC(N - 1, c) = c < N ? m->wL[c] * exp(x[c]) / m->wL_sum : 0.0;
#undef JAC
}

static void eval_any(struct tw_mc_state *st, const double *x)
{
    if (st->m->io)
        tw_mc_io_evaluate(st, x);
    else
        evaluate(st, x);
}

static void reset_x(struct tw_mc_state *st)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    memset(st->x, 0, st->n * sizeof(double));
    if (m->io)
        for (size_t k = N + N * S; k < st->n; k++)
            st->x[k] = 1.0;
}

tw_status tw_mc_solve(struct tw_mc_state *st, tw_err *err)
{
    size_t n = st->n;
    double *dx = st->work + n * n, *xt = dx + n;
    eval_any(st, st->x);
    double f = max_abs(st->F, n);
    st->newton_iter = 0;
    if (!isfinite(f)) { /* a bad warm start: restart from the baseline */
        reset_x(st);
        eval_any(st, st->x);
        f = max_abs(st->F, n);
    }
    while (f > TW_MC_TOL) {
        if (st->newton_iter >= TW_MC_MAX_NEWTON) {
            st->resid = f;
            return tw_err_set(err, TW_NOT_CONVERGED, "model: equilibrium not found after %d "
                              "Newton steps (largest scaled residual %.3g, tolerance %.0e)",
                              TW_MC_MAX_NEWTON, f, TW_MC_TOL);
        }
        if (st->m->io)
            tw_mc_io_jacobian(st);
        else
            jacobian(st);
        memcpy(st->work, st->J, n * n * sizeof(double));
        for (size_t k = 0; k < n; k++)
            dx[k] = -st->F[k];
        lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)n, 1, st->work,
                                        (lapack_int)n, st->ipiv, dx, (lapack_int)n);
        if (info != 0)
            return tw_err_set(err, TW_ENUMERIC, "model: singular equilibrium Jacobian (LAPACK "
                              "dgesv info %d)", (int)info);
        /* backtracking on the largest residual; steps in logs keep w^ and E^ positive */
        double step = 1.0, fn = (double)INFINITY;
        for (int h = 0; h <= TW_MC_MAX_HALVINGS; h++, step *= 0.5) {
            for (size_t k = 0; k < n; k++)
                xt[k] = st->x[k] + step * dx[k];
            eval_any(st, xt);
            fn = max_abs(st->F, n);
            if (fn < f || fn <= TW_MC_TOL)
                break;
        }
        if (!(fn < f) && !(fn <= TW_MC_TOL)) {
            eval_any(st, st->x);
            st->resid = f;
            return tw_err_set(err, TW_NOT_CONVERGED, "model: Newton line search failed "
                              "(largest scaled residual %.3g, tolerance %.0e)", f, TW_MC_TOL);
        }
        memcpy(st->x, xt, n * sizeof(double));
        f = fn;
        st->newton_iter++;
    }
    st->resid = f;
    st->solved = true;
    return TW_OK;
}

/* Pieces of country c's objective: numerator terms for G (or 0 for V). */
struct gov_terms {
    double num;    /* gov_numerator at the state */
    double L, W;   /* sum lambda (1-rho) r, sum (1-rho) r */
};

static struct gov_terms gov_terms_at(const struct tw_mc_state *st, size_t c)
{
    const struct tw_mc *m = st->m;
    size_t S = m->S;
    struct gov_terms g = {0.0, 0.0, 0.0};
    for (size_t s = 0; s < S; s++) {
        double lam = m->lambda[c * S + s], r = st->r[c * S + s];
        g.L += lam * (1.0 - m->rho[s]) * r;
        g.W += (1.0 - m->rho[s]) * r;
    }
    g.num = gov_numerator(m, c, st->r + c * S, st->R[c]);
    return g;
}

/* ln P^_c = sum_s mu_cs ln P^_cs. */
static double log_price(const struct tw_mc_state *st, size_t c)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    double lp = 0.0;
    for (size_t s = 0; s < S; s++)
        if (m->mu[c * S + s] > 0.0)
            lp += m->mu[c * S + s] * log(st->A[s * N + c]) / (1.0 - m->sigma[s]);
    return lp;
}

double tw_mc_log_objective(const struct tw_mc_state *st, size_t c, tw_mc_objective obj)
{
    const struct tw_mc *m = st->m;
    if (m->io) /* no political-economy weights with input-output links: real income */
        return tw_mc_io_log_welfare(st, c);
    if (obj == TW_MC_WELFARE)
        return st->x[m->N + c] - log_price(st, c);
    struct gov_terms g = gov_terms_at(st, c);
    return log(g.num / m->G0[c]) - log_price(st, c);
}

tw_status tw_mc_gradient(struct tw_mc_state *st, size_t c, tw_mc_objective obj, double *grad,
                         tw_err *err)
{
    const struct tw_mc *m = st->m;
    if (m->io)
        return tw_mc_io_gradient(st, c, grad, err);
    size_t N = m->N, S = m->S, n = 2 * N;
    double *ox = st->work + n * n; /* [n] d objective / d x, then the adjoint nu */
    memset(ox, 0, n * sizeof(double));
    /* direct partials: d ln P^_c / d u_i = sum_s mu_cs gamma'_ics */
    for (size_t s = 0; s < S; s++) {
        double mu = m->mu[c * S + s];
        const double *g = st->gp + (s * N + c) * N;
        for (size_t i = 0; i < N; i++)
            ox[i] -= mu * g[i];
    }
    struct gov_terms gt = {0.0, 0.0, 0.0};
    double *q = NULL; /* [S] d num / d r'_cs */
    double dnum_dR = 0.0;
    if (obj == TW_MC_WELFARE) {
        ox[N + c] += 1.0;
    } else {
        gt = gov_terms_at(st, c);
        q = tw_malloc(S * sizeof *q);
        if (q == NULL)
            return tw_err_set(err, TW_ENOMEM, "model: out of memory");
        double R = st->R[c];
        for (size_t s = 0; s < S; s++) {
            double lam = m->lambda[c * S + s], w1 = 1.0 - m->rho[s];
            q[s] = (lam + (gt.W > 0.0 ? R * (lam * w1 * gt.W - gt.L * w1) / (gt.W * gt.W) : 0.0)) /
                   gt.num;
        }
        dnum_dR = (gt.W > 0.0 ? gt.L / gt.W : 0.0) / gt.num;
        /* d r'_cs / d u_i = es (delta_ci r'_cs - sum_j X'_cjs gamma'_ijs); d r'_cs / d e_j = X'_cjs
         * d R'_c / d u_i = sum_s es (t'_ics X'_ics - gamma'_ics R'_cs); d R'_c / d e_c = R'_c */
        for (size_t s = 0; s < S; s++) {
            double es = 1.0 - m->sigma[s];
            ox[c] += q[s] * es * st->r[c * S + s];
            for (size_t j = 0; j < N; j++) {
                size_t o = (s * N + j) * N;
                double xc = st->Xp[o + c];
                ox[N + j] += q[s] * xc;
                if (xc == 0.0)
                    continue;
                const double *g = st->gp + o;
                for (size_t i = 0; i < N; i++)
                    ox[i] -= q[s] * es * xc * g[i];
            }
            size_t oc = (s * N + c) * N;
            double Rcs = st->Rjs[s * N + c];
            for (size_t i = 0; i < N; i++)
                ox[i] += dnum_dR * es * (st->t[oc + i] * st->Xp[oc + i] - st->gp[oc + i] * Rcs);
        }
        ox[N + c] += dnum_dR * st->R[c];
    }
    /* adjoint: J^T nu = ox */
    jacobian(st);
    tw_status rc = tw_mc_adjoint_solve(st, ox, err);
    if (rc != TW_OK) {
        tw_free(q);
        return rc;
    }
    const double *nu = ox;
    /* dO/dz = O_z - nu^T F_z. F_z: labour row k (k < N-1) has (1-rho_s)/wL_k d r'_ks;
     * budget row k has -rho_s/E_k d r'_ks and row j has -1/E_j d R'_j. */
    for (size_t s = 0; s < S; s++) {
        double sg = m->sigma[s], es = 1.0 - sg, rho = m->rho[s];
        for (size_t j = 0; j < N; j++) {
            size_t o = (s * N + j) * N;
            const double *g = st->gp + o, *Xp = st->Xp + o, *t = st->t + o;
            double Rjs = st->Rjs[s * N + j];
            double Cjs = 0.0; /* sum_k c_ks X'_kjs */
            for (size_t k = 0; k < N; k++) {
                double ck = (k < N - 1 ? nu[k] * (1.0 - rho) / m->wL[k] : 0.0) -
                            nu[N + k] * rho / m->E[k];
                Cjs += ck * Xp[k];
            }
            double dj = -nu[N + j] / m->E[j];
            for (size_t i = 0; i < N; i++) {
                if (i == j) {
                    grad[o + i] = 0.0;
                    continue;
                }
                double ci = (i < N - 1 ? nu[i] * (1.0 - rho) / m->wL[i] : 0.0) -
                            nu[N + i] * rho / m->E[i];
                double dR = (1.0 + t[i]) * Xp[i] - sg * t[i] * Xp[i] - es * g[i] * Rjs;
                double nuFz = -sg * ci * Xp[i] - es * g[i] * Cjs + dj * dR;
                double Oz = 0.0;
                /* direct effects: ln P^_c (own market); for G also c's sales r'_cs in every
                 * market j (d X'_cjs / d z_ijs) and its tariff revenue (own market) */
                if (obj == TW_MC_GOV)
                    Oz += q[s] * Xp[c] * (-sg * (i == c ? 1.0 : 0.0) - es * g[i]);
                if (j == c) {
                    Oz -= m->mu[c * S + s] * g[i];
                    if (obj == TW_MC_GOV)
                        Oz += dnum_dR * dR;
                }
                grad[o + i] = Oz - nuFz;
            }
        }
    }
    tw_free(q);
    return TW_OK;
}

void tw_mc_rebase(struct tw_mc *m, struct tw_mc_state *st)
{
    size_t N = m->N, S = m->S, C = S * N * N;
    memcpy(m->X, st->Xp, C * sizeof(double));
    memcpy(m->t0, st->t, C * sizeof(double));
    tw_err e;
    /* a solved state has positive expenditure and labour income */
    if (m->io)
        (void)tw_mc_io_derive(m, &e);
    else
        (void)derive(m, &e);
    (void)N;
    reset_x(st);
    tw_mc_state_set_tariffs(st, m->t0);
}

tw_status tw_mc_purge(struct tw_mc *m, tw_err *err)
{
    struct tw_mc_state *st = NULL;
    tw_status rc = tw_mc_state_new(m, &st, err);
    if (rc != TW_OK)
        return rc;
    for (size_t c = 0; c < m->N; c++)
        m->NX[c] = 0.0;
    if ((rc = tw_mc_solve(st, err)) == TW_OK)
        tw_mc_rebase(m, st);
    else
        tw_err_prefix(err, "balanced-trade purge");
    tw_mc_state_free(st);
    return rc;
}

tw_status tw_mc_adjoint_solve(struct tw_mc_state *st, double *rhs, tw_err *err)
{
    size_t n = st->n;
    memcpy(st->work, st->J, n * n * sizeof(double));
    lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, st->work,
                                     (lapack_int)n, st->ipiv);
    if (info == 0)
        info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'T', (lapack_int)n, 1, st->work, (lapack_int)n,
                              st->ipiv, rhs, (lapack_int)n);
    if (info != 0)
        return tw_err_set(err, TW_ENUMERIC, "model: singular equilibrium Jacobian in the "
                          "gradient (LAPACK info %d)", (int)info);
    return TW_OK;
}

double tw_mc_exports(const struct tw_mc_state *st, size_t c)
{
    size_t N = st->m->N, S = st->m->S;
    double v = 0.0;
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            if (j != c)
                v += st->Xp[(s * N + j) * N + c];
    return v;
}

double tw_mc_imports(const struct tw_mc_state *st, size_t c)
{
    size_t N = st->m->N, S = st->m->S;
    double v = 0.0;
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            if (i != c)
                v += st->Xp[(s * N + c) * N + i];
    return v;
}
