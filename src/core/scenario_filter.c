/* SPDX-License-Identifier: MIT */
/*
 * src/core/scenario_filter.c: what-if edits of a parsed scenario (see tradewar.h,
 * tw_scenario_drop_retaliation).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/scenario.h"
#include "tradewar/tradewar.h"

/* Free what one action owns. */
static void action_clear(struct tw_action *ac)
{
    tw_free(ac->id);
    tw_free(ac->label);
    tw_codes_clear(&ac->imposer);
    tw_codes_clear(&ac->target);
    tw_codes_clear(&ac->sectors);
    for (size_t k = 0; k < ac->n_sector_values; k++)
        tw_free(ac->sector_values[k].sector);
    tw_free(ac->sector_values);
}

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
            action_clear(&sc->actions[a]);
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
