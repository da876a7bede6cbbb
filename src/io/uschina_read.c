/* SPDX-License-Identifier: MIT */
/*
 * src/io/uschina_read.c: readers for the files of the shared `uschina/` folder (see its
 * README.md): the action timeline, Waugh's monthly NAICS3 tariff series and 2017 weights,
 * the Bown-Jung-Zhang product file joined with China's 2017 imports from the US, Bown's
 * average-tariff points, the BJZ figure-1 averages and the US Section 301 product lists.
 *
 * Every reader checks the columns it needs by name and every number it parses, and reports
 * `uschina: <path>:<line>:<col>: ...` on the first problem. Codes are read as text (leading
 * zeros matter). Codes that the concordances (io/concord.h) do not know are errors, so a new
 * NAICS or HS code in the data cannot be dropped silently; codes the concordances exclude on
 * purpose are counted and reported by the caller.
 *
 * Product weights: an HS8's 2017 import value is split equally over the HS10 lines of that
 * HS8 in the product file; an HS8 without lines is spread over the lines of its HS6 when
 * `hs6_fallback` is set (the README's own check uses exact HS8 matches only, which is the
 * same except for these few values); what matches nothing is counted as unmatched.
 * Ownership: the readers fill caller structs whose arrays they allocate; the _clear functions
 * free them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "io/csv.h"
#include "io/uschina.h"

/* NAN is a float constant; the code computes in double. */
#define NaN ((double)NAN)

/* ---- helpers ---------------------------------------------------------------------------- */

static tw_status open_table(const char *path, tw_csv_table **t, tw_err *err)
{
    tw_status st = tw_csv_read_file(path, t, err);
    if (st != TW_OK)
        tw_err_prefix(err, "uschina");
    return st;
}

static tw_status need_col(const tw_csv_table *t, const char *name, size_t *c, tw_err *err)
{
    if (tw_csv_find_column(t, name, c))
        return TW_OK;
    return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu: missing column \"%s\"", t->name,
                      tw_csv_header_line(t), name);
}

/* A number cell; an empty cell gives NaN when empty_ok, else an error. */
static tw_status get_num(const tw_csv_table *t, size_t r, size_t c, bool empty_ok, double *x,
                         tw_err *err)
{
    const char *f = tw_csv_field(t, r, c);
    char show[48];
    switch (tw_csv_parse_double(f, x)) {
    case TW_CSV_NUM_OK:
        return TW_OK;
    case TW_CSV_NUM_EMPTY:
        if (empty_ok) {
            *x = NaN;
            return TW_OK;
        }
        return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: %s is empty, expected a number",
                          t->name, tw_csv_line(t, r, c), c + 1, tw_csv_header(t, c));
    default:
        return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: %s: expected a number, got "
                          "\"%s\"", t->name, tw_csv_line(t, r, c), c + 1, tw_csv_header(t, c),
                          tw_csv_excerpt(f, show, sizeof show));
    }
}

/* Copy a field into a fixed buffer (truncating). */
static void copy_field(char *dst, size_t cap, const tw_csv_table *t, size_t r, size_t c)
{
    snprintf(dst, cap, "%s", tw_csv_field(t, r, c));
}

int tw_uschina_ym(tw_day d)
{
    int y, m, dd;
    tw_day_to_ymd(d, &y, &m, &dd);
    return y * 12 + (m - 1);
}

tw_day tw_uschina_ym_day(int ym) { return tw_day_from_ymd(ym / 12, ym % 12 + 1, 1); }

/* ---- Waugh monthly series ----------------------------------------------------------------- */

void tw_uschina_series_clear(struct tw_uschina_series *s)
{
    if (s == NULL)
        return;
    tw_free(s->naics);
    tw_free(s->sector);
    tw_free(s->tariff);
    tw_free(s->trade);
    tw_free(s->w2017);
    memset(s, 0, sizeof *s);
}

#define MAX_NAICS TW_USCHINA_MAX_NAICS

