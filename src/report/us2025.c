/* SPDX-License-Identifier: MIT */
/*
 * src/report/us2025.c: the extra tables of a tariff-regime timeline (used for the library
 * scenario us-2025-2026, docs/output.md): every country's cost, the implied average tariff of
 * one importer by partner and its tariff revenue wave by wave, its trade and the diversion to
 * third countries, and the comparison with the published estimates of us2025/.
 *
 * Implied average tariff of importer j on partner i at wave k:
 *   sum_s tau_k(j, i, s) X(i -> j, s) / sum_s X(i -> j, s)
 * over the sectors that carry a tariff somewhere in the timeline (goods; SERV never does),
 * with X the world's data flows (fixed baseline import weights, pre-substitution, as the
 * statutory effective-rate series of the data are). Tariff revenue is the model's
 * counterfactual revenue of the importer at each wave (an annual flow, USD of the world's
 * year).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "report/report_int.h"
#include "tradewar/tradewar.h"

#define BN 1e9

/* Does sector s carry a tariff anywhere, in the reference state or at some wave? */
static bool tariffed(const tw_timeline *t, size_t s)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t);
    for (size_t k = 0; k <= n; k++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++)
                if (i != j && tw_timeline_wave_tariff(t, k, j, i, s) != 0.0)
                    return true;
    return false;
}

double tw_report_implied_tariff(const tw_timeline *t, size_t k, size_t importer, size_t partner)
{
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < N; i++) {
        if (i == importer || (partner < N && i != partner))
            continue;
        for (size_t s = 0; s < S; s++) {
            if (!tariffed(t, s))
                continue;
            double x = tw_world_flow(w, i, importer, s);
            num += x * tw_timeline_wave_tariff(t, k, importer, i, s);
            den += x;
        }
    }
    return den > 0.0 ? 100.0 * num / den : (double)NAN;
}

static double pct(const tw_timeline *t, size_t k, size_t c)
{
    return k < tw_timeline_n_waves(t)
               ? tw_result_country(tw_timeline_wave_result(t, k), TW_C_REAL_INCOME_PCT, c)
               : 0.0;
}

static double ev(const tw_timeline *t, size_t k, size_t c)
{
    return k < tw_timeline_n_waves(t)
               ? tw_result_country(tw_timeline_wave_result(t, k), TW_C_WELFARE_USD, c)
               : 0.0;
}

tw_status tw_report_countries(const tw_timeline *t, FILE *out, tw_err *err)
{
    if (t == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t), k = tw_timeline_final_wave(t);
    fprintf(out, "Every country: real income change at end and at its worst wave, and the "
            "cumulative cost\n");
    fprintf(out, "  %-4s %10s %10s %10s %-10s %12s\n", "", "% at end", "bn/yr end", "worst %",
            "worst on", "cum. bn");
    double tev = 0.0, tinc = 0.0, tcum = 0.0;
    for (size_t c = 0; c < N; c++) {
        size_t worst = n;
        for (size_t q = 0; q < n; q++)
            if (worst == n || pct(t, q, c) < pct(t, worst, c))
                worst = q;
        fprintf(out, "  %-4s %10.3f %10.1f %10.3f %-10s %12.1f\n", tw_world_country_code(w, c),
                tw_report_no_negative_zero(pct(t, k, c), 3),
                tw_report_no_negative_zero(ev(t, k, c) / BN, 1),
                tw_report_no_negative_zero(pct(t, worst, c), 3),
                worst < n ? tw_timeline_wave_date(t, worst) : "-",
                tw_report_no_negative_zero(tw_timeline_cumulative_usd(t, c) / BN, 1));
        tev += ev(t, k, c);
        tcum += tw_timeline_cumulative_usd(t, c);
        if (k < n)
            tinc += tw_result_country(tw_timeline_wave_result(t, k), TW_C_INCOME_BASE_USD, c);
    }
    fprintf(out, "  %-4s %10.3f %10.1f %10s %-10s %12.1f\n\n", "World",
            tw_report_no_negative_zero(tinc > 0.0 ? 100.0 * tev / tinc : 0.0, 3),
            tw_report_no_negative_zero(tev / BN, 1), "", "",
            tw_report_no_negative_zero(tcum / BN, 1));
    return tw_report_stream_ok(out, "the country table", err);
}

