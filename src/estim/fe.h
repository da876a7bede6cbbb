/* SPDX-License-Identifier: MIT */
/*
 * src/estim/fe.h: the fixed-effect index and weighted demeaning (partialling out) used by
 * PPML (gravity.md sections 2.2-2.4).
 *
 * Demeaning v with weights w means finding FE coefficients alpha_1..alpha_G that minimise
 * sum_o w_o (v_o - sum_g alpha_g[id_g(o)])^2 and returning the residual. The index is built
 * once per estimation (dense ids, level counts, stacked coefficient offsets); the per-level
 * sums of weights are set once per IRLS iteration (tw_fe_set_weights), not per vector.
 *
 * The iteration runs in coefficient space (fixest's framing): one map G is a Gauss-Seidel
 * sweep over the dimensions, and its state is the stacked coefficients of every dimension but
 * the largest one, which is recomputed from the others at the start of each sweep. With two
 * dimensions the state is the smaller coefficient vector and no N-length temporary is formed.
 * The map is iterated by the shared fixed-point driver tw_fp_run with Anderson acceleration
 * (solve/accel.h), one call per demeaned vector, warm-started from the caller's alpha (the
 * previous IRLS iteration's solution for the same vector). One dimension is solved exactly
 * (weighted group means); zero dimensions leave v unchanged.
 *
 * Convention: dimensions are stored in the caller's order; the "last" (excluded from the
 * state) is the one with most levels. Coefficient vectors are stacked in caller order:
 * alpha[off[g] + l].
 */
#ifndef TW_ESTIM_FE_H
#define TW_ESTIM_FE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "solve/accel.h"

typedef struct tw_fe tw_fe;

/*
 * Index n observations over G (<= 8) dimensions: ids[g][o] in [0, levels[g]), every level
 * present. `ids` is borrowed and must outlive the index. accel_memory 0 = plain sweeps.
 * Returns TW_OK, TW_EINVAL, TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_fe_new(size_t n, size_t G, const int32_t *const *ids,
                                const size_t *levels, size_t accel_memory, tw_fe **out,
                                tw_err *err);
TW_INTERNAL void tw_fe_free(tw_fe *fe);
/* Total number of coefficients (sum of levels) = length of alpha. */
TW_INTERNAL size_t tw_fe_n_coef(const tw_fe *fe);
TW_INTERNAL size_t tw_fe_offset(const tw_fe *fe, size_t g);
/* Use weights w[n] (> 0; borrowed until the next call) from now on. */
TW_INTERNAL void tw_fe_set_weights(tw_fe *fe, const double *w);
/*
 * Partial the FE out of v[n]: alpha[n_coef] (in/out) is the warm start and receives the
 * coefficients; out[n] (may alias v) receives v - sum_g alpha_g[id_g]. `opts` gives the
 * tolerance (relative: |change| / (0.1 + |alpha|)) and the sweep cap; *info the sweeps.
 * Returns TW_OK, TW_NOT_CONVERGED (out holds the last iterate), a failure status.
 */
TW_INTERNAL tw_status tw_fe_demean(tw_fe *fe, const double *v, double *alpha, double *out,
                                   const tw_fp_opts *opts, tw_fp_info *info, tw_err *err);

#endif
