/* SPDX-License-Identifier: MIT */
/*
 * src/policy/result.h: the layout of tw_result (counterfactual relative to baseline).
 *
 * Invariants: every array is filled when tw_simulate returns TW_OK or TW_NOT_CONVERGED;
 * `converged` is false in the second case and every consumer must show it.
 */
#ifndef TW_POLICY_RESULT_H
#define TW_POLICY_RESULT_H

#include "core/world.h"
#include "tradewar/tradewar.h"

struct tw_result {
    const struct tw_world *w;  /* borrowed: must outlive the result */
    tw_deficits deficits;      /* deficit treatment of both stages */
    bool converged;            /* both stages converged */
    size_t N, S;               /* dimensions */
    tw_solver_info info[2];    /* [TW_STAGE_BASELINE], [TW_STAGE_COUNTERFACTUAL] */
    double *country;           /* [TW_C_MEASURE_COUNT * N], [m*N + c] */
    double *sector;            /* [TW_S_MEASURE_COUNT * N * S], [(m*N + c)*S + s] */
    double *flow_b;            /* [S*N*N] baseline-equilibrium flows before tariffs, world
                                  layout [(s*N + j)*N + i], USD */
    double *flow_c;            /* [S*N*N] counterfactual flows, same layout */
    double *tot;               /* [N*N*S] terms-of-trade term, [(n*N + i)*S + s], % of I_n */
    double *vot;               /* [N*N*S] volume-of-trade term, same layout */
};

#endif
