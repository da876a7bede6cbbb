/* SPDX-License-Identifier: MIT */
/*
 * src/cli/whatif.c: `tradewar run SCENARIO --retaliation optimal`: what if every partner of the
 * United States answered the US tariffs of the scenario with its best response, and what is the
 * US's own (uniform) optimal tariff, without and against optimal retaliation (docs/games.md,
 * docs/scenarios.md). Built from the scenario's timeline with the tariff-game API:
 *   - the reference state (the world's tariffs with the scenario's baseline actions) is the
 *     game's baseline, solved with the data's deficits held, as the timeline does;
 *   - at the wave with the highest average US tariff and at the last wave, the US tariffs are
 *     those in force then; every other country chooses its tariffs on US goods by sector (a
 *     Nash equilibrium among the partners, each taxing only the US);
 *   - the US uniform optimal tariff with every other tariff at the reference state, and the
 *     uniform Nash equilibrium in which the US taxes everyone and each partner only the US
 *     (the experiment of Ignatenko, Lashkaripour, Macedoni and Simonovska 2025).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct whatif {
    const tw_world *w;
    const tw_timeline *t;
    size_t N, S, usa;
    double *ref;   /* [S*N*N] the reference state's tariffs */
    double *cube;  /* [S*N*N] scratch */
    bool *mask;    /* [N*N] */
};

static void wave_cube(const struct whatif *x, size_t k, double *cube)
{
    size_t N = x->N, S = x->S;
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++)
                cube[(s * N + j) * N + i] = i == j ? 0.0 : tw_timeline_wave_tariff(x->t, k, j, i, s);
}

/* Record an out-of-memory failure in err (the CLI has no tw_err_set). */
static tw_status oom(tw_err *err)
{
    err->code = TW_ENOMEM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return TW_ENOMEM;
}

/* Simple average of the US tariffs at wave k (over partners and sectors). */
static double us_average(const struct whatif *x, size_t k)
{
    double sum = 0.0;
    size_t n = 0;
    for (size_t s = 0; s < x->S; s++)
        for (size_t i = 0; i < x->N; i++)
            if (i != x->usa) {
                sum += tw_timeline_wave_tariff(x->t, k, x->usa, i, s);
                n++;
            }
    return n ? sum / (double)n : 0.0;
}

static tw_status retaliation_at(const struct whatif *x, size_t k, bool json, tw_err *err)
{
    size_t N = x->N, S = x->S, usa = x->usa;
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.purge = false; /* the data's deficits, as the timeline holds them */
    o.threads = 1;
    tw_game *g = NULL;
    tw_game_result *r = NULL, *only_us = NULL;
    tw_status st = tw_game_new_at(x->w, x->ref, &o, &g, err);
    if (st != TW_OK)
        return st;
    /* partners tax only the US; the US's tariffs are those in force at wave k */
    for (size_t c = 0; c < N; c++)
        for (size_t i = 0; i < N; i++)
            x->mask[c * N + i] = c != usa && i == usa;
    memcpy(x->cube, x->ref, S * N * N * sizeof(double));
    for (size_t s = 0; s < S; s++)
        for (size_t i = 0; i < N; i++)
            if (i != usa)
                x->cube[(s * N + usa) * N + i] = tw_timeline_wave_tariff(x->t, k, usa, i, s);
    size_t *players = malloc(N * sizeof *players), np = 0;
    if (players == NULL) {
        tw_game_free(g);
        return oom(err);
    }
    for (size_t c = 0; c < N; c++)
        if (c != usa)
            players[np++] = c;
    st = tw_game_set_targets(g, x->mask, err);
    if (st == TW_OK)
        st = tw_game_evaluate(g, x->cube, &only_us, err);
    if (st == TW_OK)
        st = tw_game_nash_at(g, x->cube, players, np, &r, err);
    free(players);
    if (st == TW_OK || st == TW_NOT_CONVERGED) {
        if (json)
            st = tw_report_game_json(stdout, g, r, err);
        else {
            printf("What-if: optimal retaliation against the US tariffs in force on %s\n"
                   "(every partner's best-response tariffs on US goods, by sector; real income "
                   "relative to the reference state)\n",
                   tw_timeline_wave_date(x->t, k));
            printf("  %-6s %14s %14s %14s\n", "", "retaliation", "real income %", "real income %");
            printf("  %-6s %14s %14s %14s\n", "code", "tariff on US %", "US tariffs only",
                   "with retaliation");
            for (size_t c = 0; c < N; c++) {
                char ret[32] = "-";
                if (c != usa) {
                    double mean = 0.0;
                    for (size_t s = 0; s < S; s++)
                        mean += tw_game_result_tariff(r, c, usa, s) / (double)S;
                    snprintf(ret, sizeof ret, "%.1f", 100.0 * mean);
                }
                printf("  %-6s %14s %14.3f %14.3f\n", tw_world_country_code(x->w, c), ret,
                       tw_game_result_welfare_pct(only_us, c), tw_game_result_welfare_pct(r, c));
            }
            printf("  %s after %zu best-response rounds\n\n",
                   tw_game_result_converged(r) ? "Converged" : "NOT CONVERGED",
                   tw_game_result_iterations(r));
        }
    }
    tw_game_result_free(r);
    tw_game_result_free(only_us);
    tw_game_free(g);
    return st;
}

