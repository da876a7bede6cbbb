/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_uschina.c: derivation of sector tariff changes from the US-China trade-war
 * data (io/uschina*.c, tw_uschina_derive).
 *
 * Two data sets:
 *   - tests/data/uschina-mini/: a hand-made miniature of the shared folder (same file names
 *     and columns) whose every derived number is worked out in the comments below; it also
 *     serves the error-path and allocation-failure tests;
 *   - the shared folder ($TW_SHARED_DATA/uschina): the README's published checks (China's
 *     average from the product file, the US series averages), "the weights sum to the covered
 *     trade", the status rules, the no-double-counting property of the windows, and that the
 *     YAML output parses as a scenario. Skipped with a message when the folder is absent, a
 *     failure when CI=true.
 */
#define _XOPEN_SOURCE 700

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "io/uschina.h"
#include "twtest.h"

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.12g, expected %.12g (tol %g)", what, got, want, tol);
}

static size_t sec(const char *code)
{
    size_t s = 0;
    assert_true(tw_concord_find_sector(code, &s));
    return s;
}

static const struct tw_uschina_action *act(const struct tw_uschina *u, const char *id)
{
    for (size_t k = 0; k < u->n_action; k++)
        if (strcmp(u->actions[k].id, id) == 0)
            return &u->actions[k];
    fail_msg("no action %s", id);
    return NULL;
}

/* Every sector change of a is zero except the listed (code, value) pairs. */
static void changes(const struct tw_uschina_action *a, size_t n, const char *const *codes,
                    const double *values)
{
    for (size_t s = 0; s < TW_USCHINA_NS; s++) {
        double want = 0.0;
        for (size_t k = 0; k < n; k++)
            if (s == sec(codes[k]))
                want = values[k];
        char what[64];
        snprintf(what, sizeof what, "%s change in %s", a->id, tw_concord_sectors()[s].code);
        near(a->change[s], want, 1e-12, what);
    }
}

static struct tw_uschina *mini(void)
{
    char dir[TWTEST_PATH];
    struct tw_uschina *u = NULL;
    tw_err err = {TW_OK, ""};
    twtest_data("uschina-mini", dir);
    if (tw_uschina_compute(dir, NULL, &u, &err) != TW_OK)
        fail_msg("%s", err.msg);
    return u;
}

/*
 * The miniature, worked by hand. US 2017 weights: 111 (AGR) 1e9, 334 (MACH) 4e9, 315 (TEX)
 * 2e9, 910 (excluded) 0.5e9. US series: 111 2 -> 12 (2018-10) -> 27 (2019-06); 334 0.5 -> 10.5
 * (2018-07) -> 12.5 (2018-10) -> 15.5 (2019-06) -> 17 (2019-09); 315 12 -> 24 (2019-09).
 * Windows: US-232 2018-02..04 (flat: not visible), US-A 04..08, US-B 08..10, US-B-UP
 * 2018-10..2019-06, US-C 2019-06..09. Covered = sum(w dtau) / rate step: US-A 4e9*10/25 = 1.6
 * bn; US-B (1e9*10 + 4e9*2)/10 = 1.8; US-B-UP (1e9*15 + 4e9*3)/15 = 1.8; US-C
 * (4e9*1.5 + 2e9*12)/15 = 2.0. Averages (weights 1, 4, 2 of 7): base (2 + 2 + 24)/7 = 4, then
 * 68/7, 86/7, 113/7, 143/7, and after the cut (ratio 7.5/15) 128/7.
 */