tw_status tw_report_waves_all(const tw_timeline *t, FILE *out, tw_err *err)
{
    if (t == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t);
    fprintf(out, "Every country, wave by wave: real income change with all actions in force "
            "(%%), and the world (%% and USD bn/yr)\n  %-10s", "date");
    for (size_t c = 0; c < N; c++)
        fprintf(out, " %7s", tw_world_country_code(w, c));
    fprintf(out, " %7s %8s\n", "World", "bn/yr");
    for (size_t k = 0; k < n; k++) {
        const tw_result *r = tw_timeline_wave_result(t, k);
        double e = 0.0, inc = 0.0;
        fprintf(out, "  %-10s", tw_timeline_wave_date(t, k));
        for (size_t c = 0; c < N; c++) {
            fprintf(out, " %7.3f", tw_report_no_negative_zero(pct(t, k, c), 3));
            e += tw_result_country(r, TW_C_WELFARE_USD, c);
            inc += tw_result_country(r, TW_C_INCOME_BASE_USD, c);
        }
        fprintf(out, " %7.3f %8.1f\n", tw_report_no_negative_zero(100.0 * e / inc, 3),
                tw_report_no_negative_zero(e / BN, 1));
    }
    fputc('\n', out);
    return tw_report_stream_ok(out, "the wave table", err);
}

double tw_report_tariff_revenue_usd(const tw_timeline *t, size_t k, size_t c)
{
    if (k >= tw_timeline_n_waves(t))
        return tw_timeline_n_waves(t) > 0
                   ? tw_result_country(tw_timeline_wave_result(t, 0),
                                       TW_C_TARIFF_REVENUE_BASE_USD, c)
                   : (double)NAN;
    return tw_result_country(tw_timeline_wave_result(t, k), TW_C_TARIFF_REVENUE_CFL_USD, c);
}

tw_status tw_report_tariff_path(const tw_timeline *t, const char *importer, FILE *out,
                                tw_err *err)
{
    if (t == NULL || importer == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t), j;
    if (!tw_world_find_country(w, importer, &j))
        return tw_err_set(err, TW_EINVAL, "report: no country \"%s\" in the world", importer);
    fprintf(out, "Implied average %s tariff by partner (%%, incl. MFN and pre-existing tariffs; "
            "weights: the world's %s\ndata imports by sector, fixed), its tariff revenue "
            "(USD bn/yr) and its imports (%% change)\n", importer, tw_world_meta(w, "year"));
    fprintf(out, "  %-10s", "date");
    for (size_t i = 0; i < N; i++)
        if (i != j)
            fprintf(out, " %6s", tw_world_country_code(w, i));
    fprintf(out, " %6s %8s %8s %8s\n", "all", "revenue", "change", "imports");
    for (size_t step = 0; step <= n; step++) { /* the reference state, then the waves */
        size_t k = step == 0 ? n : step - 1;
        fprintf(out, "  %-10s", step == 0 ? "reference" : tw_timeline_wave_date(t, k));
        for (size_t i = 0; i < N; i++)
            if (i != j)
                fprintf(out, " %6.2f", tw_report_implied_tariff(t, k, j, i));
        double rev = tw_report_tariff_revenue_usd(t, k, j);
        double rev0 = tw_report_tariff_revenue_usd(t, n, j);
        fprintf(out, " %6.2f %8.1f %+8.1f", tw_report_implied_tariff(t, k, j, N), rev / BN,
                tw_report_no_negative_zero((rev - rev0) / BN, 1));
        if (step == 0)
            fprintf(out, " %8s\n", "");
        else
            fprintf(out, " %+8.2f\n", tw_report_pct(tw_result_country(
                                          tw_timeline_wave_result(t, k), TW_C_IMPORTS_HAT, j)));
    }
    fputc('\n', out);
    return tw_report_stream_ok(out, "the tariff path", err);
}

