/* SPDX-License-Identifier: MIT */
/*
 * src/io/bundle.c: load and write worlds as folders of code-keyed CSV tables (see bundle.h),
 * and the world bundle format itself (docs/world-format.md).
 *
 * Loading is two-phase. Phase 1, here, reads every file and checks every cell on its own
 * (codes known, numbers finite, signs, duplicates, required rows, diagonal and non-tradable
 * rules) and reports each problem with its file, line and column. Phase 2,
 * tw_bundle_validate, runs core's tw_world_validate for the checks that need the whole world
 * (share sums, deficits summing to zero, positive value added); it runs only when phase 1
 * found nothing, because a world with unreadable cells would produce follow-on noise
 * ("shares sum to 0.7") that hides the real problem.
 *
 * References: docs/world-format.md (the format and its rules); core/world.h (the layouts).
 * Invariants: in read_table, seen[cell] is the line of the row that set the cell, 0 when no
 * row did; a cell is written at most once.
 */
#define _XOPEN_SOURCE 700

#include "io/bundle.h"

#include <errno.h>
#include <unistd.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

/* Bytes of a field quoted in a message (see tw_csv_excerpt). */
#define SHOW 48

/* ---- the world bundle format -------------------------------------------------------------- */

const struct tw_bundle_codes tw_bundle_world_regions = {
    .file = "regions.csv", .noun = "region", .code = "code", .name = "name"};
const struct tw_bundle_codes tw_bundle_world_sectors = {
    .file = "sectors.csv", .noun = "sector", .code = "code", .name = "name",
    .tradable = "tradable"};

const struct tw_bundle_table tw_bundle_world_tables[] = {
    {.file = "elasticities.csv", .shape = TW_BUNDLE_SECTOR, .key = {"sector"}, .value = "theta",
     .sign = TW_BUNDLE_POSITIVE, .complete = true, .array = offsetof(struct tw_world, theta)},
    {.file = "flows.csv", .shape = TW_BUNDLE_EIS, .key = {"exporter", "importer", "sector"},
     .value = "value", .sign = TW_BUNDLE_NONNEG, .tradable_only = true,
     .array = offsetof(struct tw_world, flow)},
    {.file = "tariffs.csv", .shape = TW_BUNDLE_IES, .key = {"importer", "exporter", "sector"},
     .value = "rate", .sign = TW_BUNDLE_NONNEG, .zero_diagonal = true,
     .array = offsetof(struct tw_world, tariff)},
    {.file = "io.csv", .shape = TW_BUNDLE_CKS,
     .key = {"country", "input_sector", "using_sector"}, .value = "share",
     .sign = TW_BUNDLE_ANY_SIGN, .array = offsetof(struct tw_world, io)},
    {.file = "value_added.csv", .shape = TW_BUNDLE_CS, .key = {"country", "sector"},
     .value = "share", .sign = TW_BUNDLE_ANY_SIGN, .complete = true,
     .array = offsetof(struct tw_world, va_share)},
    {.file = "final_demand.csv", .shape = TW_BUNDLE_CS, .key = {"country", "sector"},
     .value = "share", .sign = TW_BUNDLE_ANY_SIGN, .complete = true,
     .array = offsetof(struct tw_world, alpha)},
    {.file = "deficits.csv", .shape = TW_BUNDLE_COUNTRY, .key = {"country"}, .value = "deficit",
     .sign = TW_BUNDLE_ANY_SIGN, .complete = true, .array = offsetof(struct tw_world, deficit)},
    {.file = "weights.csv", .shape = TW_BUNDLE_CS, .key = {"country", "sector"},
     .value = "lambda", .sign = TW_BUNDLE_NONNEG, .complete = true, .optional = true,
     .array = offsetof(struct tw_world, pe_weight)},
};
const size_t tw_bundle_world_n_tables =
    sizeof tw_bundle_world_tables / sizeof tw_bundle_world_tables[0];

const struct tw_bundle_format tw_bundle_world_format = {
    .regions = &tw_bundle_world_regions,
    .sectors = &tw_bundle_world_sectors,
    .tables = tw_bundle_world_tables,
    .n_tables = sizeof tw_bundle_world_tables / sizeof tw_bundle_world_tables[0],
    .extra_columns_ok = false};

