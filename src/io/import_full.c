/* SPDX-License-Identifier: MIT */
/*
 * src/io/import_full.c: the full-resolution importers of the shared datasets, which share
 * their readers (gzip CSV, sparse code-keyed tables):
 *   "wiod2011"  wiod_2011_mrio/full            41 x 35, complete input-output table, 2011
 *   "icio2017"  icio_2017_trade_tariffs/full   81 x 28, flows and tariffs only, 2017
 *   "wiod2014"  wiod_2014_trade_tariffs/full   44 x 16, flows and tariffs only, 2014
 * `src_dir` is the dataset's full/ folder (each README documents its files). Every rule below
 * is a named constant or table; docs/world-format.md ("Full-resolution importers") gives the
 * numbers.
 *
 * Common rules:
 *   C1 codes   regions.csv `country` and sectors.csv `sector`, in file order. regions.csv has
 *              no name column: a region's name is its code. Sector names from `name`.
 *              Every sector is tradable (each has international flows in the source).
 *   C2 flows   USD mn x FULL_USD_PER_MN, rounded to whole USD (the sources have at most four
 *              decimals, 100 USD, so nothing is lost and every sum of flows is exact).
 *   C3 deficit imports - exports of the C2 flows: they match the flows and sum to exactly 0.
 *
 * wiod2011 (WIOD 2013 release, 2011; the only source with an input-output split):
 *   W1 flows   intermediate.csv.gz (summed over the using sector) + final_demand.csv.gz (all
 *              five categories, inventories included, so a row sum is the source's output).
 *              Final-demand cells may be negative (346 INVEN cells; 6 GFCF cells from -1 to
 *              -279 USD mn, rounding in the source), which makes 25 flow cells negative
 *              (-442 USD mn at most, 23 of them domestic): those are set to 0.
 *   W2 beta,   output_value_added.csv `value_added` and the intermediate inputs of
 *      gamma   intermediate.csv.gz (all origins) per (country, using sector):
 *              beta = max(VA, 0) / (max(VA, 0) + inputs), gamma_k = inputs_k / (same). Where
 *              VA >= 0 the denominator is the source's output (VA + inputs = output exactly).
 *              Three LUX cells have VA < 0 from the source's dropped fractions: c5 and c8
 *              (no inputs, output -1) and c24 (VA -4 of output 32): VA is taken as 0. A cell
 *              with neither inputs nor value added (22 cells with zero output, mostly c35
 *              private households) gets beta = 1 and no inputs.
 *   W3 alpha   final_demand.csv.gz by (destination, sector), all origins, categories
 *              CONS_h, CONS_np, CONS_g, GFCF (inventories excluded: negative in 346 cells, they
 *              are not a final use of a static model; as rule A1 of the default world),
 *              normalised. The sums are >= 0 in every cell (validated: alpha in [0, 1]).
 *   W4 theta   no elasticities at full resolution: each sector takes the Caliendo-Parro value
 *              of its 10-sector aggregate (sectors.csv `sector10`) from
 *              ../agg10/elasticities.csv, source FULL_THETA_SOURCE.
 *   W5 tariffs none in the folder: all zero (add them with a scenario).
 * icio2017, wiod2014 (tariffwar's cubes; no input-output split and no value added):
 *   F1 flows   flows.csv.gz (intermediate + final sales; non-zero cells only).
 *   F2 tariffs tariffs.csv.gz (Teti applied rates; non-zero cells only), except 0 in sectors
 *              whose `sector10` is FULL_NO_TARIFF_SECTOR10 (services: the source's rates there
 *              come from goods Teti files under service ISIC codes; the agg10 folders and the
 *              default world use 0 too). The FOOD rates (US 0.915) are kept as in the source.
 *   F3 theta   elasticities.csv `epsilon` with source FULL_THETA_SOURCE.
 *   F4 beta=1, no input-output links (the multi-sector Armington / Eaton-Kortum model without
 *      gamma=0 intermediates), and alpha = each sector's share of the country's absorption
 *      alpha  gross of tariffs, sum_i flow * (1 + tariff); with beta = 1 the data are then an
 *              exact equilibrium (absorption = value added + deficit + tariff revenue).
 *
 * References: WIOD: Timmer et al. (2015), Review of International Economics 23: 575-605; OECD
 * (2023) ICIO tables; Teti (2024), ECARES WP 2024-04; Caliendo and Parro (2015); tariffwar
 * (Lashkaripour 2021); the shared READMEs. Invariants: the result passes tw_world_validate;
 * the same input gives the same bits (fixed loop order). Ownership: nothing survives the call
 * but the world.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <zlib.h>

#include "core/alloc.h"
#include "io/bundle.h"
#include "io/import.h"

/* C2: the flows are in millions of USD. */
#define FULL_USD_PER_MN 1e6
/* W4, F3: the elasticity source (elasticities.csv `source`). */
#define FULL_THETA_SOURCE "CP"
/* F2: the 10-sector aggregate whose tariffs are set to 0. */
#define FULL_NO_TARIFF_SECTOR10 "SERV"
/* W4: where wiod2011 finds the aggregated elasticities, relative to src_dir. */
#define WIOD_THETA_DIR "../agg10"
/* Bytes read from a gzip stream per call. */
#define FULL_GZ_CHUNK (1u << 20)
/* Bytes of a field quoted in a message. */
#define FULL_SHOW 48
/* Most key columns of a table. */
#define FULL_MAX_KEYS 4