/* Index of code in s->naics, adding it when absent; SIZE_MAX when the table is full. */
static size_t naics_index(struct tw_uschina_series *s, const char *code, bool add)
{
    for (size_t n = 0; n < s->n_naics; n++)
        if (strcmp(s->naics[n], code) == 0)
            return n;
    if (!add || s->n_naics == MAX_NAICS)
        return SIZE_MAX;
    snprintf(s->naics[s->n_naics], sizeof s->naics[0], "%s", code);
    return s->n_naics++;
}

/* Columns of a monthly series file. */
enum { SC_TIME = 0, SC_NAICS, SC_TARIFF, SC_TRADE, SC_N };

/* First pass: codes (each checked against the concordance) and the month range. */
static tw_status series_scan(const tw_csv_table *t, const size_t col[SC_N],
                             struct tw_uschina_series *s, int *ym_lo, int *ym_hi, tw_err *err)
{
    char show[48];
    *ym_lo = INT32_MAX;
    *ym_hi = INT32_MIN;
    if (t->n_rows == 0)
        return tw_err_set(err, TW_EINVAL, "uschina: %s: no data rows", t->name);
    for (size_t r = 0; r < t->n_rows; r++) {
        tw_day d;
        const char *f = tw_csv_field(t, r, col[SC_TIME]);
        if (!tw_day_parse(f, &d))
            return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: time: expected a date "
                              "YYYY-MM-DD, got \"%s\"", t->name, tw_csv_line(t, r, col[SC_TIME]),
                              col[SC_TIME] + 1, tw_csv_excerpt(f, show, sizeof show));
        int ym = tw_uschina_ym(d);
        *ym_lo = ym < *ym_lo ? ym : *ym_lo;
        *ym_hi = ym > *ym_hi ? ym : *ym_hi;
        const char *code = tw_csv_field(t, r, col[SC_NAICS]);
        size_t before = s->n_naics;
        size_t n = naics_index(s, code, true);
        if (n == SIZE_MAX)
            return tw_err_set(err, TW_EINVAL, "uschina: %s:%zu: more than %d NAICS codes",
                              t->name, tw_csv_line(t, r, col[SC_NAICS]), MAX_NAICS);
        if (n == before) {
            size_t sec = 0;
            enum tw_concord_match m = tw_concord_naics(code, &sec);
            if (m == TW_CONCORD_UNKNOWN)
                return tw_err_set(err, TW_EINVAL, "uschina: %s:%zu:%zu: NAICS code \"%s\" is "
                                  "not in the concordance (data/concordance/"
                                  "naics3_to_sector.csv), expected a mapped or excluded code",
                                  t->name, tw_csv_line(t, r, col[SC_NAICS]), col[SC_NAICS] + 1,
                                  tw_csv_excerpt(code, show, sizeof show));
            s->sector[n] = m == TW_CONCORD_MAPPED ? (int)sec : -1;
        }
    }
    return TW_OK;
}

/* Second pass: the values; one row per (month, code). */
static tw_status series_fill(const tw_csv_table *t, const size_t col[SC_N],
                             struct tw_uschina_series *s, unsigned char *seen, tw_err *err)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        tw_day d = 0;
        (void)tw_day_parse(tw_csv_field(t, r, col[SC_TIME]), &d); /* checked in series_scan */
        size_t m = (size_t)(tw_uschina_ym(d) - s->ym0);
        size_t n = naics_index(s, tw_csv_field(t, r, col[SC_NAICS]), false);
        size_t k = m * s->n_naics + n;
        tw_status st;
        if ((st = get_num(t, r, col[SC_TARIFF], true, &s->tariff[k], err)) != TW_OK ||
            (st = get_num(t, r, col[SC_TRADE], true, &s->trade[k], err)) != TW_OK)
            return st;
        if (seen[k])
            return tw_err_set(err, TW_EINVAL, "uschina: %s:%zu: a second row for NAICS %s in "
                              "%s, expected one row per code and month", t->name,
                              tw_csv_line(t, r, col[SC_TIME]), s->naics[n],
                              tw_csv_field(t, r, col[SC_TIME]));
        seen[k] = 1;
    }
    return TW_OK;
}

