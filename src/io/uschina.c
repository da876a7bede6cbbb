/* SPDX-License-Identifier: MIT */
/*
 * src/io/uschina.c: derive the trade-weighted sector tariff changes of every US and Chinese
 * action of us_china_tariff_actions.csv (methods in uschina.h; full description with the
 * audit table in docs/concordances.md, "Derivation").
 *
 * How a row is treated, in order:
 *   1. not a US-China pair (US-201, target "all") or no effective date: skipped;
 *   2. id "<base>-CUT" with a stated ratio ("5 (from 10) / 2.5 (from 5)", or plain rates of
 *      this row and of <base>): RATIO on <base> (the Waugh China series does not show
 *      China's 2020-02-14 halving, and the legal text fixes the ratio exactly);
 *   3. implemented: PRODUCT when the imposer is China and the product file has "ret" event
 *      columns dated on the effective date; otherwise SERIES. A SERIES action whose every
 *      sector change is below min_change_pp is reported as not visible in the data and not
 *      emitted, except US Section 232 (the series carries no steel/aluminium duties): it is
 *      STATUTORY, the first listed rate (25 % on steel) on the announced covered trade
 *      ($2.8bn of 2017 US imports from China), all in MET (HS 72, 73, 76), divided by the
 *      2017 US imports from China in MET. Aluminium's 10 % on part of that trade is not
 *      separable in the data, so this is an upper bound of the 232 change;
 *   4. suspended or cancelled ("planned"): a "Lists A-B" increase is RATIO on the
 *      implemented actions of those lists; a US list with a plain uniform rate is REMAINDER;
 *      anything else is skipped as not derivable (China's second $75bn batch).
 *
 * Windows (SERIES). Implemented actions of one imposer are ordered by effective date. The
 * "after" month of an action is the first month entirely at or after its effective date (the
 * effective month when the date is the 1st, else the next month); its "before" month is the
 * previous action's after month (for the first action, the month before the effective
 * month). The windows tile the timeline, so the changes of successive actions add up to the
 * series' total change and nothing is counted twice; two actions with the same after month
 * share one window, and the change goes to the first of them (the note says so).
 *
 * Bown's points: an action is compared with the earliest "actual" point dated on or after its
 * effective date and before the next emitted action of the same imposer (a month-only date
 * counts as the 15th), so the point measures the regime the action starts.
 *
 * Implied averages: the sector tariff after an action is the pre-war level plus the changes
 * of the emitted implemented actions so far; the overall average weights the sectors by 2017
 * bilateral trade (US: US imports from China by NAICS; China: China's imports from the US by
 * HS, the product file's weights).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "io/csv.h"
#include "io/uschina.h"

/* NAN is a float constant; the code computes in double. */
#define NaN ((double)NAN)

#define NS TW_USCHINA_NS

void tw_uschina_opts_init(tw_uschina_opts *o)
{
    if (o == NULL)
        return;
    o->min_change_pp = 0.01;
    o->hs6_fallback = true;
}

void tw_uschina_free(struct tw_uschina *u)
{
    if (u == NULL)
        return;
    tw_free(u->actions);
    tw_uschina_series_clear(&u->us);
    tw_uschina_series_clear(&u->cn);
    tw_uschina_products_clear(&u->prod);
    tw_free(u->mfn);
    tw_free(u->bown);
    tw_free(u->lists);
    tw_free(u);
}

/* ---- small helpers ------------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static long find_action(const struct tw_uschina *u, const char *id)
{
    for (size_t k = 0; k < u->n_action; k++)
        if (strcmp(u->actions[k].id, id) == 0)
            return (long)k;
    return -1;
}

/* The whole text is one number ("25", "7.5"). */
static bool plain_rate(const char *s, double *x)
{
    return tw_csv_parse_double(s, x) == TW_CSV_NUM_OK;
}

/* A text of pairs "A (from B)" separated by '/' or ';' whose ratios A/B all agree: *r. */
static bool from_ratio(const char *s, double *r)
{
    bool found = false;
    const char *p = s;
    while ((p = strstr(p, "(from ")) != NULL) {
        /* the number just before " (from" */
        const char *q = p;
        while (q > s && q[-1] == ' ')
            q--;
        const char *b = q;
        while (b > s && ((b[-1] >= '0' && b[-1] <= '9') || b[-1] == '.'))
            b--;
        char na[24], nb[24];
        size_t la = (size_t)(q - b);
        const char *c = p + 6;
        size_t lb = strspn(c, "0123456789.");
        if (la == 0 || lb == 0 || la >= sizeof na || lb >= sizeof nb || c[lb] != ')')
            return false;
        memcpy(na, b, la);
        na[la] = '\0';
        memcpy(nb, c, lb);
        nb[lb] = '\0';
        double x, y;
        if (!plain_rate(na, &x) || !plain_rate(nb, &y) || y <= 0.0)
            return false;
        if (found && fabs(x / y - *r) > 1e-12 * fabs(*r))
            return false;
        *r = x / y;
        found = true;
        p = c + lb;
    }
    return found;
}

