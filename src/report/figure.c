/* SPDX-License-Identifier: MIT */
/*
 * src/report/figure.c: publication figures (tw_report_figure_write) drawn with cairo.
 *
 * The figure reads the same report document as the HTML page (rdoc.h), so a chart shows the
 * same rows as the report's table. Cairo draws in points (1/72 in); SVG and PDF stay vector,
 * PNG is rasterised at TW_FIG_DPI. Every chart has a title, axis titles with units, and stays
 * readable in greyscale: losers and gainers differ in lightness (dark red / light blue, both
 * outlined), lines differ in dash pattern and marker and are labelled directly, heatmap cells
 * print their value.
 *
 * Output is atomic: the figure is drawn into a temporary file (tw_atomic_open) through a cairo
 * write callback and renamed into place when cairo reports success.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <jansson.h>

#include "io/atomic.h"
#include "report/rdoc.h"
#include "tradewar/tradewar.h"

#define TW_FIG_PI 3.14159265358979323846
#define TW_FIG_DPI 300.0          /* PNG resolution, dots per inch */
#define TW_FIG_FONT "DejaVu Sans" /* fonts-dejavu-core (scripts/install-deps.sh) */
#define TW_FIG_TITLE_PT 11.0
#define TW_FIG_LABEL_PT 8.0
#define TW_FIG_TICK_PT 7.0

typedef struct fig {
    cairo_t *cr;
    double w, h;                  /* page, points */
    double x0, x1, y0, y1;        /* plot area, points (y0 top) */
    double vmin, vmax;            /* data range of the value axis */
} fig;

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

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, (double)((hex >> 16) & 0xff) / 255.0,
                         (double)((hex >> 8) & 0xff) / 255.0, (double)(hex & 0xff) / 255.0);
}

/* Text at (x, y): ax = 0 left, 0.5 centre, 1 right; ay likewise from top to bottom. */
static void text(cairo_t *cr, double x, double y, double ax, double ay, double size,
                 bool bold, const char *s)
{
    cairo_select_font_face(cr, TW_FIG_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - ax * e.x_advance, y - e.y_bearing - ay * e.height);
    cairo_show_text(cr, s);
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about `n` ticks over [lo, hi]. */
static double nice_step(double lo, double hi, int n)
{
    double span = hi - lo;
    if (!(span > 0))
        return 1;
    double raw = span / n, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* Widen [lo, hi] to include 0 and whole steps. */
static void nice_range(double *lo, double *hi, int n)
{
    if (*lo > 0)
        *lo = 0;
    if (*hi < 0)
        *hi = 0;
    if (*hi - *lo <= 0) {
        *lo -= 1;
        *hi += 1;
    }
    double st = nice_step(*lo, *hi, n);
    *lo = floor(*lo / st + 1e-9) * st;
    *hi = ceil(*hi / st - 1e-9) * st;
}

static double sx(const fig *f, double v)
{
    return f->x0 + (v - f->vmin) / (f->vmax - f->vmin) * (f->x1 - f->x0);
}

static double sy(const fig *f, double v)
{
    return f->y1 - (v - f->vmin) / (f->vmax - f->vmin) * (f->y1 - f->y0);
}

static void fmt_tick(char *buf, size_t n, double v, double step)
{
    int d = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, n, "%.*f", d, fabs(v) < step * 1e-9 ? 0.0 : v);
}

/* Value axis along x (horizontal bars) with grid lines, ticks and a title. */
static void axis_x(fig *f, const char *title)
{
    cairo_t *cr = f->cr;
    double st = nice_step(f->vmin, f->vmax, 6);
    char buf[32];
    cairo_set_line_width(cr, 0.4);
    for (double v = f->vmin; v <= f->vmax + st * 1e-6; v += st) {
        double x = sx(f, v);
        rgb(cr, 0xdddddd);
        cairo_move_to(cr, x, f->y0);
        cairo_line_to(cr, x, f->y1);
        cairo_stroke(cr);
        rgb(cr, 0x000000);
        fmt_tick(buf, sizeof buf, v, st);
        text(cr, x, f->y1 + 3, 0.5, 0, TW_FIG_TICK_PT, false, buf);
    }
    rgb(cr, 0x000000);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, sx(f, 0), f->y0);
    cairo_line_to(cr, sx(f, 0), f->y1);
    cairo_stroke(cr);
    text(cr, (f->x0 + f->x1) / 2, f->y1 + 14, 0.5, 0, TW_FIG_LABEL_PT, false, title);
}

