/* SPDX-License-Identifier: MIT */
/*
 * src/report/table.c: tw_report_table, the readable fixed-width table of country results.
 *
 * One row per country in the world's order. The columns come from a const table (`cols`), so
 * adding one is one line: which measure, how to transform it, its header and its format. The
 * first columns follow Caliendo and Parro (2015), Table 2: welfare (the decomposition total),
 * terms of trade, volume of trade, real wage; then the exact real-income change, the
 * equivalent variation in USD billions, the tariff-revenue ratio and the trade changes.
 * Percentages are printed with 2 decimals, as the paper does. A header states the world and
 * the deficit treatment; a footer gives each solver stage's status, iterations and residual,
 * so a table can never be mistaken for a converged one when it is not.
 */
#include <math.h>
#include <string.h>

#include "report/report_int.h"

/* How a column's printed value is derived from its measure. */
enum col_transform {
    COL_AS_IS,      /* the measure itself (already a %, or a hat) */
    COL_BILLIONS,   /* USD -> USD bn */
    COL_PCT_OF_HAT  /* 100 * (hat - 1) */
};

struct table_col {
    tw_country_measure measure;
    enum col_transform transform;
    const char *head1; /* first header line */
    const char *head2; /* second header line: the unit */
    int width;         /* printed width, >= strlen of both header lines */
    int decimals;
};

static const struct table_col cols[] = {
    {TW_C_WELFARE_PCT, COL_AS_IS, "welfare", "%", 8, 2},
    {TW_C_TOT_PCT, COL_AS_IS, "ToT", "%", 8, 2},
    {TW_C_VOT_PCT, COL_AS_IS, "VoT", "%", 8, 2},
    {TW_C_REAL_INCOME_PCT, COL_AS_IS, "real inc", "%", 9, 2},
    {TW_C_REAL_WAGE_PCT, COL_AS_IS, "real wage", "%", 10, 2},
    {TW_C_WELFARE_USD, COL_BILLIONS, "welfare", "USD bn", 10, 2},
    {TW_C_TARIFF_REVENUE_HAT, COL_AS_IS, "tariff rev", "hat", 11, 4},
    {TW_C_EXPORTS_HAT, COL_PCT_OF_HAT, "exports", "%", 9, 2},
    {TW_C_IMPORTS_HAT, COL_PCT_OF_HAT, "imports", "%", 9, 2},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static double col_value(const tw_result *r, const struct table_col *col, size_t c)
{
    double x = tw_result_country(r, col->measure, c);
    switch (col->transform) {
    case COL_BILLIONS: return x / 1e9;
    case COL_PCT_OF_HAT: return tw_report_pct(x);
    case COL_AS_IS: break;
    }
    return x;
}

static int code_width(const tw_world *w)
{
    size_t width = strlen("country");
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        size_t len = strlen(tw_world_country_code(w, c));
        if (len > width)
            width = len;
    }
    return width > 64 ? 64 : (int)width;
}

static void print_header(const tw_result *r, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    const char *name = tw_world_meta(w, "name");
    const char *year = tw_world_meta(w, "year");
    fprintf(out, "counterfactual relative to baseline: world \"%s\"%s%s%s, %zu countries x %zu "
                 "sectors\n",
            name[0] ? name : "(unnamed)", year[0] ? " (" : "", year, year[0] ? ")" : "",
            tw_world_n_country(w), tw_world_n_sector(w));
    if (tw_result_deficits(r) == TW_DEFICITS_ZERO)
        fputs("deficits: zero (both stages solved with balanced trade, as in CP2015 Table 2)\n",
              out);
    else
        fputs("deficits: data (held at their data values in both stages)\n", out);
    if (!tw_result_converged(r))
        fputs("WARNING: the solver did not converge; the values below are its last iterate, "
              "not an equilibrium\n",
              out);
    fputc('\n', out);
}

static void print_column_heads(int cw, FILE *out)
{
    fprintf(out, "%-*s", cw, "");
    for (size_t k = 0; k < N_COLS; k++)
        fprintf(out, " %*s", cols[k].width, cols[k].head1);
    fprintf(out, "\n%-*s", cw, "country");
    for (size_t k = 0; k < N_COLS; k++)
        fprintf(out, " %*s", cols[k].width, cols[k].head2);
    fputc('\n', out);
    for (int i = 0; i < cw; i++)
        fputc('-', out);
    for (size_t k = 0; k < N_COLS; k++) {
        fputc(' ', out);
        for (int i = 0; i < cols[k].width; i++)
            fputc('-', out);
    }
    fputc('\n', out);
}

static void print_rows(const tw_result *r, int cw, FILE *out)
{
    const tw_world *w = tw_result_world(r);
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        fprintf(out, "%-*s", cw, tw_world_country_code(w, c));
        for (size_t k = 0; k < N_COLS; k++) {
            double x = col_value(r, &cols[k], c);
            if (isfinite(x))
                fprintf(out, " %*.*f", cols[k].width, cols[k].decimals,
                        tw_report_no_negative_zero(x, cols[k].decimals));
            else
                fprintf(out, " %*s", cols[k].width, "n/a");
        }
        fputc('\n', out);
    }
}

static void print_stage(const tw_result *r, tw_stage stage, FILE *out)
{
    tw_solver_info info;
    tw_result_solver(r, stage, &info);
    fprintf(out, "  %-15s %s, %zu iterations, residual %.3g, trade balance residual %.3g (%s)\n",
            tw_report_stage_name(stage), tw_status_str(info.status), info.iterations,
            info.residual, info.trade_balance_residual, info.reason);
}

static void print_footer(const tw_result *r, FILE *out)
{
    fputs("\nwelfare = ToT + VoT (CP2015 decomposition, % of baseline income); real inc = exact "
          "change in I/P;\n"
          "welfare USD bn = equivalent variation; exports and imports exclude domestic sales.\n"
          "solver:\n",
          out);
    print_stage(r, TW_STAGE_BASELINE, out);
    print_stage(r, TW_STAGE_COUNTERFACTUAL, out);
}

tw_status tw_report_table(const tw_result *r, FILE *out, tw_err *err)
{
    if (r == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: table: result and stream are required");
    int cw = code_width(tw_result_world(r));
    print_header(r, out);
    print_column_heads(cw, out);
    print_rows(r, cw, out);
    print_footer(r, out);
    return tw_report_stream_ok(out, "the results table", err);
}
