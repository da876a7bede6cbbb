/* SPDX-License-Identifier: MIT */
/*
 * src/model/mc.h: the multi-sector gravity model without input-output links used by the
 * tariff games (optimal tariffs, Nash wars, talks), with exact derivatives.
 *
 * One kernel covers two published models, which differ only in the share of revenue that is
 * pure profit (rho_s):
 *   - Ossa (2014), "Trade Wars and Trade Talks with Data", AER 104(12): monopolistic
 *     competition with a fixed mass of firms, rho_s = 1/sigma_s (section I, eqs. 1-4), and the
 *     government objective with political-economy weights lambda (eq. 5);
 *   - Lashkaripour (2021), "The Cost of a Global Tariff War", JIE 131, baseline model: perfect
 *     competition (Armington / Eaton-Kortum), rho_s = 0. With sigma_s = epsilon_s + 1 its
 *     equilibrium in changes is the same system (see docs/games.md).
 *
 * Equilibrium in changes (exact hat algebra; ../shared/docs/models/ossa2014.md section 2):
 * unknowns u_i = ln w^_i and e_j = ln E^_j (2N). Given new tariffs t' and
 * b_ijs = gamma_ijs ((1+t'_ijs)/(1+t_ijs))^(1-sigma_s):
 *   A_js = sum_i b_ijs w^_i^(1-sigma_s)               (P^_js^(1-sigma_s))
 *   gamma'_ijs = b_ijs w^_i^(1-sigma_s) / A_js          (new import shares, tariffs included)
 *   X'_ijs = gamma'_ijs mu_js E_j E^_j / (1+t'_ijs)   (new flows before tariffs)
 *   r'_is = sum_j X'_ijs,  R'_j = sum_s sum_i t'_ijs X'_ijs
 * residuals, scaled to be relative:
 *   labour (i < N-1): sum_s (1-rho_s) r'_is / wL_i - w^_i = 0
 *   numeraire:        sum_i wL_i w^_i / sum_i wL_i - 1 = 0     (world labour income fixed)
 *   budget (every j): E^_j - (wL_j w^_j + sum_s rho_s r'_js + R'_j - NX'_j) / E_j = 0
 * Newton's method with the analytic Jacobian; gradients of welfare with respect to tariffs by
 * the implicit-function theorem (one adjoint solve per objective).
 *
 * Layouts: tariff cubes as in core/world.h, [(s*N + importer)*N + exporter].
 */
#ifndef TW_MODEL_MC_H
#define TW_MODEL_MC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/world.h"

/* Newton stops when every scaled residual is below this (they are relative quantities). */
#define TW_MC_TOL 1e-12
/* Most Newton iterations of one equilibrium solve. */
#define TW_MC_MAX_NEWTON 100
/* Most step halvings of the Newton line search. */
#define TW_MC_MAX_HALVINGS 40

/* Which objective of a country: real income V (Ossa's "welfare") or government welfare G. */
typedef enum tw_mc_objective { TW_MC_WELFARE = 0, TW_MC_GOV = 1 } tw_mc_objective;

struct tw_mc {
    size_t N, S;
    double *sigma;  /* [S] elasticity of substitution (theta + 1) */
    double *rho;    /* [S] profit share of revenue */
    double *X;      /* [S*N*N] baseline flows before tariffs */
    double *t0;     /* [S*N*N] baseline tariffs */
    double *gam;    /* [S*N*N] baseline import shares, tariffs included */
    double *Ejs;    /* [N*S] baseline spending of j on s, tariffs included, [j*S + s] */
    double *mu;     /* [N*S] expenditure shares */
    double *E;      /* [N] expenditure */
    double *wL;     /* [N] labour income */
    double *NX;     /* [N] net exports held in the counterfactual (0 after the purge) */
    double *lambda; /* [N*S] political-economy weights */
    double *G0;     /* [N] baseline government-welfare numerator */
    double wL_sum;
    /* With input-output links (Caliendo-Parro 2015 production; model/mc_io.c): */
    bool io;        /* the world has input-output links: unknowns u, ln P^_js, X'_js / X_js */
    double *beta;   /* [N*S] value-added shares */
    double *gio;    /* [N*S*S] input shares, [(c*S + k)*S + s] = input k in using sector s */
    double *alpha;  /* [N*S] final-demand shares */
    double *inc;    /* [N] baseline income wL + R + D */
};

