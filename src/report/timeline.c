/* SPDX-License-Identifier: MIT */
/*
 * src/report/timeline.c: the timeline summary (the main job's terminal output), its JSON
 * document, the comparison of two timelines, and the published-estimates check.
 *
 * Money is printed in billions of the world's currency (USD). "At end" means with the
 * tariffs in force on the timeline's `until` date (the wave tw_timeline_final_wave); the
 * cumulative cost integrates each wave's annual equivalent variation over the time it was in
 * force (see src/policy/timeline.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/csv.h"
#include "report/report_int.h"
#include "tradewar/tradewar.h"

#define BN 1e9
/* Third-country gainers listed in the summary. */
#define TW_REPORT_MAX_DIVERSION 5

/* Real income change (%) and EV (USD/yr) of country c at wave k (0 before any wave). */
static double wave_pct(const tw_timeline *t, size_t k, size_t c)
{
    if (k >= tw_timeline_n_waves(t))
        return 0.0;
    return tw_result_country(tw_timeline_wave_result(t, k), TW_C_REAL_INCOME_PCT, c);
}

static double wave_ev(const tw_timeline *t, size_t k, size_t c)
{
    if (k >= tw_timeline_n_waves(t))
        return 0.0;
    return tw_result_country(tw_timeline_wave_result(t, k), TW_C_WELFARE_USD, c);
}

/* World real income change at wave k: sum of EV over sum of baseline income, %. */
static double world_pct(const tw_timeline *t, size_t k)
{
    const tw_world *w = tw_timeline_world(t);
    if (k >= tw_timeline_n_waves(t))
        return 0.0;
    const tw_result *r = tw_timeline_wave_result(t, k);
    double ev = 0.0, inc = 0.0;
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        ev += tw_result_country(r, TW_C_WELFARE_USD, c);
        inc += tw_result_country(r, TW_C_INCOME_BASE_USD, c);
    }
    return 100.0 * ev / inc;
}

static double world_ev(const tw_timeline *t, size_t k)
{
    double ev = 0.0;
    for (size_t c = 0; c < tw_world_n_country(tw_timeline_world(t)); c++)
        ev += wave_ev(t, k, c);
    return ev;
}

static double world_cum(const tw_timeline *t)
{
    double v = 0.0;
    for (size_t c = 0; c < tw_world_n_country(tw_timeline_world(t)); c++)
        v += tw_timeline_cumulative_usd(t, c);
    return v;
}

/* Indices of countries sorted by EV at the final wave (ascending: biggest losers first). */
static size_t *by_ev(const tw_timeline *t)
{
    size_t N = tw_world_n_country(tw_timeline_world(t)), k = tw_timeline_final_wave(t);
    size_t *idx = malloc(N * sizeof *idx);
    if (idx == NULL)
        return NULL;
    for (size_t c = 0; c < N; c++)
        idx[c] = c;
    for (size_t x = 1; x < N; x++)
        for (size_t y = x; y > 0 && wave_ev(t, k, idx[y - 1]) > wave_ev(t, k, idx[y]); y--) {
            size_t tmp = idx[y];
            idx[y] = idx[y - 1];
            idx[y - 1] = tmp;
        }
    return idx;
}

static void print_cost_row(FILE *out, const char *name, const char *code, double pct,
                           double ev, double cum)
{
    fprintf(out, "  %-28s %-4s %10.3f %12.1f %16.1f\n", name, code,
            tw_report_no_negative_zero(pct, 3), tw_report_no_negative_zero(ev / BN, 1),
            tw_report_no_negative_zero(cum / BN, 1));
}

/* Does the timeline's reference state differ from the world's data tariffs (baseline
 * actions)? */
static bool has_reference(const tw_timeline *t)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), n = tw_timeline_n_waves(t);
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++)
                if (tw_timeline_wave_tariff(t, n, j, i, s) != tw_world_tariff(w, j, i, s))
                    return true;
    return false;
}

