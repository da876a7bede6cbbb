/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_deal.c: deals (docs/enforcement.md): io/deal_yaml.c, io/compliance.c,
 * policy/deal.c.
 *
 *   - the repeated-game formulas: delta* = (D - C) / (D - P) and the shortest punishment, on
 *     hand-computed payoffs (C = 1, D = 3, P = 0: delta* = 2/3; with delta = 0.9 the losses
 *     0.9, 1.71, 2.439 first exceed the gain 2 at T = 3), their edge cases, and their
 *     consistency (an endless punishment deters exactly when delta >= delta*);
 *   - a symmetric two-country world (one sector, equal flows, no baseline tariffs) with a war
 *     of 30 % tariffs and a deal of 10 %: both sides get the same payoffs, the reported
 *     critical discount factor is (D - C) / (D - P) of the payoffs the analysis reports, those
 *     payoffs match tw_game_evaluate / tw_game_best_response run independently, the deal beats
 *     the war (C > P), cheating pays (D > C), and removing all tariffs is worth more;
 *   - a deal equal to the status quo (threat = deal tariffs) is worth exactly zero and cannot
 *     be enforced (delta* = +inf);
 *   - compliance: totals by category, year and overall; "Total" and "all" rows; a commitment
 *     already met reads >= 100 %; bad observed files give file:line messages;
 *   - deal files: the library's phase-one-2020 parses; bad files give file:line:col messages;
 *   - Phase One on the built-in world: signs and orders of magnitude (not hard-coded values):
 *     the deal is worth something to both sides (0 < value < 1 % of income, 0.1 to 100 bn USD
 *     a year), removing the remaining tariffs is worth more to both, shares of the joint gain
 *     add up to 100 %, critical discount factors are in (0, 1).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/world.h"
#include "tradewar/tradewar.h"
#include "twtest.h"

/* Payoffs agree with an independent evaluation to this (percentage points). */
#define PAYOFF_TOL 1e-9
/* The two sides of a symmetric world agree to this (points; the optimiser's tolerance). */
#define SYM_TOL 1e-6

static void test_formulas(void **state)
{
    (void)state;
    assert_float_equal(tw_enforce_critical_delta(1.0, 3.0, 0.0), 2.0 / 3.0, 1e-15);
    assert_float_equal(tw_enforce_critical_delta(-1.0, 0.5, -2.0), 1.5 / 2.5, 1e-15);
    assert_true(tw_enforce_critical_delta(1.0, 1.0, 0.0) == 0.0);  /* no gain from cheating */
    assert_true(isinf(tw_enforce_critical_delta(1.0, 2.0, 1.0)));  /* deal no better than war */
    assert_int_equal(tw_enforce_min_punishment(1.0, 3.0, 0.0, 0.9, 100), 3);
    assert_int_equal(tw_enforce_min_punishment(1.0, 1.0, 0.0, 0.9, 100), 0);
    assert_int_equal(tw_enforce_min_punishment(1.0, 3.0, 0.0, 0.5, 100), SIZE_MAX);
    assert_int_equal(tw_enforce_min_punishment(1.0, 2.0, 1.0, 0.9, 100), SIZE_MAX);
    /* consistency: an endless punishment (T large) deters iff delta >= delta* */
    for (int k = 1; k < 20; k++) {
        double delta = 0.05 * k, C = 0.3, D = 1.1, P = -0.4;
        bool deters = tw_enforce_min_punishment(C, D, P, delta, 100000) != SIZE_MAX;
        double ds = tw_enforce_critical_delta(C, D, P);
        if (fabs(delta - ds) > 1e-3)
            assert_int_equal(deters, delta > ds);
    }
}