static const double *weights_of(const struct tw_uschina *u, const char *imposer)
{
    return strcmp(imposer, "USA") == 0 ? u->us_w : u->cn_w;
}

static const struct tw_uschina_series *series_of(const struct tw_uschina *u,
                                                 const char *imposer)
{
    return strcmp(imposer, "USA") == 0 ? &u->us : &u->cn;
}

/* Overall change (pp) of sector changes (fractions) under sector weights w. */
static double overall_pp(const double change[NS], const double w[NS])
{
    double num = 0.0, den = 0.0;
    for (size_t s = 0; s < NS; s++) {
        num += w[s] * change[s];
        den += w[s];
    }
    return den > 0.0 ? 100.0 * num / den : NaN;
}

static double max_abs_pp(const double change[NS])
{
    double m = 0.0;
    for (size_t s = 0; s < NS; s++)
        m = fmax(m, fabs(100.0 * change[s]));
    return m;
}

static void fmt_month(int ym, char buf[16])
{
    snprintf(buf, 16, "%04d-%02d", ym / 12, ym % 12 + 1);
}

/* ---- series windows ------------------------------------------------------------------------ */

/*
 * Change of each sector's trade-weighted tariff (2017 weights) from month ymb to yma, over the
 * codes with values in both months; *sum_wd = sum over those codes of w * (tau_a - tau_b) in
 * USD x pp. false when a month is outside the series.
 */
static bool series_window(const struct tw_uschina_series *sr, int ymb, int yma,
                          double change[NS], double *sum_wd)
{
    if (ymb < sr->ym0 || yma < sr->ym0 || ymb >= sr->ym0 + (int)sr->n_month ||
        yma >= sr->ym0 + (int)sr->n_month)
        return false;
    double num[NS] = {0}, den[NS] = {0};
    size_t mb = (size_t)(ymb - sr->ym0), ma = (size_t)(yma - sr->ym0);
    *sum_wd = 0.0;
    for (size_t n = 0; n < sr->n_naics; n++) {
        double tb = sr->tariff[mb * sr->n_naics + n], ta = sr->tariff[ma * sr->n_naics + n];
        if (sr->sector[n] < 0 || isnan(tb) || isnan(ta))
            continue;
        size_t s = (size_t)sr->sector[n];
        num[s] += sr->w2017[n] * (ta - tb);
        den[s] += sr->w2017[n];
        *sum_wd += sr->w2017[n] * (ta - tb);
    }
    for (size_t s = 0; s < NS; s++)
        change[s] = den[s] > 0.0 ? num[s] / den[s] / 100.0 : 0.0;
    return true;
}

/* Sector levels (%) of a series in month ym with 2017 weights. */
static bool series_levels(const struct tw_uschina_series *sr, int ym, double level[NS])
{
    if (ym < sr->ym0 || ym >= sr->ym0 + (int)sr->n_month)
        return false;
    double num[NS] = {0}, den[NS] = {0};
    size_t m = (size_t)(ym - sr->ym0);
    for (size_t n = 0; n < sr->n_naics; n++) {
        double t = sr->tariff[m * sr->n_naics + n];
        if (sr->sector[n] < 0 || isnan(t))
            continue;
        num[sr->sector[n]] += sr->w2017[n] * t;
        den[sr->sector[n]] += sr->w2017[n];
    }
    for (size_t s = 0; s < NS; s++)
        level[s] = den[s] > 0.0 ? num[s] / den[s] : 0.0;
    return true;
}

/* Sector weights of a series (2017, mapped codes) and the excluded remainder. */
static void series_sector_weights(const struct tw_uschina_series *sr, double w[NS],
                                  double *excluded)
{
    memset(w, 0, NS * sizeof *w);
    *excluded = 0.0;
    for (size_t n = 0; n < sr->n_naics; n++) {
        if (sr->sector[n] < 0)
            *excluded += sr->w2017[n];
        else
            w[sr->sector[n]] += sr->w2017[n];
    }
}

/* ---- classification and windows -------------------------------------------------------------- */

static bool is_implemented(const struct tw_uschina_action *a)
{
    return strcmp(a->status, "implemented") == 0;
}