/* Value axis along y with grid lines, ticks and a vertical title. */
static void axis_y(fig *f, const char *title)
{
    cairo_t *cr = f->cr;
    double st = nice_step(f->vmin, f->vmax, 6);
    char buf[32];
    cairo_set_line_width(cr, 0.4);
    for (double v = f->vmin; v <= f->vmax + st * 1e-6; v += st) {
        double y = sy(f, v);
        rgb(cr, 0xdddddd);
        cairo_move_to(cr, f->x0, y);
        cairo_line_to(cr, f->x1, y);
        cairo_stroke(cr);
        rgb(cr, 0x000000);
        fmt_tick(buf, sizeof buf, v, st);
        text(cr, f->x0 - 3, y, 1, 0.5, TW_FIG_TICK_PT, false, buf);
    }
    rgb(cr, 0x000000);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, f->x0, sy(f, 0));
    cairo_line_to(cr, f->x1, sy(f, 0));
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_translate(cr, f->x0 - 34, (f->y0 + f->y1) / 2);
    cairo_rotate(cr, -TW_FIG_PI / 2);
    text(cr, 0, 0, 0.5, 0.5, TW_FIG_LABEL_PT, false, title);
    cairo_restore(cr);
}

static void legend_box(cairo_t *cr, double x, double y, unsigned fill, const char *label)
{
    rgb(cr, fill);
    cairo_rectangle(cr, x, y, 9, 7);
    cairo_fill_preserve(cr);
    rgb(cr, 0x333333);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    text(cr, x + 12, y + 3.5, 0, 0.5, TW_FIG_TICK_PT, false, label);
}

#define LOSER 0x8e0b21u
#define GAINER 0x92c5deu

/* ---- welfare: sorted horizontal bars, % with the USD bn at the bar end -------------------- */

static int cmp_pct(const void *a, const void *b)
{
    double x = num(*(json_t *const *)a, "welfare_pct"), y = num(*(json_t *const *)b, "welfare_pct");
    if (isnan(x))
        return isnan(y) ? 0 : 1;
    if (isnan(y))
        return -1;
    return (x > y) - (x < y);
}

static void size_welfare(const json_t *sec, double *w, double *h)
{
    *w = 432;
    *h = 70 + 14 * (double)json_array_size(json_object_get(sec, "rows"));
}

static bool draw_welfare(fig *f, const json_t *sec)
{
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return false;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = json_array_get(rows, i);
        double x = num(v[i], "welfare_pct");
        if (isfinite(x)) {
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
    }
    qsort(v, n, sizeof *v, cmp_pct);
    /* room for the value labels beside the bars */
    double span = hi - lo;
    if (lo < 0)
        lo -= 0.5 * span;
    if (hi > 0)
        hi += 0.5 * span;
    cairo_t *cr = f->cr;
    f->x0 = 70;
    f->x1 = f->w - 80;
    f->y0 = 38;
    f->y1 = f->h - 32;
    f->vmin = lo;
    f->vmax = hi;
    nice_range(&f->vmin, &f->vmax, 6);
    text(cr, f->w / 2, 8, 0.5, 0, TW_FIG_TITLE_PT, true, str(sec, "title"));
    legend_box(cr, f->x0, 24, LOSER, "loses");
    legend_box(cr, f->x0 + 50, 24, GAINER, "gains");
    axis_x(f, "welfare change (% of income); labels: USD bn per year");
    double band = (f->y1 - f->y0) / (double)(n ? n : 1);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        double x = num(v[i], "welfare_pct"), usd = num(v[i], "welfare_usd_bn");
        double yc = f->y0 + band * ((double)i + 0.5);
        rgb(cr, 0x000000);
        text(cr, f->x0 - 4, yc, 1, 0.5, TW_FIG_TICK_PT, false, str(v[i], "label"));
        if (!isfinite(x))
            continue;
        double a = sx(f, 0), b = sx(f, x);
        rgb(cr, x < 0 ? LOSER : GAINER);
        cairo_rectangle(cr, fmin(a, b), yc - band * 0.35, fabs(b - a), band * 0.7);
        cairo_fill_preserve(cr);
        rgb(cr, 0x333333);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        if (isfinite(usd))
            snprintf(buf, sizeof buf, "%.3f%% (%+.1f bn)", x, usd);
        else
            snprintf(buf, sizeof buf, "%.3f%%", x);
        rgb(cr, 0x000000);
        text(cr, x < 0 ? fmin(a, b) - 3 : fmax(a, b) + 3, yc, x < 0 ? 1 : 0, 0.5,
             TW_FIG_TICK_PT - 1, false, buf);
    }
    free(v);
    return true;
}