/* N (2 or 3) identical countries, one sector, no baseline tariffs, no input-output links. */
static tw_world *symmetric_world_n(size_t N)
{
    struct tw_world *w = NULL;
    tw_err err;
    static const char *const codes[3] = {"AAA", "BBB", "CCC"};
    assert_int_equal(tw_world_alloc(N, 1, &w, &err), TW_OK);
    for (size_t c = 0; c < N; c++)
        assert_int_equal(tw_world_set_string(&w->country_code[c], codes[c], &err), TW_OK);
    assert_int_equal(tw_world_set_string(&w->sector_code[0], "GDS", &err), TW_OK);
    w->theta[0] = 5.0;
    for (size_t j = 0; j < N; j++)
        for (size_t i = 0; i < N; i++) {
            size_t k = tw_world_ijs(w, i, j, 0);
            w->flow[k] = i == j ? 60.0e9 : 20.0e9;
            w->tariff[k] = 0.0;
        }
    for (size_t c = 0; c < N; c++) {
        w->alpha[tw_world_cs(w, c, 0)] = 1.0;
        w->va_share[tw_world_cs(w, c, 0)] = 1.0;
        w->pe_weight[tw_world_cs(w, c, 0)] = 1.0;
        w->deficit[c] = 0.0;
    }
    assert_int_equal(tw_world_set_string(&w->meta_model, "lashkaripour2021", &err), TW_OK);
    return w;
}

static tw_world *symmetric_world(void) { return symmetric_world_n(2); }

static tw_scenario *tariff_scenario(double rate)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "name: t\nworld: default\nstart: 2018-01-01\nactions:\n"
             "  - {id: A, type: tariff, imposer: AAA, target: BBB, rate: {add: %g}, "
             "effective: 2018-06-01}\n"
             "  - {id: B, type: tariff, imposer: BBB, target: AAA, rate: {add: %g}, "
             "effective: 2018-06-01}\n", rate, rate);
    tw_scenario *sc = NULL;
    tw_err err;
    assert_int_equal(tw_scenario_read_buf(buf, strlen(buf), "t.yaml", &sc, &err), TW_OK);
    return sc;
}

static const char *const SYM_DEAL =
    "deal:\n"
    "  name: sym\n"
    "  parties: [AAA, BBB]\n"
    "  threat: {scenario: war.yaml, date: 2019-01-01}\n"
    "  tariffs: {scenario: deal.yaml, date: 2019-01-01}\n"
    "  commitments:\n"
    "    - {category: Goods, importer: AAA, exporter: BBB, sectors: [GDS],\n"
    "       baseline_usd_bn: 20, increments_usd_bn: {2020: 5, 2021: 10}}\n";

static tw_deal *sym_deal(void)
{
    tw_deal *d = NULL;
    tw_err err;
    assert_int_equal(tw_deal_read_buf(SYM_DEAL, strlen(SYM_DEAL), "sym.yaml", &d, &err), TW_OK);
    return d;
}

