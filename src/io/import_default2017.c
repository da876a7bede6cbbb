/* SPDX-License-Identifier: MIT */
/*
 * src/io/import_default2017.c: importer "default2017", the built-in default world of
 * tradewar: 10 regions x 10 sectors, the pre-war 2017 world of the 2018-2019 US-China trade
 * war, built from the shared data root (`src_dir`, e.g. ../shared/data).
 *
 * Two sources, joined on the same 10 x 10 codes, as their READMEs recommend: 2017 trade
 * shares, tariffs and deficits from icio_2017_trade_tariffs/agg10, with the 2011 production
 * (gamma, beta) and final-demand (alpha) shares of wiod_2011_mrio/agg10. The engine solves
 * the baseline from these data, so 2017 flows are never combined with 2011 shares outside the
 * model (which gives negative final demand; icio README, "Known issues").
 *
 * Rules (each one is a named constant below; docs/default-world.md gives the numbers):
 *   R1 codes   regions and sectors, and their order and names, from the icio regions.csv and
 *              sectors.csv; wiod's code lists must hold exactly the same codes.
 *   F1 flows   icio flows.csv `value` (exporter, importer, sector; domestic sales on the
 *              diagonal), USD mn x D17_USD_PER_MN, rounded to whole USD. The source has three
 *              decimals (1,000 USD), so rounding loses nothing, and every flow is then an
 *              integer below 2^53: all sums of flows (exports, imports, deficits, totals) are
 *              exact in double and the deficits sum to exactly 0.
 *   T1 tariffs icio tariffs.csv `tariff` (Teti 2017 applied rates, trade-weighted over
 *              member pairs); 0 on the diagonal and for SERV, as in the source. SERV stays
 *              tradable (it has international flows) with zero tariffs.
 *   T2 FOOD    tariffwar's FOOD rate is the simple mean of food (ISIC 15) and tobacco
 *              (ISIC 16), so tobacco's out-of-quota duties make the US rate 0.915 for every
 *              MFN partner. For the two importers for which the shared data hold an
 *              independent trade-weighted 2017 food rate, USA and CHN (uschina/, the Waugh
 *              US-China Trade War Tracker: tariff on the other's goods in NAICS 311 food +
 *              312 beverages and tobacco, each month of 2017, weighted by that month's
 *              bilateral trade), that rate caps the importer's FOOD tariff on every partner:
 *              tau = min(tau_teti, cap). In 2017 each of the two applied MFN rates to the
 *              other, and an MFN rate bounds the applied rate on any WTO member from above, so
 *              preferential rates below it (NAFTA 0, KORUS) are kept. Other importers keep
 *              Teti's rates (no second source; docs/default-world.md discusses KOR).
 *   E1 theta   icio elasticities.csv, source D17_THETA_SOURCE ("CP", Caliendo and Parro
 *              2015, the model's own paper, aggregated by tariffwar with 2017 world trade
 *              weights); SERV gets that source's value (4).
 *   P1 beta    wiod value_added.csv: value / output (VA over gross output, 2011).
 *   P2 gamma   wiod intermediate_use.csv: value / output of the using sector (2011). Computed
 *              from the levels, not the rounded coef/va_share columns, so that
 *              beta + sum_k gamma = 1 to rounding (the levels satisfy VA + inputs = output).
 *   A1 alpha   wiod final_demand.csv: households + non-profits + government + fixed capital
 *              formation (the columns of final_demand_tab), normalised to sum to 1 per country.
 *              Changes in inventories are left out everywhere: they are not a final use in a
 *              static model, and they are negative in 19 of the 100 cells (JPN MIN nets to
 *              -7.2 bn USD), which would make alpha negative.
 *   D1 deficit imports - exports of the F1 flows (excluding domestic sales), so the deficits
 *              match the flows and sum to exactly 0; no rescaling is needed.
 * Metadata: D17_META_* below.
 *
 * References: Caliendo and Parro (2015) [CP2015]; WIOD: Timmer et al. (2015), Review of
 * International Economics 23: 575-605; OECD (2023) ICIO tables, 2023 edition; Teti (2024),
 * ECARES WP 2024-04; the shared READMEs (wiod_2011_mrio, icio_2017_trade_tariffs, uschina).
 * See docs/default-world.md and docs/references.md.
 * Invariants: the result passes tw_world_validate; the same input gives the same bits (every
 * loop runs in a fixed order). Ownership: the three bundles own nothing past the call.
 */