/* Step 1 and the default kinds. */
static void classify(struct tw_uschina *u)
{
    for (size_t k = 0; k < u->n_action; k++) {
        struct tw_uschina_action *a = &u->actions[k];
        a->kind = is_implemented(a) ? TW_USCHINA_IMPLEMENTED : TW_USCHINA_PLANNED;
        if (a->imposer[0] == '\0') {
            a->kind = TW_USCHINA_SKIPPED;
            snprintf(a->note, sizeof a->note, "not a bilateral US-China action (imposer/target "
                     "not the US-China pair)");
        } else if (a->effective == TW_DAY_NONE) {
            a->kind = TW_USCHINA_SKIPPED;
            snprintf(a->note, sizeof a->note, "effective date \"%s\" is not a date",
                     a->effective_text);
        }
    }
}

/* Implemented actions of one imposer by effective date (stable), into idx; returns count. */
static size_t chain(const struct tw_uschina *u, const char *imposer, size_t *idx)
{
    size_t n = 0;
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        if (a->kind != TW_USCHINA_IMPLEMENTED || strcmp(a->imposer, imposer) != 0)
            continue;
        size_t p = n++;
        while (p > 0 && u->actions[idx[p - 1]].effective > a->effective) {
            idx[p] = idx[p - 1];
            p--;
        }
        idx[p] = k;
    }
    return n;
}

/* After month of an effective date. */
static int after_month(tw_day d)
{
    int y, m, dd;
    tw_day_to_ymd(d, &y, &m, &dd);
    return y * 12 + (m - 1) + (dd == 1 ? 0 : 1);
}

/* Windows (file header) for every implemented action of `imposer`; planned actions get none. */
static void set_windows(struct tw_uschina *u, const char *imposer, size_t *idx)
{
    size_t n = chain(u, imposer, idx);
    int prev_after = 0;
    for (size_t p = 0; p < n; p++) {
        struct tw_uschina_action *a = &u->actions[idx[p]];
        int ya = after_month(a->effective);
        int yb = p == 0 ? tw_uschina_ym(a->effective) - 1 : prev_after;
        if (yb > ya)
            yb = ya;
        a->before = tw_uschina_ym_day(yb);
        a->after = tw_uschina_ym_day(ya);
        prev_after = ya;
    }
}

/* ---- methods ----------------------------------------------------------------------------- */

/* PRODUCT: the "ret" event columns dated on the effective date; false when there are none. */
static bool derive_product(struct tw_uschina *u, struct tw_uschina_action *a)
{
    const struct tw_uschina_products *p = &u->prod;
    bool use[32] = {false};
    size_t n_use = 0;
    char cols[160] = "";
    for (size_t e = 1; e < p->n_event && e < 32; e++)
        if (p->event_date[e] == a->effective && strncmp(p->event[e], "ret", 3) == 0) {
            use[e] = true;
            n_use++;
            size_t len = strlen(cols);
            snprintf(cols + len, sizeof cols - len, "%s%s", len ? ", " : "", p->event[e]);
        }
    if (n_use == 0)
        return false;
    double num[NS] = {0}, cov[NS] = {0};
    size_t n_lines = 0;
    for (size_t l = 0; l < p->n_line; l++) {
        if (p->sector[l] < 0)
            continue;
        double d = 0.0;
        for (size_t e = 1; e < p->n_event && e < 32; e++)
            if (use[e])
                d += p->d[l * p->n_event + e];
        if (d == 0.0)
            continue;
        num[p->sector[l]] += p->weight[l] * d;
        cov[p->sector[l]] += p->weight[l];
        n_lines++;
    }
    a->covered_bn = 0.0;
    for (size_t s = 0; s < NS; s++) {
        a->change[s] = u->cn_w[s] > 0.0 ? num[s] / u->cn_w[s] / 100.0 : 0.0;
        a->covered_s_bn[s] = cov[s] / 1e9;
        a->covered_bn += cov[s] / 1e9;
    }
    a->method = TW_USCHINA_PRODUCT;
    snprintf(a->note, sizeof a->note, "product level: BJZ event column %s, %zu HS10 lines "
             "changed, weights = China's 2017 imports from the US", cols, n_lines);
    return true;
}

/* Rate step of an action in percentage points: its plain rate, minus its base's rate for an
 * "-UP" action; NaN when not a plain rate. */
static double rate_step(const struct tw_uschina *u, const struct tw_uschina_action *a)
{
    double r;
    if (!plain_rate(a->rate_text, &r))
        return NaN;
    if (ends_with(a->id, "-UP")) {
        char base[32];
        snprintf(base, sizeof base, "%.*s", (int)(strlen(a->id) - 3), a->id);
        long b = find_action(u, base);
        double rb;
        if (b < 0 || !plain_rate(u->actions[b].rate_text, &rb))
            return NaN;
        r -= rb;
    }
    return r;
}

