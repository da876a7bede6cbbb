/* SPDX-License-Identifier: MIT */
/*
 * src/io/uschina_write.c: the audit report and the YAML action items of a derived
 * tw_uschina (uschina.h), and the public entry point tw_uschina_derive.
 *
 * The report is plain text, fixed width, meant to be read and diffed: every number in it is
 * computed from the data files (the Bown averages and the BJZ figure are read from their
 * CSVs), so a reader can audit each derived change against its sources. The YAML items follow
 * docs/scenarios.md; the scenario files that use them are assembled by hand from the groups.
 */
#include <math.h>
#include <string.h>

#include "io/uschina.h"

/* NAN is a float constant; the code computes in double. */
#define NaN ((double)NAN)

#define NS TW_USCHINA_NS

/* Sector changes are written rounded to 1 / YAML_SCALE (a fraction; 1e-6 pp). */
#define YAML_SCALE 1e8

static const char *method_name(enum tw_uschina_method m)
{
    switch (m) {
    case TW_USCHINA_PRODUCT: return "product";
    case TW_USCHINA_SERIES: return "series";
    case TW_USCHINA_RATIO: return "ratio";
    case TW_USCHINA_REMAINDER: return "remainder";
    case TW_USCHINA_STATUTORY: return "statutory";
    case TW_USCHINA_NONE: break;
    }
    return "-";
}

/* A number in a fixed width, or "-" when NaN. */
static void put_num(FILE *f, int width, int prec, double x)
{
    if (isnan(x))
        fprintf(f, " %*s", width, "-");
    else
        fprintf(f, " %*.*f", width, prec, x);
}

static void put_pp(FILE *f, int width, double x)
{
    if (isnan(x))
        fprintf(f, " %*s", width, "-");
    else
        fprintf(f, " %+*.2f", width, x);
}

static void sector_header(FILE *f, int width)
{
    const struct tw_concord_sector *sec = tw_concord_sectors();
    for (size_t s = 0; s < NS; s++)
        fprintf(f, " %*s", width, sec[s].code);
}

/* ---- section 1: weights and pre-war levels -------------------------------------------------- */

static void report_weights(const struct tw_uschina *u, FILE *f)
{
    const struct tw_concord_sector *sec = tw_concord_sectors();
    char d1[16], d2[16];
    double t[3] = {0};
    tw_day_format(u->us_base_month, d1);
    tw_day_format(u->cn_base_date, d2);
    fprintf(f, "1. Weights: 2017 bilateral trade by sector (USD bn), and pre-war tariffs (%%)\n\n");
    fprintf(f, "%-6s %14s %14s %14s   %14s %14s\n", "sector", "US imp. from", "China imp.",
            "US exp. to", "US on China", "China on US");
    fprintf(f, "%-6s %14s %14s %14s   %14s %14s\n", "", "China (NAICS)", "from US (HS)",
            "China (NAICS)", d1, d2);
    for (size_t s = 0; s < NS; s++) {
        fprintf(f, "%-6s", sec[s].code);
        put_num(f, 14, 2, u->us_w[s] / 1e9);
        put_num(f, 14, 2, u->cn_w[s] / 1e9);
        put_num(f, 14, 2, u->cnx_w[s] / 1e9);
        fprintf(f, "  ");
        put_num(f, 14, 2, u->us_w[s] > 0.0 ? u->us_base_pct[s] : NaN);
        put_num(f, 14, 2, u->cn_w[s] > 0.0 ? u->cn_base_pct[s] : NaN);
        fprintf(f, "\n");
        t[0] += u->us_w[s] / 1e9;
        t[1] += u->cn_w[s] / 1e9;
        t[2] += u->cnx_w[s] / 1e9;
    }
    fprintf(f, "%-6s", "total");
    for (size_t k = 0; k < 3; k++)
        put_num(f, 14, 2, t[k]);
    fprintf(f, "  ");
    put_num(f, 14, 2, u->us_base_avg);
    put_num(f, 14, 2, u->cn_base_avg);
    fprintf(f, "\n\nLeft out of the weights:\n"
            "  NAICS special codes (scrap, used goods, returns, special provisions): %.2f bn of "
            "US imports\n  from China, %.2f bn of US exports to China;\n"
            "  China's imports in HS chapters mapped to no sector (98-99): %.2f bn of %.2f bn.\n"
            "China's HS8 values without an HS10 line, spread over their HS6's lines: %.2f bn; "
            "matching\nnothing (dropped): %.2f bn.\n\n",
            u->us_excluded_usd / 1e9, u->cnx_excluded_usd / 1e9, u->prod.excluded_usd / 1e9,
            u->prod.imports_usd / 1e9, u->prod.hs6_usd / 1e9, u->prod.unmatched_usd / 1e9);
}

