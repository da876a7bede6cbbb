/* SPDX-License-Identifier: MIT */
/*
 * src/io/import_cp2015.c: importer "cp2015", the Caliendo-Parro (2015) NAFTA data, 1993,
 * 31 regions x 40 sectors, from the long CSV conversion in data/cp2015/ (its README.md
 * documents every file).
 *
 * The folder is already model-ready, so the import is a mapping of files and columns onto
 * the world (docs/world-format.md, section "cp2015 importer"):
 *   regions.csv             region, name (rows in `index` order)     -> codes, names
 *   sectors.csv             sector, name, tradable (`index` order)   -> codes, names, tradable
 *   theta.csv               sector, theta                            -> theta
 *   trade_matrix_1993.csv   exporter, importer, sector, value        -> flows (USD net of
 *                           tariffs = before tariffs; domestic sales on the diagonal)
 *   tariffs_1993.csv        importer, exporter, sector, rate         -> baseline tariffs
 *   io.csv                  country, sector_from, sector_to, share   -> gamma_n^{k,j} with
 *                           k = sector_from (input), j = sector_to (using sector)
 *   va_share.csv            country, sector, share                   -> value-added shares
 *   final_demand_shares.csv country, sector, share (the clipped one) -> alpha
 *   deficits.csv            country, deficit                         -> deficits (USD)
 * Other columns (index, nafta, origin, share_of_intermediates, share_unclipped, the trade
 * matrix's `share`) are ignored. The other files of the folder are derived quantities that
 * the world recomputes (expenditure, gross output, country aggregates) or scenario data
 * (tariffs_2005.csv, tariffs_nafta_counterfactual.csv).
 *
 * References: L. Caliendo and F. Parro (2015), "Estimates of the Trade and Welfare Effects of
 * NAFTA", Review of Economic Studies 82(1): 1-44, doi:10.1093/restud/rdu035, section 4 (data);
 * replication package Data_and_Codes_CP.zip. See docs/references.md.
 * Invariants: the result passes tw_world_validate (one io cell, CAN other -> basic_metals, is
 * slightly negative and only warned about).
 */
#include <stddef.h>

#include "io/import.h"

static const struct tw_bundle_codes regions = {
    .file = "regions.csv", .noun = "region", .code = "region", .name = "name",
    .order = "index"};

static const struct tw_bundle_codes sectors = {
    .file = "sectors.csv", .noun = "sector", .code = "sector", .name = "name",
    .tradable = "tradable", .order = "index"};

static const struct tw_bundle_table tables[] = {
    {.file = "theta.csv", .shape = TW_BUNDLE_SECTOR, .key = {"sector"}, .value = "theta",
     .sign = TW_BUNDLE_POSITIVE, .complete = true, .array = offsetof(struct tw_world, theta)},
    {.file = "trade_matrix_1993.csv", .shape = TW_BUNDLE_EIS,
     .key = {"exporter", "importer", "sector"}, .value = "value", .sign = TW_BUNDLE_NONNEG,
     .tradable_only = true, .array = offsetof(struct tw_world, flow)},
    {.file = "tariffs_1993.csv", .shape = TW_BUNDLE_IES,
     .key = {"importer", "exporter", "sector"}, .value = "rate", .sign = TW_BUNDLE_NONNEG,
     .zero_diagonal = true, .array = offsetof(struct tw_world, tariff)},
    {.file = "io.csv", .shape = TW_BUNDLE_CKS, .key = {"country", "sector_from", "sector_to"},
     .value = "share", .sign = TW_BUNDLE_ANY_SIGN, .array = offsetof(struct tw_world, io)},
    {.file = "va_share.csv", .shape = TW_BUNDLE_CS, .key = {"country", "sector"},
     .value = "share", .sign = TW_BUNDLE_ANY_SIGN, .complete = true,
     .array = offsetof(struct tw_world, va_share)},
    {.file = "final_demand_shares.csv", .shape = TW_BUNDLE_CS, .key = {"country", "sector"},
     .value = "share", .sign = TW_BUNDLE_ANY_SIGN, .complete = true,
     .array = offsetof(struct tw_world, alpha)},
    {.file = "deficits.csv", .shape = TW_BUNDLE_COUNTRY, .key = {"country"},
     .value = "deficit", .sign = TW_BUNDLE_ANY_SIGN, .complete = true,
     .array = offsetof(struct tw_world, deficit)},
};

static const struct tw_bundle_format format = {
    .regions = &regions,
    .sectors = &sectors,
    .tables = tables,
    .n_tables = sizeof tables / sizeof tables[0],
    .extra_columns_ok = true};

static const struct tw_import_meta meta = {
    .name = "Caliendo-Parro 2015 NAFTA world",
    .year = "1993",
    .currency = "USD",
    .source = "L. Caliendo and F. Parro (2015), Estimates of the Trade and Welfare Effects of "
              "NAFTA, Review of Economic Studies 82(1): 1-44, doi:10.1093/restud/rdu035; data "
              "from the authors' replication package Data_and_Codes_CP.zip"};

tw_status tw_import_cp2015(const char *src_dir, struct tw_world **out, tw_diag *d, tw_err *err)
{
    return tw_import_run(src_dir, &format, &meta, NULL, out, d, err);
}
