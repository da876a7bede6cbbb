/* SPDX-License-Identifier: MIT */
/*
 * src/report/sweep.c: the summary of a sweep (bands per country and the world), every draw as
 * CSV (atomic), and restoring draws from that CSV for --resume.
 *
 * CSV layout: draw, status ("ok", "pending" or the failing status name), set, theta_<sector>
 * for every sector, then <code>_<measure> for every country and measure (measure names:
 * real_income_pct, welfare_usd, cumulative_usd, income_base_usd), then shock_scale (the draw's
 * shock-size factor). Numbers round-trip exactly.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/atomic.h"
#include "io/csv.h"
#include "report/report_int.h"
#include "tradewar/tradewar.h"

static const char *const measure_names[TW_SWEEP_MEASURE_COUNT] = {
    "real_income_pct", "welfare_usd", "cumulative_usd", "income_base_usd"};

static const char *status_name(tw_status st)
{
    if (st == TW_OK)
        return "ok";
    if (st == TW_CONTINUE)
        return "pending";
    return tw_status_str(st);
}

static void stat_row(const tw_sweep *sw, FILE *out, const char *label, size_t c,
                     tw_sweep_measure m, double scale)
{
    fprintf(out, "  %-6s", label);
    for (int s = TW_STAT_MEAN; s <= TW_STAT_P95; s++)
        fprintf(out, " %10.3f",
                tw_report_no_negative_zero(tw_sweep_stat_value(sw, c, m, (tw_sweep_stat)s) /
                                               scale, 3));
    fprintf(out, " %8.0f%%\n", 100.0 * tw_sweep_stat_value(sw, c, m, TW_STAT_SHARE_LOSING));
}

tw_status tw_report_sweep(const tw_sweep *sw, FILE *out, tw_err *err)
{
    if (sw == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    size_t n = tw_sweep_n_draws(sw), failed = tw_sweep_n_failed(sw), ok = 0;
    for (size_t k = 0; k < n; k++)
        ok += tw_sweep_draw_status(sw, k) == TW_OK;
    fprintf(out, "%zu draws: %zu converged, %zu failed, %zu not solved\n", n, ok, failed,
            n - ok - failed);
    fprintf(out, "Statistics over the converged draws (failed draws are excluded, see "
            "docs/scaling.md)\n\n");
    /* The world of the draws is the world of draw 0's record layout; codes come from the
     * caller's world through the record count, so print by index with codes from names. */
    static const struct { tw_sweep_measure m; const char *title; double scale; } blocks[] = {
        {TW_SWEEP_REAL_INCOME_PCT, "real income change at end, %", 1.0},
        {TW_SWEEP_WELFARE_USD, "equivalent variation at end, USD bn per year", 1e9},
        {TW_SWEEP_CUMULATIVE_USD, "cumulative cost to end, USD bn", 1e9},
    };
    const tw_world *w = tw_sweep_world(sw);
    size_t N = tw_world_n_country(w);
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        fprintf(out, "%s\n  %-6s %10s %10s %10s %10s %9s\n", blocks[b].title, "", "mean",
                "median", "p5", "p95", "losing");
        for (size_t c = 0; c <= N; c++)
            stat_row(sw, out, c < N ? tw_world_country_code(w, c) : "World", c, blocks[b].m,
                     blocks[b].scale);
        fputc('\n', out);
    }
    if (failed) {
        fprintf(out, "Failed draws (status; elasticities):\n");
        for (size_t k = 0; k < n; k++) {
            tw_status st = tw_sweep_draw_status(sw, k);
            if (st == TW_OK || st == TW_CONTINUE)
                continue;
            fprintf(out, "  draw %zu: %s;", k, status_name(st));
            for (size_t s = 0; s < tw_world_n_sector(w); s++)
                fprintf(out, " %s=%.4g", tw_world_sector_code(w, s), tw_sweep_draw_theta(sw, k, s));
            fputc('\n', out);
        }
    }
    return tw_report_stream_ok(out, "the sweep summary", err);
}