/* A solved (or being solved) equilibrium for one tariff cube, with its work arrays. */
struct tw_mc_state {
    const struct tw_mc *m;
    double *t;      /* [S*N*N] counterfactual tariffs (owned copy) */
    double *b;      /* [S*N*N] gamma * tau^^(1-sigma) */
    double *x;      /* [2N] u then e */
    double *gp;     /* [S*N*N] gamma' */
    double *Xp;     /* [S*N*N] X' */
    double *A;      /* [S*N] P^^(1-sigma), [s*N + j] */
    double *Rjs;    /* [S*N] tariff revenue by market */
    double *r;      /* [N*S] r' */
    double *R;      /* [N] R' */
    double *F;      /* [n] residuals; n = 2N, or N + 2NS with input-output links */
    double *J;      /* [n*n] Jacobian, column-major */
    double *work;   /* [n*n + 2n] Newton / adjoint scratch */
    int *ipiv;      /* [n] */
    size_t n;       /* number of unknowns */
    size_t newton_iter;
    double resid;
    bool solved;
};

/*
 * Build the model from a world without input-output links (va_share 1, io 0). profit_share:
 * true for Ossa's fixed-firm-mass monopolistic competition (rho = 1/sigma), false for perfect
 * competition. The world's deficits give the baseline net exports; NX' starts at the data
 * (call tw_mc_purge for Ossa's balanced baseline). TW_OK, TW_EINVAL (IO links, a country with
 * no expenditure or no labour income), TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_mc_new(const struct tw_world *w, bool profit_share, struct tw_mc **out,
                                tw_err *err);
TW_INTERNAL void tw_mc_free(struct tw_mc *m);
/* Solve J^T nu = rhs in place (rhs becomes nu) with the Jacobian held in st->J (kept; st->work
 * and st->ipiv are scratch): the adjoint step of the gradients. TW_OK or TW_ENUMERIC
 * (singular Jacobian). */
TW_INTERNAL tw_status tw_mc_adjoint_solve(struct tw_mc_state *st, double *rhs, tw_err *err);

TW_INTERNAL tw_status tw_mc_state_new(const struct tw_mc *m, struct tw_mc_state **out,
                                      tw_err *err);
TW_INTERNAL void tw_mc_state_free(struct tw_mc_state *st);

/* Set the counterfactual tariff cube (copied); keeps the current x as the warm start. */
TW_INTERNAL void tw_mc_state_set_tariffs(struct tw_mc_state *st, const double *t);

/* Solve the equilibrium for the state's tariffs by Newton from the state's x. TW_OK or
 * TW_ENOCONV (message names the residual left), TW_ENUMERIC (singular Jacobian). */
TW_INTERNAL tw_status tw_mc_solve(struct tw_mc_state *st, tw_err *err);

/* Log of country c's objective change at a solved state (ln V^ or ln G^). */
TW_INTERNAL double tw_mc_log_objective(const struct tw_mc_state *st, size_t c,
                                       tw_mc_objective obj);

/*
 * Gradient of ln(objective of country c) with respect to ln(1 + t'_ijs) for every cell of the
 * tariff cube (zero on the diagonal), at a solved state, by the implicit-function theorem.
 * grad: [S*N*N]. TW_OK or TW_ENUMERIC.
 */
TW_INTERNAL tw_status tw_mc_gradient(struct tw_mc_state *st, size_t c, tw_mc_objective obj,
                                     double *grad, tw_err *err);

/* Make a solved state the new baseline of m (flows X', tariffs t', NX' kept); the state's x is
 * reset to 0 (the new baseline). Used by the balanced-trade purge and to re-base talks. */
TW_INTERNAL void tw_mc_rebase(struct tw_mc *m, struct tw_mc_state *st);

/* Ossa's purge (section IV): solve at the baseline tariffs with NX' = 0 and re-base.
 * TW_OK or the solver's status. */
TW_INTERNAL tw_status tw_mc_purge(struct tw_mc *m, tw_err *err);

/* The input-output variant (model/mc_io.c), called by mc.c when m->io. */
TW_INTERNAL tw_status tw_mc_io_derive(struct tw_mc *m, tw_err *err);
TW_INTERNAL void tw_mc_io_evaluate(struct tw_mc_state *st, const double *x);
TW_INTERNAL void tw_mc_io_jacobian(struct tw_mc_state *st);
TW_INTERNAL double tw_mc_io_log_welfare(const struct tw_mc_state *st, size_t c);
TW_INTERNAL tw_status tw_mc_io_gradient(struct tw_mc_state *st, size_t c, double *grad,
                                        tw_err *err);

/* Exports (off-diagonal sales before tariffs) and imports of country c at a state. */
TW_INTERNAL double tw_mc_exports(const struct tw_mc_state *st, size_t c);
TW_INTERNAL double tw_mc_imports(const struct tw_mc_state *st, size_t c);

#endif
