/* SPDX-License-Identifier: MIT */
/*
 * src/core/scenario.c: destruction of struct tw_scenario (see scenario.h).
 */
#include "core/scenario.h"

#include "core/alloc.h"

void tw_codes_clear(struct tw_codes *c)
{
    for (size_t k = 0; k < c->n; k++)
        tw_free(c->code[k]);
    tw_free(c->code);
    tw_free(c->pos);
    c->code = NULL;
    c->pos = NULL;
    c->n = 0;
}

void tw_action_clear(struct tw_action *ac)
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

void tw_scenario_destroy(struct tw_scenario *sc)
{
    if (sc == NULL)
        return;
    for (size_t a = 0; a < sc->n_actions; a++)
        tw_action_clear(&sc->actions[a]);
    tw_free(sc->actions);
    for (size_t g = 0; g < sc->n_groups; g++) {
        tw_free(sc->groups[g].name);
        tw_codes_clear(&sc->groups[g].members);
    }
    tw_free(sc->groups);
    tw_free(sc->file);
    tw_free(sc->name);
    tw_free(sc->description);
    tw_free(sc->world);
    tw_free(sc->tariff_csv);
    tw_free(sc);
}
