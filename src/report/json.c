/* SPDX-License-Identifier: MIT */
/*
 * src/report/json.c: tw_report_json, the whole result as one JSON document (jansson).
 *
 * The schema is documented field by field in docs/output.md; keep the two in step. Country and
 * sector measures are keyed by tw_country_measure_name / tw_sector_measure_name, so every
 * measure the API offers appears without a list to maintain here. Bilateral flows appear only
 * as totals over sectors for each international pair (N*(N-1) objects); the by-sector tables
 * are in the CSV output, which keeps this document moderate for the 31 x 40 CP2015 world.
 *
 * Numbers are JSON reals printed with 17 significant digits (they round-trip); a value that
 * is not finite is written as null, since JSON has no NaN or infinity.
 *
 * Errors: jansson reports allocation failure by returning NULL or -1. Every builder below
 * returns NULL on failure and releases what it built; json_object_set_new and
 * json_array_append_new consume their value even when they fail, so nothing leaks.
 */
#include <math.h>

#include <jansson.h>

#include "report/report_int.h"

/* A JSON number, or null when x is not finite. NULL only on allocation failure. */
static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static json_t *count(size_t n) { return json_integer((json_int_t)n); }

/* Set key in obj to v (consumed); false on failure (including v == NULL). */
static bool put(json_t *obj, const char *key, json_t *v)
{
    return json_object_set_new(obj, key, v) == 0;
}

/* Append v (consumed) to arr; false on failure. */
static bool push(json_t *arr, json_t *v) { return json_array_append_new(arr, v) == 0; }

/* Release obj and return NULL when ok is false; otherwise return obj. */
static json_t *finish(json_t *obj, bool ok)
{
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *world_object(const tw_world *w)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "name", json_string(tw_world_meta(w, "name")));
    ok = ok && put(o, "year", json_string(tw_world_meta(w, "year")));
    ok = ok && put(o, "currency", json_string(tw_world_meta(w, "currency")));
    ok = ok && put(o, "source", json_string(tw_world_meta(w, "source")));
    ok = ok && put(o, "n_country", count(tw_world_n_country(w)));
    ok = ok && put(o, "n_sector", count(tw_world_n_sector(w)));
    return finish(o, ok);
}

static json_t *country_object(const tw_result *r, size_t c)
{
    const tw_world *w = tw_result_world(r);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "code", json_string(tw_world_country_code(w, c)));
    ok = ok && put(o, "name", json_string(tw_world_country_name(w, c)));
    for (int m = 0; ok && m < (int)TW_C_MEASURE_COUNT; m++) {
        tw_country_measure cm = (tw_country_measure)m;
        const char *key = tw_country_measure_name(cm);
        ok = key != NULL && put(o, key, num(tw_result_country(r, cm, c)));
    }
    return finish(o, ok);
}

static json_t *sector_object(const tw_result *r, size_t c, size_t s)
{
    const tw_world *w = tw_result_world(r);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "country", json_string(tw_world_country_code(w, c)));
    ok = ok && put(o, "sector", json_string(tw_world_sector_code(w, s)));
    for (int m = 0; ok && m < (int)TW_S_MEASURE_COUNT; m++) {
        tw_sector_measure sm = (tw_sector_measure)m;
        const char *key = tw_sector_measure_name(sm);
        ok = key != NULL && put(o, key, num(tw_result_sector(r, sm, c, s)));
    }
    return finish(o, ok);
}

static json_t *pair_object(const tw_result *r, size_t i, size_t j)
{
    const tw_world *w = tw_result_world(r);
    double base, cfl;
    tw_report_pair_flow(r, i, j, &base, &cfl);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "exporter", json_string(tw_world_country_code(w, i)));
    ok = ok && put(o, "importer", json_string(tw_world_country_code(w, j)));
    ok = ok && put(o, "base_usd", num(base));
    ok = ok && put(o, "cfl_usd", num(cfl));
    ok = ok && put(o, "change_pct", num(tw_report_change_pct(base, cfl)));
    return finish(o, ok);
}

