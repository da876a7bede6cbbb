/* SPDX-License-Identifier: MIT */
/*
 * src/model/mc_io.c: the tariff-game model with input-output links: the Caliendo-Parro (2015)
 * economy (Eaton-Kortum sectors, Cobb-Douglas value added and intermediates, tariff revenue
 * rebated, deficits held fixed) written as one stacked system with an analytic Jacobian, so
 * that the games of policy/game.c get exact gradients on worlds like the built-in one.
 *
 * References: L. Caliendo and F. Parro (2015), RES 82(1), equations (7)-(12) in changes (the
 * same model as model/cp.c, which solves it by nested fixed points; the tests compare the
 * two); docs/games.md.
 *
 * Unknowns x (n = N + 2NS): u_i = ln w^_i; p_js = ln P^_js; y_js = X'_js / X_js (spending on
 * sector s by country j, tariffs included, relative to the baseline). With
 * lc_is = beta_is u_i + sum_k gamma_iks p_ik (unit cost, eq. 7) and
 * pi'_ijs = pi_ijs tau^_ijs^-theta_s exp(-theta_s lc_is + theta_s p_js) (eq. 9):
 *   F_u[i] = sum_s beta_is Y'_is / wL_i - w^_i (i < N-1; the last row is the numeraire
 *            sum_i wL_i w^_i = sum_i wL_i)                                    (eq. 12)
 *   F_p[js] = sum_i pi'_ijs - 1                                               (eq. 8)
 *   F_y[js] = (X_js y_js - sum_k gamma_jsk Y'_jk - alpha_js I'_j) / E_j       (eq. 10)
 * with X'_ijs = pi'_ijs X_js y_js / (1 + t'_ijs) (sales before tariffs), Y'_is = sum_j X'_ijs,
 * R'_j = sum_is t'_ijs X'_ijs, I'_j = wL_j w^_j + R'_j + D_j, D_j = -NX_j.
 * Welfare: ln V^_j = ln(I'_j / I_j) - sum_s alpha_js p_js (real income).
 */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "model/mc.h"

tw_status tw_mc_io_derive(struct tw_mc *m, tw_err *err)
{
    size_t N = m->N, S = m->S;
    memset(m->wL, 0, N * sizeof(double));
    m->wL_sum = 0.0;
    for (size_t j = 0; j < N; j++) {
        m->E[j] = 0.0;
        double R = 0.0;
        for (size_t s = 0; s < S; s++) {
            const double *X = m->X + (s * N + j) * N, *t = m->t0 + (s * N + j) * N;
            double tot = 0.0;
            for (size_t i = 0; i < N; i++) {
                tot += (1.0 + t[i]) * X[i];
                R += t[i] * X[i];
            }
            m->Ejs[j * S + s] = tot;
            m->E[j] += tot;
            double *g = m->gam + (s * N + j) * N;
            for (size_t i = 0; i < N; i++)
                g[i] = tot > 0.0 ? (1.0 + t[i]) * X[i] / tot : 0.0;
        }
        for (size_t s = 0; s < S; s++) {
            double Y = 0.0;
            for (size_t k = 0; k < N; k++)
                Y += m->X[(s * N + k) * N + j];
            m->wL[j] += m->beta[j * S + s] * Y;
        }
        if (!(m->E[j] > 0.0) || !(m->wL[j] > 0.0))
            return tw_err_set(err, TW_EINVAL, "model: country %zu has no spending or no value "
                              "added", j);
        m->inc[j] = m->wL[j] + R - m->NX[j];
        m->wL_sum += m->wL[j];
    }
    return TW_OK;
}

/* Index helpers of the stacked unknowns and residuals. */
#define IU(i) (i)
#define IP(j, s) (N + (j) * S + (s))
#define IY(j, s) (N + N * S + (j) * S + (s))