static void test_mini_us(void **state)
{
    (void)state;
    struct tw_uschina *u = mini();
    near(u->us_base_avg, 4.0, 1e-12, "US base");
    near(u->us_excluded_usd, 0.5e9, 1e-3, "US excluded");
    assert_int_equal(act(u, "US-201")->kind, TW_USCHINA_SKIPPED);
    /* Section 232: the fixture has no MET trade, so the statutory rule cannot apply. */
    assert_int_equal(act(u, "US-232")->kind, TW_USCHINA_SKIPPED);
    assert_non_null(strstr(act(u, "US-232")->note, "no change visible"));

    const struct tw_uschina_action *a = act(u, "US-A");
    assert_int_equal(a->method, TW_USCHINA_SERIES);
    assert_int_equal(tw_uschina_ym(a->before), 2018 * 12 + 3);
    assert_int_equal(tw_uschina_ym(a->after), 2018 * 12 + 7);
    changes(a, 1, (const char *[]){"MACH"}, (const double[]){0.10});
    near(a->covered_bn, 1.6, 1e-12, "US-A covered");
    near(a->avg_after_pct, 68.0 / 7.0, 1e-12, "US-A avg");
    assert_false(a->has_bown);

    a = act(u, "US-B");
    changes(a, 2, (const char *[]){"AGR", "MACH"}, (const double[]){0.10, 0.02});
    near(a->covered_bn, 1.8, 1e-12, "US-B covered");
    near(a->avg_after_pct, 86.0 / 7.0, 1e-12, "US-B avg");
    assert_true(a->has_bown);
    assert_string_equal(u->bown[a->bown].date_text, "2018-09-25");

    a = act(u, "US-B-UP");
    assert_int_equal(tw_uschina_ym(a->before), 2018 * 12 + 9);
    assert_int_equal(tw_uschina_ym(a->after), 2019 * 12 + 5);
    changes(a, 2, (const char *[]){"AGR", "MACH"}, (const double[]){0.15, 0.03});
    near(a->covered_bn, 1.8, 1e-12, "US-B-UP covered");
    near(a->avg_after_pct, 113.0 / 7.0, 1e-12, "US-B-UP avg");
    assert_string_equal(u->bown[a->bown].date_text, "2019-05"); /* month-only = the 15th */

    a = act(u, "US-C");
    changes(a, 2, (const char *[]){"MACH", "TEX"}, (const double[]){0.015, 0.12});
    near(a->covered_bn, 2.0, 1e-12, "US-C covered");
    near(a->avg_after_pct, 143.0 / 7.0, 1e-12, "US-C avg");
    assert_false(a->has_bown); /* the only later point before the cut is "planned" */

    a = act(u, "US-C-CUT");
    assert_int_equal(a->method, TW_USCHINA_RATIO);
    near(a->ratio, 0.5, 1e-15, "US-C-CUT ratio");
    changes(a, 2, (const char *[]){"MACH", "TEX"}, (const double[]){-0.0075, -0.06});
    near(a->avg_after_pct, 128.0 / 7.0, 1e-12, "US-C-CUT avg");
    assert_true(isnan(a->series_check_pp)); /* its window ends after the series */
    tw_uschina_free(u);
}

/*
 * Planned: US-E ("Lists 1-3 increase 25->30", 30 %) scales the summed changes of US-A, US-B
 * and US-B-UP (AGR 0.25, MACH 0.15) by 30/25 - 1 = 0.2; it covers (1e9*0.25 + 4e9*0.15)/0.25 =
 * 3.4 bn. US-D (List 4B, 15 %) covers what US-A (25), US-B (10) and US-C (15) left: 111 is
 * fully covered (10/10), 334 0.4 + 0.2 + 0.1 = 0.7, 315 0.8; remainder 4e9*0.3 + 2e9*0.2 = 1.6
 * bn, scaled to the announced 1.2 (scale 0.75): MACH 0.15*0.9/4, TEX 0.15*0.3/2.
 */
static void test_mini_planned(void **state)
{
    (void)state;
    struct tw_uschina *u = mini();
    const struct tw_uschina_action *a = act(u, "US-E");
    assert_int_equal(a->kind, TW_USCHINA_PLANNED);
    assert_int_equal(a->method, TW_USCHINA_RATIO);
    assert_int_equal(a->n_base, 3);
    changes(a, 2, (const char *[]){"AGR", "MACH"}, (const double[]){0.05, 0.03});
    near(a->covered_bn, 3.4, 1e-12, "US-E covered");
    assert_true(isnan(a->avg_after_pct));

    a = act(u, "US-D");
    assert_int_equal(a->kind, TW_USCHINA_PLANNED);
    assert_int_equal(a->method, TW_USCHINA_REMAINDER);
    near(a->scale, 0.75, 1e-12, "US-D scale");
    changes(a, 2, (const char *[]){"MACH", "TEX"},
            (const double[]){0.15 * 0.9 / 4.0, 0.15 * 0.3 / 2.0});
    near(a->covered_bn, 1.2, 1e-12, "US-D covered");

    a = act(u, "CN-D"); /* "10 or 5" with no product data: not derivable */
    assert_int_equal(a->kind, TW_USCHINA_SKIPPED);
    assert_non_null(strstr(a->note, "not derivable"));
    tw_uschina_free(u);
}