/* 2017 weights from a file naics3,2017_china_trade (every series code must have one). */
static tw_status series_weights_file(const char *path, struct tw_uschina_series *s,
                                     tw_err *err)
{
    tw_csv_table *t = NULL;
    size_t cc = 0, cv = 0;
    bool seen[MAX_NAICS] = {false};
    char show[48];
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    if ((st = need_col(t, "naics3", &cc, err)) != TW_OK ||
        (st = need_col(t, "2017_china_trade", &cv, err)) != TW_OK)
        goto done;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *code = tw_csv_field(t, r, cc);
        size_t n = naics_index(s, code, false);
        double v;
        if ((st = get_num(t, r, cv, false, &v, err)) != TW_OK)
            goto done;
        if (n == SIZE_MAX) {
            st = tw_err_set(err, TW_EINVAL, "uschina: %s:%zu:%zu: NAICS code \"%s\" is not in "
                            "the monthly series", t->name, tw_csv_line(t, r, cc), cc + 1,
                            tw_csv_excerpt(code, show, sizeof show));
            goto done;
        }
        if (seen[n] || v < 0.0) {
            st = tw_err_set(err, TW_EINVAL, "uschina: %s:%zu:%zu: %s for NAICS %s, expected "
                            "one value >= 0 per code", t->name, tw_csv_line(t, r, cv), cv + 1,
                            seen[n] ? "a second value" : "a negative value", s->naics[n]);
            goto done;
        }
        seen[n] = true;
        s->w2017[n] = v;
    }
    for (size_t n = 0; n < s->n_naics; n++)
        if (!seen[n]) {
            st = tw_err_set(err, TW_EINVAL, "uschina: %s: no 2017 value for NAICS %s of the "
                            "monthly series", t->name, s->naics[n]);
            goto done;
        }
done:
    tw_csv_free(t);
    return st;
}

/* 2017 weights as the sum of the series' own 2017 months (empty cells count as 0). */
static void series_weights_2017(struct tw_uschina_series *s)
{
    for (size_t n = 0; n < s->n_naics; n++) {
        double sum = 0.0;
        for (int ym = 2017 * 12; ym < 2018 * 12; ym++) {
            if (ym < s->ym0 || ym >= s->ym0 + (int)s->n_month)
                continue;
            double v = s->trade[(size_t)(ym - s->ym0) * s->n_naics + n];
            if (!isnan(v))
                sum += v;
        }
        s->w2017[n] = sum;
    }
}

tw_status tw_uschina_read_series(const char *path, const char *weights_path,
                                 struct tw_uschina_series *s, tw_err *err)
{
    static const char *const names[SC_N] = {"time", "naics3", "tariff_trd_w_avg",
                                            "china_trade"};
    tw_csv_table *t = NULL;
    unsigned char *seen = NULL;
    size_t col[SC_N];
    int lo = 0, hi = 0;
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    for (size_t k = 0; k < SC_N; k++)
        if ((st = need_col(t, names[k], &col[k], err)) != TW_OK)
            goto done;
    s->naics = tw_calloc(MAX_NAICS, sizeof *s->naics);
    s->sector = tw_calloc(MAX_NAICS, sizeof *s->sector);
    s->w2017 = tw_calloc(MAX_NAICS, sizeof *s->w2017);
    if (s->naics == NULL || s->sector == NULL || s->w2017 == NULL)
        goto nomem;
    if ((st = series_scan(t, col, s, &lo, &hi, err)) != TW_OK)
        goto done;
    s->ym0 = lo;
    s->n_month = (size_t)(hi - lo + 1);
    size_t cells = s->n_month * s->n_naics;
    s->tariff = tw_alloc_doubles(cells);
    s->trade = tw_alloc_doubles(cells);
    seen = tw_calloc(cells, 1);
    if (s->tariff == NULL || s->trade == NULL || seen == NULL)
        goto nomem;
    for (size_t k = 0; k < cells; k++)
        s->tariff[k] = s->trade[k] = NaN;
    if ((st = series_fill(t, col, s, seen, err)) != TW_OK)
        goto done;
    if (weights_path != NULL)
        st = series_weights_file(weights_path, s, err);
    else
        series_weights_2017(s);
    goto done;
nomem:
    st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
done:
    tw_free(seen);
    tw_csv_free(t);
    if (st != TW_OK)
        tw_uschina_series_clear(s);
    return st;
}

