/* SPDX-License-Identifier: MIT */
/*
 * src/report/rdoc.c: result JSON -> report document (rdoc.h), one builder per result kind.
 *
 * The kind is the result's top-level "kind" string; documents written before "kind" existed are
 * recognised by their keys (kind_of). To add a kind, write a builder that appends sections with
 * the shared helpers below (welfare_section, trade_section, ...) and add one row to `kinds`
 * (docs/reports.md, "Adding a result kind").
 *
 * Numbers that are missing or null in the result become JSON null in the rows, which the page
 * shows as "n/a" and the charts leave out.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/rdoc.h"
#include "report/html_assets.h"

/* z of a two-sided 95% normal interval (coefficient plots). */
#define TW_RDOC_Z95 1.959963984540054

/* ---- small JSON helpers ------------------------------------------------------------------ */

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* A number, or null when not finite. */
static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void setn(json_t *row, const char *key, double x)
{
    json_object_set_new(row, key, jnum(x));
}

static void sets(json_t *row, const char *key, const char *s)
{
    json_object_set_new(row, key, json_string(s ? s : ""));
}

static void prov(json_t *doc, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void prov(json_t *doc, const char *key, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(json_object_get(doc, "provenance"),
                          json_pack("{s:s, s:s}", "key", key, "value", buf));
}

static void say(json_t *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(json_t *doc, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(json_object_get(doc, "headline"), json_string(buf));
}

/* A new section appended to doc (borrowed). `spec` is Vega-Lite JSON text (a constant of this
 * file; NULL means a table only). */
static json_t *section(json_t *doc, const char *id, const char *title, const char *text,
                       const char *spec)
{
    json_t *s = json_object();
    sets(s, "id", id);
    sets(s, "title", title);
    sets(s, "text", text);
    json_t *sp = spec ? json_loads(spec, 0, NULL) : json_null();
    json_object_set_new(s, "spec", sp ? sp : json_null());
    json_object_set_new(s, "columns", json_array());
    json_object_set_new(s, "rows", json_array());
    json_array_append_new(json_object_get(doc, "sections"), s);
    return s;
}

/* Add a table column; decimals < 0 means text. */
static void column(json_t *sec, const char *field, const char *title, int decimals)
{
    json_array_append_new(json_object_get(sec, "columns"),
                          json_pack("{s:s, s:s, s:o}", "field", field, "title", title,
                                    "decimals",
                                    decimals < 0 ? json_null() : json_integer(decimals)));
}

static json_t *add_row(json_t *sec)
{
    json_t *r = json_object();
    json_array_append_new(json_object_get(sec, "rows"), r);
    return r;
}

/* ---- shared sections ---------------------------------------------------------------------- */

static const char *const welfare_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"hconcat\": ["
    "  {\"title\": \"Change in welfare, % of income\", \"width\": 250,"
    "   \"mark\": {\"type\": \"bar\", \"stroke\": \"#333333\", \"strokeWidth\": 0.5},"
    "   \"encoding\": {"
    "    \"y\": {\"field\": \"label\", \"type\": \"nominal\", \"sort\": {\"field\": \"welfare_pct\","
    "           \"order\": \"ascending\"}, \"title\": \"country\"},"
    "    \"x\": {\"field\": \"welfare_pct\", \"type\": \"quantitative\", \"title\": \"welfare change (%)\"},"
    "    \"color\": {\"field\": \"outcome\", \"type\": \"nominal\", \"title\": \"outcome\","
    "      \"scale\": {\"domain\": [\"loses\", \"gains\"], \"range\": [\"#8e0b21\", \"#92c5de\"]}},"
    "    \"tooltip\": [{\"field\": \"name\"}, {\"field\": \"welfare_pct\", \"format\": \".3f\","
    "                 \"title\": \"%\"}]}},"
    "  {\"title\": \"Change in welfare, USD bn per year\", \"width\": 250,"
    "   \"mark\": {\"type\": \"bar\", \"stroke\": \"#333333\", \"strokeWidth\": 0.5},"
    "   \"encoding\": {"
    "    \"y\": {\"field\": \"label\", \"type\": \"nominal\", \"sort\": {\"field\": \"welfare_usd_bn\","
    "           \"order\": \"ascending\"}, \"title\": null},"
    "    \"x\": {\"field\": \"welfare_usd_bn\", \"type\": \"quantitative\","
    "           \"title\": \"welfare change (USD bn per year)\"},"
    "    \"color\": {\"field\": \"outcome_usd\", \"type\": \"nominal\", \"legend\": null,"
    "      \"scale\": {\"domain\": [\"loses\", \"gains\"], \"range\": [\"#8e0b21\", \"#92c5de\"]}},"
    "    \"tooltip\": [{\"field\": \"name\"}, {\"field\": \"welfare_usd_bn\", \"format\": \".2f\","
    "                 \"title\": \"USD bn\"}]}}]}";

/* Welfare rows: code, name, label, welfare_pct, welfare_usd_bn, outcome. */
static json_t *welfare_section(json_t *doc, const char *title, const char *text)
{
    json_t *s = section(doc, "welfare", title, text, welfare_spec);
    column(s, "code", "code", -1);
    column(s, "name", "country", -1);
    column(s, "welfare_pct", "welfare (%)", 3);
    column(s, "welfare_usd_bn", "welfare (USD bn/yr)", 2);
    return s;
}

static void welfare_row(json_t *s, const char *code, const char *name, double pct, double usd)
{
    json_t *r = add_row(s);
    sets(r, "code", code);
    sets(r, "name", name);
    sets(r, "label", code);
    setn(r, "welfare_pct", pct);
    setn(r, "welfare_usd_bn", usd);
    sets(r, "outcome", isfinite(pct) && pct < 0 ? "loses" : "gains");
    sets(r, "outcome_usd", isfinite(usd) && usd < 0 ? "loses" : "gains");
}

static const char *const trade_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": {\"step\": 34}, \"height\": {\"step\": 26},"
    " \"encoding\": {"
    "  \"x\": {\"field\": \"importer\", \"type\": \"nominal\", \"title\": \"importer\", \"sort\": null},"
    "  \"y\": {\"field\": \"exporter\", \"type\": \"nominal\", \"title\": \"exporter\", \"sort\": null}},"
    " \"layer\": ["
    "  {\"mark\": {\"type\": \"rect\", \"stroke\": \"#ffffff\"},"
    "   \"encoding\": {\"color\": {\"field\": \"change_pct\", \"type\": \"quantitative\","
    "     \"title\": \"trade change (%)\", \"scale\": {\"scheme\": \"redblue\", \"domainMid\": 0}},"
    "    \"tooltip\": [{\"field\": \"exporter\"}, {\"field\": \"importer\"},"
    "     {\"field\": \"change_pct\", \"format\": \".1f\", \"title\": \"change (%)\"},"
    "     {\"field\": \"base_usd_bn\", \"format\": \".2f\", \"title\": \"baseline (USD bn)\"}]}},"
    "  {\"mark\": {\"type\": \"text\", \"fontSize\": 8},"
    "   \"encoding\": {\"text\": {\"field\": \"change_pct\", \"type\": \"quantitative\", \"format\": \".0f\"},"
    "    \"color\": {\"condition\": {\"test\": \"abs(datum.change_pct) > 25\", \"value\": \"white\"},"
    "               \"value\": \"black\"}}}]}";

static json_t *trade_section(json_t *doc, const char *text)
{
    json_t *s = section(doc, "trade", "Bilateral trade change", text, trade_spec);
    column(s, "exporter", "exporter", -1);
    column(s, "importer", "importer", -1);
    column(s, "base_usd_bn", "baseline (USD bn)", 2);
    column(s, "cfl_usd_bn", "counterfactual (USD bn)", 2);
    column(s, "change_pct", "change (%)", 2);
    return s;
}

static void trade_rows(json_t *s, const json_t *bilateral, double to_bn, const char *base_key,
                       const char *cfl_key)
{
    size_t i;
    const json_t *b;
    json_array_foreach(bilateral, i, b)
    {
        json_t *r = add_row(s);
        sets(r, "exporter", str(b, "exporter"));
        sets(r, "importer", str(b, "importer"));
        setn(r, "base_usd_bn", num(b, base_key) * to_bn);
        setn(r, "cfl_usd_bn", num(b, cfl_key) * to_bn);
        setn(r, "change_pct", num(b, "change_pct"));
    }
}

/* Order the heatmap's rows and columns as the countries of the result. */
static void trade_order(json_t *s, const json_t *countries)
{
    json_t *order = json_array();
    size_t i;
    const json_t *c;
    json_array_foreach(countries, i, c) json_array_append_new(order, json_string(str(c, "code")));
    json_t *enc = json_object_get(json_object_get(s, "spec"), "encoding");
    json_object_set(json_object_get(enc, "x"), "sort", order);
    json_object_set(json_object_get(enc, "y"), "sort", order);
    json_decref(order);
}

/* Index of the smallest value of key among the objects of arr (biggest loser), or SIZE_MAX. */
static size_t argmin(const json_t *arr, const char *key, bool max)
{
    size_t best = SIZE_MAX, i;
    double bv = 0;
    const json_t *o;
    json_array_foreach(arr, i, o)
    {
        double v = num(o, key);
        if (!isfinite(v))
            continue;
        if (best == SIZE_MAX || (max ? v > bv : v < bv)) {
            best = i;
            bv = v;
        }
    }
    return best;
}

/* "China (CHN) loses most: -0.296% of income, USD -31.3 bn per year" style fragments. */
static void extremes(json_t *doc, const json_t *countries, const char *pct_key,
                     const char *usd_key, double usd_scale, const char *what)
{
    size_t lo = argmin(countries, pct_key, false), hi = argmin(countries, pct_key, true);
    if (lo == SIZE_MAX)
        return;
    const json_t *a = json_array_get(countries, lo), *b = json_array_get(countries, hi);
    if (num(a, pct_key) < 0)
        say(doc, "%s (%s) loses most: %.3f%% of income (USD %.2f bn %s).", str(a, "name"),
            str(a, "code"), num(a, pct_key), num(a, usd_key) * usd_scale, what);
    if (num(b, pct_key) > 0)
        say(doc, "%s (%s) gains most: %+.3f%% of income (USD %+.2f bn %s), mostly from trade "
                 "diverted towards it.",
            str(b, "name"), str(b, "code"), num(b, pct_key), num(b, usd_key) * usd_scale, what);
}

static void provenance_common(json_t *doc, const json_t *in, const char *source)
{
    const char *v = str(in, "tradewar_version");
    prov(doc, "result kind", "%s", str(doc, "kind"));
    prov(doc, "result written by", "tradewar %s", *v ? v : "(version not recorded)");
    prov(doc, "report written by", "tradewar %s", tw_version());
    if (source)
        prov(doc, "result file", "%s", source);
}

static void provenance_date(json_t *doc)
{
    char buf[64];
    time_t now = time(NULL);
    struct tm tmv;
    if (gmtime_r(&now, &tmv) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tmv) > 0)
        prov(doc, "report date", "%s", buf);
}

/* ---- run (timeline) ------------------------------------------------------------------------ */

static const char *const timeline_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": 500, \"height\": 300,"
    " \"layer\": ["
    "  {\"mark\": {\"type\": \"line\", \"point\": true, \"strokeWidth\": 2},"
    "   \"encoding\": {"
    "    \"x\": {\"field\": \"date\", \"type\": \"temporal\", \"title\": \"date\"},"
    "    \"y\": {\"field\": \"cumulative_usd_bn\", \"type\": \"quantitative\","
    "           \"title\": \"cumulative cost (USD bn)\"},"
    "    \"color\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"country\","
    "               \"sort\": {\"field\": \"order\"}},"
    "    \"strokeDash\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"country\","
    "               \"sort\": {\"field\": \"order\"}},"
    "    \"shape\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"country\","
    "               \"sort\": {\"field\": \"order\"}},"
    "    \"tooltip\": [{\"field\": \"code\"}, {\"field\": \"date\", \"type\": \"temporal\"},"
    "     {\"field\": \"label\", \"title\": \"wave\"},"
    "     {\"field\": \"cumulative_usd_bn\", \"format\": \".2f\", \"title\": \"USD bn\"}]}}]}";

static const char *const timeline_rules_spec =
    "{\"transform\": [{\"filter\": \"datum.code == datum.first_code && datum.kind == 'wave'\"}],"
    " \"mark\": {\"type\": \"rule\", \"color\": \"#999999\", \"strokeDash\": [2, 2]},"
    " \"encoding\": {\"x\": {\"field\": \"date\", \"type\": \"temporal\"},"
    "  \"tooltip\": [{\"field\": \"date\", \"type\": \"temporal\"}, {\"field\": \"label\", \"title\": \"wave\"}]}}";

static tw_status build_run(const json_t *in, const char *country, json_t *doc, tw_err *err)
{
    (void)country;
    const json_t *countries = json_object_get(in, "countries"),
                 *waves = json_object_get(in, "waves"), *world = json_object_get(in, "world");
    if (!json_is_array(countries) || !json_is_array(waves))
        return tw_err_set(err, TW_EINVAL, "report: run result without \"countries\" and "
                                          "\"waves\" arrays");
    const char *scenario = str(in, "scenario");
    char title[256];
    snprintf(title, sizeof title, "Cost of the trade war: %s", *scenario ? scenario : "run");
    json_object_set_new(doc, "title", json_string(title));

    say(doc, "Scenario %s, %zu waves of tariffs from %s to %s, on the world \"%s\".", scenario,
        json_array_size(waves), str(in, "start"), str(in, "until"),
        str(json_object_get(in, "world_data"), "name"));
    if (world)
        say(doc, "With the tariffs in force at %s the world's real income is %.3f%% lower "
                 "(USD %.1f bn a year); the war cost the world USD %.1f bn in total from %s to "
                 "%s.",
            str(in, "until"), -num(world, "real_income_pct"), -num(world, "real_income_usd_bn"),
            -num(world, "cumulative_usd_bn"), str(in, "start"), str(in, "until"));
    extremes(doc, countries, "real_income_pct", "real_income_usd_bn", 1.0, "per year");
    if (json_is_false(json_object_get(in, "converged")))
        say(doc, "Warning: at least one wave did not converge; numbers are the solver's last "
                 "iterate.");

    json_t *s = welfare_section(doc, "Welfare change by country",
                                "Exact change in real income with every tariff in force at the "
                                "end date, in % of income and in USD bn per year (equivalent "
                                "variation at baseline prices). Dark bars: losers; light bars: "
                                "gainers.");
    column(s, "cumulative_usd_bn", "cumulative cost (USD bn)", 2);
    size_t i;
    const json_t *c;
    json_array_foreach(countries, i, c)
    {
        welfare_row(s, str(c, "code"), str(c, "name"), num(c, "real_income_pct"),
                    num(c, "real_income_usd_bn"));
        setn(json_array_get(json_object_get(s, "rows"), i), "cumulative_usd_bn",
             num(c, "cumulative_usd_bn"));
    }

    /* Cumulative cost: piecewise linear between wave dates; the value at a wave's date is the
     * cost accrued before it, and the last point (the end date) is the total. */
    s = section(doc, "timeline", "Cost of the war over time",
                "Cumulative cost per country, USD bn (negative: a loss), accrued wave by wave: each "
                "wave's annual welfare change times the time it was in force. Dotted rules mark "
                "the waves; hover for their labels.",
                timeline_spec);
    json_t *layers = json_object_get(json_object_get(s, "spec"), "layer");
    json_t *rules = json_loads(timeline_rules_spec, 0, NULL);
    if (rules)
        json_array_append_new(layers, rules);
    column(s, "date", "date", -1);
    column(s, "label", "wave", -1);
    column(s, "code", "country", -1);
    column(s, "cumulative_usd_bn", "cumulative (USD bn)", 2);
    size_t n_country = json_array_size(countries), n_wave = json_array_size(waves);
    double *acc = calloc(n_country ? n_country : 1, sizeof *acc);
    if (!acc)
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    const char *first = str(json_array_get(countries, 0), "code");
    for (size_t k = 0; k <= n_wave; k++) {
        const json_t *w = json_array_get(waves, k); /* NULL for the end point */
        const char *date = k == 0 && n_wave == 0 ? str(in, "start")
                           : w                   ? str(w, "date")
                                                 : str(in, "until");
        const char *label = w ? str(w, "label") : "end";
        json_array_foreach(countries, i, c)
        {
            json_t *r = add_row(s);
            sets(r, "date", date);
            sets(r, "label", label);
            sets(r, "kind", w ? "wave" : "end");
            sets(r, "code", str(c, "code"));
            sets(r, "first_code", first);
            json_object_set_new(r, "order", json_integer((json_int_t)i));
            setn(r, "cumulative_usd_bn", acc[i]);
        }
        if (w) {
            double years = num(w, "years_in_force");
            const json_t *wc = json_object_get(w, "countries");
            json_array_foreach(countries, i, c)
            {
                double v = num(json_array_get(wc, i), "real_income_usd_bn");
                if (isfinite(v) && isfinite(years))
                    acc[i] += v * years;
            }
        }
    }
    free(acc);

    const json_t *last = json_array_get(waves, n_wave ? n_wave - 1 : 0);
    char text[512];
    snprintf(text, sizeof text,
             "Change in trade between every pair of regions (before tariffs, summed over "
             "sectors) with the tariffs in force after the last wave (%s), in %% of the "
             "pre-war baseline. Rows export to columns; cells show the rounded %%.",
             last ? str(last, "date") : "none");
    s = trade_section(doc, text);
    if (last)
        trade_rows(s, json_object_get(last, "bilateral"), 1.0, "base_usd_bn", "cfl_usd_bn");
    trade_order(s, countries);

    const json_t *solver = json_object_get(in, "solver");
    prov(doc, "scenario", "%s", scenario);
    const json_t *wd = json_object_get(in, "world_data");
    prov(doc, "world", "%s (%s)", str(wd, "name"), str(wd, "year"));
    prov(doc, "period", "%s to %s", str(in, "start"), str(in, "until"));
    prov(doc, "solver", "%s, %.0f outer iterations over all waves, largest residual %.2e",
         str(solver, "status"), num(solver, "iterations"), num(solver, "residual"));
    return TW_OK;
}

/* ---- simulate --------------------------------------------------------------------------- */

static const char *const sectors_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": 360,"
    " \"params\": [{\"name\": \"country\", \"value\": \"\","
    "   \"bind\": {\"input\": \"select\", \"options\": [], \"name\": \"country \"}}],"
    " \"transform\": [{\"filter\": \"datum.country == country\"}],"
    " \"mark\": {\"type\": \"bar\", \"stroke\": \"#333333\", \"strokeWidth\": 0.5},"
    " \"encoding\": {"
    "  \"y\": {\"field\": \"sector\", \"type\": \"nominal\", \"title\": \"sector\","
    "         \"sort\": {\"field\": \"output_pct\", \"order\": \"ascending\"}},"
    "  \"x\": {\"field\": \"output_pct\", \"type\": \"quantitative\","
    "         \"title\": \"change in gross output (%)\"},"
    "  \"color\": {\"field\": \"outcome\", \"type\": \"nominal\", \"title\": \"output\","
    "    \"scale\": {\"domain\": [\"falls\", \"rises\"], \"range\": [\"#8e0b21\", \"#92c5de\"]}},"
    "  \"tooltip\": [{\"field\": \"country\"}, {\"field\": \"sector\"},"
    "   {\"field\": \"output_pct\", \"format\": \".2f\", \"title\": \"output (%)\"},"
    "   {\"field\": \"price_pct\", \"format\": \".2f\", \"title\": \"price (%)\"}]}}";

static tw_status build_simulate(const json_t *in, const char *country, json_t *doc,
                                tw_err *err)
{
    const json_t *countries = json_object_get(in, "countries"),
                 *world = json_object_get(in, "world");
    if (!json_is_array(countries))
        return tw_err_set(err, TW_EINVAL, "report: simulate result without a \"countries\" "
                                          "array");
    char title[256];
    snprintf(title, sizeof title, "Tariff counterfactual: %s", str(world, "name"));
    json_object_set_new(doc, "title", json_string(title));
    double sum_ev = 0, sum_inc = 0;
    size_t i;
    const json_t *c;
    json_array_foreach(countries, i, c)
    {
        double ev = num(c, "welfare_usd"), inc = num(c, "income_base_usd");
        if (isfinite(ev) && isfinite(inc)) {
            sum_ev += ev;
            sum_inc += inc;
        }
    }
    say(doc, "A tariff counterfactual on the world \"%s\" (%s, %.0f countries x %.0f sectors), "
             "compared with its baseline equilibrium (deficits: %s).",
        str(world, "name"), str(world, "year"), num(world, "n_country"),
        num(world, "n_sector"), str(in, "deficits"));
    if (sum_inc > 0)
        say(doc, "World real income changes by %+.3f%% (USD %+.2f bn).", 100 * sum_ev / sum_inc,
            sum_ev / 1e9);
    json_t *tmp = json_array();
    json_array_foreach(countries, i, c)
    {
        json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "code", str(c, "code"), "name",
                              str(c, "name"), "pct", jnum(num(c, "welfare_pct")), "usd",
                              jnum(num(c, "welfare_usd")));
        json_array_append_new(tmp, o);
    }
    extremes(doc, tmp, "pct", "usd", 1e-9, "at baseline prices");
    json_decref(tmp);
    if (json_is_false(json_object_get(in, "converged")))
        say(doc, "Warning: the solver did not converge; numbers are its last iterate.");

    json_t *s = welfare_section(doc, "Welfare change by country",
                                "Welfare (Caliendo-Parro decomposition: terms of trade plus "
                                "volume of trade) in % of baseline income, and the equivalent "
                                "variation in USD bn. Dark bars: losers; light bars: gainers.");
    column(s, "tot_pct", "terms of trade (%)", 3);
    column(s, "vot_pct", "volume of trade (%)", 3);
    column(s, "real_income_pct", "real income (%)", 3);
    json_array_foreach(countries, i, c)
    {
        welfare_row(s, str(c, "code"), str(c, "name"), num(c, "welfare_pct"),
                    num(c, "welfare_usd") / 1e9);
        json_t *r = json_array_get(json_object_get(s, "rows"), i);
        setn(r, "tot_pct", num(c, "tot_pct"));
        setn(r, "vot_pct", num(c, "vot_pct"));
        setn(r, "real_income_pct", num(c, "real_income_pct"));
    }

    s = trade_section(doc, "Change in trade between every pair of countries (before tariffs, "
                           "summed over sectors), counterfactual against baseline, in %. Rows "
                           "export to columns; cells show the rounded %.");
    trade_rows(s, json_object_get(in, "bilateral"), 1e-9, "base_usd", "cfl_usd");
    trade_order(s, countries);

    const json_t *sectors = json_object_get(in, "sectors");
    if (json_is_array(sectors) && json_array_size(sectors) > 0) {
        const char *pick = country;
        if (!pick || !*pick) {
            size_t lo = argmin(countries, "welfare_pct", false);
            pick = str(json_array_get(countries, lo == SIZE_MAX ? 0 : lo), "code");
        }
        s = section(doc, "sectors", "Sector incidence",
                    "Change in gross output by sector (%, sales before tariffs) for the country "
                    "chosen in the list (first shown: the biggest loser, or --country). The table "
                    "lists every country and sector.",
                    sectors_spec);
        json_t *param = json_array_get(json_object_get(json_object_get(s, "spec"), "params"), 0);
        json_object_set_new(param, "value", json_string(pick));
        json_t *opts = json_object_get(json_object_get(param, "bind"), "options");
        json_array_foreach(countries, i, c) json_array_append_new(opts,
                                                                  json_string(str(c, "code")));
        json_object_set_new(s, "meta", json_pack("{s:s}", "country", pick));
        column(s, "country", "country", -1);
        column(s, "sector", "sector", -1);
        column(s, "output_pct", "output (%)", 2);
        column(s, "price_pct", "price (%)", 2);
        column(s, "output_change_usd_bn", "output change (USD bn)", 3);
        const json_t *x;
        json_array_foreach(sectors, i, x)
        {
            json_t *r = add_row(s);
            double out = 100 * (num(x, "output_hat") - 1);
            sets(r, "country", str(x, "country"));
            sets(r, "sector", str(x, "sector"));
            setn(r, "output_pct", out);
            setn(r, "price_pct", 100 * (num(x, "price_hat") - 1));
            setn(r, "output_change_usd_bn",
                 (num(x, "output_cfl_usd") - num(x, "output_base_usd")) / 1e9);
            sets(r, "outcome", isfinite(out) && out < 0 ? "falls" : "rises");
        }
    }

    const json_t *solver = json_object_get(in, "solver");
    prov(doc, "world", "%s (%s, currency %s)", str(world, "name"), str(world, "year"),
         str(world, "currency"));
    if (*str(world, "source"))
        prov(doc, "world source", "%s", str(world, "source"));
    prov(doc, "deficits", "%s", str(in, "deficits"));
    const char *stages[2] = {"baseline", "counterfactual"};
    for (int k = 0; k < 2; k++) {
        const json_t *st = json_object_get(solver, stages[k]);
        char key[64];
        snprintf(key, sizeof key, "solver (%s)", stages[k]);
        prov(doc, key, "%s, %.0f iterations, residual %.2e (%s)", str(st, "status"),
             num(st, "iterations"), num(st, "residual"), str(st, "reason"));
    }
    return TW_OK;
}

