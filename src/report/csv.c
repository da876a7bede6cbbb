/* SPDX-License-Identifier: MIT */
/*
 * src/report/csv.c: tw_report_csv_dir, the full result as five CSV tables in a directory.
 *
 *   countries.csv      country, name, every tw_country_measure (by tw_country_measure_name)
 *   sectors.csv        country, sector, every tw_sector_measure
 *   flows.csv          exporter, importer, sector, base_usd, cfl_usd, change_pct
 *                      (every pair including domestic sales, N*N*S rows)
 *   decomposition.csv  country, partner, sector, tot_pct, vot_pct (N*N*S rows)
 *   solver.csv         one row per stage
 *
 * docs/output.md documents every column. Each file goes through the atomic writer of
 * src/io/atomic.h: it is written to a temporary file in the directory and renamed into place
 * only when complete, so a reader never sees half a table. Cells are written by io/csv.h's
 * writer: text quoted as RFC 4180 requires, numbers with the fewest of 15-17 significant
 * digits that read back to the same double, whatever the locale; a value that is not finite
 * is an empty cell. Rows follow the world's country and sector
 * order, so the same result always gives the same bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/alloc.h"
#include "io/atomic.h"
#include "io/csv.h"
#include "report/report_int.h"

/* A number cell; empty when x is not finite. Stream errors are caught by the commit. */
static void put_num(FILE *out, double x)
{
    if (isfinite(x))
        tw_csv_put_double(out, x);
}

/* A text cell. */
static void put_text(FILE *out, const char *s) { tw_csv_put_text(out, s); }

static void write_countries(const tw_result *r, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    fputs("country,name", out);
    for (int m = 0; m < (int)TW_C_MEASURE_COUNT; m++)
        fprintf(out, ",%s", tw_country_measure_name((tw_country_measure)m));
    fputs("\n", out);
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        put_text(out, tw_world_country_code(w, c));
        fputc(',', out);
        put_text(out, tw_world_country_name(w, c));
        for (int m = 0; m < (int)TW_C_MEASURE_COUNT; m++) {
            fputc(',', out);
            put_num(out, tw_result_country(r, (tw_country_measure)m, c));
        }
        fputs("\n", out);
    }
}

static void write_sectors(const tw_result *r, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    fputs("country,sector", out);
    for (int m = 0; m < (int)TW_S_MEASURE_COUNT; m++)
        fprintf(out, ",%s", tw_sector_measure_name((tw_sector_measure)m));
    fputs("\n", out);
    for (size_t c = 0; c < tw_world_n_country(w); c++)
        for (size_t s = 0; s < tw_world_n_sector(w); s++) {
            put_text(out, tw_world_country_code(w, c));
            fputc(',', out);
            put_text(out, tw_world_sector_code(w, s));
            for (int m = 0; m < (int)TW_S_MEASURE_COUNT; m++) {
                fputc(',', out);
                put_num(out, tw_result_sector(r, (tw_sector_measure)m, c, s));
            }
            fputs("\n", out);
        }
}

/* The three key cells of a (country, partner, sector) row. */
static void write_keys(const tw_world *w, size_t a, size_t b, size_t s, FILE *out)
{
    put_text(out, tw_world_country_code(w, a));
    fputc(',', out);
    put_text(out, tw_world_country_code(w, b));
    fputc(',', out);
    put_text(out, tw_world_sector_code(w, s));
}

static void write_flows(const tw_result *r, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    size_t n = tw_world_n_country(w);
    fputs("exporter,importer,sector,base_usd,cfl_usd,change_pct\n", out);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t s = 0; s < tw_world_n_sector(w); s++) {
                double base, cfl;
                tw_result_flow(r, i, j, s, &base, &cfl);
                write_keys(w, i, j, s, out);
                fputc(',', out);
                put_num(out, base);
                fputc(',', out);
                put_num(out, cfl);
                fputc(',', out);
                put_num(out, tw_report_change_pct(base, cfl));
                fputs("\n", out);
            }
}

static void write_decomposition(const tw_result *r, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    size_t n = tw_world_n_country(w);
    fputs("country,partner,sector,tot_pct,vot_pct\n", out);
    for (size_t c = 0; c < n; c++)
        for (size_t p = 0; p < n; p++)
            for (size_t s = 0; s < tw_world_n_sector(w); s++) {
                write_keys(w, c, p, s, out);
                fputc(',', out);
                put_num(out, tw_result_tot(r, c, p, s));
                fputc(',', out);
                put_num(out, tw_result_vot(r, c, p, s));
                fputs("\n", out);
            }
}

static void write_solver(const tw_result *r, FILE *out)
{
    fputs("stage,status,iterations,price_iterations,expenditure_iterations,residual,"
          "trade_balance_residual,reason\n",
          out);
    for (int k = 0; k < 2; k++) {
        tw_stage stage = k == 0 ? TW_STAGE_BASELINE : TW_STAGE_COUNTERFACTUAL;
        tw_solver_info info;
        tw_result_solver(r, stage, &info);
        fprintf(out, "%s,", tw_report_stage_name(stage));
        put_text(out, tw_status_str(info.status));
        fprintf(out, ",%zu,%zu,%zu,", info.iterations, info.price_iterations,
                info.expenditure_iterations);
        put_num(out, info.residual);
        fputc(',', out);
        put_num(out, info.trade_balance_residual);
        fputc(',', out);
        put_text(out, info.reason);
        fputs("\n", out);
    }
}

struct csv_table {
    const char *file;
    void (*write)(const tw_result *r, FILE *out);
    bool bilateral; /* needs the result's bilateral detail (skipped without it) */
};

static const struct csv_table tables[] = {
    {"countries.csv", write_countries, false}, {"sectors.csv", write_sectors, false},
    {"flows.csv", write_flows, true},           {"decomposition.csv", write_decomposition, true},
    {"solver.csv", write_solver, false},
};

/* Create `dir` unless it is already a directory. */
static tw_status make_dir(const char *dir, tw_err *err)
{
    if (mkdir(dir, 0777) == 0)
        return TW_OK;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return TW_OK;
    if (e == EEXIST)
        return tw_err_set(err, TW_EIO, "report: %s exists and is not a directory", dir);
    return tw_err_set(err, TW_EIO, "report: cannot create directory %s: %s", dir, strerror(e));
}

/* Write one table to dir/file through the atomic writer. */
static tw_status write_table(const tw_result *r, const char *dir, const struct csv_table *t,
                             tw_err *err)
{
    size_t len = strlen(dir) + 1 + strlen(t->file) + 1;
    char *path = tw_malloc(len);
    if (path == NULL)
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    snprintf(path, len, "%s/%s", dir, t->file);
    tw_atomic_file *f = NULL;
    FILE *fp = NULL;
    tw_status st = tw_atomic_open(path, &f, &fp, err);
    if (st != TW_OK)
        goto done;
    t->write(r, fp);
    st = tw_atomic_commit(f, err); /* checks the stream's error flag before renaming */
done:
    tw_free(path);
    return st;
}

tw_status tw_report_csv_dir(const tw_result *r, const char *dir, tw_err *err)
{
    if (r == NULL || dir == NULL || dir[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "report: csv: result and directory are required");
    tw_status st = make_dir(dir, err);
    for (size_t k = 0; st == TW_OK && k < sizeof tables / sizeof tables[0]; k++)
        if (!tables[k].bilateral || tw_result_has_bilateral(r))
            st = write_table(r, dir, &tables[k], err);
    return st;
}
