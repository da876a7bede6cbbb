/* SPDX-License-Identifier: MIT */
/*
 * src/io/default_world.c: tw_world_default, the built-in default world.
 *
 * The world's numbers live in src/io/default_world_data.c, generated from
 * data/default-world/ (see default_world.h); this file copies them into a new struct
 * tw_world and validates it, so a caller gets exactly what tw_world_read("data/default-world")
 * gives, without needing the files at run time.
 *
 * References: docs/default-world.md (every choice behind the data).
 * Invariants: the result is validated; a failing validation is a bug in the generated file.
 */
#include <string.h>

#include "core/world.h"
#include "io/default_world.h"

/* Copy the strings of the generated data into w. TW_OK or TW_ENOMEM. */
static tw_status copy_strings(const struct tw_default_world_data *g, struct tw_world *w,
                              tw_err *err)
{
    tw_status st = TW_OK;
    for (size_t c = 0; c < g->n_country && st == TW_OK; c++)
        if ((st = tw_world_set_string(&w->country_code[c], g->country_code[c], err)) == TW_OK)
            st = tw_world_set_string(&w->country_name[c], g->country_name[c], err);
    for (size_t s = 0; s < g->n_sector && st == TW_OK; s++)
        if ((st = tw_world_set_string(&w->sector_code[s], g->sector_code[s], err)) == TW_OK)
            st = tw_world_set_string(&w->sector_name[s], g->sector_name[s], err);
    if (st == TW_OK)
        st = tw_world_set_string(&w->meta_name, g->meta_name, err);
    if (st == TW_OK)
        st = tw_world_set_string(&w->meta_year, g->meta_year, err);
    if (st == TW_OK)
        st = tw_world_set_string(&w->meta_currency, g->meta_currency, err);
    if (st == TW_OK)
        st = tw_world_set_string(&w->meta_source, g->meta_source, err);
    return st;
}

tw_status tw_world_default(tw_world **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "world: out is NULL");
    *out = NULL;
    const struct tw_default_world_data *g = tw_default_world_data();
    size_t N = g->n_country, S = g->n_sector;
    struct tw_world *w = NULL;
    tw_diag *d = NULL;
    tw_status st = tw_world_alloc(N, S, &w, err);
    if (st != TW_OK)
        return st;
    if ((st = copy_strings(g, w, err)) != TW_OK)
        goto done;
    memcpy(w->tradable, g->tradable, S * sizeof *w->tradable);
    memcpy(w->flow, g->flow, S * N * N * sizeof *w->flow);
    memcpy(w->tariff, g->tariff, S * N * N * sizeof *w->tariff);
    memcpy(w->theta, g->theta, S * sizeof *w->theta);
    memcpy(w->va_share, g->va_share, N * S * sizeof *w->va_share);
    memcpy(w->io, g->io, N * S * S * sizeof *w->io);
    memcpy(w->alpha, g->alpha, N * S * sizeof *w->alpha);
    memcpy(w->deficit, g->deficit, N * sizeof *w->deficit);
    if ((st = tw_diag_new(&d, err)) != TW_OK)
        goto done;
    tw_err e = {TW_OK, ""};
    st = tw_world_validate(w, "default world", d, &e);
    if (st == TW_ENOMEM)
        st = tw_err_set(err, TW_ENOMEM, "%s", e.msg);
    else if (st != TW_OK)
        st = tw_err_set(err, TW_EINTERNAL, "world: the built-in default world is invalid (a "
                        "bug: regenerate src/io/default_world_data.c): %s", e.msg);
done:
    tw_diag_free(d);
    if (st != TW_OK) {
        tw_world_free(w);
        return st;
    }
    *out = w;
    return TW_OK;
}