/* ---- section 2: the audit table ------------------------------------------------------------ */

static void table_row(const struct tw_uschina *u, const struct tw_uschina_action *a, FILE *f)
{
    char d[16];
    tw_day_format(a->effective, d);
    fprintf(f, "%-15s %-10.10s %-7s %-9s", a->id,
            a->effective == TW_DAY_NONE ? a->effective_text : d,
            a->imposer[0] ? (strcmp(a->imposer, "USA") == 0 ? "USA>CHN" : "CHN>USA") : "-",
            a->kind == TW_USCHINA_SKIPPED ? "skipped" : method_name(a->method));
    put_num(f, 6, 1, a->covered_bn);
    put_num(f, 6, 1, a->announced_bn);
    bool show = a->kind != TW_USCHINA_SKIPPED;
    for (size_t s = 0; s < NS; s++)
        put_pp(f, 6, show ? 100.0 * a->change[s] : NaN);
    put_pp(f, 6, show ? a->overall_pp : NaN);
    put_num(f, 6, 2, a->avg_after_pct);
    if (a->has_bown) {
        const struct tw_uschina_bown *b = &u->bown[a->bown];
        double v = strcmp(a->imposer, "USA") == 0 ? b->us_pct : b->cn_pct;
        put_num(f, 6, 1, v);
        fprintf(f, " %-10s", b->date_text);
        put_pp(f, 6, a->avg_after_pct - v);
    }
    fprintf(f, "\n");
}