static void test_symmetric_closed_form(void **state)
{
    (void)state;
    tw_world *w = symmetric_world();
    tw_deal *d = sym_deal();
    tw_scenario *war = tariff_scenario(0.30), *deal = tariff_scenario(0.10);
    tw_deal_analysis *a = NULL;
    tw_err err;
    tw_deal_opts o;
    tw_deal_opts_init(&o);
    assert_int_equal(tw_deal_analyze(w, d, war, deal, &o, &a, &err), TW_OK);
    for (size_t v = 0; v < 2; v++) {
        double C0 = tw_deal_analysis_payoff(a, 0, v, 'C'), D0 = tw_deal_analysis_payoff(a, 0, v, 'D'),
               P0 = tw_deal_analysis_payoff(a, 0, v, 'P');
        assert_float_equal(C0, tw_deal_analysis_payoff(a, 1, v, 'C'), SYM_TOL);
        assert_float_equal(D0, tw_deal_analysis_payoff(a, 1, v, 'D'), SYM_TOL);
        assert_float_equal(P0, tw_deal_analysis_payoff(a, 1, v, 'P'), SYM_TOL);
        assert_true(C0 > P0);  /* lower tariffs beat the war */
        assert_true(D0 > C0);  /* a unilateral tariff pays against a low-tariff partner */
        for (size_t p = 0; p < 2; p++) {
            double C = tw_deal_analysis_payoff(a, p, v, 'C'), D = tw_deal_analysis_payoff(a, p, v, 'D'),
                   P = tw_deal_analysis_payoff(a, p, v, 'P');
            assert_float_equal(tw_deal_analysis_critical_delta(a, p, v), (D - C) / (D - P),
                               1e-12);
            assert_true(tw_deal_analysis_critical_delta(a, p, v) > 0.0);
            assert_true(tw_deal_analysis_critical_delta(a, p, v) < 1.0);
        }
    }
    /* removing every tariff is worth more than the 10 % deal */
    assert_true(tw_deal_analysis_value_pct(a, 0, 1) > tw_deal_analysis_value_pct(a, 0, 0));

    /* independent evaluation of P, C and D with the game API */
    tw_game_opts go;
    tw_game_opts_init(&go);
    go.objective = TW_GAME_OBJ_WELFARE;
    go.lobbying = false;
    tw_game *g = NULL;
    assert_int_equal(tw_game_new(w, &go, &g, &err), TW_OK);
    double tw[4], td[4];
    assert_int_equal(tw_scenario_tariffs_at(w, war, "2019-01-01", tw, &err), TW_OK);
    assert_int_equal(tw_scenario_tariffs_at(w, deal, "2019-01-01", td, &err), TW_OK);
    assert_float_equal(tw[1], 0.30, 1e-15); /* [(s N + 0) N + 1]: AAA on BBB */
    assert_float_equal(td[2], 0.10, 1e-15);
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_evaluate(g, tw, &r, &err), TW_OK);
    assert_float_equal(tw_game_result_welfare_pct(r, 0), tw_deal_analysis_payoff(a, 0, 0, 'P'),
                       PAYOFF_TOL);
    tw_game_result_free(r);
    assert_int_equal(tw_game_evaluate(g, td, &r, &err), TW_OK);
    assert_float_equal(tw_game_result_welfare_pct(r, 1), tw_deal_analysis_payoff(a, 1, 0, 'C'),
                       PAYOFF_TOL);
    tw_game_result_free(r);
    bool tg[2] = {false, true};
    assert_int_equal(tw_game_best_response(g, 0, td, tg, &r, &err), TW_OK);
    assert_float_equal(tw_game_result_welfare_pct(r, 0), tw_deal_analysis_payoff(a, 0, 0, 'D'),
                       PAYOFF_TOL);
    /* the partner's tariff was held at the deal */
    assert_float_equal(tw_game_result_tariff(r, 1, 0, 0), 0.10, 1e-15);
    tw_game_result_free(r);
    tw_game_free(g);
    tw_deal_analysis_free(a);
    tw_scenario_free(war);
    tw_scenario_free(deal);
    tw_deal_free(d);
    tw_world_free(w);
}

static void test_status_quo_worth_zero(void **state)
{
    (void)state;
    tw_world *w = symmetric_world();
    tw_deal *d = sym_deal();
    tw_scenario *war = tariff_scenario(0.2), *same = tariff_scenario(0.2);
    tw_deal_analysis *a = NULL;
    tw_err err;
    assert_int_equal(tw_deal_analyze(w, d, war, same, NULL, &a, &err), TW_OK);
    for (size_t p = 0; p < 2; p++) {
        assert_true(tw_deal_analysis_value_pct(a, p, 0) == 0.0);
        assert_true(tw_deal_analysis_value_usd_bn(a, p, 0) == 0.0);
        assert_true(isinf(tw_deal_analysis_critical_delta(a, p, 0)));
    }
    tw_deal_analysis_free(a);
    tw_scenario_free(war);
    tw_scenario_free(same);
    tw_deal_free(d);
    tw_world_free(w);
}

/* Managed trade on three identical countries: AAA commits to buy 10 % more from BBB (2020),
 * and to buy half of its base-year purchases (2021, already met). */