/* ---- sweep ------------------------------------------------------------------------------- */

static const char *const bands_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": 420,"
    " \"encoding\": {\"y\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"country\","
    "   \"sort\": {\"field\": \"p50\", \"order\": \"ascending\"}}},"
    " \"layer\": ["
    "  {\"mark\": {\"type\": \"rule\", \"strokeWidth\": 2},"
    "   \"encoding\": {\"x\": {\"field\": \"p05\", \"type\": \"quantitative\","
    "     \"title\": \"real income change (%), median and 5-95% band\"}, \"x2\": {\"field\": \"p95\"}}},"
    "  {\"mark\": {\"type\": \"point\", \"filled\": true, \"size\": 60},"
    "   \"encoding\": {\"x\": {\"field\": \"p50\", \"type\": \"quantitative\"},"
    "    \"shape\": {\"field\": \"outcome\", \"type\": \"nominal\", \"title\": \"median\","
    "      \"scale\": {\"domain\": [\"loses\", \"gains\"], \"range\": [\"square\", \"circle\"]}},"
    "    \"color\": {\"field\": \"outcome\", \"type\": \"nominal\", \"title\": \"median\","
    "      \"scale\": {\"domain\": [\"loses\", \"gains\"], \"range\": [\"#8e0b21\", \"#2166ac\"]}},"
    "    \"tooltip\": [{\"field\": \"code\"}, {\"field\": \"p05\", \"format\": \".3f\"},"
    "     {\"field\": \"p50\", \"format\": \".3f\"}, {\"field\": \"p95\", \"format\": \".3f\"},"
    "     {\"field\": \"share_losing\", \"format\": \".0%\", \"title\": \"share of draws losing\"}]}}]}";

