/* SPDX-License-Identifier: MIT */
/*
 * src/io/import_ossa.c: importer "ossa2014", the data of R. Ossa (2014), "Trade Wars and Trade
 * Talks with Data", AER 104(12): 4104-46: 7 regions x 33 GTAP industries, 2007, from the long
 * CSV conversion in ../shared/data/ossa2014 (its README documents every file).
 *
 *   regions.csv      region, name                         -> codes, names (file order)
 *   industries.csv   industry, name                       -> sector codes, names
 *   elasticities.csv industry, sigma                      -> theta = sigma - 1 (O1)
 *   flows.csv        exporter, importer, industry, value  -> flows, USD mn before tariffs
 *                                                           (domestic sales on the diagonal)
 *   tariffs.csv      importer, exporter, industry, rate   -> baseline tariffs (fractions)
 *   lambda.csv       country, industry, lambda            -> political-economy weights
 * Derived (O2): no input-output links (value-added share 1); final-demand shares = each
 * industry's share of the country's spending including tariffs (Ossa's mu_js); deficits =
 * imports - exports (the raw data are unbalanced; the games purge them first, section IV of the
 * paper). O1: Ossa's sigma is the CES elasticity of substitution, the world stores the trade
 * elasticity sigma - 1. O3: meta model "ossa2014", which selects Ossa's monopolistic
 * competition (profits = revenue / sigma) in the tariff games (docs/games.md).
 * Invariants: the result passes tw_world_validate.
 */
#include <stddef.h>

#include "io/import.h"

static const struct tw_bundle_codes regions = {
    .file = "regions.csv", .noun = "region", .code = "region", .name = "name"};
static const struct tw_bundle_codes industries = {
    .file = "industries.csv", .noun = "industry", .code = "industry", .name = "name"};

static const struct tw_bundle_table tables[] = {
    {.file = "elasticities.csv", .shape = TW_BUNDLE_SECTOR, .key = {"industry"},
     .value = "sigma", .sign = TW_BUNDLE_POSITIVE, .complete = true,
     .array = offsetof(struct tw_world, theta)},
    {.file = "flows.csv", .shape = TW_BUNDLE_EIS, .key = {"exporter", "importer", "industry"},
     .value = "value", .sign = TW_BUNDLE_NONNEG, .array = offsetof(struct tw_world, flow)},
    {.file = "tariffs.csv", .shape = TW_BUNDLE_IES, .key = {"importer", "exporter", "industry"},
     .value = "rate", .sign = TW_BUNDLE_NONNEG, .zero_diagonal = true,
     .array = offsetof(struct tw_world, tariff)},
    {.file = "lambda.csv", .shape = TW_BUNDLE_CS, .key = {"country", "industry"},
     .value = "lambda", .sign = TW_BUNDLE_NONNEG, .complete = true,
     .array = offsetof(struct tw_world, pe_weight)},
};

static const struct tw_bundle_format format = {
    .regions = &regions,
    .sectors = &industries,
    .tables = tables,
    .n_tables = sizeof tables / sizeof tables[0],
    .extra_columns_ok = true};

static const struct tw_import_meta meta = {
    .name = "Ossa (2014) world: 7 regions x 33 industries, 2007",
    .year = "2007",
    .currency = "USD mn",
    .source = "R. Ossa (2014), Trade Wars and Trade Talks with Data, American Economic Review "
              "104(12): 4104-46, replication package (openICPSR 112717, CC BY 4.0): GTAP 8 "
              "flows and applied tariffs, Feenstra-method elasticities, calibrated "
              "political-economy weights. Built by tradewar's ossa2014 importer "
              "(docs/world-format.md)."};

/* O1, O2 on a loaded world. */
static tw_status derive(struct tw_bundle *b)
{
    struct tw_world *w = b->w;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t s = 0; s < S; s++) {
        if (!(w->theta[s] > 1.0))
            return tw_bundle_error(b, TW_EINVAL, "%s/elasticities.csv: sigma of %s is %g, "
                                   "expected more than 1", b->dir, w->sector_code[s],
                                   w->theta[s]);
        w->theta[s] -= 1.0;
    }
    tw_status st = tw_import_absorption_shares(b, "flows.csv");
    if (st != TW_OK)
        return st;
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
    return tw_world_set_string(&w->meta_model, "ossa2014", b->err);
}

tw_status tw_import_ossa2014(const char *src_dir, struct tw_world **out, tw_diag *d, tw_err *err)
{
    return tw_import_run(src_dir, &format, &meta, derive, out, d, err);
}