#include "io/import_default2017.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "core/alloc.h"
#include "io/bundle.h"
#include "io/import.h"

/* Source folders inside the shared data root. */
#define D17_ICIO_DIR "icio_2017_trade_tariffs/agg10"
#define D17_WIOD_DIR "wiod_2011_mrio/agg10"
#define D17_USCHINA_DIR "uschina"
/* F1: the flows are in millions of USD. */
#define D17_USD_PER_MN 1e6
/* E1: the elasticity source (elasticities.csv `source`). */
#define D17_THETA_SOURCE "CP"
/* T2: the sector whose tariffs are capped, the months used, and percent to fraction. */
#define D17_FOOD_SECTOR "FOOD"
#define D17_FOOD_MONTHS "2017-"
#define D17_FOOD_ROWS 24 /* 12 months x 2 industries: every one must be present */
#define D17_PCT 100.0
/* Bytes of a field quoted in a message. */
#define D17_SHOW 48

/* T2: the NAICS 3-digit industries that make up FOOD (food, beverages and tobacco). */
static const char *const food_naics3[] = {"311", "312"};
#define D17_N_FOOD_NAICS (sizeof food_naics3 / sizeof food_naics3[0])

/* T2: which importer each Waugh file caps (the file's rates are that importer's tariffs on
 * the other party of the pair; the weights are the pair's trade, column `china_trade`). */
static const struct food_cap {
    const char *importer; /* region code whose FOOD tariffs are capped */
    const char *file;     /* in D17_USCHINA_DIR */
} food_caps[] = {
    {"USA", "waugh_us_tariffs_on_china_by_naics3_monthly.csv"},
    {"CHN", "waugh_china_tariffs_on_us_by_naics3_monthly.csv"},
};
#define D17_N_FOOD_CAPS (sizeof food_caps / sizeof food_caps[0])

/* A1: the number of final-demand columns that make up alpha; they are listed in
 * final_demand_tab below (inventories excluded). */
#define D17_N_ALPHA 4

/* Metadata. */
#define D17_META_NAME "tradewar default world (2017, 10 regions x 10 sectors)"
#define D17_META_YEAR "2017"
#define D17_META_CURRENCY "USD"
#define D17_META_SOURCE                                                                    \
    "Trade flows and applied tariffs 2017: OECD (2023) Inter-Country Input-Output Tables, "  \
    "2023 edition, and F. Teti (2024), 30+ Years of Trade Policy: Evidence from 160 "        \
    "Countries, ECARES WP 2024-04, as processed by ahmadlp/tariffwar (mat/ICIO2017.mat, "    \
    "commit 9863698); production and final-demand shares 2011: WIOD 2013 release, M. P. "    \
    "Timmer et al. (2015), An Illustrated User Guide to the World Input-Output Database, "   \
    "Review of International Economics 23: 575-605 (via the R package wiod, bquast/wiod); "  \
    "trade elasticities: L. Caliendo and F. Parro (2015), Review of Economic Studies 82(1): " \
    "1-44, as aggregated by tariffwar; USA and CHN FOOD tariffs capped at their 2017 "        \
    "trade-weighted rates from M. Waugh, US-China Trade War Tracker "                        \
    "(mwaugh0328/tradewar-tracker). Built by tradewar's default2017 importer "               \
    "(docs/default-world.md)."

/* ---- the icio folder as a bundle (codes, flows, tariffs) ------------------------------------ */

static const struct tw_bundle_codes icio_regions = {
    .file = "regions.csv", .noun = "region", .code = "region", .name = "name"};
static const struct tw_bundle_codes icio_sectors = {
    .file = "sectors.csv", .noun = "sector", .code = "sector", .name = "name"};
