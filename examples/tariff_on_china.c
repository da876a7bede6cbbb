/* SPDX-License-Identifier: MIT */
/*
 * examples/tariff_on_china.c: the smallest complete use of the public API.
 *
 * Loads the built-in 2017 world, raises the US tariff on every good from China by 25
 * percentage points, solves baseline and counterfactual, and prints each region's change in
 * real income and its equivalent variation. Built and run by the test suite.
 *
 *   build/example_tariff_on_china
 */
#include <stdio.h>

#include "tradewar/tradewar.h"

int main(void)
{
    tw_err err;
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    size_t usa, chn;
    int rc = 1;
    if (tw_world_default(&w, &err) != TW_OK || tw_shock_new(w, &sh, &err) != TW_OK)
        goto done;
    if (!tw_world_find_country(w, "USA", &usa) || !tw_world_find_country(w, "CHN", &chn)) {
        fprintf(stderr, "example: the default world has no USA or CHN\n");
        goto done;
    }
    for (size_t s = 0; s < tw_world_n_sector(w); s++) {
        if (!tw_world_sector_is_tradable(w, s) || tw_world_flow(w, chn, usa, s) == 0.0)
            continue;
        double t = tw_world_tariff(w, usa, chn, s) + 0.25;
        if (tw_shock_set_tariff(sh, usa, chn, s, t, &err) != TW_OK)
            goto done;
    }
    tw_status st = tw_simulate(w, sh, TW_DEFICITS_DATA, NULL, &r, &err);
    if (st != TW_OK)
        goto done;
    printf("%-6s %12s %14s\n", "region", "real inc. %", "EV USD bn/yr");
    for (size_t c = 0; c < tw_world_n_country(w); c++)
        printf("%-6s %12.3f %14.2f\n", tw_world_country_code(w, c),
               tw_result_country(r, TW_C_REAL_INCOME_PCT, c),
               tw_result_country(r, TW_C_WELFARE_USD, c) / 1e9);
    rc = 0;
done:
    if (rc != 0)
        fprintf(stderr, "example: %s\n", err.msg);
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
    return rc;
}