const char *const tw_bundle_meta_keys[] = {"name", "year", "currency", "source", "model", NULL};

char **tw_bundle_meta_slot(struct tw_world *w, const char *key)
{
    if (strcmp(key, "name") == 0)
        return &w->meta_name;
    if (strcmp(key, "year") == 0)
        return &w->meta_year;
    if (strcmp(key, "currency") == 0)
        return &w->meta_currency;
    if (strcmp(key, "source") == 0)
        return &w->meta_source;
    if (strcmp(key, "model") == 0)
        return &w->meta_model;
    return NULL;
}

/* ---- shapes ---------------------------------------------------------------------------------- */

static size_t shape_n_keys(tw_bundle_shape shape)
{
    return shape == TW_BUNDLE_SECTOR || shape == TW_BUNDLE_COUNTRY ? 1
           : shape == TW_BUNDLE_CS                                 ? 2
                                                                   : 3;
}

/* Whether key k of a shape is a sector code (else a region code). */
static bool key_is_sector(tw_bundle_shape shape, size_t k)
{
    switch (shape) {
    case TW_BUNDLE_SECTOR: return true;
    case TW_BUNDLE_COUNTRY: return false;
    case TW_BUNDLE_CS: return k == 1;
    case TW_BUNDLE_EIS:
    case TW_BUNDLE_IES: return k == 2;
    case TW_BUNDLE_CKS: return k >= 1;
    }
    return false;
}

/* Index of the cell addressed by key[] in the target array. */
static size_t cell_of(const struct tw_world *w, tw_bundle_shape shape, const size_t *key)
{
    switch (shape) {
    case TW_BUNDLE_SECTOR:
    case TW_BUNDLE_COUNTRY: return key[0];
    case TW_BUNDLE_CS: return tw_world_cs(w, key[0], key[1]);
    case TW_BUNDLE_EIS: return tw_world_ijs(w, key[0], key[1], key[2]);
    case TW_BUNDLE_IES: return tw_world_ijs(w, key[1], key[0], key[2]);
    case TW_BUNDLE_CKS: return tw_world_cks(w, key[0], key[1], key[2]);
    }
    return 0;
}

/* Number of cells of the target array. */
static size_t shape_cells(const struct tw_world *w, tw_bundle_shape shape)
{
    size_t n = 1;
    for (size_t k = 0; k < shape_n_keys(shape); k++)
        n *= key_is_sector(shape, k) ? w->n_sector : w->n_country;
    return n;
}

/* Key ranges for iterating every cell in key order (unused keys get range 1). */
static void shape_ranges(const struct tw_world *w, tw_bundle_shape shape, size_t range[3])
{
    for (size_t k = 0; k < 3; k++)
        range[k] = k < shape_n_keys(shape)
                       ? (key_is_sector(shape, k) ? w->n_sector : w->n_country)
                       : 1;
}

/* Exporter, importer and sector of a bilateral key (EIS or IES shapes). */
static void bilateral(tw_bundle_shape shape, const size_t *key, size_t *i, size_t *j, size_t *s)
{
    *i = shape == TW_BUNDLE_EIS ? key[0] : key[1];
    *j = shape == TW_BUNDLE_EIS ? key[1] : key[0];
    *s = key[2];
}

static const char *shape_per(tw_bundle_shape shape)
{
    switch (shape) {
    case TW_BUNDLE_SECTOR: return "sector";
    case TW_BUNDLE_COUNTRY: return "region";
    case TW_BUNDLE_CS: return "region and sector";
    case TW_BUNDLE_EIS:
    case TW_BUNDLE_IES: return "pair of regions and sector";
    case TW_BUNDLE_CKS: return "region and pair of sectors";
    }
    return "cell";
}

static double *target_array(struct tw_world *w, const struct tw_bundle_table *spec)
{
    return *(double **)(void *)((char *)w + spec->array);
}

static const double *target_array_const(const struct tw_world *w,
                                        const struct tw_bundle_table *spec)
{
    return *(double *const *)(const void *)((const char *)w + spec->array);
}