static const struct tw_bundle_table icio_tables[] = {
    {.file = "flows.csv", .shape = TW_BUNDLE_EIS, .key = {"exporter", "importer", "sector"},
     .value = "value", .sign = TW_BUNDLE_NONNEG, .complete = true,
     .array = offsetof(struct tw_world, flow)},
    {.file = "tariffs.csv", .shape = TW_BUNDLE_IES, .key = {"importer", "exporter", "sector"},
     .value = "tariff", .sign = TW_BUNDLE_NONNEG, .complete = true, .zero_diagonal = true,
     .array = offsetof(struct tw_world, tariff)},
};
static const struct tw_bundle_format icio_format = {
    .regions = &icio_regions,
    .sectors = &icio_sectors,
    .tables = icio_tables,
    .n_tables = sizeof icio_tables / sizeof icio_tables[0],
    .extra_columns_ok = true};

/* ---- keyed tables read into dense arrays ---------------------------------------------------- */

/* A table whose key columns are region or sector codes, read into out[cell * n_val + v] with
 * cell the row-major index of the keys in their order (N per region key, S per sector key).
 * Every cell needs exactly one row (after the filter). */
struct keyed {
    const char *file;
    size_t n_key;
    const char *key[3];
    bool key_is_sector[3];
    size_t n_val;
    const char *val[D17_N_ALPHA];
    tw_bundle_sign sign;    /* rule for every value */
    const char *filter_col; /* keep only rows whose filter_col equals filter_val; or NULL */
    const char *filter_val;
};

static const struct keyed value_added_tab = {
    .file = "value_added.csv", .n_key = 2, .key = {"country", "sector"},
    .key_is_sector = {false, true}, .n_val = 2, .val = {"value", "output"},
    .sign = TW_BUNDLE_POSITIVE};
static const struct keyed intermediate_tab = {
    .file = "intermediate_use.csv", .n_key = 3, .key = {"country", "from_sector", "to_sector"},
    .key_is_sector = {false, true, true}, .n_val = 1, .val = {"value"},
    .sign = TW_BUNDLE_NONNEG};
/* A1: alpha's columns: households, non-profits, government, gross fixed capital formation. */
static const struct keyed final_demand_tab = {
    .file = "final_demand.csv", .n_key = 2, .key = {"country", "sector"},
    .key_is_sector = {false, true}, .n_val = D17_N_ALPHA,
    .val = {"cons_h", "cons_np", "cons_g", "gfcf"}, .sign = TW_BUNDLE_NONNEG};
static const struct keyed elasticities_tab = {
    .file = "elasticities.csv", .n_key = 1, .key = {"sector"}, .key_is_sector = {true},
    .n_val = 1, .val = {"epsilon"}, .sign = TW_BUNDLE_POSITIVE, .filter_col = "source",
    .filter_val = D17_THETA_SOURCE};

/* Parse field (r, col) as a number under `sign`; report and set *ok = false when bad. */
static tw_status field_number(struct tw_bundle *b, const tw_csv_table *t, const char *path,
                              size_t r, size_t col, tw_bundle_sign sign, double *v, bool *ok)
{
    const char *f = tw_csv_field(t, r, col), *what = tw_csv_header(t, col);
    size_t line = tw_csv_line(t, r, col);
    char show[D17_SHOW];
    *ok = false;
    if (tw_csv_parse_double(f, v) != TW_CSV_NUM_OK)
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not a finite number, "
                               "expected a decimal number", path, line, col + 1, what,
                               tw_csv_excerpt(f, show, sizeof show));
    if ((sign == TW_BUNDLE_NONNEG && *v < 0.0) || (sign == TW_BUNDLE_POSITIVE && !(*v > 0.0)))
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s, expected a number %s", path,
                               line, col + 1, what, tw_csv_excerpt(f, show, sizeof show),
                               sign == TW_BUNDLE_NONNEG ? ">= 0" : "> 0");
    *ok = true;
    return TW_OK;
}