/* W3: final-demand categories, the first WIOD_N_ALPHA of which make up alpha. */
static const char *const wiod_categories[] = {"CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN",
                                              NULL};
#define WIOD_N_ALPHA 4 /* CONS_h, CONS_np, CONS_g, GFCF */

/* Metadata of each source. */
#define WIOD2011_SOURCE                                                                     \
    "World Input-Output Database, 2013 release, world input-output table 2011: M. P. "      \
    "Timmer et al. (2015), An Illustrated User Guide to the World Input-Output Database, "  \
    "Review of International Economics 23: 575-605 (via the R package wiod, bquast/wiod); " \
    "trade elasticities: L. Caliendo and F. Parro (2015), Review of Economic Studies "      \
    "82(1): 1-44, by 10-sector aggregate as aggregated by ahmadlp/tariffwar. Built by "     \
    "tradewar's wiod2011 importer (docs/world-format.md)."
#define ICIO2017_SOURCE                                                                     \
    "Trade flows 2017: OECD (2023) Inter-Country Input-Output Tables, 2023 edition; applied " \
    "tariffs: F. Teti (2024), 30+ Years of Trade Policy, ECARES WP 2024-04; trade "          \
    "elasticities: L. Caliendo and F. Parro (2015); all as processed by ahmadlp/tariffwar "  \
    "(mat/ICIO2017.mat, commit 9863698). No input-output split: value-added share 1. Built " \
    "by tradewar's icio2017 importer (docs/world-format.md)."
#define WIOD2014_SOURCE                                                                     \
    "Trade flows 2014: World Input-Output Database, 2016 release (Timmer et al. 2015), "    \
    "inventory-corrected; applied tariffs: F. Teti (2024), ECARES WP 2024-04; trade "        \
    "elasticities: L. Caliendo and F. Parro (2015); all as processed by ahmadlp/tariffwar "  \
    "(mat/WIOD2014.mat, commit 9863698). No input-output split: value-added share 1. Built " \
    "by tradewar's wiod2014 importer (docs/world-format.md)."

/* ---- reading ---------------------------------------------------------------------------- */

/* Read dir/file (gzip or plain: zlib passes plain files through) as CSV into *t, as
 * tw_bundle_open does for plain files: problems go to b's diag and leave *t NULL. */