/* SERIES over the action's window. */
static void derive_series(struct tw_uschina *u, struct tw_uschina_action *a,
                          const tw_uschina_opts *o)
{
    const struct tw_uschina_series *sr = series_of(u, a->imposer);
    int yb = tw_uschina_ym(a->before), ya = tw_uschina_ym(a->after);
    char mb[16], ma[16];
    fmt_month(yb, mb);
    fmt_month(ya, ma);
    double sum_wd = 0.0;
    a->method = TW_USCHINA_SERIES;
    if (!series_window(sr, yb, ya, a->change, &sum_wd)) {
        a->kind = TW_USCHINA_SKIPPED;
        snprintf(a->note, sizeof a->note, "window %s -> %s is outside the NAICS3 series", mb,
                 ma);
        return;
    }
    double step = rate_step(u, a);
    a->covered_bn = isnan(step) || step == 0.0 ? NaN : sum_wd / step / 1e9;
    a->visible = max_abs_pp(a->change) >= o->min_change_pp;
    int n = snprintf(a->note, sizeof a->note, "NAICS3 series, window %s -> %s, 2017 weights "
                     "(%s)", mb, ma, strcmp(a->imposer, "USA") == 0
                     ? "US imports from China" : "US exports to China");
    if (!isnan(a->covered_bn) && n > 0 && (size_t)n < sizeof a->note)
        snprintf(a->note + n, sizeof a->note - (size_t)n, "; covered = sum(w dtau) / %g pp",
                 step);
    if (yb == ya) {
        a->visible = false;
        a->kind = TW_USCHINA_SKIPPED;
        snprintf(a->note, sizeof a->note, "shares its window (%s) with the action before it "
                 "in the same month: the series cannot separate them; the change is "
                 "attributed to that action", ma);
    } else if (!a->visible) {
        a->kind = TW_USCHINA_SKIPPED;
        snprintf(a->note, sizeof a->note, "no change visible in the NAICS3 series over %s -> "
                 "%s (largest sector change %.2g pp < min_change_pp %g): not emitted",
                 mb, ma, max_abs_pp(a->change), o->min_change_pp);
    }
}

/* STATUTORY for a US Section 232 row the series does not show (see the file header). */
static bool derive_statutory(struct tw_uschina *u, struct tw_uschina_action *a)
{
    size_t met;
    double rate;
    if (strcmp(a->imposer, "USA") != 0 || strncmp(a->authority, "Section 232", 11) != 0 ||
        isnan(a->announced_bn) || !tw_concord_find_sector("MET", &met))
        return false;
    char *end = NULL;
    rate = strtod(a->rate_text, &end);
    const double *w = weights_of(u, a->imposer);
    if (end == a->rate_text || !(rate > 0.0) || !(w[met] > 0.0))
        return false;
    for (size_t s = 0; s < TW_USCHINA_NS; s++)
        a->change[s] = 0.0;
    a->change[met] = a->announced_bn * 1e9 * (rate / 100.0) / w[met];
    a->covered_bn = a->announced_bn;
    a->method = TW_USCHINA_STATUTORY;
    a->kind = TW_USCHINA_IMPLEMENTED;
    a->visible = true;
    snprintf(a->note, sizeof a->note, "statutory: %g %% (first listed rate) on the announced "
             "%g bn, all in MET, over 2017 US imports from China in MET (%.1f bn); the NAICS3 "
             "series carries no Section 232 duties; an upper bound (aluminium is 10 %%)",
             rate, a->announced_bn, w[met] / 1e9);
    return true;
}