/*
 * China. Line weights (USD): 12019000's 12,385 kUSD split over two lines (6,192,500 each);
 * 8471300000 gets 84713000 (2,000,000) and, by HS6 fallback, 84713010 (700,000); raw cotton
 * 5201 (AGR by override) 1,500,000; 6109100000 800,000. 61099000 (300,000) matches nothing;
 * 98000000 (5,000,000) is excluded. Sector weights AGR 13,885,000, MACH 2,700,000, TEX
 * 800,000. CN-A: AGR (6,192,500 + 1,500,000) * 25 / 13,885,000 / 100; covered 7,692,500.
 * CN-B: MACH 0.10, TEX 0.05; covered 3,500,000. CN-C (series): 111 5 -> 9 on 2019-09: AGR
 * +0.04; its halving -0.02. Base: (2 * 6,192,500 * 3 + 1,500,000) / 13,885,000 in AGR, 16 in
 * TEX; overall 51,455,000 / 17,385,000.
 */
static void test_mini_china(void **state)
{
    (void)state;
    struct tw_uschina *u = mini();
    const struct tw_uschina_products *p = &u->prod;
    near(p->imports_usd, 22685000.0, 1e-6, "imports");
    near(p->excluded_usd, 5e6, 1e-6, "excluded (chapter 98)");
    near(p->hs6_usd, 7e5, 1e-6, "HS6 fallback");
    near(p->unmatched_usd, 3e5, 1e-6, "unmatched");
    near(p->matched_usd, 16685000.0, 1e-6, "matched");
    near(u->cn_w[sec("AGR")], 13885000.0, 1e-6, "AGR weight");
    near(u->cn_w[sec("MACH")], 2700000.0, 1e-6, "MACH weight");
    near(u->cn_base_pct[sec("AGR")], 38655000.0 / 13885000.0, 1e-12, "AGR base");
    near(u->cn_base_avg, 51455000.0 / 17385000.0, 1e-12, "CN base");

    const struct tw_uschina_action *a = act(u, "CN-A");
    assert_int_equal(a->method, TW_USCHINA_PRODUCT);
    changes(a, 1, (const char *[]){"AGR"}, (const double[]){7692500.0 * 25.0 / 13885000.0 / 100.0});
    near(a->covered_bn, 7692500.0 / 1e9, 1e-15, "CN-A covered");
    near(a->covered_s_bn[sec("AGR")], 7692500.0 / 1e9, 1e-15, "CN-A covered AGR");

    a = act(u, "CN-B");
    changes(a, 2, (const char *[]){"MACH", "TEX"}, (const double[]){0.10, 0.05});
    near(a->covered_bn, 3.5e6 / 1e9, 1e-15, "CN-B covered");

    a = act(u, "CN-C");
    assert_int_equal(a->method, TW_USCHINA_SERIES);
    changes(a, 1, (const char *[]){"AGR"}, (const double[]){0.04});
    assert_true(isnan(a->covered_bn)); /* "10 or 5": no single rate */
    a = act(u, "CN-C-CUT");
    assert_int_equal(a->method, TW_USCHINA_RATIO);
    changes(a, 1, (const char *[]){"AGR"}, (const double[]){-0.02});

    assert_int_equal(u->n_mfn, 1);
    assert_string_equal(u->mfn[0].event, "mfn_cut");
    near(u->mfn[0].change[sec("TEX")], -0.02, 1e-15, "MFN TEX");
    tw_uschina_free(u);
}