static tw_status open_gz(struct tw_bundle *b, const char *file, char **path, tw_csv_table **t)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    tw_status st = TW_OK;
    *t = NULL;
    if ((*path = tw_bundle_path(b->dir, file)) == NULL)
        return tw_err_set(b->err, TW_ENOMEM, "import: out of memory");
    errno = 0;
    gzFile gz = gzopen(*path, "rb");
    if (gz == NULL)
        return tw_bundle_error(b, TW_EIO, "%s: cannot open: %s", *path,
                               errno ? strerror(errno) : "out of memory");
    for (;;) {
        if (cap - len < FULL_GZ_CHUNK) {
            if (len > TW_CSV_MAX_FILE_SIZE) {
                st = tw_bundle_error(b, TW_EIO, "%s: larger than %zu bytes uncompressed",
                                     *path, TW_CSV_MAX_FILE_SIZE);
                break;
            }
            size_t ncap = cap ? 2 * cap : 4 * (size_t)FULL_GZ_CHUNK;
            if (ncap > TW_CSV_MAX_FILE_SIZE + FULL_GZ_CHUNK)
                ncap = TW_CSV_MAX_FILE_SIZE + FULL_GZ_CHUNK;
            char *nb = tw_malloc(ncap);
            if (nb == NULL) {
                st = tw_err_set(b->err, TW_ENOMEM, "import: out of memory");
                break;
            }
            if (len > 0)
                memcpy(nb, buf, len);
            tw_free(buf);
            buf = nb;
            cap = ncap;
        }
        int got = gzread(gz, buf + len, FULL_GZ_CHUNK);
        if (got < 0) {
            int code;
            const char *m = gzerror(gz, &code);
            st = tw_bundle_error(b, TW_EIO, "%s: cannot read: %s", *path,
                                 code == Z_ERRNO ? strerror(errno) : m);
            break;
        }
        if (got == 0) {
            int code;
            gzerror(gz, &code);
            if (code == Z_BUF_ERROR) /* the input ends inside a gzip stream */
                st = tw_bundle_error(b, TW_EIO, "%s: cannot read: truncated gzip file", *path);
            break;
        }
        len += (size_t)got;
    }
    gzclose(gz);
    if (st == TW_OK && b->first == TW_OK) {
        tw_err e = {TW_OK, ""};
        st = tw_csv_read_buf(buf, len, *path, t, &e);
        if (st == TW_ENOMEM)
            tw_err_set(b->err, TW_ENOMEM, "%s", e.msg);
        else if (st != TW_OK)
            st = tw_bundle_error(b, st, "%s", e.msg);
    }
    tw_free(buf);
    return st;
}

/* What a key column holds. */
enum key_kind { KEY_REGION, KEY_SECTOR, KEY_LIST };

struct key_col {
    const char *name;
    enum key_kind kind;
    const char *const *list; /* KEY_LIST: the accepted values, NULL-terminated */
};

/* A code-keyed table: one row per key combination at most, unlisted combinations are 0
 * unless `complete`. `value` (and `value2` when set) are numbers under `sign`. */
struct keyed {
    const char *file;
    bool gz;
    size_t n_key;
    struct key_col key[FULL_MAX_KEYS];
    const char *value, *value2;
    tw_bundle_sign sign;
    bool complete;
    const char *filter_col; /* keep only rows whose filter_col is filter_val; or NULL */
    const char *filter_val;
};

/* Called for each valid row: key indices idx[n_key], values v[2]. Returns NULL, or a reason
 * the row is invalid (reported with its place). */
typedef const char *(*row_fn)(void *ctx, const size_t *idx, const double *v);

static size_t key_range(const struct tw_world *w, const struct key_col *k)
{
    size_t n = 0;
    if (k->kind == KEY_REGION)
        return w->n_country;
    if (k->kind == KEY_SECTOR)
        return w->n_sector;
    while (k->list[n] != NULL)
        n++;
    return n;
}

/* Resolve field (r, col) as key k; report and return false when unknown. */
static bool resolve(struct tw_bundle *b, const struct key_col *k, const tw_csv_table *t,
                    const char *path, size_t r, size_t col, size_t *idx, tw_status *st)
{
    const char *f = tw_csv_field(t, r, col);
    char show[FULL_SHOW];
    if (k->kind == KEY_REGION && tw_bundle_index_find(&b->countries, f, idx))
        return true;
    if (k->kind == KEY_SECTOR && tw_bundle_index_find(&b->sectors, f, idx))
        return true;
    if (k->kind == KEY_LIST)
        for (size_t q = 0; k->list[q] != NULL; q++)
            if (strcmp(k->list[q], f) == 0) {
                *idx = q;
                return true;
            }
    *st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not a known %s", path,
                          tw_csv_line(t, r, col), col + 1, k->name,
                          tw_csv_excerpt(f, show, sizeof show),
                          k->kind == KEY_REGION   ? "region (regions.csv)"
                          : k->kind == KEY_SECTOR ? "sector (sectors.csv)"
                                                  : "value");
    return false;
}