static json_t *countries_array(const tw_result *r)
{
    json_t *a = json_array();
    bool ok = a != NULL;
    for (size_t c = 0; ok && c < tw_world_n_country(tw_result_world(r)); c++)
        ok = push(a, country_object(r, c));
    return finish(a, ok);
}

static json_t *sectors_array(const tw_result *r)
{
    const tw_world *w = tw_result_world(r);
    json_t *a = json_array();
    bool ok = a != NULL;
    for (size_t c = 0; ok && c < tw_world_n_country(w); c++)
        for (size_t s = 0; ok && s < tw_world_n_sector(w); s++)
            ok = push(a, sector_object(r, c, s));
    return finish(a, ok);
}

static json_t *bilateral_array(const tw_result *r)
{
    size_t n = tw_world_n_country(tw_result_world(r));
    json_t *a = json_array();
    bool ok = a != NULL;
    for (size_t i = 0; ok && i < n; i++)
        for (size_t j = 0; ok && j < n; j++)
            if (i != j)
                ok = push(a, pair_object(r, i, j));
    return finish(a, ok);
}

static json_t *stage_object(const tw_solver_info *info)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "status", json_string(tw_status_str(info->status)));
    ok = ok && put(o, "iterations", count(info->iterations));
    ok = ok && put(o, "price_iterations", count(info->price_iterations));
    ok = ok && put(o, "expenditure_iterations", count(info->expenditure_iterations));
    ok = ok && put(o, "residual", num(info->residual));
    ok = ok && put(o, "trade_balance_residual", num(info->trade_balance_residual));
    ok = ok && put(o, "reason", json_string(info->reason));
    return finish(o, ok);
}

static json_t *solver_object(const tw_solver_info *base, const tw_solver_info *cfl)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put(o, "baseline", stage_object(base));
    ok = ok && put(o, "counterfactual", stage_object(cfl));
    return finish(o, ok);
}

static json_t *result_document(const tw_result *r)
{
    const tw_world *w = tw_result_world(r);
    tw_solver_info base, cfl;
    tw_result_solver(r, TW_STAGE_BASELINE, &base);
    tw_result_solver(r, TW_STAGE_COUNTERFACTUAL, &cfl);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool zero = tw_result_deficits(r) == TW_DEFICITS_ZERO;
    bool ok = put(o, "kind", json_string("simulate"));
    ok = ok && put(o, "tradewar_version", json_string(tw_version()));
    ok = ok && put(o, "world", world_object(w));
    ok = ok && put(o, "deficits", json_string(zero ? "zero" : "data"));
    ok = ok && put(o, "converged", json_boolean(tw_result_converged(r)));
    ok = ok && put(o, "status", json_string(tw_status_str(cfl.status)));
    ok = ok && put(o, "iterations", count(cfl.iterations));
    ok = ok && put(o, "residual", num(cfl.residual));
    ok = ok && put(o, "solver", solver_object(&base, &cfl));
    ok = ok && put(o, "countries", countries_array(r));
    ok = ok && put(o, "sectors", sectors_array(r));
    ok = ok && put(o, "bilateral", bilateral_array(r));
    return finish(o, ok);
}

tw_status tw_report_json_dump(FILE *out, json_t *root, const char *what, tw_err *err)
{
    if (root == NULL)
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF)
        return tw_err_set(err, TW_EIO, "report: cannot write %s", what);
    return tw_report_stream_ok(out, what, err);
}

tw_status tw_report_json(const tw_result *r, FILE *out, tw_err *err)
{
    if (r == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: json: result and stream are required");
    json_t *doc = result_document(r);
    if (doc == NULL)
        return tw_err_set(err, TW_ENOMEM, "report: json: out of memory");
    return tw_report_json_dump(out, doc, "the JSON document", err);
}
