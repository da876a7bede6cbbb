/* SPDX-License-Identifier: MIT */
/*
 * src/core/scenario_filter.c: what-if edits of a parsed scenario (see tradewar.h,
 * tw_scenario_drop_retaliation).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/scenario.h"
#include "tradewar/tradewar.h"

size_t tw_scenario_n_retaliation(const tw_scenario *sc)
{
    size_t n = 0;
    for (size_t a = 0; sc != NULL && a < sc->n_actions; a++)
        n += sc->actions[a].retaliation;
    return n;
}

tw_status tw_scenario_drop_retaliation(tw_scenario *sc, size_t *n_dropped, tw_err *err)
{
    if (sc == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: NULL argument");
    size_t m = 0, dropped = 0;
    for (size_t a = 0; a < sc->n_actions; a++) {
        if (sc->actions[a].retaliation) {
            tw_action_clear(&sc->actions[a]);
            dropped++;
            continue;
        }
        if (m != a)
            sc->actions[m] = sc->actions[a];
        m++;
    }
    sc->n_actions = m;
    if (n_dropped != NULL)
        *n_dropped = dropped;
    if (dropped == 0)
        return tw_err_set(err, TW_EINVAL, "scenario \"%s\": no action is marked "
                          "\"retaliation: true\", so there is no retaliation to drop",
                          sc->name[0] ? sc->name : sc->file);
    return TW_OK;
}