/* `exporter "USA", importer "MEX", sector "auto"` for a resolved key. */
static const char *key_text(const struct tw_world *w, const struct tw_bundle_table *spec,
                            const size_t *key, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < shape_n_keys(spec->shape) && used < cap; k++) {
        const char *code = key_is_sector(spec->shape, k) ? w->sector_code[key[k]]
                                                          : w->country_code[key[k]];
        int n = snprintf(buf + used, cap - used, "%s%s \"%s\"", k ? ", " : "", spec->key[k],
                         code);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* ---- context -------------------------------------------------------------------------------- */

void tw_bundle_init(struct tw_bundle *b, const char *dir, tw_diag *d, tw_err *err)
{
    memset(b, 0, sizeof *b);
    b->dir = dir;
    b->d = d;
    b->err = err;
    b->first = TW_OK;
}

void tw_bundle_clear(struct tw_bundle *b)
{
    tw_world_free(b->w);
    b->w = NULL;
    tw_bundle_index_free(&b->countries);
    tw_bundle_index_free(&b->sectors);
}

tw_status tw_bundle_error(struct tw_bundle *b, tw_status kind, const char *fmt, ...)
{
    char buf[TW_ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (b->first == TW_OK)
        b->first = kind;
    return tw_diag_add(b->d, TW_SEV_ERROR, b->err, "%s", buf);
}

char *tw_bundle_path(const char *dir, const char *file)
{
    size_t dl = strlen(dir), fl = strlen(file);
    bool slash = dl > 0 && dir[dl - 1] != '/';
    char *p = tw_malloc(dl + (slash ? 1 : 0) + fl + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, dl);
    if (slash)
        p[dl++] = '/';
    memcpy(p + dl, file, fl + 1);
    return p;
}

tw_status tw_bundle_open(struct tw_bundle *b, const char *file, char **path, tw_csv_table **t)
{
    *t = NULL;
    *path = tw_bundle_path(b->dir, file);
    if (*path == NULL)
        return tw_err_set(b->err, TW_ENOMEM, "world: out of memory");
    tw_err e = {TW_OK, ""};
    tw_status st = tw_csv_read_file(*path, t, &e);
    if (st == TW_OK)
        return TW_OK;
    if (st == TW_ENOMEM)
        return tw_err_set(b->err, TW_ENOMEM, "%s", e.msg);
    return tw_bundle_error(b, st, "%s", e.msg);
}

tw_status tw_bundle_columns(struct tw_bundle *b, const tw_csv_table *t, const char *path,
                            const char *const *names, size_t n, size_t *idx, bool *ok)
{
    tw_status st = TW_OK;
    size_t line = tw_csv_header_line(t);
    char show[SHOW], list[256] = "";
    bool usable = true;
    for (size_t k = 0, used = 0; k < n; k++) {
        idx[k] = SIZE_MAX;
        if (names[k] != NULL && used < sizeof list) {
            int m = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                             names[k]);
            used += m > 0 ? (size_t)m : 0;
        }
    }
    for (size_t c = 0; c < t->n_cols && st == TW_OK; c++) {
        const char *h = tw_csv_header(t, c);
        size_t k = 0;
        while (k < n && (names[k] == NULL || strcmp(names[k], h) != 0))
            k++;
        if (k == n) {
            if (!b->extra_columns_ok)
                st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: unknown column \"%s\", "
                                     "expected only %s", path, line, c + 1,
                                     tw_csv_excerpt(h, show, sizeof show), list);
        } else if (idx[k] != SIZE_MAX) {
            usable = false;
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: column \"%s\" appears again (first "
                                 "in column %zu), expected each column once", path, line, c + 1,
                                 h, idx[k] + 1);
        } else {
            idx[k] = c;
        }
    }
    for (size_t k = 0; k < n && st == TW_OK; k++)
        if (names[k] != NULL && idx[k] == SIZE_MAX) {
            usable = false;
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu: missing column \"%s\", expected a "
                                 "header with %s", path, line, names[k], list);
        }
    *ok = usable;
    return st;
}

/* ---- cells ---------------------------------------------------------------------------------- */

