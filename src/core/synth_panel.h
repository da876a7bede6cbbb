/* SPDX-License-Identifier: MIT */
/*
 * src/core/synth_panel.h: the synthetic gravity panel's storage, shared by the generator
 * (core/synth_panel.c) and the CSV writer (io/synth_panel.c). Public API in tradewar.h.
 */
#ifndef TW_CORE_SYNTH_PANEL_H
#define TW_CORE_SYNTH_PANEL_H

#include <stdint.h>

#include "core/err.h"

struct tw_synth_panel {
    size_t n_country, n_year, n;   /* n = n_country (n_country - 1) n_year rows */
    int32_t *exp, *imp, *year;     /* [n] exporter and importer index, year index 0.. */
    double *trade;                 /* [n] the drawn outcome */
    double *ln_dist, *cntg, *rta;  /* [n] regressors */
    int32_t *exp_year, *imp_year, *pair; /* [n] FE ids: i T + t, j T + t, pair index */
    size_t lv_exp_year, lv_imp_year, lv_pair;
    const double *x2[3];           /* regressors of the two-way model */
    const double *x3[1];           /* regressor of the three-way model */
    const int32_t *fe[3];
    size_t fe_levels[3];
    const int32_t *cl[1];
    size_t cl_levels[1];
    tw_ppml_data d2, d3;           /* two-way (no pair FE) and three-way models */
};

/* First year written to CSV (year index 0). */
#define TW_SYNTH_PANEL_YEAR0 2000

#endif