static tw_status build_sweep(const json_t *in, const char *country, json_t *doc, tw_err *err)
{
    (void)country;
    const json_t *countries = json_object_get(in, "countries");
    if (!json_is_array(countries))
        return tw_err_set(err, TW_EINVAL, "report: sweep result without a \"countries\" array");
    json_object_set_new(doc, "title",
                        json_string("Uncertainty of the cost of the war (elasticity sweep)"));
    say(doc, "Monte Carlo over trade elasticities: %.0f draws, %.0f converged, %.0f failed; "
             "bands are the 5th to 95th percentiles over the converged draws.",
        num(in, "draws"), num(in, "converged"), num(in, "failed"));
    size_t i;
    const json_t *c;
    json_array_foreach(countries, i, c)
    {
        const json_t *ri = json_object_get(c, "real_income_pct");
        double sl = num(ri, "share_losing");
        if (isfinite(sl) && sl >= 0.95)
            say(doc, "%s loses in %.0f%% of the draws (median %.3f%%, band %.3f%% to %.3f%%).",
                str(c, "code"), 100 * sl, num(ri, "p50"), num(ri, "p05"), num(ri, "p95"));
    }
    json_t *s = welfare_section(doc, "Welfare change by country (median draw)",
                                "Median over the converged draws of the change in real income "
                                "(%) and of the equivalent variation (USD bn per year). Dark "
                                "bars: losers; light bars: gainers.");
    column(s, "share_losing", "share of draws losing", 2);
    json_t *b = section(doc, "bands", "Uncertainty bands",
                        "Change in real income (%) per country: the point is the median draw, "
                        "the line spans the 5th to 95th percentiles.",
                        bands_spec);
    column(b, "code", "country", -1);
    column(b, "mean", "mean (%)", 3);
    column(b, "p05", "p05 (%)", 3);
    column(b, "p50", "median (%)", 3);
    column(b, "p95", "p95 (%)", 3);
    column(b, "share_losing", "share losing", 2);
    column(b, "cumulative_p50", "cumulative median (USD bn)", 2);
    json_array_foreach(countries, i, c)
    {
        const json_t *ri = json_object_get(c, "real_income_pct"),
                     *usd = json_object_get(c, "real_income_usd_bn"),
                     *cum = json_object_get(c, "cumulative_usd_bn");
        welfare_row(s, str(c, "code"), str(c, "code"), num(ri, "p50"), num(usd, "p50"));
        setn(json_array_get(json_object_get(s, "rows"), i), "share_losing",
             num(ri, "share_losing"));
        json_t *r = add_row(b);
        sets(r, "code", str(c, "code"));
        setn(r, "mean", num(ri, "mean"));
        setn(r, "p05", num(ri, "p05"));
        setn(r, "p50", num(ri, "p50"));
        setn(r, "p95", num(ri, "p95"));
        setn(r, "share_losing", num(ri, "share_losing"));
        setn(r, "cumulative_p50", num(cum, "p50"));
        sets(r, "outcome", num(ri, "p50") < 0 ? "loses" : "gains");
    }
    prov(doc, "draws", "%.0f (%.0f converged, %.0f failed)", num(in, "draws"),
         num(in, "converged"), num(in, "failed"));
    if (*str(in, "scenario"))
        prov(doc, "scenario", "%s", str(in, "scenario"));
    return TW_OK;
}