void tw_mc_io_evaluate(struct tw_mc_state *st, const double *x)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    double *lc = st->A; /* [N*S] unit-cost logs, [i*S + s] (A is free with input-output) */
    bool bad = false;
    for (size_t i = 0; i < N; i++)
        for (size_t s = 0; s < S; s++) {
            double v = m->beta[i * S + s] * x[IU(i)];
            for (size_t k = 0; k < S; k++)
                v += m->gio[(i * S + k) * S + s] * x[IP(i, k)];
            lc[i * S + s] = v;
        }
    memset(st->r, 0, N * S * sizeof(double));
    memset(st->R, 0, N * sizeof(double));
    for (size_t s = 0; s < S; s++) {
        double th = m->sigma[s] - 1.0;
        for (size_t j = 0; j < N; j++) {
            size_t o = (s * N + j) * N;
            const double *b = st->b + o, *t = st->t + o;
            double *g = st->gp + o, *Xp = st->Xp + o;
            double y = x[IY(j, s)], pj = x[IP(j, s)], sum = 0.0, Rjs = 0.0;
            if (!(y > 0.0))
                bad = true;
            double spend = m->Ejs[j * S + s] * y;
            for (size_t i = 0; i < N; i++) {
                g[i] = b[i] == 0.0 ? 0.0 : b[i] * exp(th * (pj - lc[i * S + s]));
                sum += g[i];
                Xp[i] = g[i] * spend / (1.0 + t[i]);
                Rjs += t[i] * Xp[i];
                st->r[i * S + s] += Xp[i];
            }
            st->Rjs[s * N + j] = Rjs;
            st->R[j] += Rjs;
            st->F[IP(j, s)] = sum - 1.0;
        }
    }
    double num = 0.0;
    for (size_t i = 0; i < N; i++) {
        double va = 0.0, wh = exp(x[IU(i)]);
        for (size_t s = 0; s < S; s++)
            va += m->beta[i * S + s] * st->r[i * S + s];
        st->F[IU(i)] = va / m->wL[i] - wh;
        num += m->wL[i] * wh;
        double Ic = m->wL[i] * wh + st->R[i] - m->NX[i];
        for (size_t s = 0; s < S; s++) {
            double inter = 0.0;
            for (size_t k = 0; k < S; k++)
                inter += m->gio[(i * S + s) * S + k] * st->r[i * S + k];
            st->F[IY(i, s)] = (m->Ejs[i * S + s] * x[IY(i, s)] - inter -
                               m->alpha[i * S + s] * Ic) / m->E[i];
        }
    }
    st->F[IU(N - 1)] = num / m->wL_sum - 1.0;
    if (bad)
        st->F[IU(0)] = (double)NAN; /* a trial step left the positive orthant: reject it */
}

/*
 * d R'_j / d x into dR[n] (zeroed here): sum over (i, s) of t'_ijs dX'_ijs, with
 * d ln X'_ijs = -theta_s (beta_is du_i + sum_k gamma_iks dp_ik) + theta_s dp_js + dy_js / y_js.
 */
static void revenue_row(const struct tw_mc_state *st, const double *x, size_t j, double *dR)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    memset(dR, 0, st->n * sizeof *dR);
    for (size_t s = 0; s < S; s++) {
        double th = m->sigma[s] - 1.0;
        size_t o = (s * N + j) * N;
        for (size_t i = 0; i < N; i++) {
            double tx = st->t[o + i] * st->Xp[o + i];
            if (tx == 0.0)
                continue;
            dR[IU(i)] -= th * m->beta[i * S + s] * tx;
            for (size_t k = 0; k < S; k++)
                dR[IP(i, k)] -= th * m->gio[(i * S + k) * S + s] * tx;
        }
        double Rjs = st->Rjs[s * N + j];
        dR[IP(j, s)] += th * Rjs;
        dR[IY(j, s)] += Rjs / x[IY(j, s)];
    }
}

void tw_mc_io_jacobian(struct tw_mc_state *st)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S, n = st->n;
    double *J = st->J;
    const double *x = st->x;
    double *dR = st->work + n * n; /* [n] scratch (the Newton step is set after this) */
    memset(J, 0, n * n * sizeof(double));
#define JAC(row, col) J[(size_t)(col) * n + (size_t)(row)]
    /* F_p rows: d pi'_ijs = pi' (-theta (beta du_i + sum_k gamma_iks dp_ik) + theta dp_js) */
    for (size_t s = 0; s < S; s++) {
        double th = m->sigma[s] - 1.0;
        for (size_t j = 0; j < N; j++) {
            const double *g = st->gp + (s * N + j) * N;
            size_t row = IP(j, s);
            double sum = 0.0;
            for (size_t i = 0; i < N; i++) {
                if (g[i] == 0.0)
                    continue;
                sum += g[i];
                JAC(row, IU(i)) -= th * m->beta[i * S + s] * g[i];
                for (size_t k = 0; k < S; k++)
                    JAC(row, IP(i, k)) -= th * m->gio[(i * S + k) * S + s] * g[i];
            }
            JAC(row, IP(j, s)) += th * sum;
        }
    }
    /* Y'_is derivatives, scattered into F_u[i] (beta_is / wL_i) and F_y[i, k]
     * (-gamma_iks / E_i): columns u_i, p_i., p_js and y_js for every market j */
    for (size_t i = 0; i < N; i++)
        for (size_t s = 0; s < S; s++) {
            double th = m->sigma[s] - 1.0, Y = st->r[i * S + s];
            if (Y == 0.0)
                continue;
            /* the rows that Y'_is enters and their coefficients */
            for (size_t q = 0; q <= S; q++) {
                size_t row;
                double coef;
                if (q == S) {
                    if (i == N - 1)
                        continue;
                    row = IU(i);
                    coef = m->beta[i * S + s] / m->wL[i];
                } else {
                    row = IY(i, q);
                    coef = -m->gio[(i * S + q) * S + s] / m->E[i];
                }
                if (coef == 0.0)
                    continue;
                JAC(row, IU(i)) += coef * (-th * m->beta[i * S + s] * Y);
                for (size_t k = 0; k < S; k++)
                    JAC(row, IP(i, k)) += coef * (-th * m->gio[(i * S + k) * S + s] * Y);
                for (size_t j = 0; j < N; j++) {
                    double X = st->Xp[(s * N + j) * N + i];
                    if (X == 0.0)
                        continue;
                    JAC(row, IP(j, s)) += coef * th * X;
                    JAC(row, IY(j, s)) += coef * X / x[IY(j, s)];
                }
            }
        }
    /* F_y[j, .]: own spending, income (wages and tariff revenue) */
    for (size_t j = 0; j < N; j++) {
        revenue_row(st, x, j, dR);
        double wh = exp(x[IU(j)]);
        for (size_t s = 0; s < S; s++) {
            size_t row = IY(j, s);
            double a = m->alpha[j * S + s] / m->E[j];
            JAC(row, IY(j, s)) += m->Ejs[j * S + s] / m->E[j];
            JAC(row, IU(j)) -= a * m->wL[j] * wh;
            if (a != 0.0)
                for (size_t c = 0; c < n; c++)
                    if (dR[c] != 0.0)
                        JAC(row, c) -= a * dR[c];
        }
    }
    /* F_u: the wage itself, and the numeraire row */
    for (size_t i = 0; i + 1 < N; i++)
        JAC(IU(i), IU(i)) -= exp(x[IU(i)]);
    for (size_t c = 0; c < n; c++)
        JAC(IU(N - 1), c) = c < N ? m->wL[c] * exp(x[c]) / m->wL_sum : 0.0;