/* Resolve the code in field (r, col) with the code indexes of `codes`. */
static tw_status field_code(struct tw_bundle *b, const struct tw_bundle *codes,
                            const tw_csv_table *t, const char *path, size_t r, size_t col,
                            bool is_sector, size_t *idx, bool *ok)
{
    const char *f = tw_csv_field(t, r, col);
    char show[D17_SHOW];
    *ok = tw_bundle_index_find(is_sector ? &codes->sectors : &codes->countries, f, idx);
    if (*ok)
        return TW_OK;
    return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not a %s code of %s",
                           path, tw_csv_line(t, r, col), col + 1, tw_csv_header(t, col),
                           tw_csv_excerpt(f, show, sizeof show),
                           is_sector ? "sector" : "region", D17_ICIO_DIR);
}

/* Read one data row of a keyed table into out; seen[cell] records the row's line. */
static tw_status keyed_row(struct tw_bundle *b, const struct tw_bundle *codes,
                           const struct keyed *k, const tw_csv_table *t, const char *path,
                           size_t r, const size_t *col, double *out, size_t *seen)
{
    const struct tw_world *w = codes->w;
    size_t cell = 0, idx;
    bool ok, all_ok = true;
    tw_status st;
    for (size_t q = 0; q < k->n_key; q++) {
        if ((st = field_code(b, codes, t, path, r, col[q], k->key_is_sector[q], &idx, &ok)) !=
            TW_OK)
            return st;
        all_ok = all_ok && ok;
        cell = cell * (k->key_is_sector[q] ? w->n_sector : w->n_country) + (ok ? idx : 0);
    }
    if (!all_ok)
        return TW_OK;
    size_t line = tw_csv_line(t, r, 0);
    if (seen[cell] != 0)
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu: this key repeats line %zu, expected one "
                               "row per key", path, line, seen[cell]);
    seen[cell] = line;
    for (size_t v = 0; v < k->n_val; v++) {
        double x = 0.0;
        if ((st = field_number(b, t, path, r, col[k->n_key + v], k->sign, &x, &ok)) != TW_OK)
            return st;
        out[cell * k->n_val + v] = x;
    }
    return TW_OK;
}

/* Read keyed table k of b's folder into out (see struct keyed); codes from `codes`. */
static tw_status read_keyed(struct tw_bundle *b, const struct tw_bundle *codes,
                            const struct keyed *k, double *out)
{
    const struct tw_world *w = codes->w;
    const char *names[8] = {NULL};
    size_t col[8], n_cells = 1, n_names = k->n_key + k->n_val, missing = 0;
    size_t *seen = NULL;
    char *path = NULL;
    tw_csv_table *t = NULL;
    bool ok;
    for (size_t q = 0; q < k->n_key; q++) {
        names[q] = k->key[q];
        n_cells *= k->key_is_sector[q] ? w->n_sector : w->n_country;
    }
    for (size_t v = 0; v < k->n_val; v++)
        names[k->n_key + v] = k->val[v];
    if (k->filter_col != NULL)
        names[n_names++] = k->filter_col;
    tw_status st = tw_bundle_open(b, k->file, &path, &t);
    if (st != TW_OK || t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, t, path, names, n_names, col, &ok)) != TW_OK || !ok)
        goto done;
    if ((seen = tw_calloc(n_cells, sizeof *seen)) == NULL) {
        st = tw_err_set(b->err, TW_ENOMEM, "import default2017: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++)
        if (k->filter_col == NULL ||
            strcmp(tw_csv_field(t, r, col[n_names - 1]), k->filter_val) == 0)
            st = keyed_row(b, codes, k, t, path, r, col, out, seen);
    for (size_t c = 0; c < n_cells; c++)
        if (seen[c] == 0)
            missing++;
    if (st == TW_OK && missing > 0)
        st = tw_bundle_error(b, TW_EINVAL, "%s: %zu of %zu keys have no row%s%s%s%s, expected "
                             "one row per key", path, missing, n_cells,
                             k->filter_col ? " with " : "", k->filter_col ? k->filter_col : "",
                             k->filter_col ? " = " : "", k->filter_col ? k->filter_val : "");
done:
    tw_free(seen);
    tw_csv_free(t);
    tw_free(path);
    return st;
}

/* R1: the code list `file` of b's folder (column `col`) must hold exactly the codes of
 * `codes`, each once. */
static tw_status check_codes(struct tw_bundle *b, const struct tw_bundle *codes,
                             const char *file, const char *colname, bool is_sector)
{
    const struct tw_world *w = codes->w;
    size_t n = is_sector ? w->n_sector : w->n_country, col, idx;
    char *path = NULL;
    tw_csv_table *t = NULL;
    bool ok, *found = NULL;
    tw_status st = tw_bundle_open(b, file, &path, &t);
    if (st != TW_OK || t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, t, path, &colname, 1, &col, &ok)) != TW_OK || !ok)
        goto done;
    if ((found = tw_calloc(n, sizeof *found)) == NULL) {
        st = tw_err_set(b->err, TW_ENOMEM, "import default2017: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++) {
        if ((st = field_code(b, codes, t, path, r, col, is_sector, &idx, &ok)) != TW_OK || !ok)
            continue;
        if (found[idx])
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: code \"%s\" appears twice, "
                                 "expected each once", path, tw_csv_line(t, r, col), col + 1,
                                 tw_csv_field(t, r, col));
        found[idx] = true;
    }
    for (size_t c = 0; c < n && st == TW_OK; c++)
        if (!found[c])
            st = tw_bundle_error(b, TW_EINVAL, "%s: code \"%s\" of %s is missing, expected "
                                 "the same codes in both sources", path,
                                 is_sector ? w->sector_code[c] : w->country_code[c],
                                 D17_ICIO_DIR);