/* ---- estimate ----------------------------------------------------------------------------- */

static const char *const coef_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": 420,"
    " \"encoding\": {\"y\": {\"field\": \"name\", \"type\": \"nominal\", \"title\": \"regressor\","
    "   \"sort\": null}},"
    " \"layer\": ["
    "  {\"mark\": {\"type\": \"rule\", \"color\": \"#999999\", \"strokeDash\": [3, 3]},"
    "   \"encoding\": {\"x\": {\"datum\": 0, \"type\": \"quantitative\"}, \"y\": null}},"
    "  {\"mark\": {\"type\": \"rule\", \"strokeWidth\": 2, \"color\": \"#333333\"},"
    "   \"encoding\": {\"x\": {\"field\": \"ci_lo\", \"type\": \"quantitative\","
    "     \"title\": \"coefficient (log points) with 95% confidence interval\"},"
    "    \"x2\": {\"field\": \"ci_hi\"}}},"
    "  {\"mark\": {\"type\": \"point\", \"filled\": true, \"size\": 70, \"color\": \"#000000\"},"
    "   \"encoding\": {\"x\": {\"field\": \"estimate\", \"type\": \"quantitative\"},"
    "    \"tooltip\": [{\"field\": \"name\"}, {\"field\": \"estimate\", \"format\": \".4f\"},"
    "     {\"field\": \"se\", \"format\": \".4f\"}, {\"field\": \"p\", \"format\": \".3g\"}]}}]}";