static void test_purchase_wedge(void **state)
{
    (void)state;
    static const char *const text =
        "deal:\n  name: w\n  parties: [AAA, BBB]\n"
        "  threat: {scenario: war.yaml, date: 2019-01-01}\n"
        "  tariffs: {scenario: deal.yaml, date: 2019-01-01}\n"
        "  commitments:\n"
        "    - {category: Goods, importer: AAA, exporter: BBB, sectors: [GDS],\n"
        "       baseline_usd_bn: 20, increments_usd_bn: {2020: 2, 2021: -10}}\n";
    tw_world *w = symmetric_world_n(3);
    tw_deal *d = NULL;
    tw_err err;
    assert_int_equal(tw_deal_read_buf(text, strlen(text), "w.yaml", &d, &err), TW_OK);
    tw_scenario *war = tariff_scenario(0.2), *deal = tariff_scenario(0.0);
    tw_deal_analysis *a = NULL;
    assert_int_equal(tw_deal_analyze(w, d, war, deal, NULL, &a, &err), TW_OK);
    double x, tgt, wo, wi;
    bool feas;
    /* 2020: the base-year flow is 20 bn in the model; the target 22 bn needs a wedge */
    assert_int_equal(tw_deal_analysis_wedge(a, 0, 2020, &x, &feas, &tgt, &wo, &wi, &err), TW_OK);
    assert_true(feas);
    assert_float_equal(tgt, 22.0, 1e-9);
    assert_float_equal(wo, 20.0, 1e-6); /* no tariffs: the baseline itself */
    assert_true(x > 1.0);
    assert_float_equal(wi / tgt, 1.0, 1e-6);
    double wp[3], wu[3], ds[3];
    for (size_t c = 0; c < 3; c++)
        assert_int_equal(tw_deal_analysis_managed_trade(a, 2020, c, &wp[c], &wu[c], &ds[c], &err),
                         TW_OK);
    assert_true(wp[0] < 0.0);          /* the importer pays */
    assert_true(wp[1] > 0.0);          /* the exporter gains */
    assert_true(ds[1] > 0.0);          /* the exporter sells more to the importer ... */
    assert_true(ds[2] < 0.0);          /* ... and the third country is displaced */
    assert_float_equal(ds[1], wi - wo, 1e-6);
    /* 2021: a commitment already met needs no wedge */
    assert_int_equal(tw_deal_analysis_wedge(a, 0, 2021, &x, &feas, &tgt, &wo, &wi, &err), TW_OK);
    assert_true(feas);
    assert_true(x == 1.0);
    assert_true(wi == wo);
    assert_int_equal(tw_deal_analysis_managed_trade(a, 2021, 0, &wp[0], &wu[0], &ds[0], &err),
                     TW_OK);
    assert_true(wp[0] == 0.0);
    assert_int_equal(tw_deal_analysis_wedge(a, 0, 2019, &x, &feas, &tgt, &wo, &wi, &err),
                     TW_EINVAL);
    tw_deal_analysis_free(a);
    tw_deal_free(d);

    /* on two countries there is no third supplier to divert from: a higher target is
     * infeasible and says so */
    tw_world *w2 = symmetric_world();
    assert_int_equal(tw_deal_read_buf(text, strlen(text), "w.yaml", &d, &err), TW_OK);
    assert_int_equal(tw_deal_analyze(w2, d, war, deal, NULL, &a, &err), TW_OK);
    assert_int_equal(tw_deal_analysis_wedge(a, 0, 2020, &x, &feas, &tgt, &wo, &wi, &err), TW_OK);
    assert_false(feas);
    assert_true(wi < tgt);
    tw_deal_analysis_free(a);
    tw_deal_free(d);
    tw_world_free(w2);
    tw_scenario_free(war);
    tw_scenario_free(deal);
    tw_world_free(w);
}