#undef JAC
}

double tw_mc_io_log_welfare(const struct tw_mc_state *st, size_t c)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S;
    double Ic = m->wL[c] * exp(st->x[IU(c)]) + st->R[c] - m->NX[c], lp = 0.0;
    for (size_t s = 0; s < S; s++)
        lp += m->alpha[c * S + s] * st->x[IP(c, s)];
    return log(Ic / m->inc[c]) - lp;
}

tw_status tw_mc_io_gradient(struct tw_mc_state *st, size_t c, double *grad, tw_err *err)
{
    const struct tw_mc *m = st->m;
    size_t N = m->N, S = m->S, n = st->n;
    const double *x = st->x;
    /* the Jacobian first: it uses work[n*n ..] as scratch */
    tw_mc_io_jacobian(st);
    double *ox = st->work + n * n; /* [n] d ln V_c / d x, then the adjoint */
    double Ic = m->wL[c] * exp(x[IU(c)]) + st->R[c] - m->NX[c];
    revenue_row(st, x, c, ox);
    for (size_t k = 0; k < n; k++)
        ox[k] /= Ic;
    ox[IU(c)] += m->wL[c] * exp(x[IU(c)]) / Ic;
    for (size_t s = 0; s < S; s++)
        ox[IP(c, s)] -= m->alpha[c * S + s];
    tw_status rc = tw_mc_adjoint_solve(st, ox, err);
    if (rc != TW_OK)
        return rc;
    const double *nu = ox;
    /* per (i, s): nu^T dF / d Y'_is; per j: nu^T dF / d R'_j */
    double *cY = tw_malloc((N * S + N) * sizeof(double));
    if (cY == NULL)
        return tw_err_set(err, TW_ENOMEM, "model: out of memory");
    double *cR = cY + N * S;
    for (size_t i = 0; i < N; i++) {
        for (size_t s = 0; s < S; s++) {
            double v = i + 1 < N ? nu[IU(i)] * m->beta[i * S + s] / m->wL[i] : 0.0;
            for (size_t k = 0; k < S; k++)
                v -= nu[IY(i, k)] * m->gio[(i * S + k) * S + s] / m->E[i];
            cY[i * S + s] = v;
        }
        double v = 0.0;
        for (size_t s = 0; s < S; s++)
            v -= nu[IY(i, s)] * m->alpha[i * S + s] / m->E[i];
        cR[i] = v;
    }
    /* dX'_ijs / dz_ijs = -(theta+1) X', dpi'/dz = -theta pi',
     * dR'_j / dz_ijs = (1 + t') X' - (theta + 1) t' X' */
    for (size_t s = 0; s < S; s++) {
        double th = m->sigma[s] - 1.0;
        for (size_t j = 0; j < N; j++) {
            size_t o = (s * N + j) * N;
            for (size_t i = 0; i < N; i++) {
                if (i == j) {
                    grad[o + i] = 0.0;
                    continue;
                }
                double X = st->Xp[o + i], t = st->t[o + i];
                double dX = -(th + 1.0) * X, dR = (1.0 + t) * X + t * dX;
                double nuFz = nu[IP(j, s)] * (-th * st->gp[o + i]) + cY[i * S + s] * dX +
                              cR[j] * dR;
                double Oz = j == c ? dR / Ic : 0.0;
                grad[o + i] = Oz - nuFz;
            }
        }
    }
    tw_free(cY);
    return TW_OK;
}