static tw_status build_estimate(const json_t *in, const char *country, json_t *doc,
                                tw_err *err)
{
    (void)country;
    const json_t *coefs = json_object_get(in, "coefficients");
    if (!json_is_array(coefs))
        return tw_err_set(err, TW_EINVAL, "report: estimate result without a "
                                          "\"coefficients\" array");
    json_object_set_new(doc, "title", json_string("Gravity estimation (PPML)"));
    say(doc, "PPML with fixed effects: %s, on %.0f observations (%.0f dropped); %s after %.0f "
             "IRLS iterations.",
        str(in, "formula"), num(in, "n_obs"), num(in, "n_dropped"),
        json_is_true(json_object_get(in, "converged")) ? "converged" : "NOT converged",
        num(in, "iterations"));
    json_t *s = section(doc, "coefficients", "Coefficients",
                        "Point estimates with 95% confidence intervals (estimate +/- 1.96 "
                        "standard errors, normal approximation); the dashed rule marks zero. "
                        "Dropped regressors are listed in the table only.",
                        coef_spec);
    column(s, "name", "regressor", -1);
    column(s, "estimate", "estimate", 4);
    column(s, "se", "std. error", 4);
    column(s, "ci_lo", "95% CI low", 4);
    column(s, "ci_hi", "95% CI high", 4);
    column(s, "z", "z", 2);
    column(s, "p", "p", 4);
    size_t i;
    const json_t *c;
    json_array_foreach(coefs, i, c)
    {
        json_t *r = add_row(s);
        double b = num(c, "estimate"), se = num(c, "se");
        sets(r, "name", str(c, "name"));
        setn(r, "estimate", b);
        setn(r, "se", se);
        setn(r, "ci_lo", b - TW_RDOC_Z95 * se);
        setn(r, "ci_hi", b + TW_RDOC_Z95 * se);
        setn(r, "z", num(c, "z"));
        setn(r, "p", num(c, "p"));
        if (isfinite(b) && isfinite(se) && fabs(b) > TW_RDOC_Z95 * se)
            say(doc, "%s: %.4f (95%% CI %.4f to %.4f), significantly %s zero.", str(c, "name"),
                b, b - TW_RDOC_Z95 * se, b + TW_RDOC_Z95 * se, b < 0 ? "below" : "above");
    }
    const json_t *v = json_object_get(in, "vcov");
    prov(doc, "formula", "%s", str(in, "formula"));
    prov(doc, "variance", "%s, small-sample correction %s", str(v, "type"), str(v, "ssc"));
    prov(doc, "solver", "%s, %.0f IRLS iterations, relative deviance change %.2e",
         json_is_true(json_object_get(in, "converged")) ? "converged" : "not converged",
         num(in, "iterations"), num(in, "rel_deviance_change"));
    return TW_OK;
}