tw_status tw_report_trade(const tw_timeline *t, const char *importer, FILE *out, tw_err *err)
{
    if (t == NULL || importer == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    const tw_world *w = tw_timeline_world(t);
    size_t N = tw_world_n_country(w), n = tw_timeline_n_waves(t), j;
    if (!tw_world_find_country(w, importer, &j))
        return tw_err_set(err, TW_EINVAL, "report: no country \"%s\" in the world", importer);
    /* the peak: the wave with the highest implied average tariff */
    size_t peak = n, k = tw_timeline_final_wave(t);
    for (size_t q = 0; q < n; q++)
        if (peak == n || tw_report_implied_tariff(t, q, j, N) >
                             tw_report_implied_tariff(t, peak, j, N))
            peak = q;
    if (peak == n || k >= n)
        return tw_report_stream_ok(out, "the trade table", err);
    fprintf(out, "Trade of %s by partner (before tariffs, USD bn/yr): reference, and %% change at "
            "the peak (%s) and at end (%s)\n", importer, tw_timeline_wave_date(t, peak),
            tw_timeline_until(t));
    fprintf(out, "  %-4s %10s %8s %8s %10s %8s %8s\n", "", "imports", "peak", "end", "exports",
            "peak", "end");
    for (size_t i = 0; i < N; i++) {
        if (i == j)
            continue;
        double mb, mp, me, xb, xp, xe;
        tw_report_pair_flow(tw_timeline_wave_result(t, peak), i, j, &mb, &mp);
        tw_report_pair_flow(tw_timeline_wave_result(t, k), i, j, &mb, &me);
        tw_report_pair_flow(tw_timeline_wave_result(t, peak), j, i, &xb, &xp);
        tw_report_pair_flow(tw_timeline_wave_result(t, k), j, i, &xb, &xe);
        fprintf(out, "  %-4s %10.1f %+8.1f %+8.1f %10.1f %+8.1f %+8.1f\n",
                tw_world_country_code(w, i), mb / BN, tw_report_change_pct(mb, mp),
                tw_report_change_pct(mb, me), xb / BN, tw_report_change_pct(xb, xp),
                tw_report_change_pct(xb, xe));
    }
    /* Diversion: trade among the other countries (neither side is the importer). */
    double ob = 0.0, op = 0.0, oe = 0.0;
    for (size_t a = 0; a < N; a++)
        for (size_t b = 0; b < N; b++) {
            if (a == b || a == j || b == j)
                continue;
            double x0, x1, y1;
            tw_report_pair_flow(tw_timeline_wave_result(t, peak), a, b, &x0, &x1);
            tw_report_pair_flow(tw_timeline_wave_result(t, k), a, b, &x0, &y1);
            ob += x0;
            op += x1;
            oe += y1;
        }
    fprintf(out, "  trade among the other countries (diversion): %.0f bn, %+.2f %% at the peak, "
            "%+.2f %% at end\n\n", ob / BN, tw_report_change_pct(ob, op),
            tw_report_change_pct(ob, oe));
    return tw_report_stream_ok(out, "the trade table", err);
}

/* ---- published estimates (us2025/published_estimates.csv layout) ---------------------- */

/* Why a published number differs from tradewar's by construction, from its model text. */
static const char *model_reason(const char *model, const char *measure)
{
    if (strstr(model, "OLG") != NULL)
        return "dynamic OLG model: capital and wages fall over decades; tradewar is static";
    if (strstr(model, "GTAP") != NULL)
        return "long-run GDP of a GTAP model run with a macro model; tradewar gives real "
               "income (welfare), not GDP";
    if (strstr(model, "TAG") != NULL)
        return "long-run GDP of a tax model (capital, hours); not real income";
    if (strstr(model, "quantitative trade model") != NULL)
        return "same class of model (multi-country GE, IO links); their number is a what-if "
               "(optimal retaliation) tradewar does not build yet";
    if (strstr(measure, "revenue") != NULL || strstr(measure, "deficit") != NULL ||
        strstr(measure, "collections") != NULL)
        return "budget scoring: current imports and dollars, behavioural responses outside a "
               "trade model";
    return "different model and measure";
}

/* Wave in force on date d ("YYYY-MM-DD" or "YYYY-MM"), or n_waves when none. */
static size_t wave_on(const tw_timeline *t, const char *d)
{
    size_t n = tw_timeline_n_waves(t), k = n;
    for (size_t q = 0; q < n; q++)
        if (strncmp(tw_timeline_wave_date(t, q), d, strlen(d)) <= 0)
            k = q;
    return k;
}

tw_status tw_report_published_us2025(const tw_timeline *t, const char *csv_path, FILE *out,
                                     tw_err *err)
{
    if (t == NULL || csv_path == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: NULL argument");
    tw_csv_table *tab = NULL;
    tw_status st = tw_csv_read_file(csv_path, &tab, err);
    if (st != TW_OK)
        return st;
    size_t cs, cd, cm, cc, cme, cv, cu;
    if (!tw_csv_find_column(tab, "source", &cs) || !tw_csv_find_column(tab, "date", &cd) ||
        !tw_csv_find_column(tab, "model", &cm) || !tw_csv_find_column(tab, "country", &cc) ||
        !tw_csv_find_column(tab, "measure", &cme) || !tw_csv_find_column(tab, "value", &cv) ||
        !tw_csv_find_column(tab, "unit", &cu)) {
        tw_csv_free(tab);
        return tw_err_set(err, TW_EPARSE, "%s: expected columns source, date, model, country, "
                          "measure, value, unit", csv_path);
    }
    const tw_world *w = tw_timeline_world(t);
    size_t usa, can, n = tw_timeline_n_waves(t);
    bool have_us = tw_world_find_country(w, "USA", &usa);
    bool have_can = tw_world_find_country(w, "CAN", &can);
    fprintf(out, "Published estimates (%s), against tradewar with the policy in force on each "
            "estimate's date\n", csv_path);
    fprintf(out, "  real income / GDP level (%%):\n");
    const char *model = "";
    size_t shown = 0, same_sign = 0;
    for (size_t r = 0; r < tab->n_rows; r++) {
        const char *m = tw_csv_field(tab, r, cme), *cty = tw_csv_field(tab, r, cc);
        double v;
        if (tw_csv_field(tab, r, cm)[0] != '\0' && strcmp(tw_csv_field(tab, r, cm), "same") != 0)
            model = tw_csv_field(tab, r, cm);
        bool level = strcmp(m, "real_gdp_long_run_level") == 0 || strcmp(m, "welfare") == 0;
        if (!level || tw_csv_parse_double(tw_csv_field(tab, r, cv), &v) != TW_CSV_NUM_OK)
            continue;
        size_t c;
        if (strcmp(cty, "USA") == 0 && have_us)
            c = usa;
        else if (strcmp(cty, "Canada") == 0 && have_can)
            c = can;
        else
            continue;
        size_t k = wave_on(t, tw_csv_field(tab, r, cd));
        double ours = k < n ? pct(t, k, c) : 0.0;
        fprintf(out, "    %-3s %-28.28s %-10s %7.2f  tradewar %+7.3f  (%s)\n",
                tw_world_country_code(w, c), tw_csv_field(tab, r, cs), tw_csv_field(tab, r, cd),
                v, ours, model_reason(model, m));
        shown++;
        same_sign += (v < 0.0) == (ours < 0.0);
    }
    fprintf(out, "  US tariff revenue (USD bn per year):\n");
    model = "";
    for (size_t r = 0; r < tab->n_rows && have_us; r++) {
        const char *m = tw_csv_field(tab, r, cme), *unit = tw_csv_field(tab, r, cu);
        double v;
        if (tw_csv_field(tab, r, cm)[0] != '\0' && strcmp(tw_csv_field(tab, r, cm), "same") != 0)
            model = tw_csv_field(tab, r, cm);
        if (strcmp(unit, "usd_bn") != 0 || strcmp(tw_csv_field(tab, r, cc), "USA") != 0 ||
            (strstr(m, "revenue") == NULL && strstr(m, "deficit") == NULL &&
             strstr(m, "collections") == NULL) ||
            tw_csv_parse_double(tw_csv_field(tab, r, cv), &v) != TW_CSV_NUM_OK)
            continue;
        bool ten = strstr(m, "2026_2035") != NULL || strstr(m, "2025_2034") != NULL ||
                   strstr(m, "10yr") != NULL || strstr(m, "2025_2035") != NULL;
        size_t k = wave_on(t, tw_csv_field(tab, r, cd));
        double ours = tw_report_tariff_revenue_usd(t, k, usa) -
                      tw_report_tariff_revenue_usd(t, n, usa);
        fprintf(out, "    %-28.28s %-10s %-34.34s %8.1f%s  tradewar %+7.1f  (%s)\n",
                tw_csv_field(tab, r, cs), tw_csv_field(tab, r, cd), m, ten ? v / 10.0 : v,
                ten ? "/yr" : "   ", ours / BN, model_reason(model, m));
    }
    fprintf(out, "  tradewar: real income, static CP GE model of the 2017 world (10 regions), "
            "revenue = change in US\n  tariff revenue at 2017 trade values; same sign as the "
            "published level estimate for %zu of %zu.\n  Published GDP effects are long-run "
            "levels of models with capital and labour supply, or budget scores; they are\n  "
            "not the same measure, so compare signs and orders of magnitude.\n\n",
            same_sign, shown);
    tw_csv_free(tab);
    return tw_report_stream_ok(out, "the published estimates", err);
}
