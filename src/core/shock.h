/* SPDX-License-Identifier: MIT */
/*
 * src/core/shock.h: a counterfactual shock on a world: new tariff levels, iceberg trade-cost
 * changes and productivity changes. io fills it from files; model reads it.
 *
 * Invariants: tariff >= 0 finite; d_hat > 0 finite; a_hat > 0 finite.
 */
#ifndef TW_CORE_SHOCK_H
#define TW_CORE_SHOCK_H

#include "core/world.h"

struct tw_shock {
    const struct tw_world *world; /* borrowed: must outlive the shock */
    double *tariff;               /* [S*N*N] new tariff levels, world->tariff layout */
    double *d_hat;                /* [S*N*N] iceberg-cost change factors, same layout */
    double *a_hat;                /* [N*S] productivity change factors, [c*S + s] */
};

#endif