/* Parse the number in (r, col) of t under `sign`; report and set *ok = false when bad. */
static tw_status cell_number(struct tw_bundle *b, const tw_csv_table *t, const char *path,
                             size_t r, size_t col, const char *what, tw_bundle_sign sign,
                             double *v, bool *ok)
{
    const char *f = tw_csv_field(t, r, col);
    size_t line = tw_csv_line(t, r, col);
    char show[SHOW];
    *ok = false;
    switch (tw_csv_parse_double(f, v)) {
    case TW_CSV_NUM_OK: break;
    case TW_CSV_NUM_EMPTY:
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s is empty, expected a number",
                               path, line, col + 1, what);
    case TW_CSV_NUM_NONFINITE:
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\": NaN/Inf not allowed, "
                               "expected a finite number", path, line, col + 1, what,
                               tw_csv_excerpt(f, show, sizeof show));
    case TW_CSV_NUM_RANGE:
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is too large, expected a "
                               "finite number", path, line, col + 1, what,
                               tw_csv_excerpt(f, show, sizeof show));
    case TW_CSV_NUM_INVALID:
    default:
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not a number, expected "
                               "a decimal number such as 0.25 or 1.5e9", path, line, col + 1,
                               what, tw_csv_excerpt(f, show, sizeof show));
    }
    if (sign == TW_BUNDLE_NONNEG && *v < 0.0)
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s is negative, expected a number "
                               ">= 0", path, line, col + 1, what,
                               tw_csv_excerpt(f, show, sizeof show));
    if (sign == TW_BUNDLE_POSITIVE && !(*v > 0.0))
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s, expected a number > 0", path,
                               line, col + 1, what, tw_csv_excerpt(f, show, sizeof show));
    *ok = true;
    return TW_OK;
}

/* Resolve the code in (r, col) of t; report and set *ok = false when empty or unknown. */
static tw_status cell_code(struct tw_bundle *b, const tw_csv_table *t, const char *path,
                           size_t r, size_t col, bool is_sector, size_t *idx, bool *ok)
{
    const char *f = tw_csv_field(t, r, col);
    size_t line = tw_csv_line(t, r, col);
    const char *noun = is_sector ? "sector" : "region";
    const char *list = is_sector ? b->sectors_file : b->regions_file;
    char show[SHOW];
    *ok = false;
    if (f[0] == '\0')
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s is empty, expected a %s code",
                               path, line, col + 1, tw_csv_header(t, col), noun);
    if (!tw_bundle_index_find(is_sector ? &b->sectors : &b->countries, f, idx))
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" is not in %s, expected a "
                               "%s code", path, line, col + 1, tw_csv_header(t, col),
                               tw_csv_excerpt(f, show, sizeof show), list, noun);
    *ok = true;
    return TW_OK;
}

/* Rules that involve the key as well as the value: the diagonal and non-tradable sectors. */
static tw_status cell_rules(struct tw_bundle *b, const struct tw_bundle_table *spec,
                            const tw_csv_table *t, const char *path, size_t r, size_t col,
                            const size_t *key, double v, bool *ok)
{
    const struct tw_world *w = b->w;
    size_t i, j, s;
    *ok = true;
    if (!(spec->zero_diagonal || spec->tradable_only) || v == 0.0)
        return TW_OK;
    bilateral(spec->shape, key, &i, &j, &s);
    size_t line = tw_csv_line(t, r, col);
    if (spec->zero_diagonal && i == j) {
        *ok = false;
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s of %s on itself in %s, "
                               "expected 0", path, line, col + 1, spec->value,
                               tw_csv_field(t, r, col), w->country_code[i], w->sector_code[s]);
    }
    if (spec->tradable_only && i != j && !w->tradable[s]) {
        *ok = false;
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s %s from %s to %s in non-tradable "
                               "sector %s, expected 0 (domestic sales only)", path, line,
                               col + 1, spec->value, tw_csv_field(t, r, col),
                               w->country_code[i], w->country_code[j], w->sector_code[s]);
    }
    return TW_OK;
}