done:
    tw_free(found);
    tw_csv_free(t);
    tw_free(path);
    return st;
}

/* ---- rule T2: the FOOD caps ------------------------------------------------------------------ */

/* True when `s` is one of the FOOD industries. */
static bool is_food_naics(const char *s)
{
    for (size_t k = 0; k < D17_N_FOOD_NAICS; k++)
        if (strcmp(s, food_naics3[k]) == 0)
            return true;
    return false;
}

/* The trade-weighted 2017 FOOD rate of one Waugh file (a fraction) into *cap. */
static tw_status read_food_cap(struct tw_bundle *b, const char *file, double *cap)
{
    static const char *const names[4] = {"time", "naics3", "tariff_trd_w_avg", "china_trade"};
    size_t col[4], used = 0;
    double num = 0.0, den = 0.0;
    char *path = NULL;
    tw_csv_table *t = NULL;
    bool ok;
    *cap = 0.0;
    tw_status st = tw_bundle_open(b, file, &path, &t);
    if (st != TW_OK || t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, t, path, names, 4, col, &ok)) != TW_OK || !ok)
        goto done;
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++) {
        double rate, weight;
        bool ok_rate, ok_weight;
        if (strncmp(tw_csv_field(t, r, col[0]), D17_FOOD_MONTHS, strlen(D17_FOOD_MONTHS)) != 0 ||
            !is_food_naics(tw_csv_field(t, r, col[1])))
            continue;
        if ((st = field_number(b, t, path, r, col[2], TW_BUNDLE_NONNEG, &rate, &ok_rate)) !=
                TW_OK ||
            (st = field_number(b, t, path, r, col[3], TW_BUNDLE_NONNEG, &weight, &ok_weight)) !=
                TW_OK)
            break;
        if (!ok_rate || !ok_weight)
            continue;
        num += rate / D17_PCT * weight;
        den += weight;
        used++;
    }
    if (st == TW_OK && (used != D17_FOOD_ROWS || !(den > 0.0)))
        st = tw_bundle_error(b, TW_EINVAL, "%s: %zu rows for months %s* in NAICS 311/312 with "
                             "total weight %g, expected %d rows with positive weight", path,
                             used, D17_FOOD_MONTHS, den, D17_FOOD_ROWS);
    if (st == TW_OK)
        *cap = num / den;
done:
    tw_csv_free(t);
    tw_free(path);
    return st;
}