/* RATIO for "<base>-CUT": *ok false when the row does not qualify. */
static void derive_cut(struct tw_uschina *u, size_t k, bool *ok)
{
    struct tw_uschina_action *a = &u->actions[k];
    char base[32];
    *ok = false;
    snprintf(base, sizeof base, "%.*s", (int)(strlen(a->id) - 4), a->id);
    long b = find_action(u, base);
    double r = NaN, x, y;
    if (b < 0)
        return;
    const struct tw_uschina_action *ba = &u->actions[b];
    if (!from_ratio(a->rate_text, &r)) {
        if (!plain_rate(a->rate_text, &x) || !plain_rate(ba->rate_text, &y) || y <= 0.0)
            return;
        r = x / y;
    }
    *ok = true;
    a->method = TW_USCHINA_RATIO;
    a->ratio = r;
    a->base[0] = (size_t)b;
    a->n_base = 1;
    if (ba->method == TW_USCHINA_NONE || !ba->visible) {
        a->kind = TW_USCHINA_SKIPPED;
        snprintf(a->note, sizeof a->note, "ratio %g of %s, which was not derived", r, base);
        return;
    }
    for (size_t s = 0; s < NS; s++)
        a->change[s] = (r - 1.0) * ba->change[s] + 0.0; /* + 0.0: no -0 */
    a->covered_bn = ba->covered_bn;
    a->visible = true;
    double sum_wd = 0.0, chk[NS];
    const struct tw_uschina_series *sr = series_of(u, a->imposer);
    if (a->before != TW_DAY_NONE &&
        series_window(sr, tw_uschina_ym(a->before), tw_uschina_ym(a->after), chk, &sum_wd)) {
        a->series_check_pp = overall_pp(chk, weights_of(u, a->imposer));
    }
    snprintf(a->note, sizeof a->note, "ratio %g (rate %s) applied to the change of %s", r,
             a->rate_text, base);
}

/* "Lists A-B ..." in a list_or_batch: the range. */
static bool list_range(const char *list, char *lo, char *hi)
{
    if (strncmp(list, "Lists ", 6) != 0 || list[6] == '\0' || list[7] != '-' ||
        list[8] == '\0')
        return false;
    *lo = list[6];
    *hi = list[8];
    return *lo <= *hi;
}

/* The action's list_or_batch names list c ("List 3", "List 3 increase"). */
static bool names_list(const char *list, char c)
{
    return strncmp(list, "List ", 5) == 0 && list[5] == c && (list[6] == '\0' || list[6] == ' ');
}

/* RATIO for a planned "Lists A-B" increase. */
static bool derive_lists_raise(struct tw_uschina *u, struct tw_uschina_action *a)
{
    char lo, hi;
    double rate, old = NaN;
    if (!list_range(a->list, &lo, &hi) || !plain_rate(a->rate_text, &rate))
        return false;
    tw_day last = TW_DAY_NONE;
    memset(a->change, 0, sizeof a->change);
    a->n_base = 0;
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *b = &u->actions[k];
        bool in = false;
        for (char c = lo; c <= hi; c++)
            in = in || names_list(b->list, c);
        if (!in || strcmp(b->imposer, a->imposer) != 0 || b->kind != TW_USCHINA_IMPLEMENTED ||
            !b->visible || a->n_base == sizeof a->base / sizeof a->base[0])
            continue;
        a->base[a->n_base++] = k;
        for (size_t s = 0; s < NS; s++)
            a->change[s] += b->change[s];
        double r;
        if ((last == TW_DAY_NONE || b->effective >= last) && plain_rate(b->rate_text, &r)) {
            old = r;
            last = b->effective;
        }
    }
    if (a->n_base == 0 || isnan(old) || old <= 0.0)
        return false;
    const double *w = weights_of(u, a->imposer);
    double at_old = 0.0;
    for (size_t s = 0; s < NS; s++)
        at_old += w[s] * a->change[s];
    a->ratio = rate / old;
    for (size_t s = 0; s < NS; s++)
        a->change[s] = a->change[s] * (a->ratio - 1.0) + 0.0; /* + 0.0: no -0 */
    a->covered_bn = at_old / (old / 100.0) / 1e9;
    a->method = TW_USCHINA_RATIO;
    a->visible = true;
    snprintf(a->note, sizeof a->note, "planned: ratio %g/%g applied to the summed changes of "
             "the %zu implemented actions of lists %c-%c", rate, old, a->n_base, lo, hi);
    return true;
}

/* Is b one of the coverage actions for a REMAINDER action a? */
static bool covers(const struct tw_uschina_action *a, const struct tw_uschina_action *b)
{
    double r;
    return b->kind == TW_USCHINA_IMPLEMENTED && b->visible && b->method == TW_USCHINA_SERIES &&
           strcmp(b->imposer, a->imposer) == 0 &&
           strncmp(b->authority, "Section 301", 11) == 0 && !ends_with(b->id, "-UP") &&
           b->effective < a->effective && plain_rate(b->rate_text, &r) && r > 0.0;
}

