/* SPDX-License-Identifier: MIT */
/*
 * examples/baseline_gap.c: how far the built-in world's baseline equilibrium is from its data.
 *
 * tradewar always compares two model solutions (baseline and counterfactual), never a solution
 * with the raw data, because data assembled from several sources are not an exact equilibrium
 * (docs/references.md, "Baseline"). This program solves the baseline of the built-in 2017
 * world (a zero shock) and prints, per region, income, exports and imports in the data and in
 * the baseline equilibrium (USD bn). The built-in world combines 2017 flows with 2011
 * input-output and final-demand shares (docs/default-world.md), so the baseline reallocates
 * spending: incomes move by about 1 % at most, international trade by up to about 20 %.
 * Built and run as a test.
 */
#include <stdio.h>

#include "tradewar/tradewar.h"

int main(void)
{
    tw_err err;
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    int rc = 1;
    if (tw_world_default(&w, &err) != TW_OK || tw_shock_new(w, &sh, &err) != TW_OK ||
        tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err) != TW_OK)
        goto done;
    printf("%-5s %12s %12s %10s %10s %10s %10s\n", "code", "income data", "income base",
           "exp data", "exp base", "imp data", "imp base");
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        double inc = tw_world_value_added(w, c) + tw_world_tariff_revenue(w, c) +
                     tw_world_deficit(w, c);
        printf("%-5s %12.0f %12.0f %10.0f %10.0f %10.0f %10.0f\n", tw_world_country_code(w, c),
               inc / 1e9, tw_result_country(r, TW_C_INCOME_BASE_USD, c) / 1e9,
               tw_world_exports(w, c) / 1e9, tw_result_country(r, TW_C_EXPORTS_BASE_USD, c) / 1e9,
               tw_world_imports(w, c) / 1e9, tw_result_country(r, TW_C_IMPORTS_BASE_USD, c) / 1e9);
    }
    rc = 0;
done:
    if (rc != 0)
        fprintf(stderr, "example: %s\n", err.msg);
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
    return rc;
}