bool tw_uschina_series_avg(const struct tw_uschina_series *s, int ym, bool monthly,
                           bool mapped_only, double *avg_pct)
{
    if (ym < s->ym0 || ym >= s->ym0 + (int)s->n_month)
        return false;
    size_t m = (size_t)(ym - s->ym0);
    double num = 0.0, den = 0.0;
    for (size_t n = 0; n < s->n_naics; n++) {
        if (mapped_only && s->sector[n] < 0)
            continue;
        double tau = s->tariff[m * s->n_naics + n];
        double w = monthly ? s->trade[m * s->n_naics + n] : s->w2017[n];
        if (isnan(tau) || isnan(w))
            continue;
        num += w * tau;
        den += w;
    }
    if (den <= 0.0)
        return false;
    *avg_pct = num / den;
    return true;
}

/* ---- China's product file ----------------------------------------------------------------- */

void tw_uschina_products_clear(struct tw_uschina_products *p)
{
    if (p == NULL)
        return;
    tw_free(p->hs10);
    tw_free(p->sector);
    tw_free(p->weight);
    tw_free(p->d);
    tw_free(p->event);
    tw_free(p->event_date);
    memset(p, 0, sizeof *p);
}

/* An event column "d_YYYYMMDD_name": its date and name; false for other columns. */
static bool event_column(const char *h, tw_day *date, char name[48])
{
    if (strncmp(h, "d_", 2) != 0 || strlen(h) < 12 || h[10] != '_')
        return false;
    char iso[11];
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", h + 2, h + 6, h + 8);
    if (!tw_day_parse(iso, date))
        return false;
    snprintf(name, 48, "%s", h + 11);
    return true;
}

/* Line order by code, for HS8/HS6 prefix ranges. */
struct line_key {
    const char *code;
    size_t line;
};

static int cmp_key(const void *a, const void *b)
{
    const struct line_key *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* [*lo, *hi) of the keys whose code starts with the first `len` bytes of `code`. */
static void prefix_range(const struct line_key *keys, size_t n, const char *code, size_t len,
                         size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strncmp(keys[mid].code, code, len) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strncmp(keys[mid].code, code, len) <= 0)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = a;
}

/* The tariff-line table: codes, sectors, event columns. */
static tw_status products_lines(const tw_csv_table *t, struct tw_uschina_products *p,
                                size_t *ev_col, tw_err *err)
{
    size_t cc = 0;
    char show[48];
    tw_status st = need_col(t, "cn_hs10", &cc, err);
    if (st != TW_OK)
        return st;
    for (size_t c = 0; c < t->n_cols && p->n_event < 32; c++)
        if (event_column(tw_csv_header(t, c), &p->event_date[p->n_event], p->event[p->n_event]))
            ev_col[p->n_event++] = c;
    if (p->n_event < 2)
        return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu: expected a base column and event "
                          "columns named d_YYYYMMDD_<event>", t->name, tw_csv_header_line(t));
    p->n_line = t->n_rows;
    p->hs10 = tw_calloc(p->n_line, sizeof *p->hs10);
    p->sector = tw_calloc(p->n_line, sizeof *p->sector);
    p->weight = tw_calloc(p->n_line, sizeof *p->weight);
    p->d = tw_calloc(p->n_line * p->n_event, sizeof *p->d);
    if (p->hs10 == NULL || p->sector == NULL || p->weight == NULL || p->d == NULL)
        return tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *code = tw_csv_field(t, r, cc);
        size_t sec = 0;
        enum tw_concord_match m = tw_concord_hs(code, &sec);
        if (m == TW_CONCORD_UNKNOWN || strlen(code) < 8 || strlen(code) >= sizeof p->hs10[0])
            return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: \"%s\" is not an HS10 code",
                              t->name, tw_csv_line(t, r, cc), cc + 1,
                              tw_csv_excerpt(code, show, sizeof show));
        snprintf(p->hs10[r], sizeof p->hs10[0], "%s", code);
        p->sector[r] = m == TW_CONCORD_MAPPED ? (int)sec : -1;
        for (size_t e = 0; e < p->n_event; e++)
            if ((st = get_num(t, r, ev_col[e], false, &p->d[r * p->n_event + e], err)) != TW_OK)
                return st;
    }
    return TW_OK;
}