/* REMAINDER: a uniform rate on what earlier lists left uncovered, industry by industry. */
static bool derive_remainder(struct tw_uschina *u, struct tw_uschina_action *a)
{
    double rate;
    if (strcmp(a->imposer, "USA") != 0 || !plain_rate(a->rate_text, &rate) || rate <= 0.0)
        return false;
    const struct tw_uschina_series *sr = &u->us;
    double share[TW_USCHINA_MAX_NAICS] = {0}; /* [n_naics] covered share of each code */
    a->n_base = 0;
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *b = &u->actions[k];
        double r;
        if (!covers(a, b) || a->n_base == sizeof a->base / sizeof a->base[0])
            continue;
        plain_rate(b->rate_text, &r);
        a->base[a->n_base++] = k;
        size_t mb = (size_t)(tw_uschina_ym(b->before) - sr->ym0);
        size_t ma = (size_t)(tw_uschina_ym(b->after) - sr->ym0);
        for (size_t n = 0; n < sr->n_naics; n++) {
            double d = sr->tariff[ma * sr->n_naics + n] - sr->tariff[mb * sr->n_naics + n];
            if (!isnan(d))
                share[n] += d / r;
        }
    }
    if (a->n_base == 0)
        return false;
    double rem_total = 0.0;
    for (size_t n = 0; n < sr->n_naics; n++)
        if (sr->sector[n] >= 0)
            rem_total += sr->w2017[n] * fmin(1.0, fmax(0.0, 1.0 - share[n]));
    a->scale = 1.0;
    if (!isnan(a->announced_bn) && a->announced_bn * 1e9 < rem_total)
        a->scale = a->announced_bn * 1e9 / rem_total;
    double cov[NS] = {0};
    for (size_t n = 0; n < sr->n_naics; n++)
        if (sr->sector[n] >= 0)
            cov[sr->sector[n]] +=
                a->scale * sr->w2017[n] * fmin(1.0, fmax(0.0, 1.0 - share[n]));
    a->covered_bn = 0.0;
    for (size_t s = 0; s < NS; s++) {
        a->change[s] = u->us_w[s] > 0.0 ? rate / 100.0 * cov[s] / u->us_w[s] : 0.0;
        a->covered_bn += cov[s] / 1e9;
    }
    a->ratio = rate / 100.0;
    a->method = TW_USCHINA_REMAINDER;
    a->visible = true;
    snprintf(a->note, sizeof a->note, "planned: uniform %g %% on the trade that the %zu "
             "earlier Section 301 actions adding coverage left uncovered, industry by industry "
             "(covered share = dtau / rate from the series): %.1f bn uncovered, scale %.3f to "
             "the announced value", rate, a->n_base, rem_total / 1e9, a->scale);
    return true;
}

/* ---- driver ------------------------------------------------------------------------------- */

/* Steps 2-4 for every row. */
static void derive_all(struct tw_uschina *u, const tw_uschina_opts *o)
{
    /* implemented, not cuts: PRODUCT or SERIES */
    for (size_t k = 0; k < u->n_action; k++) {
        struct tw_uschina_action *a = &u->actions[k];
        if (a->kind != TW_USCHINA_IMPLEMENTED || ends_with(a->id, "-CUT"))
            continue;
        if (strcmp(a->imposer, "CHN") == 0 && derive_product(u, a)) {
            a->visible = true;
            continue;
        }
        derive_series(u, a, o);
        if (a->kind == TW_USCHINA_SKIPPED && a->method == TW_USCHINA_SERIES &&
            !(a->after != TW_DAY_NONE && a->before == a->after))
            derive_statutory(u, a);
    }
    /* cuts, implemented or not */
    for (size_t k = 0; k < u->n_action; k++) {
        struct tw_uschina_action *a = &u->actions[k];
        bool ok = false;
        if (a->kind != TW_USCHINA_SKIPPED && ends_with(a->id, "-CUT"))
            derive_cut(u, k, &ok);
        if (a->kind != TW_USCHINA_SKIPPED && ends_with(a->id, "-CUT") && !ok) {
            a->kind = TW_USCHINA_SKIPPED;
            snprintf(a->note, sizeof a->note, "a cut without a stated ratio to its base action");
        }
    }
    /* planned */
    for (size_t k = 0; k < u->n_action; k++) {
        struct tw_uschina_action *a = &u->actions[k];
        if (a->kind != TW_USCHINA_PLANNED || a->method != TW_USCHINA_NONE)
            continue;
        if (!derive_lists_raise(u, a) && !derive_remainder(u, a)) {
            a->kind = TW_USCHINA_SKIPPED;
            snprintf(a->note, sizeof a->note, "%s, not derivable: no product data for this list "
                     "and the rate \"%s\" is not one uniform rate", a->status, a->rate_text);
        }
    }
    for (size_t k = 0; k < u->n_action; k++) {
        struct tw_uschina_action *a = &u->actions[k];
        if (a->method != TW_USCHINA_NONE)
            a->overall_pp = overall_pp(a->change, weights_of(u, a->imposer));
    }
}

