/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_game.c: the tariff-game model (model/mc.c) and games (policy/game.c).
 *
 *   - exact gradients (adjoint) against central differences, both objectives, every cell;
 *   - the two-country closed form: the optimal tariff is the inverse export-supply elasticity,
 *     t = 1 / (epsilon (1 - lambda)) with lambda = the country's share of the partner's spending
 *     at the optimum (Lashkaripour 2021, section 3, with one partner and one sector; the classic
 *     Johnson 1953 result);
 *   - Lashkaripour's sufficient-statistics Nash tariffs against the best-response Nash tariffs
 *     found by optimisation (differential, within 0.5 points: the formula is exact with one
 *     partner only);
 *   - the baseline is a fixed point (no change in, no change out); Ossa's model refuses worlds
 *     with input-output links; bounds that bind are counted;
 *   - the input-output variant reproduces the CP2015 engine (differential) and its gradients;
 *     a US-China war on the built-in world converges;
 *   - Ossa (2014) headline results and Lashkaripour (2021) on WIOD 2014 (shared data; skipped
 *     without it unless CI=true), to the printed precision: mean optimal tariff 62 %, Nash 63 %,
 *     government welfare in the war -2.9 %, talks from the factual equilibrium +0.5 % for every
 *     government (Ossa 2014, abstract and Tables 3-5, with lobbying);
 *     WIOD 2014 uniform Nash war: mean welfare -2.4 % (paper Table 2: -2.42 %), every country
 *     loses, mean Nash tariff 38.6 % here (the paper's 40.5 % uses 56 industries and other
 *     tariffs; docs/games.md).
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

/* Under AddressSanitizer (CI's second pass, for memory errors) the long talks computation is
 * left to the release run, which checks the numbers. */
#if defined(__SANITIZE_ADDRESS__)
#define TW_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TW_TEST_SANITIZED 1
#endif
#endif
#ifndef TW_TEST_SANITIZED
#define TW_TEST_SANITIZED 0
#endif

#include "core/world.h"
#include "model/mc.h"
#include "tradewar/tradewar.h"
#include "twtest.h"

/* TW_TEST_QUICK=1 (scripts/valgrind-unit.sh): skip the long solves on real data, which the
 * release and sanitizer runs cover. */
static bool quick(void)
{
    const char *q = getenv("TW_TEST_QUICK");
    return q != NULL && q[0] != '\0' && strcmp(q, "0") != 0;
}

/* A world without input-output links: N countries x S sectors, pseudo-random flows with a home
 * bias, tariffs, trade elasticities theta, weights lambda != 1, unbalanced trade. */
static tw_world *small_world(size_t N, size_t S, unsigned seed, const char *model)
{
    struct tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_alloc(N, S, &w, &err), TW_OK);
    unsigned x = seed;
    char code[8];
    for (size_t c = 0; c < N; c++) {
        snprintf(code, sizeof code, "C%zu", c);
        assert_int_equal(tw_world_set_string(&w->country_code[c], code, &err), TW_OK);
    }
    for (size_t s = 0; s < S; s++) {
        snprintf(code, sizeof code, "S%zu", s);
        assert_int_equal(tw_world_set_string(&w->sector_code[s], code, &err), TW_OK);
        w->theta[s] = 2.5 + 1.5 * (double)s;
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                x = x * 1103515245u + 12345u;
                double u = (double)((x >> 8) % 1000) / 1000.0;
                size_t k = tw_world_ijs(w, i, j, s);
                w->flow[k] = (i == j ? 60.0 : 5.0) * (0.5 + u);
                w->tariff[k] = i == j ? 0.0 : 0.02 + 0.1 * u;
            }
    for (size_t c = 0; c < N; c++) {
        double tot = 0.0;
        for (size_t s = 0; s < S; s++) {
            double a = 0.0;
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, c, s);
                a += w->flow[k] * (1.0 + w->tariff[k]);
            }
            w->alpha[tw_world_cs(w, c, s)] = a;
            w->va_share[tw_world_cs(w, c, s)] = 1.0;
            w->pe_weight[tw_world_cs(w, c, s)] = 0.6 + 0.8 * (double)((c + s) % 2);
            if (N == 2 && c == 1) /* the two-country closed form: a free-trading partner */
                for (size_t i = 0; i < N; i++)
                    w->tariff[tw_world_ijs(w, i, c, s)] = 0.0;
            tot += a;
        }
        for (size_t s = 0; s < S; s++)
            w->alpha[tw_world_cs(w, c, s)] /= tot;
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
    }
    assert_int_equal(tw_world_set_string(&w->meta_model, model, &err), TW_OK);
    return w;
}