/* One data row of a numeric table: resolve the keys, parse the value, check, store. */
static tw_status read_row(struct tw_bundle *b, const struct tw_bundle_table *spec,
                          const tw_csv_table *t, const char *path, size_t r, const size_t *col,
                          double *arr, size_t *seen)
{
    size_t nk = shape_n_keys(spec->shape);
    size_t key[3] = {0, 0, 0}; /* [n keys] resolved code indices, in the shape's key order */
    bool keys_ok = true, ok;
    tw_status st;
    for (size_t k = 0; k < nk; k++) {
        if ((st = cell_code(b, t, path, r, col[k], key_is_sector(spec->shape, k), &key[k],
                            &ok)) != TW_OK)
            return st;
        keys_ok = keys_ok && ok;
    }
    double v = 0.0;
    bool value_ok;
    if ((st = cell_number(b, t, path, r, col[nk], spec->value, spec->sign, &v, &value_ok)) !=
        TW_OK)
        return st;
    if (!keys_ok)
        return TW_OK;
    size_t cell = cell_of(b->w, spec->shape, key), line = tw_csv_line(t, r, 0);
    if (seen[cell] != 0) {
        char kt[256];
        return tw_bundle_error(b, TW_EINVAL, "%s:%zu: row for %s repeats line %zu, expected "
                               "at most one row per %s", path, line,
                               key_text(b->w, spec, key, kt, sizeof kt), seen[cell],
                               shape_per(spec->shape));
    }
    seen[cell] = line;
    if (!value_ok)
        return TW_OK;
    if ((st = cell_rules(b, spec, t, path, r, col[nk], key, v, &ok)) != TW_OK || !ok)
        return st;
    arr[cell] = v;
    return TW_OK;
}

/* Report the cells of a complete table that no row gave. */
static tw_status report_missing(struct tw_bundle *b, const struct tw_bundle_table *spec,
                                const char *path, const size_t *seen)
{
    size_t range[3], key[3]; /* [3] per-key index ranges (1 for unused keys), current key */
    size_t missing = 0;
    char kt[256];
    tw_status st = TW_OK;
    shape_ranges(b->w, spec->shape, range);
    for (key[0] = 0; key[0] < range[0]; key[0]++)
        for (key[1] = 0; key[1] < range[1]; key[1]++)
            for (key[2] = 0; key[2] < range[2]; key[2]++) {
                if (seen[cell_of(b->w, spec->shape, key)] != 0)
                    continue;
                if (++missing <= TW_BUNDLE_MAX_MISSING &&
                    (st = tw_bundle_error(b, TW_EINVAL, "%s: no row for %s, expected one row "
                                          "per %s", path,
                                          key_text(b->w, spec, key, kt, sizeof kt),
                                          shape_per(spec->shape))) != TW_OK)
                    return st;
            }
    if (missing > TW_BUNDLE_MAX_MISSING)
        st = tw_bundle_error(b, TW_EINVAL, "%s: %zu more rows missing (%zu in all), expected "
                             "one row per %s", path, missing - TW_BUNDLE_MAX_MISSING, missing,
                             shape_per(spec->shape));
    return st;
}

static tw_status read_table(struct tw_bundle *b, const struct tw_bundle_table *spec)
{
    char *path = NULL;
    tw_csv_table *t = NULL;
    size_t *seen = NULL; /* [cells of the target array] line of the row that set it, 0 = none */
    size_t nk = shape_n_keys(spec->shape);
    size_t col[4]; /* [nk + 1] positions of the key columns, then of the value column */
    /* [nk + 1] the names of those columns */
    const char *names[4] = {spec->key[0], spec->key[1], spec->key[2], NULL};
    names[nk] = spec->value;
    bool ok;
    tw_status st;
    if (spec->optional) {
        char *p = tw_bundle_path(b->dir, spec->file);
        if (p == NULL)
            return tw_err_set(b->err, TW_ENOMEM, "world: out of memory");
        bool absent = access(p, F_OK) != 0 && errno == ENOENT;
        tw_free(p);
        if (absent) /* an optional table that is absent keeps the allocation defaults */
            return TW_OK;
    }
    st = tw_bundle_open(b, spec->file, &path, &t);
    if (st != TW_OK || t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, t, path, names, nk + 1, col, &ok)) != TW_OK || !ok)
        goto done;
    seen = tw_calloc(shape_cells(b->w, spec->shape), sizeof *seen);
    if (seen == NULL) {
        st = tw_err_set(b->err, TW_ENOMEM, "world: out of memory");
        goto done;
    }
    double *arr = target_array(b->w, spec);
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++)
        st = read_row(b, spec, t, path, r, col, arr, seen);
    if (st == TW_OK && spec->complete)
        st = report_missing(b, spec, path, seen);
done:
    tw_free(seen);
    tw_csv_free(t);
    tw_free(path);
    return st;
}