/* China's MFN events of the product file (not actions of the timeline): reported only. */
static tw_status derive_mfn(struct tw_uschina *u, tw_err *err)
{
    const struct tw_uschina_products *p = &u->prod;
    u->mfn = tw_calloc(p->n_event, sizeof *u->mfn);
    if (u->mfn == NULL)
        return tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
    for (size_t e = 1; e < p->n_event; e++) {
        if (strncmp(p->event[e], "ret", 3) == 0)
            continue;
        struct tw_uschina_mfn *m = &u->mfn[u->n_mfn++];
        double num[NS] = {0}, cov = 0.0;
        snprintf(m->event, sizeof m->event, "%s", p->event[e]);
        m->date = p->event_date[e];
        for (size_t l = 0; l < p->n_line; l++) {
            double d = p->d[l * p->n_event + e];
            if (p->sector[l] < 0 || d == 0.0)
                continue;
            num[p->sector[l]] += p->weight[l] * d;
            cov += p->weight[l];
        }
        for (size_t s = 0; s < NS; s++)
            m->change[s] = u->cn_w[s] > 0.0 ? num[s] / u->cn_w[s] / 100.0 : 0.0;
        m->covered_bn = cov / 1e9;
        m->overall_pp = overall_pp(m->change, u->cn_w);
    }
    return TW_OK;
}

/* Pre-war levels: US from the series at the first window's start; China from the base column. */
static void base_levels(struct tw_uschina *u)
{
    tw_day first = TW_DAY_NONE; /* the earliest window start of a US action */
    for (size_t k = 0; k < u->n_action; k++)
        if (strcmp(u->actions[k].imposer, "USA") == 0 && u->actions[k].before < first)
            first = u->actions[k].before;
    int ym = first != TW_DAY_NONE ? tw_uschina_ym(first) : u->us.ym0;
    u->us_base_month = tw_uschina_ym_day(ym);
    if (!series_levels(&u->us, ym, u->us_base_pct))
        memset(u->us_base_pct, 0, sizeof u->us_base_pct);
    u->us_base_avg = 0.0;
    double wt = 0.0;
    for (size_t s = 0; s < NS; s++) {
        u->us_base_avg += u->us_w[s] * u->us_base_pct[s];
        wt += u->us_w[s];
    }
    u->us_base_avg = wt > 0.0 ? u->us_base_avg / wt : NaN;

    const struct tw_uschina_products *p = &u->prod;
    double num[NS] = {0};
    for (size_t l = 0; l < p->n_line; l++)
        if (p->sector[l] >= 0)
            num[p->sector[l]] += p->weight[l] * p->d[l * p->n_event];
    u->cn_base_date = p->n_event > 0 ? p->event_date[0] : TW_DAY_NONE;
    for (size_t s = 0; s < NS; s++)
        u->cn_base_pct[s] = u->cn_w[s] > 0.0 ? num[s] / u->cn_w[s] : 0.0;
    u->cn_base_avg = tw_uschina_products_avg(p, 0);
}

/* Implied averages along each imposer's chain, and the Bown point of each action's regime:
 * the first actual point with a value for the imposer, dated on or after the effective date
 * and before the next emitted implemented action. */
static void chain_averages(struct tw_uschina *u, size_t *idx)
{
    static const char *const imposers[2] = {"USA", "CHN"};
    for (size_t i = 0; i < 2; i++) {
        bool us = i == 0;
        size_t n = chain(u, imposers[i], idx), m = 0;
        for (size_t p = 0; p < n; p++) /* keep the emitted ones */
            if (u->actions[idx[p]].visible)
                idx[m++] = idx[p];
        const double *w = us ? u->us_w : u->cn_w;
        double level[NS], wt = 0.0;
        memcpy(level, us ? u->us_base_pct : u->cn_base_pct, sizeof level);
        for (size_t s = 0; s < NS; s++)
            wt += w[s];
        for (size_t p = 0; p < m; p++) {
            struct tw_uschina_action *a = &u->actions[idx[p]];
            double avg = 0.0;
            for (size_t s = 0; s < NS; s++) {
                level[s] += 100.0 * a->change[s];
                avg += w[s] * level[s];
            }
            a->avg_after_pct = wt > 0.0 ? avg / wt : NaN;
            tw_day next = p + 1 < m ? u->actions[idx[p + 1]].effective : TW_DAY_NONE;
            for (size_t b = 0; b < u->n_bown; b++) {
                const struct tw_uschina_bown *pt = &u->bown[b];
                double v = us ? pt->us_pct : pt->cn_pct;
                if (!pt->actual || isnan(v) || pt->date < a->effective || pt->date >= next ||
                    (a->has_bown && pt->date >= u->bown[a->bown].date))
                    continue;
                a->has_bown = true; /* the earliest such point; the first in file order on ties */
                a->bown = b;
            }
        }
    }
}