/* The report names every action and the YAML parses as a scenario with the emitted actions. */
static void check_outputs(const char *dir, size_t *n_emitted)
{
    tw_err err = {TW_OK, ""};
    FILE *rep = tmpfile(), *yml = tmpfile();
    assert_non_null(rep);
    assert_non_null(yml);
    assert_int_equal(tw_uschina_derive(dir, NULL, rep, yml, &err), TW_OK);
    struct tw_uschina *u = NULL;
    assert_int_equal(tw_uschina_compute(dir, NULL, &u, &err), TW_OK);

    long n = ftell(rep);
    char *text = malloc((size_t)n + 1);
    rewind(rep);
    assert_int_equal(fread(text, 1, (size_t)n, rep), (size_t)n);
    text[n] = '\0';
    for (size_t k = 0; k < u->n_action; k++)
        if (strstr(text, u->actions[k].id) == NULL)
            fail_msg("report does not name %s", u->actions[k].id);
    free(text);

    const char *head = "name: derived\nworld: default\nstart: 2018-01-01\n";
    n = ftell(yml);
    size_t hl = strlen(head);
    char *doc = malloc(hl + (size_t)n + 1);
    memcpy(doc, head, hl);
    rewind(yml);
    assert_int_equal(fread(doc + hl, 1, (size_t)n, yml), (size_t)n);
    tw_scenario *sc = NULL;
    if (tw_scenario_read_buf(doc, hl + (size_t)n, "derived.yaml", &sc, &err) != TW_OK)
        fail_msg("derived YAML does not parse: %s", err.msg);
    size_t want = 0;
    for (size_t k = 0; k < u->n_action; k++)
        want += u->actions[k].kind != TW_USCHINA_SKIPPED && u->actions[k].visible;
    assert_int_equal(tw_scenario_n_actions(sc), want);
    *n_emitted = want;
    tw_scenario_free(sc);
    free(doc);
    fclose(rep);
    fclose(yml);
    tw_uschina_free(u);
}

static void test_mini_outputs(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    size_t n = 0;
    check_outputs(twtest_data("uschina-mini", dir), &n);
    assert_int_equal(n, 11);
}

/* ---- the shared data ------------------------------------------------------------------- */

static const char *shared_dir(char *buf)
{
    twtest_shared("uschina/us_china_tariff_actions.csv", buf); /* skips when absent */
    return twtest_shared("uschina", buf);
}

/* README: "weighting the product file by China's 2017 imports from the US instead gives lower
 * averages (6.0 % on 2018-01-01, 15.6 % on 2019-06-01)". The README rounds to 0.1, so the
 * tolerance is 0.05 pp; the same holds with the HS6 fallback (it moves 0.5 bn of 154.8 bn). */
static void test_shared_bjz_averages(void **state)
{
    (void)state;
    char dir[TWTEST_PATH], a[TWTEST_PATH], b[TWTEST_PATH];
    shared_dir(dir);
    twtest_join(dir, "china_tariffs_on_us_hs10_bjz2019.csv", a);
    twtest_join(dir, "china_imports_from_us_2017_hs8_bjz2019.csv", b);
    for (int fallback = 0; fallback <= 1; fallback++) {
        struct tw_uschina_products p;
        tw_err err = {TW_OK, ""};
        assert_int_equal(tw_uschina_read_products(a, b, fallback != 0, &p, &err), TW_OK);
        assert_string_equal(p.event[p.n_event - 1], "ret301_60b_increase");
        near(tw_uschina_products_avg(&p, 0), 6.0, 0.05, "China average 2018-01-01");
        near(tw_uschina_products_avg(&p, p.n_event - 1), 15.6, 0.05, "China average 2019-06-01");
        tw_uschina_products_clear(&p);
    }
}

/* README: weighted by china_trade, the US average is 3.8 % in Dec 2017, 12.4 % in Oct 2018,
 * 20.5 % in Oct 2019 and 19.6 % in Mar 2020 (all codes, that month's trade as weights). */
