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
 * Each vector's map is iterated by the shared step-wise fixed-point driver (tw_fp_iter_*,
 * solve/accel.h) with Anderson acceleration, warm-started from the caller's alpha (the
 * previous IRLS iteration's solution for the same vector). One dimension is solved exactly
 * (weighted group means); zero dimensions leave v unchanged.
 *
 * Several vectors (the working outcome and every regressor) are demeaned together: one pass
 * over the observations (ids and weights read once) updates every vector still iterating.
 * The vectors' iterations are independent (each has its own Anderson history and stops at
 * its own convergence), so the result for a vector is bit-for-bit the same whether it is
 * demeaned alone, with others, or on another OpenMP thread. Each vector uses a "lane" of
 * workspace allocated once in tw_fe_new; the iteration itself never allocates.
 *
 * Runs: when the ids of the largest dimension are sorted (ppml.c orders the observations so),
 * two- and three-way designs are swept by runs of its levels (fe.c, sweep_runs): one pass
 * fewer per sweep, and that dimension's ids are never read; weight sums, level sums and
 * residuals go by runs too. Unsorted ids, one dimension or four and more use the generic
 * passes. Both give the same map; only the summation order differs.
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
 * present. `ids` is borrowed and must outlive the index. n_lanes (>= 1) is the number of
 * vectors that can be demeaned at once. accel_memory 0 = plain sweeps.
 * Returns TW_OK, TW_EINVAL, TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_fe_new(size_t n, size_t G, const int32_t *const *ids,
                                const size_t *levels, size_t accel_memory, size_t n_lanes,
                                tw_fe **out, tw_err *err);
TW_INTERNAL void tw_fe_free(tw_fe *fe);
/* The dimension tw_fe_new recomputes each sweep (the "last"): the first with most levels;
 * 0 when G is 0. Callers that order the observations for sweeps by runs sort by it. */
TW_INTERNAL size_t tw_fe_largest(size_t G, const size_t *levels);
/* Total number of coefficients (sum of levels) = length of alpha. */
TW_INTERNAL size_t tw_fe_n_coef(const tw_fe *fe);
TW_INTERNAL size_t tw_fe_offset(const tw_fe *fe, size_t g);
/* Use weights w[n] (> 0; borrowed until the next call) from now on. */
TW_INTERNAL void tw_fe_set_weights(tw_fe *fe, const double *w);
/*
 * Partial the FE out of nv vectors at once, using lanes lane0 .. lane0 + nv - 1 (distinct
 * calls may run concurrently on disjoint lanes). For vector c: v[c][n] is the input,
 * alpha[c][n_coef] (in/out) the warm start that receives the coefficients, out[c][n] (may
 * alias v[c]) receives v - sum_g alpha_g[id_g]. `opts` gives the tolerance (relative:
 * |change| / (0.1 + |alpha|)) and the sweep cap; sweeps[c] receives the number of sweeps and
 * converged[c] whether the tolerance was met (out holds the last iterate otherwise).
 * Returns TW_OK or TW_EINVAL (bad lane range).
 */
TW_INTERNAL tw_status tw_fe_demean(tw_fe *fe, size_t lane0, size_t nv, const double *const *v,
                                   double *const *alpha, double *const *out,
                                   const tw_fp_opts *opts, size_t *sweeps, bool *converged,
                                   tw_err *err);

#endif