/* Parse field (r, col) under `sign`; report and return false when bad. */
static bool number(struct tw_bundle *b, const tw_csv_table *t, const char *path, size_t r,
                   size_t col, tw_bundle_sign sign, double *v, tw_status *st)
{
    const char *f = tw_csv_field(t, r, col);
    char show[FULL_SHOW];
    if (tw_csv_parse_double(f, v) != TW_CSV_NUM_OK) {
        *st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not a finite number, "
                              "expected a decimal number", path, tw_csv_line(t, r, col),
                              col + 1, tw_csv_header(t, col),
                              tw_csv_excerpt(f, show, sizeof show));
        return false;
    }
    if ((sign == TW_BUNDLE_NONNEG && *v < 0.0) || (sign == TW_BUNDLE_POSITIVE && !(*v > 0.0))) {
        *st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s, expected a number %s", path,
                              tw_csv_line(t, r, col), col + 1, tw_csv_header(t, col),
                              tw_csv_excerpt(f, show, sizeof show),
                              sign == TW_BUNDLE_NONNEG ? ">= 0" : "> 0");
        return false;
    }
    return true;
}

/* Read table k of b's folder, calling fn(ctx, ...) for every valid row. Problems go to the
 * diag; returns TW_OK or TW_ENOMEM. */
static tw_status read_keyed(struct tw_bundle *b, const struct keyed *k, row_fn fn, void *ctx)
{
    const char *names[FULL_MAX_KEYS + 3] = {NULL};
    size_t col[FULL_MAX_KEYS + 3], n = 0, n_cells = 1, range[FULL_MAX_KEYS], missing = 0;
    unsigned char *seen = NULL;
    char *path = NULL;
    tw_csv_table *t = NULL;
    bool ok;
    for (size_t q = 0; q < k->n_key; q++) {
        names[n++] = k->key[q].name;
        range[q] = key_range(b->w, &k->key[q]);
        n_cells *= range[q];
    }
    names[n++] = k->value;
    names[n++] = k->value2;
    names[n++] = k->filter_col;
    tw_status st = k->gz ? open_gz(b, k->file, &path, &t) : tw_bundle_open(b, k->file, &path, &t);
    if (st != TW_OK || t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, t, path, names, n, col, &ok)) != TW_OK || !ok)
        goto done;
    if ((seen = tw_calloc(n_cells, 1)) == NULL) {
        st = tw_err_set(b->err, TW_ENOMEM, "import: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++) {
        size_t idx[FULL_MAX_KEYS], cell = 0;
        double v[2] = {0.0, 0.0};
        bool good = true;
        if (k->filter_col != NULL && strcmp(tw_csv_field(t, r, col[n - 1]), k->filter_val) != 0)
            continue;
        for (size_t q = 0; q < k->n_key; q++) {
            good = resolve(b, &k->key[q], t, path, r, col[q], &idx[q], &st) && good;
            cell = cell * range[q] + (good ? idx[q] : 0);
        }
        good = good && number(b, t, path, r, col[k->n_key], k->sign, &v[0], &st);
        if (good && k->value2 != NULL)
            good = number(b, t, path, r, col[k->n_key + 1], k->sign, &v[1], &st);
        if (!good || st != TW_OK)
            continue;
        if (seen[cell]) {
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu: this key repeats an earlier row, "
                                 "expected one row per key", path, tw_csv_line(t, r, 0));
            continue;
        }
        seen[cell] = 1;
        const char *why = fn(ctx, idx, v);
        if (why != NULL)
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu: %s", path, tw_csv_line(t, r, 0), why);
    }
    for (size_t c = 0; k->complete && c < n_cells; c++)
        missing += !seen[c];
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

/* C1: the code lists, read by the bundle reader (which checks them and builds the indexes).
 * regions.csv has no name column: `region10` is read as a placeholder and replaced by the
 * code. */
static const struct tw_bundle_codes full_regions = {
    .file = "regions.csv", .noun = "region", .code = "country", .name = "region10"};
static const struct tw_bundle_codes full_sectors = {
    .file = "sectors.csv", .noun = "sector", .code = "sector", .name = "name"};
static const struct tw_bundle_format full_codes = {
    .regions = &full_regions, .sectors = &full_sectors, .extra_columns_ok = true};

/* sectors.csv `sector10` of every sector (row order = sector order), owned by the table. */
struct sector10 {
    tw_csv_table *t;
    size_t col;
};

static tw_status read_codes(struct tw_bundle *b, struct sector10 *s10)
{
    char *path = NULL;
    const char *name = "sector10";
    bool ok = false;
    tw_status st = tw_bundle_load(b, &full_codes);
    if (st != TW_OK || b->w == NULL || b->first != TW_OK)
        return st;
    for (size_t c = 0; c < b->w->n_country && st == TW_OK; c++)
        st = tw_world_set_string(&b->w->country_name[c], b->w->country_code[c], b->err);
    if (st == TW_OK && (st = tw_bundle_open(b, "sectors.csv", &path, &s10->t)) == TW_OK &&
        s10->t != NULL)
        st = tw_bundle_columns(b, s10->t, path, &name, 1, &s10->col, &ok);
    if (st == TW_OK && !ok && b->first == TW_OK)
        st = tw_bundle_error(b, TW_EINVAL, "%s: unreadable", path);
    tw_free(path);
    return st;
}