/* Spread each HS8's 2017 imports over its lines (or its HS6's lines). */
static tw_status products_weights(const tw_csv_table *t, struct tw_uschina_products *p,
                                  const struct line_key *keys, bool hs6_fallback, tw_err *err)
{
    size_t cc = 0, cv = 0;
    char show[48];
    tw_status st;
    if ((st = need_col(t, "cn_hs8", &cc, err)) != TW_OK ||
        (st = need_col(t, "imports_2017_kusd", &cv, err)) != TW_OK)
        return st;
    p->n_hs8 = t->n_rows;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *code = tw_csv_field(t, r, cc);
        double v;
        if ((st = get_num(t, r, cv, false, &v, err)) != TW_OK)
            return st;
        if (v < 0.0)
            return tw_err_set(err, TW_EINVAL, "uschina: %s:%zu:%zu: negative imports, expected "
                              "a value >= 0", t->name, tw_csv_line(t, r, cv), cv + 1);
        size_t sec = 0;
        enum tw_concord_match m = tw_concord_hs(code, &sec);
        if (m == TW_CONCORD_UNKNOWN || strlen(code) != 8)
            return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: \"%s\" is not an HS8 code",
                              t->name, tw_csv_line(t, r, cc), cc + 1,
                              tw_csv_excerpt(code, show, sizeof show));
        v *= 1000.0; /* thousand USD -> USD */
        p->imports_usd += v;
        if (m == TW_CONCORD_EXCLUDED) {
            p->excluded_usd += v;
            continue;
        }
        size_t lo, hi;
        prefix_range(keys, p->n_line, code, 8, &lo, &hi);
        if (lo == hi && hs6_fallback) {
            prefix_range(keys, p->n_line, code, 6, &lo, &hi);
            if (lo < hi)
                p->hs6_usd += v;
        } else if (lo < hi) {
            p->matched_usd += v;
        }
        if (lo == hi) {
            p->unmatched_usd += v;
            continue;
        }
        for (size_t k = lo; k < hi; k++)
            p->weight[keys[k].line] += v / (double)(hi - lo);
    }
    return TW_OK;
}

tw_status tw_uschina_read_products(const char *lines_path, const char *imports_path,
                                   bool hs6_fallback, struct tw_uschina_products *p,
                                   tw_err *err)
{
    tw_csv_table *tl = NULL, *ti = NULL;
    struct line_key *keys = NULL;
    size_t ev_col[32];
    memset(p, 0, sizeof *p);
    tw_status st = open_table(lines_path, &tl, err);
    if (st != TW_OK || (st = open_table(imports_path, &ti, err)) != TW_OK)
        goto done;
    p->event = tw_calloc(32, sizeof *p->event);
    p->event_date = tw_calloc(32, sizeof *p->event_date);
    if (p->event == NULL || p->event_date == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
        goto done;
    }
    if ((st = products_lines(tl, p, ev_col, err)) != TW_OK)
        goto done;
    keys = tw_calloc(p->n_line, sizeof *keys);
    if (keys == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
        goto done;
    }
    for (size_t l = 0; l < p->n_line; l++) {
        keys[l].code = p->hs10[l];
        keys[l].line = l;
    }
    qsort(keys, p->n_line, sizeof *keys, cmp_key);
    st = products_weights(ti, p, keys, hs6_fallback, err);
done:
    tw_free(keys);
    tw_csv_free(tl);
    tw_csv_free(ti);
    if (st != TW_OK)
        tw_uschina_products_clear(p);
    return st;
}

double tw_uschina_products_avg(const struct tw_uschina_products *p, size_t e)
{
    double num = 0.0, den = 0.0;
    for (size_t l = 0; l < p->n_line; l++) {
        if (p->sector[l] < 0)
            continue;
        double rate = 0.0;
        for (size_t k = 0; k <= e && k < p->n_event; k++)
            rate += p->d[l * p->n_event + k];
        num += p->weight[l] * rate;
        den += p->weight[l];
    }
    return den > 0.0 ? num / den : NaN;
}