/* The folder holding the files: `dir` itself or dir/uschina. */
static tw_status find_dir(const char *dir, char *out, size_t cap, tw_err *err)
{
    const char *probe = "us_china_tariff_actions.csv";
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, probe);
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        fclose(f);
        snprintf(out, cap, "%s", dir);
        return TW_OK;
    }
    snprintf(path, sizeof path, "%s/uschina/%s", dir, probe);
    f = fopen(path, "rb");
    if (f != NULL) {
        fclose(f);
        snprintf(out, cap, "%s/uschina", dir);
        return TW_OK;
    }
    return tw_err_set(err, TW_EIO, "uschina: %s: cannot find %s there or in its uschina/ "
                      "folder", dir, probe);
}

/* Read every input file. */
static tw_status read_all(struct tw_uschina *u, const tw_uschina_opts *o, tw_err *err)
{
    char a[1200], b[1200];
#define P(buf, name) (snprintf(buf, sizeof buf, "%s/%s", u->dir, name), buf)
    tw_status st;
    if ((st = tw_uschina_read_actions(P(a, "us_china_tariff_actions.csv"), u, err)) != TW_OK ||
        (st = tw_uschina_read_products(P(a, "china_tariffs_on_us_hs10_bjz2019.csv"),
                                       P(b, "china_imports_from_us_2017_hs8_bjz2019.csv"),
                                       o->hs6_fallback, &u->prod, err)) != TW_OK ||
        (st = tw_uschina_read_series(P(a, "waugh_us_tariffs_on_china_by_naics3_monthly.csv"),
                                     P(b, "waugh_us_imports_from_china_2017_by_naics3.csv"),
                                     &u->us, err)) != TW_OK ||
        (st = tw_uschina_read_series(P(a, "waugh_china_tariffs_on_us_by_naics3_monthly.csv"),
                                     NULL, &u->cn, err)) != TW_OK ||
        (st = tw_uschina_read_bown(P(a, "bown_average_tariff_points.csv"), u, err)) != TW_OK ||
        (st = tw_uschina_read_bjz_avg(P(a, "china_avg_tariff_bjz2019.csv"), u, err)) != TW_OK ||
        (st = tw_uschina_read_lists(P(a, "us_301_lists_1to3_hts8_2018_annex.csv"),
                                    P(b, "us_301_products_usitc_2020.csv"), u, err)) != TW_OK)
        return st;
#undef P
    return TW_OK;
}

tw_status tw_uschina_compute(const char *dir, const tw_uschina_opts *opts,
                             struct tw_uschina **out, tw_err *err)
{
    tw_uschina_opts o;
    size_t *idx = NULL;
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "uschina: out is required");
    *out = NULL;
    if (dir == NULL)
        return tw_err_set(err, TW_EINVAL, "uschina: a data folder is required");
    if (opts == NULL)
        tw_uschina_opts_init(&o);
    else
        o = *opts;
    if (!(o.min_change_pp >= 0.0 && o.min_change_pp <= 1.0))
        return tw_err_set(err, TW_EINVAL, "uschina: min_change_pp %g is out of range, expected "
                          "[0, 1]", o.min_change_pp);
    struct tw_uschina *u = tw_calloc(1, sizeof *u);
    if (u == NULL)
        return tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
    tw_status st = find_dir(dir, u->dir, sizeof u->dir, err);
    if (st != TW_OK || (st = read_all(u, &o, err)) != TW_OK)
        goto done;
    idx = tw_calloc(u->n_action + 1, sizeof *idx);
    if (idx == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "uschina: out of memory");
        goto done;
    }
    series_sector_weights(&u->us, u->us_w, &u->us_excluded_usd);
    series_sector_weights(&u->cn, u->cnx_w, &u->cnx_excluded_usd);
    for (size_t l = 0; l < u->prod.n_line; l++)
        if (u->prod.sector[l] >= 0)
            u->cn_w[u->prod.sector[l]] += u->prod.weight[l];
    classify(u);
    set_windows(u, "USA", idx);
    set_windows(u, "CHN", idx);
    derive_all(u, &o);
    if ((st = derive_mfn(u, err)) != TW_OK)
        goto done;
    base_levels(u);
    chain_averages(u, idx);
done:
    tw_free(idx);
    if (st != TW_OK)
        tw_uschina_free(u);
    else
        *out = u;
    return st;
}