/* ---- code lists ------------------------------------------------------------------------------ */

/* A code list read and checked row by row; the table stays alive until the world is built. */
struct codes_read {
    char *path;      /* owned */
    tw_csv_table *t; /* owned; NULL when unreadable */
    size_t col[4];   /* code, name, tradable, order column positions */
    bool ok;         /* usable to build the world */
};

static tw_status check_code_row(struct tw_bundle *b, const struct tw_bundle_codes *spec,
                                struct codes_read *cr, size_t r)
{
    const tw_csv_table *t = cr->t;
    const char *code = tw_csv_field(t, r, cr->col[0]);
    size_t line = tw_csv_line(t, r, cr->col[0]);
    tw_status st = TW_OK;
    if (code[0] == '\0')
        st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s code is empty, expected a code",
                             cr->path, line, cr->col[0] + 1, spec->noun);
    else if (strcmp(code, "*") == 0)
        st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s code \"*\" is reserved (it means "
                             "every code in scenario files), expected another code", cr->path,
                             line, cr->col[0] + 1, spec->noun);
    if (st == TW_OK && spec->tradable != NULL) {
        const char *f = tw_csv_field(t, r, cr->col[2]);
        char show[SHOW];
        if (strcmp(f, "0") != 0 && strcmp(f, "1") != 0)
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\", expected 0 or 1",
                                 cr->path, tw_csv_line(t, r, cr->col[2]), cr->col[2] + 1,
                                 spec->tradable, tw_csv_excerpt(f, show, sizeof show));
    }
    if (st == TW_OK && spec->order != NULL) {
        const char *f = tw_csv_field(t, r, cr->col[3]);
        double v;
        char show[SHOW];
        if (tw_csv_parse_double(f, &v) != TW_CSV_NUM_OK || v != (double)r)
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s \"%s\" on row %zu, expected %zu "
                                 "(rows in %s order)", cr->path, tw_csv_line(t, r, cr->col[3]),
                                 cr->col[3] + 1, spec->order,
                                 tw_csv_excerpt(f, show, sizeof show), r + 1, r, spec->order);
    }
    return st;
}

/* Read a code list of at most `max` rows (TW_WORLD_MAX_COUNTRIES or TW_WORLD_MAX_SECTORS:
 * checked here, before the world is allocated, so the message names the file). */
static tw_status read_codes(struct tw_bundle *b, const struct tw_bundle_codes *spec,
                            size_t max, struct codes_read *cr)
{
    /* [4] code, name, tradable, order column names (the last two may be NULL) */
    const char *names[4] = {spec->code, spec->name, spec->tradable, spec->order};
    cr->ok = false;
    tw_status st = tw_bundle_open(b, spec->file, &cr->path, &cr->t);
    if (st != TW_OK || cr->t == NULL)
        return st;
    if ((st = tw_bundle_columns(b, cr->t, cr->path, names, 4, cr->col, &cr->ok)) != TW_OK ||
        !cr->ok)
        return st;
    if (cr->t->n_rows == 0) {
        cr->ok = false;
        return tw_bundle_error(b, TW_EINVAL, "%s: no rows, expected at least one %s", cr->path,
                               spec->noun);
    }
    if (cr->t->n_rows > max) {
        cr->ok = false;
        return tw_bundle_error(b, TW_EINVAL, "%s: %zu %ss, more than the limit of %zu",
                               cr->path, cr->t->n_rows, spec->noun, max);
    }
    for (size_t r = 0; r < cr->t->n_rows && st == TW_OK; r++)
        st = check_code_row(b, spec, cr, r);
    return st;
}

/* Report codes that appear twice, using the sorted index (equal codes are adjacent). */
static tw_status report_duplicates(struct tw_bundle *b, const struct tw_bundle_index *ix,
                                   const struct tw_bundle_codes *spec,
                                   const struct codes_read *cr)
{
    tw_status st = TW_OK;
    for (size_t k = 1; k < ix->n && st == TW_OK; k++) {
        const struct tw_bundle_entry *prev = &ix->e[k - 1], *cur = &ix->e[k];
        if (strcmp(prev->code, cur->code) != 0 || cur->code[0] == '\0')
            continue;
        size_t first = k - 1;
        while (first > 0 && strcmp(ix->e[first - 1].code, cur->code) == 0)
            first--;
        st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: %s code \"%s\" repeats line %zu, "
                             "expected unique codes", cr->path,
                             tw_csv_line(cr->t, cur->idx, cr->col[0]), cr->col[0] + 1,
                             spec->noun, cur->code,
                             tw_csv_line(cr->t, ix->e[first].idx, cr->col[0]));
    }
    return st;
}