static void print_cost(const tw_timeline *t, const size_t *idx, FILE *out)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), k = tw_timeline_final_wave(t);
    if (has_reference(t))
        fprintf(out, "Cost of the war, relative to the reference state (the world's tariffs "
                "plus the scenario's pre-existing baseline actions)\n");
    else
        fprintf(out, "Cost of the war, relative to the pre-war baseline\n");
    fprintf(out, "  %-28s %-4s %10s %12s %16s\n", "", "", "real income", "USD bn/yr",
            "cumulative");
    fprintf(out, "  %-28s %-4s %10s %12s %16s\n", "", "", "% at end", "at end",
            "USD bn to end");
    /* The two biggest losers first (the war's parties), then the world. */
    for (size_t q = 0; q < 2 && q < N; q++) {
        size_t c = idx[q];
        print_cost_row(out, tw_world_country_name(w, c), tw_world_country_code(w, c),
                       wave_pct(t, k, c), wave_ev(t, k, c), tw_timeline_cumulative_usd(t, c));
    }
    print_cost_row(out, "World", "", world_pct(t, k), world_ev(t, k), world_cum(t));
    fprintf(out, "  (at end = tariffs in force on %s; cumulative from %s to %s)\n\n",
            tw_timeline_until(t), tw_timeline_start(t), tw_timeline_until(t));
}

static void print_waves(const tw_timeline *t, const size_t *idx, FILE *out)
{
    const tw_world *w = tw_timeline_world(t);
    size_t n = tw_timeline_n_waves(t), a = idx[0], b = idx[1];
    fprintf(out, "Wave by wave: real income change with all actions in force (%%), and what the"
            " wave added (pp)\n");
    fprintf(out, "  %-10s %-44s %8s %7s %8s %7s %8s %7s\n", "date", "what changed",
            tw_world_country_code(w, a), "(+)", tw_world_country_code(w, b), "(+)", "World",
            "(+)");
    for (size_t k = 0; k < n; k++) {
        double pa = wave_pct(t, k, a), pb = wave_pct(t, k, b), pw = world_pct(t, k);
        double qa = k ? wave_pct(t, k - 1, a) : 0.0, qb = k ? wave_pct(t, k - 1, b) : 0.0;
        double qw = k ? world_pct(t, k - 1) : 0.0;
        const char *label = tw_timeline_wave_label(t, k);
        fprintf(out, "  %-10s %-44.44s %8.3f %+7.3f %8.3f %+7.3f %8.3f %+7.3f\n",
                tw_timeline_wave_date(t, k), label, tw_report_no_negative_zero(pa, 3),
                tw_report_no_negative_zero(pa - qa, 3), tw_report_no_negative_zero(pb, 3),
                tw_report_no_negative_zero(pb - qb, 3), tw_report_no_negative_zero(pw, 3),
                tw_report_no_negative_zero(pw - qw, 3));
    }
    fputc('\n', out);
}

static void print_diversion(const tw_timeline *t, const size_t *idx, FILE *out)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), k = tw_timeline_final_wave(t), shown = 0;
    fprintf(out, "Third countries that gained from trade diversion (at end):");
    for (size_t q = N; q-- > 0;) {
        size_t c = idx[q];
        if (tw_timeline_country_involved(t, c) || !(wave_ev(t, k, c) > 0.0) ||
            shown == TW_REPORT_MAX_DIVERSION)
            continue;
        fprintf(out, "%s %s %+.3f %% (%+.2f bn/yr)", shown ? "," : "",
                tw_world_country_code(w, c), wave_pct(t, k, c), wave_ev(t, k, c) / BN);
        shown++;
    }
    fprintf(out, "%s\n", shown ? "" : " none");
    fprintf(out, "Top losers (at end):");
    for (size_t q = 0; q < 3 && q < N; q++)
        fprintf(out, "%s %s %.1f bn/yr", q ? "," : "", tw_world_country_code(w, idx[q]),
                wave_ev(t, k, idx[q]) / BN);
    fprintf(out, "\nTop gainers (at end):");
    for (size_t q = 0; q < 3 && q < N; q++)
        fprintf(out, "%s %s %+.1f bn/yr", q ? "," : "", tw_world_country_code(w, idx[N - 1 - q]),
                wave_ev(t, k, idx[N - 1 - q]) / BN);
    fputc('\n', out);
}