/* ---- tariff games (war, talks, optimal) ---------------------------------------------------- */

/* Stage of a row: "stage", else "scenario", lower-cased into buf. */
static const char *stage_of(const json_t *o, const char *fallback, char *buf, size_t n)
{
    const char *s = str(o, "stage");
    if (!*s)
        s = str(o, "scenario");
    if (!*s)
        s = fallback;
    size_t k = 0;
    for (; s[k] && k + 1 < n; k++)
        buf[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
    buf[k] = '\0';
    return buf;
}

static const char *const game_spec_fmt =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": {\"step\": 14},"
    " \"transform\": [{\"filter\": \"isValid(datum.%s)\"}],"
    " \"mark\": {\"type\": \"bar\", \"stroke\": \"#333333\", \"strokeWidth\": 0.5},"
    " \"encoding\": {"
    "  \"x\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"country\", \"sort\": null},"
    "  \"xOffset\": {\"field\": \"stage\", \"type\": \"nominal\", \"sort\": {\"field\": \"stage_order\"}},"
    "  \"y\": {\"field\": \"%s\", \"type\": \"quantitative\", \"title\": \"%s\"},"
    "  \"color\": {\"field\": \"stage\", \"type\": \"nominal\", \"title\": \"stage\","
    "    \"sort\": {\"field\": \"stage_order\"},"
    "    \"scale\": {\"domain\": [\"factual\", \"nash\", \"cooperative\"],"
    "                \"range\": [\"#cccccc\", \"#67001f\", \"#4393c3\"]}},"
    "  \"tooltip\": [{\"field\": \"code\"}, {\"field\": \"stage\"},"
    "   {\"field\": \"%s\", \"format\": \".2f\"}]}}";

static int stage_order(const char *s)
{
    return !strcmp(s, "factual") ? 0 : !strcmp(s, "nash") ? 1 : !strcmp(s, "cooperative") ? 2
                                                                                         : 3;
}

static void game_row(json_t *t, json_t *w, const json_t *c, const char *stage)
{
    json_t *r = add_row(t);
    sets(r, "stage", stage);
    json_object_set_new(r, "stage_order", json_integer(stage_order(stage)));
    sets(r, "code", str(c, "code"));
    setn(r, "tariff_mean_pct", num(c, "tariff_mean_pct"));
    setn(r, "tariff_median_pct", num(c, "tariff_median_pct"));
    r = add_row(w);
    sets(r, "stage", stage);
    json_object_set_new(r, "stage_order", json_integer(stage_order(stage)));
    sets(r, "code", str(c, "code"));
    setn(r, "welfare_pct", num(c, "welfare_pct"));
    setn(r, "gov_welfare_pct", num(c, "gov_welfare_pct"));
}

static tw_status build_game(const json_t *in, const char *country, json_t *doc, tw_err *err)
{
    (void)country;
    const json_t *countries = json_object_get(in, "countries");
    const json_t *stages = json_object_get(in, "stages");
    if (!json_is_array(stages))
        stages = json_object_get(in, "scenarios");
    if (!json_is_array(countries) && !json_is_array(stages))
        return tw_err_set(err, TW_EINVAL, "report: %s result without a \"countries\" or "
                                          "\"stages\" array",
                          str(doc, "kind"));
    char spec[2048], title[256];
    snprintf(title, sizeof title, "Tariff game (%s)", str(doc, "kind"));
    json_object_set_new(doc, "title", json_string(title));
    snprintf(spec, sizeof spec, game_spec_fmt, "tariff_mean_pct", "tariff_mean_pct",
             "mean tariff (%)", "tariff_mean_pct");
    json_t *t = section(doc, "tariffs", "Tariffs: factual, Nash and cooperative",
                        "Mean tariff each country imposes (%) in each stage: the factual "
                        "tariffs, the Nash equilibrium of the tariff war, and the cooperative "
                        "outcome of talks. Bars are ordered factual, Nash, cooperative.",
                        spec);
    column(t, "stage", "stage", -1);
    column(t, "code", "country", -1);
    column(t, "tariff_mean_pct", "mean tariff (%)", 2);
    column(t, "tariff_median_pct", "median tariff (%)", 2);
    snprintf(spec, sizeof spec, game_spec_fmt, "welfare_pct", "welfare_pct",
             "welfare change (%)", "welfare_pct");
    json_t *w = section(doc, "game_welfare", "Welfare: factual, Nash and cooperative",
                        "Welfare change (%) of each country in each stage, relative to the "
                        "game's baseline; gov_welfare_pct in the table is the government's "
                        "objective.",
                        spec);
    column(w, "stage", "stage", -1);
    column(w, "code", "country", -1);
    column(w, "welfare_pct", "welfare (%)", 3);
    column(w, "gov_welfare_pct", "government welfare (%)", 3);
    char buf[64];
    size_t i, j;
    const json_t *c, *st;
    if (json_is_array(stages)) {
        json_array_foreach(stages, i, st)
        {
            char sbuf[64];
            const char *stage = stage_of(st, str(st, "name"), sbuf, sizeof sbuf);
            json_array_foreach(json_object_get(st, "countries"), j, c)
                game_row(t, w, c, stage_of(c, stage, buf, sizeof buf));
        }
    } else {
        json_array_foreach(countries, i, c)
            game_row(t, w, c, stage_of(c, "nash", buf, sizeof buf));
    }
    /* Headline: average tariff per stage. */
    const char *names[3] = {"factual", "nash", "cooperative"};
    for (int k = 0; k < 3; k++) {
        double sum = 0;
        size_t n = 0;
        const json_t *r;
        json_array_foreach(json_object_get(t, "rows"), i, r)
        {
            if (!strcmp(str(r, "stage"), names[k]) && isfinite(num(r, "tariff_mean_pct"))) {
                sum += num(r, "tariff_mean_pct");
                n++;
            }
        }
        if (n)
            say(doc, "%s tariffs average %.2f%% over %zu countries.",
                k == 0 ? "Factual" : k == 1 ? "Nash" : "Cooperative", sum / (double)n, n);
    }
    if (*str(in, "scenario"))
        prov(doc, "scenario", "%s", str(in, "scenario"));
    const json_t *wd = json_object_get(in, "world");
    if (json_is_object(wd))
        prov(doc, "world", "%s (%s)", str(wd, "name"), str(wd, "year"));
    if (*str(in, "status"))
        prov(doc, "solver", "%s", str(in, "status"));
    return TW_OK;
}

/* ---- deals (docs/enforcement.md) --------------------------------------------------------- */

static const char *const deal_spec =
    "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v6.json\","
    " \"width\": {\"step\": 40},"
    " \"mark\": {\"type\": \"bar\", \"stroke\": \"#333333\", \"strokeWidth\": 0.5},"
    " \"encoding\": {"
    "  \"x\": {\"field\": \"code\", \"type\": \"nominal\", \"title\": \"side\"},"
    "  \"xOffset\": {\"field\": \"variant\", \"type\": \"nominal\"},"
    "  \"y\": {\"field\": \"value_usd_bn\", \"type\": \"quantitative\","
    "        \"title\": \"value of the deal against the war (USD bn a year)\"},"
    "  \"color\": {\"field\": \"variant\", \"type\": \"nominal\", \"title\": \"deal\","
    "    \"scale\": {\"range\": [\"#67001f\", \"#92c5de\"]}},"
    "  \"tooltip\": [{\"field\": \"code\"}, {\"field\": \"variant\"},"
    "   {\"field\": \"value_usd_bn\", \"format\": \".1f\"},"
    "   {\"field\": \"critical_discount_factor\", \"format\": \".3f\"}]}}";

static void deal_row(json_t *s, const json_t *side, const char *code, const char *variant)
{
    json_t *r = add_row(s);
    sets(r, "code", code);
    sets(r, "variant", variant);
    setn(r, "value_pct", num(side, "deal_value_pct"));
    setn(r, "value_usd_bn", num(side, "deal_value_usd_bn"));
    setn(r, "critical_discount_factor", num(side, "critical_discount_factor"));
    setn(r, "min_punishment_years", num(side, "min_punishment_years"));
    sets(r, "self_enforcing", json_is_true(json_object_get(side, "self_enforcing")) ? "yes"
                                                                                      : "no");
}

static tw_status build_deal(const json_t *in, const char *country, json_t *doc, tw_err *err)
{
    (void)country;
    const json_t *sides = json_object_get(in, "sides");
    if (!json_is_array(sides))
        return tw_err_set(err, TW_EINVAL, "report: deal result without a \"sides\" array");
    char title[256];
    snprintf(title, sizeof title, "Deal %s: value and enforcement", str(in, "deal"));
    json_object_set_new(doc, "title", json_string(title));
    json_t *s = section(doc, "deal_value", "What the deal is worth, and whether it can hold",
                        "Annual value of the deal for each side against continuing the war "
                        "(real income, USD bn a year), as signed (tariffs kept as leverage) and "
                        "with the remaining tariffs removed; the table adds the critical "
                        "discount factor above which complying beats cheating once and being "
                        "punished, and the shortest snap-back that deters cheating.",
                        deal_spec);
    column(s, "code", "side", -1);
    column(s, "variant", "deal", -1);
    column(s, "value_pct", "value (% of income)", 3);
    column(s, "value_usd_bn", "value (USD bn/yr)", 1);
    column(s, "critical_discount_factor", "critical discount factor", 3);
    column(s, "min_punishment_years", "shortest deterring punishment (years)", 0);
    column(s, "self_enforcing", "self-enforcing", -1);
    size_t i;
    const json_t *side;
    json_array_foreach(sides, i, side)
    {
        const char *code = str(side, "code");
        deal_row(s, side, code, "as signed");
        const json_t *rm = json_object_get(side, "remaining_tariffs_removed");
        if (json_is_object(rm))
            deal_row(s, rm, code, "tariffs removed");
        say(doc, "%s: the deal is worth %.3f %% of income (%.1f bn USD a year) against the war; "
                 "critical discount factor %.3f (%sself-enforcing at the stated discount rate).",
            code, num(side, "deal_value_pct"), num(side, "deal_value_usd_bn"),
            num(side, "critical_discount_factor"),
            json_is_true(json_object_get(side, "self_enforcing")) ? "" : "not ");
    }
    prov(doc, "deal", "%s", str(in, "deal"));
    prov(doc, "world", "%s", str(in, "world"));
    prov(doc, "discount rate", "%.3f", num(in, "discount_rate"));
    return TW_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------ */

typedef tw_status (*build_fn)(const json_t *in, const char *country, json_t *doc, tw_err *err);

static const struct {
    const char *kind;
    build_fn build;
} kinds[] = {
    {"run", build_run},           {"simulate", build_simulate}, {"sweep", build_sweep},
    {"estimate", build_estimate}, {"war", build_game},          {"talks", build_game},
    {"optimal", build_game},      {"deal", build_deal},
};

const char *tw_rdoc_known_kinds(void)
{
    return "run, simulate, sweep, estimate, war, talks, optimal, deal";
}

/* The kind named by "kind", or recognised from the keys of older documents. */
static const char *kind_of(const json_t *in)
{
    const char *k = json_string_value(json_object_get(in, "kind"));
    if (k)
        return k;
    if (json_object_get(in, "waves"))
        return "run";
    if (json_object_get(in, "coefficients"))
        return "estimate";
    if (json_object_get(in, "draws"))
        return "sweep";
    if (json_object_get(in, "bilateral") && json_object_get(in, "countries"))
        return "simulate";
    if (json_object_get(in, "stages"))
        return "war";
    return NULL;
}

json_t *tw_rdoc_section(const json_t *doc, const char *id)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        if (!strcmp(str(s, "id"), id))
            return s;
    }
    return NULL;
}