/* ---- timeline: cumulative cost per country over dates ------------------------------------- */

/* Days since 1970-01-01 of "YYYY-MM-DD" (proleptic Gregorian), NaN when malformed. */
static double day_of(const char *s)
{
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return (double)NAN;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400, mp = (m + 9) % 12;
    int doy = (153 * mp + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)era * 146097.0 + (double)doe - 719468.0;
}

static void size_timeline(const json_t *sec, double *w, double *h)
{
    (void)sec;
    *w = 504;
    *h = 300;
}

static const double dash_sets[6][2] = {{0, 0}, {4, 2}, {1.5, 1.5}, {6, 2}, {3, 1}, {8, 3}};

static void marker(cairo_t *cr, int kind, double x, double y)
{
    double r = 2.2;
    switch (kind % 4) {
    case 0: cairo_arc(cr, x, y, r, 0, 2 * TW_FIG_PI); break;
    case 1: cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r); break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.2, y + r);
        cairo_line_to(cr, x - r * 1.2, y + r);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y - r * 1.3);
        cairo_line_to(cr, x + r * 1.3, y);
        cairo_line_to(cr, x, y + r * 1.3);
        cairo_line_to(cr, x - r * 1.3, y);
        cairo_close_path(cr);
    }
    cairo_fill(cr);
}