static void print_bilateral(const tw_timeline *t, const size_t *idx, FILE *out)
{
    const tw_world *w = tw_timeline_world(t);
    size_t k = tw_timeline_final_wave(t), a = idx[0], b = idx[1];
    if (k >= tw_timeline_n_waves(t))
        return;
    const tw_result *r = tw_timeline_wave_result(t, k);
    double ab0, ab1, ba0, ba1;
    tw_report_pair_flow(r, a, b, &ab0, &ab1);
    tw_report_pair_flow(r, b, a, &ba0, &ba1);
    const char *ca = tw_world_country_code(w, a), *cb = tw_world_country_code(w, b);
    fprintf(out, "%s-%s trade (at end, before tariffs): %s imports from %s %+.1f %% "
            "(%.0f -> %.0f bn), %s exports to %s %+.1f %% (%.0f -> %.0f bn)\n", ca, cb, ca, cb,
            tw_report_change_pct(ba0, ba1), ba0 / BN, ba1 / BN, ca, cb,
            tw_report_change_pct(ab0, ab1), ab0 / BN, ab1 / BN);
}

tw_status tw_report_timeline(const tw_timeline *t, const char *title, FILE *out, tw_err *err)
{
    if (t == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(t);
    if (tw_world_n_country(w) < 2)
        return tw_err_set(err, TW_EINVAL, "report: a timeline summary needs two countries");
    size_t *idx = by_ev(t);
    if (idx == NULL)
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    if (title)
        fprintf(out, "%s\n", title);
    const char *name = tw_world_meta(w, "name"), *year = tw_world_meta(w, "year");
    fprintf(out, "world: %s", name);
    if (year[0] && strstr(name, year) == NULL)
        fprintf(out, " (%s)", year);
    fprintf(out, "; %zu waves from %s\n\n", tw_timeline_n_waves(t), tw_timeline_start(t));
    print_cost(t, idx, out);
    print_waves(t, idx, out);
    print_diversion(t, idx, out);
    print_bilateral(t, idx, out);
    if (!tw_timeline_converged(t))
        fprintf(out, "WARNING: at least one wave did not converge\n");
    free(idx);
    return tw_report_stream_ok(out, "the timeline summary", err);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static json_t *country_obj(const tw_world *w, size_t c, double pct, double ev, double cum)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(tw_world_country_code(w, c)));
    json_object_set_new(o, "name", json_string(tw_world_country_name(w, c)));
    json_object_set_new(o, "real_income_pct", num(pct));
    json_object_set_new(o, "real_income_usd_bn", num(ev / BN));
    if (isfinite(cum))
        json_object_set_new(o, "cumulative_usd_bn", num(cum / BN));
    return o;
}

/* International trade by country pair at wave q, summed over sectors, before tariffs. */
static json_t *bilateral_json(const tw_timeline *t, size_t q)
{
    const tw_world *w = tw_timeline_world(t);
    const tw_result *r = tw_timeline_wave_result(t, q);
    size_t N = tw_world_n_country(w);
    json_t *arr = json_array();
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            if (i == j)
                continue;
            double b, c;
            tw_report_pair_flow(r, i, j, &b, &c);
            json_t *o = json_object();
            json_object_set_new(o, "exporter", json_string(tw_world_country_code(w, i)));
            json_object_set_new(o, "importer", json_string(tw_world_country_code(w, j)));
            json_object_set_new(o, "base_usd_bn", num(b / BN));
            json_object_set_new(o, "cfl_usd_bn", num(c / BN));
            json_object_set_new(o, "change_pct", num(tw_report_change_pct(b, c)));
            json_array_append_new(arr, o);
        }
    return arr;
}

static json_t *solver_obj(const tw_timeline *t)
{
    json_t *o = json_object();
    size_t it = 0, n = tw_timeline_n_waves(t);
    double res = 0.0;
    for (size_t k = 0; k < n; k++) {
        tw_solver_info in;
        tw_result_solver(tw_timeline_wave_result(t, k), TW_STAGE_COUNTERFACTUAL, &in);
        it += in.iterations;
        res = fmax(res, in.residual);
    }
    json_object_set_new(o, "status", json_string(tw_timeline_converged(t) ? "ok" :
                                                 "not converged"));
    json_object_set_new(o, "iterations", json_integer((json_int_t)it));
    json_object_set_new(o, "residual", num(res));
    return o;
}