/* The model of w (with profits or not), purged, and a new state of it (free both). */
static struct tw_mc_state *mc_state_ok(const tw_world *w, bool profits, struct tw_mc **m)
{
    struct tw_mc_state *st = NULL;
    tw_err err;
    assert_int_equal(tw_mc_new(w, profits, m, &err), TW_OK);
    assert_int_equal(tw_mc_purge(*m, &err), TW_OK);
    assert_int_equal(tw_mc_state_new(*m, &st, &err), TW_OK);
    return st;
}

static void check_gradient(bool profits)
{
    tw_world *w = small_world(4, 3, 7u, profits ? "ossa2014" : "lashkaripour2021");
    tw_err err;
    struct tw_mc *m = NULL;
    struct tw_mc_state *st = mc_state_ok(w, profits, &m);
    size_t N = m->N, S = m->S, C = S * N * N;
    double *t = malloc(C * sizeof *t), *g = malloc(C * sizeof *g), *t2 = malloc(C * sizeof *t2);
    for (size_t k = 0; k < C; k++)
        t[k] = k % (N + 1) == 0 ? 0.0 : m->t0[k] + 0.05 * (double)(k % 5);
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            t[(s * N + j) * N + j] = 0.0;
    for (int obj = 0; obj < 2; obj++)
        for (size_t c = 0; c < N; c++) {
            tw_mc_state_set_tariffs(st, t);
            assert_int_equal(tw_mc_solve(st, &err), TW_OK);
            assert_int_equal(tw_mc_gradient(st, c, (tw_mc_objective)obj, g, &err), TW_OK);
            for (size_t k = 0; k < C; k++) {
                size_t i = k % N, j = (k / N) % N;
                if (i == j) {
                    assert_true(g[k] == 0.0);
                    continue;
                }
                const double h = 1e-5;
                double z = log1p(t[k]), f[2];
                for (int side = 0; side < 2; side++) {
                    memcpy(t2, t, C * sizeof *t2);
                    t2[k] = expm1(z + (side ? -h : h));
                    tw_mc_state_set_tariffs(st, t2);
                    assert_int_equal(tw_mc_solve(st, &err), TW_OK);
                    f[side] = tw_mc_log_objective(st, c, (tw_mc_objective)obj);
                }
                double fd = (f[0] - f[1]) / (2.0 * h);
                /* central differences: truncation ~h^2, solver noise ~1e-12/h */
                if (fabs(g[k] - fd) > 1e-6 * fmax(1.0, fabs(fd)))
                    fail_msg("objective %d of country %zu, cell %zu: adjoint %.10g, central "
                             "difference %.10g", obj, c, k, g[k], fd);
            }
        }
    free(t);
    free(g);
    free(t2);
    tw_mc_state_free(st);
    tw_mc_free(m);
    tw_world_free(w);
}

static void test_gradient_ossa(void **state)
{
    (void)state;
    check_gradient(true);
}

static void test_gradient_perfect_competition(void **state)
{
    (void)state;
    check_gradient(false);
}

static void test_baseline_is_fixed_point(void **state)
{
    (void)state;
    tw_world *w = small_world(3, 2, 11u, "ossa2014");
    tw_err err;
    tw_game *g = NULL;
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_new(w, NULL, &g, &err), TW_OK);
    double *t = malloc(2 * 9 * sizeof *t);
    for (size_t s = 0; s < 2; s++)
        for (size_t j = 0; j < 3; j++)
            for (size_t i = 0; i < 3; i++)
                t[(s * 3 + j) * 3 + i] = tw_world_tariff(w, j, i, s);
    assert_int_equal(tw_game_evaluate(g, t, &r, &err), TW_OK);
    for (size_t c = 0; c < 3; c++) {
        assert_true(fabs(tw_game_result_welfare_pct(r, c)) < 1e-9);
        assert_true(fabs(tw_game_result_gov_welfare_pct(r, c)) < 1e-9);
    }
    free(t);
    tw_game_result_free(r);
    tw_game_free(g);
    tw_world_free(w);
}