static const char *sector10_of(const struct sector10 *s10, size_t s)
{
    return tw_csv_field(s10->t, s, s10->col);
}

/* C2, C3: flows from USD mn to whole USD, deficits from them. */
static void finish_flows(struct tw_world *w)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t k = 0; k < S * N * N; k++)
        w->flow[k] = nearbyint(w->flow[k] * FULL_USD_PER_MN);
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
}

/* Record metadata, validate, hand over the world. */
static tw_status finish(struct tw_bundle *b, const struct tw_import_meta *meta,
                        struct tw_world **out)
{
    tw_status st;
    struct tw_world *w = b->w;
    if ((st = tw_world_set_string(&w->meta_name, meta->name, b->err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_year, meta->year, b->err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_currency, meta->currency, b->err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_source, meta->source, b->err)) != TW_OK ||
        (st = tw_bundle_validate(b)) != TW_OK)
        return st;
    if (b->first != TW_OK)
        return b->first;
    *out = w;
    b->w = NULL;
    return TW_OK;
}

/* ---- row callbacks ---------------------------------------------------------------------- */

/* Accumulators of wiod2011 (layouts as the world's). */
struct wiod_acc {
    struct tw_world *w;
    double *va;     /* [N*S] value added */
    double *inputs; /* [N*S*S] (country, input k, using s), all origins */
    double *fd;     /* [N*S] alpha categories by (destination, sector), all origins */
};

/* intermediate.csv.gz: from_country, from_sector, to_country, to_sector. */
static const char *row_intermediate(void *ctx, const size_t *x, const double *v)
{
    struct wiod_acc *a = ctx;
    a->w->flow[tw_world_ijs(a->w, x[0], x[2], x[1])] += v[0];
    a->inputs[tw_world_cks(a->w, x[2], x[1], x[3])] += v[0];
    return NULL;
}

/* final_demand.csv.gz: from_country, from_sector, to_country, category. Cells may be negative
 * (W1, W3). */
static const char *row_final(void *ctx, const size_t *x, const double *v)
{
    struct wiod_acc *a = ctx;
    a->w->flow[tw_world_ijs(a->w, x[0], x[2], x[1])] += v[0];
    if (x[3] < WIOD_N_ALPHA)
        a->fd[tw_world_cs(a->w, x[2], x[1])] += v[0];
    return NULL;
}

/* output_value_added.csv: country, sector -> value added. */
static const char *row_va(void *ctx, const size_t *x, const double *v)
{
    struct wiod_acc *a = ctx;
    a->va[tw_world_cs(a->w, x[0], x[1])] = v[0];
    return NULL;
}

/* A per-sector array of the world: elasticities.csv sector -> theta. */
static const char *row_theta(void *ctx, const size_t *x, const double *v)
{
    ((double *)ctx)[x[0]] = v[0];
    return NULL;
}

/* flows.csv.gz: exporter, importer, sector. */
static const char *row_flow(void *ctx, const size_t *x, const double *v)
{
    struct tw_world *w = ctx;
    w->flow[tw_world_ijs(w, x[0], x[1], x[2])] = v[0];
    return NULL;
}

/* tariffs.csv.gz: importer, exporter, sector. */
static const char *row_tariff(void *ctx, const size_t *x, const double *v)
{
    struct tw_world *w = ctx;
    if (x[0] == x[1] && v[0] != 0.0)
        return "tariff of a region on itself, expected 0 on the diagonal";
    w->tariff[tw_world_ijs(w, x[1], x[0], x[2])] = v[0];
    return NULL;
}

/* ---- wiod2011 ----------------------------------------------------------------------------- */

static const struct keyed wiod_intermediate = {
    .file = "intermediate.csv.gz", .gz = true, .n_key = 4,
    .key = {{"from_country", KEY_REGION, NULL}, {"from_sector", KEY_SECTOR, NULL},
            {"to_country", KEY_REGION, NULL}, {"to_sector", KEY_SECTOR, NULL}},
    .value = "value", .sign = TW_BUNDLE_NONNEG};
