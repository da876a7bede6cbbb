/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_timeline.c: dated scenarios solved wave by wave (policy/timeline.c):
 * the accounting of the cost so far (one wave of known duration gives flow x time), wave
 * states (an action that ends restores the earlier state exactly), agreement with a single
 * tw_simulate, code resolution errors with file:line:col, groups and "others".
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"
#include "twtest.h"

static tw_world *world(void)
{
    return twtest_synthetic(4, 3, 2385);
}

static tw_scenario *parse(const char *yaml)
{
    tw_scenario *sc = NULL;
    tw_err err = {0};
    tw_status st = tw_scenario_read_buf(yaml, strlen(yaml), "t.yaml", &sc, &err);
    if (st != TW_OK)
        fail_msg("parse: %s", err.msg);
    return sc;
}

/* The timeline of sc on w to the default end; fails the test unless it runs. */
static tw_timeline *run_ok(const tw_world *w, const tw_scenario *sc, tw_deficits deficits)
{
    tw_timeline *t = NULL;
    tw_err err = {0};
    tw_status st = tw_timeline_run(w, sc, deficits, NULL, NULL, &t, &err);
    if (st != TW_OK)
        fail_msg("tw_timeline_run: status %d (%s), expected TW_OK", (int)st, err.msg);
    return t;
}

static void test_one_wave_flow_times_time(void **state)
{
    (void)state;
    tw_world *w = world();
    tw_scenario *sc = parse("start: 2019-01-01\n"
                            "until: 2021-01-01\n"
                            "actions:\n"
                            "  - {id: A, imposer: C000, target: C001, rate: {add: 0.2},\n"
                            "     effective: 2020-01-01}\n");
    tw_timeline *t = run_ok(w, sc, TW_DEFICITS_DATA);
    tw_err err = {0};
    assert_int_equal(tw_timeline_n_waves(t), 1);
    assert_string_equal(tw_timeline_wave_date(t, 0), "2020-01-01");
    assert_string_equal(tw_timeline_until(t), "2021-01-01");
    assert_int_equal(tw_timeline_final_wave(t), 0);
    double years = 366.0 / 365.25; /* 2020 is a leap year */
    assert_true(fabs(tw_timeline_wave_years(t, 0) - years) < 1e-15);
    for (size_t c = 0; c < 4; c++) {
        double ev = tw_result_country(tw_timeline_wave_result(t, 0), TW_C_WELFARE_USD, c);
        assert_true(fabs(tw_timeline_cumulative_usd(t, c) - ev * years) <= 1e-9 * fabs(ev));
    }
    /* --until before the wave: nothing accrues. */
    tw_timeline_free(t);
    assert_int_equal(tw_timeline_run(w, sc, TW_DEFICITS_DATA, "2019-06-30", NULL, &t, &err),
                     TW_OK);
    assert_int_equal(tw_timeline_final_wave(t), 1);
    for (size_t c = 0; c < 4; c++)
        assert_true(tw_timeline_cumulative_usd(t, c) == 0.0);
    tw_timeline_free(t);
    assert_int_equal(tw_timeline_run(w, sc, TW_DEFICITS_DATA, "2019-02-30", NULL, &t, &err),
                     TW_EINVAL);
    assert_null(t);
    tw_scenario_free(sc);
    tw_world_free(w);
}