static void test_two_country_closed_form(void **state)
{
    (void)state;
    tw_world *w = small_world(2, 1, 3u, "lashkaripour2021");
    tw_err err;
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.lobbying = false;
    tw_game *g = NULL;
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    assert_int_equal(tw_game_optimal(g, 0, &r, &err), TW_OK);
    double t = tw_game_result_tariff(r, 0, 1, 0);
    /* lambda: country 0's share of country 1's spending at the optimum, from a model state */
    struct tw_mc *m = NULL;
    struct tw_mc_state *st = mc_state_ok(w, false, &m);
    double cube[4];
    memcpy(cube, m->t0, sizeof cube);
    cube[(0 * 2 + 0) * 2 + 1] = t;
    tw_mc_state_set_tariffs(st, cube);
    assert_int_equal(tw_mc_solve(st, &err), TW_OK);
    double lambda = st->gp[(0 * 2 + 1) * 2 + 0], eps = w->theta[0];
    double closed = 1.0 / (eps * (1.0 - lambda));
    if (fabs(t - closed) > 1e-6)
        fail_msg("optimal tariff %.10g, inverse export-supply elasticity %.10g", t, closed);
    assert_true(tw_game_result_welfare_pct(r, 0) > 0.0);
    assert_true(tw_game_result_welfare_pct(r, 1) < 0.0);
    tw_mc_state_free(st);
    tw_mc_free(m);
    tw_game_result_free(r);
    tw_game_free(g);
    tw_world_free(w);
}

static void test_formula_equals_best_responses(void **state)
{
    (void)state;
    tw_world *w = small_world(4, 3, 5u, "lashkaripour2021");
    tw_err err;
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.lobbying = false;
    o.instrument = TW_GAME_UNIFORM;
    o.tol = 1e-8;
    size_t players[4] = {0, 1, 2, 3};
    tw_game_result *rf = NULL, *ro = NULL;
    tw_game *g = NULL;
    o.method = TW_GAME_METHOD_FORMULA;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    if (tw_game_nash(g, players, 4, &rf, &err) != TW_OK)
        fail_msg("formula: %s", err.msg);
    tw_game_free(g);
    o.method = TW_GAME_METHOD_OPTIMIZE;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    assert_int_equal(tw_game_nash(g, players, 4, &ro, &err), TW_OK);
    for (size_t c = 0; c < 4; c++) {
        double a = tw_game_result_tariff(rf, c, (c + 1) % 4, 0);
        double b = tw_game_result_tariff(ro, c, (c + 1) % 4, 0);
        /* The formula is the first-order condition Lashkaripour derives for uniform tariffs
         * (exact with one partner: test_two_country_closed_form); with several partners and
         * import tariffs only the exact best response differs slightly (0.2 points here;
         * docs/games.md) */
        if (fabs(a - b) > 0.005)
            fail_msg("country %zu: formula %.8g, best responses %.8g", c, a, b);
        assert_true(tw_game_result_welfare_pct(rf, c) < 0.0); /* everyone loses a war */
    }
    tw_game_result_free(rf);
    tw_game_result_free(ro);
    tw_game_free(g);
    tw_world_free(w);
}

static void test_bounds_and_refusals(void **state)
{
    (void)state;
    tw_world *w = small_world(3, 2, 9u, "ossa2014");
    tw_err err;
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.upper = 0.01; /* below every optimal tariff: all bind */
    o.lobbying = false;
    tw_game *g = NULL;
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    assert_int_equal(tw_game_optimal(g, 1, &r, &err), TW_OK);
    assert_int_equal(tw_game_result_at_upper(r, 1), 4);
    tw_game_result_free(r);
    tw_game_free(g);
    o.upper = -1.0;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_EINVAL);
    tw_world_free(w);
    tw_world *d = NULL;
    tw_game_opts_init(&o);
    o.model = "ossa2014"; /* monopolistic competition has no input-output links */
    assert_int_equal(tw_world_default(&d, &err), TW_OK);
    assert_int_equal(tw_game_new(d, &o, &g, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "input-output"));
    o.model = "nonsense";
    assert_int_equal(tw_game_new(d, &o, &g, &err), TW_EINVAL);
    tw_world_free(d);
}

/* The input-output variant (model/mc_io.c) against the CP2015 engine (model/cp.c, nested fixed
 * points) on the built-in world: a 25-point US tariff on China, balanced trade. The two are
 * independent solutions of the same equations (Caliendo-Parro 2015, eqs. 7-12). */