/* Apply rule T2 to w: cap every FOOD tariff of each food_caps importer. */
static tw_status apply_food_caps(struct tw_bundle *b, struct tw_world *w)
{
    size_t s, j;
    if (!tw_world_find_sector(w, D17_FOOD_SECTOR, &s))
        return tw_bundle_error(b, TW_EINVAL, "%s: no sector %s, expected one for rule T2",
                               D17_ICIO_DIR, D17_FOOD_SECTOR);
    for (size_t k = 0; k < D17_N_FOOD_CAPS; k++) {
        double cap;
        tw_status st = read_food_cap(b, food_caps[k].file, &cap);
        if (st != TW_OK || b->first != TW_OK)
            return st;
        if (!tw_world_find_country(w, food_caps[k].importer, &j))
            return tw_bundle_error(b, TW_EINVAL, "%s: no region %s, expected one for rule T2",
                                   D17_ICIO_DIR, food_caps[k].importer);
        for (size_t i = 0; i < w->n_country; i++) {
            double *tau = &w->tariff[tw_world_ijs(w, i, j, s)];
            if (i != j && *tau > cap)
                *tau = cap;
        }
    }
    return TW_OK;
}

/* ---- derived arrays ----------------------------------------------------------------------- */

/* F1 and D1: flows to whole USD, deficits from them. */
static void convert_flows(struct tw_world *w)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t k = 0; k < S * N * N; k++)
        w->flow[k] = nearbyint(w->flow[k] * D17_USD_PER_MN);
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
}

/* P1, P2, A1 from the wiod levels: va[(c*S + s)*2 + {0: value, 1: output}],
 * iu[(c*S + k)*S + s], fd[(c*S + s)*D17_N_ALPHA + column]. */
static tw_status derive_shares(struct tw_bundle *b, struct tw_world *w, const double *va,
                               const double *iu, const double *fd)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t c = 0; c < N; c++) {
        double total = 0.0;
        for (size_t s = 0; s < S; s++) {
            double output = va[tw_world_cs(w, c, s) * 2 + 1], a = 0.0;
            w->va_share[tw_world_cs(w, c, s)] = va[tw_world_cs(w, c, s) * 2] / output;
            for (size_t k = 0; k < S; k++)
                w->io[tw_world_cks(w, c, k, s)] = iu[tw_world_cks(w, c, k, s)] / output;
            for (size_t q = 0; q < D17_N_ALPHA; q++)
                a += fd[tw_world_cs(w, c, s) * D17_N_ALPHA + q];
            w->alpha[tw_world_cs(w, c, s)] = a;
            total += a;
        }
        if (!(total > 0.0))
            return tw_bundle_error(b, TW_EINVAL, "%s/final_demand.csv: %s has no final demand "
                                   "outside inventories, expected a positive total",
                                   D17_WIOD_DIR, w->country_code[c]);
        for (size_t s = 0; s < S; s++)
            w->alpha[tw_world_cs(w, c, s)] /= total;
    }
    return TW_OK;
}

/* ---- the importer --------------------------------------------------------------------------- */

void tw_default2017_opts_init(struct tw_default2017_opts *o) { o->fix_food = true; }

/* Everything one import owns. */
struct d17 {
    struct tw_bundle icio, wiod, usch; /* one per source folder; icio holds the world and the
                                          code indexes */
    char *dir[3];                      /* owned: the three folder paths */
    double *va, *iu, *fd;              /* owned: wiod levels (layouts in derive_shares) */
};

/* First error status of the three bundles (TW_OK when none). */
static tw_status first_error(const struct d17 *x)
{
    if (x->icio.first != TW_OK)
        return x->icio.first;
    if (x->wiod.first != TW_OK)
        return x->wiod.first;
    return x->usch.first;
}