/* The US uniform optimal tariff, others at the reference state, and the uniform Nash
 * equilibrium with partners retaliating on the US only. */
static tw_status us_optimum(const struct whatif *x, tw_err *err)
{
    size_t N = x->N, usa = x->usa;
    tw_game_opts o;
    tw_game_opts_init(&o);
    o.purge = false;
    o.threads = 1;
    o.instrument = TW_GAME_UNIFORM;
    tw_game *g = NULL;
    tw_game_result *r = NULL, *n = NULL;
    tw_status st = tw_game_new_at(x->w, x->ref, &o, &g, err);
    if (st != TW_OK)
        return st;
    st = tw_game_optimal(g, usa, &r, err);
    size_t *players = malloc(N * sizeof *players);
    if (st == TW_OK && players == NULL)
        st = oom(err);
    if (st == TW_OK) {
        for (size_t c = 0; c < N; c++) {
            players[c] = c;
            for (size_t i = 0; i < N; i++)
                x->mask[c * N + i] = c == usa ? i != usa : i == usa;
        }
        st = tw_game_set_targets(g, x->mask, err);
        if (st == TW_OK)
            st = tw_game_nash(g, players, N, &n, err);
        if (st == TW_NOT_CONVERGED)
            st = TW_OK;
    }
    free(players);
    if (st == TW_OK) {
        double mean, med, pm = 0.0, wm = 0.0;
        tw_game_result_tariff_stats(r, usa, &mean, &med);
        printf("US uniform optimal tariff (every other tariff at the reference state): %.1f %%, "
               "US real income %+.2f %%\n", 100.0 * med, tw_game_result_welfare_pct(r, usa));
        for (size_t c = 0; c < N; c++) {
            wm += tw_game_result_welfare_pct(n, c) / (double)N;
            if (c != usa)
                pm += tw_game_result_tariff(n, c, usa, 0) / (double)(N - 1);
        }
        tw_game_result_tariff_stats(n, usa, &mean, &med);
        printf("Against optimal retaliation (uniform Nash: the US taxes everyone, each partner "
               "the US): US %.1f %%, partners %.1f %% on average; US real income %+.2f %%, "
               "unweighted mean over countries %+.2f %%\n", 100.0 * med, 100.0 * pm,
               tw_game_result_welfare_pct(n, usa), wm);
        printf("Ignatenko et al. (2025) report a uniform US optimum of 19 %% and a US loss of "
               "3.4 %% under optimal retaliation, in a many-country model with input-output "
               "links and their own elasticities; this is the built-in 10-region world, "
               "real income relative to the scenario's reference state.\n");
    }
    tw_game_result_free(r);
    tw_game_result_free(n);
    tw_game_free(g);
    return st;
}

int cli_whatif_retaliation(const tw_world *w, const tw_timeline *t, bool json)
{
    struct whatif x = {.w = w, .t = t, .N = tw_world_n_country(w), .S = tw_world_n_sector(w)};
    tw_err err = {0};
    if (!tw_world_find_country(w, "USA", &x.usa)) {
        cli_error("--retaliation optimal needs a region USA in the world");
        return CLI_EXIT_DATA;
    }
    size_t N = x.N, S = x.S, K = tw_timeline_n_waves(t);
    if (K == 0) {
        cli_error("--retaliation optimal: the scenario has no wave");
        return CLI_EXIT_DATA;
    }
    x.ref = malloc(2 * S * N * N * sizeof(double));
    x.mask = malloc(N * N * sizeof(bool));
    if (x.ref == NULL || x.mask == NULL) {
        free(x.ref);
        free(x.mask);
        return cli_fail(TW_ENOMEM, &(tw_err){TW_ENOMEM, "out of memory"});
    }
    x.cube = x.ref + S * N * N;
    wave_cube(&x, K, x.ref); /* k >= n_waves: the reference state */
    size_t peak = 0;
    for (size_t k = 1; k < K; k++)
        if (us_average(&x, k) > us_average(&x, peak))
            peak = k;
    tw_status st = TW_OK;
    if (json)
        st = retaliation_at(&x, K - 1, true, &err);
    else {
        st = retaliation_at(&x, peak, false, &err);
        if (st == TW_OK && peak != K - 1)
            st = retaliation_at(&x, K - 1, false, &err);
        if (st == TW_OK)
            st = us_optimum(&x, &err);
    }
    free(x.ref);
    free(x.mask);
    return st == TW_OK ? CLI_EXIT_OK : cli_fail(st, &err);
}