static const struct keyed wiod_final = {
    .file = "final_demand.csv.gz", .gz = true, .n_key = 4,
    .key = {{"from_country", KEY_REGION, NULL}, {"from_sector", KEY_SECTOR, NULL},
            {"to_country", KEY_REGION, NULL}, {"category", KEY_LIST, wiod_categories}},
    .value = "value", .sign = TW_BUNDLE_ANY_SIGN};
static const struct keyed wiod_va = {
    .file = "output_value_added.csv", .n_key = 2,
    .key = {{"country", KEY_REGION, NULL}, {"sector", KEY_SECTOR, NULL}},
    .value = "value_added", .sign = TW_BUNDLE_ANY_SIGN, .complete = true};
/* W4: read with the sector10 codes mapped in wiod_theta (not the world's sector codes). */
static const char *const agg10_sectors[] = {"AGR",  "MIN",  "FOOD", "TEX",  "CHEM", "MET",
                                            "MACH", "TRAN", "OMAN", "SERV", NULL};
#define N_AGG10 10
static const struct keyed wiod_agg10_theta = {
    .file = WIOD_THETA_DIR "/elasticities.csv", .n_key = 1,
    .key = {{"sector", KEY_LIST, agg10_sectors}}, .value = "epsilon",
    .sign = TW_BUNDLE_POSITIVE, .complete = true, .filter_col = "source",
    .filter_val = FULL_THETA_SOURCE};

static const struct tw_import_meta wiod2011_meta = {
    .name = "WIOD 2011 world, full resolution (41 regions x 35 sectors)",
    .year = "2011",
    .currency = "USD",
    .source = WIOD2011_SOURCE};

/* W1 (clip), W2, W3, W4 once the tables are read. */
static tw_status wiod_derive(struct tw_bundle *b, const struct sector10 *s10,
                             const struct wiod_acc *a, const double *theta10)
{
    struct tw_world *w = b->w;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t k = 0; k < S * N * N; k++)
        if (w->flow[k] < 0.0)
            w->flow[k] = 0.0;
    for (size_t c = 0; c < N; c++) {
        double total = 0.0;
        for (size_t s = 0; s < S; s++) {
            double va = fmax(a->va[tw_world_cs(w, c, s)], 0.0), den = va;
            for (size_t k = 0; k < S; k++)
                den += a->inputs[tw_world_cks(w, c, k, s)];
            w->va_share[tw_world_cs(w, c, s)] = den > 0.0 ? va / den : 1.0;
            for (size_t k = 0; k < S && den > 0.0; k++)
                w->io[tw_world_cks(w, c, k, s)] = a->inputs[tw_world_cks(w, c, k, s)] / den;
            total += a->fd[tw_world_cs(w, c, s)];
        }
        if (!(total > 0.0))
            return tw_bundle_error(b, TW_EINVAL, "%s/final_demand.csv.gz: %s has no final "
                                   "demand outside inventories, expected a positive total",
                                   b->dir, w->country_code[c]);
        for (size_t s = 0; s < S; s++)
            w->alpha[tw_world_cs(w, c, s)] = a->fd[tw_world_cs(w, c, s)] / total;
    }
    for (size_t s = 0; s < S; s++) {
        size_t q = 0;
        while (q < N_AGG10 && strcmp(agg10_sectors[q], sector10_of(s10, s)) != 0)
            q++;
        if (q == N_AGG10)
            return tw_bundle_error(b, TW_EINVAL, "%s/sectors.csv: sector %s has sector10 "
                                   "\"%s\", expected one of the 10 agg10 sectors", b->dir,
                                   w->sector_code[s], sector10_of(s10, s));
        w->theta[s] = theta10[q];
    }
    return TW_OK;
}