/* Read the wiod levels and the elasticities once the icio world exists. */
static tw_status read_wiod(struct d17 *x)
{
    struct tw_world *w = x->icio.w;
    size_t N = w->n_country, S = w->n_sector;
    tw_status st;
    x->va = tw_calloc(N * S * 2, sizeof(double));
    x->iu = tw_calloc(N * S * S, sizeof(double));
    x->fd = tw_calloc(N * S * D17_N_ALPHA, sizeof(double));
    if (x->va == NULL || x->iu == NULL || x->fd == NULL)
        return tw_err_set(x->icio.err, TW_ENOMEM, "import default2017: out of memory");
    if ((st = check_codes(&x->wiod, &x->icio, "regions.csv", "region", false)) != TW_OK ||
        (st = check_codes(&x->wiod, &x->icio, "sectors.csv", "sector", true)) != TW_OK ||
        (st = read_keyed(&x->wiod, &x->icio, &value_added_tab, x->va)) != TW_OK ||
        (st = read_keyed(&x->wiod, &x->icio, &intermediate_tab, x->iu)) != TW_OK ||
        (st = read_keyed(&x->wiod, &x->icio, &final_demand_tab, x->fd)) != TW_OK)
        return st;
    return read_keyed(&x->icio, &x->icio, &elasticities_tab, w->theta);
}

/* The steps after the source folders are known; the world ends in x->icio.w. */
static tw_status build(struct d17 *x, const struct tw_default2017_opts *o)
{
    tw_status st = tw_bundle_load(&x->icio, &icio_format);
    if (st != TW_OK || x->icio.w == NULL || first_error(x) != TW_OK)
        return st;
    if ((st = read_wiod(x)) != TW_OK || first_error(x) != TW_OK)
        return st;
    struct tw_world *w = x->icio.w;
    convert_flows(w);
    if ((st = derive_shares(&x->wiod, w, x->va, x->iu, x->fd)) != TW_OK)
        return st;
    if (o->fix_food && (st = apply_food_caps(&x->usch, w)) != TW_OK)
        return st;
    if (first_error(x) != TW_OK)
        return TW_OK;
    if ((st = tw_world_set_string(&w->meta_name, D17_META_NAME, x->icio.err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_year, D17_META_YEAR, x->icio.err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_currency, D17_META_CURRENCY, x->icio.err)) !=
            TW_OK ||
        (st = tw_world_set_string(&w->meta_source, D17_META_SOURCE, x->icio.err)) != TW_OK)
        return st;
    tw_err e = {TW_OK, ""};
    st = tw_world_validate(w, "import default2017", x->icio.d, &e);
    if (st == TW_ENOMEM)
        return tw_err_set(x->icio.err, TW_ENOMEM, "%s", e.msg);
    if (st != TW_OK)
        x->icio.first = TW_EINVAL;
    return TW_OK;
}

tw_status tw_import_default2017_opts(const char *src_dir, const struct tw_default2017_opts *o,
                                     struct tw_world **out, tw_diag *d, tw_err *err)
{
    static const char *const sub[3] = {D17_ICIO_DIR, D17_WIOD_DIR, D17_USCHINA_DIR};
    struct tw_default2017_opts defaults;
    struct d17 x;
    tw_status st = TW_OK;
    *out = NULL;
    memset(&x, 0, sizeof x);
    if (o == NULL) {
        tw_default2017_opts_init(&defaults);
        o = &defaults;
    }
    for (size_t k = 0; k < 3; k++)
        if ((x.dir[k] = tw_bundle_path(src_dir, sub[k])) == NULL)
            st = tw_err_set(err, TW_ENOMEM, "import default2017: out of memory");
    if (st == TW_OK) {
        tw_bundle_init(&x.icio, x.dir[0], d, err);
        tw_bundle_init(&x.wiod, x.dir[1], d, err);
        tw_bundle_init(&x.usch, x.dir[2], d, err);
        x.wiod.extra_columns_ok = x.usch.extra_columns_ok = true;
        st = build(&x, o);
    }
    if (st == TW_OK)
        st = first_error(&x);
    if (st == TW_OK) {
        *out = x.icio.w;
        x.icio.w = NULL;
    }
    tw_bundle_clear(&x.icio);
    tw_bundle_clear(&x.wiod);
    tw_bundle_clear(&x.usch);
    for (size_t k = 0; k < 3; k++)
        tw_free(x.dir[k]);
    tw_free(x.va);
    tw_free(x.iu);
    tw_free(x.fd);
    return st;
}

tw_status tw_import_default2017(const char *src_dir, struct tw_world **out, tw_diag *d,
                                tw_err *err)
{
    return tw_import_default2017_opts(src_dir, NULL, out, d, err);
}