/* When the world has a USA: its tariff revenue at wave q (USD bn/yr), the change from the
 * reference state, and its implied average tariff by partner (docs/output.md). */
static void add_us_fields(const tw_timeline *t, size_t q, json_t *o)
{
    const tw_world *w = tw_timeline_world(t);
    size_t usa, N = tw_world_n_country(w), n = tw_timeline_n_waves(t);
    if (!tw_world_find_country(w, "USA", &usa))
        return;
    double rev = tw_report_tariff_revenue_usd(t, q, usa);
    json_object_set_new(o, "us_tariff_revenue_usd_bn", num(rev / BN));
    json_object_set_new(o, "us_tariff_revenue_change_usd_bn",
                        num((rev - tw_report_tariff_revenue_usd(t, n, usa)) / BN));
    json_t *avg = json_object();
    for (size_t i = 0; i <= N; i++)
        if (i != usa)
            json_object_set_new(avg, i < N ? tw_world_country_code(w, i) : "all",
                                num(tw_report_implied_tariff(t, q, usa, i)));
    json_object_set_new(o, "us_implied_tariff_pct", avg);
}

static json_t *timeline_json(const tw_timeline *t, const char *scenario)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t), k = tw_timeline_final_wave(t);
    json_t *root = json_object();
    json_object_set_new(root, "kind", json_string("run"));
    json_object_set_new(root, "tradewar_version", json_string(tw_version()));
    json_object_set_new(root, "scenario", json_string(scenario ? scenario : ""));
    json_t *wo = json_object();
    json_object_set_new(wo, "name", json_string(tw_world_meta(w, "name")));
    json_object_set_new(wo, "year", json_string(tw_world_meta(w, "year")));
    json_object_set_new(root, "world_data", wo);
    json_object_set_new(root, "start", json_string(tw_timeline_start(t)));
    json_object_set_new(root, "until", json_string(tw_timeline_until(t)));
    json_object_set_new(root, "converged", json_boolean(tw_timeline_converged(t)));
    json_t *cs = json_array();
    for (size_t c = 0; c < N; c++)
        json_array_append_new(cs, country_obj(w, c, wave_pct(t, k, c), wave_ev(t, k, c),
                                              tw_timeline_cumulative_usd(t, c)));
    json_object_set_new(root, "countries", cs);
    json_t *world = json_object();
    json_object_set_new(world, "real_income_pct", num(world_pct(t, k)));
    json_object_set_new(world, "real_income_usd_bn", num(world_ev(t, k) / BN));
    json_object_set_new(world, "cumulative_usd_bn", num(world_cum(t) / BN));
    json_object_set_new(root, "world", world);
    json_t *ws = json_array();
    for (size_t q = 0; q < n; q++) {
        json_t *o = json_object();
        json_object_set_new(o, "date", json_string(tw_timeline_wave_date(t, q)));
        json_object_set_new(o, "label", json_string(tw_timeline_wave_label(t, q)));
        json_object_set_new(o, "years_in_force", num(tw_timeline_wave_years(t, q)));
        json_t *wc = json_array();
        for (size_t c = 0; c < N; c++) {
            json_t *co = country_obj(w, c, wave_pct(t, q, c), wave_ev(t, q, c), (double)NAN);
            json_object_set_new(co, "marginal_pct",
                                num(wave_pct(t, q, c) - (q ? wave_pct(t, q - 1, c) : 0.0)));
            const tw_result *r = tw_timeline_wave_result(t, q);
            json_object_set_new(co, "tariff_revenue_hat",
                                num(tw_result_country(r, TW_C_TARIFF_REVENUE_HAT, c)));
            json_object_set_new(co, "exports_hat", num(tw_result_country(r, TW_C_EXPORTS_HAT, c)));
            json_object_set_new(co, "imports_hat", num(tw_result_country(r, TW_C_IMPORTS_HAT, c)));
            json_array_append_new(wc, co);
        }
        json_object_set_new(o, "countries", wc);
        json_object_set_new(o, "bilateral", bilateral_json(t, q));
        json_t *wwo = json_object();
        json_object_set_new(wwo, "real_income_pct", num(world_pct(t, q)));
        json_object_set_new(wwo, "real_income_usd_bn", num(world_ev(t, q) / BN));
        json_object_set_new(o, "world", wwo);
        add_us_fields(t, q, o);
        json_array_append_new(ws, o);
    }
    json_object_set_new(root, "waves", ws);
    size_t usa;
    if (tw_world_find_country(w, "USA", &usa)) {
        json_t *ref = json_object();
        json_object_set_new(ref, "us_tariff_revenue_usd_bn",
                            num(tw_report_tariff_revenue_usd(t, n, usa) / BN));
        json_t *avg = json_object();
        for (size_t i = 0; i <= N; i++)
            if (i != usa)
                json_object_set_new(avg, i < N ? tw_world_country_code(w, i) : "all",
                                    num(tw_report_implied_tariff(t, n, usa, i)));
        json_object_set_new(ref, "us_implied_tariff_pct", avg);
        json_object_set_new(root, "reference", ref);
    }
    json_object_set_new(root, "solver", solver_obj(t));
    return root;
}