static bool draw_timeline(fig *f, const json_t *sec)
{
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows), nc = 0;
    /* Countries in first-seen order; rows are (point, country) with countries inner. */
    const char *first = str(json_array_get(rows, 0), "code");
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(str(json_array_get(rows, i), "code"), first))
            break;
        nc++;
    }
    if (nc == 0)
        return true;
    size_t np = n / nc;
    double dmin = HUGE_VAL, dmax = -HUGE_VAL, lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double d = day_of(str(r, "date")), v = num(r, "cumulative_usd_bn");
        if (isfinite(d)) {
            dmin = fmin(dmin, d);
            dmax = fmax(dmax, d);
        }
        if (isfinite(v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    if (!(dmax > dmin))
        dmax = dmin + 1;
    cairo_t *cr = f->cr;
    f->x0 = 56;
    f->x1 = f->w - 70;
    f->y0 = 30;
    f->y1 = f->h - 40;
    f->vmin = lo;
    f->vmax = hi;
    nice_range(&f->vmin, &f->vmax, 6);
    text(cr, f->w / 2, 8, 0.5, 0, TW_FIG_TITLE_PT, true, str(sec, "title"));
    axis_y(f, "cumulative cost (USD bn)");
#define DX(d) (f->x0 + ((d) - dmin) / (dmax - dmin) * (f->x1 - f->x0))
    /* wave rules with their dates (a date too close to the previous one is not written) */
    double last_label = -HUGE_VAL;
    for (size_t p = 0; p < np; p++) {
        const json_t *r = json_array_get(rows, p * nc);
        double d = day_of(str(r, "date"));
        if (!isfinite(d))
            continue;
        rgb(cr, 0xaaaaaa);
        cairo_set_line_width(cr, 0.4);
        double dash[2] = {1.5, 1.5};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, DX(d), f->y0);
        cairo_line_to(cr, DX(d), f->y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (DX(d) - last_label < 12)
            continue;
        last_label = DX(d);
        cairo_save(cr);
        cairo_translate(cr, DX(d), f->y1 + 3);
        cairo_rotate(cr, TW_FIG_PI / 6);
        rgb(cr, 0x000000);
        text(cr, 0, 0, 0, 0, TW_FIG_TICK_PT - 1.5, false, str(r, "date"));
        cairo_restore(cr);
    }
    rgb(cr, 0x000000);
    text(cr, (f->x0 + f->x1) / 2, f->h - 9, 0.5, 0, TW_FIG_LABEL_PT, false,
         "date (dotted rules: tariff waves)");
    /* lines; labels at the right end, pushed apart to avoid overlaps */
    double *ly = malloc(nc * sizeof *ly);
    size_t *ord = malloc(nc * sizeof *ord);
    if (!ly || !ord) {
        free(ly);
        free(ord);
        return false;
    }
    for (size_t c = 0; c < nc; c++) {
        unsigned grey = (unsigned)(0x22 + (0x88 * (c % 4)) / 3);
        unsigned col = c == 0 ? 0x08306bu : c == 1 ? 0x8e0b21u : (grey << 16 | grey << 8 | grey);
        rgb(cr, col);
        cairo_set_line_width(cr, c < 2 ? 1.6 : 0.9);
        const double *ds = dash_sets[c % 6];
        cairo_set_dash(cr, ds, ds[0] > 0 ? 2 : 0, 0);
        double lastv = 0;
        for (size_t p = 0; p < np; p++) {
            const json_t *r = json_array_get(rows, p * nc + c);
            double x = DX(day_of(str(r, "date"))), y = sy(f, num(r, "cumulative_usd_bn"));
            if (p == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
            lastv = num(r, "cumulative_usd_bn");
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t p = 0; p < np; p++) {
            const json_t *r = json_array_get(rows, p * nc + c);
            marker(cr, (int)c, DX(day_of(str(r, "date"))), sy(f, num(r, "cumulative_usd_bn")));
        }
        ly[c] = sy(f, isfinite(lastv) ? lastv : 0);
        ord[c] = c;
    }
    for (size_t a = 1; a < nc; a++) /* insertion sort of labels by y */
        for (size_t b = a; b > 0 && ly[ord[b]] < ly[ord[b - 1]]; b--) {
            size_t t = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = t;
        }
    double prev = -HUGE_VAL;
    for (size_t k = 0; k < nc; k++) {
        double y = fmax(ly[ord[k]], prev + 7.5);
        prev = y;
        rgb(cr, 0x888888);
        cairo_set_line_width(cr, 0.3);
        cairo_move_to(cr, f->x1 + 1, ly[ord[k]]); /* leader from the line's end to its label */
        cairo_line_to(cr, f->x1 + 5, y);
        cairo_stroke(cr);
        rgb(cr, 0x000000);
        text(cr, f->x1 + 6, y, 0, 0.5, TW_FIG_TICK_PT - 0.5, false,
             str(json_array_get(rows, ord[k]), "code"));
    }
#undef DX
    free(ly);
    free(ord);
    return true;
}

/* ---- trade: bilateral change heatmap -------------------------------------------------------- */

/* Distinct codes of `key` in first-seen order into names (borrowed strings); returns count. */
static size_t codes(const json_t *rows, const char *key, const char **names, size_t cap)
{
    size_t n = 0, i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *c = str(r, key);
        size_t k = 0;
        while (k < n && strcmp(names[k], c))
            k++;
        if (k == n && n < cap)
            names[n++] = c;
    }
    return n;
}

static void size_trade(const json_t *sec, double *w, double *h)
{
    const char *names[256];
    size_t n = codes(json_object_get(sec, "rows"), "exporter", names, 256);
    double cell = n > 20 ? 14 : 26;
    *w = 90 + cell * (double)n + 70;
    *h = 70 + cell * (double)n + 20;
}

/* Diverging red (negative) - white - blue (positive), saturating at |v| = m. */
static void diverging(cairo_t *cr, double v, double m)
{
    double t = fmax(-1, fmin(1, v / m));
    double r, g, b;
    if (t < 0) { /* white -> #8e0b21 */
        r = 1 - (-t) * (1 - 0x8e / 255.0);
        g = 1 - (-t) * (1 - 0x0b / 255.0);
        b = 1 - (-t) * (1 - 0x21 / 255.0);
    } else { /* white -> #08306b */
        r = 1 - t * (1 - 0x08 / 255.0);
        g = 1 - t * (1 - 0x30 / 255.0);
        b = 1 - t * (1 - 0x6b / 255.0);
    }
    cairo_set_source_rgb(cr, r, g, b);
}

static bool draw_trade(fig *f, const json_t *sec)
{
    const json_t *rows = json_object_get(sec, "rows");
    const char *names[256];
    size_t n = codes(rows, "exporter", names, 256), i;
    const char *imp[256];
    size_t ni = codes(rows, "importer", imp, 256);
    for (size_t k = 0; k < ni; k++) { /* importers that never export */
        size_t j = 0;
        while (j < n && strcmp(names[j], imp[k]))
            j++;
        if (j == n && n < 256)
            names[n++] = imp[k];
    }
    cairo_t *cr = f->cr;
    double cell = n > 20 ? 14 : 26, ox = 60, oy = 50;
    double m = 1;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        double v = num(r, "change_pct");
        if (isfinite(v))
            m = fmax(m, fabs(v));
    }
    text(cr, f->w / 2, 8, 0.5, 0, TW_FIG_TITLE_PT, true, "Bilateral trade change (%)");
    text(cr, ox + cell * (double)n / 2, 24, 0.5, 0, TW_FIG_LABEL_PT, false, "importer");
    cairo_save(cr);
    cairo_translate(cr, 14, oy + cell * (double)n / 2);
    cairo_rotate(cr, -TW_FIG_PI / 2);
    text(cr, 0, 0, 0.5, 0.5, TW_FIG_LABEL_PT, false, "exporter");
    cairo_restore(cr);
    for (size_t a = 0; a < n; a++) {
        rgb(cr, 0x000000);
        text(cr, ox + cell * ((double)a + 0.5), oy - 3, 0.5, 1, TW_FIG_TICK_PT - 1, false,
             names[a]);
        text(cr, ox - 3, oy + cell * ((double)a + 0.5), 1, 0.5, TW_FIG_TICK_PT - 1, false,
             names[a]);
        for (size_t b = 0; b < n; b++) {
            rgb(cr, 0xeeeeee);
            cairo_rectangle(cr, ox + cell * (double)b, oy + cell * (double)a, cell, cell);
            cairo_fill(cr);
        }
    }
    char buf[32];
    json_array_foreach(rows, i, r)
    {
        size_t a = 0, b = 0;
        while (a < n && strcmp(names[a], str(r, "exporter")))
            a++;
        while (b < n && strcmp(names[b], str(r, "importer")))
            b++;
        double v = num(r, "change_pct");
        if (a == n || b == n || !isfinite(v))
            continue;
        double x = ox + cell * (double)b, y = oy + cell * (double)a;
        diverging(cr, v, m);
        cairo_rectangle(cr, x, y, cell, cell);
        cairo_fill(cr);
        snprintf(buf, sizeof buf, "%.0f", fabs(v) < 0.5 ? 0.0 : v);
        rgb(cr, fabs(v) / m > 0.5 ? 0xffffff : 0x000000);
        text(cr, x + cell / 2, y + cell / 2, 0.5, 0.5, cell > 20 ? 6.5 : 4.5, false, buf);
    }
    /* grid and colour bar */
    rgb(cr, 0xffffff);
    cairo_set_line_width(cr, 0.6);
    for (size_t a = 0; a <= n; a++) {
        cairo_move_to(cr, ox, oy + cell * (double)a);
        cairo_line_to(cr, ox + cell * (double)n, oy + cell * (double)a);
        cairo_move_to(cr, ox + cell * (double)a, oy);
        cairo_line_to(cr, ox + cell * (double)a, oy + cell * (double)n);
    }
    cairo_stroke(cr);
    double bx = ox + cell * (double)n + 20, bh = cell * (double)n;
    for (int k = 0; k < 100; k++) {
        diverging(cr, m - 2 * m * k / 99.0, m);
        cairo_rectangle(cr, bx, oy + bh * k / 100.0, 10, bh / 100.0 + 0.3);
        cairo_fill(cr);
    }
    rgb(cr, 0x000000);
    text(cr, bx, oy - 4, 0, 1, TW_FIG_TICK_PT - 1, false, "change (%)");
    snprintf(buf, sizeof buf, "%+.0f%%", m);
    text(cr, bx + 13, oy, 0, 0.5, TW_FIG_TICK_PT - 1, false, buf);
    text(cr, bx + 13, oy + bh / 2, 0, 0.5, TW_FIG_TICK_PT - 1, false, "0");
    snprintf(buf, sizeof buf, "%+.0f%%", -m);
    text(cr, bx + 13, oy + bh, 0, 0.5, TW_FIG_TICK_PT - 1, false, buf);
    return true;
}