static void test_io_model_matches_cp_engine(void **state)
{
    (void)state;
    tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_default(&w, &err), TW_OK);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w), usa, chn;
    assert_true(tw_world_find_country(w, "USA", &usa) && tw_world_find_country(w, "CHN", &chn));
    tw_shock *sh = twtest_shock_new(w);
    for (size_t s = 0; s < S; s++)
        if (tw_world_sector_is_tradable(w, s))
            assert_int_equal(tw_shock_set_tariff(sh, usa, chn, s,
                                                 tw_world_tariff(w, usa, chn, s) + 0.25, &err),
                             TW_OK);
    tw_result *cp = twtest_simulate(w, sh, TW_DEFICITS_ZERO, NULL);
    tw_game *g = NULL;
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_new(w, NULL, &g, &err), TW_OK);
    double *t = malloc(S * N * N * sizeof *t);
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++)
                t[(s * N + j) * N + i] = tw_shock_tariff(sh, j, i, s);
    assert_int_equal(tw_game_evaluate(g, t, &r, &err), TW_OK);
    for (size_t c = 0; c < N; c++) {
        double a = tw_result_country(cp, TW_C_REAL_INCOME_PCT, c);
        double b = tw_game_result_welfare_pct(r, c);
        if (fabs(a - b) > 1e-7)
            fail_msg("%s: CP engine %.10f %%, stacked model %.10f %%", tw_world_country_code(w, c),
                     a, b);
    }
    /* exact gradients with input-output links: adjoint against central differences */
    struct tw_mc *m = NULL;
    struct tw_mc_state *st = mc_state_ok(w, false, &m);
    double *gz = malloc(S * N * N * sizeof *gz), *t2 = malloc(S * N * N * sizeof *t2);
    tw_mc_state_set_tariffs(st, t);
    assert_int_equal(tw_mc_solve(st, &err), TW_OK);
    assert_int_equal(tw_mc_gradient(st, usa, TW_MC_WELFARE, gz, &err), TW_OK);
    for (size_t k = 0; k < S * N * N; k += quick() ? 97 : 7) {
        size_t i = k % N, j = (k / N) % N;
        if (i == j)
            continue;
        const double h = 1e-5;
        double z = log1p(t[k]), f[2];
        for (int side = 0; side < 2; side++) {
            memcpy(t2, t, S * N * N * sizeof *t2);
            t2[k] = expm1(z + (side ? -h : h));
            tw_mc_state_set_tariffs(st, t2);
            assert_int_equal(tw_mc_solve(st, &err), TW_OK);
            f[side] = tw_mc_log_objective(st, usa, TW_MC_WELFARE);
        }
        double fd = (f[0] - f[1]) / (2.0 * h);
        if (fabs(gz[k] - fd) > 1e-7 * fmax(1.0, fabs(fd)) + 1e-9)
            fail_msg("cell %zu: adjoint %.10g, central difference %.10g", k, gz[k], fd);
    }
    free(gz);
    free(t2);
    free(t);
    tw_mc_state_free(st);
    tw_mc_free(m);
    tw_game_result_free(r);
    tw_game_free(g);
    tw_result_free(cp);
    tw_shock_free(sh);
    tw_world_free(w);
}

/* A US-China war on the built-in world, each taxing only the other: it converges, both set
 * positive tariffs on each other, and the others' tariffs are untouched. */
static void test_us_china_war_default_world(void **state)
{
    (void)state;
    if (quick())
        skip();
    tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_default(&w, &err), TW_OK);
    size_t p[2], N = tw_world_n_country(w), S = tw_world_n_sector(w);
    assert_true(tw_world_find_country(w, "USA", &p[0]) && tw_world_find_country(w, "CHN", &p[1]));
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.against_players = true;
    o.threads = 1;
    tw_game *g = NULL;
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    assert_int_equal(tw_game_nash(g, p, 2, &r, &err), TW_OK);
    assert_true(tw_game_result_converged(r));
    double mean, med;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tw_game_result_tariff_stats(r, p[k], &mean, &med), TW_OK);
        assert_true(mean > 0.01 && mean < 1.0);
    }
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            if (i != p[0] && i != p[1])
                assert_true(tw_game_result_tariff(r, p[0], i, s) ==
                            tw_world_tariff(w, p[0], i, s));
    tw_game_result_free(r);
    tw_game_free(g);
    tw_world_free(w);
}

static double mean_median(tw_game_result *r, size_t N)
{
    double m = 0.0;
    for (size_t c = 0; c < N; c++) {
        double mean, med;
        assert_int_equal(tw_game_result_tariff_stats(r, c, &mean, &med), TW_OK);
        m += med;
    }
    return m / (double)N;
}

