/* SPDX-License-Identifier: MIT */
/*
 * src/report/summary.c: tw_report_world_summary, a readable overview of a baseline world.
 *
 * Four parts: the dimensions and metadata; world totals (value added, gross output,
 * international trade, tariff revenue); one line per country (value added, exports, imports,
 * deficit, tariff revenue); and the `top` largest international flows, first summed over
 * sectors, then by sector. Money is printed with 2 decimals in billions of the world's
 * currency, or in millions or units when world value added is below 100 billion or 100
 * million (small test worlds), so that the table never shows only zeros. Flows are ranked
 * by value, ties broken by exporter, importer and sector index, so the listing is
 * deterministic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "report/report_int.h"

/* The unit money is printed in. */
struct money {
    double scale;     /* divide amounts by this */
    const char *unit; /* "bn", "mn" or "units" */
};

/* One international flow: exporter i to importer j in sector s (SIZE_MAX when summed). */
struct ranked_flow {
    double value; /* USD */
    size_t i, j, s;
};

static int compare_flows(const void *pa, const void *pb)
{
    const struct ranked_flow *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return 0;
}

static size_t count_tradable(const tw_world *w)
{
    size_t n = 0;
    for (size_t s = 0; s < tw_world_n_sector(w); s++)
        n += tw_world_sector_is_tradable(w, s) ? 1 : 0;
    return n;
}

/* Metadata value, or "-" when the bundle does not give it. */
static const char *meta(const tw_world *w, const char *key)
{
    const char *v = tw_world_meta(w, key);
    return v[0] != '\0' ? v : "-";
}

static void print_meta(const tw_world *w, FILE *out)
{
    fprintf(out, "world \"%s\"\n", tw_world_meta(w, "name"));
    fprintf(out, "  year      %s\n", meta(w, "year"));
    fprintf(out, "  currency  %s\n", meta(w, "currency"));
    fprintf(out, "  source    %s\n", meta(w, "source"));
    fprintf(out, "  size      %zu countries x %zu sectors (%zu tradable)\n\n",
            tw_world_n_country(w), tw_world_n_sector(w), count_tradable(w));
}

static double world_value_added(const tw_world *w)
{
    double va = 0.0;
    for (size_t c = 0; c < tw_world_n_country(w); c++)
        va += tw_world_value_added(w, c);
    return va;
}

static struct money choose_money(const tw_world *w)
{
    double va = world_value_added(w);
    if (va >= 1e11)
        return (struct money){1e9, "bn"};
    if (va >= 1e8)
        return (struct money){1e6, "mn"};
    return (struct money){1.0, "units"};
}

static void print_totals(const tw_world *w, struct money m, FILE *out)
{
    double go = 0.0, trade = 0.0, rev = 0.0;
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        trade += tw_world_exports(w, c);
        rev += tw_world_tariff_revenue(w, c);
        for (size_t s = 0; s < tw_world_n_sector(w); s++)
            go += tw_world_gross_output(w, c, s);
    }
    fprintf(out, "world totals (%s):\n", m.unit);
    fprintf(out, "  value added          %14.2f\n", world_value_added(w) / m.scale);
    fprintf(out, "  gross output         %14.2f\n", go / m.scale);
    fprintf(out, "  international trade  %14.2f\n", trade / m.scale);
    fprintf(out, "  tariff revenue       %14.2f\n\n", rev / m.scale);
}

static int code_width(const tw_world *w)
{
    size_t width = strlen("exporter");
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        size_t len = strlen(tw_world_country_code(w, c));
        if (len > width)
            width = len;
    }
    return width > 64 ? 64 : (int)width;
}

/* An amount with 2 decimals in a 12-wide column. */
static void print_money(double x, struct money m, FILE *out)
{
    fprintf(out, " %12.2f", tw_report_no_negative_zero(x / m.scale, 2));
}