tw_status tw_import_wiod2011(const char *src_dir, struct tw_world **out, tw_diag *d,
                             tw_err *err)
{
    struct tw_bundle b;
    struct sector10 s10 = {NULL, 0};
    struct wiod_acc a = {NULL, NULL, NULL, NULL};
    double theta10[N_AGG10] = {0.0};
    size_t N, S;
    *out = NULL;
    tw_bundle_init(&b, src_dir, d, err);
    tw_status st = read_codes(&b, &s10);
    if (st != TW_OK || b.first != TW_OK)
        goto done;
    N = b.w->n_country;
    S = b.w->n_sector;
    a.w = b.w;
    a.va = tw_calloc(N * S, sizeof(double));
    a.inputs = tw_calloc(N * S * S, sizeof(double));
    a.fd = tw_calloc(N * S, sizeof(double));
    if (a.va == NULL || a.inputs == NULL || a.fd == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "import wiod2011: out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++)
        b.w->tradable[s] = true;
    if ((st = read_keyed(&b, &wiod_va, row_va, &a)) != TW_OK ||
        (st = read_keyed(&b, &wiod_intermediate, row_intermediate, &a)) != TW_OK ||
        (st = read_keyed(&b, &wiod_final, row_final, &a)) != TW_OK ||
        (st = read_keyed(&b, &wiod_agg10_theta, row_theta, theta10)) != TW_OK ||
        b.first != TW_OK)
        goto done;
    if ((st = wiod_derive(&b, &s10, &a, theta10)) != TW_OK || b.first != TW_OK)
        goto done;
    finish_flows(b.w);
    st = finish(&b, &wiod2011_meta, out);
done:
    if (st == TW_OK && b.first != TW_OK)
        st = b.first;
    tw_free(a.va);
    tw_free(a.inputs);
    tw_free(a.fd);
    tw_csv_free(s10.t);
    tw_bundle_clear(&b);
    return st;
}

/* ---- icio2017, wiod2014 --------------------------------------------------------------------- */

static const struct keyed cube_flows = {
    .file = "flows.csv.gz", .gz = true, .n_key = 3,
    .key = {{"exporter", KEY_REGION, NULL}, {"importer", KEY_REGION, NULL},
            {"sector", KEY_SECTOR, NULL}},
    .value = "value", .sign = TW_BUNDLE_NONNEG};
static const struct keyed cube_tariffs = {
    .file = "tariffs.csv.gz", .gz = true, .n_key = 3,
    .key = {{"importer", KEY_REGION, NULL}, {"exporter", KEY_REGION, NULL},
            {"sector", KEY_SECTOR, NULL}},
    .value = "tariff", .sign = TW_BUNDLE_NONNEG};
static const struct keyed cube_theta = {
    .file = "elasticities.csv", .n_key = 1, .key = {{"sector", KEY_SECTOR, NULL}},
    .value = "epsilon", .sign = TW_BUNDLE_POSITIVE, .complete = true, .filter_col = "source",
    .filter_val = FULL_THETA_SOURCE};

/* F2 (services), F4 once the tables are read. */
static tw_status cube_derive(struct tw_bundle *b, const struct sector10 *s10, bool zero_services)
{
    struct tw_world *w = b->w;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t s = 0; s < S; s++) {
        w->tradable[s] = true;
        if (zero_services && strcmp(sector10_of(s10, s), FULL_NO_TARIFF_SECTOR10) == 0)
            for (size_t k = 0; k < N * N; k++)
                w->tariff[s * N * N + k] = 0.0;
    }
    return tw_import_absorption_shares(b, "flows.csv.gz");
}

/* How a cube is read: the CP2015 convention of the plain importers, or tariffwar's
 * (Lashkaripour 2021; ../shared/data/tariffwar_inputs/README.md, "How the solver transforms these
 * inputs"):
 *   L1 flows   the cube is tariff-inclusive spending by the importer: the world's flow (before
 *              tariffs) is value / (1 + tariff); ICIO only: 1 USD mn is added to every domestic
 *              cell first (so that no sector lacks domestic sales);
 *   L2 tariffs every sector keeps its rates (the package does not zero services);
 *   L3 theta   the paper's in-sample elasticities, source LASHKARIPOUR_THETA_SOURCE;
 *   L4 model   meta model "lashkaripour2021". */
struct cube_kind {
    const char *theta_source;
    bool tariff_inclusive;
    bool add_domestic; /* L1, ICIO */
};
#define LASHKARIPOUR_THETA_SOURCE "IS"
/* L1: what ICIO adds to each domestic cell, USD mn. */
#define LASHKARIPOUR_ICIO_DOMESTIC_ADD 1.0

/* L1: flows from tariff-inclusive USD mn to USD before tariffs; deficits from them. */
static void finish_flows_inclusive(struct tw_world *w, bool add_domestic)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, j, s);
                double v = w->flow[k] + (add_domestic && i == j ? LASHKARIPOUR_ICIO_DOMESTIC_ADD
                                                                : 0.0);
                w->flow[k] = v * FULL_USD_PER_MN / (1.0 + w->tariff[k]);
            }
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
}