/* ---- the action timeline -------------------------------------------------------------------- */

/* Leading number of a text such as "~120", "3 (MOF) / 2.4 (PIIE)"; NaN when none. */
static double leading_number(const char *s)
{
    while (*s == '~' || *s == ' ')
        s++;
    char buf[32];
    size_t n = 0;
    while (n + 1 < sizeof buf && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.'))
        n++;
    memcpy(buf, s, n);
    buf[n] = '\0';
    double x;
    return tw_csv_parse_double(buf, &x) == TW_CSV_NUM_OK ? x : NaN;
}

/* Model region code of a country as the actions file names it; "" when not US or China. */
static const char *region_code(const char *country)
{
    if (strcmp(country, "US") == 0)
        return "USA";
    if (strcmp(country, "China") == 0)
        return "CHN";
    return "";
}

/* The row's target is the other side of the US-China pair: "China" or "US" (also inside a
 * qualifier such as "all (China not exempted)"). */
static bool targets(const char *target, const char *imposer_code)
{
    if (strcmp(imposer_code, "USA") == 0)
        return strstr(target, "China") != NULL;
    if (strcmp(imposer_code, "CHN") == 0)
        return strcmp(target, "US") == 0 || strncmp(target, "US ", 3) == 0;
    return false;
}

enum {
    AC_ID = 0, AC_IMP, AC_TGT, AC_AUTH, AC_LIST, AC_ANN, AC_EFF, AC_END, AC_RATE, AC_VAL,
    AC_BASIS, AC_LINES, AC_STATUS, AC_N
};

static tw_status action_row(const tw_csv_table *t, size_t r, const size_t *col,
                            struct tw_uschina_action *a, tw_err *err)
{
    char show[48];
    memset(a, 0, sizeof *a);
    copy_field(a->id, sizeof a->id, t, r, col[AC_ID]);
    const char *imp = region_code(tw_csv_field(t, r, col[AC_IMP]));
    if (imp[0] != '\0' && targets(tw_csv_field(t, r, col[AC_TGT]), imp)) {
        snprintf(a->imposer, sizeof a->imposer, "%s", imp);
        snprintf(a->target, sizeof a->target, "%s", strcmp(imp, "USA") == 0 ? "CHN" : "USA");
    }
    copy_field(a->authority, sizeof a->authority, t, r, col[AC_AUTH]);
    copy_field(a->list, sizeof a->list, t, r, col[AC_LIST]);
    copy_field(a->status, sizeof a->status, t, r, col[AC_STATUS]);
    copy_field(a->rate_text, sizeof a->rate_text, t, r, col[AC_RATE]);
    copy_field(a->announced_text, sizeof a->announced_text, t, r, col[AC_VAL]);
    copy_field(a->announced_basis, sizeof a->announced_basis, t, r, col[AC_BASIS]);
    copy_field(a->tariff_lines, sizeof a->tariff_lines, t, r, col[AC_LINES]);
    copy_field(a->effective_text, sizeof a->effective_text, t, r, col[AC_EFF]);
    a->announced_bn = leading_number(a->announced_text);
    a->line = tw_csv_line(t, r, col[AC_ID]);
    if (!tw_day_parse(a->effective_text, &a->effective))
        a->effective = TW_DAY_NONE;
    const char *end = tw_csv_field(t, r, col[AC_END]);
    a->end = TW_DAY_NONE;
    if (end[0] != '\0' && !tw_day_parse(end, &a->end))
        return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: end_date: expected YYYY-MM-DD "
                          "or empty, got \"%s\"", t->name, tw_csv_line(t, r, col[AC_END]),
                          col[AC_END] + 1, tw_csv_excerpt(end, show, sizeof show));
    if (a->id[0] == '\0')
        return tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: action_id is empty", t->name,
                          a->line, col[AC_ID] + 1);
    a->before = a->after = TW_DAY_NONE;
    a->covered_bn = a->series_check_pp = a->avg_after_pct = a->overall_pp = NaN;
    a->ratio = a->scale = NaN;
    return TW_OK;
}