tw_status tw_report_sweep_csv(const tw_sweep *sw, const char *path, tw_err *err)
{
    if (sw == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_sweep_world(sw);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), n = tw_sweep_n_draws(sw);
    tw_atomic_file *af = NULL;
    FILE *f = NULL;
    tw_status st = tw_atomic_open(path, &af, &f, err);
    if (st != TW_OK)
        return st;
    fputs("draw,status,set", f);
    for (size_t s = 0; s < S; s++)
        fprintf(f, ",theta_%s", tw_world_sector_code(w, s));
    for (size_t c = 0; c < N; c++)
        for (int m = 0; m < TW_SWEEP_MEASURE_COUNT; m++)
            fprintf(f, ",%s_%s", tw_world_country_code(w, c), measure_names[m]);
    fputs(",shock_scale\n", f);
    for (size_t k = 0; k < n; k++) {
        tw_status ds = tw_sweep_draw_status(sw, k);
        fprintf(f, "%zu,%s,%d", k, status_name(ds), tw_sweep_draw_set(sw, k));
        for (size_t s = 0; s < S; s++) {
            fputc(',', f);
            tw_csv_put_double(f, tw_sweep_draw_theta(sw, k, s));
        }
        for (size_t c = 0; c < N; c++)
            for (int m = 0; m < TW_SWEEP_MEASURE_COUNT; m++) {
                fputc(',', f);
                if (ds == TW_OK)
                    tw_csv_put_double(f, tw_sweep_draw_value(sw, k, c, (tw_sweep_measure)m));
            }
        fputc(',', f);
        tw_csv_put_double(f, tw_sweep_draw_shock_scale(sw, k));
        fputc('\n', f);
    }
    return tw_atomic_commit(af, err);
}

/* The status named in a CSV cell. */
static bool parse_status(const char *s, tw_status *st)
{
    static const tw_status all[] = {TW_OK, TW_CONTINUE, TW_NOT_CONVERGED, TW_EINVAL, TW_ENOMEM,
                                    TW_EIO, TW_EPARSE, TW_ENUMERIC, TW_EINTERRUPTED,
                                    TW_EINTERNAL};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (strcmp(s, status_name(all[k])) == 0) {
            *st = all[k];
            return true;
        }
    return false;
}

tw_status tw_sweep_resume_csv(tw_sweep *sw, const char *path, size_t *n_restored, tw_err *err)
{
    if (sw == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_sweep_world(sw);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), len = tw_sweep_record_len(sw);
    size_t want = 3 + S + N * TW_SWEEP_MEASURE_COUNT + 1, restored = 0;
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_file(path, &t, err);
    if (st != TW_OK)
        return st;
    double *rec = calloc(len, sizeof *rec);
    if (rec == NULL) {
        tw_csv_free(t);
        return tw_err_set(err, TW_ENOMEM, "sweep: out of memory");
    }
    if (t->n_cols != want) {
        st = tw_err_set(err, TW_EPARSE, "%s: %zu columns, expected %zu for this world", path,
                        t->n_cols, want);
        goto done;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        double k, set;
        tw_status ds;
        if (tw_csv_parse_double(tw_csv_field(t, r, 0), &k) != TW_CSV_NUM_OK || k < 0 ||
            k >= (double)tw_sweep_n_draws(sw) || !parse_status(tw_csv_field(t, r, 1), &ds) ||
            tw_csv_parse_double(tw_csv_field(t, r, 2), &set) != TW_CSV_NUM_OK) {
            st = tw_err_set(err, TW_EPARSE, "%s:%zu: expected draw, status and set", path,
                            tw_csv_line(t, r, 0));
            goto done;
        }
        if (ds == TW_CONTINUE)
            continue;
        rec[0] = (double)ds;
        rec[1] = set;
        for (size_t q = 0; q < len - 2; q++) {
            const char *cell = tw_csv_field(t, r, 3 + q);
            double v = 0.0;
            if (cell[0] != '\0' && tw_csv_parse_double(cell, &v) != TW_CSV_NUM_OK) {
                st = tw_err_set(err, TW_EPARSE, "%s:%zu:%zu: expected a number, got \"%s\"",
                                path, tw_csv_line(t, r, 3 + q), 4 + q, cell);
                goto done;
            }
            rec[2 + q] = v;
        }
        if ((st = tw_sweep_set_record(sw, (size_t)k, rec, err)) != TW_OK) {
            tw_err_prefix(err, "%s:%zu", path, tw_csv_line(t, r, 0));
            goto done;
        }
        restored++;
    }
done:
    free(rec);
    tw_csv_free(t);
    if (n_restored)
        *n_restored = restored;
    return st;
}

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