static void test_shared_us_averages(void **state)
{
    (void)state;
    static const struct { int y, m; double pct; } pts[] = {
        {2017, 12, 3.8}, {2018, 10, 12.4}, {2019, 10, 20.5}, {2020, 3, 19.6}};
    char dir[TWTEST_PATH], a[TWTEST_PATH], b[TWTEST_PATH];
    shared_dir(dir);
    twtest_join(dir, "waugh_us_tariffs_on_china_by_naics3_monthly.csv", a);
    twtest_join(dir, "waugh_us_imports_from_china_2017_by_naics3.csv", b);
    struct tw_uschina_series s;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_uschina_read_series(a, b, &s, &err), TW_OK);
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double avg = NAN;
        char what[64];
        assert_true(tw_uschina_series_avg(&s, pts[k].y * 12 + pts[k].m - 1, true, false, &avg));
        snprintf(what, sizeof what, "US average %d-%02d", pts[k].y, pts[k].m);
        near(avg, pts[k].pct, 0.1, what);
    }
    tw_uschina_series_clear(&s);
}

/* The weights used for a sector sum to the covered trade: recomputed here line by line. */
static void test_shared_weights_sum_to_covered(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    struct tw_uschina *u = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_uschina_compute(shared_dir(dir), NULL, &u, &err), TW_OK);
    const struct tw_uschina_products *p = &u->prod;
    double w_total = 0.0;
    for (size_t s = 0; s < TW_USCHINA_NS; s++) {
        double sum = 0.0;
        for (size_t l = 0; l < p->n_line; l++)
            if (p->sector[l] == (int)s)
                sum += p->weight[l];
        near(u->cn_w[s], sum, 1e-6, "sector weight = sum of its lines");
        w_total += sum;
    }
    near(w_total + p->excluded_usd + p->unmatched_usd, p->imports_usd, 1.0,
         "weights + excluded + unmatched = China's 2017 imports from the US");
    size_t n_product = 0;
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        if (a->method != TW_USCHINA_PRODUCT)
            continue;
        n_product++;
        double by_sector[TW_USCHINA_NS] = {0}, sum_s = 0.0;
        for (size_t l = 0; l < p->n_line; l++) {
            double d = 0.0;
            for (size_t e = 1; e < p->n_event; e++)
                if (p->event_date[e] == a->effective && strncmp(p->event[e], "ret", 3) == 0)
                    d += p->d[l * p->n_event + e];
            if (d != 0.0 && p->sector[l] >= 0)
                by_sector[p->sector[l]] += p->weight[l];
        }
        for (size_t s = 0; s < TW_USCHINA_NS; s++) {
            near(a->covered_s_bn[s], by_sector[s] / 1e9, 1e-9, a->id);
            assert_true(by_sector[s] <= u->cn_w[s] * (1.0 + 1e-12));
            sum_s += a->covered_s_bn[s];
        }
        near(a->covered_bn, sum_s, 1e-9, "covered = sum over sectors");
    }
    assert_int_equal(n_product, 6); /* CN-232, -34, -16, -60, AUTO-SUSP, -60-UP */
    double us_total = 0.0;
    for (size_t n = 0; n < u->us.n_naics; n++)
        us_total += u->us.w2017[n];
    double mapped = 0.0;
    for (size_t s = 0; s < TW_USCHINA_NS; s++)
        mapped += u->us_w[s];
    near(mapped + u->us_excluded_usd, us_total, 1.0, "US weights + excluded = 2017 file");
    tw_uschina_free(u);
}