tw_status tw_rdoc_build(const char *json, size_t len, const tw_report_opts *opts,
                        json_t **out, tw_err *err)
{
    const char *source_name = opts ? opts->source : NULL, *country = opts ? opts->country : NULL;
    if (out)
        *out = NULL;
    if (!json || !out)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const char *src = source_name ? source_name : "result";
    json_error_t je;
    json_t *in = json_loadb(json, len, JSON_DECODE_ANY, &je);
    if (!in)
        return tw_err_set(err, TW_EPARSE, "report: %s:%d:%d: %s", src, je.line, je.column,
                          je.text);
    tw_status st = TW_OK;
    json_t *doc = NULL;
    if (!json_is_object(in)) {
        st = tw_err_set(err, TW_EINVAL, "report: %s: expected a JSON object (a tradewar "
                                        "result), got another value",
                        src);
        goto done;
    }
    const char *kind = kind_of(in);
    if (!kind) {
        st = tw_err_set(err, TW_EINVAL, "report: %s: not a tradewar result (no \"kind\" and "
                                        "no known keys; known kinds: %s)",
                        src, tw_rdoc_known_kinds());
        goto done;
    }
    size_t k = 0, nk = sizeof kinds / sizeof kinds[0];
    while (k < nk && strcmp(kinds[k].kind, kind) != 0)
        k++;
    if (k == nk) {
        st = tw_err_set(err, TW_EINVAL, "report: %s: unknown result kind \"%s\" (known: %s)",
                        src, kind, tw_rdoc_known_kinds());
        goto done;
    }
    doc = json_pack("{s:s, s:s, s:[], s:[], s:[]}", "kind", kind, "title", kind, "headline",
                    "provenance", "sections");
    if (!doc) {
        st = tw_err_set(err, TW_ENOMEM, "report: out of memory");
        goto done;
    }
    provenance_common(doc, in, source_name);
    st = kinds[k].build(in, country, doc, err);
    if (st != TW_OK)
        goto done;
    const char *sf = opts && opts->scenario_file ? opts->scenario_file : str(in, "scenario_file");
    const char *sh = opts && opts->scenario_sha256 ? opts->scenario_sha256
                                                   : str(in, "scenario_sha256");
    if (*sf)
        prov(doc, "scenario file", "%s", sf);
    if (*sh)
        prov(doc, "scenario SHA-256", "%s", sh);
    provenance_date(doc);
    if (*tw_asset_chart_versions)
        prov(doc, "charts", "%s, inlined", tw_asset_chart_versions);
done:
    json_decref(in);
    if (st != TW_OK) {
        json_decref(doc);
        return st;
    }
    *out = doc;
    return TW_OK;
}
