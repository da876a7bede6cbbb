/* SPDX-License-Identifier: MIT */
/*
 * src/policy/result.h: the layout of tw_result (counterfactual relative to baseline).
 *
 * Invariants: every array is filled when tw_simulate returns TW_OK or TW_NOT_CONVERGED (the
 * bilateral ones only when the result keeps its bilateral detail, otherwise they are NULL);
 * `converged` is false in the second case and every consumer must show it.
 */
#ifndef TW_POLICY_RESULT_H
#define TW_POLICY_RESULT_H

#include <math.h>

#include "core/world.h"
#include "tradewar/tradewar.h"

/* Flows [S*N*N] shared by a baseline and the results made from it (reference counted; a
 * baseline and its results are used by one thread at a time). */
struct tw_shared_flows {
    size_t refs;
    double *v;                 /* [S*N*N] world layout [(s*N + j)*N + i], USD; owned */
};

struct tw_result {
    const struct tw_world *w;  /* borrowed: must outlive the result */
    tw_deficits deficits;      /* deficit treatment of both stages */
    bool converged;            /* both stages converged */
    size_t N, S;               /* dimensions */
    tw_solver_info info[2];    /* [TW_STAGE_BASELINE], [TW_STAGE_COUNTERFACTUAL] */
    double *country;           /* [TW_C_MEASURE_COUNT * N], [m*N + c] */
    double *sector;            /* [TW_S_MEASURE_COUNT * N * S], [(m*N + c)*S + s] */
    double *pair_b;            /* [N*N] baseline flows summed over sectors, [j*N + i], USD */
    double *pair_c;            /* [N*N] counterfactual, same layout */
    /* Bilateral detail (tw_solve_opts.bilateral); all NULL without it. The decomposition by
     * partner is computed from these on demand (tw_decomp_tot/vot below), exactly as the
     * totals in TW_C_TOT_PCT / TW_C_VOT_PCT were. */
    struct tw_shared_flows *flow_b; /* baseline-equilibrium flows before tariffs */
    struct tw_shared_flows *flow_c; /* counterfactual flows (the baseline's when unchanged) */
    double *lnc_b;             /* [N*S] ln c_hat of the baseline equilibrium */
    double *lnc_c;             /* [N*S] ln c_hat of the counterfactual */
};

/* CP2015 welfare decomposition, discrete form (src/policy/simulate.c): the terms of trade and
 * volume of trade of country n with partner i in sector s, in USD, from n's baseline exports
 * E to i and imports M from i, counterfactual imports Mc, baseline tariff t of n on i, and
 * the log cost changes of n and i. Shared by the totals and the by-partner accessors. */
static inline double tw_decomp_tot(double E, double M, double lch_n, double lch_i)
{
    return E * expm1(lch_n) - M * expm1(lch_i);
}

static inline double tw_decomp_vot(double M, double Mc, double t, double lch_i)
{
    if (!(M > 0.0 && t != 0.0))
        return 0.0;
    double mh = Mc / M;
    return t * M * (mh - exp(lch_i));
}

#endif