/* Status rules, no double counting, the cut, and the outputs on the real data. */
static void test_shared_derivation(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    struct tw_uschina *u = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_uschina_compute(shared_dir(dir), NULL, &u, &err), TW_OK);
    for (size_t k = 0; k < u->n_action; k++) {
        const struct tw_uschina_action *a = &u->actions[k];
        if (strcmp(a->status, "implemented") != 0)
            assert_int_not_equal(a->kind, TW_USCHINA_IMPLEMENTED);
    }
    assert_int_equal(act(u, "US-201")->kind, TW_USCHINA_SKIPPED);
    /* Section 232: not in the series, so statutory rate x announced trade, all in MET. */
    assert_int_equal(act(u, "US-232")->kind, TW_USCHINA_IMPLEMENTED);
    assert_int_equal(act(u, "US-232")->method, TW_USCHINA_STATUTORY);
    {
        size_t met;
        assert_true(tw_concord_find_sector("MET", &met));
        const struct tw_uschina_action *a = act(u, "US-232");
        assert_true(fabs(a->change[met] * u->us_w[met] - 2.8e9 * 0.25) < 1.0);
        for (size_t s = 0; s < TW_USCHINA_NS; s++)
            if (s != met)
                assert_true(a->change[s] == 0.0);
    }
    assert_int_equal(act(u, "CN-75-B2")->kind, TW_USCHINA_SKIPPED);
    assert_int_equal(act(u, "US-301-L4B")->kind, TW_USCHINA_PLANNED);
    assert_int_equal(act(u, "US-301-L4B")->method, TW_USCHINA_REMAINDER);
    assert_int_equal(act(u, "US-301-L123-30")->kind, TW_USCHINA_PLANNED);
    assert_int_equal(act(u, "US-301-L123-30")->method, TW_USCHINA_RATIO);
    assert_int_equal(act(u, "CN-301-60-UP")->method, TW_USCHINA_PRODUCT);
    assert_int_equal(act(u, "CN-75-B1")->method, TW_USCHINA_SERIES);

    /* The windows tile the timeline: after the last series action the implied average is the
     * series' own 2017-weighted average of that month, less the window of US-232 (whose
     * 0.00001 pp of noise is replaced by its statutory change, which the series lacks). */
    const struct tw_uschina_action *l4a = act(u, "US-301-L4A"), *s232 = act(u, "US-232");
    double direct = NAN, b232 = NAN, a232 = NAN;
    assert_true(tw_uschina_series_avg(&u->us, tw_uschina_ym(l4a->after), false, true, &direct));
    assert_true(tw_uschina_series_avg(&u->us, tw_uschina_ym(s232->before), false, true, &b232));
    assert_true(tw_uschina_series_avg(&u->us, tw_uschina_ym(s232->after), false, true, &a232));
    assert_true(fabs(a232 - b232) < 1e-4);
    near(l4a->avg_after_pct, direct - (a232 - b232) + s232->overall_pp, 1e-9,
         "telescoping windows (plus the statutory Section 232 change)");

    const struct tw_uschina_action *b1 = act(u, "CN-75-B1"), *cut = act(u, "CN-75-B1-CUT");
    for (size_t s = 0; s < TW_USCHINA_NS; s++)
        near(cut->change[s], -0.5 * b1->change[s], 1e-15, "halving");
    tw_uschina_free(u);
    size_t n = 0;
    check_outputs(dir, &n);
    assert_int_equal(n, 17); /* 15 implemented (incl. the statutory US-232) + 2 planned */
}

/* ---- error paths (on a copy of the miniature) ---------------------------------------------- */

struct copy {
    char tmp[TWTEST_PATH];
    char dir[TWTEST_PATH];
};

static void copy_mini(struct copy *c)
{
    char src[TWTEST_PATH];
    twtest_tmpdir(c->tmp);
    twtest_join(c->tmp, "uschina", c->dir);
    twtest_copy_dir(twtest_data("uschina-mini", src), c->dir);
}