tw_status tw_uschina_read_actions(const char *path, struct tw_uschina *u, tw_err *err)
{
    static const char *const names[AC_N] = {
        "action_id", "imposing_country", "target_country", "authority", "list_or_batch",
        "announced_date", "effective_date", "end_date", "rate_pct", "trade_value_usd_bn",
        "trade_value_basis", "tariff_lines", "status"};
    tw_csv_table *t = NULL;
    size_t col[AC_N];
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    for (size_t k = 0; k < AC_N; k++)
        if ((st = need_col(t, names[k], &col[k], err)) != TW_OK)
            goto done;
    u->actions = tw_calloc(t->n_rows, sizeof *u->actions);
    if (u->actions == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        if ((st = action_row(t, r, col, &u->actions[r], err)) != TW_OK)
            goto done;
        for (size_t q = 0; q < r; q++)
            if (strcmp(u->actions[q].id, u->actions[r].id) == 0) {
                st = tw_err_set(err, TW_EINVAL, "uschina: %s:%zu: action_id %s appears again "
                                "(first on line %zu)", t->name, u->actions[r].line,
                                u->actions[r].id, u->actions[q].line);
                goto done;
            }
        u->n_action = r + 1;
    }
done:
    tw_csv_free(t);
    return st;
}

/* ---- Bown's points and the BJZ figure ------------------------------------------------------ */

tw_status tw_uschina_read_bown(const char *path, struct tw_uschina *u, tw_err *err)
{
    tw_csv_table *t = NULL;
    size_t cd = 0, cu = 0, cc = 0, ck = 0;
    char show[48];
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    if ((st = need_col(t, "date", &cd, err)) != TW_OK ||
        (st = need_col(t, "us_avg_tariff_on_china_pct", &cu, err)) != TW_OK ||
        (st = need_col(t, "china_avg_tariff_on_us_pct", &cc, err)) != TW_OK ||
        (st = need_col(t, "kind", &ck, err)) != TW_OK)
        goto done;
    u->bown = tw_calloc(t->n_rows, sizeof *u->bown);
    if (u->bown == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        struct tw_uschina_bown *b = &u->bown[r];
        const char *f = tw_csv_field(t, r, cd);
        char iso[16];
        /* A month-only date stands for the middle of the month. */
        snprintf(iso, sizeof iso, strlen(f) == 7 ? "%s-15" : "%s", f);
        if (!tw_day_parse(iso, &b->date)) {
            st = tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: date: expected YYYY-MM-DD or "
                            "YYYY-MM, got \"%s\"", t->name, tw_csv_line(t, r, cd), cd + 1,
                            tw_csv_excerpt(f, show, sizeof show));
            goto done;
        }
        snprintf(b->date_text, sizeof b->date_text, "%s", f);
        if ((st = get_num(t, r, cu, true, &b->us_pct, err)) != TW_OK ||
            (st = get_num(t, r, cc, true, &b->cn_pct, err)) != TW_OK)
            goto done;
        copy_field(b->kind, sizeof b->kind, t, r, ck);
        b->actual = strncmp(b->kind, "actual", 6) == 0;
        u->n_bown = r + 1;
    }
done:
    tw_csv_free(t);
    return st;
}

tw_status tw_uschina_read_bjz_avg(const char *path, struct tw_uschina *u, tw_err *err)
{
    tw_csv_table *t = NULL;
    size_t cd = 0, cv = 0;
    char show[48];
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    if ((st = need_col(t, "date", &cd, err)) != TW_OK ||
        (st = need_col(t, "china_avg_tariff_on_us_pct", &cv, err)) != TW_OK)
        goto done;
    size_t cap = sizeof u->bjz_dates / sizeof u->bjz_dates[0];
    for (size_t r = 0; r < t->n_rows; r++) {
        if (r == cap) {
            st = tw_err_set(err, TW_EINVAL, "uschina: %s: more than %zu rows", t->name, cap);
            goto done;
        }
        const char *f = tw_csv_field(t, r, cd);
        if (!tw_day_parse(f, &u->bjz_dates[r])) {
            st = tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: date: expected YYYY-MM-DD, "
                            "got \"%s\"", t->name, tw_csv_line(t, r, cd), cd + 1,
                            tw_csv_excerpt(f, show, sizeof show));
            goto done;
        }
        if ((st = get_num(t, r, cv, false, &u->bjz_avg_pct[r], err)) != TW_OK)
            goto done;
        u->n_bjz = r + 1;
    }
