/* SPDX-License-Identifier: MIT */
/*
 * src/io/shock_csv.c: tariff scenario files, tw_shock_apply_tariff_csv and its _buf variant.
 *
 * A scenario file is a CSV with the header importer,exporter,sector,rate (any column order,
 * no other columns). Each row sets the new tariff of `importer` on `exporter` in `sector`;
 * `*` in a code column stands for every code, later rows override earlier ones, and cells
 * not listed keep their current value. A country never taxes itself: cells with
 * importer == exporter produced by a wildcard are skipped silently, and an explicit row with
 * the same code in both columns must have rate 0.
 *
 * The rows are applied to a copy of the shock's tariff array, which replaces the original
 * only when the whole file was valid, so a failed call leaves the shock unchanged.
 *
 * References: docs/world-format.md, section "Tariff scenario files".
 * Invariants: every rate stored is finite and >= 0, and diagonal cells stay 0.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/shock.h"
#include "io/bundle.h"
#include "io/csv.h"

#define N_COLS 4
/* [N_COLS] the scenario file's columns, in the order of the col[] arrays below */
static const char *const col_names[N_COLS] = {"importer", "exporter", "sector", "rate"};

/* Map the header onto col[] (importer, exporter, sector, rate); any other column, a repeated
 * one or a missing one is an error. */
static tw_status bind_columns(const tw_csv_table *t, size_t col[N_COLS], tw_err *err)
{
    size_t line = tw_csv_header_line(t);
    char show[48];
    for (size_t k = 0; k < N_COLS; k++)
        col[k] = SIZE_MAX;
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *h = tw_csv_header(t, c);
        size_t k = 0;
        while (k < N_COLS && strcmp(col_names[k], h) != 0)
            k++;
        if (k == N_COLS)
            return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: unknown column \"%s\", "
                              "expected only importer, exporter, sector, rate", t->name, line,
                              c + 1, tw_csv_excerpt(h, show, sizeof show));
        if (col[k] != SIZE_MAX)
            return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: column \"%s\" appears again "
                              "(first in column %zu), expected each column once", t->name, line,
                              c + 1, h, col[k] + 1);
        col[k] = c;
    }
    for (size_t k = 0; k < N_COLS; k++)
        if (col[k] == SIZE_MAX)
            return tw_err_set(err, TW_EINVAL, "shock: %s:%zu: missing column \"%s\", expected "
                              "a header with importer, exporter, sector, rate", t->name, line,
                              col_names[k]);
    return TW_OK;
}

/* A code cell: *all = true for "*", else *idx is the code's index. */
static tw_status resolve(const tw_csv_table *t, size_t r, size_t c,
                         const struct tw_bundle_index *ix, const char *noun, bool *all,
                         size_t *idx, tw_err *err)
{
    const char *f = tw_csv_field(t, r, c);
    char show[48];
    *all = strcmp(f, "*") == 0;
    if (*all)
        return TW_OK;
    if (f[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: %s is empty, expected a %s code "
                          "or *", t->name, tw_csv_line(t, r, c), c + 1, tw_csv_header(t, c),
                          noun);
    if (!tw_bundle_index_find(ix, f, idx))
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: %s \"%s\" is not a %s of the "
                          "world, expected a %s code or *", t->name, tw_csv_line(t, r, c), c + 1,
                          tw_csv_header(t, c), tw_csv_excerpt(f, show, sizeof show), noun,
                          noun);
    return TW_OK;
}

/* The rate cell: a finite number >= 0. */
static tw_status parse_rate(const tw_csv_table *t, size_t r, size_t c, double *rate,
                            tw_err *err)
{
    const char *f = tw_csv_field(t, r, c);
    size_t line = tw_csv_line(t, r, c);
    char show[48];
    tw_csv_excerpt(f, show, sizeof show);
    switch (tw_csv_parse_double(f, rate)) {
    case TW_CSV_NUM_OK:
        if (*rate < 0.0)
            return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate %s is negative, "
                              "expected a tariff >= 0", t->name, line, c + 1, show);
        return TW_OK;
    case TW_CSV_NUM_EMPTY:
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate is empty, expected a "
                          "number", t->name, line, c + 1);
    case TW_CSV_NUM_NONFINITE:
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate \"%s\": NaN/Inf not allowed, "
                          "expected a finite tariff >= 0", t->name, line, c + 1, show);
    case TW_CSV_NUM_RANGE:
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate \"%s\" is too large, "
                          "expected a finite tariff >= 0", t->name, line, c + 1, show);
    case TW_CSV_NUM_INVALID:
    default:
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate \"%s\" is not a number, "
                          "expected a tariff such as 0.25", t->name, line, c + 1, show);
    }
}