static void test_ossa2014_headlines(void **state)
{
    (void)state;
    if (quick())
        skip();
    char dir[TWTEST_PATH];
    twtest_shared("ossa2014", dir);
    tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_import("ossa2014", dir, &w, &err), TW_OK);
    tw_game *g = NULL;
    assert_int_equal(tw_game_new(w, NULL, &g, &err), TW_OK);
    size_t N = tw_world_n_country(w);
    double opt = 0.0;
    for (size_t c = 0; c < N; c++) {
        tw_game_result *r = NULL;
        assert_int_equal(tw_game_optimal(g, c, &r, &err), TW_OK);
        double mean, med;
        assert_int_equal(tw_game_result_tariff_stats(r, c, &mean, &med), TW_OK);
        opt += med / (double)N;
        tw_game_result_free(r);
    }
    /* Ossa (2014), abstract / Table 3: optimal tariffs average 62 % */
    if (fabs(100.0 * opt - 62.0) >= 0.5)
        fail_msg("mean optimal tariff %.2f %%, expected 62 %%", 100.0 * opt);
    size_t players[7] = {0, 1, 2, 3, 4, 5, 6};
    tw_game_result *r = NULL;
    assert_int_equal(tw_game_nash(g, players, N, &r, &err), TW_OK);
    double nash = mean_median(r, N), gw = 0.0;
    for (size_t c = 0; c < N; c++)
        gw += tw_game_result_gov_welfare_pct(r, c) / (double)N;
    /* Table 4: Nash tariffs average 63 %, government welfare -2.9 % */
    if (fabs(100.0 * nash - 63.0) >= 0.5 || fabs(gw + 2.9) >= 0.05)
        fail_msg("Nash: mean tariff %.2f %% (expected 63), gov welfare %.3f %% (expected -2.9)",
                 100.0 * nash, gw);
    tw_game_result_free(r);
    if (TW_TEST_SANITIZED) {
        tw_game_free(g);
        tw_world_free(w);
        return;
    }
    /* Table 5 (talks from the factual equilibrium, with lobbying): every government gains
     * 0.5 %, equally */
    assert_int_equal(tw_game_talks(g, TW_GAME_FROM_FACTUAL, TW_GAME_EQUAL_GAINS, &r, &err), TW_OK);
    for (size_t c = 0; c < N; c++) {
        double gc = tw_game_result_gov_welfare_pct(r, c);
        if (fabs(gc - 0.5) >= 0.05 || fabs(gc - tw_game_result_gov_welfare_pct(r, 0)) > 0.01)
            fail_msg("talks: %s gains %.4f %%, expected 0.5 %% for every government",
                     tw_world_country_code(w, c), gc);
    }
    tw_game_result_free(r);
    tw_game_free(g);
    tw_world_free(w);
}

static void test_lashkaripour_wiod2014_war(void **state)
{
    (void)state;
    if (quick())
        skip();
    char dir[TWTEST_PATH];
    twtest_shared("wiod_2014_trade_tariffs/full", dir);
    tw_world *w = NULL;
    tw_err err;
    assert_int_equal(tw_world_import("lashkaripour-wiod2014", dir, &w, &err), TW_OK);
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.instrument = TW_GAME_UNIFORM;
    tw_game *g = NULL;
    assert_int_equal(tw_game_new(w, &o, &g, &err), TW_OK);
    size_t N = tw_world_n_country(w), players[64];
    for (size_t c = 0; c < N; c++)
        players[c] = c;
    tw_game_result *r = NULL;
    tw_status st = tw_game_nash(g, players, N, &r, &err);
    if (st != TW_OK)
        fail_msg("war: %s", err.msg);
    double wel = 0.0;
    for (size_t c = 0; c < N; c++) {
        wel += tw_game_result_welfare_pct(r, c) / (double)N;
        assert_true(tw_game_result_welfare_pct(r, c) < 0.0);
    }
    double tar = mean_median(r, N);
    if (fabs(wel + 2.4) >= 0.05 || fabs(100.0 * tar - 38.6) >= 0.05)
        fail_msg("WIOD 2014 war: mean welfare %.3f %% (expected -2.4), mean tariff %.3f %% "
                 "(this engine's reviewed value 38.6)", wel, 100.0 * tar);
    tw_game_result_free(r);
    tw_game_free(g);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradient_ossa),
        cmocka_unit_test(test_gradient_perfect_competition),
        cmocka_unit_test(test_baseline_is_fixed_point),
        cmocka_unit_test(test_two_country_closed_form),
        cmocka_unit_test(test_formula_equals_best_responses),
        cmocka_unit_test(test_bounds_and_refusals),
        cmocka_unit_test(test_io_model_matches_cp_engine),
        cmocka_unit_test(test_us_china_war_default_world),
        cmocka_unit_test(test_ossa2014_headlines),
        cmocka_unit_test(test_lashkaripour_wiod2014_war),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
