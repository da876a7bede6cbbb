/* SPDX-License-Identifier: MIT */
/*
 * src/io/theta.c: tables of trade elasticities for sweeps: published sets by source
 * (`sector,source,...,epsilon|theta`, the layout of the shared elasticities.csv files), a
 * user's draws (`draw,sector,theta`) or standard errors (`sector,se`), returned as rows of one
 * value per sector of a world.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/world.h"
#include "io/csv.h"
#include "tradewar/tradewar.h"

/* Upper bound on the number of groups (sets or draws) in one table. */
#define TW_THETA_MAX_ROWS 10000000

/* Is `name` in the comma-separated list `sel` (NULL or "" = everything)? */
static bool selected(const char *sel, const char *name)
{
    if (sel == NULL || sel[0] == '\0')
        return true;
    size_t n = strlen(name);
    for (const char *p = sel; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len + (q != NULL);
    }
    return false;
}

tw_status tw_theta_table_read(const char *path, const tw_world *w, const char *select,
                              double **out, size_t *n_rows, tw_err *err)
{
    if (out == NULL || n_rows == NULL || w == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "theta: NULL argument");
    *out = NULL;
    *n_rows = 0;
    size_t S = w->n_sector, cs, cv, cg = 0;
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_file(path, &t, err);
    if (st != TW_OK)
        return st;
    bool grouped = tw_csv_find_column(t, "source", &cg) || tw_csv_find_column(t, "draw", &cg);
    if (!tw_csv_find_column(t, "sector", &cs) ||
        !(tw_csv_find_column(t, "theta", &cv) || tw_csv_find_column(t, "epsilon", &cv) ||
          tw_csv_find_column(t, "se", &cv))) {
        tw_csv_free(t);
        return tw_err_set(err, TW_EPARSE, "%s: expected columns sector and theta, epsilon or "
                          "se (and source or draw for several rows)", path);
    }
    char **groups = NULL;
    double *v = NULL;
    size_t ng = 0, cap = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *g = grouped ? tw_csv_field(t, r, cg) : "";
        if (!selected(select, g))
            continue;
        size_t k = 0, s;
        while (k < ng && strcmp(groups[k], g) != 0)
            k++;
        if (k == ng) {
            if (ng == cap) {
                size_t nc = cap ? 2 * cap : 16;
                char **ng2 = tw_calloc(nc, sizeof *ng2);
                double *nv = tw_alloc_doubles(nc * S);
                if (ng2 == NULL || nv == NULL || nc > TW_THETA_MAX_ROWS) {
                    tw_free(ng2);
                    tw_free(nv);
                    st = tw_err_set(err, TW_ENOMEM, "theta: out of memory");
                    goto done;
                }
                if (ng) {
                    memcpy(ng2, groups, ng * sizeof *ng2);
                    memcpy(nv, v, ng * S * sizeof *nv);
                }
                tw_free(groups);
                tw_free(v);
                groups = ng2;
                v = nv;
                cap = nc;
            }
            if ((groups[ng] = tw_strdup(g)) == NULL) {
                st = tw_err_set(err, TW_ENOMEM, "theta: out of memory");
                goto done;
            }
            for (size_t q = 0; q < S; q++)
                v[ng * S + q] = (double)NAN;
            ng++;
        }
        if (!tw_world_find_sector(w, tw_csv_field(t, r, cs), &s)) {
            st = tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: unknown sector \"%s\", expected a "
                            "sector of world \"%s\"", path, tw_csv_line(t, r, cs), cs + 1,
                            tw_csv_field(t, r, cs), w->meta_name);
            goto done;
        }
        double x;
        if (tw_csv_parse_double(tw_csv_field(t, r, cv), &x) != TW_CSV_NUM_OK || !(x >= 0.0)) {
            st = tw_err_set(err, TW_EPARSE, "%s:%zu:%zu: expected a number >= 0, got \"%s\"",
                            path, tw_csv_line(t, r, cv), cv + 1, tw_csv_field(t, r, cv));
            goto done;
        }
        v[k * S + s] = x;
    }
    if (ng == 0) {
        st = tw_err_set(err, TW_EINVAL, "%s: no rows%s%s", path, select ? " for " : "",
                        select ? select : "");
        goto done;
    }
    for (size_t k = 0; k < ng; k++)
        for (size_t s = 0; s < S; s++)
            if (isnan(v[k * S + s])) {
                st = tw_err_set(err, TW_EINVAL, "%s: %s%s has no value for sector %s", path,
                                grouped ? "group " : "", groups[k], w->sector_code[s]);
                goto done;
            }
    *out = v;
    *n_rows = ng;
    v = NULL;
done:
    for (size_t k = 0; k < ng; k++)
        tw_free(groups[k]);
    tw_free(groups);
    tw_free(v);
    tw_csv_free(t);
    return st;
}

void tw_theta_table_free(double *values) { tw_free(values); }

tw_status tw_theta_cov_read(const char *path, const tw_world *w, double **out, tw_err *err)
{
    if (out == NULL || w == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "theta: NULL argument");
    *out = NULL;
    size_t S = w->n_sector, ci, cj, cv;
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_file(path, &t, err);
    if (st != TW_OK)
        return st;
    if (!tw_csv_find_column(t, "sector_i", &ci) || !tw_csv_find_column(t, "sector_j", &cj) ||
        !tw_csv_find_column(t, "cov", &cv)) {
        tw_csv_free(t);
        return tw_err_set(err, TW_EPARSE, "%s: expected columns sector_i, sector_j, cov", path);
    }
    double *c = tw_calloc(S * S, sizeof *c);
    unsigned char *set = tw_calloc(S * S, 1);
    if (c == NULL || set == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "theta: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        size_t i, j;
        double x;
        if (!tw_world_find_sector(w, tw_csv_field(t, r, ci), &i) ||
            !tw_world_find_sector(w, tw_csv_field(t, r, cj), &j)) {
            st = tw_err_set(err, TW_EINVAL, "%s:%zu: unknown sector \"%s\" or \"%s\"", path,
                            tw_csv_line(t, r, ci), tw_csv_field(t, r, ci), tw_csv_field(t, r, cj));
            goto done;
        }
        if (tw_csv_parse_double(tw_csv_field(t, r, cv), &x) != TW_CSV_NUM_OK) {
            st = tw_err_set(err, TW_EPARSE, "%s:%zu:%zu: expected a number, got \"%s\"", path,
                            tw_csv_line(t, r, cv), cv + 1, tw_csv_field(t, r, cv));
            goto done;
        }
        c[i * S + j] = x;
        set[i * S + j] = 1;
    }
    for (size_t i = 0; i < S; i++)
        for (size_t j = 0; j < i; j++) {
            if (set[i * S + j] && set[j * S + i] && c[i * S + j] != c[j * S + i]) {
                st = tw_err_set(err, TW_EINVAL, "%s: cov(%s, %s) = %g but cov(%s, %s) = %g, "
                                "expected a symmetric matrix", path, w->sector_code[i],
                                w->sector_code[j], c[i * S + j], w->sector_code[j],
                                w->sector_code[i], c[j * S + i]);
                goto done;
            }
            if (!set[i * S + j])
                c[i * S + j] = c[j * S + i];
            else
                c[j * S + i] = c[i * S + j];
        }
    *out = c;
    c = NULL;
done:
    tw_free(c);
    tw_free(set);
    tw_csv_free(t);
    return st;
}