/* Allocate the world from the two code lists and build the code indexes. */
static tw_status build_world(struct tw_bundle *b, const struct tw_bundle_format *fmt,
                             const struct codes_read *rg, const struct codes_read *sc)
{
    size_t N = rg->t->n_rows, S = sc->t->n_rows;
    tw_err e = {TW_OK, ""};
    tw_status st = tw_world_alloc(N, S, &b->w, &e);
    if (st == TW_ENOMEM)
        return tw_err_set(b->err, TW_ENOMEM, "%s", e.msg);
    if (st != TW_OK) /* a size limit (core/world.h); drop tw_world_alloc's "world: " */
        return tw_bundle_error(b, TW_EINVAL, "%s: %s", b->dir,
                               strncmp(e.msg, "world: ", 7) == 0 ? e.msg + 7 : e.msg);
    struct tw_world *w = b->w;
    for (size_t c = 0; c < N && st == TW_OK; c++)
        if ((st = tw_world_set_string(&w->country_code[c], tw_csv_field(rg->t, c, rg->col[0]),
                                      b->err)) == TW_OK)
            st = tw_world_set_string(&w->country_name[c], tw_csv_field(rg->t, c, rg->col[1]),
                                     b->err);
    for (size_t s = 0; s < S && st == TW_OK; s++) {
        if ((st = tw_world_set_string(&w->sector_code[s], tw_csv_field(sc->t, s, sc->col[0]),
                                      b->err)) == TW_OK)
            st = tw_world_set_string(&w->sector_name[s], tw_csv_field(sc->t, s, sc->col[1]),
                                     b->err);
        if (fmt->sectors->tradable != NULL)
            w->tradable[s] = strcmp(tw_csv_field(sc->t, s, sc->col[2]), "0") != 0;
    }
    if (st == TW_OK)
        st = tw_bundle_index_build(&b->countries, w->country_code, N, b->err);
    if (st == TW_OK)
        st = tw_bundle_index_build(&b->sectors, w->sector_code, S, b->err);
    if (st == TW_OK)
        st = report_duplicates(b, &b->countries, fmt->regions, rg);
    if (st == TW_OK)
        st = report_duplicates(b, &b->sectors, fmt->sectors, sc);
    return st;
}

tw_status tw_bundle_load(struct tw_bundle *b, const struct tw_bundle_format *fmt)
{
    struct codes_read rg = {0}, sc = {0};
    b->extra_columns_ok = fmt->extra_columns_ok;
    b->regions_file = fmt->regions->file;
    b->sectors_file = fmt->sectors->file;
    tw_status st = read_codes(b, fmt->regions, TW_WORLD_MAX_COUNTRIES, &rg);
    if (st == TW_OK)
        st = read_codes(b, fmt->sectors, TW_WORLD_MAX_SECTORS, &sc);
    if (st == TW_OK && rg.ok && sc.ok)
        st = build_world(b, fmt, &rg, &sc);
    for (size_t k = 0; st == TW_OK && b->w != NULL && k < fmt->n_tables; k++)
        st = read_table(b, &fmt->tables[k]);
    tw_csv_free(rg.t);
    tw_csv_free(sc.t);
    tw_free(rg.path);
    tw_free(sc.path);
    return st;
}

tw_status tw_bundle_validate(struct tw_bundle *b)
{
    if (b->w == NULL || b->first != TW_OK)
        return TW_OK;
    tw_err e = {TW_OK, ""};
    tw_status st = tw_world_validate(b->w, b->dir, b->d, &e);
    if (st == TW_ENOMEM)
        return tw_err_set(b->err, TW_ENOMEM, "%s", e.msg);
    if (st != TW_OK)
        b->first = TW_EINVAL;
    return TW_OK;
}

const char *tw_bundle_first_error(const tw_diag *d)
{
    for (size_t k = 0; k < d->n; k++)
        if (d->entries[k].severity == TW_SEV_ERROR)
            return d->entries[k].msg;
    return "";
}