/* {mean, p05, p50, p95, share_losing} of one measure. */
static json_t *band(const tw_sweep *sw, size_t c, tw_sweep_measure m, double scale)
{
    json_t *o = json_object();
    json_object_set_new(o, "mean", num(tw_sweep_stat_value(sw, c, m, TW_STAT_MEAN) / scale));
    json_object_set_new(o, "p05", num(tw_sweep_stat_value(sw, c, m, TW_STAT_P05) / scale));
    json_object_set_new(o, "p50", num(tw_sweep_stat_value(sw, c, m, TW_STAT_MEDIAN) / scale));
    json_object_set_new(o, "p95", num(tw_sweep_stat_value(sw, c, m, TW_STAT_P95) / scale));
    json_object_set_new(o, "share_losing",
                        num(tw_sweep_stat_value(sw, c, m, TW_STAT_SHARE_LOSING)));
    return o;
}

static json_t *country_bands(const tw_sweep *sw, size_t c, const char *code)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(code));
    json_object_set_new(o, "real_income_pct", band(sw, c, TW_SWEEP_REAL_INCOME_PCT, 1.0));
    json_object_set_new(o, "real_income_usd_bn", band(sw, c, TW_SWEEP_WELFARE_USD, 1e9));
    json_object_set_new(o, "cumulative_usd_bn", band(sw, c, TW_SWEEP_CUMULATIVE_USD, 1e9));
    return o;
}

tw_status tw_report_sweep_json(const tw_sweep *sw, FILE *out, tw_err *err)
{
    if (sw == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_sweep_world(sw);
    size_t N = tw_world_n_country(w), n = tw_sweep_n_draws(sw), ok = 0;
    for (size_t k = 0; k < n; k++)
        ok += tw_sweep_draw_status(sw, k) == TW_OK;
    json_t *root = json_object(), *cs = json_array(), *failed = json_array();
    json_object_set_new(root, "kind", json_string("sweep"));
    json_object_set_new(root, "tradewar_version", json_string(tw_version()));
    json_object_set_new(root, "draws", json_integer((json_int_t)n));
    json_object_set_new(root, "converged", json_integer((json_int_t)ok));
    for (size_t c = 0; c < N; c++)
        json_array_append_new(cs, country_bands(sw, c, tw_world_country_code(w, c)));
    json_object_set_new(root, "countries", cs);
    json_object_set_new(root, "world", country_bands(sw, N, "World"));
    for (size_t k = 0; k < n; k++) {
        tw_status st = tw_sweep_draw_status(sw, k);
        if (st == TW_OK || st == TW_CONTINUE)
            continue;
        json_t *o = json_object(), *th = json_object();
        json_object_set_new(o, "draw", json_integer((json_int_t)k));
        json_object_set_new(o, "status", json_string(status_name(st)));
        for (size_t s = 0; s < tw_world_n_sector(w); s++)
            json_object_set_new(th, tw_world_sector_code(w, s), num(tw_sweep_draw_theta(sw, k, s)));
        json_object_set_new(o, "theta", th);
        json_array_append_new(failed, o);
    }
    json_object_set_new(root, "failed", json_integer((json_int_t)tw_sweep_n_failed(sw)));
    json_object_set_new(root, "failed_draws", failed);
    return tw_report_json_dump(out, root, "the sweep JSON", err);
}