/* Derive on the copy after replacing `from` by `to` in `file`; expect status and needles. */
static void expect_error(const char *file, const char *from, const char *to, tw_status want,
                         const char *needle1, const char *needle2)
{
    struct copy c;
    char path[TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    copy_mini(&c);
    twtest_join(c.dir, file, path);
    if (from != NULL)
        twtest_replace(path, from, to);
    else
        remove(path);
    tw_status st = tw_uschina_derive(c.dir, NULL, NULL, NULL, &err);
    if (st != want || strstr(err.msg, needle1) == NULL ||
        (needle2 != NULL && strstr(err.msg, needle2) == NULL))
        fail_msg("%s: got status %d \"%s\", expected %d with \"%s\"", file, (int)st, err.msg,
                 (int)want, needle1);
    twtest_rmtree(c.tmp);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("bown_average_tariff_points.csv", NULL, NULL, TW_EIO,
                 "bown_average_tariff_points.csv", "cannot open");
    expect_error("china_imports_from_us_2017_hs8_bjz2019.csv", "12385", "12x385", TW_EPARSE,
                 "china_imports_from_us_2017_hs8_bjz2019.csv:2:3: imports_2017_kusd",
                 "got \"12x385\"");
    expect_error("waugh_us_imports_from_china_2017_by_naics3.csv", "334,4000000000.0",
                 "334,4e9x", TW_EPARSE, "waugh_us_imports_from_china_2017_by_naics3.csv:3:2:",
                 "expected a number");
    expect_error("waugh_us_tariffs_on_china_by_naics3_monthly.csv", ",910,", ",555,",
                 TW_EINVAL, "NAICS code \"555\" is not in the concordance", ":5:2:");
    expect_error("us_china_tariff_actions.csv", "effective_date", "effective", TW_EPARSE,
                 "us_china_tariff_actions.csv:1: missing column \"effective_date\"", NULL);
    expect_error("us_china_tariff_actions.csv", "2020-12-31", "2020-13-31", TW_EPARSE,
                 "end_date: expected YYYY-MM-DD", "\"2020-13-31\"");
    expect_error("us_china_tariff_actions.csv", "US-B-UP,", "US-B,", TW_EINVAL,
                 "action_id US-B appears again", NULL);
    expect_error("china_tariffs_on_us_hs10_bjz2019.csv", "1201900010", "X201900010",
                 TW_EPARSE, "china_tariffs_on_us_hs10_bjz2019.csv:2:1:", "not an HS10 code");
    expect_error("bown_average_tariff_points.csv", "12.0,18.3", "12.0,n/a", TW_EPARSE,
                 "bown_average_tariff_points.csv:3:3:", "got \"n/a\"");
    expect_error("waugh_china_tariffs_on_us_by_naics3_monthly.csv", "2017-12-01,336",
                 "2017-12-01,111", TW_EINVAL, "a second row for NAICS 111", NULL);
}

static void test_argument_errors(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    tw_uschina_opts o;
    char dir[TWTEST_PATH];
    static struct tw_uschina dummy;
    struct tw_uschina *u = &dummy; /* must come back NULL */
    assert_int_equal(tw_uschina_derive(NULL, NULL, NULL, NULL, &err), TW_EINVAL);
    assert_int_equal(tw_uschina_derive("/nonexistent/tw", NULL, NULL, NULL, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/tw"));
    tw_uschina_opts_init(&o);
    near(o.min_change_pp, 0.01, 0.0, "default min_change_pp");
    assert_true(o.hs6_fallback);
    o.min_change_pp = 2.385;
    assert_int_equal(tw_uschina_compute(twtest_data("uschina-mini", dir), &o, &u, &err),
                     TW_EINVAL);
    assert_null(u);
    assert_non_null(strstr(err.msg, "min_change_pp"));
    FILE *ro = fopen("/dev/null", "r");
    assert_int_equal(tw_uschina_derive(dir, NULL, ro, NULL, &err), TW_EIO);
    assert_int_equal(tw_uschina_derive(dir, NULL, NULL, ro, &err), TW_EIO);
    fclose(ro);
}

/* Every allocation failure gives TW_ENOMEM and leaks nothing (run under ASan/valgrind). */
static void test_alloc_failures(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    twtest_data("uschina-mini", dir);
    FILE *sink = fopen("/dev/null", "w");
    for (long n = 1;; n++) {
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_uschina_derive(dir, NULL, sink, sink, &err);
        if (twtest_alloc_done(n, st, NULL, err.msg))
            break;
    }
    fclose(sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_us),
        cmocka_unit_test(test_mini_planned),
        cmocka_unit_test(test_mini_china),
        cmocka_unit_test(test_mini_outputs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_shared_bjz_averages),
        cmocka_unit_test(test_shared_us_averages),
        cmocka_unit_test(test_shared_weights_sum_to_covered),
        cmocka_unit_test(test_shared_derivation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