static tw_compliance *comply(const tw_deal *d, const char *csv, tw_status want, const char *msg)
{
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    twtest_tmpdir(dir);
    twtest_join(dir, "obs.csv", path);
    twtest_write_file(path, csv, (size_t)-1);
    tw_compliance *c = NULL;
    tw_err err;
    assert_int_equal(tw_compliance_new(d, path, &c, &err), want);
    if (msg != NULL) {
        if (strstr(err.msg, msg) == NULL)
            fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
    }
    twtest_rmtree(dir);
    return c;
}

static void test_compliance(void **state)
{
    (void)state;
    tw_deal *d = sym_deal(); /* Goods: 25 in 2020, 30 in 2021, 55 in all */
    tw_compliance *c = comply(d, "category,year,observed_usd_bn\nGoods,2020,20\nGoods,2021,24\n",
                              TW_OK, NULL);
    assert_float_equal(tw_compliance_committed_usd_bn(c, 0), 55.0, 1e-12);
    assert_float_equal(tw_compliance_observed_usd_bn(c, 0), 44.0, 1e-12);
    assert_float_equal(tw_compliance_total_pct(c), 80.0, 1e-12);
    tw_compliance_free(c);
    /* one year only: the total is not observed */
    c = comply(d, "category,year,observed_usd_bn\nGoods,2020,20\n", TW_OK, NULL);
    assert_true(isnan(tw_compliance_total_pct(c)));
    assert_true(isnan(tw_compliance_observed_usd_bn(c, 0)));
    tw_compliance_free(c);
    /* a Total row for the whole period; a commitment already met */
    c = comply(d, "year,category,observed_usd_bn,note\nall,Total,60,x\n", TW_OK, NULL);
    assert_true(tw_compliance_total_pct(c) >= 100.0);
    tw_compliance_free(c);
    comply(d, "category,year,observed_usd_bn\nWidgets,2020,1\n", TW_EPARSE, "obs.csv:2: unknown "
           "category \"Widgets\"");
    comply(d, "category,year,observed_usd_bn\nGoods,2019,1\n", TW_EPARSE, "obs.csv:2: year");
    comply(d, "category,year,observed_usd_bn\nGoods,2020,-1\n", TW_EPARSE, "number >= 0");
    comply(d, "category,year,observed_usd_bn\nGoods,2020,1\nGoods,2020,2\n", TW_EPARSE,
           "obs.csv:3: Goods, 2020 given twice");
    comply(d, "category,year,observed_usd_bn\nGoods,2020,1\nGoods,all,2\n", TW_EPARSE,
           "both by year");
    comply(d, "category,observed_usd_bn\nGoods,1\n", TW_EPARSE, "no column \"year\"");
    tw_deal_free(d);
}