/* ---- tariffs: grouped bars by country and stage ------------------------------------------- */

static void size_tariffs(const json_t *sec, double *w, double *h)
{
    const char *names[256];
    size_t n = codes(json_object_get(sec, "rows"), "code", names, 256);
    *w = fmax(360, 90 + 42 * (double)n);
    *h = 288;
}

static bool draw_tariffs(fig *f, const json_t *sec)
{
    const json_t *rows = json_object_get(sec, "rows");
    const char *names[256];
    size_t n = codes(rows, "code", names, 256), i;
    const char *stages[3] = {"factual", "nash", "cooperative"};
    const unsigned fills[3] = {0xccccccu, 0x67001fu, 0x4393c3u};
    double lo = 0, hi = 0;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        double v = num(r, "tariff_mean_pct");
        if (isfinite(v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    cairo_t *cr = f->cr;
    f->x0 = 56;
    f->x1 = f->w - 16;
    f->y0 = 44;
    f->y1 = f->h - 40;
    f->vmin = lo;
    f->vmax = hi;
    nice_range(&f->vmin, &f->vmax, 6);
    text(cr, f->w / 2, 8, 0.5, 0, TW_FIG_TITLE_PT, true, "Tariffs: factual, Nash and cooperative");
    for (int k = 0; k < 3; k++)
        legend_box(cr, f->x0 + 80.0 * k, 26, fills[k], stages[k]);
    axis_y(f, "mean tariff (%)");
    double band = (f->x1 - f->x0) / (double)(n ? n : 1);
    for (size_t c = 0; c < n; c++) {
        rgb(cr, 0x000000);
        text(cr, f->x0 + band * ((double)c + 0.5), f->y1 + 4, 0.5, 0, TW_FIG_TICK_PT, false,
             names[c]);
        json_array_foreach(rows, i, r)
        {
            if (strcmp(str(r, "code"), names[c]))
                continue;
            int k = 0;
            while (k < 3 && strcmp(str(r, "stage"), stages[k]))
                k++;
            double v = num(r, "tariff_mean_pct");
            if (k == 3 || !isfinite(v))
                continue;
            double bw = band * 0.8 / 3, x = f->x0 + band * ((double)c + 0.1) + bw * k;
            double a = sy(f, 0), b = sy(f, v);
            rgb(cr, fills[k]);
            cairo_rectangle(cr, x, fmin(a, b), bw, fabs(a - b));
            cairo_fill_preserve(cr);
            rgb(cr, 0x333333);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
    }
    rgb(cr, 0x000000);
    text(cr, (f->x0 + f->x1) / 2, f->h - 14, 0.5, 0, TW_FIG_LABEL_PT, false, "country");
    return true;
}

/* ---- driver ------------------------------------------------------------------------------------ */

static const struct {
    const char *chart, *section;
    void (*size)(const json_t *sec, double *w, double *h);
    bool (*draw)(fig *f, const json_t *sec); /* false: out of memory */
} charts[] = {
    {"welfare", "welfare", size_welfare, draw_welfare},
    {"timeline", "timeline", size_timeline, draw_timeline},
    {"trade", "trade", size_trade, draw_trade},
    {"tariffs", "tariffs", size_tariffs, draw_tariffs},
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, (FILE *)closure) == length ? CAIRO_STATUS_SUCCESS
                                                              : CAIRO_STATUS_WRITE_ERROR;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    if (a < b)
        return false;
    for (size_t k = 0; k < b; k++) {
        char c = s[a - b + k];
        if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != suffix[k])
            return false;
    }
    return true;
}

tw_status tw_report_figure_write(const char *json, size_t len, const tw_report_opts *opts,
                                 const char *chart, const char *path, tw_err *err)
{
    if (!json || !chart || !path)
        return tw_err_set(err, TW_EINVAL, "figure: NULL argument");
    size_t k = 0, nk = sizeof charts / sizeof charts[0];
    while (k < nk && strcmp(charts[k].chart, chart))
        k++;
    if (k == nk)
        return tw_err_set(err, TW_EINVAL, "figure: unknown chart \"%s\" (expected welfare, "
                                          "timeline, trade or tariffs)",
                          chart);
    enum { SVG, PNG, PDF } fmt;
    if (ends_with(path, ".svg"))
        fmt = SVG;
    else if (ends_with(path, ".png"))
        fmt = PNG;
    else if (ends_with(path, ".pdf"))
        fmt = PDF;
    else
        return tw_err_set(err, TW_EINVAL, "figure: %s: unknown format (expected a name ending "
                                          "in .svg, .png or .pdf)",
                          path);
    json_t *doc = NULL;
    tw_status st = tw_rdoc_build(json, len, opts, &doc, err);
    if (st != TW_OK)
        return st;
    const json_t *sec = tw_rdoc_section(doc, charts[k].section);
    if (!sec || json_array_size(json_object_get(sec, "rows")) == 0) {
        st = tw_err_set(err, TW_EINVAL, "figure: a %s result has no %s chart",
                        str(doc, "kind"), chart);
        json_decref(doc);
        return st;
    }
    double w, h;
    charts[k].size(sec, &w, &h);
    tw_atomic_file *af = NULL;
    FILE *fp = NULL;
    st = tw_atomic_open(path, &af, &fp, err);
    if (st != TW_OK) {
        json_decref(doc);
        return st;
    }
    cairo_surface_t *surf;
    if (fmt == SVG)
        surf = cairo_svg_surface_create_for_stream(write_cb, fp, w, h);
    else if (fmt == PDF)
        surf = cairo_pdf_surface_create_for_stream(write_cb, fp, w, h);
    else
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w * TW_FIG_DPI / 72),
                                          (int)ceil(h * TW_FIG_DPI / 72));
    cairo_t *cr = cairo_create(surf);
    if (fmt == PNG)
        cairo_scale(cr, TW_FIG_DPI / 72, TW_FIG_DPI / 72);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    fig f = {.cr = cr, .w = w, .h = h};
    bool drawn = charts[k].draw(&f, sec);
    cairo_status_t cs = drawn ? cairo_status(cr) : CAIRO_STATUS_NO_MEMORY;
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS && fmt == PNG)
        cs = cairo_surface_write_to_png_stream(surf, write_cb, fp);
    cairo_surface_finish(surf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    json_decref(doc);
    if (cs != CAIRO_STATUS_SUCCESS) {
        tw_atomic_abort(af);
        return tw_err_set(err, cs == CAIRO_STATUS_NO_MEMORY ? TW_ENOMEM : TW_EIO,
                          "figure: cannot write %s: %s", path, cairo_status_to_string(cs));
    }
    return tw_atomic_commit(af, err);
}