/* Apply data row r to `tariff` ([S*N*N], world->tariff layout). */
static tw_status apply_row(const struct tw_world *w, const tw_csv_table *t, size_t r,
                           const size_t col[N_COLS], const struct tw_bundle_index *countries,
                           const struct tw_bundle_index *sectors, double *tariff, tw_err *err)
{
    bool all_j, all_i, all_s;
    size_t j = 0, i = 0, s = 0;
    double rate;
    tw_status st;
    if ((st = resolve(t, r, col[0], countries, "region", &all_j, &j, err)) != TW_OK ||
        (st = resolve(t, r, col[1], countries, "region", &all_i, &i, err)) != TW_OK ||
        (st = resolve(t, r, col[2], sectors, "sector", &all_s, &s, err)) != TW_OK ||
        (st = parse_rate(t, r, col[3], &rate, err)) != TW_OK)
        return st;
    if (!all_i && !all_j && i == j && rate != 0.0)
        return tw_err_set(err, TW_EINVAL, "shock: %s:%zu:%zu: rate %s of %s on itself, "
                          "expected 0 (a country does not tax its own goods)", t->name,
                          tw_csv_line(t, r, col[3]), col[3] + 1, tw_csv_field(t, r, col[3]),
                          w->country_code[i]);
    size_t N = w->n_country, S = w->n_sector;
    size_t j0 = all_j ? 0 : j, j1 = all_j ? N : j + 1;
    size_t i0 = all_i ? 0 : i, i1 = all_i ? N : i + 1;
    size_t s0 = all_s ? 0 : s, s1 = all_s ? S : s + 1;
    for (size_t ss = s0; ss < s1; ss++)
        for (size_t jj = j0; jj < j1; jj++)
            for (size_t ii = i0; ii < i1; ii++)
                if (ii != jj) /* the diagonal stays 0 */
                    tariff[tw_world_ijs(w, ii, jj, ss)] = rate;
    return TW_OK;
}

/* Apply a parsed table to sh, all or nothing. */
static tw_status apply_table(tw_shock *sh, const tw_csv_table *t, tw_err *err)
{
    const struct tw_world *w = sh->world;
    size_t col[N_COLS]; /* [4] positions of importer, exporter, sector, rate */
    size_t n3 = w->n_sector * w->n_country * w->n_country;
    struct tw_bundle_index countries = {NULL, 0}, sectors = {NULL, 0};
    double *tariff = NULL; /* [S*N*N] working copy of sh->tariff, same layout */
    tw_status st = bind_columns(t, col, err);
    if (st != TW_OK)
        goto done;
    if ((st = tw_bundle_index_build(&countries, w->country_code, w->n_country, err)) !=
            TW_OK ||
        (st = tw_bundle_index_build(&sectors, w->sector_code, w->n_sector, err)) != TW_OK) {
        tw_err_set(err, TW_ENOMEM, "shock: out of memory");
        goto done;
    }
    tariff = tw_alloc_doubles(n3);
    if (tariff == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "shock: out of memory");
        goto done;
    }
    memcpy(tariff, sh->tariff, n3 * sizeof *tariff);
    for (size_t r = 0; r < t->n_rows && st == TW_OK; r++)
        st = apply_row(w, t, r, col, &countries, &sectors, tariff, err);
    if (st == TW_OK)
        memcpy(sh->tariff, tariff, n3 * sizeof *tariff);
done:
    tw_free(tariff);
    tw_bundle_index_free(&countries);
    tw_bundle_index_free(&sectors);
    return st;
}

tw_status tw_shock_apply_tariff_csv_buf(tw_shock *sh, const char *buf, size_t len,
                                        const char *name, tw_err *err)
{
    if (sh == NULL || (buf == NULL && len > 0))
        return tw_err_set(err, TW_EINVAL, "shock: shock and buffer are required");
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_buf(buf, len, name ? name : "(buffer)", &t, err);
    if (st != TW_OK) {
        tw_err_prefix(err, "shock");
        return st;
    }
    st = apply_table(sh, t, err);
    tw_csv_free(t);
    return st;
}

tw_status tw_shock_apply_tariff_csv(tw_shock *sh, const char *path, tw_err *err)
{
    if (sh == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: shock and path are required");
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_file(path, &t, err);
    if (st != TW_OK) {
        tw_err_prefix(err, "shock");
        return st;
    }
    st = apply_table(sh, t, err);
    tw_csv_free(t);
    return st;
}