static void parse_bad(const char *text, const char *msg)
{
    tw_deal *d = NULL;
    tw_err err;
    assert_int_equal(tw_deal_read_buf(text, strlen(text), "bad.yaml", &d, &err), TW_EPARSE);
    assert_null(d);
    if (strstr(err.msg, msg) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
}

static void test_deal_files(void **state)
{
    (void)state;
    tw_deal *d = NULL;
    tw_err err;
    assert_int_equal(tw_deal_library_read("phase-one-2020", &d, &err), TW_OK);
    assert_string_equal(tw_deal_name(d), "phase-one-2020");
    assert_int_equal(tw_deal_n_commitments(d), 4);
    assert_int_equal(tw_deal_n_years(d), 2);
    /* Bown's totals (published_estimates.csv): 227.9 in 2020, 274.5 in 2021 */
    double y20 = 0.0, y21 = 0.0;
    for (size_t k = 0; k < 4; k++) {
        y20 += tw_deal_committed_usd_bn(d, k, 2020);
        y21 += tw_deal_committed_usd_bn(d, k, 2021);
    }
    assert_float_equal(y20, 227.9, 1e-9);
    assert_float_equal(y21, 274.5, 1e-9);
    tw_deal_free(d);
    assert_int_equal(tw_deal_library_read("no-such-deal", &d, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "phase-one-2020"));
    parse_bad("deal:\n  name: x\n  colour: red\n", "bad.yaml:3:3: unknown key \"colour\"");
    parse_bad("deal:\n  name: x\n", "has no \"parties\"");
    parse_bad("other: 1\n", "bad.yaml:1:1: unknown key \"other\"");
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", SYM_DEAL);
    char *p = strstr(buf, "2020: 5");
    memcpy(p, "20x0", 4);
    parse_bad(buf, "year \"20x0\"");
    snprintf(buf, sizeof buf, "%s", SYM_DEAL);
    p = strstr(buf, "[AAA, BBB]");
    memcpy(p, "[AAA, AAA]", 10);
    parse_bad(buf, "bad.yaml:3:18: party \"AAA\" is listed twice");
    snprintf(buf, sizeof buf, "%s", SYM_DEAL);
    p = strstr(buf, "2019-01-01");
    memcpy(p, "2019-13-01", 10);
    parse_bad(buf, "expected a calendar date");
    /* 17 distinct years over two commitments: more than the limit of 16 */
    char big[4096];
    int n = snprintf(big, sizeof big, "deal:\n  name: x\n  parties: [A, B]\n"
                     "  threat: {scenario: s, date: 2019-01-01}\n"
                     "  tariffs: {scenario: s, date: 2019-01-01}\n  commitments:\n"
                     "    - {category: One, importer: A, exporter: B, sectors: [S],"
                     " baseline_usd_bn: 1, increments_usd_bn: {");
    for (int y = 0; y < 16; y++)
        n += snprintf(big + n, sizeof big - (size_t)n, "%s%d: 1", y ? ", " : "", 2000 + y);
    snprintf(big + n, sizeof big - (size_t)n, "}}\n    - {category: Two, importer: A, "
             "exporter: B, sectors: [S], baseline_usd_bn: 1, increments_usd_bn: {2030: 1}}\n");
    parse_bad(big, "more than 16 distinct years");
}

static void test_phase_one_default_world(void **state)
{
    (void)state;
    tw_world *w = NULL;
    tw_deal *d = NULL;
    tw_scenario *threat = NULL, *tariffs = NULL;
    tw_deal_analysis *a = NULL;
    tw_err err;
    assert_int_equal(tw_world_default(&w, &err), TW_OK);
    assert_int_equal(tw_deal_library_read("phase-one-2020", &d, &err), TW_OK);
    assert_int_equal(tw_deal_load_scenarios(d, &threat, &tariffs, &err), TW_OK);
    assert_int_equal(tw_deal_analyze(w, d, threat, tariffs, NULL, &a, &err), TW_OK);
    for (size_t p = 0; p < 2; p++) {
        double v = tw_deal_analysis_value_pct(a, p, 0), usd = tw_deal_analysis_value_usd_bn(a, p, 0);
        assert_true(v > 0.0 && v < 1.0);
        assert_true(usd > 0.1 && usd < 100.0);
        assert_true(tw_deal_analysis_value_pct(a, p, 1) > v);
        for (size_t k = 0; k < 2; k++) {
            double ds = tw_deal_analysis_critical_delta(a, p, k);
            assert_true(ds > 0.0 && ds < 1.0);
        }
        /* the war hurts both parties relative to the pre-war baseline */
        assert_true(tw_deal_analysis_payoff(a, p, 0, 'P') < 0.0);
    }
    tw_deal_analysis_free(a);
    tw_scenario_free(threat);
    tw_scenario_free(tariffs);
    tw_deal_free(d);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas),
        cmocka_unit_test(test_symmetric_closed_form),
        cmocka_unit_test(test_status_quo_worth_zero),
        cmocka_unit_test(test_purchase_wedge),
        cmocka_unit_test(test_compliance),
        cmocka_unit_test(test_deal_files),
        cmocka_unit_test(test_phase_one_default_world),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