static void test_waves_and_equivalence(void **state)
{
    (void)state;
    tw_world *w = world();
    tw_scenario *sc = parse("start: 2018-01-01\n"
                            "actions:\n"
                            "  - {id: A, label: first, imposer: C000, target: all,\n"
                            "     rate: {add: 0.1}, effective: 2018-03-01}\n"
                            "  - {id: B, label: second, imposer: [C001, C002], target: C000,\n"
                            "     sectors: [S000], rate: {set: 0.3}, effective: 2018-06-01,\n"
                            "     end: 2019-01-01}\n");
    tw_timeline *t = run_ok(w, sc, TW_DEFICITS_ZERO);
    tw_err err = {0};
    assert_int_equal(tw_timeline_n_waves(t), 3);
    assert_string_equal(tw_timeline_wave_label(t, 0), "+A");
    assert_string_equal(tw_timeline_wave_label(t, 2), "-B");
    /* One year after the last wave by default. */
    assert_string_equal(tw_timeline_until(t), "2020-01-01");
    const tw_result *r0 = tw_timeline_wave_result(t, 0), *r2 = tw_timeline_wave_result(t, 2);
    for (size_t c = 0; c < 4; c++)
        assert_true(tw_result_country(r0, TW_C_REAL_INCOME_PCT, c) ==
                    tw_result_country(r2, TW_C_REAL_INCOME_PCT, c));
    /* Wave 1 equals a direct simulation of the same tariffs. */
    tw_shock *sh = twtest_shock_new(w);
    for (size_t s = 0; s < 3; s++)
        for (size_t i = 1; i < 4; i++)
            assert_int_equal(tw_shock_set_tariff(sh, 0, i, s, tw_world_tariff(w, 0, i, s) + 0.1,
                                                 &err), TW_OK);
    assert_int_equal(tw_shock_set_tariff(sh, 1, 0, 0, 0.3, &err), TW_OK);
    assert_int_equal(tw_shock_set_tariff(sh, 2, 0, 0, 0.3, &err), TW_OK);
    tw_result *r = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
    for (size_t c = 0; c < 4; c++)
        assert_true(fabs(tw_result_country(r, TW_C_REAL_INCOME_PCT, c) -
                         tw_result_country(tw_timeline_wave_result(t, 1), TW_C_REAL_INCOME_PCT,
                                           c)) < 1e-10);
    /* Involvement: C003 is only targeted through "all". */
    assert_true(tw_timeline_country_involved(t, 3));
    tw_result_free(r);
    tw_shock_free(sh);
    tw_timeline_free(t);
    tw_scenario_free(sc);
    tw_world_free(w);
}

static void test_groups_and_others(void **state)
{
    (void)state;
    tw_world *w = world();
    tw_scenario *sc = parse("start: 2018-01-01\n"
                            "groups:\n"
                            "  BLOC: [C000, C001]\n"
                            "actions:\n"
                            "  - {imposer: BLOC, target: others, rate: {add: 0.05},\n"
                            "     effective: 2018-02-01}\n");
    tw_timeline *t = run_ok(w, sc, TW_DEFICITS_DATA);
    /* others = C002 and C003: both are involved (targeted) */
    for (size_t c = 0; c < 4; c++)
        assert_true(tw_timeline_country_involved(t, c));
    tw_timeline_free(t);
    tw_scenario_free(sc);
    tw_world_free(w);
}

struct bad_case {
    const char *yaml;
    tw_status status;
    const char *substring;
};

static void test_resolution_errors(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"start: 2018-01-01\nactions:\n  - {imposer: XXX, target: C001, rate: {add: 0.1},"
         " effective: 2018-02-01}\n", TW_EINVAL, "t.yaml:3:15: unknown country or group \"XXX\""},
        {"start: 2018-01-01\nactions:\n  - {imposer: C000, target: C001, sectors: [NOPE],"
         " rate: {add: 0.1}, effective: 2018-02-01}\n", TW_EINVAL, "unknown sector \"NOPE\""},
        {"start: 2018-01-01\nactions:\n  - {imposer: C000, target: C001, rate: {add: -0.9},"
         " effective: 2018-02-01}\n", TW_EINVAL, "negative"},
        {"start: 2018-01-01\ntariff_csv: no-such-file.csv\nactions: []\n", TW_EIO,
         "no-such-file.csv"},
        {"start: 2018-01-01\ngroups:\n  G: [C000, ZZZ]\nactions:\n  - {imposer: G, target: C001,"
         " rate: {add: 0.1}, effective: 2018-02-01}\n", TW_EINVAL, "unknown country \"ZZZ\""},
    };
    tw_world *w = world();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tw_scenario *sc = parse(cases[k].yaml);
        tw_timeline *t = NULL;
        tw_err err = {0};
        assert_int_equal(tw_timeline_run(w, sc, TW_DEFICITS_DATA, NULL, NULL, &t, &err),
                         cases[k].status);
        assert_null(t);
        if (strstr(err.msg, cases[k].substring) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", k, err.msg, cases[k].substring);
        tw_scenario_free(sc);
    }
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_wave_flow_times_time),
        cmocka_unit_test(test_waves_and_equivalence),
        cmocka_unit_test(test_groups_and_others),
        cmocka_unit_test(test_resolution_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
