/* SPDX-License-Identifier: MIT */
/*
 * src/io/compliance.c: fulfilment of a deal's purchase commitments from observed purchases
 * (docs/enforcement.md, "Compliance"). The observed CSV has the columns category, year,
 * observed_usd_bn (others ignored): category is a commitment's name or "Total" (all
 * categories), year one of the deal's years or "all" (the deal's whole period). A value may
 * be given once per (category, year); a category given for "all" may not also be given by
 * year.
 *
 * Aggregation: a category's total is its "all" row, else the sum of its years when every year
 * is observed; a year's total is its "Total" row, else the sum over categories when all are
 * observed; the grand total is the "Total,all" row, else the sum of the years, else the sum
 * of the categories. Anything not covered is NaN ("not observed"), never guessed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/deal.h"
#include "io/csv.h"
#include "tradewar/tradewar.h"

void tw_compliance_free(tw_compliance *c)
{
    if (c == NULL)
        return;
    tw_free(c->file);
    tw_free(c->year);
    tw_free(c->committed);
    tw_free(c->observed);
    tw_free(c->committed_k);
    tw_free(c->observed_k);
    tw_free(c->committed_y);
    tw_free(c->observed_y);
    tw_free(c);
}

static double sum_if_all(const double *x, size_t n, size_t stride, const double *mask)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (mask != NULL && isnan(mask[k * stride]))
            continue;
        if (isnan(x[k * stride]))
            return (double)NAN;
        s += x[k * stride];
    }
    return s;
}

tw_status tw_compliance_new(const tw_deal *d, const char *observed_csv, tw_compliance **out,
                            tw_err *err)
{
    if (out == NULL || d == NULL || observed_csv == NULL)
        return tw_err_set(err, TW_EINVAL, "compliance: deal, observed file and out are "
                          "required");
    *out = NULL;
    size_t K = d->n_commit, Y = tw_deal_n_years(d);
    tw_compliance *c = tw_calloc(1, sizeof *c);
    if (c == NULL)
        return tw_err_set(err, TW_ENOMEM, "compliance: out of memory");
    c->deal = d;
    c->n_commit = K;
    c->n_year = Y;
    c->file = tw_strdup(observed_csv);
    c->year = tw_calloc(Y, sizeof(int));
    c->committed = tw_calloc(K * Y, sizeof(double));
    c->observed = tw_calloc(K * Y, sizeof(double));
    c->committed_k = tw_calloc(K, sizeof(double));
    c->observed_k = tw_calloc(K, sizeof(double));
    c->committed_y = tw_calloc(Y, sizeof(double));
    c->observed_y = tw_calloc(Y, sizeof(double));
    double *obs_all = tw_calloc(K + 1, sizeof(double)); /* [K] = Total */
    double *tot_y = tw_calloc(Y, sizeof(double));
    if (!c->file || !c->year || !c->committed || !c->observed || !c->committed_k ||
        !c->observed_k || !c->committed_y || !c->observed_y || !obs_all || !tot_y) {
        tw_free(obs_all);
        tw_free(tot_y);
        tw_compliance_free(c);
        return tw_err_set(err, TW_ENOMEM, "compliance: out of memory");
    }
    for (size_t y = 0; y < Y; y++) {
        c->year[y] = tw_deal_year(d, y);
        tot_y[y] = (double)NAN;
    }
    for (size_t k = 0; k <= K; k++)
        obs_all[k] = (double)NAN;
    for (size_t k = 0; k < K; k++)
        for (size_t y = 0; y < Y; y++) {
            c->committed[k * Y + y] = tw_deal_committed_usd_bn(d, k, c->year[y]);
            c->observed[k * Y + y] = (double)NAN;
        }

    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_file(observed_csv, &t, err);
    size_t col[3];
    static const char *const names[3] = {"category", "year", "observed_usd_bn"};
    for (size_t q = 0; q < 3 && st == TW_OK; q++)
        if (!tw_csv_find_column(t, names[q], &col[q]))
            st = tw_err_set(err, TW_EPARSE, "%s:%zu: no column \"%s\"; expected the columns "
                            "category,year,observed_usd_bn", observed_csv,
                            tw_csv_header_line(t), names[q]);
    for (size_t r = 0; st == TW_OK && r < t->n_rows; r++) {
        const char *cat = tw_csv_field(t, r, col[0]), *yr = tw_csv_field(t, r, col[1]),
                   *val = tw_csv_field(t, r, col[2]);
        size_t line = tw_csv_line(t, r, 0);
        size_t k = 0;
        while (k < K && strcmp(d->commit[k].category, cat) != 0)
            k++;
        if (k == K && strcmp(cat, "Total") != 0) {
            char cut[64];
            st = tw_err_set(err, TW_EPARSE, "%s:%zu: unknown category \"%s\", expected a "
                            "category of deal \"%s\" or \"Total\"", observed_csv, line,
                            tw_csv_excerpt(cat, cut, sizeof cut), d->name);
            break;
        }
        size_t y = Y; /* Y = "all" */
        if (strcmp(yr, "all") != 0) {
            char *end = NULL;
            long v = strtol(yr, &end, 10);
            y = 0;
            while (y < Y && (end == yr || *end != '\0' || c->year[y] != v))
                y++;
            if (y == Y || (k < K && isnan(c->committed[k * Y + y]))) {
                char cut[64];
                st = tw_err_set(err, TW_EPARSE, "%s:%zu: year \"%s\" is not a year of %s%s%s "
                                "in deal \"%s\", expected one of its years or \"all\"",
                                observed_csv, line, tw_csv_excerpt(yr, cut, sizeof cut),
                                k < K ? "category \"" : "", k < K ? cat : "the commitments",
                                k < K ? "\"" : "", d->name);
                break;
            }
        }
        double v;
        if (tw_csv_parse_double(val, &v) != TW_CSV_NUM_OK || v < 0.0) {
            char cut[64];
            st = tw_err_set(err, TW_EPARSE, "%s:%zu: observed_usd_bn \"%s\", expected a "
                            "number >= 0 (USD bn)", observed_csv, line,
                            tw_csv_excerpt(val, cut, sizeof cut));
            break;
        }
        double *slot = y == Y ? &obs_all[k] : k == K ? &tot_y[y] : &c->observed[k * Y + y];
        if (!isnan(*slot)) {
            st = tw_err_set(err, TW_EPARSE, "%s:%zu: %s, %s given twice", observed_csv, line,
                            cat, yr);
            break;
        }
        *slot = v;
    }
    tw_csv_free(t);
    for (size_t k = 0; k < K && st == TW_OK; k++) {
        bool by_year = false;
        for (size_t y = 0; y < Y; y++)
            by_year |= !isnan(c->observed[k * Y + y]);
        if (by_year && !isnan(obs_all[k]))
            st = tw_err_set(err, TW_EPARSE, "%s: category \"%s\" is given both by year and for "
                            "\"all\" years; give one or the other", observed_csv,
                            d->commit[k].category);
    }
    if (st != TW_OK) {
        tw_free(obs_all);
        tw_free(tot_y);
        tw_compliance_free(c);
        return st;
    }
    c->committed_total = 0.0;
    for (size_t k = 0; k < K; k++) {
        c->committed_k[k] = sum_if_all(c->committed + k * Y, Y, 1, c->committed + k * Y);
        c->observed_k[k] = !isnan(obs_all[k]) ? obs_all[k]
                           : sum_if_all(c->observed + k * Y, Y, 1, c->committed + k * Y);
        c->committed_total += c->committed_k[k];
    }
    for (size_t y = 0; y < Y; y++) {
        c->committed_y[y] = sum_if_all(c->committed + y, K, Y, c->committed + y);
        c->observed_y[y] = !isnan(tot_y[y]) ? tot_y[y]
                           : sum_if_all(c->observed + y, K, Y, c->committed + y);
    }
    c->observed_total = obs_all[K];
    if (isnan(c->observed_total))
        c->observed_total = sum_if_all(c->observed_y, Y, 1, NULL);
    if (isnan(c->observed_total))
        c->observed_total = sum_if_all(c->observed_k, K, 1, NULL);
    tw_free(obs_all);
    tw_free(tot_y);
    *out = c;
    return TW_OK;
}

