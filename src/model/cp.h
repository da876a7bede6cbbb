/* SPDX-License-Identifier: MIT */
/*
 * src/model/cp.h: the Caliendo-Parro (2015) multi-sector Eaton-Kortum model with input-output
 * linkages and tariffs, solved in changes ("exact hat algebra").
 *
 * A tw_cp borrows the world (flows, tariffs and input-output shares are read from it, never
 * copied), holds the baseline expenditure and value added, and the workspaces of one solve;
 * tw_cp_solve computes one equilibrium in changes relative to the data for given new tariffs,
 * trade-cost changes, productivity changes and new deficits. Two solutions (baseline,
 * counterfactual) are compared by the policy layer.
 *
 * Memory: a model holds two S*N*N arrays (the shock-adjusted shares kappa_hat^-theta pi, and
 * pi'/(1+tau') of the current iterate) and O(N S) besides (worlds of at most 2^20 bilateral
 * cells, where the arrays sit in cache, also keep the inverse tariffs and the shares in a
 * second layout: 4 arrays of at most 8 MiB, for speed); the flows of a solution are formed
 * in place in the second one (tw_cp_flows) and may be taken by the caller (tw_cp_take_flows),
 * so a solve never allocates more than one further S*N*N array.
 *
 * Threads: the S*N*N and N*S*S loops of one iteration run over OpenMP threads (static
 * schedules; every thread computes whole sectors or countries, and no sum is split between
 * threads), so results are bit-identical for any number of threads (tw_solve_opts.n_threads).
 *
 * References: L. Caliendo and F. Parro (2015), "Estimates of the Trade and Welfare Effects of
 * NAFTA", Review of Economic Studies 82(1), section 3 (equilibrium in changes, the system of
 * eqs. (10)-(14) in the paper's numbering of the hat system) and the computational appendix
 * (nested fixed point). Notation and pitfalls in ../shared/docs/models/cp2015.md.
 *
 * Layouts (N countries, S sectors; n importer, i exporter, s sector):
 *   country-sector arrays [N*S]: [n*S + s]
 *   bilateral arrays [S*N*N]: [(s*N + n)*N + i] (importer-major, exporters contiguous)
 */
#ifndef TW_MODEL_CP_H
#define TW_MODEL_CP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/world.h"
#include "tradewar/tradewar.h"

typedef struct tw_cp tw_cp;

/* An equilibrium in changes relative to the data (all arrays owned by the caller). */
typedef struct tw_cp_solution {
    double *ln_w;  /* [N] ln w_hat */
    double *ln_p;  /* [N*S] ln P_hat (sectoral price index) */
    double *ln_c;  /* [N*S] ln c_hat (input-bundle cost) */
    double *x;     /* [N*S] new expenditure X' gross of tariffs, USD (numeraire: world VA) */
} tw_cp_solution;

/* Build the model from a validated world. Shares pi = flow(1+tau)/X; a country-sector with no
 * absorption is given pi_nn = 1 (its row then never matters). TW_OK, TW_ENOMEM, TW_EINVAL. */
TW_INTERNAL tw_status tw_cp_new(const struct tw_world *w, const tw_solve_opts *opts,
                                tw_cp **out, tw_err *err);
TW_INTERNAL void tw_cp_free(tw_cp *m);

/* Allocate / free the arrays of a solution for m's dimensions. */
TW_INTERNAL tw_status tw_cp_solution_alloc(const tw_cp *m, tw_cp_solution *sol, tw_err *err);
TW_INTERNAL void tw_cp_solution_free(tw_cp_solution *sol);

/* Baseline data accessors (borrowed, layouts above). */
TW_INTERNAL const double *tw_cp_x0(const tw_cp *m);   /* [N*S] */
TW_INTERNAL const double *tw_cp_va0(const tw_cp *m);  /* [N] */

/*
 * Solve the equilibrium in changes for new tariffs tau1 [S*N*N] (world layout), trade-cost
 * changes d_hat [S*N*N], productivity changes a_hat [N*S] and new deficits d1 [N] (USD).
 * `stage` names the solve in messages and progress. `init` is a starting point (a solution of
 * the same model, e.g. the baseline; NULL: start from the data, w_hat = P_hat = 1). On TW_OK or TW_NOT_CONVERGED `sol` holds
 * the (best) solution and `info` the solver report. Returns TW_OK, TW_NOT_CONVERGED,
 * TW_ENUMERIC (NaN or non-finite price), TW_EINTERRUPTED.
 */
TW_INTERNAL tw_status tw_cp_solve(tw_cp *m, const double *tau1, const double *d_hat,
                                  const double *a_hat, const double *d1, const char *stage,
                                  const tw_cp_solution *init, tw_cp_solution *sol,
                                  tw_solver_info *info, tw_err *err);

/*
 * The flows before tariffs of the last tw_cp_solve that returned TW_OK or TW_NOT_CONVERGED,
 * pi'_ni^s X'_n^s / (1 + tau'_ni^s) in the bilateral layout, USD. They are formed in place in
 * the model's own buffer (no allocation) and stay valid until the next tw_cp_solve or
 * tw_cp_take_flows; call once per solve (NULL otherwise).
 */
TW_INTERNAL const double *tw_cp_flows(tw_cp *m);
/* Take ownership of the buffer tw_cp_flows returned (free with tw_free); the model allocates
 * a new one at its next solve. NULL when tw_cp_flows has not been called since the solve. */
TW_INTERNAL double *tw_cp_take_flows(tw_cp *m);

#endif
