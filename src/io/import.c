/* SPDX-License-Identifier: MIT */
/*
 * src/io/import.c: the importer table, tw_world_import and tw_world_importers, and the driver
 * every importer shares.
 *
 * Adding a source: write src/io/import_<name>.c (a tw_bundle_format for its folder and its
 * metadata, calling tw_import_run), declare its function in import.h, add one row to
 * `importers` and its name to `names` below. Nothing else changes.
 *
 * Invariants: `names` lists the rows of `importers` in the same order, then NULL.
 */
#include <string.h>

#include "core/alloc.h"
#include "io/import.h"

static const struct importer {
    const char *name; /* what tw_world_import's `source` matches */
    tw_import_fn run; /* the importer */
} importers[] = {
    {"cp2015", tw_import_cp2015},
    {"default2017", tw_import_default2017},
    {"wiod2011", tw_import_wiod2011},
    {"icio2017", tw_import_icio2017},
    {"wiod2014", tw_import_wiod2014},
    {"ossa2014", tw_import_ossa2014},
    {"lashkaripour-wiod2014", tw_import_lashkaripour_wiod2014},
    {"lashkaripour-icio2017", tw_import_lashkaripour_icio2017},
};

static const char *const names[] = {"cp2015", "default2017", "wiod2011", "icio2017",
                                     "wiod2014", "ossa2014", "lashkaripour-wiod2014",
                                     "lashkaripour-icio2017", NULL};

_Static_assert(sizeof names / sizeof names[0] == sizeof importers / sizeof importers[0] + 1,
               "names must list every importer, then NULL");

const char *const *tw_world_importers(void) { return names; }

tw_status tw_import_absorption_shares(struct tw_bundle *b, const char *flows_file)
{
    struct tw_world *w = b->w;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t c = 0; c < N; c++) {
        double total = 0.0;
        for (size_t s = 0; s < S; s++) {
            double x = 0.0;
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, c, s);
                x += w->flow[k] * (1.0 + w->tariff[k]);
            }
            w->alpha[tw_world_cs(w, c, s)] = x;
            w->va_share[tw_world_cs(w, c, s)] = 1.0;
            total += x;
        }
        if (!(total > 0.0))
            return tw_bundle_error(b, TW_EINVAL, "%s/%s: %s buys nothing, expected positive "
                                   "absorption", b->dir, flows_file, w->country_code[c]);
        for (size_t s = 0; s < S; s++)
            w->alpha[tw_world_cs(w, c, s)] /= total;
    }
    return TW_OK;
}

tw_status tw_import_run(const char *src_dir, const struct tw_bundle_format *fmt,
                        const struct tw_import_meta *meta,
                        tw_status (*derive)(struct tw_bundle *b), struct tw_world **out,
                        tw_diag *d, tw_err *err)
{
    struct tw_bundle b;
    *out = NULL;
    tw_bundle_init(&b, src_dir, d, err);
    tw_status st = tw_bundle_load(&b, fmt);
    if (st == TW_OK && b.w != NULL && derive != NULL && b.first == TW_OK)
        st = derive(&b);
    if (st == TW_OK && b.w != NULL &&
        ((st = tw_world_set_string(&b.w->meta_name, meta->name, err)) != TW_OK ||
         (st = tw_world_set_string(&b.w->meta_year, meta->year, err)) != TW_OK ||
         (st = tw_world_set_string(&b.w->meta_currency, meta->currency, err)) != TW_OK ||
         (st = tw_world_set_string(&b.w->meta_source, meta->source, err)) != TW_OK))
        goto done;
    if (st == TW_OK)
        st = tw_bundle_validate(&b);
    if (st == TW_OK && b.first != TW_OK)
        st = b.first;
    if (st == TW_OK) {
        *out = b.w;
        b.w = NULL;
    }
done:
    tw_bundle_clear(&b);
    return st;
}

tw_status tw_world_import(const char *source, const char *src_dir, tw_world **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "import: out is NULL");
    *out = NULL;
    if (source == NULL || src_dir == NULL || src_dir[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "import: source name and folder are required");
    const struct importer *imp = NULL;
    for (size_t k = 0; k < sizeof importers / sizeof importers[0]; k++)
        if (strcmp(importers[k].name, source) == 0)
            imp = &importers[k];
    if (imp == NULL) {
        char list[256] = "";
        for (size_t k = 0, used = 0; names[k] != NULL && used < sizeof list; k++) {
            int n = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", names[k]);
            used += n > 0 ? (size_t)n : 0;
        }
        return tw_err_set(err, TW_EINVAL, "import: unknown source \"%s\", expected one of: %s",
                          source, list);
    }
    tw_diag *d = NULL;
    tw_status st = tw_diag_new(&d, err);
    if (st != TW_OK)
        return st;
    st = imp->run(src_dir, out, d, err);
    if (st != TW_OK && st != TW_ENOMEM)
        tw_err_set(err, st, "import %s: %s", imp->name, tw_bundle_first_error(d));
    tw_diag_free(d);
    return st;
}