tw_status tw_report_timeline_json(const tw_timeline *t, const char *scenario_name, FILE *out,
                                  tw_err *err)
{
    if (t == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    json_t *root = timeline_json(t, scenario_name);
    return tw_report_json_dump(out, root, "the timeline JSON", err);
}

/* ---- comparison --------------------------------------------------------------------- */

tw_status tw_report_compare(const tw_timeline *a, const char *name_a, const tw_timeline *b,
                            const char *name_b, FILE *out, tw_err *err)
{
    if (a == NULL || b == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(a);
    if (tw_timeline_world(b) != w)
        return tw_err_set(err, TW_EINVAL, "report: the two timelines use different worlds");
    size_t N = tw_world_n_country(w), ka = tw_timeline_final_wave(a),
           kb = tw_timeline_final_wave(b);
    fprintf(out, "A = %s (until %s)\nB = %s (until %s)\n\n", name_a, tw_timeline_until(a),
            name_b, tw_timeline_until(b));
    fprintf(out, "%-6s %9s %9s %9s %11s %11s %11s %11s\n", "", "A", "B", "B - A", "A", "B",
            "B - A", "B - A");
    fprintf(out, "%-6s %9s %9s %9s %11s %11s %11s %11s\n", "code", "real inc%", "real inc%",
            "pp", "bn/yr", "bn/yr", "bn/yr", "cum. bn");
    for (size_t c = 0; c <= N; c++) {
        double pa, pb, ea, eb, ca, cb;
        if (c < N) {
            pa = wave_pct(a, ka, c);
            pb = wave_pct(b, kb, c);
            ea = wave_ev(a, ka, c);
            eb = wave_ev(b, kb, c);
            ca = tw_timeline_cumulative_usd(a, c);
            cb = tw_timeline_cumulative_usd(b, c);
        } else {
            pa = world_pct(a, ka);
            pb = world_pct(b, kb);
            ea = world_ev(a, ka);
            eb = world_ev(b, kb);
            ca = world_cum(a);
            cb = world_cum(b);
        }
        fprintf(out, "%-6s %9.3f %9.3f %+9.3f %11.1f %11.1f %+11.1f %+11.1f\n",
                c < N ? tw_world_country_code(w, c) : "World", tw_report_no_negative_zero(pa, 3),
                tw_report_no_negative_zero(pb, 3), tw_report_no_negative_zero(pb - pa, 3),
                tw_report_no_negative_zero(ea / BN, 1), tw_report_no_negative_zero(eb / BN, 1),
                tw_report_no_negative_zero((eb - ea) / BN, 1),
                tw_report_no_negative_zero((cb - ca) / BN, 1));
    }
    return tw_report_stream_ok(out, "the comparison", err);
}

/* ---- published estimates ------------------------------------------------------------ */

/* A published row is comparable when it measures welfare or real income of tariff changes
 * (not, say, managed-trade purchases). */
static bool tariff_scenario(const char *sc)
{
    for (const char *p = sc; *p; p++)
        if ((p[0] == 't' || p[0] == 'T') && strncmp(p + 1, "ariff", 5) == 0)
            return true;
    return false;
}

static bool comparable_measure(const char *m)
{
    return strcmp(m, "welfare") == 0 || strcmp(m, "real income") == 0 ||
           strcmp(m, "income") == 0 || strstr(m, "aggregate real income") != NULL;
}

/* Model code of a published-estimates country name, or NULL for the world. */
static const char *country_code_of(const char *name)
{
    if (strcmp(name, "US") == 0)
        return "USA";
    if (strcmp(name, "China") == 0)
        return "CHN";
    return NULL;
}

/* Short source: up to the first comma or quote. */
static void short_source(const char *src, char *buf, size_t cap)
{
    size_t n = strcspn(src, ",\"");
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, src, n);
    buf[n] = '\0';
}

tw_status tw_report_published(const tw_timeline *t, const char *csv_path, FILE *out, tw_err *err)
{
    if (t == NULL || csv_path == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    tw_csv_table *tab = NULL;
    tw_status st = tw_csv_read_file(csv_path, &tab, err);
    if (st != TW_OK)
        return st;
    size_t cs, cy, cm, cc, cme, cv, cu, csc;
    if (!tw_csv_find_column(tab, "source", &cs) || !tw_csv_find_column(tab, "year", &cy) ||
        !tw_csv_find_column(tab, "model", &cm) || !tw_csv_find_column(tab, "country", &cc) ||
        !tw_csv_find_column(tab, "measure", &cme) || !tw_csv_find_column(tab, "value", &cv) ||
        !tw_csv_find_column(tab, "unit", &cu) || !tw_csv_find_column(tab, "scenario", &csc)) {
        tw_csv_free(tab);
        return tw_err_set(err, TW_EPARSE, "%s: expected columns source, year, model, scenario, "
                          "country, measure, value, unit", csv_path);
    }
    const tw_world *w = tw_timeline_world(t);
    size_t k = tw_timeline_final_wave(t), shown = 0, inside = 0, rows = 0;
    fprintf(out, "Published estimates (%s): welfare and real-income effects of the tariffs\n",
            csv_path);
    const char *who[3] = {"US", "China", "World"};
    for (int q = 0; q < 3; q++) {
        const char *code = country_code_of(who[q]);
        size_t c = 0;
        double ours;
        if (code && !tw_world_find_country(w, code, &c))
            continue;
        ours = code ? wave_pct(t, k, c) : world_pct(t, k);
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t r = 0; r < tab->n_rows; r++) {
            double v;
            const char *unit = tw_csv_field(tab, r, cu);
            if (strcmp(tw_csv_field(tab, r, cc), who[q]) != 0 ||
                !comparable_measure(tw_csv_field(tab, r, cme)) ||
                !tariff_scenario(tw_csv_field(tab, r, csc)) ||
                (strcmp(unit, "percent") != 0 && strcmp(unit, "pct_gdp") != 0) ||
                tw_csv_parse_double(tw_csv_field(tab, r, cv), &v) != TW_CSV_NUM_OK)
                continue;
            char src[48];
            short_source(tw_csv_field(tab, r, cs), src, sizeof src);
            fprintf(out, "  %-6s %7.2f %-8s %-32.32s (%s, %s; %.48s)\n", who[q], v,
                    strcmp(unit, "percent") == 0 ? "%" : "% GDP", tw_csv_field(tab, r, cme),
                    src, tw_csv_field(tab, r, cy), tw_csv_field(tab, r, cm));
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            rows++;
        }
        if (isfinite(lo)) {
            bool in = ours >= lo && ours <= hi;
            fprintf(out, "  %-6s tradewar %+.2f %% real income: %s the published range "
                    "[%.2f, %.2f]\n", who[q], ours, in ? "inside" : (ours > hi ? "above (smaller"
                    " loss than)" : "below (larger loss than)"), lo, hi);
            shown++;
            inside += in;
        }
    }
    if (rows == 0)
        fprintf(out, "  no comparable rows found\n");
    else
        fprintf(out, "  tradewar is inside the published range for %zu of %zu; the studies "
                "differ in model, tariffs covered and horizon, so compare signs and orders of "
                "magnitude, not digits.\n", inside, shown);
    tw_csv_free(tab);
    return tw_report_stream_ok(out, "the published estimates", err);
}