double tw_compliance_total_pct(const tw_compliance *c)
{
    return c->committed_total > 0.0 ? 100.0 * c->observed_total / c->committed_total
                                    : (double)NAN;
}

double tw_compliance_committed_usd_bn(const tw_compliance *c, size_t k)
{
    return c->committed_k[k];
}

double tw_compliance_observed_usd_bn(const tw_compliance *c, size_t k)
{
    return c->observed_k[k];
}

/* ---- the deal's scenarios (io: library names or paths) ------------------------------------ */

static tw_status load_one(const tw_deal *d, const char *ref, tw_scenario **out, tw_err *err)
{
    if (tw_scenario_library_text(ref) != NULL)
        return tw_scenario_library_read(ref, out, err);
    char path[4096];
    if (!tw_path_resolve(ref, d->file, path, sizeof path))
        return tw_err_set(err, TW_EINVAL, "%s: scenario path \"%.200s\" is too long", d->file,
                          ref);
    return tw_scenario_read(path, out, err);
}

tw_status tw_deal_load_scenarios(const tw_deal *d, tw_scenario **threat, tw_scenario **tariffs,
                                 tw_err *err)
{
    *threat = NULL;
    *tariffs = NULL;
    tw_status st = load_one(d, d->threat_scenario, threat, err);
    if (st == TW_OK && (st = load_one(d, d->deal_scenario, tariffs, err)) != TW_OK) {
        tw_scenario_free(*threat);
        *threat = NULL;
    }
    return st;
}