static void print_countries(const tw_world *w, struct money m, int cw, FILE *out)
{
    fprintf(out, "countries (%s; deficit = imports - exports):\n", m.unit);
    fprintf(out, "  %-*s %12s %12s %12s %12s %12s  %s\n", cw, "country", "value added",
            "exports", "imports", "deficit", "tariff rev", "name");
    for (size_t c = 0; c < tw_world_n_country(w); c++) {
        fprintf(out, "  %-*s", cw, tw_world_country_code(w, c));
        print_money(tw_world_value_added(w, c), m, out);
        print_money(tw_world_exports(w, c), m, out);
        print_money(tw_world_imports(w, c), m, out);
        print_money(tw_world_deficit(w, c), m, out);
        print_money(tw_world_tariff_revenue(w, c), m, out);
        fprintf(out, "  %s\n", tw_world_country_name(w, c));
    }
    fputc('\n', out);
}

/* Fill `f` with the positive international flows, summed over sectors when by_sector is
 * false; returns how many were stored. `f` holds N*N*S entries. */
static size_t collect_flows(const tw_world *w, bool by_sector, struct ranked_flow *f)
{
    size_t n = tw_world_n_country(w), n_sector = tw_world_n_sector(w), k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            double sum = 0.0;
            for (size_t s = 0; s < n_sector; s++) {
                double v = tw_world_flow(w, i, j, s);
                sum += v;
                if (by_sector && v > 0.0)
                    f[k++] = (struct ranked_flow){v, i, j, s};
            }
            if (!by_sector && sum > 0.0)
                f[k++] = (struct ranked_flow){sum, i, j, SIZE_MAX};
        }
    qsort(f, k, sizeof *f, compare_flows);
    return k;
}

/* How to print a ranking. */
struct ranking {
    bool by_sector; /* flows by sector, or summed over sectors */
    size_t top;     /* how many to print */
    double total;   /* world trade, for the shares */
    struct money m;
    int cw;         /* width of a country code */
};

static void print_top(const tw_world *w, const struct ranked_flow *f, size_t n,
                      const struct ranking *rk, FILE *out)
{
    size_t top = rk->top;
    fprintf(out, "top %zu international flows%s (%s; share of world trade):\n",
            top < n ? top : n, rk->by_sector ? " by sector" : ", summed over sectors",
            rk->m.unit);
    for (size_t k = 0; k < n && k < top; k++) {
        fprintf(out, "  %4zu  %-*s -> %-*s %12.2f %7.2f%%", k + 1, rk->cw,
                tw_world_country_code(w, f[k].i), rk->cw, tw_world_country_code(w, f[k].j),
                f[k].value / rk->m.scale, rk->total > 0.0 ? 100.0 * f[k].value / rk->total : 0.0);
        if (rk->by_sector)
            fprintf(out, "  %s", tw_world_sector_code(w, f[k].s));
        fputc('\n', out);
    }
}

static tw_status print_flows(const tw_world *w, struct ranking *rk, FILE *out, tw_err *err)
{
    size_t n = tw_world_n_country(w);
    size_t n_cell = n * n; /* the world's own arrays hold N*N*S cells, so this cannot wrap */
    struct ranked_flow *f = tw_calloc(n_cell * tw_world_n_sector(w), sizeof *f);
    if (f == NULL)
        return tw_err_set(err, TW_ENOMEM, "report: world summary: out of memory");
    rk->total = 0.0;
    for (size_t c = 0; c < n; c++)
        rk->total += tw_world_exports(w, c);
    rk->by_sector = false;
    print_top(w, f, collect_flows(w, false, f), rk, out);
    fputc('\n', out);
    rk->by_sector = true;
    print_top(w, f, collect_flows(w, true, f), rk, out);
    tw_free(f);
    return TW_OK;
}

tw_status tw_report_world_summary(const tw_world *w, size_t top, FILE *out, tw_err *err)
{
    if (w == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "report: world summary: world and stream are "
                                          "required");
    struct ranking rk = {.top = top, .m = choose_money(w), .cw = code_width(w)};
    print_meta(w, out);
    print_totals(w, rk.m, out);
    print_countries(w, rk.m, rk.cw, out);
    if (top > 0) {
        tw_status st = print_flows(w, &rk, out, err);
        if (st != TW_OK)
            return st;
    }
    return tw_report_stream_ok(out, "the world summary", err);
}