static void report_table(const struct tw_uschina *u, FILE *f)
{
    static const enum tw_uschina_kind order[3] = {TW_USCHINA_IMPLEMENTED, TW_USCHINA_PLANNED,
                                                  TW_USCHINA_SKIPPED};
    static const char *const titles[3] = {
        "took effect (emitted: group \"implemented\")",
        ("suspended or cancelled: left out of the implemented group; derived for group "
         "\"planned\" (never in force)"),
        "skipped (not emitted; see the notes)"};
    fprintf(f, "2. Actions: change of the trade-weighted bilateral sector tariff (pp)\n\n"
               "cover = trade covered, derived (USD bn); annc = announced value from the "
               "actions file; all = overall\nchange; avg = implied overall average after the "
               "action (%%); Bown = Bown's actual average for the\nsame period (first point on "
               "or after the date, before the next action), its date, and avg - Bown.\n\n");
    fprintf(f, "%-15s %-10s %-7s %-9s %6s %6s", "id", "effective", "by", "method", "cover",
            "annc");
    sector_header(f, 6);
    fprintf(f, " %6s %6s %6s %-10s %6s\n", "all", "avg", "Bown", " date", "diff");
    for (size_t g = 0; g < 3; g++) {
        fprintf(f, "-- %s\n", titles[g]);
        for (size_t k = 0; k < u->n_action; k++)
            if (u->actions[k].kind == order[g])
                table_row(u, &u->actions[k], f);
    }
    fprintf(f, "\nNotes\n");
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        fprintf(f, "  %-15s %s (%s; %s; rate %s; status %s)", a->id, a->note, a->list,
                a->authority, a->rate_text[0] ? a->rate_text : "-", a->status);
        if (!isnan(a->series_check_pp))
            fprintf(f, "; the series over the same window shows %+.2f pp overall",
                    a->series_check_pp);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

/* ---- sections 3-4: MFN changes, Bown's points ---------------------------------------------- */

static void report_mfn(const struct tw_uschina *u, FILE *f)
{
    fprintf(f, "3. China's MFN changes in the product file (apply to every exporter; not "
               "emitted as bilateral actions)\n\n%-28s %-10s %6s", "event", "date", "cover");
    sector_header(f, 6);
    fprintf(f, " %6s\n", "all");
    for (size_t k = 0; k < u->n_mfn; k++) {
        const struct tw_uschina_mfn *m = &u->mfn[k];
        char d[16];
        tw_day_format(m->date, d);
        fprintf(f, "%-28s %-10s", m->event, d);
        put_num(f, 6, 1, m->covered_bn);
        for (size_t s = 0; s < NS; s++)
            put_pp(f, 6, 100.0 * m->change[s]);
        put_pp(f, 6, m->overall_pp);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

/* Implied overall average of an imposer on `date`: pre-war + emitted implemented actions. */
static double implied_at(const struct tw_uschina *u, const char *imposer, tw_day date)
{
    double v = strcmp(imposer, "USA") == 0 ? u->us_base_avg : u->cn_base_avg;
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        if (a->kind == TW_USCHINA_IMPLEMENTED && a->visible &&
            strcmp(a->imposer, imposer) == 0 && a->effective <= date)
            v += a->overall_pp;
    }
    return v;
}

static double mfn_to(const struct tw_uschina *u, tw_day date)
{
    double v = 0.0;
    for (size_t k = 0; k < u->n_mfn; k++)
        if (u->mfn[k].date <= date)
            v += u->mfn[k].overall_pp;
    return v;
}

static void report_bown(const struct tw_uschina *u, FILE *f)
{
    fprintf(f, "4. Bown's actual averages (bown_average_tariff_points.csv) and the implied "
               "averages on the same dates (%%)\n   (China +MFN adds China's MFN changes to "
               "date from section 3; diff = implied - Bown)\n\n%-11s %7s %7s %7s   %7s %7s %7s %7s  %s\n", "date",
            "US Bown", "implied", "diff", "CN Bown", "implied", "+MFN", "diff", "kind");
    for (size_t b = 0; b < u->n_bown; b++) {
        const struct tw_uschina_bown *p = &u->bown[b];
        if (!p->actual || (isnan(p->us_pct) && isnan(p->cn_pct)))
            continue;
        double us = implied_at(u, "USA", p->date), cn = implied_at(u, "CHN", p->date);
        double cnm = cn + mfn_to(u, p->date);
        fprintf(f, "%-11s", p->date_text);
        put_num(f, 7, 2, p->us_pct);
        put_num(f, 7, 2, isnan(p->us_pct) ? NaN : us);
        put_pp(f, 7, us - p->us_pct);
        fprintf(f, "  ");
        put_num(f, 7, 2, p->cn_pct);
        put_num(f, 7, 2, isnan(p->cn_pct) ? NaN : cn);
        put_num(f, 7, 2, isnan(p->cn_pct) ? NaN : cnm);
        put_pp(f, 7, cnm - p->cn_pct);
        fprintf(f, "  %s\n", p->kind);
    }
    fprintf(f, "\n");
}

/* ---- section 5: checks ------------------------------------------------------------------- */

static void report_checks(const struct tw_uschina *u, FILE *f)
{
    const struct tw_uschina_products *p = &u->prod;
    fprintf(f, "5. Checks\n\nChina's average tariff on US goods from the product file, "
               "weighted by China's 2017 imports from\nthe US (this derivation), next to the "
               "BJZ workbook's figure 1 (weighted by US exports to the world):\n\n"
               "%-10s %-30s %8s %8s\n", "date", "event", "derived", "BJZ fig1");
    for (size_t e = 0; e < p->n_event; e++) {
        char d[16];
        double bjz = NaN;
        tw_day_format(p->event_date[e], d);
        for (size_t k = 0; k < u->n_bjz; k++)
            if (u->bjz_dates[k] == p->event_date[e])
                bjz = u->bjz_avg_pct[k];
        /* several events on one date: print the level after the last of them */
        if (e + 1 < p->n_event && p->event_date[e + 1] == p->event_date[e])
            continue;
        fprintf(f, "%-10s %-30s", d, p->event[e]);
        put_num(f, 8, 2, tw_uschina_products_avg(p, e));
        put_num(f, 8, 2, bjz);
        fprintf(f, "\n");
    }
    fprintf(f, "\nUS average tariff on Chinese goods from the NAICS3 series at the end of each "
               "window: README method\n(that month's trade as weights, every code) and this "
               "derivation's (2017 weights, mapped codes):\n\n%-8s %-15s %9s %9s\n", "month",
            "after", "monthly w", "2017 w");
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        if (strcmp(a->imposer, "USA") != 0 || a->after == TW_DAY_NONE)
            continue;
        double m = NaN, w = NaN;
        int ym = tw_uschina_ym(a->after);
        tw_uschina_series_avg(&u->us, ym, true, false, &m);
        tw_uschina_series_avg(&u->us, ym, false, true, &w);
        fprintf(f, "%04d-%02d  %-15s", ym / 12, ym % 12 + 1, a->id);
        put_num(f, 9, 2, m);
        put_num(f, 9, 2, w);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

/* ---- section 6: US list coverage ------------------------------------------------------------- */

static void report_lists(const struct tw_uschina *u, FILE *f)
{
    fprintf(f, "6. US Section 301 lists: tariff lines by sector (coverage audit, not used for "
               "rates)\n   announced = tariff_lines of the action whose list_or_batch names "
               "the list\n\n%-5s %-11s", "list", "source");
    sector_header(f, 5);
    fprintf(f, " %5s %6s %6s %9s\n", "excl", "total", "hts10", "announced");
    for (size_t k = 0; k < u->n_lists; k++) {
        const struct tw_uschina_list_count *c = &u->lists[k];
        char name[16];
        const char *ann = "-";
        snprintf(name, sizeof name, "List %s", c->list);
        for (size_t q = 0; q < u->n_action; q++)
            if (strcmp(u->actions[q].list, name) == 0 && u->actions[q].tariff_lines[0])
                ann = u->actions[q].tariff_lines;
        fprintf(f, "%-5s %-11s", c->list, c->source);
        for (size_t s = 0; s < NS; s++)
            fprintf(f, " %5zu", c->n[s]);
        fprintf(f, " %5zu %6zu %6zu %9s\n", c->n_excluded, c->total, c->n_hts10, ann);
    }
    fprintf(f, "\n");
}

tw_status tw_uschina_write_report(const struct tw_uschina *u, FILE *f, tw_err *err)
{
    if (u == NULL || f == NULL)
        return tw_err_set(err, TW_EINVAL, "uschina: result and stream are required");
    fprintf(f, "tradewar derive uschina: US-China trade-war actions as changes of the "
               "bilateral sector tariffs\ndata: %s\nconcordances: data/concordance/ "
               "(docs/concordances.md)\n\n", u->dir);
    report_weights(u, f);
    report_table(u, f);
    report_mfn(u, f);
    report_bown(u, f);
    report_checks(u, f);
    report_lists(u, f);
    if (fflush(f) != 0 || ferror(f))
        return tw_err_set(err, TW_EIO, "uschina: writing the report failed");
    return TW_OK;
}

/* ---- YAML -------------------------------------------------------------------------------- */

/* A YAML double-quoted scalar. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('"', f);
}

static void yaml_item(const struct tw_uschina_action *a, FILE *f)
{
    const struct tw_concord_sector *sec = tw_concord_sectors();
    char d[16], label[256];
    tw_day_format(a->effective, d);
    fprintf(f, "  # %s: %s; derived covered trade ", a->id, a->note);
    if (isnan(a->covered_bn))
        fprintf(f, "n/a");
    else
        fprintf(f, "%.1f bn", a->covered_bn);
    fprintf(f, "; announced %s (%s)\n", a->announced_text[0] ? a->announced_text : "-",
            a->announced_basis[0] ? a->announced_basis : "no basis given");
    snprintf(label, sizeof label, "%s%s (%s)",
             a->kind == TW_USCHINA_PLANNED ? "planned, never in force: " : "", a->list,
             a->authority);
    fprintf(f, "  - id: %s\n    label: ", a->id);
    put_quoted(f, label);
    fprintf(f, "\n    type: tariff\n    imposer: %s\n    target: %s\n    rate: {add: {",
            a->imposer, a->target);
    bool first = true;
    for (size_t s = 0; s < NS; s++) {
        /* Output precision: 1e-8 (1e-6 percentage points), so that the series' rounding
         * noise (1e-19) does not appear as a sector change. */
        double x = round(a->change[s] * YAML_SCALE) / YAML_SCALE;
        if (x == 0.0)
            continue;
        fprintf(f, "%s%s: %.6g", first ? "" : ", ", sec[s].code, x);
        first = false;
    }
    fprintf(f, "}}\n    effective: %s\n", d);
    if (a->end != TW_DAY_NONE) {
        tw_day_format(a->end, d);
        fprintf(f, "    end: %s\n", d);
    }
    if (!isnan(a->announced_bn))
        fprintf(f, "    covered_usd_bn: %.6g\n", a->announced_bn);
}

tw_status tw_uschina_write_yaml(const struct tw_uschina *u, FILE *f, tw_err *err)
{
    if (u == NULL || f == NULL)
        return tw_err_set(err, TW_EINVAL, "uschina: result and stream are required");
    fprintf(f, "# Derived by tradewar derive uschina from %s.\n"
               "# Sector changes are trade-weighted changes of the bilateral sector tariff "
               "(fractions);\n# see docs/concordances.md. Two groups: actions that took "
               "effect, then planned ones.\nactions:\n", u->dir);
    static const enum tw_uschina_kind kinds[2] = {TW_USCHINA_IMPLEMENTED, TW_USCHINA_PLANNED};
    static const char *const titles[2] = {
        ("group: implemented (took effect; use up to a date for the 2018-2019 and 2020 "
         "scenarios)"),
        "group: planned (suspended or cancelled: never in force; escalation scenarios only)"};
    for (size_t g = 0; g < 2; g++) {
        fprintf(f, "\n  # ---- %s\n", titles[g]);
        for (size_t k = 0; k < u->n_action; k++) {
            const struct tw_uschina_action *a = &u->actions[k];
            if (a->kind == kinds[g] && a->visible)
                yaml_item(a, f);
        }
    }
    if (fflush(f) != 0 || ferror(f))
        return tw_err_set(err, TW_EIO, "uschina: writing the YAML failed");
    return TW_OK;
}

/* The scenario library files built from the derived actions. */
struct scenario_spec {
    const char *name;
    const char *description;
    const char *until;      /* default end of the cost cumulation */
    const char *cutoff;     /* implemented actions effective on or before this date */
    bool planned;           /* include the planned (never in force) actions */
};

static const struct scenario_spec scenario_specs[] = {
    {"us-china-2018-2019",
     "The 2018-2019 US-China trade war, wave by wave (tariffs in force to the end of 2019)",
     "2019-12-31", "2019-12-31", false},
    {"phase-one-2020",
     "The trade war after the Phase One deal: list 4A to 7.5 %, China's Sep-2019 tariffs "
     "halved, list 4B never imposed (2020-02-14)", "2020-12-31", "9999-12-31", false},
    {"escalation-2019-planned",
     "The escalation threatened in 2019: list 4B at 15 % and lists 1-3 at 30 % on top of "
     "the tariffs in force", "2020-12-31", "2019-12-31", true},
};

tw_status tw_uschina_write_scenario(const char *dir, const char *name, FILE *out, tw_err *err)
{
    const struct scenario_spec *sp = NULL;
    for (size_t k = 0; k < sizeof scenario_specs / sizeof scenario_specs[0]; k++)
        if (name != NULL && strcmp(scenario_specs[k].name, name) == 0)
            sp = &scenario_specs[k];
    if (sp == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "uschina: unknown scenario \"%s\", expected "
                          "us-china-2018-2019, phase-one-2020 or escalation-2019-planned",
                          name ? name : "(null)");
    tw_day cutoff;
    if (!tw_day_parse(sp->cutoff, &cutoff))
        return tw_err_set(err, TW_EINTERNAL, "uschina: bad cutoff date %s", sp->cutoff);
    struct tw_uschina *u = NULL;
    tw_status st = tw_uschina_compute(dir, NULL, &u, err);
    if (st != TW_OK)
        return st;
    fprintf(out, "# Generated by `tradewar derive uschina DATA --scenario %s` from the shared\n"
                 "# US-China data (uschina/: actions, BJZ product tariffs, Waugh NAICS3 series);\n"
                 "# method and audit in docs/concordances.md. Do not edit by hand: regenerate\n"
                 "# with scripts/gen-scenarios.sh (CI checks that this file is current).\n",
            sp->name);
    fprintf(out, "name: %s\ndescription: ", sp->name);
    put_quoted(out, sp->description);
    fprintf(out, "\nworld: default\ndeficits: data\nstart: 2018-01-01\nuntil: %s\nactions:\n",
            sp->until);
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        bool in = a->visible &&
                  ((a->kind == TW_USCHINA_IMPLEMENTED && a->effective <= cutoff) ||
                   (sp->planned && a->kind == TW_USCHINA_PLANNED));
        if (in)
            yaml_item(a, out);
    }
    tw_uschina_free(u);
    if (fflush(out) != 0 || ferror(out))
        return tw_err_set(err, TW_EIO, "uschina: writing the scenario failed");
    return TW_OK;
}

tw_status tw_uschina_derive(const char *dir, const tw_uschina_opts *opts, FILE *report,
                            FILE *yaml, tw_err *err)
{
    struct tw_uschina *u = NULL;
    tw_status st = tw_uschina_compute(dir, opts, &u, err);
    if (st == TW_OK && report != NULL)
        st = tw_uschina_write_report(u, report, err);
    if (st == TW_OK && yaml != NULL)
        st = tw_uschina_write_yaml(u, yaml, err);
    tw_uschina_free(u);
    return st;
}