done:
    tw_csv_free(t);
    return st;
}

/* ---- US Section 301 product lists (coverage audit) ------------------------------------------ */

/* The count record of (list, source), added when absent; NULL when the table is full. */
static struct tw_uschina_list_count *list_slot(struct tw_uschina *u, size_t cap,
                                               const char *list, const char *source)
{
    for (size_t k = 0; k < u->n_lists; k++)
        if (strcmp(u->lists[k].list, list) == 0 && strcmp(u->lists[k].source, source) == 0)
            return &u->lists[k];
    if (u->n_lists == cap)
        return NULL;
    struct tw_uschina_list_count *c = &u->lists[u->n_lists++];
    snprintf(c->list, sizeof c->list, "%s", list);
    snprintf(c->source, sizeof c->source, "%s", source);
    return c;
}

static tw_status count_list(const char *path, const char *code_col, const char *level_col,
                            const char *source, struct tw_uschina *u, size_t cap, tw_err *err)
{
    tw_csv_table *t = NULL;
    size_t cc = 0, cl = 0, cv = 0;
    char show[48];
    tw_status st = open_table(path, &t, err);
    if (st != TW_OK)
        goto done;
    if ((st = need_col(t, code_col, &cc, err)) != TW_OK ||
        (st = need_col(t, "list", &cl, err)) != TW_OK ||
        (level_col != NULL && (st = need_col(t, level_col, &cv, err)) != TW_OK))
        goto done;
    for (size_t r = 0; r < t->n_rows; r++) {
        struct tw_uschina_list_count *c = list_slot(u, cap, tw_csv_field(t, r, cl), source);
        if (c == NULL) {
            st = tw_err_set(err, TW_EINVAL, "uschina: %s:%zu: more than %zu lists", t->name,
                            tw_csv_line(t, r, cl), cap);
            goto done;
        }
        const char *code = tw_csv_field(t, r, cc);
        size_t sec = 0;
        enum tw_concord_match m = tw_concord_hs(code, &sec);
        if (m == TW_CONCORD_UNKNOWN || strlen(code) < 8) {
            st = tw_err_set(err, TW_EPARSE, "uschina: %s:%zu:%zu: \"%s\" is not an HTS8 or "
                            "HTS10 code", t->name, tw_csv_line(t, r, cc), cc + 1,
                            tw_csv_excerpt(code, show, sizeof show));
            goto done;
        }
        if (m == TW_CONCORD_MAPPED)
            c->n[sec]++;
        else
            c->n_excluded++;
        if (level_col != NULL && strcmp(tw_csv_field(t, r, cv), "hts10") == 0)
            c->n_hts10++;
        c->total++;
    }
done:
    tw_csv_free(t);
    return st;
}

static int cmp_list(const void *a, const void *b)
{
    const struct tw_uschina_list_count *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    return c != 0 ? c : strcmp(x->list, y->list);
}

tw_status tw_uschina_read_lists(const char *annex_path, const char *usitc_path,
                                struct tw_uschina *u, tw_err *err)
{
    const size_t cap = 16;
    u->lists = tw_calloc(cap, sizeof *u->lists);
    if (u->lists == NULL)
        return tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
    tw_status st = count_list(annex_path, "hts8", NULL, "2018 annex", u, cap, err);
    if (st == TW_OK)
        st = count_list(usitc_path, "hts_code", "code_level", "USITC 2020", u, cap, err);
    if (st == TW_OK) /* by source (annex first), then by list name */
        qsort(u->lists, u->n_lists, sizeof *u->lists, cmp_list);
    return st;
}
