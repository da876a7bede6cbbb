/* SPDX-License-Identifier: MIT */
/*
 * src/policy/baseline.h: a solved baseline that many counterfactuals share (timelines,
 * sweeps, games): the model and the baseline equilibrium are built once.
 */
#ifndef TW_POLICY_BASELINE_H
#define TW_POLICY_BASELINE_H

#include "core/shock.h"
#include "core/world.h"
#include "tradewar/tradewar.h"

struct tw_baseline;

/* Build the model on w (borrowed: must outlive the baseline) and solve the baseline
 * (tau' = tau) under `deficits`. A baseline that did not converge is still returned (TW_OK);
 * every counterfactual made from it then reports TW_NOT_CONVERGED with its message.
 * Returns TW_OK, TW_EINVAL, TW_ENUMERIC, TW_EINTERRUPTED, TW_ENOMEM. */
TW_INTERNAL tw_status tw_baseline_new(const struct tw_world *w, tw_deficits deficits,
                                      const tw_solve_opts *opts, struct tw_baseline **out,
                                      tw_err *err);
TW_INTERNAL void tw_baseline_free(struct tw_baseline *b);
TW_INTERNAL const tw_solver_info *tw_baseline_info(const struct tw_baseline *b);

/* Solve the counterfactual sh against the baseline: as tw_simulate. */
TW_INTERNAL tw_status tw_baseline_simulate(struct tw_baseline *b, const tw_shock *sh,
                                           tw_result **out, tw_err *err);

#endif