/* ---- code index ------------------------------------------------------------------------------ */

static int entry_cmp(const void *pa, const void *pb)
{
    const struct tw_bundle_entry *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    if (c != 0)
        return c;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

tw_status tw_bundle_index_build(struct tw_bundle_index *ix, char *const *codes, size_t n,
                                tw_err *err)
{
    ix->n = 0;
    ix->e = tw_calloc(n, sizeof *ix->e);
    if (ix->e == NULL)
        return tw_err_set(err, TW_ENOMEM, "world: out of memory");
    for (size_t k = 0; k < n; k++) {
        ix->e[k].code = codes[k];
        ix->e[k].idx = k;
    }
    ix->n = n;
    qsort(ix->e, n, sizeof *ix->e, entry_cmp);
    return TW_OK;
}

bool tw_bundle_index_find(const struct tw_bundle_index *ix, const char *code, size_t *idx)
{
    size_t lo = 0, hi = ix->n; /* first entry with code >= the key is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->e[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->n && strcmp(ix->e[lo].code, code) == 0) {
        *idx = ix->e[lo].idx;
        return true;
    }
    return false;
}

void tw_bundle_index_free(struct tw_bundle_index *ix)
{
    tw_free(ix->e);
    ix->e = NULL;
    ix->n = 0;
}

/* ---- writing --------------------------------------------------------------------------------- */

static tw_status stream_ok(FILE *fp, const char *file, tw_err *err)
{
    if (ferror(fp))
        return tw_err_set(err, TW_EIO, "world: cannot write %s", file);
    return TW_OK;
}

tw_status tw_bundle_write_codes(const struct tw_world *w, const struct tw_bundle_codes *spec,
                                FILE *fp, tw_err *err)
{
    bool is_sector = spec->tradable != NULL;
    size_t n = is_sector ? w->n_sector : w->n_country;
    fprintf(fp, "%s,%s%s%s%s%s\n", spec->code, spec->name, spec->tradable ? "," : "",
            spec->tradable ? spec->tradable : "", spec->order ? "," : "",
            spec->order ? spec->order : "");
    for (size_t k = 0; k < n; k++) {
        tw_csv_put_text(fp, is_sector ? w->sector_code[k] : w->country_code[k]);
        putc(',', fp);
        tw_csv_put_text(fp, is_sector ? w->sector_name[k] : w->country_name[k]);
        if (spec->tradable)
            fputs(w->tradable[k] ? ",1" : ",0", fp);
        if (spec->order)
            fprintf(fp, ",%zu", k);
        putc('\n', fp);
    }
    return stream_ok(fp, spec->file, err);
}

tw_status tw_bundle_write_table(const struct tw_world *w, const struct tw_bundle_table *spec,
                                FILE *fp, tw_err *err)
{
    size_t nk = shape_n_keys(spec->shape);
    size_t range[3], key[3]; /* [3] per-key index ranges (1 for unused keys), current key */
    const double *arr = target_array_const(w, spec);
    for (size_t k = 0; k < nk; k++)
        fprintf(fp, "%s,", spec->key[k]);
    fprintf(fp, "%s\n", spec->value);
    shape_ranges(w, spec->shape, range);
    for (key[0] = 0; key[0] < range[0]; key[0]++)
        for (key[1] = 0; key[1] < range[1]; key[1]++)
            for (key[2] = 0; key[2] < range[2]; key[2]++) {
                double v = arr[cell_of(w, spec->shape, key)];
                if (!spec->complete && v == 0.0 && !signbit(v))
                    continue;
                if (!isfinite(v)) {
                    char kt[256];
                    return tw_err_set(err, TW_EINVAL, "world: %s: %s for %s is %g, expected a "
                                      "finite number", spec->file, spec->value,
                                      key_text(w, spec, key, kt, sizeof kt), v);
                }
                for (size_t k = 0; k < nk; k++) {
                    tw_csv_put_text(fp, key_is_sector(spec->shape, k) ? w->sector_code[key[k]]
                                                                      : w->country_code[key[k]]);
                    putc(',', fp);
                }
                tw_csv_put_double(fp, v);
                putc('\n', fp);
            }
    return stream_ok(fp, spec->file, err);
}