static tw_status import_cube(const char *src_dir, const struct tw_import_meta *meta,
                             const struct cube_kind *kind, struct tw_world **out, tw_diag *d,
                             tw_err *err)
{
    struct tw_bundle b;
    struct sector10 s10 = {NULL, 0};
    struct keyed theta = cube_theta;
    theta.filter_val = kind->theta_source;
    *out = NULL;
    tw_bundle_init(&b, src_dir, d, err);
    tw_status st = read_codes(&b, &s10);
    if (st != TW_OK || b.first != TW_OK)
        goto done;
    if ((st = read_keyed(&b, &cube_flows, row_flow, b.w)) != TW_OK ||
        (st = read_keyed(&b, &cube_tariffs, row_tariff, b.w)) != TW_OK ||
        (st = read_keyed(&b, &theta, row_theta, b.w->theta)) != TW_OK || b.first != TW_OK)
        goto done;
    if (kind->tariff_inclusive) {
        finish_flows_inclusive(b.w, kind->add_domestic);
        if ((st = tw_world_set_string(&b.w->meta_model, "lashkaripour2021", err)) != TW_OK)
            goto done;
    } else
        finish_flows(b.w);
    if ((st = cube_derive(&b, &s10, !kind->tariff_inclusive)) != TW_OK || b.first != TW_OK)
        goto done;
    st = finish(&b, meta, out);
done:
    if (st == TW_OK && b.first != TW_OK)
        st = b.first;
    tw_csv_free(s10.t);
    tw_bundle_clear(&b);
    return st;
}

static const struct tw_import_meta icio2017_meta = {
    .name = "OECD ICIO 2017 world, full resolution (81 regions x 28 sectors, no input-output)",
    .year = "2017",
    .currency = "USD",
    .source = ICIO2017_SOURCE};
static const struct tw_import_meta wiod2014_meta = {
    .name = "WIOD 2014 world, full resolution (44 regions x 16 sectors, no input-output)",
    .year = "2014",
    .currency = "USD",
    .source = WIOD2014_SOURCE};

static const struct cube_kind cp_cube = {FULL_THETA_SOURCE, false, false};

tw_status tw_import_icio2017(const char *src_dir, struct tw_world **out, tw_diag *d,
                             tw_err *err)
{
    return import_cube(src_dir, &icio2017_meta, &cp_cube, out, d, err);
}

tw_status tw_import_wiod2014(const char *src_dir, struct tw_world **out, tw_diag *d,
                             tw_err *err)
{
    return import_cube(src_dir, &wiod2014_meta, &cp_cube, out, d, err);
}

#define LASHKARIPOUR_SOURCE                                                                 \
    "The baseline multi-sector model of A. Lashkaripour (2021), The Cost of a Global Tariff " \
    "War: A Sufficient-Statistics Approach, Journal of International Economics 131, as "      \
    "implemented by ahmadlp/tariffwar (commit 9863698): the cube is tariff-inclusive "         \
    "spending, elasticities are the paper's in-sample estimates (source IS). "
static const struct tw_import_meta lashkaripour_wiod2014_meta = {
    .name = "WIOD 2014 world for Lashkaripour (2021) (44 regions x 16 sectors)",
    .year = "2014",
    .currency = "USD",
    .source = LASHKARIPOUR_SOURCE "Data: " WIOD2014_SOURCE};
static const struct tw_import_meta lashkaripour_icio2017_meta = {
    .name = "ICIO 2017 world for Lashkaripour (2021) (81 regions x 28 sectors)",
    .year = "2017",
    .currency = "USD",
    .source = LASHKARIPOUR_SOURCE "Data: " ICIO2017_SOURCE};

tw_status tw_import_lashkaripour_wiod2014(const char *src_dir, struct tw_world **out,
                                         tw_diag *d, tw_err *err)
{
    static const struct cube_kind k = {LASHKARIPOUR_THETA_SOURCE, true, false};
    return import_cube(src_dir, &lashkaripour_wiod2014_meta, &k, out, d, err);
}

tw_status tw_import_lashkaripour_icio2017(const char *src_dir, struct tw_world **out,
                                         tw_diag *d, tw_err *err)
{
    static const struct cube_kind k = {LASHKARIPOUR_THETA_SOURCE, true, true};
    return import_cube(src_dir, &lashkaripour_icio2017_meta, &k, out, d, err);
}
